"""Records written directly for tests, with plain defaults: the standard forms a case
needs before its moves (cases/transitions.py) for tests that start a case further along
the path, and the notes, consents, orders and meetings that many apps' tests set up."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagu.cases.models import Case, ProgressNote
from tsunagu.consents.models import Category, Consent, Method, Purpose
from tsunagu.meetings.models import Meeting, MeetingKind
from tsunagu.people.models import ConfidentialitySource, Person, WhereaboutsConfidentiality
from tsunagu.sheets.models import AssessmentSheet, IntakeSheet, PlanSheet, current_version


def _next(model: Any, case: Case) -> int:
    latest = current_version(model, case)
    return (latest.version if latest else 0) + 1


def write_intake(case: Case, by: Any, *, applied: bool = True, **extra: Any) -> IntakeSheet:
    """A 相談受付・申込票 with the application and its consent (申込・同意)."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "received_on": case.opened_on,
        "receiving_worker": by,
        "concerns": ["income"],
        "primary_concern": "income",
        "work_status": "job_seeking",
        "housing_status": "rented",
        "insurance": "national",
        "pension": "unpaid",
        "applied": applied,
        "applied_on": today if applied else None,
        "consent_method": "signature" if applied else "",
        "consent_purposes": ["team"] if applied else [],
        **extra,
    }
    return IntakeSheet.objects.create(case=case, version=_next(IntakeSheet, case), recorded_by=by, **values)


def write_assessment(case: Case, by: Any, **extra: Any) -> AssessmentSheet:
    values: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "issues": ["economic_hardship"],
        "disability_certificate": "none",
        "suicide_risk": "none",
        **extra,
    }
    return AssessmentSheet.objects.create(case=case, version=_next(AssessmentSheet, case), recorded_by=by, **values)


def write_plan(case: Case, by: Any, *, agreed: bool = True, **extra: Any) -> PlanSheet:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "long_term_goal": "安定した仕事と住まい",
        "period_start": today,
        "period_end": today + dt.timedelta(days=180),
        "next_evaluation_on": today + dt.timedelta(days=90),
        "agreed_on": today if agreed else None,
        "agreement_method": "signature" if agreed else "",
        **extra,
    }
    return PlanSheet.objects.create(case=case, version=_next(PlanSheet, case), recorded_by=by, **values)


def write_records(case: Case, by: Any) -> None:
    """Every record the path up to 支援決定 asks for: application, assessment, agreed plan."""
    write_intake(case, by)
    write_assessment(case, by)
    write_plan(case, by)


def write_note(
    case: Case,
    author: Any,
    content: str,
    *,
    shared: bool = False,
    ago: dt.timedelta = dt.timedelta(days=1),
    method: str = "phone",
) -> ProgressNote:
    """A note (of a phone call unless said) written `ago` (a day by default), shared with
    the team or not."""
    written = {"method": method, "content": content, "shared_with_team": shared}
    return ProgressNote.objects.create(case=case, author=author, occurred_at=timezone.now() - ago, **written)


def give_consent(person: Person, by: Any, agencies: Any = (), **fields: Any) -> Consent:
    """A consent on paper, given three days ago, to share basic information for team work
    with `agencies`; any field can be given instead."""
    consent = Consent.objects.create(
        person=person,
        purposes=fields.pop("purposes", [Purpose.TEAM]),
        categories=fields.pop("categories", [Category.BASIC]),
        method=fields.pop("method", Method.SIGNATURE),
        given_on=fields.pop("given_on", timezone.localdate() - dt.timedelta(days=3)),
        recorded_by=by,
        **fields,
    )
    consent.agencies.set(list(agencies))
    return consent


def referral_consent(case: Case, by: Any, agency: Any, **fields: Any) -> Consent:
    """The case's person consented to be referred to `agency` (basic information unless said)."""
    return give_consent(case.person, by, [agency], case=case, purposes=[Purpose.REFERRAL], **fields)


def protect(person: Person, by: Any, **fields: Any) -> WhereaboutsConfidentiality:
    """An order of whereabouts confidentiality from the resident register, in force from
    today for a year against a former spouse (not yet confirmed); any field can be given."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "source": ConfidentialitySource.RESIDENT_REGISTER,
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=365),
        "protects_against": "元配偶者",
        **fields,
    }
    return WhereaboutsConfidentiality.objects.create(person=person, requested_by=by, **values)


def make_meeting(w: Any, kind: str, days: int = 0, chair: Any = None, **extra: Any) -> Meeting:
    """A meeting of `w.town` held `days` from today, chaired (and created) by `w.chief`
    unless said, titled by its kind unless said."""
    chair = chair or w.chief
    return Meeting.objects.create(
        municipality=extra.pop("municipality", w.town),
        kind=kind,
        title=extra.pop("title", str(MeetingKind(kind).label)),
        held_on=extra.pop("held_on", timezone.localdate() + dt.timedelta(days=days)),
        chair=chair,
        created_by=extra.pop("created_by", chair),
        **extra,
    )
