"""Forms of the plan. The budget form turns what people type into Decimals or says clearly why not."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import budget
from .sections import COMMENT_TARGETS, SECTIONS, section_title
from .services import MAX_SECTION_LENGTH

MAX_AMOUNT = Decimal("100000000")  # 100 million in the programme's currency: far above any microbusiness
MAX_LINES = 20


class AmountField(forms.DecimalField):
    """A non-negative amount with at most two decimals. Accepts "1 500,50" as well as "1500.50"."""

    default_error_messages = {
        "invalid": _("Enter an amount in figures, for example 1500 or 1500.50."),
        "min_value": _("The amount cannot be negative."),
        "max_value": _("The amount is too large: at most %(limit_value)s."),
        "max_decimal_places": _("Use at most %(max)s decimals."),
        "max_digits": _("The amount is too large."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        value = super().to_python(value)
        return Decimal("0") if value is None else value


class AmountInput(forms.TextInput):
    """Text, not type=number: browsers refuse "1 500,50" silently in number inputs."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "size": 10, **(attrs or {})})


def amount(label, **kwargs) -> AmountField:
    return AmountField(label=label, widget=AmountInput(), **kwargs)


class SectionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                help_text=section.prompt,
                required=False,
                max_length=MAX_SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6}),
            )


STARTUP_CATEGORY_CHOICES = [
    ("equipment", _("Equipment")),
    ("stock", _("Stock")),
    ("deposits", _("Deposits")),
    ("launch", _("Launch costs")),
]


class StartupLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind"), choices=STARTUP_CATEGORY_CHOICES)
    label = forms.CharField(label=_("What"), max_length=100, required=False)
    amount = amount(_("Amount"))

    def clean(self):
        data = super().clean()
        if data.get("amount") and not (data.get("label") or "").strip():
            self.add_error("label", _("Say what the amount is for."))
        return data


class FixedCostForm(forms.Form):
    label = forms.CharField(label=_("What"), max_length=100, required=False)
    amount = amount(_("Per month"))

    def clean(self):
        data = super().clean()
        if data.get("amount") and not (data.get("label") or "").strip():
            self.add_error("label", _("Say what the cost is for."))
        return data


StartupFormSet = forms.formset_factory(
    StartupLineForm, extra=3, max_num=MAX_LINES, validate_max=True, absolute_max=MAX_LINES
)
FixedCostFormSet = forms.formset_factory(
    FixedCostForm, extra=3, max_num=MAX_LINES, validate_max=True, absolute_max=MAX_LINES
)

MONTH_FIELDS = [f"revenue_{m}" for m in range(1, budget.MONTHS + 1)]


class BudgetFiguresForm(forms.Form):
    own_savings = amount(_("Own savings"))
    loan = amount(_("Loan asked for"))
    other_financing = amount(_("Other financing (grants, family)"))
    cogs_percent = forms.DecimalField(
        label=_("Cost of goods, as a share of sales (%)"),
        help_text=_("What the goods you sell cost you: 30 means 30 of every 100 you sell."),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
        widget=AmountInput(),
        error_messages={
            "invalid": _("Enter a percentage in figures, for example 30."),
            "min_value": _("The share cannot be negative."),
            "max_value": _("The share can be at most %(limit_value)s %%."),
        },
    )
    loan_repayment = amount(_("Loan repayment per month"))
    owner_drawings = amount(_("What you take out to live on, per month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for month, name in enumerate(MONTH_FIELDS, start=1):
            self.fields[name] = amount(_("Sales, month %(month)s") % {"month": month})

    def clean_cogs_percent(self):
        return self.cleaned_data.get("cogs_percent") or Decimal("0")

    def revenue_fields(self):
        return [self[name] for name in MONTH_FIELDS]


class BudgetForm:
    """The figures, the start-up lines and the fixed costs: valid together or not saved at all."""

    def __init__(self, data=None, *, initial: dict | None = None):
        initial = initial or budget.empty_data()
        figures, startup, fixed = _initial_from_data(initial)
        self.figures = BudgetFiguresForm(data, initial=figures, prefix="budget")
        self.startup = StartupFormSet(data, initial=startup, prefix="startup")
        self.fixed = FixedCostFormSet(data, initial=fixed, prefix="fixed")

    def is_valid(self) -> bool:
        # Evaluate all three so every error shows at once.
        return all([self.figures.is_valid(), self.startup.is_valid(), self.fixed.is_valid()])

    @property
    def has_errors(self) -> bool:
        return bool(
            self.figures.errors
            or any(self.startup.errors)
            or any(self.fixed.errors)
            or self.startup.non_form_errors()
            or self.fixed.non_form_errors()
        )

    def to_input(self) -> budget.BudgetInput:
        data = self.figures.cleaned_data
        return budget.BudgetInput(
            startup=[
                budget.StartupLine(row["category"], row["label"].strip(), row["amount"])
                for row in self.startup.cleaned_data
                if row and row.get("amount")
            ],
            own_savings=data["own_savings"],
            loan=data["loan"],
            other_financing=data["other_financing"],
            revenue=[data[name] for name in MONTH_FIELDS],
            cogs_percent=data["cogs_percent"],
            fixed_costs=[
                budget.FixedCost(row["label"].strip(), row["amount"])
                for row in self.fixed.cleaned_data
                if row and row.get("amount")
            ],
            loan_repayment=data["loan_repayment"],
            owner_drawings=data["owner_drawings"],
        )


def _initial_from_data(data: dict):
    value = budget.from_data(data)
    figures = {
        "own_savings": value.own_savings,
        "loan": value.loan,
        "other_financing": value.other_financing,
        "cogs_percent": value.cogs_percent,
        "loan_repayment": value.loan_repayment,
        "owner_drawings": value.owner_drawings,
        **dict(zip(MONTH_FIELDS, value.revenue, strict=True)),
    }
    startup = [{"category": s.category, "label": s.label, "amount": s.amount} for s in value.startup]
    fixed = [{"label": c.label, "amount": c.amount} for c in value.fixed_costs]
    return figures, startup, fixed


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=[(key, section_title(key)) for key in COMMENT_TARGETS])
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    move_case = forms.ChoiceField(
        label=_("Then"),
        choices=[
            ("", _("Leave the case where it is")),
            ("start_loan", _("Move the case on to the loan")),
            ("skip_loan", _("No loan needed: move the case on to follow-up")),
        ],
        required=False,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What needs to change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
