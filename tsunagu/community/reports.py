"""A supporter report from its arrival to 対応しました (DOMAIN.md §5), one named function
per step. Each runs in one transaction: it refuses a report changed since the user read
it (StaleEditError), writes the report, the audit entry, and whatever the step makes on a
case (a task, a progress note, a new person and case) together.

The reporter is only ever told the status: received, in progress, handled.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import (
    Case,
    CaseState,
    IntakeRoute,
    NoteMethod,
    ProgressNote,
    Task,
    TaskKind,
    TeamRequestKind,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.team import needs_decision, request_join
from tsunagu.community.models import ReportStatus, Supporter, SupporterLink, SupporterReport
from tsunagu.lib.versioning import StaleEditError
from tsunagu.lib.wareki import short_wareki, wareki_moment
from tsunagu.people.models import Person


class TriageError(Exception):
    """A step that may not be taken now; the message is for the user, in Japanese."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def submit_report(supporter: Supporter, data: dict[str, Any], *, link: SupporterLink | None = None) -> SupporterReport:
    """A supporter's report, from their account or their personal link. It reaches the
    district's chief and the centre at once: both inboxes read the same table."""
    district = data["district"]
    neighbourhood = supporter.neighbourhoods.filter(district=district).order_by("name").first()
    now = timezone.now()
    report = SupporterReport(
        supporter=supporter,
        municipality_id=supporter.municipality_id,
        district=district,
        neighbourhood=neighbourhood,
        signs=list(dict.fromkeys(data.get("signs") or [])),
        other_text=(data.get("other_text") or "").strip(),
        place=data["place"].strip(),
        urgency=data["urgency"],
        reporter_contact=(data.get("reporter_contact") or "").strip(),
        submitted_at=now,
        via_link=link is not None,
    )
    with transaction.atomic():
        report.save()
        if link is not None:
            link.last_used_at = now
            link.save(update_fields=["last_used_at"])
        record(
            supporter.account if link is None else None,
            Action.CREATE,
            report,
            changes={"district": district.name, "signs": report.signs, "urgency": report.urgency},
            detail=_("サポーター %(code)s（%(via)s）")
            % {"code": supporter.code, "via": _("リンク") if link else _("アカウント")},
        )
    return report


# Triage ----------------------------------------------------------------------------------


def _lock(report: SupporterReport, version: int) -> SupporterReport:
    current = SupporterReport.objects.select_for_update().get(pk=report.pk)
    if current.version != version:
        raise StaleEditError(current)
    return current


def _note_line(by: Staff, text: str) -> str:
    return f"{wareki_moment(timezone.now())} {by}：{text}".strip()


def _save(report: SupporterReport, by: Staff, fields: list[str], note: str = "") -> None:
    if note.strip():
        report.triage_note = "\n".join(filter(None, [report.triage_note, _note_line(by, note.strip())]))[-5000:]
        fields = [*fields, "triage_note"]
    report.triaged_by = by
    report.triaged_at = timezone.now()
    report.version += 1
    report.save(update_fields=sorted({*fields, "triaged_by", "triaged_at", "version"}))


def _refuse_if_handled(report: SupporterReport) -> None:
    if report.status == ReportStatus.HANDLED:
        raise TriageError(_("この報告はすでに「対応しました」になっています。"))


def mark_in_progress(report: SupporterReport, by: Staff, version: int, note: str = "") -> None:
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        before = report.status
        report.status = ReportStatus.IN_PROGRESS
        _save(report, by, ["status"], note)
        record(by, Action.CHANGE, report, changes={"status": [before, report.status]}, detail=note[:200])


def link_to_person(report: SupporterReport, by: Staff, version: int, person: Person, case: Case | None) -> None:
    """Tie the report to a person the centre knows (and one of their cases). The
    caller has checked that `by` may see the person's whereabouts and write the case."""
    if case is not None and case.person_id != person.pk:
        raise TriageError(_("ケースが相談者と一致しません。"))
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        if report.outreach_open and case is not None and not report.outreach_by.works_in_centre:  # type: ignore[union-attr]
            raise TriageError(
                _("地区チーフが訪問する報告はケースにつなげません。先に訪問する人をセンターの職員に変えてください。")
            )
        report.person = person
        report.case = case
        fields = ["person", "case"]
        if report.status == ReportStatus.RECEIVED:
            report.status = ReportStatus.IN_PROGRESS
            fields.append("status")
        if case is not None and report.outreach_open and report.task_id is None:
            visitor, due = report.outreach_by, report.outreach_due
            if visitor is not None and due is not None:
                report.task = _outreach_task(report, case, by, visitor, due)
                fields.append("task")
        _save(report, by, fields)
        record(
            by,
            Action.CHANGE,
            report,
            person_code=person.code,
            case_code=case.code if case else None,
            changes={"person": str(person.code), "case": str(case.code) if case else ""},
            detail=_("相談者・ケースにつないだ"),
        )
        if case is not None:
            TimelineEntry.objects.create(
                case=case, kind=TimelineKind.DETAILS, actor=by, detail=_("サポーターからの情報をつないだ"), shared=False
            )


def _outreach_task(report: SupporterReport, case: Case, by: Staff, visitor: Staff, due: dt.date) -> Task:
    task = Task.objects.create(
        case=case,
        title=_("訪問（サポーターからの情報: %(place)s）") % {"place": report.place[:100]},
        kind=TaskKind.OUTREACH,
        due_on=due,
        assignee=visitor,
        created_by=by,
    )
    TimelineEntry.objects.create(case=case, kind=TimelineKind.TASK, actor=by, detail=task.title, shared=False)
    record(by, Action.CREATE, task, changes={"title": task.title, "due_on": str(task.due_on), "kind": task.kind})
    return task


def open_outreach(report: SupporterReport, by: Staff, version: int, visitor: Staff, due: dt.date) -> None:
    """Someone goes to look: a centre worker or the district's chief, by a date. On a
    report tied to a case the visit is also a task on the case."""
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        if report.case_id is not None and not (
            visitor.works_in_centre and visitor.agency_id == report.case.agency_id  # type: ignore[union-attr]
        ):
            raise TriageError(
                _("ケースにつながっている報告の訪問は、ケースのセンターの職員が担当します。"), "outreach_by"
            )
        report.outreach_by = visitor
        report.outreach_due = due
        report.outreach_done_at = None
        fields = ["outreach_by", "outreach_due", "outreach_done_at", "status"]
        report.status = ReportStatus.IN_PROGRESS
        if report.case is not None:
            if report.task is not None and report.task.done_at is None:
                report.task.assignee = visitor
                report.task.due_on = due
                report.task.save(update_fields=["assignee", "due_on"])
            else:
                report.task = _outreach_task(report, report.case, by, visitor, due)
                fields.append("task")
        _save(report, by, fields)
        record(
            by,
            Action.CHANGE,
            report,
            changes={"outreach_by": str(visitor), "outreach_due": str(due)},
            detail=_("訪問を決めた"),
        )


def _finish_outreach(report: SupporterReport, by: Staff, at: dt.datetime) -> list[str]:
    report.outreach_done_at = at
    if report.task is not None and report.task.done_at is None:
        report.task.done_at = timezone.now()
        report.task.done_by = by
        report.task.save(update_fields=["done_at", "done_by"])
        TimelineEntry.objects.create(
            case=report.task.case, kind=TimelineKind.TASK_DONE, actor=by, detail=report.task.title, shared=False
        )
    return ["outreach_done_at"]


def _visit_note(case: Case, by: Staff, data: dict[str, Any]) -> ProgressNote:
    note = ProgressNote.objects.create(
        case=case,
        occurred_at=data["occurred_at"],
        method=NoteMethod.HOME_VISIT,
        content=data["content"],
        response=data.get("response", ""),
        next_action=data.get("next_action", ""),
        author=by,
    )
    TimelineEntry.objects.create(
        case=case,
        at=note.occurred_at,
        kind=TimelineKind.NOTE,
        actor=by,
        detail=f"{note.get_method_display()}: {note.content[:60]}",
        shared=False,
    )
    record(
        by,
        Action.CREATE,
        note,
        changes={"method": note.method, "occurred_at": str(note.occurred_at), "content": note.content},
    )
    return note


def record_visit(report: SupporterReport, by: Staff, version: int, data: dict[str, Any]) -> ProgressNote:
    """The outreach visit on a linked case: a 支援経過記録 (訪問) on the case."""
    if report.case is None:
        raise TriageError(_("ケースにつながっていない報告です。ケースを開くか、見守り継続で閉じてください。"))
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        note = _visit_note(report.case, by, data)
        fields = _finish_outreach(report, by, data["occurred_at"])
        _save(report, by, fields, _("訪問を記録した（支援経過記録）"))
        record(by, Action.CHANGE, report, changes={"visit_note": str(note.code)}, detail=_("訪問を記録した"))
    return note


def open_case(report: SupporterReport, by: Staff, version: int, data: dict[str, Any]) -> Case:
    """The visit found someone who needs support: the person (unless the report is
    already tied to one), a case in 把握 (identified) with route supporter_report, and
    the visit as its first note."""
    if not by.works_in_centre or by.agency is None:
        raise TriageError(_("ケースを開けるのはセンターの職員です。"))
    if report.case_id is not None:
        raise TriageError(_("この報告はすでにケースにつながっています。"))
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        person = report.person or _new_person(report, by, data)
        # Her worker sees where she is: under an order that is decided, not taken (cases.team).
        waits = needs_decision(person, by)
        case = Case.objects.create(
            person=person,
            agency=by.agency,
            worker=None if waits else by,
            state=CaseState.IDENTIFIED,
            intake_route=IntakeRoute.SUPPORTER_REPORT,
            summary=_("サポーターからの情報（%(date)s）の訪問で把握。") % {"date": short_wareki(report.submitted_at)},
        )
        TimelineEntry.objects.create(
            case=case,
            at=case.created_at,
            kind=TimelineKind.OPENED,
            actor=by,
            to_state=case.state,
            detail=case.get_intake_route_display(),
        )
        record(by, Action.CREATE, case, changes={"state": case.state, "intake_route": case.intake_route})
        if waits:
            request_join(case, by, by, TeamRequestKind.WORKER)
        _visit_note(case, by, data)
        report.person = person
        report.case = case
        fields = ["person", "case", *_finish_outreach(report, by, data["occurred_at"])]
        _save(report, by, fields, _("訪問でケースを開いた"))
        record(
            by,
            Action.CHANGE,
            report,
            person_code=person.code,
            case_code=case.code,
            changes={"case": str(case.code)},
            detail=_("ケースを開いた"),
        )
    return case


def _new_person(report: SupporterReport, by: Staff, data: dict[str, Any]) -> Person:
    person = Person(
        municipality_id=report.municipality_id,
        family_name=data["family_name"].strip(),
        given_name=data["given_name"].strip(),
        family_name_kana=data["family_name_kana"],
        given_name_kana=data["given_name_kana"],
        address=(data.get("address") or report.place).strip(),
        district=report.district,
        created_by=by,
    )
    person.save()
    record(
        by,
        Action.CREATE,
        person,
        changes={"full_name": person.full_name, "address": person.address, "district": report.district.name},
    )
    return person


def close_without_concern(report: SupporterReport, by: Staff, version: int, note: str) -> None:
    """見守り継続・問題なし: the visit found no need of support; the supporter keeps watching."""
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        now = timezone.now()
        fields = ["status", "handled_at"]
        if report.outreach_by_id is not None and report.outreach_done_at is None:
            fields += _finish_outreach(report, by, now)
        before = report.status
        report.status = ReportStatus.HANDLED
        report.handled_at = now
        _save(report, by, fields, _("見守り継続・問題なし: %(note)s") % {"note": note})
        record(
            by,
            Action.CHANGE,
            report,
            changes={"status": [before, report.status]},
            detail=_("見守り継続・問題なし"),
        )


def mark_handled(report: SupporterReport, by: Staff, version: int, note: str = "") -> None:
    """対応しました: what the reporter will see. What was found stays here."""
    with transaction.atomic():
        _lock(report, version)
        _refuse_if_handled(report)
        before = report.status
        report.status = ReportStatus.HANDLED
        report.handled_at = timezone.now()
        _save(report, by, ["status", "handled_at"], note)
        record(by, Action.CHANGE, report, changes={"status": [before, report.status]}, detail=note[:200])
