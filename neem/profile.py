"""A person's own settings: the language her pages, e-mails, reminders and PDFs are in."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from coaching.errors import DomainError, NotAllowed

from .models import User

# Sent inside the transaction when a person chooses her language; coaching keeps a participant's
# preferred language (used for her e-mails, reminders and PDFs) in step. Arguments: user, language.
language_chosen = Signal()


def user_set_language(*, user: User, language: str) -> User:
    """Store `language` on the person's own profile. Only she changes it here (the view passes request.user)."""
    if not user.is_authenticated:
        raise NotAllowed(_("You cannot change this person's details."))
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("This language is not offered."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.language != language:
            locked.language = language
            locked.save(update_fields=["language"])
            language_chosen.send(sender=User, user=locked, language=language)
    user.language = language
    return user
