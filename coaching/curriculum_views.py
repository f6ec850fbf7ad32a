"""Screens for a case's modules (sign-off) and for the programme's curriculum (editing versions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from neem import access
from neem.models import Programme
from neem.signals import personal_data_accessed

from . import curriculum_selectors as cs
from . import curriculum_services as svc
from . import selectors
from .curriculum_forms import ApproveForm, ChecklistForm, ItemFormSet, ModuleForm, ResourceForm
from .errors import DomainError, NotAllowed
from .models import Curriculum, Module, Stage


def _run(request, action, success: str) -> bool:
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# --- A case's modules ------------------------------------------------------------------------------


@login_required
def case_modules(request, pk: int):
    """The case's modules in order; opens on the current one."""
    case = selectors.case_for_page(request.user, pk)
    progress = cs.case_progress(case)
    current = cs.current_progress(progress)
    if current is not None:
        return redirect("coaching:module_detail", pk=case.pk, progress_pk=current.pk)
    return render(
        request,
        "coaching/curriculum/case_modules.html",
        {
            "case": case,
            "progress": progress,
            "can_work": access.can_work_on_case(request.user, case),
            "can_start": case.state == Stage.COACHING and not progress and cs.current_curriculum(case.programme_id),
        },
    )


@login_required
@require_POST
def case_modules_start(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    _run(
        request,
        lambda: svc.case_curriculum_start(case_id=case.pk, by=request.user),
        _("The curriculum has started: the first module is open."),
    )
    return redirect("coaching:case_modules", pk=case.pk)


def _module_context(request, case, progress_pk: int, *, checklist_form=None, approve_form=None, return_form=None):
    progress_list = cs.case_progress(case)
    progress = next((p for p in progress_list if p.pk == progress_pk), None)
    if progress is None:
        raise Http404
    can_work = access.can_work_on_case(request.user, case)
    editable = can_work and progress.is_workable and case.state == Stage.COACHING
    items = list(progress.module.items.all())
    checks = {check.item_id: check for check in progress.checks.all()}
    from .curriculum_forms import ReturnForm

    return {
        "case": case,
        "participant": case.participant,
        "progress_list": progress_list,
        "progress": progress,
        "module": progress.module,
        "resources": progress.module.resources.all(),
        "items": items,
        "checks": checks,
        "ticked_count": len(checks),
        "can_work": can_work,
        "editable": editable,
        "checklist_form": checklist_form
        or ChecklistForm(progress=progress, items=items, checks=checks, disabled=not editable),
        "approve_form": approve_form or ApproveForm(),
        "return_form": return_form or ReturnForm(items=items),
        "sessions": progress.module.sessions.filter(attendance__case=case).order_by("-starts_at")[:10],
    }


@login_required
def module_detail(request, pk: int, progress_pk: int):
    case = selectors.case_for_page(request.user, pk)
    personal_data_accessed.send(sender=__name__, user=request.user, case=case, action="view_module")
    return render(request, "coaching/curriculum/module_detail.html", _module_context(request, case, progress_pk))


def _back_to_module(case_pk: int, progress_pk: int, anchor: str = ""):
    return redirect(reverse("coaching:module_detail", args=[case_pk, progress_pk]) + anchor)


@login_required
@require_POST
def module_checklist(request, pk: int, progress_pk: int):
    case = selectors.case_for_page(request.user, pk)
    progress = cs.progress_for_case(case, progress_pk)
    items = list(progress.module.items.all())
    checks = {check.item_id: check for check in progress.checks.all()}
    form = ChecklistForm(request.POST, progress=progress, items=items, checks=checks)
    if not form.is_valid():
        context = _module_context(request, case, progress_pk, checklist_form=form)
        return render(request, "coaching/curriculum/module_detail.html", context, status=400)
    _run(
        request,
        lambda: svc.checklist_save(progress_id=progress.pk, by=request.user, ticks=form.ticks()),
        _("The checklist was saved."),
    )
    return _back_to_module(case.pk, progress.pk, "#sign-off")


@login_required
@require_POST
def module_approve(request, pk: int, progress_pk: int):
    case = selectors.case_for_page(request.user, pk)
    progress = cs.progress_for_case(case, progress_pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        context = _module_context(request, case, progress_pk, approve_form=form)
        return render(request, "coaching/curriculum/module_detail.html", context, status=400)
    approved = _run(
        request,
        lambda: svc.module_approve(progress_id=progress.pk, by=request.user, note=form.cleaned_data["note"]),
        _("“%(module)s” is approved.") % {"module": progress.module.display_title},
    )
    if approved:
        return redirect("coaching:case_modules", pk=case.pk)
    return _back_to_module(case.pk, progress.pk, "#sign-off")


@login_required
@require_POST
def module_return(request, pk: int, progress_pk: int):
    from .curriculum_forms import ReturnForm

    case = selectors.case_for_page(request.user, pk)
    progress = cs.progress_for_case(case, progress_pk)
    form = ReturnForm(request.POST, items=list(progress.module.items.all()))
    if not form.is_valid():
        context = _module_context(request, case, progress_pk, return_form=form)
        return render(request, "coaching/curriculum/module_detail.html", context, status=400)
    _run(
        request,
        lambda: svc.module_return(
            progress_id=progress.pk,
            by=request.user,
            missing_item_ids=form.cleaned_data["missing"],
            note=form.cleaned_data["note"],
        ),
        _("The module was sent back with what is missing."),
    )
    return _back_to_module(case.pk, progress.pk)


# --- The curriculum editor ---------------------------------------------------------------------------


def _editable_programmes(user):
    scope = access.scope_of(user)
    return Programme.objects.filter(pk__in=scope.manager_programmes | scope.admin_programmes)


@login_required
def curriculum_home(request):
    programmes = list(_editable_programmes(request.user))
    if not programmes:
        raise PermissionDenied
    if len(programmes) == 1:
        return redirect("coaching:curriculum", programme_pk=programmes[0].pk)
    return render(request, "coaching/curriculum/programmes.html", {"programmes": programmes})


def _programme_for_editor(user, programme_pk: int) -> Programme:
    return get_object_or_404(_editable_programmes(user), pk=programme_pk)


@login_required
def curriculum(request, programme_pk: int, version: int | None = None):
    """A version of the curriculum: the draft if there is one (editable), else the newest published."""
    programme = _programme_for_editor(request.user, programme_pk)
    versions = list(Curriculum.objects.filter(programme=programme).order_by("-version"))
    if version is not None:
        shown = next((c for c in versions if c.version == version), None)
        if shown is None:
            raise Http404
    else:
        shown = next((c for c in versions if c.is_draft), None) or next(iter(versions), None)
    return render(
        request,
        "coaching/curriculum/curriculum.html",
        {
            "programme": programme,
            "versions": versions,
            "curriculum": shown,
            "modules": cs.curriculum_with_modules(shown) if shown else [],
            "draft": next((c for c in versions if c.is_draft), None),
        },
    )


@login_required
@require_POST
def curriculum_edit(request, programme_pk: int):
    programme = _programme_for_editor(request.user, programme_pk)
    _run(
        request,
        lambda: svc.curriculum_draft(programme=programme, by=request.user),
        _("A draft of the next version is ready to edit. Cases keep the version they started with."),
    )
    return redirect("coaching:curriculum", programme_pk=programme.pk)


@login_required
@require_POST
def curriculum_publish(request, programme_pk: int):
    programme = _programme_for_editor(request.user, programme_pk)
    draft = cs.draft_curriculum(programme.pk)
    if draft is None:
        raise Http404
    _run(
        request,
        lambda: svc.curriculum_publish(by=request.user, curriculum_id=draft.pk),
        _("Version %(version)s is published. Cases entering coaching from now on work through it.")
        % {"version": draft.version},
    )
    return redirect("coaching:curriculum", programme_pk=programme.pk)


@login_required
@require_POST
def curriculum_discard(request, programme_pk: int):
    programme = _programme_for_editor(request.user, programme_pk)
    draft = cs.draft_curriculum(programme.pk)
    if draft is None:
        raise Http404
    _run(
        request,
        lambda: svc.curriculum_discard_draft(by=request.user, curriculum_id=draft.pk),
        _("The draft was discarded."),
    )
    return redirect("coaching:curriculum", programme_pk=programme.pk)


def _draft_or_404(user, programme_pk: int) -> tuple[Programme, Curriculum]:
    programme = _programme_for_editor(user, programme_pk)
    draft = cs.draft_curriculum(programme.pk)
    if draft is None:
        raise Http404
    return programme, draft


@login_required
def module_edit(request, programme_pk: int, module_pk: int | None = None):
    programme, draft = _draft_or_404(request.user, programme_pk)
    module = get_object_or_404(draft.modules, pk=module_pk) if module_pk else None
    items = list(module.items.order_by("order", "id")) if module else []
    initial_items = [{"id": item.pk, "text": item.text, "ORDER": index} for index, item in enumerate(items, start=1)]
    if request.method == "POST":
        form = ModuleForm(request.POST, initial_translations=_module_translations(module))
        formset = ItemFormSet(request.POST, initial=initial_items, prefix="items")
        if form.is_valid() and formset.is_valid():
            # ordered_forms: the filled-in, not deleted items by their ORDER; new ones without one last.
            entries = [{"id": f.cleaned_data.get("id"), "text": f.translations("text")} for f in formset.ordered_forms]
            saved = []
            ok = _run(
                request,
                lambda: saved.append(
                    svc.module_save(
                        by=request.user,
                        curriculum=draft,
                        module_id=module.pk if module else None,
                        title=form.translations("title"),
                        description=form.translations("description"),
                        mandatory=form.cleaned_data["mandatory"],
                        duration_days=form.cleaned_data["duration_days"],
                        items=entries,
                    )
                ),
                _("The module was saved."),
            )
            if ok:
                return redirect("coaching:module_edit", programme_pk=programme.pk, module_pk=saved[0].pk)
    else:
        form = ModuleForm(
            initial_translations=_module_translations(module),
            initial={"mandatory": module.mandatory, "duration_days": module.duration_days} if module else {},
        )
        formset = ItemFormSet(initial=initial_items, prefix="items")
    return render(
        request,
        "coaching/curriculum/module_edit.html",
        {
            "programme": programme,
            "curriculum": draft,
            "module": module,
            "form": form,
            "formset": formset,
            "resources": module.resources.all() if module else [],
            "resource_form": ResourceForm(),
        },
    )


def _module_translations(module: Module | None) -> dict:
    return {"title": module.title, "description": module.description} if module else {}


@login_required
@require_POST
def module_move(request, programme_pk: int, module_pk: int):
    programme, draft = _draft_or_404(request.user, programme_pk)
    module = get_object_or_404(draft.modules, pk=module_pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    _run(request, lambda: svc.module_move(by=request.user, module_id=module.pk, direction=direction), _("Moved."))
    return redirect(reverse("coaching:curriculum", args=[programme.pk]) + f"#module-{module.pk}")


@login_required
@require_POST
def module_delete(request, programme_pk: int, module_pk: int):
    programme, draft = _draft_or_404(request.user, programme_pk)
    module = get_object_or_404(draft.modules, pk=module_pk)
    _run(request, lambda: svc.module_delete(by=request.user, module_id=module.pk), _("The module was removed."))
    return redirect("coaching:curriculum", programme_pk=programme.pk)


@login_required
@require_POST
def resource_add(request, programme_pk: int, module_pk: int):
    programme, draft = _draft_or_404(request.user, programme_pk)
    module = get_object_or_404(draft.modules, pk=module_pk)
    form = ResourceForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: svc.resource_add(
                by=request.user,
                module_id=module.pk,
                title=form.translations("title"),
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            ),
            _("The resource was added."),
        )
    else:
        messages.error(request, _("The resource could not be added: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(reverse("coaching:module_edit", args=[programme.pk, module.pk]) + "#resources")


@login_required
@require_POST
def resource_delete(request, programme_pk: int, module_pk: int, resource_pk: int):
    programme, draft = _draft_or_404(request.user, programme_pk)
    module = get_object_or_404(draft.modules, pk=module_pk)
    resource = get_object_or_404(module.resources, pk=resource_pk)
    _run(request, lambda: svc.resource_delete(by=request.user, resource_id=resource.pk), _("The resource was removed."))
    return redirect(reverse("coaching:module_edit", args=[programme.pk, module.pk]) + "#resources")
