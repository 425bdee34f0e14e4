"""Fixtures of the referral tests, on top of the root `world`:

- housing_consent: taro consented on paper to send his basic information and plan to
  the 居住支援法人 (the agency of `partner_outsider`) for a referral
- plan, assessment: taro's current plan (one ordinary row, one about mental health)
  and assessment (ordinary and 要配慮 fields)
- shared_note / private_note: a progress note shared with the team and one that is not
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.cases.models import ProgressNote
from tsunagu.consents.models import Category, Consent
from tsunagu.sheets.models import AssessmentSheet, PlanItem, PlanSheet
from tsunagu.tests.records import referral_consent, write_note, write_plan


@pytest.fixture
def housing_consent(world: Any) -> Consent:
    return referral_consent(world.case, world.consultant, world.housing, categories=[Category.BASIC, Category.PLAN])


@pytest.fixture
def plan(world: Any) -> PlanSheet:
    sheet = write_plan(
        world.case,
        world.consultant,
        agreed=False,
        long_term_goal="安定した住まいで働きながら暮らす",
        short_term_goals="家賃の滞納を解消する",
        programmes=["housing_benefit"],
    )
    PlanItem.objects.create(plan=sheet, position=1, issue="unstable_housing", goal="転居先を見つける")
    PlanItem.objects.create(plan=sheet, position=2, issue="mental_health", goal="通院を続ける（秘密の通院）")
    return sheet


@pytest.fixture
def assessment(world: Any) -> AssessmentSheet:
    return AssessmentSheet.objects.create(
        case=world.case,
        version=1,
        recorded_by=world.consultant,
        assessed_on=timezone.localdate(),
        work_history="製造業で20年勤務",
        debts="消費者金融に30万円",
        debt_total=300000,
        mental_health="うつ病で通院中（秘密）",
        criminal_record="前歴あり（秘密）",
        victimisation="",
        issues=["economic_hardship", "mental_health", "former_offender"],
    )


@pytest.fixture
def shared_note(world: Any) -> ProgressNote:
    return write_note(
        world.case, world.consultant, "大家さんと家賃の相談をした（共有）", shared=True, ago=dt.timedelta(days=2)
    )


@pytest.fixture
def private_note(world: Any) -> ProgressNote:
    return write_note(world.case, world.consultant, "家族の事情を聞いた（センター内だけ）", method="visit_centre")
