from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Loans")

    def ready(self) -> None:
        from coaching import gates
        from neem import daily

        from . import jobs

        gates.register("loan_disbursed_or_settled", jobs.case_loan_disbursed_or_settled)
        daily.register("loans", jobs.daily)
