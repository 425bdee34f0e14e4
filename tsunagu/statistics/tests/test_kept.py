"""The kept counts (statistics.kept) against a fresh count from the records: equal after
each kind of change, with the changed months marked stale in the change's transaction
and counted again on the next read."""

import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.cases.models import Case, CaseState, TimelineEntry, TimelineKind
from tsunagu.employment.models import EmploymentType, IncomeRise, Placement
from tsunagu.sheets.models import EvaluationSheet, PlanSheet, Programme, SupportDecision
from tsunagu.statistics import kept
from tsunagu.statistics.definitions import (
    Scope,
    figures,
    fiscal_year,
    month,
    scope_for,
    trailing_months,
)
from tsunagu.statistics.models import CountedMonth
from tsunagu.statistics.tests import month as hand

pytestmark = pytest.mark.django_db
JST = hand.JST
# Every month the hand-counted records touch, and the two fiscal years around them.
PERIODS = [*(month(2026, n) for n in range(1, 8)), fiscal_year(2025), fiscal_year(2026)]
TREND = trailing_months(month(2026, 6), 12)


@pytest.fixture
def counted(world: SimpleNamespace) -> SimpleNamespace:
    Case.objects.filter(pk__in=[world.case.pk, world.hanako_case.pk]).update(opened_on=hand.day(6, 1, 2024))
    world.m = hand.build(world)
    world.scope = scope_for(world.town)
    assert_kept_equal_fresh(world.scope)  # every month read once: all kept from here
    assert not stale(world)
    return world


def values(rows: list[Any]) -> dict[str, Any]:
    return {row.key: row.value for row in rows}


def kept_values(scope: Scope, period: Any) -> dict[str, Any]:
    rows, _numbers = kept.figures(scope, period)
    return values(rows)


def assert_kept_equal_fresh(scope: Scope) -> None:
    for period in PERIODS:
        assert kept_values(scope, period) == values(figures(scope, period)), period.short_label
    rows, _numbers = kept.figures(scope, month(2026, 6), trend_months=TREND)
    fresh = figures(scope, month(2026, 6), trend_months=TREND)
    assert [(r.key, r.trend) for r in rows] == [(r.key, r.trend) for r in fresh]


def stale(world: SimpleNamespace) -> set[str]:
    """The town centre's stale months among those the tests read (the world's own cases,
    opened today, leave this month stale until it is read)."""
    rows = CountedMonth.objects.filter(
        centre=world.centre, stale_since__isnull=False, month__in=[p.start for p in PERIODS if p.kind == "month"]
    )
    return {f"{row.month:%Y-%m}" for row in rows}


def check(
    world: SimpleNamespace, change: Callable[[], object], marks: set[str], moved: dict[tuple[str, str], tuple[Any, Any]]
) -> None:
    """Apply `change`; it marks exactly `marks` stale (at least); the figures in `moved`
    ((period, key): (before, after)) change as counted by hand; kept equals fresh."""
    before = {(p, k): kept_values(world.scope, _period(p))[k] for p, k in moved}
    assert before == {pk: ab[0] for pk, ab in moved.items()}
    change()
    assert marks <= stale(world), stale(world)
    after = {(p, k): kept_values(world.scope, _period(p))[k] for p, k in moved}
    assert after == {pk: ab[1] for pk, ab in moved.items()}
    assert_kept_equal_fresh(world.scope)
    assert not stale(world)  # the reads counted them again


def _period(text: str) -> Any:
    if text.startswith("FY"):
        return fiscal_year(int(text[2:]))
    year, number = text.split("-")
    return month(int(year), int(number))


def test_a_record_created_in_a_new_month(counted: SimpleNamespace) -> None:
    m = counted.m

    def change() -> None:
        Placement.objects.create(
            case=m.c,
            employer_name="雄勝野商店",
            started_on=hand.day(6, 3),
            employment_type=EmploymentType.PART_TIME,
            recorded_by=counted.consultant,
        )

    check(
        counted, change, {"2026-06"}, {("2026-06", "employed_targets"): (0, 1), ("FY2026", "employed_targets"): (1, 2)}
    )


def test_a_record_edited_to_another_month_and_fiscal_year(counted: SimpleNamespace) -> None:
    rise = IncomeRise.objects.get(case=counted.m.a, source="work")

    def change() -> None:
        # 20 March: before A's first plan (31 March), so not yet a target.
        rise.risen_on = hand.day(3, 20)
        rise.save(update_fields=["risen_on"])

    check(
        counted,
        change,
        {"2026-03", "2026-04"},
        {
            ("2026-04", "income_targets"): (2, 1),
            ("2026-03", "income_others"): (0, 1),
            ("FY2025", "income_others"): (0, 1),
            ("FY2026", "income_targets"): (2, 1),
        },
    )


def test_a_record_deleted(counted: SimpleNamespace) -> None:
    latest = EvaluationSheet.objects.get(case=counted.m.a, version=2)
    check(counted, latest.delete, {"2026-04"}, {("2026-04", "improved"): (1, 0), ("FY2026", "improved"): (1, 0)})


def test_an_evaluation_corrected_in_place(counted: SimpleNamespace) -> None:
    latest = EvaluationSheet.objects.get(case=counted.m.a, version=2)

    def change() -> None:
        latest.motivation_after = latest.motivation_before  # no longer better than before
        latest.save(update_fields=["motivation_after"])

    check(counted, change, {"2026-04"}, {("2026-04", "improved"): (1, 0)})


def test_a_plan_re_agreed_moves_the_first_agreement_and_the_targets(counted: SimpleNamespace) -> None:
    first = PlanSheet.objects.get(case=counted.m.a, version=1)

    def change() -> None:
        # A's first version now agreed in May: its v2 (10 April) becomes the first agreed.
        first.agreed_on = hand.day(5, 20)
        first.save(update_fields=["agreed_on"])

    check(
        counted,
        change,
        {"2026-03", "2026-04", "2026-05"},
        {
            ("2026-03", "plans"): (1, 0),
            ("2026-04", "plans"): (2, 3),
            ("FY2025", "employment_targets"): (1, 0),
        },
    )


def test_a_plan_without_employment_support_any_more(counted: SimpleNamespace) -> None:
    first = PlanSheet.objects.get(case=counted.m.a, version=1)

    def change() -> None:
        first.employment_support = False
        first.save(update_fields=["employment_support"])

    # A's first version with employment support is now its v2 (10 April): another
    # record's month, across the fiscal-year boundary.
    check(
        counted,
        change,
        {"2026-03", "2026-04"},
        {("2026-03", "employment_targets"): (1, 0), ("2026-04", "employment_targets"): (1, 2)},
    )


def test_a_case_closed_across_a_month_and_a_fiscal_year_boundary(counted: SimpleNamespace) -> None:
    e = counted.m.e

    def change() -> None:
        e.closed_on = hand.day(3, 31)  # was 1 May
        e.save(update_fields=["closed_on"])

    check(
        counted,
        change,
        {"2026-03", "2026-05"},
        {
            ("2026-05", "closures"): (1, 0),
            ("2026-03", "closures"): (0, 1),
            ("FY2025", "closures"): (0, 1),
            ("FY2026", "closures"): (2, 1),
        },
    )


def test_a_case_back_dated(counted: SimpleNamespace) -> None:
    b = counted.m.b

    def change() -> None:
        b.opened_on = hand.day(3, 15)
        b.save(update_fields=["opened_on"])

    check(counted, change, {"2026-03", "2026-04"}, {("2026-04", "new_consultations"): (3, 2)})


def test_a_move_corrected_to_another_month(counted: SimpleNamespace) -> None:
    entry = TimelineEntry.objects.get(case=counted.m.f, to_state=CaseState.CLOSED_INFO_ONLY)

    def change() -> None:
        entry.at = dt.datetime(2026, 3, 31, 23, 59, tzinfo=JST)
        entry.save(update_fields=["at"])

    check(counted, change, {"2026-03", "2026-04"}, {("2026-04", "info_only"): (1, 0), ("2026-03", "info_only"): (0, 1)})


def test_a_decision_of_another_programme_takes_its_extensions_along(counted: SimpleNamespace) -> None:
    decision = SupportDecision.objects.get(case=counted.m.a)

    def change() -> None:
        decision.programme = Programme.HOUSEHOLD_BUDGET
        decision.save(update_fields=["programme"])

    check(
        counted,
        change,
        {"2026-01", "2026-03", "2026-04"},
        {("2026-04", "housing_benefit_extended"): (1, 0), ("2026-03", "housing_benefit_extended"): (1, 0)},
    )


def test_a_case_moved_to_another_centre(counted: SimpleNamespace) -> None:
    a = counted.m.a

    def change() -> None:
        a.agency = counted.other_centre
        a.save(update_fields=["agency"])

    check(counted, change, {"2026-01", "2026-03", "2026-04"}, {("2026-04", "closures"): (1, 0)})
    other = scope_for(counted.other_town)
    assert kept_values(other, month(2026, 4)) == values(figures(other, month(2026, 4)))


def test_a_move_deleted(counted: SimpleNamespace) -> None:
    entry = TimelineEntry.objects.get(case=counted.m.d, to_state=CaseState.HANDED_OFF)
    check(counted, entry.delete, {"2026-04"}, {("2026-04", "handed_off"): (1, 0), ("FY2026", "handed_off"): (2, 1)})


def test_a_note_marks_nothing_and_costs_nothing(counted: SimpleNamespace) -> None:
    with CaptureQueriesContext(connection) as captured:
        TimelineEntry.objects.create(case=counted.m.a, kind=TimelineKind.NOTE, detail="電話")
    assert len(captured.captured_queries) == 1  # the insert alone
    assert not stale(counted)


def test_a_bulk_change_needs_the_rebuild(counted: SimpleNamespace) -> None:
    # update() sends no signals: the kept counts stay behind until the rebuild.
    Case.objects.filter(pk=counted.m.d.pk).update(opened_on=hand.day(5, 5))
    assert kept_values(counted.scope, month(2026, 4))["new_consultations"] == 3
    out = io.StringIO()
    call_command("rebuild_statistics", stdout=out)
    assert "months counted" in out.getvalue()
    assert kept_values(counted.scope, month(2026, 4))["new_consultations"] == 2
    assert_kept_equal_fresh(counted.scope)
