"""What the case page shows of this app (cases.panels.CASE_PANELS, registered in
SheetsConfig.ready()): the checklist of the case's record — which standard forms exist,
their version and agreement, and what the next step still needs (cases/transitions.py,
sheets/gates.py) — with printed forms only for written sheets."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase
from tsunagu.cases.models import Case
from tsunagu.cases.transitions import MOVES, Move, Requirement, available_moves
from tsunagu.consents.models import ISSUE_CATEGORIES, Category, ConsentScope, scope_on_case
from tsunagu.sheets.models import (
    AssessmentSheet,
    EvaluationSheet,
    IntakeSheet,
    PlanSheet,
    SupportDecision,
    current_version,
)


@dataclass
class ChecklistRow:
    label: Promise
    url: str
    sheet: Any  # the latest version, or None
    pdf: str = ""
    xlsx: str = ""
    note: str = ""
    done: bool = False


def _row(case: Case, label: Promise, kind: str, sheet: Any, *, xlsx: bool = False, note: str = "") -> ChecklistRow:
    code = case.code
    row = ChecklistRow(
        label, reverse(f"sheets:{kind}", kwargs={"code": code}), sheet, note=note, done=sheet is not None
    )
    if sheet is not None:
        row.pdf = reverse("sheets:pdf", kwargs={"code": code, "kind": kind})
        row.xlsx = reverse("sheets:xlsx", kwargs={"code": code, "kind": kind}) if xlsx else ""
    return row


def _next_moves(case: Case, user: Staff, latest: dict[str, Any]) -> list[tuple[Move, tuple[Requirement, ...], bool]]:
    """The ordinary next steps from the case's state and what each still needs; `mine`
    says whether the reader may make it (the officer reads what the worker needs)."""
    mine = {id(m) for m in available_moves(case, user)}
    steps = [m for m in MOVES if case.state in m.sources and (m.main or m.needs)]
    return [(m, m.missing(case, latest), id(m) in mine) for m in steps]


def _plan_summary(scope: ConsentScope, case: Case) -> dict[str, Any] | None:
    """A read-only summary of the current plan for a partner whose consents cover it; rows
    about 要配慮 issues only with their own category. Two queries."""
    if not scope.covers(Category.PLAN):
        return None
    plan: PlanSheet | None = current_version(PlanSheet, case)
    if plan is None:
        return None
    items = list(plan.items.select_related("provider_agency"))
    shown = [item for item in items if scope.issue_visible(item.issue)]
    # Rows about a 要配慮 issue are left out without a trace: a gap would tell.
    scope.show(Category.PLAN, *(ISSUE_CATEGORIES[item.issue] for item in shown if item.issue in ISSUE_CATEGORIES))
    return {"sheet": plan, "items": shown}


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    if not seen.full:
        # A partner on the team: the plan as far as the consents go, in the consents panel.
        return {"checklist": None, "team_plan": _plan_summary(scope_on_case(user, seen), seen.case)}
    case = seen.case
    intake = current_version(IntakeSheet, case)
    assessment = current_version(AssessmentSheet, case)
    plan = current_version(PlanSheet, case)
    evaluation = current_version(EvaluationSheet, case)
    decisions = SupportDecision.objects.filter(case=case).count()
    application = ""
    if intake is not None:
        application = str(_("申込・同意あり") if intake.applied and intake.consent_method else _("申込・同意なし"))
    agreement = ""
    if plan is not None:
        agreement = str(_("本人が同意済み") if plan.agreed else _("本人の同意待ち"))
    rows = [
        _row(case, _("相談受付・申込票"), "intake", intake, xlsx=True, note=application),
        _row(case, _("インテーク・アセスメントシート"), "assessment", assessment),
        _row(case, _("プラン兼事業等利用申込書"), "plan", plan, xlsx=True, note=agreement),
        _row(case, _("評価シート"), "evaluation", evaluation),
    ]
    decided = ChecklistRow(
        _("支援決定"), reverse("sheets:decisions", kwargs={"code": case.code}), None, done=decisions > 0
    )
    if decisions:
        decided.note = str(_("%(n)s件") % {"n": decisions})
        decided.pdf = reverse("sheets:pdf", kwargs={"code": case.code, "kind": "decisions"})
    rows.append(decided)
    latest = {"IntakeSheet": intake, "AssessmentSheet": assessment, "PlanSheet": plan}
    return {"checklist": {"rows": rows, "next": _next_moves(case, user, latest), "plan": plan}}
