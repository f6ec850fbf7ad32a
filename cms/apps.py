from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from neem.models import Membership

        from .editors import membership_changed

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="cms-sync-site-editor-save")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="cms-sync-site-editor-delete")
