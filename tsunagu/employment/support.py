"""Every change of employment records: one named function each, writing the record,
its audit entry, the case's timeline entry and any task in one transaction (STYLE.md
principle 6). Edits carry the version they were read at (lib.versioning)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import (
    Case,
    CaseTeamMember,
    Task,
    TaskKind,
    TeamRequest,
    TeamRequestKind,
    TeamRole,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.team import join_team
from tsunagu.employment.models import (
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    JobSeekerProfile,
    Opening,
    Placement,
    Step,
    WorkHistory,
)
from tsunagu.lib.versioning import changed_fields, save_if_current
from tsunagu.lib.wareki import format_wareki
from tsunagu.sheets.models import current_version
from tsunagu.sheets.rules import add_months
from tsunagu.sheets.views import append_version


def _timeline(case: Case, by: Staff, detail: str) -> None:
    # Employment entries stay with full access: a partner sees the timeline's shared
    # entries under PROGRESS, which does not cover employment.
    TimelineEntry.objects.create(case=case, kind=TimelineKind.EMPLOYMENT, actor=by, detail=detail[:500], shared=False)


def _field_labels(obj: Any, names: Any) -> str:
    return "、".join(str(obj._meta.get_field(name).verbose_name) for name in names)


def _values_for_audit(obj: Any, fields: tuple[str, ...]) -> dict[str, str]:
    return {name: str(getattr(obj, name)) for name in fields}


# The profile ----------------------------------------------------------------------------


def save_profile(
    case: Case,
    by: Staff,
    base_version: int,
    values: dict[str, Any],
    districts: list[Any],
    history: list[dict[str, Any]],
) -> tuple[JobSeekerProfile, CaseTeamMember | TeamRequest | None]:
    """Append a version of the job-seeker profile with its work history rows, and put the
    就労支援員 it names on the case team (supporter_to_team). Raises StaleEditError when
    another version was saved since the form was read, and then writes nothing."""
    with transaction.atomic():
        previous = latest_profile(case)
        profile: JobSeekerProfile = append_version(
            JobSeekerProfile, case, by, base_version, values, m2m={"wished_districts": districts}
        )
        WorkHistory.objects.bulk_create(
            [WorkHistory(profile=profile, position=i, **row) for i, row in enumerate(history)]
        )
        joined = supporter_to_team(case, profile, previous, by)
    return profile, joined


def supporter_to_team(
    case: Case, profile: JobSeekerProfile, previous: JobSeekerProfile | None, by: Staff
) -> CaseTeamMember | TeamRequest | None:
    """The 就労支援員 named on the profile joins the case team through the cases app's one
    rule (cases.team.join_team): for a person under whereabouts confidentiality that is a
    request the chief decides, never a membership. Nothing is done when they are already
    the worker or on the team, nor when the same supporter stays named and a request for
    them was already made (a refusal stands until someone else is named)."""
    staff = profile.supporter
    if staff is None or case.worker_id == staff.pk or case.team.filter(staff=staff).exists():
        return None
    renamed = previous is None or previous.supporter_id != staff.pk
    asked = TeamRequest.objects.filter(case=case, staff=staff, kind=TeamRequestKind.MEMBER).exists()
    if asked and not renamed:
        return None
    return join_team(case, staff, by, team_role=TeamRole.EMPLOYMENT)


def latest_profile(case: Case) -> JobSeekerProfile | None:
    profile: JobSeekerProfile | None = current_version(JobSeekerProfile, case)
    return profile


# Employers, 求人開拓, openings ----------------------------------------------------------------


def create_employer(employer: Employer, districts: Any = None) -> Employer:
    with transaction.atomic():
        employer.save()
        record(
            employer.created_by, Action.CREATE, employer, changes=_values_for_audit(employer, Employer.CONTENT_FIELDS)
        )
    return employer


def change_employer(employer: Employer, before: Employer, version: int, by: Staff) -> None:
    with transaction.atomic():
        save_if_current(employer, version, Employer.CONTENT_FIELDS)
        record(by, Action.CHANGE, employer, changes=changed_fields(before, employer, Employer.CONTENT_FIELDS))


def log_contact(contact: JobDevelopment, by: Staff) -> JobDevelopment:
    """A 求人開拓 visit or call, appended to the employer's log."""
    with transaction.atomic():
        contact.staff = contact.staff or by
        contact.save()
        record(
            by,
            Action.CREATE,
            contact,
            changes={
                "employer": contact.employer.name,
                "contacted_on": str(contact.contacted_on),
                "method": contact.method,
                "outcome": contact.outcome,
            },
        )
    return contact


def create_opening(opening: Opening) -> Opening:
    with transaction.atomic():
        opening.save()
        record(opening.created_by, Action.CREATE, opening, changes=_values_for_audit(opening, Opening.CONTENT_FIELDS))
    return opening


def change_opening(opening: Opening, before: Opening, version: int, by: Staff) -> None:
    with transaction.atomic():
        save_if_current(opening, version, Opening.CONTENT_FIELDS)
        record(by, Action.CHANGE, opening, changes=changed_fields(before, opening, Opening.CONTENT_FIELDS))


def close_opening(opening: Opening, version: int, by: Staff, on: dt.date | None = None) -> None:
    """The opening stops taking applicants; it stays on file and in searches."""
    before_closed = opening.closed_on
    opening.closed_on = on or timezone.localdate()
    with transaction.atomic():
        save_if_current(opening, version, ("closed_on",))
        record(by, Action.CHANGE, opening, changes={"closed_on": [str(before_closed), str(opening.closed_on)]})


# Steps ------------------------------------------------------------------------------------


def _step_label(step: Step) -> str:
    where = step.opening.title if step.opening_id and step.opening else ""
    employer = step.employer.name if step.employer_id and step.employer else ""
    if step.opening_id and step.opening:
        employer = step.opening.employer_label
    return "、".join(p for p in (employer, where) if p)


def record_step(step: Step, by: Staff) -> Step:
    with transaction.atomic():
        step.recorded_by = by
        step.save()
        record(
            by,
            Action.CREATE,
            step,
            changes={"kind": step.kind, "on": str(step.on), "result": step.result, "where": _step_label(step)},
        )
        _timeline(
            step.case,
            by,
            _("%(kind)s（%(on)s、%(where)s）：%(result)s")
            % {
                "kind": step.get_kind_display(),
                "on": format_wareki(step.on),
                "where": _step_label(step) or _("事業所の記録なし"),
                "result": step.get_result_display(),
            },
        )
    return step


def record_step_result(step: Step, before: Step, version: int, by: Staff) -> None:
    with transaction.atomic():
        save_if_current(step, version, ("result", "note"))
        record(by, Action.CHANGE, step, changes=changed_fields(before, step, ("result", "note")))
        _timeline(
            step.case,
            by,
            _("%(kind)s（%(on)s）の結果：%(result)s")
            % {"kind": step.get_kind_display(), "on": format_wareki(step.on), "result": step.get_result_display()},
        )


# Placements and 定着支援 -----------------------------------------------------------------------


def follow_up_months() -> list[int]:
    return list(settings.TSUNAGU_RETENTION_FOLLOW_UP_MONTHS)


def follow_up_assignee(case: Case, by: Staff) -> Staff:
    """The job-seeker's 就労支援員 (on the profile), else the case's worker, else the
    one who recorded the placement."""
    profile = latest_profile(case)
    if profile is not None and profile.supporter is not None:
        return profile.supporter
    return case.worker or by


def follow_up_title(months: int, employer: str) -> str:
    """A 定着支援 task's title; it names the employer (panels.hide_workplaces masks it)."""
    return (_("定着支援（就労%(months)sか月）：%(employer)s") % {"months": months, "employer": employer})[:200]


def record_placement(placement: Placement, by: Staff) -> Placement:
    """就労: the placement, and one 定着支援 follow-up per configured month, each a task
    of the 就労支援員 on the case (TaskKind.RETENTION)."""
    case = placement.case
    assignee = follow_up_assignee(case, by)
    with transaction.atomic():
        placement.recorded_by = by
        placement.save()
        record(by, Action.CREATE, placement, changes=_values_for_audit(placement, Placement.CONTENT_FIELDS))
        for months in follow_up_months():
            due = add_months(placement.started_on, months)
            task = Task.objects.create(
                case=case,
                title=follow_up_title(months, placement.employer_label),
                kind=TaskKind.RETENTION,
                due_on=due,
                assignee=assignee,
                created_by=by,
            )
            FollowUp.objects.create(placement=placement, months=months, due_on=due, task=task)
        _timeline(
            case,
            by,
            _("就労：%(employer)s（%(type)s、%(start)sから）")
            % {
                "employer": placement.employer_label,
                "type": placement.get_employment_type_display(),
                "start": format_wareki(placement.started_on),
            },
        )
    return placement


def record_follow_up(follow_up: FollowUp, before: FollowUp, version: int, by: Staff) -> None:
    """A 定着支援 follow-up done: its record, and its task ticked off."""
    fields = ("done_on", "still_working", "note", "recorded_by")
    follow_up.recorded_by = by
    placement = follow_up.placement
    with transaction.atomic():
        save_if_current(follow_up, version, fields)
        record(
            by,
            Action.CHANGE,
            follow_up,
            case_code=placement.case.code,
            changes=changed_fields(before, follow_up, fields[:3]),
        )
        task = follow_up.task
        if task is not None and task.done_at is None:
            task.done_at, task.done_by = timezone.now(), by
            task.save(update_fields=["done_at", "done_by"])
            record(by, Action.CHANGE, task, changes={"done": True})
        _timeline(
            placement.case,
            by,
            _("定着支援（就労%(months)sか月）：%(state)s")
            % {
                "months": follow_up.months,
                "state": _("就労を継続") if follow_up.still_working else _("就労していない"),
            },
        )


def end_placement(placement: Placement, before: Placement, version: int, by: Staff) -> None:
    """Leaving a job: the date and the reason on the placement; the follow-ups still
    open are closed with a note (there is no job to follow up)."""
    fields = Placement.END_FIELDS
    with transaction.atomic():
        save_if_current(placement, version, fields)
        record(by, Action.CHANGE, placement, changes=changed_fields(before, placement, fields))
        open_tasks = Task.objects.filter(
            pk__in=placement.follow_ups.filter(done_on__isnull=True).values("task_id"), done_at__isnull=True
        )
        for task in open_tasks:
            task.done_at, task.done_by = timezone.now(), by
            task.closing_note = _("離職のため終了")
            task.save(update_fields=["done_at", "done_by", "closing_note"])
            record(by, Action.CHANGE, task, changes={"done": True, "closing_note": task.closing_note})
        _timeline(
            placement.case,
            by,
            _("離職：%(employer)s（%(day)s、%(reason)s）")
            % {
                "employer": placement.employer_label,
                "day": format_wareki(placement.ended_on) if placement.ended_on else "",
                "reason": placement.get_end_reason_display(),
            },
        )


# 増収 -------------------------------------------------------------------------------------


def record_income_rise(rise: IncomeRise, by: Staff) -> IncomeRise:
    with transaction.atomic():
        rise.recorded_by = by
        rise.save()
        record(by, Action.CREATE, rise, changes=_values_for_audit(rise, IncomeRise.CONTENT_FIELDS))
        _timeline(
            rise.case,
            by,
            _("増収（%(source)s）：月%(before)s円→%(after)s円（%(on)s）")
            % {
                "source": rise.get_source_display(),
                "before": f"{rise.income_before:,}",
                "after": f"{rise.income_after:,}",
                "on": format_wareki(rise.risen_on),
            },
        )
    return rise


# Corrections -------------------------------------------------------------------------------


def correct(obj: Any, before: Any, version: int, by: Staff, fields: tuple[str, ...], case: Case) -> list[str]:
    """Correct a saved step, placement (with its leaving), follow-up or income rise: the
    fields are saved with the model's `save()` (so that what keeps figures hears of it) if
    the record is still at `version` (else StaleEditError, nothing written); the old and
    new values go to the audit trail, which keeps every earlier value, and the case's
    timeline says what was corrected. Returns the names of the fields that changed
    (none: nothing is written)."""
    changes = changed_fields(before, obj, fields)
    if not changes:
        return []
    with transaction.atomic():
        save_if_current(obj, version, fields)
        record(by, Action.CHANGE, obj, case_code=case.code, changes=changes, detail=_("訂正"))
        if isinstance(obj, Placement) and ({"started_on", "employer", "employer_name"} & changes.keys()):
            _move_follow_ups(obj, by)
        _timeline(
            case,
            by,
            _("%(record)sを訂正：%(fields)s")
            % {"record": obj._meta.verbose_name, "fields": _field_labels(obj, changes)},
        )
    return list(changes)


def _move_follow_ups(placement: Placement, by: Staff) -> None:
    """A corrected start date (or employer) moves the follow-ups not yet done, and their
    open tasks, to the corrected dates (and titles)."""
    for follow_up in placement.follow_ups.filter(done_on__isnull=True).select_related("task"):
        due = add_months(placement.started_on, follow_up.months)
        if follow_up.due_on != due:
            record(
                by,
                Action.CHANGE,
                follow_up,
                case_code=placement.case.code,
                changes={"due_on": [str(follow_up.due_on), str(due)]},
            )
            follow_up.due_on, follow_up.version = due, follow_up.version + 1
            follow_up.save(update_fields=["due_on", "version"])
        task = follow_up.task
        if task is not None and task.done_at is None:
            task.due_on = due
            task.title = follow_up_title(follow_up.months, placement.employer_label)
            task.save(update_fields=["due_on", "title"])
