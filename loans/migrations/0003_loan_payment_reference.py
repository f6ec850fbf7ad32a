"""Every loan gets a payment reference (an OCR number with a length and a Luhn check digit).

Added without the unique constraint, filled in for the loans that exist, then made unique.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from loans.reference import new_reference

    Loan = apps.get_model("loans", "Loan")
    HistoricalLoan = apps.get_model("loans", "HistoricalLoan")
    taken = set(Loan.objects.exclude(payment_reference="").values_list("payment_reference", flat=True))
    for loan in Loan.objects.filter(payment_reference="").only("pk"):
        candidate = new_reference()
        while candidate in taken:
            candidate = new_reference()
        taken.add(candidate)
        Loan.objects.filter(pk=loan.pk).update(payment_reference=candidate)
        HistoricalLoan.objects.filter(id=loan.pk).update(payment_reference=candidate)


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0002_online_payments"),
    ]

    operations = [
        migrations.AddField(
            model_name="loan",
            name="payment_reference",
            field=models.CharField(default="", editable=False, max_length=25, verbose_name="payment reference"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalloan",
            name="payment_reference",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=25, verbose_name="payment reference"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loan",
            name="payment_reference",
            field=models.CharField(editable=False, max_length=25, unique=True, verbose_name="payment reference"),
        ),
    ]
