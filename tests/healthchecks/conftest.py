"""Health-check fixtures; the people and the case are the plan tests' fixtures."""

import pytest

from healthchecks.models import Area, Questionnaire
from tests.plans.conftest import (  # noqa: F401 - fixtures
    adviser,
    case,
    colleague,
    lead,
    other_participant_user,
    other_region,
    participant,
    participant_user,
    programme,
    region,
    stranger,
)

AREAS = [
    ("vision", "Vision", "Visjon"),
    ("strategy", "Strategy", "Strategi"),
    ("action_plan", "Action plan", "Handlingsplan"),
    ("finance", "Finance and budgeting", "Ekonomi och budget"),
    ("marketing", "Marketing", "Marknadsföring"),
    ("network", "Network", "Nätverk"),
]


@pytest.fixture
def questionnaire(programme) -> Questionnaire:  # noqa: F811 - the imported fixture
    questionnaire = Questionnaire.objects.create(programme=programme, name="Health check")
    for order, (code, label, swedish) in enumerate(AREAS):
        Area.objects.create(
            questionnaire=questionnaire,
            code=code,
            label=label,
            question=f"How sure are you about your {label.lower()}?",
            translations={"sv": {"label": swedish}},
            order=order,
        )
    return questionnaire
