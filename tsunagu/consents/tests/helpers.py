"""Helpers of the consents tests (fixtures are in conftest.py)."""

import datetime as dt
from typing import Any

from tsunagu.cases.models import ProgressNote
from tsunagu.sheets.models import PlanItem, PlanSheet
from tsunagu.tests.records import write_note, write_plan

NOTICE = "本人の同意の範囲外のため表示できません"


def add_note(case: Any, author: Any, content: str, shared: bool) -> ProgressNote:
    return write_note(case, author, content, shared=shared, ago=dt.timedelta(hours=2))


def make_plan(case: Any, by: Any, agency: Any) -> PlanSheet:
    plan = write_plan(
        case, by, long_term_goal="住まいを失わずに、また山の仕事をする。", short_term_goals="家賃の分納を続ける。"
    )
    items = [
        {
            "issue": "debt",
            "goal": "大家さんと分納を合意する",
            "support": "大家さんとの話し合いに同席",
            "provider_worker": "渡辺",
            "period": "3か月",
            "frequency": "月1回",
        },
        {"issue": "mental_health", "goal": "心療内科への通院を続ける", "support": "通院の同行", "period": "6か月"},
    ]
    for position, item in enumerate(items):
        PlanItem.objects.create(plan=plan, position=position, provider_agency=agency, **item)
    return plan
