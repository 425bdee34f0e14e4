"""The standard forms a case needs before its moves (cases/transitions.py), written
directly for tests that start a case further along the path."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagu.cases.models import Case
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
