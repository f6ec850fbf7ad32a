from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Participants and case files")

    def ready(self) -> None:
        from neem.profile import language_chosen

        from . import curriculum_selectors, curriculum_services, gates, services, signals

        gates.register("mandatory_modules_approved", curriculum_selectors.mandatory_modules_approved)
        signals.case_transitioned.connect(
            curriculum_services.start_curriculum_on_coaching, dispatch_uid="coaching.curriculum_start"
        )
        language_chosen.connect(services.participant_language_follows_login, dispatch_uid="coaching.language_follows")
