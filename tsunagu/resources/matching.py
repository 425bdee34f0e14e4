"""Which resources fit a case (DOMAIN.md §6: "the best way out of as many options as
possible"): those helping with the person's assessed issues, serving their district or
the whole municipality, open to their age; the best fits first, each with why."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseConcern, CaseState, Concern
from tsunagu.lib.wareki import age_on
from tsunagu.resources.models import Resource
from tsunagu.sheets.models import AssessmentSheet, Issue, PlanItem, PlanSheet, current_version
from tsunagu.sheets.views import append_version

ISSUE_VALUES = frozenset(Issue.values)

# 主訴 (intake) → 課題 (assessment), for a case that has no assessment yet.
CONCERN_ISSUES: dict[str, tuple[str, ...]] = {
    Concern.HEALTH: (Issue.ILLNESS,),
    Concern.HOUSING: (Issue.UNSTABLE_HOUSING,),
    Concern.INCOME: (Issue.ECONOMIC_HARDSHIP,),
    Concern.RENT_LOAN: (Issue.ECONOMIC_HARDSHIP, Issue.UNSTABLE_HOUSING),
    Concern.TAX_UTILITIES: (Issue.ECONOMIC_HARDSHIP, Issue.BUDGET_MANAGEMENT),
    Concern.DEBT: (Issue.DEBT,),
    Concern.JOB_SEARCH: (Issue.JOB_SEARCH_DIFFICULTY,),
    Concern.WORK_TROUBLE: (Issue.JOB_RETENTION_DIFFICULTY,),
    Concern.COMMUNITY: (Issue.SOCIAL_ISOLATION,),
    Concern.FAMILY: (Issue.FAMILY_PROBLEMS,),
    Concern.CHILD_REARING: (Issue.CHILD_REARING,),
    Concern.CARE: (Issue.CARE,),
    Concern.WITHDRAWAL: (Issue.SOCIAL_ISOLATION, Issue.SCHOOL_REFUSAL),
    Concern.ABUSE: (Issue.ABUSE,),
    Concern.NO_FOOD: (Issue.ECONOMIC_HARDSHIP,),
    Concern.OTHER: (),
}

# States in which a worker edits the plan: drafting it, and revising it while support
# runs or is evaluated. In 支援調整会議 and just after the decision the agreed plan stands.
PLAN_EDIT_STATES = frozenset({CaseState.PLAN_DRAFT, CaseState.IN_SUPPORT, CaseState.EVALUATION})


@dataclass
class Need:
    """What the matching knows of the person: issues, and district and age when known."""

    issues: list[str]
    from_assessment: bool
    district: District | None
    age: int | None

    def issue_labels(self) -> list[str]:
        return [str(Issue(i).label) for i in self.issues if i in Issue.values]


@dataclass
class Match:
    resource: Resource
    issues: list[str]
    district_specific: bool
    stale: bool
    reasons: list[str] = field(default_factory=list)

    def issue_labels(self) -> list[str]:
        return [str(Issue(i).label) for i in self.issues]

    @property
    def first_issue(self) -> str:
        return self.issues[0]


def issues_of(cases: QuerySet[Case], size: int | None = None) -> dict[int, tuple[list[str], bool]]:
    """The issues of each case, the one definition that matching and the gap figures
    share: the current assessment's; else the 主訴 mapped to issues. Per case id, the
    issues and whether they come from an assessment; two queries whatever the number
    (one when the caller says how many cases there are and each has an assessment)."""
    latest = AssessmentSheet.objects.filter(case=OuterRef("case")).order_by("-version").values("version")[:1]
    found: dict[int, tuple[list[str], bool]] = {}
    assessed = AssessmentSheet.objects.filter(case__in=cases, version=Subquery(latest))
    for case_id, issues in assessed.values_list("case_id", "issues"):
        found[case_id] = ([i for i in issues if i in ISSUE_VALUES], True)
    if size is not None and len(found) == size:
        return found
    unassessed = CaseConcern.objects.filter(case__in=cases).exclude(case_id__in=list(found))
    for case_id, concerns in concerns_by_case(unassessed).items():
        found[case_id] = (issues_from_concerns(concerns), False)
    return found


def concerns_by_case(concerns: QuerySet[CaseConcern]) -> dict[int, list[str]]:
    """Each case's 主訴, in the order they were recorded."""
    found: dict[int, list[str]] = {}
    for case_id, concern in concerns.order_by("case_id", "id").values_list("case_id", "concern"):
        found.setdefault(case_id, []).append(concern)
    return found


def issues_from_concerns(concerns: Iterable[str]) -> list[str]:
    """The issues a case's 主訴 stand for while it has no assessment (CONCERN_ISSUES)."""
    return list(dict.fromkeys(issue for concern in concerns for issue in CONCERN_ISSUES.get(concern, ())))


def need_of(case: Case, location_visible: bool) -> Need:
    """The person's issues (issues_of), and her district only where the reader may see
    where she lives (`location_visible`, as case_for found it: whereabouts confidentiality)."""
    issues, from_assessment = issues_of(Case.objects.filter(pk=case.pk), size=1).get(case.pk, ([], False))
    person = case.person
    age = age_on(person.birth_date, timezone.localdate()) if person.birth_date else None
    return Need(
        issues=issues, from_assessment=from_assessment, district=person.district if location_visible else None, age=age
    )


def candidates(municipality_id: int) -> list[Resource]:
    return list(
        Resource.objects.active()
        .filter(municipality_id=municipality_id)
        .select_related("provider_agency")
        .prefetch_related("districts")
        .order_by("name", "id")
    )


def match(need: Need, resources: list[Resource]) -> list[Match]:
    """The resources for the need, ranked: more matching issues first, those of the
    person's district before those of the whole municipality, recently checked before
    stale, then by name."""
    found: list[Match] = []
    for resource in resources:
        issues = [i for i in need.issues if i in resource.issues]
        if not issues:
            continue
        district_ids = {d.pk for d in resource.districts.all()}
        if district_ids and (need.district is None or need.district.pk not in district_ids):
            continue
        if need.age is not None and not _age_fits(resource, need.age):
            continue
        item = Match(resource=resource, issues=issues, district_specific=bool(district_ids), stale=resource.needs_check)
        item.reasons = _reasons(item, need)
        found.append(item)
    found.sort(key=lambda m: (-len(m.issues), not m.district_specific, m.stale, m.resource.name))
    return found


def _age_fits(resource: Resource, age: int) -> bool:
    return (resource.min_age is None or age >= resource.min_age) and (
        resource.max_age is None or age <= resource.max_age
    )


def _reasons(item: Match, need: Need) -> list[str]:
    reasons = [_("課題『%(issue)s』に対応") % {"issue": label} for label in item.issue_labels()]
    if item.district_specific and need.district is not None:
        reasons.append(_("%(district)s地区が対象") % {"district": need.district.name})
    else:
        reasons.append(_("自治体の全域が対象"))
    if item.resource.min_age is not None or item.resource.max_age is not None:
        if need.age is None:
            reasons.append(_("年齢の条件（%(ages)s）を確かめてください") % {"ages": item.resource.age_label()})
        else:
            reasons.append(_("年齢の条件に合う"))
    if item.stale:
        reasons.append(_("6か月以上確認されていません"))
    return reasons


def plan_blocker(case: Case) -> str:
    """Why a resource cannot be added to the case's plan now ("" when it can)."""
    if case.state not in PLAN_EDIT_STATES:
        return _(
            "プランに追加できるのは「プラン案」「支援提供・モニタリング」「評価」の段階のケースです（現在は「%(state)s」）。"
        ) % {"state": case.get_state_display()}
    if not PlanSheet.objects.filter(case=case).exists():
        return _("まだプランがありません。先にプランを作ってから追加してください。")
    return ""


def add_to_plan(case: Case, resource: Resource, need: Need, by: Staff) -> PlanSheet:
    """Append a plan version: the latest one's content and rows, and one more row for the
    resource (the issue it helps with, its provider). Raises StaleEditError when another
    version was saved meanwhile, PlanRefusedError when the plan cannot be edited now."""
    blocker = plan_blocker(case)
    if blocker:
        raise PlanRefusedError(blocker)
    latest = current_version(PlanSheet, case)
    common = [i for i in need.issues if i in resource.issues]
    issue = common[0] if common else (resource.issues[0] if resource.issues else Issue.OTHER)
    support = _("%(name)s（%(kind)s）") % {"name": resource.name, "kind": resource.get_kind_display()}
    if resource.conditions:
        support += _("。利用の条件: %(conditions)s") % {"conditions": resource.conditions}
    with transaction.atomic():
        sheet = append_version(
            PlanSheet, case, by, latest.version, {n: getattr(latest, n) for n in PlanSheet.CONTENT_FIELDS}
        )
        rows = [
            PlanItem(
                plan=sheet, position=i, **{n: getattr(item, n) for n in PlanItem.CONTENT_FIELDS if n != "position"}
            )
            for i, item in enumerate(latest.items.select_related("provider_agency"))
        ]
        rows.append(
            PlanItem(
                plan=sheet,
                position=len(rows),
                issue=issue,
                goal=(_("%(name)sを利用する") % {"name": resource.name})[:500],
                support=support[:500],
                provider_agency=resource.provider_agency,
                provider_worker=resource.provider_name[:100] if resource.provider_agency_id else "",
            )
        )
        PlanItem.objects.bulk_create(rows)
        record(
            by,
            Action.CHANGE,
            case,
            object_type="sheets.plansheet",
            object_code=str(sheet.code),
            changes={"item_added": resource.name, "resource": str(resource.code), "issue": issue},
            detail=_("社会資源からプランに追加"),
        )
    return sheet


class PlanRefusedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
