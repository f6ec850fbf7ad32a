"""Writes to the curriculum and to a case's progress through it: atomic, checked, logged.

Sign-off rules:
- A mandatory module is approved only when every checklist item is ticked: the method says the
  participant goes on only when she has shown the new knowledge.
- An optional module may be approved with items unticked, but the adviser must say why in the note.
- Sending a module back unticks what is missing and records it; the module stays workable.
- Only an approved module opens the next one. Nothing changes once the case has left coaching.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neem import access
from neem.models import Programme

from . import curriculum_selectors as cs
from .curriculum_models import ChecklistItem, Curriculum, ItemCheck, Module, ModuleProgress, Resource
from .errors import NotAllowed, Refused
from .models import CaseEvent, CaseFile, NextAction, Stage
from .translated import localized

Status = ModuleProgress.Status
RETURN_FOLLOW_UP_DAYS = 7


def _log(case, *, by, note: str, **data) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MODULE, actor=by, note=note, data=data)


# --- A case's progress -------------------------------------------------------------------------


def _open(progress: ModuleProgress, *, by, case: CaseFile) -> None:
    """Open a module and put its check-in on the case's next actions (feeds "overdue first")."""
    now = timezone.now()
    title = _("Check-in: module “%(module)s”") % {"module": progress.module.display_title}
    action = NextAction.objects.create(
        case=case,
        title=title[:200],
        due_date=timezone.localdate() + timedelta(days=progress.module.duration_days),
        owner=case.adviser or by,
        created_by=by,
    )
    progress.status = Status.OPEN
    progress.opened_at = now
    progress.next_action = action
    progress.save(update_fields=["status", "opened_at", "next_action"])


def _finish_action(progress: ModuleProgress) -> None:
    if progress.next_action_id:
        NextAction.objects.filter(pk=progress.next_action_id, done_at__isnull=True).update(done_at=timezone.now())


def curriculum_start(*, case: CaseFile, by) -> list[ModuleProgress]:
    """Tie the case to the newest published curriculum and open its first module. Safe to call twice.

    Runs from the `case_transitioned` signal when a case enters coaching, inside that transaction;
    the module page also offers it for a case that entered coaching before there was a curriculum.
    """
    existing = list(ModuleProgress.objects.filter(case=case))
    if existing:
        return existing
    curriculum = cs.current_curriculum(case.programme_id)
    if curriculum is None:
        return []
    modules = list(curriculum.modules.order_by("order", "id"))
    if not modules:
        return []
    with transaction.atomic():
        rows = ModuleProgress.objects.bulk_create([ModuleProgress(case=case, module=m) for m in modules])
        first = ModuleProgress.objects.select_related("module").get(case=case, module=modules[0])
        _open(first, by=by, case=case)
        _log(
            case,
            by=by,
            note=_("Coaching started with curriculum version %(version)s. Open: “%(module)s”.")
            % {"version": curriculum.version, "module": first.module.display_title},
            curriculum=curriculum.pk,
            version=curriculum.version,
            result="started",
        )
    return rows


def start_curriculum_on_coaching(sender, *, case, by, to_state, **kwargs) -> None:
    """Receiver of coaching.signals.case_transitioned."""
    if to_state == Stage.COACHING:
        curriculum_start(case=case, by=by)


def case_curriculum_start(*, case_id: int, by) -> list[ModuleProgress]:
    """The button on the module page for a case in coaching that has no curriculum yet."""
    with transaction.atomic():
        case = CaseFile.objects.select_for_update(of=("self",)).get(pk=case_id)
        if not access.can_work_on_case(by, case):
            raise NotAllowed(_("Only the assigned adviser or the region lead can change this case."))
        if case.state != Stage.COACHING:
            raise Refused(_("Modules are worked through while the case is in coaching."))
        rows = curriculum_start(case=case, by=by)
        if not rows:
            raise Refused(_("The programme has no published curriculum yet."))
    return rows


def _lock_progress(progress_id: int, by) -> ModuleProgress:
    progress = (
        ModuleProgress.objects.select_for_update(of=("self",))
        .select_related("case", "module__curriculum")
        .get(pk=progress_id)
    )
    case = progress.case
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can sign off modules of this case."))
    if case.state != Stage.COACHING:
        raise Refused(_("Modules can only be changed while the case is in coaching."))
    return progress


def item_tick(*, progress_id: int, item_id: int, by, checked: bool = True, note: str = "") -> ModuleProgress:
    """Tick (or untick) one checklist item, with the adviser's note."""
    note = (note or "").strip()[:1000]
    with transaction.atomic():
        progress = _lock_progress(progress_id, by)
        if not progress.is_workable:
            raise Refused(_("This module is not open: it is %(status)s.") % {"status": progress.get_status_display()})
        item = ChecklistItem.objects.filter(module_id=progress.module_id, pk=item_id).first()
        if item is None:
            raise Refused(_("That item is not on this module's checklist."))
        if checked:
            ItemCheck.objects.update_or_create(
                progress=progress, item=item, defaults={"checked_by": by, "checked_at": timezone.now(), "note": note}
            )
        else:
            ItemCheck.objects.filter(progress=progress, item=item).delete()
    return progress


def checklist_save(*, progress_id: int, by, ticks: dict[int, tuple[bool, str]]) -> ModuleProgress:
    """Save the whole checklist at once: item id -> (ticked, note). Items not listed stay as they are."""
    with transaction.atomic():
        progress = _lock_progress(progress_id, by)
        if not progress.is_workable:
            raise Refused(_("This module is not open: it is %(status)s.") % {"status": progress.get_status_display()})
        items = {item.pk: item for item in progress.module.items.all()}
        existing = {check.item_id: check for check in progress.checks.all()}
        now = timezone.now()
        for item_id, (ticked, note) in ticks.items():
            if item_id not in items:
                raise Refused(_("That item is not on this module's checklist."))
            note = (note or "").strip()[:1000]
            check = existing.get(item_id)
            if ticked and check is None:
                ItemCheck.objects.create(
                    progress=progress, item=items[item_id], checked_by=by, checked_at=now, note=note
                )
            elif ticked and check.note != note:
                ItemCheck.objects.filter(pk=check.pk).update(note=note, checked_by=by, checked_at=now)
            elif not ticked and check is not None:
                check.delete()
    return progress


def module_approve(*, progress_id: int, by, note: str = "") -> ModuleProgress:
    """Sign the module off and open the next one."""
    note = (note or "").strip()
    with transaction.atomic():
        progress = _lock_progress(progress_id, by)
        if progress.status == Status.APPROVED:
            return progress
        if not progress.is_workable:
            raise Refused(_("This module is not open yet."))
        module = progress.module
        items = list(module.items.order_by("order", "id"))
        ticked = set(progress.checks.values_list("item_id", flat=True))
        missing = [item for item in items if item.pk not in ticked]
        if missing and module.mandatory:
            raise Refused(
                _("Every item of a mandatory module must be ticked before approval. Not yet: %(items)s.")
                % {"items": "; ".join(item.display_text for item in missing)}
            )
        if missing and not note:
            raise Refused(_("Some items are not ticked: say in the note why the module can be approved anyway."))
        progress.status = Status.APPROVED
        progress.approved_at = timezone.now()
        progress.approved_by = by
        progress.note = note
        progress.save(update_fields=["status", "approved_at", "approved_by", "note"])
        _finish_action(progress)
        _log(
            progress.case,
            by=by,
            note=_("Approved: “%(module)s”.") % {"module": module.display_title} + (f" {note}" if note else ""),
            result="approved",
            progress=progress.pk,
            module=module.pk,
            curriculum=module.curriculum_id,
            version=module.curriculum.version,
            ticked=sorted(ticked),
            unticked=[item.pk for item in missing],
        )
        following = (
            ModuleProgress.objects.select_related("module")
            .filter(case_id=progress.case_id, status=Status.LOCKED)
            .order_by("module__order", "module_id")
            .first()
        )
        if following is not None:
            _open(following, by=by, case=progress.case)
    return progress


def module_return(*, progress_id: int, by, missing_item_ids: list[int], note: str) -> ModuleProgress:
    """Send the module back: untick what the participant has not shown yet, and say what is missing."""
    note = (note or "").strip()
    if not note:
        raise Refused(_("Say what is missing."))
    with transaction.atomic():
        progress = _lock_progress(progress_id, by)
        if not progress.is_workable:
            raise Refused(_("Only a module in progress can be sent back."))
        module = progress.module
        missing = list(module.items.filter(pk__in=missing_item_ids or []).order_by("order", "id"))
        ItemCheck.objects.filter(progress=progress, item__in=missing).delete()
        progress.status = Status.RETURNED
        progress.note = note
        _finish_action(progress)
        action = NextAction.objects.create(
            case=progress.case,
            title=(_("Go through what is missing in “%(module)s”") % {"module": module.display_title})[:200],
            due_date=timezone.localdate() + timedelta(days=RETURN_FOLLOW_UP_DAYS),
            owner=progress.case.adviser or by,
            created_by=by,
        )
        progress.next_action = action
        progress.save(update_fields=["status", "note", "next_action"])
        missing_text = "; ".join(item.display_text for item in missing)
        _log(
            progress.case,
            by=by,
            note=_("Sent back: “%(module)s”.") % {"module": module.display_title}
            + (" " + _("Missing: %(items)s.") % {"items": missing_text} if missing else "")
            + f" {note}",
            result="returned",
            progress=progress.pk,
            module=module.pk,
            curriculum=module.curriculum_id,
            version=module.curriculum.version,
            missing=[item.pk for item in missing],
        )
    return progress


# --- Editing the curriculum ----------------------------------------------------------------------


def _check_editor(by, programme_id: int) -> None:
    if not access.can_edit_curriculum(by, programme_id):
        raise NotAllowed(_("Only the programme's managers and administrators edit the curriculum."))


def curriculum_draft(*, programme: Programme, by) -> Curriculum:
    """The draft to edit: the existing one, or a copy of the newest published version (copy-on-write)."""
    _check_editor(by, programme.pk)
    with transaction.atomic():
        # Serialise draft creation per programme (the unique constraint is the last line of defence).
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        draft = cs.draft_curriculum(programme.pk)
        if draft is not None:
            return draft
        latest = Curriculum.objects.filter(programme=programme).order_by("-version").first()
        draft = Curriculum.objects.create(
            programme=programme, version=(latest.version + 1) if latest else 1, created_by=by
        )
        if latest is not None:
            _copy_modules(latest, draft)
    return draft


def _copy_modules(source: Curriculum, target: Curriculum) -> None:
    modules = cs.curriculum_with_modules(source)
    copies = Module.objects.bulk_create(
        [
            Module(
                curriculum=target,
                order=m.order,
                title=m.title,
                description=m.description,
                mandatory=m.mandatory,
                duration_days=m.duration_days,
                origin=m,
            )
            for m in modules
        ]
    )
    items, resources = [], []
    for original, copy in zip(modules, copies, strict=True):
        items += [ChecklistItem(module=copy, order=i.order, text=i.text) for i in original.items.all()]
        resources += [
            Resource(module=copy, order=r.order, title=r.title, url=r.url, file=r.file)
            for r in original.resources.all()
        ]
    ChecklistItem.objects.bulk_create(items)
    Resource.objects.bulk_create(resources)


def _draft_module(by, module_id: int) -> Module:
    module = Module.objects.select_related("curriculum").get(pk=module_id)
    _check_editor(by, module.curriculum.programme_id)
    if not module.curriculum.is_draft:
        raise Refused(_("A published version cannot be changed. Edit the draft instead."))
    return module


def _clean_text(value: dict) -> dict:
    return {code: text.strip() for code, text in (value or {}).items() if text and text.strip()}


def module_save(
    *,
    by,
    curriculum: Curriculum,
    module_id: int | None = None,
    title: dict,
    description: dict,
    mandatory: bool,
    duration_days: int,
    items: list[dict],
) -> Module:
    """Create or change a module of the draft with its checklist, in the given order.

    `items` is the whole checklist: [{"id": int | None, "text": {"en": ..., "sv": ...}}, ...]; items
    of the module that are not listed are deleted (a draft has no sign-offs to protect).
    """
    _check_editor(by, curriculum.programme_id)
    if not curriculum.is_draft:
        raise Refused(_("A published version cannot be changed. Edit the draft instead."))
    title = _clean_text(title)
    if not title:
        raise Refused(_("Give the module a title."))
    with transaction.atomic():
        if module_id is None:
            last = curriculum.modules.order_by("-order").values_list("order", flat=True).first()
            module = Module(curriculum=curriculum, order=(last or 0) + 1)
        else:
            module = _draft_module(by, module_id)
            if module.curriculum_id != curriculum.pk:
                raise Refused(_("That module belongs to another version."))
        module.title = title
        module.description = _clean_text(description)
        module.mandatory = mandatory
        module.duration_days = duration_days
        module.save()
        existing = {item.pk: item for item in module.items.all()}
        keep, create, update = set(), [], []
        for order, entry in enumerate(items, start=1):
            text = _clean_text(entry.get("text"))
            if not text:
                continue
            item = existing.get(entry.get("id"))
            if item is None:
                create.append(ChecklistItem(module=module, order=order, text=text))
            else:
                keep.add(item.pk)
                item.order, item.text = order, text
                update.append(item)
        ChecklistItem.objects.filter(module=module).exclude(pk__in=keep).delete()
        ChecklistItem.objects.bulk_update(update, ["order", "text"])
        ChecklistItem.objects.bulk_create(create)
    return module


def module_delete(*, by, module_id: int) -> None:
    with transaction.atomic():
        module = _draft_module(by, module_id)
        module.delete()


def module_move(*, by, module_id: int, direction: int) -> None:
    """Swap the module with its neighbour (direction -1: earlier, +1: later); renumbers 1..n."""
    with transaction.atomic():
        module = _draft_module(by, module_id)
        modules = list(module.curriculum.modules.order_by("order", "id"))
        index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
        other = index + (1 if direction > 0 else -1)
        if 0 <= other < len(modules):
            modules[index], modules[other] = modules[other], modules[index]
        for order, m in enumerate(modules, start=1):
            m.order = order
        Module.objects.bulk_update(modules, ["order"])


def resource_add(*, by, module_id: int, title: dict, url: str = "", file=None) -> Resource:
    title = _clean_text(title)
    if not title:
        raise Refused(_("Give the resource a title."))
    if not url and not file:
        raise Refused(_("Give a link or upload a file."))
    with transaction.atomic():
        module = _draft_module(by, module_id)
        last = module.resources.order_by("-order").values_list("order", flat=True).first()
        return Resource.objects.create(module=module, order=(last or 0) + 1, title=title, url=url, file=file or "")


def resource_delete(*, by, resource_id: int) -> None:
    with transaction.atomic():
        resource = Resource.objects.get(pk=resource_id)
        _draft_module(by, resource.module_id)
        resource.delete()


def curriculum_publish(*, by, curriculum_id: int) -> Curriculum:
    """Make the draft the version that cases entering coaching from now on work through."""
    with transaction.atomic():
        curriculum = Curriculum.objects.select_for_update().get(pk=curriculum_id)
        _check_editor(by, curriculum.programme_id)
        if not curriculum.is_draft:
            return curriculum
        modules = list(curriculum.modules.order_by("order", "id"))
        if not modules:
            raise Refused(_("Add at least one module before publishing."))
        empty = [m for m in modules if not m.items.exists()]
        if empty:
            raise Refused(
                _("Every module needs a checklist. Empty: %(modules)s.")
                % {"modules": "; ".join(localized(m.title) for m in empty)}
            )
        for order, m in enumerate(modules, start=1):
            m.order = order
        Module.objects.bulk_update(modules, ["order"])
        curriculum.published_at = timezone.now()
        curriculum.published_by = by
        curriculum.save(update_fields=["published_at", "published_by"])
    return curriculum


def curriculum_discard_draft(*, by, curriculum_id: int) -> None:
    with transaction.atomic():
        curriculum = Curriculum.objects.select_for_update().get(pk=curriculum_id)
        _check_editor(by, curriculum.programme_id)
        if not curriculum.is_draft:
            raise Refused(_("A published version cannot be discarded."))
        curriculum.delete()
