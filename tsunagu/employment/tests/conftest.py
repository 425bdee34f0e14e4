"""Helpers for the employment tests (the `world` fixture and its personas are in
tsunagu/conftest.py)."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.cases.models import Case
from tsunagu.employment.models import Employer, JobSeekerProfile, Opening, Placement
from tsunagu.employment.support import record_placement
from tsunagu.sheets.models import current_version


def make_employer(world: Any, name: str = "雄勝食品", **extra: Any) -> Employer:
    values: dict[str, Any] = {
        "municipality": world.town,
        "industry": "manufacturing",
        "district": world.district,
        "contact_name": "工場長",
        "phone": "0183-11-2222",
        "offers": ["visit", "experience", "employment"],
        "created_by": world.employment,
        **extra,
    }
    return Employer.objects.create(name=name, **values)


def make_opening(world: Any, title: str = "食品の箱詰め", **extra: Any) -> Opening:
    values: dict[str, Any] = {
        "municipality": world.town,
        "source": "employer",
        "category": "carrying_cleaning",
        "employment_type": "part_time",
        "hours_per_week": 20,
        "days": ["mon", "tue", "wed"],
        "wage_unit": "hourly",
        "wage": 950,
        "district": world.district,
        "closes_on": timezone.localdate() + dt.timedelta(days=10),
        "created_by": world.employment,
        **extra,
    }
    if "employer" not in values and "employer_name" not in values:
        values["employer"] = make_employer(world, f"{title}の事業所")
    return Opening.objects.create(title=title, **values)


def make_profile(case: Case, by: Any, **extra: Any) -> JobSeekerProfile:
    latest = current_version(JobSeekerProfile, case)
    districts = extra.pop("districts", [])
    values: dict[str, Any] = {
        "stage": "general",
        "wished_categories": ["carrying_cleaning"],
        "wished_hours_per_week": 20,
        "wished_days": ["mon", "tue", "wed", "thu", "fri"],
        "commute": ["bicycle"],
        "supporter": by,
        **extra,
    }
    profile = JobSeekerProfile.objects.create(
        case=case, version=(latest.version if latest else 0) + 1, recorded_by=by, **values
    )
    profile.wished_districts.set(districts)
    return profile


def make_placement(world: Any, case: Case, **extra: Any) -> Placement:
    values: dict[str, Any] = {
        "employer": extra.pop("employer", None) or make_employer(world, "就職先"),
        "started_on": timezone.localdate() - dt.timedelta(days=10),
        "employment_type": "part_time",
        "hours_per_week": 20,
        "monthly_wage": 80000,
        **extra,
    }
    return record_placement(Placement(case=case, **values), world.employment)


@pytest.fixture
def seeker(world: Any) -> JobSeekerProfile:
    """Taro (world.case) as a job-seeker in the 一般就労 stage, wishing for 東小."""
    return make_profile(world.case, world.employment, districts=[world.district], licences="普通自動車免許")
