"""Health checks: opening and filling rounds, who may, and the comparison across rounds."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coaching.errors import NotAllowed, Refused
from healthchecks import radar, selectors, services
from healthchecks.models import Round, Score

pytestmark = pytest.mark.django_db


def scores_by_code(questionnaire, values: dict[str, int]) -> dict[int, int]:
    return {area.pk: values[area.code] for area in questionnaire.areas.all()}


START = {"vision": 2, "strategy": 1, "action_plan": 1, "finance": 2, "marketing": 3, "network": 4}
MIDWAY = {"vision": 3, "strategy": 3, "action_plan": 2, "finance": 2, "marketing": 3, "network": 4}
END = {"vision": 5, "strategy": 4, "action_plan": 4, "finance": 4, "marketing": 2, "network": 5}


def take(case, questionnaire, kind, values, *, opener, filler):
    health_round = services.round_open(case=case, by=opener, kind=kind)
    return services.round_fill(round_id=health_round.pk, by=filler, scores=scores_by_code(questionnaire, values))


def test_comparison_side_by_side_with_the_change_per_area(case, questionnaire, adviser, participant_user):
    take(case, questionnaire, "end", END, opener=adviser, filler=participant_user)
    take(case, questionnaire, "start", START, opener=adviser, filler=participant_user)
    take(case, questionnaire, "midway", MIDWAY, opener=adviser, filler=adviser)

    comparison = selectors.comparison(case, language="en")

    assert [r.kind for r in comparison.rounds] == ["start", "midway", "end"]
    rows = {row.area.code: row for row in comparison.rows}
    assert rows["vision"].scores == [2, 3, 5]
    assert rows["vision"].change == 3
    assert rows["marketing"].change == -1
    assert rows["network"].change == 1
    # Averages: start 13/6 = 2.17 -> 2.2; midway 17/6 = 2.83 -> 2.8; end 24/6 = 4.0.
    assert comparison.averages == [Decimal("2.2"), Decimal("2.8"), Decimal("4.0")]
    assert comparison.average_change == Decimal("1.8")
    assert [row.label for row in comparison.rows][:2] == ["Vision", "Strategy"]
    assert selectors.comparison(case, language="sv").rows[3].label == "Ekonomi och budget"


def test_one_round_has_no_change(case, questionnaire, adviser, participant_user):
    take(case, questionnaire, "start", START, opener=adviser, filler=participant_user)
    comparison = selectors.comparison(case)
    assert all(row.change is None for row in comparison.rows)
    assert comparison.average_change is None


def test_an_open_round_waits_and_is_not_compared(case, questionnaire, adviser):
    services.round_open(case=case, by=adviser, kind="start")
    assert selectors.comparison(case).is_empty


def test_only_the_adviser_or_lead_opens_a_round_and_each_kind_once(
    case, questionnaire, adviser, lead, colleague, stranger, participant_user
):
    for user in (colleague, stranger, participant_user):
        with pytest.raises(NotAllowed):
            services.round_open(case=case, by=user, kind="start")
    services.round_open(case=case, by=lead, kind="start")
    with pytest.raises(Refused):
        services.round_open(case=case, by=adviser, kind="start")
    with pytest.raises(Refused):
        services.round_open(case=case, by=adviser, kind="sometime")


def test_a_round_needs_a_score_from_1_to_5_for_every_area(case, questionnaire, adviser, participant_user):
    health_round = services.round_open(case=case, by=adviser, kind="start")
    scores = scores_by_code(questionnaire, START)
    incomplete = dict(list(scores.items())[:-1])
    with pytest.raises(Refused):
        services.round_fill(round_id=health_round.pk, by=participant_user, scores=incomplete)
    with pytest.raises(Refused):
        services.round_fill(round_id=health_round.pk, by=participant_user, scores={**scores, next(iter(scores)): 6})
    assert not Score.objects.exists()
    services.round_fill(round_id=health_round.pk, by=participant_user, scores=scores)
    with pytest.raises(Refused):
        services.round_fill(round_id=health_round.pk, by=participant_user, scores=scores)


def test_others_cannot_fill_her_round(case, questionnaire, adviser, colleague, other_participant_user):
    health_round = services.round_open(case=case, by=adviser, kind="start")
    for user in (colleague, other_participant_user):
        with pytest.raises(NotAllowed):
            services.round_fill(round_id=health_round.pk, by=user, scores=scores_by_code(questionnaire, START))


def test_without_a_questionnaire_no_round_opens(case, adviser):
    with pytest.raises(Refused):
        services.round_open(case=case, by=adviser, kind="start")


# --- Pages -------------------------------------------------------------------------------------


def test_the_participant_fills_her_round_on_her_page(client, case, questionnaire, adviser, participant_user):
    health_round = services.round_open(case=case, by=adviser, kind="start")
    client.force_login(participant_user)
    my_page = client.get(reverse("coaching:my_page")).content.decode()
    fill_url = reverse("healthchecks:my_fill", args=[health_round.pk])
    assert fill_url in my_page

    incomplete = client.post(fill_url, {f"area_{questionnaire.areas.first().pk}": "3"})
    assert incomplete.status_code == 400
    assert "Choose a score from 1 to 5." in incomplete.content.decode()
    data = {f"area_{pk}": str(value) for pk, value in scores_by_code(questionnaire, START).items()}
    assert client.post(fill_url, data).status_code == 302

    assert Round.objects.get(pk=health_round.pk).filled_by == participant_user


def test_other_people_get_404_on_her_round(client, case, questionnaire, adviser, stranger, other_participant_user):
    health_round = services.round_open(case=case, by=adviser, kind="start")
    client.force_login(other_participant_user)
    assert client.get(reverse("healthchecks:my_fill", args=[health_round.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("healthchecks:fill", args=[case.pk, health_round.pk])).status_code == 404
    assert client.post(reverse("healthchecks:open", args=[case.pk]), {"kind": "midway"}).status_code == 404


def test_a_reader_cannot_open_or_fill(client, case, questionnaire, adviser, colleague):
    health_round = services.round_open(case=case, by=adviser, kind="start")
    client.force_login(colleague)
    assert client.post(reverse("healthchecks:open", args=[case.pk]), {"kind": "midway"}).status_code == 403
    assert client.get(reverse("healthchecks:fill", args=[case.pk, health_round.pk])).status_code == 403


def test_the_case_page_shows_rounds_side_by_side_with_a_radar_chart(
    client, case, questionnaire, adviser, participant_user
):
    take(case, questionnaire, "start", START, opener=adviser, filler=participant_user)
    take(case, questionnaire, "end", END, opener=adviser, filler=participant_user)
    client.force_login(adviser)
    body = client.get(reverse("coaching:case_detail", args=[case.pk]), {"tab": "coaching"}).content.decode()
    assert '<svg class="radar"' in body
    assert body.count("<polygon points=") >= 5 + 2  # grid rings and one shape per round
    assert '<td data-area="vision">+3</td>' in body
    assert '<td data-area="marketing">−1</td>' in body
    assert "Open a health check" in body  # midway is still to take


def test_radar_geometry():
    shape = radar.radar(4, [[5, 5, 5, 5], [0, None, 0, 0]], size=320, margin=60)
    # Radius 100 around (160, 160); the first axis points up, the second to the right.
    assert shape.axes[0].x == pytest.approx(160) and shape.axes[0].y == pytest.approx(60)
    assert shape.axes[1].x == pytest.approx(260) and shape.axes[1].y == pytest.approx(160)
    assert shape.series[0] == "160.0,60.0 260.0,160.0 160.0,260.0 60.0,160.0"
    assert shape.series[1] == "160.0,160.0 160.0,160.0 160.0,160.0 160.0,160.0"
    assert len(shape.grid) == 5


def test_staff_opening_her_health_check_is_in_her_access_log(client, case, questionnaire, adviser):
    from privacy.models import AccessLog

    health_round = services.round_open(case=case, by=adviser, kind="start")
    client.force_login(adviser)

    assert client.get(reverse("healthchecks:fill", args=[case.pk, health_round.pk])).status_code == 200

    assert list(AccessLog.objects.values_list("user", "action")) == [(adviser.pk, "view_health_check")]
