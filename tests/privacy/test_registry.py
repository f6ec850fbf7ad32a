"""Every app that keeps rows about a participant takes part in her export and her erasure."""

from __future__ import annotations

from django.apps import apps

from coaching.models import CaseFile, Participant
from privacy import registry
from privacy.erasure import ErasureContext


def test_every_app_holding_rows_about_her_registered_its_part():
    registered = {e.name for e in registry.exporters()} | set(registry.erasers())
    holders = set()
    for model in apps.get_models():
        if model._meta.app_label == "coaching" or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in (Participant, CaseFile):
                holders.add(model._meta.app_label)
    assert holders, "the walk found no models"
    missing = holders - registered
    assert not missing, f"apps keep rows about a participant but registered no part of export or erasure: {missing}"


def test_scrub_replaces_every_form_of_her_words_and_leaves_other_text():
    participant = Participant(first_name="Zoë", last_name="Quill", email="zoe@example.org", phone="+46701234599")
    context = ErasureContext(participant=participant, case_ids=[], user_id=None, pseudonym="P-1")
    context.terms = ["Zoë Quill", "zoe@example.org", "Quill", "Zoë", "0701234599"]
    assert context.scrub("Met ZOË QUILL (zoe@example.org, 0701234599) at the café.") == (
        "Met [erased] ([erased], [erased]) at the café."
    )
    assert context.scrub_value({"to": ["zoë"], "n": 3}) == {"to": ["[erased]"], "n": 3}


def test_rows_with_her_accented_name_in_json_are_found_and_scrubbed(db):
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        task_path="participants.tasks.send_reminder",
        queue_name="default",
        backend_name="default",
        priority=0,
        args_kwargs={"args": [], "kwargs": {"context": {"name": "Zoë Quill"}}},
        status="SUCCESSFUL",
        worker_ids=[],
    )
    other = DBTaskResult.objects.create(
        task_path="x",
        queue_name="default",
        backend_name="default",
        priority=0,
        args_kwargs={"name": "Ada"},
        status="SUCCESSFUL",
        worker_ids=[],
    )
    participant = Participant(first_name="Zoë", last_name="Quill")
    context = ErasureContext(participant=participant, case_ids=[], user_id=None, pseudonym="P-1", terms=["Zoë Quill"])

    assert context.scrub_rows(DBTaskResult.objects.all(), ["args_kwargs"]) == 1

    task.refresh_from_db()
    other.refresh_from_db()
    assert task.args_kwargs["kwargs"]["context"]["name"] == "[erased]"
    assert other.args_kwargs == {"name": "Ada"}
