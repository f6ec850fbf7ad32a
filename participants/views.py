"""The participant's pages ("My path", messages, documents), the adviser's actions on the case page,
document downloads and the public check-in form. Views check input and call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.errors import DomainError, NotAllowed
from coaching.models import Participant
from coaching.tabs import case_url
from neem.signals import personal_data_accessed

from . import checkins, selectors, services
from .forms import CheckInForm, DocumentForm, InviteForm, MessageForm, ReminderPreferenceForm
from .models import ReminderPreference


def _participant(request):
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    return participant


def _run(request, action, success: str) -> bool:
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if success:
        messages.success(request, success)
    return True


# --- Her pages -------------------------------------------------------------------------------------


@login_required
def my_path(request):
    """ "My path" (/my/): where she stands in each of her cases and what comes next."""
    # Her record with her reminder choice in one query (the navigation then finds it on the user): of her record,
    # only what the page shows (her first name) and reads (her login, which the navigation asks for).
    participant = (
        Participant.objects.select_related("reminder_preference")
        .only("first_name", "user", "reminder_preference__email", "reminder_preference__sms")
        .filter(user=request.user)
        .first()
    )
    if participant is None:
        raise Http404
    request.user.participant = participant
    preference = getattr(participant, "reminder_preference", None) or ReminderPreference(participant=participant)
    return render(
        request,
        "participants/my_path.html",
        {
            "participant": participant,
            "paths": selectors.my_path(participant),
            "preference_form": ReminderPreferenceForm(instance=preference),
        },
    )


@login_required
@require_POST
def my_reminders(request):
    participant = _participant(request)
    form = ReminderPreferenceForm(request.POST, instance=selectors.preference_of(participant))
    if form.is_valid():
        services.reminder_preference_set(
            participant=participant, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
        )
        messages.success(request, _("Saved. We will remind you the way you chose."))
    return redirect(reverse("coaching:my_page") + "#reminders")


@login_required
def my_messages(request, case_pk: int):
    case = selectors.case_for_participant(request.user, case_pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if _run(request, lambda: services.message_post(by=request.user, case=case, text=text), _("Sent.")):
            return redirect("participants:my_messages", case_pk=case.pk)
    services.thread_mark_read(reader=request.user, case=case)
    return render(
        request, "participants/my_messages.html", {"case": case, "thread": selectors.thread(case), "form": form}
    )


@login_required
def my_documents(request, case_pk: int):
    case = selectors.case_for_participant(request.user, case_pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _upload(request, case, form):
        return redirect("participants:my_documents", case_pk=case.pk)
    return render(
        request,
        "participants/my_documents.html",
        {"case": case, "documents": selectors.documents_of(case), "form": form},
    )


def _upload(request, case, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.document_upload(
            by=request.user, case=case, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
        )
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        form.add_error("file", exc.message)  # next to the field, where she can fix it
        return False
    messages.success(request, _("The document is saved."))
    return True


# --- Documents (both sides) ----------------------------------------------------------------------


@login_required
def document_download(request, document_pk: int):
    document = selectors.document_for(request.user, document_pk)
    personal_data_accessed.send(
        sender=__name__, user=request.user, case=document.case, action="download", detail=document.get_kind_display()
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, document_pk: int):
    document = selectors.document_for(request.user, document_pk)
    case = document.case
    try:
        services.document_delete(by=request.user, document=document)
    except NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, _("The document is deleted."))
    if services.is_her_case(request.user, case):
        return redirect("participants:my_documents", case_pk=case.pk)
    return redirect(case_url(case.pk, "pages", "#documents"))


# --- The adviser's side, from the case page ------------------------------------------------------


def _case_for_worker(request, case_pk: int):
    from neem import access

    case = selectors.case_for_reader(request.user, case_pk)
    if services.is_her_case(request.user, case):
        raise Http404
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    return case


def _back(case):
    return redirect(case_url(case.pk, "pages", "#participant-pages"))


@login_required
@require_POST
def case_invite(request, case_pk: int):
    case = _case_for_worker(request, case_pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid e-mail address."))
        return _back(case)
    email = form.cleaned_data["email"]
    _run(
        request,
        lambda: services.participant_invite(by=request.user, case=case, email=email),
        _("The invitation is on its way to %(email)s.") % {"email": email},
    )
    return _back(case)


@login_required
@require_POST
def case_message(request, case_pk: int):
    case = _case_for_worker(request, case_pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        _run(request, lambda: services.message_post(by=request.user, case=case, text=text), _("Message sent."))
        services.thread_mark_read(reader=request.user, case=case)
    else:
        messages.error(request, _("Write a message first."))
    return redirect(case_url(case.pk, "pages", "#messages"))


@login_required
@require_POST
def case_document(request, case_pk: int):
    case = _case_for_worker(request, case_pk)
    form = DocumentForm(request.POST, request.FILES)
    if not _upload(request, case, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(case_url(case.pk, "pages", "#documents"))


# --- After the programme: the public check-in form ------------------------------------------------


def check_in(request, token: str):
    try:
        check_in = checkins.check_in_from_token(token)
    except checkins.LinkExpired:
        return render(request, "participants/check_in_closed.html", {"reason": "expired"}, status=410)
    except checkins.LinkInvalid as exc:
        raise Http404 from exc
    if check_in.answered_at:
        return render(request, "participants/check_in_closed.html", {"reason": "answered"}, status=410)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in_answer(
                check_in=check_in,
                company_running=data["company_running"] == "yes",
                employed=data["employed"] == "yes",
                studying=data["studying"] == "yes",
                other=data["other"],
            )
        except DomainError:
            return render(request, "participants/check_in_closed.html", {"reason": "answered"}, status=410)
        return render(request, "participants/check_in_closed.html", {"reason": "thanks"})
    return render(request, "participants/check_in.html", {"check_in": check_in, "form": form})
