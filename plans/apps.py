from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Business plans")

    def ready(self) -> None:
        from coaching import gates
        from coaching import history as case_history

        from .selectors import case_has_approved_plan, plan_history

        gates.register("business_plan_approved", case_has_approved_plan)
        case_history.register("business_plan", plan_history)
