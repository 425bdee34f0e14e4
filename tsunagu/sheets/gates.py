"""What the moves of a case need written on the standard forms first (docs/architecture.md,
"The flow of a case"): the intake sheet's application and consent before 申込, an
assessment before プラン案, a plan the person agreed to before 支援調整会議 and 支援決定.
SheetsConfig.ready() adds them to the moves (cases.transitions.require)."""

from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from tsunagu.cases.models import CaseState as S
from tsunagu.cases.transitions import Requirement, require
from tsunagu.sheets.models import AssessmentSheet, IntakeSheet, PlanSheet, current_version


def _applied(sheet: Any) -> bool:
    return sheet is not None and sheet.applied and bool(sheet.applied_on) and bool(sheet.consent_method)


def _written(sheet: Any) -> bool:
    return sheet is not None


def _agreed(sheet: Any) -> bool:
    return sheet is not None and sheet.agreed


APPLICATION = Requirement(
    _("相談受付・申込票"),
    _("申込と同意"),
    "sheets:intake",
    "IntakeSheet",
    _applied,
    partial(current_version, IntakeSheet),
)
ASSESSMENT = Requirement(
    _("インテーク・アセスメントシート"),
    _("アセスメント"),
    "sheets:assessment",
    "AssessmentSheet",
    _written,
    partial(current_version, AssessmentSheet),
)
AGREED_PLAN = Requirement(
    _("プラン兼事業等利用申込書"),
    _("本人が同意したプラン"),
    "sheets:plan",
    "PlanSheet",
    _agreed,
    partial(current_version, PlanSheet),
)

GATES = (
    (S.SCREENING, S.APPLIED, APPLICATION),
    (S.ASSESSMENT, S.PLAN_DRAFT, ASSESSMENT),
    (S.PLAN_DRAFT, S.COORDINATION, AGREED_PLAN),
    (S.COORDINATION, S.DECIDED, AGREED_PLAN),
)


def register() -> None:
    for source, target, need in GATES:
        require(source, target, need)
