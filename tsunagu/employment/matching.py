"""Openings for a job-seeker, and job-seekers for an opening, each with the reasons
shown (the same shape as resources.matching): 職種, hours, days, area and commute,
licences, readiness stage and accommodations. An opening of another stage is not
offered; what does not fit otherwise is listed as a caution, not hidden, so the
就労支援員 decides."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import ACTIVE_STATES, CaseQuerySet
from tsunagu.employment.models import (
    Commute,
    EmploymentType,
    JobCategory,
    JobSeekerProfile,
    Opening,
    Stage,
)
from tsunagu.people.models import location_visible_condition

# Hours a week an opening may ask beyond the wish and still be offered without a caution.
HOURS_SLACK = 5
TRAINING_TYPES = frozenset({EmploymentType.TRAINING_EMPLOYED, EmploymentType.TRAINING_NON_EMPLOYED})
# Openings without a closing date sort after those with one.
_FAR = dt.date(9999, 12, 31)


@dataclass
class Fit:
    """One opening for one job-seeker: the score orders, the reasons and cautions say why."""

    opening: Opening
    profile: JobSeekerProfile
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)


def stage_fits(profile: JobSeekerProfile, opening: Opening) -> bool:
    """An opening for stated stages takes only those; an 認定就労訓練 opening is for the
    認定就労訓練 stage; other openings are for 一般就労 and 就労準備."""
    if opening.stages:
        return profile.stage in opening.stages
    if opening.employment_type in TRAINING_TYPES:
        return profile.stage == Stage.CERTIFIED_TRAINING
    if opening.employment_type == EmploymentType.WELFARE:
        return profile.stage == Stage.WELFARE
    return profile.stage in (Stage.GENERAL, Stage.PREPARATION)


def _has_licence(held: list[str], needed: str) -> bool:
    return any(needed in mine or mine in needed for mine in held)


def fit(profile: JobSeekerProfile, opening: Opening) -> Fit | None:
    """How the opening fits the profile, or None when its stage does not."""
    if not stage_fits(profile, opening):
        return None
    result = Fit(opening=opening, profile=profile)
    result.reasons.append(_("段階「%(stage)s」に合う") % {"stage": profile.get_stage_display()})
    if opening.category in profile.wished_categories:
        result.score += 3
        result.reasons.append(_("希望する職種（%(category)s）") % {"category": JobCategory(opening.category).label})
    elif profile.wished_job and profile.wished_job in opening.title:
        result.score += 2
        result.reasons.append(_("希望する仕事「%(job)s」") % {"job": profile.wished_job})
    elif profile.wished_categories:
        result.cautions.append(
            _("希望する職種とは違う（%(category)s）") % {"category": JobCategory(opening.category).label}
        )
    _hours(result, profile, opening)
    _days(result, profile, opening)
    _area(result, profile, opening)
    _licences(result, profile, opening)
    _accommodations(result, profile, opening)
    return result


def _hours(result: Fit, profile: JobSeekerProfile, opening: Opening) -> None:
    wished, asked = profile.wished_hours_per_week, opening.hours_per_week
    if wished is None or asked is None:
        return
    if asked <= wished + HOURS_SLACK:
        result.score += 2
        result.reasons.append(_("週%(asked)s時間（希望は週%(wished)s時間）") % {"asked": asked, "wished": wished})
    else:
        result.cautions.append(
            _("週%(asked)s時間は希望（週%(wished)s時間）より長い") % {"asked": asked, "wished": wished}
        )


def _days(result: Fit, profile: JobSeekerProfile, opening: Opening) -> None:
    if not profile.wished_days or not opening.days:
        return
    missing = [d for d in opening.days if d not in profile.wished_days]
    if not missing:
        result.score += 1
        result.reasons.append(_("勤務する曜日（%(days)s）に働ける") % {"days": "・".join(opening.day_labels())})
    else:
        result.cautions.append(_("働けない曜日の勤務がある"))


def _area(result: Fit, profile: JobSeekerProfile, opening: Opening) -> None:
    wished = {d.pk: d for d in profile.wished_districts.all()}
    if opening.district_id and opening.district_id in wished:
        result.score += 2
        result.reasons.append(_("希望する地区（%(district)s）") % {"district": wished[opening.district_id].name})
    elif profile.wished_area and opening.place and profile.wished_area in opening.place:
        result.score += 2
        result.reasons.append(_("希望する勤務地（%(area)s）") % {"area": profile.wished_area})
    elif wished or profile.wished_area:
        if Commute.CAR in profile.commute or Commute.PUBLIC in profile.commute:
            means = "・".join(profile.commute_labels())
            result.reasons.append(_("希望の地区の外だが、%(means)sで通える見込み") % {"means": means})
        else:
            result.cautions.append(_("希望する地区の外（通勤手段を確かめる）"))


def _licences(result: Fit, profile: JobSeekerProfile, opening: Opening) -> None:
    needed = opening.licence_list()
    if not needed:
        return
    held = profile.licence_list()
    missing = [n for n in needed if not _has_licence(held, n)]
    if missing:
        result.cautions.append(_("必要な資格がない：%(names)s") % {"names": "、".join(missing)})
    else:
        result.score += 2
        result.reasons.append(_("必要な資格（%(names)s）がある") % {"names": "、".join(needed)})


def _accommodations(result: Fit, profile: JobSeekerProfile, opening: Opening) -> None:
    if not profile.accommodations:
        return
    if opening.accommodations:
        result.score += 1
        result.reasons.append(_("配慮できること：%(text)s") % {"text": opening.accommodations[:60]})
    else:
        result.cautions.append(_("必要な配慮について記載がない（事業所に確かめる）"))


def rank(fits: list[Fit]) -> list[Fit]:
    """More reasons first, fewer cautions, then the opening closing soonest."""
    return sorted(
        fits,
        key=lambda f: (-f.score, len(f.cautions), f.opening.closes_on or _FAR, f.opening.pk, f.profile.case_id),
    )


def openings_for(profile: JobSeekerProfile, openings: list[Opening]) -> list[Fit]:
    prefetch_related_objects([profile], "wished_districts")  # once, not once per opening
    found = [f for f in (fit(profile, opening) for opening in openings) if f is not None]
    return rank(found)


def open_openings(municipality_id: int) -> list[Opening]:
    return list(
        Opening.objects.open_on()
        .filter(municipality_id=municipality_id)
        .select_related("employer", "district")
        .order_by("closes_on", "id")
    )


def full_cases(user: Staff) -> CaseQuerySet:
    """The cases the user reads in full (cases.access: FULL): their centre's, or for an
    officer the municipality's. A team member's TEAM-level cases are never matched, and a
    case whose person's whereabouts the user may not see is left out: her job-seeking,
    follow-ups and the openings she fits tell where she works (access.py)."""
    cases = cases_visible_to(user).filter(location_visible_condition(user, "person_id"))
    if user.works_in_centre:
        return cases.filter(agency_id=user.agency_id or 0)
    if user.is_municipal_officer:
        return cases.filter(agency__municipality_id=user.municipality_id)
    return cases.none()


def current_profiles(cases: CaseQuerySet) -> list[JobSeekerProfile]:
    """The latest profile of each open case among `cases`, in two queries."""
    latest = JobSeekerProfile.objects.filter(case=OuterRef("case")).order_by("-version").values("version")[:1]
    return list(
        JobSeekerProfile.objects.filter(case__in=cases.filter(state__in=ACTIVE_STATES), version=Subquery(latest))
        .select_related("case", "case__person", "case__worker", "supporter")
        .prefetch_related(Prefetch("wished_districts"))
        .order_by("case__person__family_name_kana", "case_id")
    )


def seekers_for(user: Staff, opening: Opening) -> list[Fit]:
    found = [f for f in (fit(profile, opening) for profile in current_profiles(full_cases(user))) if f is not None]
    return rank(found)
