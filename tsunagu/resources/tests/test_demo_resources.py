"""The demo town's resources (tsunagu.demo.resources): all kinds and fields, some for
one district, a few unchecked, and the gap left on purpose."""

from collections import Counter

import pytest

from tsunagu.accounts.models import Agency, District, Municipality, Role
from tsunagu.community.models import ResourceField
from tsunagu.conftest import make_staff
from tsunagu.demo.resources import RURAL, load_resources
from tsunagu.demo.town import AGENCIES, OGACHINO
from tsunagu.resources.models import Resource, ResourceKind


@pytest.fixture
def ogachino(db):
    town = Municipality.objects.create(name=OGACHINO.name, prefecture=OGACHINO.prefecture, population=42180)
    for district in OGACHINO.districts:
        District.objects.create(municipality=town, name=district.name, number=district.number)
    agencies = {
        a.key: Agency.objects.create(municipality=town, name=a.name, kind=a.kind, phone=a.phone, address=a.address)
        for a in AGENCIES
        if a.town == "ogachino"
    }
    return town, make_staff("demo_chief", agencies["centre"], Role.CHIEF)


def test_the_demo_directory(ogachino):
    town, chief = ogachino
    created = load_resources(town, chief)

    resources = Resource.objects.filter(municipality=town).prefetch_related("districts")
    assert len(created) == resources.count() >= 40
    assert {r.kind for r in resources} == set(ResourceKind.values)
    assert {f for r in resources for f in r.fields} == set(ResourceField.values)
    assert 3 <= sum(r.needs_check for r in resources) <= 6
    assert sum(bool(r.districts.all()) for r in resources) >= 10
    assert Counter(r.active for r in resources)[False] == 1
    assert all(r.provider_agency_id or r.provider_name for r in resources)
    assert Resource.objects.filter(municipality=town).search("ふーどばんく").exists()

    # The gap left on purpose: no household-budget support reaches the rural districts.
    budget = [r for r in resources if r.active and "budget_management" in r.issues]
    assert budget
    for resource in budget:
        names = {d.name for d in resource.districts.all()}
        assert names, resource.name  # none serves the whole town
        assert not names & set(RURAL), resource.name
