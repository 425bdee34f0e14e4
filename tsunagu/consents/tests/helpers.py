"""Helpers of the consents tests (fixtures are in conftest.py)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagu.cases.models import ProgressNote
from tsunagu.consents.models import Category, Consent, Method, Purpose
from tsunagu.sheets.models import PlanItem, PlanSheet

NOTICE = "本人の同意の範囲外のため表示できません"


def give_consent(person: Any, by: Any, agencies: Any = (), **fields: Any) -> Consent:
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


def add_note(case: Any, author: Any, content: str, shared: bool) -> ProgressNote:
    return ProgressNote.objects.create(
        case=case,
        author=author,
        method="phone",
        content=content,
        shared_with_team=shared,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
    )


def make_plan(case: Any, by: Any, agency: Any) -> PlanSheet:
    today = timezone.localdate()
    plan = PlanSheet.objects.create(
        case=case,
        version=1,
        recorded_by=by,
        long_term_goal="住まいを失わずに、また山の仕事をする。",
        short_term_goals="家賃の分納を続ける。",
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        next_evaluation_on=today + dt.timedelta(days=90),
        agreed_on=today,
        agreement_method="signature",
    )
    PlanItem.objects.create(
        plan=plan,
        position=0,
        issue="debt",
        goal="大家さんと分納を合意する",
        support="大家さんとの話し合いに同席",
        provider_agency=agency,
        provider_worker="渡辺",
        period="3か月",
        frequency="月1回",
    )
    PlanItem.objects.create(
        plan=plan,
        position=1,
        issue="mental_health",
        goal="心療内科への通院を続ける",
        support="通院の同行",
        provider_agency=agency,
        period="6か月",
    )
    return plan
