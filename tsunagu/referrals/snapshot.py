"""What a referral carries: the content of the chosen categories, frozen at sending.

The snapshot is plain JSON (labels and text as they read on the day it was sent), so
the receiving agency sees what was sent even if the record changes afterwards, and
nothing of the person that was not sent. Shape:

    {"taken_at": iso, "categories": [...], "name": "…" (only with BASIC),
     "self_contact": bool, "sections": [{"category", "title", "rows": [[label, value, kind]],
     "items": [...], "notes": [...]}]}

A row's kind is "location" for the address, district and contact details, which are
withheld at display when the person is under whereabouts confidentiality by then.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.cases.models import Case, CaseConcern, Concern
from tsunagu.consents.models import Category
from tsunagu.lib.wareki import age_on, format_wareki
from tsunagu.sheets.models import AssessmentSheet, Issue, PlanSheet, current_version

LOCATION = "location"
# How many of the notes shared with the team go with PROGRESS.
PROGRESS_NOTES = 10

# 要配慮個人情報 by category: the assessment fields, the issues of the checklist, and
# the 主訴 that belong to each. Everything sensitive is listed here exactly once
# (a test checks this against SENSITIVE_FIELDS and SENSITIVE_ISSUES).
SENSITIVE_FIELDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    Category.HEALTH: (
        "health",
        "disability_certificate",
        "disability_detail",
        "mental_health",
        "addictions",
        "suicide_risk",
    ),
    Category.CRIMINAL_RECORD: ("criminal_record",),
    Category.VICTIMISATION: ("victimisation",),
}
SENSITIVE_ISSUES_BY_CATEGORY: dict[str, frozenset[str]] = {
    Category.HEALTH: frozenset(
        {
            Issue.ILLNESS,
            Issue.INJURY,
            Issue.DISABILITY_CERTIFIED,
            Issue.DISABILITY_SUSPECTED,
            Issue.MENTAL_HEALTH,
            Issue.SUICIDE_ATTEMPT,
        }
    ),
    Category.CRIMINAL_RECORD: frozenset({Issue.FORMER_OFFENDER}),
    Category.VICTIMISATION: frozenset({Issue.ABUSE}),
}
SENSITIVE_CONCERNS_BY_CATEGORY: dict[str, frozenset[str]] = {
    Category.HEALTH: frozenset({Concern.HEALTH}),
    Category.VICTIMISATION: frozenset({Concern.ABUSE}),
}
SENSITIVE_ISSUES_ALL = frozenset().union(*SENSITIVE_ISSUES_BY_CATEGORY.values())
SENSITIVE_CONCERNS_ALL = frozenset().union(*SENSITIVE_CONCERNS_BY_CATEGORY.values())
CATEGORY_TITLES: dict[str, Promise] = {
    Category.BASIC: gettext_lazy("基本情報"),
    Category.PLAN: gettext_lazy("プラン"),
    Category.PROGRESS: gettext_lazy("支援経過"),
    Category.ASSESSMENT: gettext_lazy("アセスメント"),
    Category.HEALTH: gettext_lazy("病気・障害・メンタルヘルス（要配慮個人情報）"),
    Category.CRIMINAL_RECORD: gettext_lazy("犯罪の経歴（要配慮個人情報）"),
    Category.VICTIMISATION: gettext_lazy("犯罪被害・DV・虐待（要配慮個人情報）"),
    Category.EMPLOYMENT: gettext_lazy("就労支援"),
    Category.PROGRAMMES: gettext_lazy("事業の利用"),
}
# The sections of the apps above referrals (employment, programmes), by category: each
# registers its own in its AppConfig.ready() (register_section), so referrals imports none.
SECTIONS: dict[str, Callable[[Case], dict[str, Any]]] = {}


def register_section(category: str, section: Callable[[Case], dict[str, Any]]) -> None:
    """`section(case)` answers this module's shape: {"rows", "items", "notes"}."""
    SECTIONS[category] = section


def take_snapshot(case: Case, categories: Sequence[str], *, self_contact: bool = False) -> dict[str, Any]:
    """The content of `categories` for `case` as it stands now."""
    chosen = [c for c in Category.values if c in categories]
    snapshot: dict[str, Any] = {
        "taken_at": timezone.now().isoformat(),
        "categories": chosen,
        "self_contact": self_contact,
        "sections": [],
    }
    concerns = list(CaseConcern.objects.filter(case=case).order_by("-is_primary", "id"))
    needs_assessment = any(c in chosen for c in (Category.ASSESSMENT, *SENSITIVE_FIELDS_BY_CATEGORY))
    assessment = current_version(AssessmentSheet, case) if needs_assessment else None
    for category in chosen:
        if category == Category.BASIC:
            section = _basic(case, concerns)
            snapshot["name"] = case.person.full_name
        elif category == Category.PLAN:
            section = _plan(case, chosen)
        elif category == Category.PROGRESS:
            section = _progress(case)
        elif category == Category.ASSESSMENT:
            section = _assessment(assessment)
        elif category in SECTIONS:
            section = SECTIONS[category](case)
        else:
            section = _sensitive(category, assessment, concerns)
        snapshot["sections"].append({"category": category, "title": str(CATEGORY_TITLES[category]), **section})
    return snapshot


def _row(label: Any, value: Any, kind: str = "") -> list[str]:
    return [str(label), str(value), kind]


def _section(
    rows: list[list[str]] | None = None, items: list[Any] | None = None, notes: list[str] | None = None
) -> dict[str, Any]:
    return {"rows": rows or [], "items": items or [], "notes": notes or []}


def _basic(case: Case, concerns: list[CaseConcern]) -> dict[str, Any]:
    person = case.person
    rows = [_row(_("氏名"), person.full_name), _row(_("ふりがな"), person.full_name_kana)]
    if person.birth_date:
        age = age_on(person.birth_date, timezone.localdate())
        rows.append(
            _row(_("生年月日"), _("%(date)s（%(age)s歳）") % {"date": format_wareki(person.birth_date), "age": age})
        )
    rows.append(_row(_("性別"), person.get_sex_display()))
    notes = []
    if person.whereabouts_confidential:
        notes.append(
            _(
                "所在秘匿（支援措置）の対象者のため、住所・地区・電話番号・メールアドレスは送っていません。"
                "本人への連絡はセンターを通してください。"
            )
        )
    else:
        if person.phone:
            rows.append(_row(_("電話番号"), person.phone, LOCATION))
        if person.email:
            rows.append(_row(_("メールアドレス"), person.email, LOCATION))
        if person.address:
            postal = f"〒{person.postal_code} " if person.postal_code else ""
            rows.append(_row(_("住所"), postal + person.address, LOCATION))
        if person.district_id:
            rows.append(_row(_("地区"), person.district, LOCATION))
    # 主訴 such as DV or illness are 要配慮個人情報: they go with their own category only.
    shared = [c for c in concerns if c.concern not in SENSITIVE_CONCERNS_ALL]
    if shared:
        rows.append(_row(_("主訴"), "、".join(_concern_label(c) for c in shared)))
    if len(shared) < len(concerns):
        notes.append(_("要配慮個人情報にあたる主訴は、この区分では送っていません。"))
    rows.append(_row(_("ケースの概要"), case.summary or "—"))
    return _section(rows, notes=notes)


def _concern_label(concern: CaseConcern) -> str:
    label = str(concern.get_concern_display())
    return label + _("（最も大きな主訴）") if concern.is_primary else label


def _plan(case: Case, chosen: list[str]) -> dict[str, Any]:
    plan = current_version(PlanSheet, case)
    if plan is None:
        return _section(notes=[_("プランはまだ作成されていません。")])
    rows = [
        _row(_("長期目標（本人の目指す姿）"), plan.long_term_goal),
        _row(_("短期目標"), plan.short_term_goals or "—"),
        _row(_("利用する事業"), "、".join(plan.programme_labels()) or "—"),
        _row(
            _("プランの期間"),
            f"{format_wareki(plan.period_start, seireki=False)}〜{format_wareki(plan.period_end, seireki=False)}",
        ),
        _row(_("次回のモニタリング・評価日"), format_wareki(plan.next_evaluation_on)),
        _row(_("本人の同意"), format_wareki(plan.agreed_on) if plan.agreed_on else _("未同意（案）")),
    ]
    allowed_sensitive = frozenset().union(
        *(issues for category, issues in SENSITIVE_ISSUES_BY_CATEGORY.items() if category in chosen)
    )
    items, held_back = [], 0
    for item in plan.items.select_related("provider_agency").order_by("position", "id"):
        if item.issue in SENSITIVE_ISSUES_ALL and item.issue not in allowed_sensitive:
            held_back += 1
            continue
        items.append(
            {
                "issue": str(item.get_issue_display()),
                "goal": item.goal,
                "person_action": item.person_action,
                "support": item.support,
                "provider": " ".join(str(p) for p in (item.provider_agency or "", item.provider_worker) if p),
                "period": item.period,
                "frequency": item.frequency,
            }
        )
    notes = []
    if held_back:
        notes.append(_("要配慮個人情報に関わるプランの項目（%(n)s件）は送っていません。") % {"n": held_back})
    return _section(rows, items=items, notes=notes)


def _progress(case: Case) -> dict[str, Any]:
    notes = list(case.notes.shared().order_by("-occurred_at", "-id")[:PROGRESS_NOTES])
    if not notes:
        return _section(notes=[_("共有された支援経過記録はありません。")])
    items = [
        {
            "at": _when(note.occurred_at),
            "method": str(note.get_method_display()),
            "content": note.content,
            "response": note.response,
            "next_action": note.next_action,
        }
        for note in notes
    ]
    return _section(items=items)


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{format_wareki(local.date())} {local:%H:%M}"


def _assessment(sheet: AssessmentSheet | None) -> dict[str, Any]:
    if sheet is None:
        return _section(notes=[_("アセスメントはまだ記録されていません。")])
    rows = [
        _row(_field_label(sheet, name), value)
        for name in sheet.CONTENT_FIELDS
        if name not in sheet.SENSITIVE_FIELDS and name != "issues"
        for value in [_display(sheet, name)]
        if value
    ]
    issues = [str(Issue(i).label) for i in sheet.issues if i in Issue.values and i not in SENSITIVE_ISSUES_ALL]
    if issues:
        rows.append(_row(_("課題と背景要因"), "、".join(issues)))
    return _section(rows)


def _sensitive(category: str, sheet: AssessmentSheet | None, concerns: list[CaseConcern]) -> dict[str, Any]:
    rows = []
    matching = [c for c in concerns if c.concern in SENSITIVE_CONCERNS_BY_CATEGORY.get(category, ())]
    if matching:
        rows.append(_row(_("主訴"), "、".join(_concern_label(c) for c in matching)))
    if sheet is not None:
        for name in SENSITIVE_FIELDS_BY_CATEGORY[category]:
            value = _display(sheet, name)
            if value:
                rows.append(_row(_field_label(sheet, name), value))
        issues = [str(Issue(i).label) for i in sheet.issues if i in SENSITIVE_ISSUES_BY_CATEGORY[category]]
        if issues:
            rows.append(_row(_("課題と背景要因"), "、".join(issues)))
    if not rows:
        return _section(notes=[_("この区分に記録された内容はありません。")])
    return _section(rows)


def _field_label(sheet: models.Model, name: str) -> str:
    return str(sheet._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _display(sheet: models.Model, name: str) -> str:
    """A field's value as text: a choice by its label, a date as 和暦, amounts with commas."""
    field = sheet._meta.get_field(name)
    value = getattr(sheet, name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(getattr(sheet, f"get_{name}_display")())
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    if isinstance(value, dt.date):
        return format_wareki(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def without_location(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with the address and contact rows taken out, and a note instead."""
    sections = []
    for section in snapshot.get("sections", []):
        rows = [row for row in section.get("rows", []) if row[2:3] != [LOCATION]]
        notes = list(section.get("notes", []))
        if len(rows) < len(section.get("rows", [])):
            notes.append(str(_("所在秘匿（支援措置）の対象者になったため、住所・地区・連絡先は表示していません。")))
        sections.append({**section, "rows": rows, "notes": notes})
    return {**snapshot, "sections": sections}
