from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants' own pages")

    def ready(self) -> None:
        from neem import daily

        from . import jobs, signals  # noqa: F401 - signals connect on import

        daily.register("participants", jobs.daily)
