"""The caseload's table rows and "My next actions", written in Python.

Each row as a template was some 25 template nodes; the 25 rows were the largest part of the caseload's
time after the queries (manage.py bench). The markup is the one the template had; the strings are the
same messages, so the catalogues translate them as before.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from neem.templatetags.neem_format import ltr

register = template.Library()

_PK = 2_147_483_647  # stands in for the case id in the reversed URL


@register.simple_tag
def caseload_rows(cases) -> SafeString:
    """<tr> for each case of the caseload page (CaseloadView: with participant, region, adviser, next_due).

    What `format_html` would write, each value escaped as it does (`conditional_escape`); the values the rows
    share (a stage's or language's label, the region, the adviser, a due date) are worked out once a page.
    """
    esc = conditional_escape
    detail = reverse("coaching:case_detail", args=[_PK])
    pk_text = str(_PK)
    interpreter = format_html(' · <strong class="interpreter">{}</strong>', gettext("needs an interpreter"))
    overdue = format_html(' <strong class="badge-overdue">{}</strong>', gettext("overdue"))
    unassigned = gettext("unassigned")
    languages: dict = {}  # (language, needs an interpreter) -> the cell's attribute value and text
    stages: dict = {}  # state -> the cell's class and text
    regions: dict = {}  # region id -> name
    advisers: dict = {}  # adviser id -> name
    dues: dict = {}  # (next due, overdue) -> the cell's text
    rows = []
    for case in cases:
        person = case.participant
        language = (person.preferred_language, person.needs_interpreter)
        if language not in languages:
            languages[language] = (
                f"{esc(person.preferred_language)}"
                f'">{esc(person.get_preferred_language_display())}{interpreter if person.needs_interpreter else ""}'
            )
        if case.state not in stages:
            stages[case.state] = f'{esc(case.state)}">{esc(case.get_state_display())}'
        if case.region_id not in regions:
            regions[case.region_id] = esc(case.region)
        if case.adviser_id not in advisers:
            advisers[case.adviser_id] = esc(case.adviser or unassigned)
        due_key = (case.next_due, bool(case.overdue))
        if due_key not in dues:
            if case.next_due:
                dues[due_key] = format_html(
                    '<time datetime="{}">{}</time>{}',
                    case.next_due.isoformat(),
                    date_filter(case.next_due, "SHORT_DATE_FORMAT"),
                    overdue if case.overdue else "",
                )
            else:
                dues[due_key] = esc("—")
        row_class = ' class="overdue"' if case.overdue else ""
        line_break = "<br>" if person.email and person.phone else ""
        rows.append(
            f"\n    <tr{row_class}>\n"
            f'      <td><a href="{esc(detail.replace(pk_text, str(case.pk)))}">{esc(person.full_name)}</a></td>\n'
            f'      <td data-language="{languages[language]}</td>\n'
            f'      <td><span class="stage stage-{stages[case.state]}</span></td>\n'
            f"      <td>{regions[case.region_id]}</td>\n"
            f"      <td>{advisers[case.adviser_id]}</td>\n"
            f"      <td>{dues[due_key]}</td>\n"
            f"      <td>{esc(person.email)}{line_break}{esc(ltr(person.phone))}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def next_action_items(actions) -> SafeString:
    """<li> for each of the caseload's "My next actions" (selectors.my_next_actions: with case__participant).

    The markup the template's loop had, with its whitespace.
    """
    detail = reverse("coaching:case_detail", args=[_PK])
    overdue = format_html("<strong>{}</strong>", gettext("overdue"))
    items = []
    for action in actions:
        late = action.is_overdue()
        items.append(
            format_html(
                '\n      <li{}><time datetime="{}">{}</time>\n'
                "        {}\n"
                '        <a href="{}#actions">{}</a>: {}</li>\n    ',
                mark_safe(' class="overdue"') if late else "",
                action.due_date.isoformat(),
                date_filter(action.due_date, "SHORT_DATE_FORMAT"),
                overdue if late else "",
                detail.replace(str(_PK), str(action.case_id)),
                action.case.participant,
                action.title,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 (each item is format_html's)
