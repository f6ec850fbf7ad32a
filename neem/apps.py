from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeemConfig(AppConfig):
    name = "neem"
    verbose_name = _("Programmes and roles")

    def ready(self):
        from . import choices

        choices.install()
