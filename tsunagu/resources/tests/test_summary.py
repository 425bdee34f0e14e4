"""The open-case counts the gaps and district pages read (resources.summary) stay equal
to a count from the records after every kind of change, and the pages show them."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tsunagu.cases.models import CaseState
from tsunagu.cases.transitions import move
from tsunagu.conftest import make_case, make_person
from tsunagu.resources import summary
from tsunagu.resources.models import OpenCaseCount, OpenCaseEntry
from tsunagu.tests.records import protect, write_assessment

WHOLE = summary.WHOLE_MUNICIPALITY


def kept(town):
    return {
        (row.area, row.kind, row.key): row.open_cases
        for row in OpenCaseCount.objects.filter(municipality=town)
        if row.open_cases
    }


def assert_current(town):
    """The kept counts are what a count from the records gives, and return them."""
    before = kept(town)
    summary.rebuild(town.pk)
    assert kept(town) == before
    return before


def fixture_counts(world):
    return {
        (world.district.pk, "state", "intake"): 1,
        (world.district.pk, "issue", "economic_hardship"): 1,
        (world.district.pk, "issue", "job_search_difficulty"): 1,
        (WHOLE, "state", "assessment"): 1,
    }


def test_the_fixtures_cases_are_counted_by_state_and_area(world):
    counts = assert_current(world.town)
    # taro in 東小, intake, not assessed yet: his 主訴 (収入・生活費, 仕事探し) stand for his
    # issues (matching.issues_of); hanako under whereabouts confidentiality: the whole
    # municipality.
    assert counts == fixture_counts(world)


def test_an_assessment_and_its_new_version_count_their_issues(world):
    write_assessment(world.case, world.consultant, issues=["debt", "unstable_housing"])
    counts = assert_current(world.town)
    assert counts[(world.district.pk, "issue", "debt")] == 1
    assert counts[(world.district.pk, "issue", "unstable_housing")] == 1
    write_assessment(world.case, world.consultant, issues=["debt", "other"])
    counts = assert_current(world.town)
    assert counts[(world.district.pk, "issue", "debt")] == 1
    assert (world.district.pk, "issue", "unstable_housing") not in counts
    assert counts[(world.district.pk, "issue", "other")] == 1


def test_a_case_leaving_the_open_states_leaves_the_counts(world):
    write_assessment(world.case, world.consultant, issues=["debt"])
    move(world.case, CaseState.SCREENING, world.consultant)
    counts = assert_current(world.town)
    assert counts[(world.district.pk, "state", "screening")] == 1
    assert (world.district.pk, "state", "intake") not in counts
    move(world.case, CaseState.CLOSED_INFO_ONLY, world.consultant)
    counts = assert_current(world.town)
    assert not [key for key in counts if key[0] == world.district.pk]
    assert not OpenCaseEntry.objects.filter(case=world.case).exists()


def test_a_person_moving_district_takes_her_counts_along(world):
    write_assessment(world.case, world.consultant, issues=["debt"])
    world.taro.district = world.district2
    world.taro.save(update_fields=["district"])
    counts = assert_current(world.town)
    assert counts[(world.district2.pk, "issue", "debt")] == 1
    assert (world.district.pk, "issue", "debt") not in counts


def test_a_whereabouts_order_moves_the_counts_to_the_municipality_and_lifting_it_back(world):
    write_assessment(world.case, world.consultant, issues=["debt"])
    order = protect(world.taro, world.consultant)
    counts = assert_current(world.town)
    assert counts[(WHOLE, "issue", "debt")] == 1
    assert (world.district.pk, "issue", "debt") not in counts
    order.lifted_at = timezone.now()
    order.lifted_by = world.chief
    order.save(update_fields=["lifted_at", "lifted_by"])
    counts = assert_current(world.town)
    assert counts[(world.district.pk, "issue", "debt")] == 1
    assert (WHOLE, "issue", "debt") not in counts


def test_a_case_moved_to_another_worker_counts_the_same_and_a_new_case_counts_at_once(world):
    before = assert_current(world.town)
    world.case.worker = world.consultant2
    world.case.save(update_fields=["worker"])
    assert assert_current(world.town) == before
    person = make_person(world.town, "東", "次郎", "ヒガシ", "ジロウ", district=world.district)
    make_case(person, world.centre, world.consultant)
    assert assert_current(world.town)[(world.district.pk, "state", "intake")] == 2


def test_a_rebuild_repairs_counts_written_around_the_signals(world):
    """bulk_create and update() send no signals: the command counts from the records."""
    OpenCaseCount.objects.filter(municipality=world.town).update(open_cases=99)
    OpenCaseEntry.objects.filter(case=world.case).delete()
    call_command("rebuild_open_case_summary", verbosity=0)
    assert kept(world.town) == fixture_counts(world)
    assert OpenCaseEntry.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("who", ["consultant2", "consultant", "chief"])
def test_the_gaps_and_district_pages_show_the_kept_counts(client, world, who):
    write_assessment(world.case, world.consultant, issues=["debt"])
    client.force_login(getattr(world, who))
    gaps = client.get(reverse("resources:gaps")).content.decode()
    assert "債務" in gaps
    district = client.get(f"/community/districts/{world.district.code}/").content.decode()
    assert "相談受付" in district
    # The whole-municipality row holds hanako's assessment state, never her district's.
    second = client.get(f"/community/districts/{world.district2.code}/").content.decode()
    if who != "consultant2":  # her worker and the chief may locate her: her case counts in 西小
        assert "アセスメント" in second
    else:
        assert "アセスメント" not in second


def test_new_concerns_of_a_case_not_yet_assessed_count_at_once(world):
    """The case form replaces the 主訴 in bulk (no post_save): its signal keeps the counts."""
    from tsunagu.cases.views import _save_concerns

    _save_concerns(world.case, ["debt"], "debt")
    counts = assert_current(world.town)
    assert counts[(world.district.pk, "issue", "debt")] == 1
    assert (world.district.pk, "issue", "economic_hardship") not in counts
