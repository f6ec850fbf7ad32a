"""A document's file goes when its row goes (also when the case is deleted and the row cascades)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Document


@receiver(post_delete, sender=Document, dispatch_uid="participants.document_file_delete")
def delete_document_file(sender, instance: Document, **kwargs) -> None:
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        # After commit: a rolled-back delete must not lose the file.
        transaction.on_commit(lambda: storage.delete(name))
