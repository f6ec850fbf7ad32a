"""seed_demo loads the curriculum in English and Swedish, with progress that matches each stage."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from coaching.curriculum_selectors import mandatory_modules_approved
from coaching.models import CaseFile, Curriculum, MentorMatch, ModuleProgress, Session, Stage

pytestmark = pytest.mark.django_db


def test_seed_demo_curriculum_is_complete_consistent_and_idempotent():
    call_command("seed_demo", "--quiet")
    counts = (ModuleProgress.objects.count(), Session.objects.count(), MentorMatch.objects.count())
    call_command("seed_demo", "--quiet")

    assert (ModuleProgress.objects.count(), Session.objects.count(), MentorMatch.objects.count()) == counts
    curriculum = Curriculum.objects.get()
    titles = [m.title for m in curriculum.modules.order_by("order")]
    assert all(t["en"] and t["sv"] for t in titles)
    assert {"Regulations", "Budget", "Market, customers and competitors"} <= {t["en"] for t in titles}
    for case in CaseFile.objects.filter(state__in=[Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]):
        assert mandatory_modules_approved(case), case
    for case in CaseFile.objects.filter(state=Stage.COACHING):
        assert ModuleProgress.objects.filter(case=case, status="open").count() == 1
    demo = CaseFile.objects.get(participant__email="participant@example.com")
    assert not mandatory_modules_approved(demo)
    assert MentorMatch.objects.filter(mentor__email="mentor@example.com").count() == 2
