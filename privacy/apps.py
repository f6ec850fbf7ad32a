from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from neem import daily
        from neem.signals import personal_data_accessed

        from . import framework, jobs, services  # noqa: F401 - the framework's own tables register on import

        personal_data_accessed.connect(services.on_personal_data_accessed, dispatch_uid="privacy.access_log")

        # Every app says what it holds about a participant in its own `personal_data.py`: an exporter
        # and an eraser, registered with privacy.registry. No app imports another for this.
        autodiscover_modules("personal_data")
        daily.register("privacy_retention", jobs.daily)
