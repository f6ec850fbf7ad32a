"""The caseload's table rows, written in Python.

Each row as a template was some 25 template nodes; the 25 rows were the largest part of the caseload's
time after the queries (manage.py bench). The markup is the one the template had; the strings are the
same messages, so the catalogues translate them as before.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from neem.templatetags.neem_format import ltr

register = template.Library()

_PK = 2_147_483_647  # stands in for the case id in the reversed URL


@register.simple_tag
def caseload_rows(cases) -> SafeString:
    """<tr> for each case of the caseload page (CaseloadView: with participant, region, adviser, next_due)."""
    detail = reverse("coaching:case_detail", args=[_PK])
    interpreter = format_html(' · <strong class="interpreter">{}</strong>', gettext("needs an interpreter"))
    overdue = format_html(' <strong class="badge-overdue">{}</strong>', gettext("overdue"))
    unassigned = gettext("unassigned")
    rows = []
    for case in cases:
        person = case.participant
        if case.next_due:
            due = format_html(
                '<time datetime="{}">{}</time>{}',
                case.next_due.isoformat(),
                date_filter(case.next_due, "SHORT_DATE_FORMAT"),
                overdue if case.overdue else "",
            )
        else:
            due = "—"
        rows.append(
            format_html(
                "\n    <tr{}>\n"
                '      <td><a href="{}">{}</a></td>\n'
                '      <td data-language="{}">{}{}</td>\n'
                '      <td><span class="stage stage-{}">{}</span></td>\n'
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}{}{}</td>\n"
                "    </tr>\n  ",
                mark_safe(' class="overdue"') if case.overdue else "",
                detail.replace(str(_PK), str(case.pk)),
                person.full_name,
                person.preferred_language,
                person.get_preferred_language_display(),
                interpreter if person.needs_interpreter else "",
                case.state,
                case.get_state_display(),
                case.region,
                case.adviser or unassigned,
                due,
                person.email,
                mark_safe("<br>") if person.email and person.phone else "",
                ltr(person.phone),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (each row is format_html's)


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
