from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Loans")

    def ready(self) -> None:
        from coaching import gates
        from coaching import history as case_history
        from neem import daily

        from . import jobs, selectors

        gates.register("loan_disbursed_or_settled", jobs.case_loan_disbursed_or_settled)
        daily.register("loans", jobs.daily)
        case_history.register("loan_applications", selectors.application_history)
        case_history.register("loans", selectors.loan_history)
