"""The case page's panel for the participant's pages (invitation, documents, messages): one include line."""

from __future__ import annotations

from django import template

from neem import access

from .. import selectors
from ..forms import DocumentForm, InviteForm, MessageForm

register = template.Library()


@register.inclusion_tag("participants/includes/case_panel_body.html", takes_context=True)
def participant_pages_panel(context, case):
    user = context["request"].user
    can_work = access.can_work_on_case(user, case)
    participant = case.participant
    login = participant.user if participant.user_id else None
    return {
        "case": case,
        "can_work": can_work,
        "login": login,
        "documents": list(selectors.documents_of(case)),
        "thread": list(selectors.thread(case)),
        "invite_form": InviteForm(initial={"email": (login.email if login else participant.email)}),
        "document_form": DocumentForm(auto_id="doc_%s"),
        "message_form": MessageForm(auto_id="msg_%s"),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
