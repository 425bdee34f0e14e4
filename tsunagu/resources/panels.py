"""What other pages show of this app: the case page's matching resources (cases.panels)
and the district page's open cases by state, resources and gaps (community.panels),
registered in ResourcesConfig.ready()."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from tsunagu.accounts.models import District, Role, Staff
from tsunagu.cases.access import SeenCase, may_write
from tsunagu.cases.models import Case, CaseState
from tsunagu.meetings.models import MeetingKind, ResourceGap
from tsunagu.resources import summary
from tsunagu.resources.access import reads_all_gaps, reads_directory
from tsunagu.resources.gaps import Figure, analyse, proposed_keys
from tsunagu.resources.matching import candidates, match, need_of, plan_blocker
from tsunagu.resources.models import CountKind, Resource, ResourceKind

# How many matches the case page shows; the full page lists them all.
PANEL_MATCHES = 5


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    """Resources for the person's assessed issues: for those with full access only (the
    issues are 要配慮個人情報 and the district may be confidential)."""
    if not seen.full:
        return {}
    return {"resources_case": case_matches(user, seen.case, limit=PANEL_MATCHES)}


def case_matches(user: Staff, case: Case, limit: int | None = None) -> dict[str, Any]:
    """`case` as case_for gives it (annotated with whether the user sees her whereabouts)."""
    need = need_of(case, case.person_location_visible)  # type: ignore[attr-defined]
    matches = match(need, candidates(case.agency.municipality_id))
    writable = may_write(user, case)
    return {
        "need": need,
        "matches": matches[:limit] if limit else matches,
        "total": len(matches),
        "more": bool(limit) and len(matches) > (limit or 0),
        "writable": writable,
        "plan_blocker": plan_blocker(case) if writable else "",
    }


@dataclass(frozen=True)
class Bar:
    label: str
    open_cases: int
    resources: int
    y: int
    cases_width: int
    resources_width: int
    is_gap: bool


CHART_WIDTH = 640
CHART_LABEL = 230
CHART_ROW = 44
CHART_BARS = CHART_WIDTH - CHART_LABEL - 40
CHART_ROWS = 12


def chart(figures: list[Figure]) -> dict[str, Any]:
    """A horizontal bar chart of open cases and resources per issue, laid out here so
    that the template draws it with plain SVG attributes (no script, no style)."""
    # Every gap, and as many of the other issues with open cases as fit, in the given order.
    with_cases = [f for f in figures if f.open_cases]
    gaps = [f for f in with_cases if f.is_gap]
    room = max(0, CHART_ROWS - len(gaps))
    kept = set(gaps) | set([f for f in with_cases if not f.is_gap][:room])
    shown = [f for f in with_cases if f in kept]
    top = max([1, *(max(f.open_cases, f.resources) for f in shown)])
    bars = [
        Bar(
            label=f.issue_label,
            open_cases=f.open_cases,
            resources=f.resources,
            y=i * CHART_ROW,
            cases_width=round(CHART_BARS * f.open_cases / top),
            resources_width=round(CHART_BARS * f.resources / top),
            is_gap=f.is_gap,
        )
        for i, f in enumerate(shown)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(1, len(bars)) * CHART_ROW + 8,
        "label_width": CHART_LABEL,
    }


def district_open_cases(user: Staff, district: District) -> dict[str, Any]:
    """The district page's open cases by state. The counts resources.summary keeps leave
    out people under whereabouts confidentiality; add those of them in the district the
    user may locate (their team; the chief)."""
    counts = summary.counts(district.municipality_id, CountKind.STATE, area=district.pk)
    by_state = Counter(counts.get(district.pk))
    withheld = Case.objects.open_in_district(district, user).filter(summary.withheld_from_districts())
    by_state.update({row["state"]: row["n"] for row in withheld.values("state").annotate(n=Count("id")).order_by()})
    return {
        "states": [(CaseState(s), by_state[s]) for s in CaseState.values if s in by_state],
        "open_count": sum(by_state.values()),
    }


def district_panel(user: Staff, district: District) -> dict[str, Any]:
    """The district page's part on resources and gaps (community.views includes it):
    the resources serving the district by kind and field, the gaps with their figures,
    the missing resources noted in meetings, and a chart. Counts only, never names."""
    if not reads_directory(user) or district.municipality_id != user.municipality_id:
        return {}
    municipality = district.municipality
    resources = list(
        Resource.objects.active()
        .filter(municipality=municipality)
        .serving(district)
        .select_related("provider_agency")
        .prefetch_related("districts")
        .in_directory_order()
    )
    by_kind = [(label, [r for r in resources if r.kind == kind]) for kind, label in ResourceKind.choices]
    by_field: dict[str, int] = {}
    for resource in resources:
        for label in resource.field_labels():
            by_field[label] = by_field.get(label, 0) + 1
    panel: dict[str, Any] = {
        "district": district,
        "resources": resources,
        "by_kind": [(label, rows) for label, rows in by_kind if rows],
        "by_field": sorted(by_field.items(), key=lambda item: -item[1]),
        "may_propose": user.works_in_centre,
        "reads_all_gaps": reads_all_gaps(user),
    }
    if not reads_gaps(user):
        return {"resources_district": panel}
    analysis = analyse(municipality)
    figures = analysis.for_area(district)
    proposed = proposed_keys(municipality) if user.works_in_centre else set()
    panel["gaps"] = [(g, (district.pk, g.issue) in proposed) for g in analysis.gaps(district)]
    panel["chart"] = chart(figures)
    panel["meeting_gaps"] = list(
        ResourceGap.objects.filter(municipality=municipality, district=district)
        # What a 支援会議 notes stays with its members.
        .exclude(item__meeting__kind=MeetingKind.SUPPORT_MEETING)
        .select_related("item__meeting")
        .order_by("-noted_at", "-id")[:20]
    )
    return {"resources_district": panel}


def reads_gaps(user: Staff) -> bool:
    """The gap analysis counts open cases by assessed issue (要配慮 ones among them) per
    district: for the centre, the municipality's officers and district chiefs, not for
    partner agencies."""
    return user.works_in_centre or user.is_municipal_officer or user.role == Role.DISTRICT_CHIEF
