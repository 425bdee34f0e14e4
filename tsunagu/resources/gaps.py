"""Gap analysis (DOMAIN.md §6, 資源開発): for each district, the assessed issues of open
cases against the active resources serving the district. An issue with open cases and
no resource is a gap: a regional issue to take to a council committee.

Only counts leave this module, never names. A person under whereabouts confidentiality
is counted for the whole municipality, not in their district, so that a small count in
a district cannot point to where they live.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Municipality, Staff
from tsunagu.audit.models import Action, record
from tsunagu.community.models import RegionalIssue, RegionalIssueSource, RegionalIssueStatus, ResourceField
from tsunagu.resources import summary
from tsunagu.resources.models import CountKind, Resource
from tsunagu.sheets.models import Issue

# The assessment's issues in the sheet's order. Built once: `Issue.values` builds a new
# list on each access, which the loops below would pay for every issue of every case.
ISSUE_ORDER = {value: index for index, value in enumerate(Issue.values)}

# The field a regional issue most likely belongs to, from the assessed issue it comes from.
ISSUE_FIELDS: dict[str, str] = {
    Issue.ECONOMIC_HARDSHIP: ResourceField.WELFARE,
    Issue.JOB_SEARCH_DIFFICULTY: ResourceField.EMPLOYMENT,
    Issue.JOB_RETENTION_DIFFICULTY: ResourceField.EMPLOYMENT,
    Issue.ILLNESS: ResourceField.HEALTH,
    Issue.INJURY: ResourceField.HEALTH,
    Issue.DISABILITY_CERTIFIED: ResourceField.WELFARE,
    Issue.DISABILITY_SUSPECTED: ResourceField.WELFARE,
    Issue.MENTAL_HEALTH: ResourceField.HEALTH,
    Issue.SUICIDE_ATTEMPT: ResourceField.HEALTH,
    Issue.UNSTABLE_HOUSING: ResourceField.HOUSING,
    Issue.HOMELESS: ResourceField.HOUSING,
    Issue.DEBT: ResourceField.FINANCE,
    Issue.BUDGET_MANAGEMENT: ResourceField.FINANCE,
    Issue.IRREGULAR_LIFE: ResourceField.HEALTH,
    Issue.SOCIAL_ISOLATION: ResourceField.WELFARE,
    Issue.FAMILY_PROBLEMS: ResourceField.WELFARE,
    Issue.SCHOOL_REFUSAL: ResourceField.EDUCATION,
    Issue.DELINQUENCY: ResourceField.EDUCATION,
    Issue.EARLY_SCHOOL_LEAVING: ResourceField.EDUCATION,
    Issue.CHILD_REARING: ResourceField.WELFARE,
    Issue.CARE: ResourceField.WELFARE,
    Issue.SINGLE_PARENT: ResourceField.WELFARE,
    Issue.ABUSE: ResourceField.WELFARE,
    Issue.FOREIGN_NATIONALITY: ResourceField.WELFARE,
    Issue.FORMER_OFFENDER: ResourceField.WELFARE,
    Issue.COMMUNICATION: ResourceField.WELFARE,
    Issue.PERSONAL_ABILITY: ResourceField.EDUCATION,
}


@dataclass(frozen=True)
class Figure:
    """One issue in one area (a district, or None for the whole municipality)."""

    district: District | None
    issue: str
    open_cases: int
    resources: int

    @property
    def is_gap(self) -> bool:
        return self.open_cases > 0 and self.resources == 0

    @property
    def issue_label(self) -> str:
        return str(Issue(self.issue).label)

    @property
    def area_label(self) -> str:
        return self.district.name if self.district else _("自治体全体（地区を特定しない）")


@dataclass
class Analysis:
    districts: list[District]
    # (district id or None) → issue → Figure, for every issue with open cases or resources.
    figures: dict[int | None, dict[str, Figure]]

    def for_area(self, district: District | None) -> list[Figure]:
        area = self.figures.get(district.pk if district else None, {})
        return sorted(area.values(), key=lambda f: (-f.open_cases, -f.resources, ISSUE_ORDER[f.issue]))

    def gaps(self, district: District | None = None) -> list[Figure]:
        return [f for f in self.for_area(district) if f.is_gap]

    def all_gaps(self) -> list[Figure]:
        """Every gap: district by district, then those of the whole municipality."""
        return [g for d in [*self.districts, None] for g in self.gaps(d)]

    def figure(self, district: District | None, issue: str) -> Figure:
        found = self.figures.get(district.pk if district else None, {}).get(issue)
        return found or Figure(district=district, issue=issue, open_cases=0, resources=0)


def analyse(municipality: Municipality) -> Analysis:
    """Counts per district and issue, in three queries whatever the size of the town: the
    open cases come from the counts resources.summary keeps (a person under whereabouts
    confidentiality is counted for the whole municipality there)."""
    districts = list(District.objects.filter(municipality=municipality))
    cases: dict[int | None, Counter[str]] = {d.pk: Counter() for d in districts}
    cases[None] = Counter()
    for counted_area, by_issue in summary.counts(municipality.pk, CountKind.ISSUE).items():
        counted = {i: n for i, n in by_issue.items() if i in ISSUE_ORDER}
        cases.setdefault(counted_area or None, Counter()).update(counted)

    resources: dict[int | None, Counter[str]] = {d.pk: Counter() for d in districts}
    resources[None] = Counter()
    for resource in Resource.objects.active().filter(municipality=municipality).prefetch_related("districts"):
        issues = {i for i in resource.issues if i in ISSUE_ORDER}
        served: list[int | None] = [d.pk for d in resource.districts.all()]
        # A resource of the whole municipality serves every district, and the municipality row.
        for district_id in served or list(resources):
            resources[district_id].update(issues)

    figures: dict[int | None, dict[str, Figure]] = {}
    by_id = {d.pk: d for d in districts}
    for area in [*by_id, None]:
        district = by_id.get(area) if area is not None else None
        issues = set(cases.get(area, Counter())) | set(resources[area])
        figures[area] = {
            issue: Figure(
                district=district,
                issue=issue,
                open_cases=cases.get(area, Counter())[issue],
                resources=resources[area][issue],
            )
            for issue in issues
        }
    return Analysis(districts=districts, figures=figures)


def open_regional_issues(municipality: Municipality) -> QuerySet[RegionalIssue]:
    return RegionalIssue.objects.filter(municipality=municipality).exclude(status=RegionalIssueStatus.RESOLVED)


def proposed_keys(municipality: Municipality) -> set[tuple[int | None, str]]:
    """(district id, issue) of the regional issues still open: a gap is not proposed twice."""
    return {(r["district_id"], r["issue"]) for r in open_regional_issues(municipality).values("district_id", "issue")}


class AlreadyProposedError(Exception):
    def __init__(self, existing: RegionalIssue) -> None:
        super().__init__("already proposed")
        self.existing = existing


class NotAGapError(Exception):
    pass


def propose(municipality: Municipality, district: District | None, issue: str, by: Staff) -> RegionalIssue:
    """Make a gap a regional issue (status 提案, from the gap analysis), with its figures as
    they are now. Refused when it is no longer a gap or one is already open for it."""
    with transaction.atomic():
        # Serialise proposals of the municipality: two clicks make one regional issue.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        existing = open_regional_issues(municipality).filter(district=district, issue=issue).first()
        if existing is not None:
            raise AlreadyProposedError(existing)
        figure = analyse(municipality).figure(district, issue)
        if not figure.is_gap:
            raise NotAGapError
        label = str(Issue(issue).label)
        area = district.name if district else str(municipality.name)
        regional = RegionalIssue.objects.create(
            municipality=municipality,
            district=district,
            title=_("%(area)s：『%(issue)s』に対応する社会資源がない") % {"area": area, "issue": label},
            description=_(
                "資源の不足の分析より。%(area)sで課題『%(issue)s』のある支援中のケースが%(cases)s件ありますが、"
                "対応する社会資源（地区の資源・自治体全域の資源）は登録されていません。"
            )
            % {"area": area, "issue": label, "cases": figure.open_cases},
            field=ISSUE_FIELDS.get(issue, ""),
            issue=issue,
            figures={
                "open_cases": figure.open_cases,
                "resources": figure.resources,
                "as_of": timezone.localdate().isoformat(),
            },
            source=RegionalIssueSource.GAP_ANALYSIS,
            status=RegionalIssueStatus.PROPOSED,
            raised_by=by,
        )
        record(
            by,
            Action.CREATE,
            regional,
            object_type="community.regionalissue",
            changes={
                "district": area,
                "issue": issue,
                "field": regional.field,
                "figures": regional.figures,
                "source": regional.source,
            },
        )
    return regional
