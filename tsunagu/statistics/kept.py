"""The national statistics, counted once per centre and month instead of per request
(issue 11: ≤ 1 s at a million cases; docs/statistics.md, "Kept counts").

`CountedMonth` holds each centre's counts of a month, filled by the definitions in
statistics.definitions unchanged (one definition, two uses: the counts are
`counts_by_month` of the centre, the same function the tests compare them with).
`CountedCase` holds the cases behind the figures that count a person once per period,
so that a fiscal year counts distinct people, as the definitions do.

Exact when records change: the receivers below mark the (centre, month) of a record's
dates, before and after the change, as stale in the same transaction as the change (a
record moved to another month, or to another centre, changes both). A read counts the
stale and never-counted months of what it shows again before answering, so a page is
never behind the records it shows. Bulk loads send no signals (bulk_create, update(),
INSERT … SELECT): they end with `rebuild()` (`manage.py rebuild_statistics`), which
the nightly schedule also runs (docs/deployment.md).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind
from tsunagu.cases.models import Case, TimelineEntry, TimelineKind
from tsunagu.employment.models import IncomeRise, Placement
from tsunagu.sheets.models import DecisionExtension, EvaluationSheet, PlanSheet, SupportDecision
from tsunagu.statistics.definitions import (
    DEFINITIONS,
    EMPLOYED_OR_RISEN,
    EMPLOYED_TARGETS,
    EMPLOYMENT_TARGETS,
    EVALUATED,
    IMPROVED_PEOPLE,
    INCOME_TARGETS,
    PLAIN,
    PLANS,
    Counts,
    Definition,
    Period,
    Row,
    Scope,
    Series,
    _latest_evaluations,
    _month_start,
    month,
    months_of,
    rows_from,
)
from tsunagu.statistics.models import CountedCase, CountedMonth

# The figures that count a case once per period, and can meet the same case in several
# months (a second placement, a second move): their months' numbers do not add up to a
# fiscal year's, so their cases are kept. A case's first agreed plan, and the records
# counted one by one (counts="pk"), happen once: their months add up.
PER_PERSON: tuple[Definition, ...] = tuple(
    d for d in DEFINITIONS if d.counts != "pk" and d not in (PLANS, EMPLOYMENT_TARGETS, EVALUATED, IMPROVED_PEOPLE)
)
ADDITIVE: tuple[Definition, ...] = tuple(d for d in PLAIN if d not in PER_PERSON)


# Counting ---------------------------------------------------------------------------------


@dataclass
class Counted:
    """A centre's months, counted from the records."""

    counts: dict[dt.date, Counts]
    cases: list[CountedCase]


def _runs(months: list[dt.date]) -> list[list[Period]]:
    """Consecutive months, grouped (each run is counted with one query per figure)."""
    runs: list[list[Period]] = []
    for start in sorted(set(months)):
        current = month(start.year, start.month)
        if runs and runs[-1][-1].end == current.start:
            runs[-1].append(current)
        else:
            runs.append([current])
    return runs


def count(scope: Scope, months: list[dt.date]) -> Counted:
    """One centre's counts of the given months, and the cases behind its per-person
    figures (whose monthly numbers are their cases counted: the same distinct count)."""
    assert scope.centre is not None
    centre = scope.centre.pk
    counts: dict[dt.date, Counts] = {}
    cases: list[CountedCase] = []
    for run in _runs(months):
        whole = Period(run[0].start, run[-1].end, "range")
        people: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
        for definition in PER_PERSON:
            rows = definition.in_period(scope, whole).values_list(definition.counts, definition.date).order_by()
            for case_id, on in rows:
                people[(_month_start(on), definition.key)].add(case_id)
        evaluations = _latest_evaluations(scope, run)
        counts.update({period.start: {} for period in run})
        for definition in ADDITIVE:
            for period, value in zip(run, definition.by_month(scope, run), strict=True):
                counts[period.start][definition.key] = value
        for period in run:
            start, numbers = period.start, counts[period.start]
            for definition in PER_PERSON:
                found = people[(start, definition.key)]
                numbers[definition.key] = len(found)
                cases.extend(CountedCase(centre_id=centre, month=start, key=definition.key, case_id=c) for c in found)
            latest = evaluations.get(start, {})
            numbers[EVALUATED.key], numbers[IMPROVED_PEOPLE.key] = len(latest), sum(latest.values())
            cases.extend(
                CountedCase(centre_id=centre, month=start, key=EVALUATED.key, case_id=case_id, improved=improved)
                for case_id, improved in latest.items()
            )
            numbers[EMPLOYED_OR_RISEN] = len(
                people[(start, EMPLOYED_TARGETS.key)] | people[(start, INCOME_TARGETS.key)]
            )
    return Counted(counts, cases)


def _store(centre: Agency, counted: Counted, seen: dict[dt.date, CountedMonth]) -> None:
    """Write a centre's new counts. A month marked stale again while it was being counted
    (by another transaction) stays stale: the next read counts it once more. Two readers
    counting the same month at once write the same rows: the second's are ignored."""
    now = timezone.now()
    CountedCase.objects.filter(centre=centre, month__in=list(counted.counts)).delete()
    CountedCase.objects.bulk_create(counted.cases, batch_size=5000, ignore_conflicts=True)
    fresh = []
    for start, counts in counted.counts.items():
        row = seen.get(start)
        if row is None:
            fresh.append(CountedMonth(centre=centre, month=start, counts=counts, counted_at=now))
            continue
        CountedMonth.objects.filter(pk=row.pk, stale_since=row.stale_since).update(
            counts=counts, counted_at=now, stale_since=None
        )
    CountedMonth.objects.bulk_create(fresh, ignore_conflicts=True)


def _centres(scope: Scope) -> list[Agency]:
    if scope.centre is not None:
        return [scope.centre]
    return list(Agency.objects.filter(pk__in=scope.centre_ids).order_by("pk"))


def ensure_counted(scope: Scope, months: list[Period]) -> dict[tuple[int, dt.date], CountedMonth]:
    """The scope's counted months, each centre's stale or never-counted ones counted again
    first. Returns them by (centre id, month)."""
    starts = [m.start for m in months]
    rows = CountedMonth.objects.filter(centre_id__in=scope.centre_ids, month__in=starts)
    kept = {(row.centre_id, row.month): row for row in rows}
    for centre in _centres(scope) if _any_to_count(scope, starts, kept) else []:
        seen = {m: row for (c, m), row in kept.items() if c == centre.pk}
        todo = [m for m in starts if m not in seen or seen[m].stale_since is not None]
        if not todo:
            continue
        counted = count(Scope(scope.municipality, centre, (centre.pk,)), todo)
        with transaction.atomic():
            _store(centre, counted, seen)
        now = timezone.now()
        for start in todo:
            kept[(centre.pk, start)] = CountedMonth(
                centre=centre, month=start, counts=counted.counts[start], counted_at=now
            )
    return kept


def _any_to_count(scope: Scope, starts: list[dt.date], kept: dict[tuple[int, dt.date], CountedMonth]) -> bool:
    return any(
        (centre, start) not in kept or kept[(centre, start)].stale_since is not None
        for centre in scope.centre_ids
        for start in starts
    )


# Reading ----------------------------------------------------------------------------------


@dataclass
class Kept:
    """The figures' numbers read from the kept counts, and when they were counted."""

    counts: Counts
    series: Series | None
    counted_at: dt.datetime | None


def _sum(kept: dict[tuple[int, dt.date], CountedMonth], centres: Iterable[int], start: dt.date) -> Counts:
    total: Counts = defaultdict(int)
    for centre in centres:
        for key, value in kept[(centre, start)].counts.items():
            total[key] += value
    return total


def _people_in(scope: Scope, period: Period) -> Counts:
    """The per-person figures of a period longer than a month: distinct cases."""
    rows = CountedCase.objects.filter(
        centre_id__in=scope.centre_ids, month__gte=period.start, month__lt=period.end
    ).values_list("key", "case_id", "month", "improved")
    people: dict[str, set[int]] = defaultdict(set)
    last_evaluation: dict[int, tuple[dt.date, bool]] = {}
    for key, case_id, start, improved in rows:
        if key == EVALUATED.key:
            if case_id not in last_evaluation or last_evaluation[case_id][0] < start:
                last_evaluation[case_id] = (start, improved)
            continue
        people[key].add(case_id)
    counts = {d.key: len(people[d.key]) for d in PER_PERSON}
    counts[EVALUATED.key] = len(last_evaluation)
    counts[IMPROVED_PEOPLE.key] = sum(improved for _start, improved in last_evaluation.values())
    counts[EMPLOYED_OR_RISEN] = len(people[EMPLOYED_TARGETS.key] | people[INCOME_TARGETS.key])
    return counts


def read(scope: Scope, period: Period, trend_months: list[Period] | None = None) -> Kept:
    """The numbers of the period (and of each trend month), counting stale months first."""
    months = months_of(period)
    wanted = {m.start: m for m in [*months, *(trend_months or [])]}
    kept = ensure_counted(scope, list(wanted.values()))
    by_month = {start: _sum(kept, scope.centre_ids, start) for start in wanted}
    counts: Counts = defaultdict(int)
    for m in months:
        for key, value in by_month[m.start].items():
            counts[key] += value
    if len(months) > 1:
        counts.update(_people_in(scope, period))
    series = None
    if trend_months:
        keys = {*counts, *(k for values in by_month.values() for k in values)}
        series = {key: [by_month[m.start].get(key, 0) for m in trend_months] for key in keys}
    stamps = [row.counted_at for row in kept.values() if row.counted_at is not None]
    return Kept(dict(counts), series, min(stamps) if stamps else None)


def figures(scope: Scope, period: Period, *, trend_months: list[Period] | None = None) -> tuple[list[Row], Kept]:
    """definitions.figures, from the kept counts."""
    numbers = read(scope, period, trend_months)
    full: Counts = {key: numbers.counts.get(key, 0) for key in (*(d.key for d in DEFINITIONS), EMPLOYED_OR_RISEN)}
    series = None
    if numbers.series is not None and trend_months:
        series = {key: numbers.series.get(key, [0] * len(trend_months)) for key in full}
    return rows_from(scope, period, full, series), numbers


def monthly_sheet(scope: Scope, months: list[Period]) -> list[Row]:
    """The survey's monthly sheet: one row per item, one value per month (row.trend)."""
    rows, _numbers = figures(scope, Period(months[0].start, months[-1].end, "year"), trend_months=months)
    return rows


# Rebuilding -------------------------------------------------------------------------------


def rebuild(first: dt.date | None = None, last: dt.date | None = None) -> int:
    """Count every centre's months again, from the month of its oldest case (or `first`)
    to this month (or `last`); the nightly job and the end of every bulk load. Returns
    the number of months counted."""
    today = timezone.localdate()
    last = last or today
    done = 0
    for centre in Agency.objects.filter(kind=AgencyKind.CONSULTATION_CENTRE).select_related("municipality"):
        start = first or _oldest(centre.pk) or today
        months = [m.start for m in months_of(Period(start.replace(day=1), month(last.year, last.month).end, "range"))]
        scope = Scope(centre.municipality, centre, (centre.pk,))
        seen = {row.month: row for row in CountedMonth.objects.filter(centre=centre, month__in=months)}
        counted = count(scope, months)
        with transaction.atomic():
            _store(centre, counted, seen)
        done += len(months)
    return done


def _oldest(centre: int) -> dt.date | None:
    """The earliest day any figure of the centre can count in: its records are dated
    after their case was opened, but a back-dated one may not be; the oldest of both."""
    dates = [Case.objects.filter(agency_id=centre).aggregate(first=models.Min("opened_on"))["first"]]
    for source in SOURCES.values():
        if source.model is Case:
            continue
        found = source.model._default_manager.filter(**{source.centre: centre}).aggregate(
            first=models.Min(source.dates[0])
        )["first"]
        dates.append(timezone.localtime(found).date() if isinstance(found, dt.datetime) else found)
    known = [d for d in dates if d is not None]
    return min(known) if known else None


# Marking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A record the figures read: the dates that decide its months, the path to its
    case's centre, and the fields whose change can move it in or out of a figure (none
    named: any change can). A save with update_fields naming none of them marks nothing."""

    model: type[models.Model]
    dates: tuple[str, ...]
    centre: str
    fields: tuple[str, ...]


SOURCES: dict[type[models.Model], Source] = {
    s.model: s
    for s in (
        Source(Case, ("opened_on", "closed_on"), "agency_id", ("opened_on", "closed_on", "agency")),
        Source(PlanSheet, ("agreed_on",), "case__agency_id", ("agreed_on", "employment_support", "case")),
        # Any field: the conditions before and after decide whether it shows improvement.
        Source(EvaluationSheet, ("evaluated_on",), "case__agency_id", ()),
        Source(Placement, ("started_on",), "case__agency_id", ("started_on", "employment_type", "case")),
        Source(IncomeRise, ("risen_on",), "case__agency_id", ("risen_on", "source", "case")),
        Source(SupportDecision, ("decided_on",), "case__agency_id", ("decided_on", "programme", "case")),
        Source(DecisionExtension, ("decided_on",), "decision__case__agency_id", ("decided_on", "decision")),
        Source(TimelineEntry, ("at",), "case__agency_id", ("at", "kind", "to_state", "case")),
    )
}
# Everything of a case whose months a change of the case's plans can move: a plan's
# agreement makes the case a target from that day (its later placements and rises) and
# can change which version is its first agreed.
CASE_RECORDS: tuple[tuple[type[models.Model], str], ...] = (
    (PlanSheet, "agreed_on"),
    (Placement, "started_on"),
    (IncomeRise, "risen_on"),
)


def _month_of(value: dt.date | dt.datetime | None) -> dt.date | None:
    return None if value is None else _month_start(value)


def _footprint(source: Source, pk: Any) -> set[tuple[int, dt.date]]:
    """The (centre, month) pairs the stored record counts in, read from the database."""
    fields = {"centre_id": F(source.centre), **{f"d{i}": F(d) for i, d in enumerate(source.dates)}}
    found: set[tuple[int, dt.date]] = set()
    for values in source.model._default_manager.filter(pk=pk).values(**fields):
        for index in range(len(source.dates)):
            start = _month_of(values[f"d{index}"])
            if start is not None and values["centre_id"] is not None:
                found.add((values["centre_id"], start))
    return found


def _case_footprint(case_id: int) -> set[tuple[int, dt.date]]:
    """Every (centre, month) a case's records count in (a case moved to another centre)."""
    found: set[tuple[int, dt.date]] = set()
    for source in SOURCES.values():
        path = "pk" if source.model is Case else source.centre.replace("agency_id", "id")
        for pk in source.model._default_manager.filter(**{path: case_id}).values_list("pk", flat=True):
            found |= _footprint(source, pk)
    return found


def _plans_footprint(case_id: int) -> set[tuple[int, dt.date]]:
    centre = Case.objects.filter(pk=case_id).values_list("agency_id", flat=True).first()
    if centre is None:
        return set()
    found: set[tuple[int, dt.date]] = set()
    for model, date in CASE_RECORDS:
        for value in (
            model._default_manager.filter(case_id=case_id).exclude(**{date: None}).values_list(date, flat=True)
        ):
            found.add((centre, _month_start(value)))
    return found


def mark(pairs: Iterable[tuple[int, dt.date]]) -> None:
    """Mark (centre, month) pairs stale: one upsert; the next read counts them again."""
    now = timezone.now()
    rows = [CountedMonth(centre_id=c, month=m, stale_since=now) for c, m in sorted(set(pairs))]
    if rows:
        CountedMonth.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["centre", "month"], update_fields=["stale_since"]
        )


def _touches(source: Source, update_fields: Iterable[str] | None) -> bool:
    if update_fields is None or not source.fields:
        return True
    return bool(set(update_fields) & {*source.fields, *(f"{f}_id" for f in source.fields)})


def _is_statistics_entry(instance: models.Model) -> bool:
    """Timeline entries are written for every note and task; only moves of state count."""
    return not isinstance(instance, TimelineEntry) or instance.kind == TimelineKind.STATE


def _before_save(sender: type[models.Model], instance: models.Model, update_fields: Any = None, **kwargs: Any) -> None:
    source = SOURCES.get(sender)
    if source is None or kwargs.get("raw") or not _touches(source, update_fields):
        return
    if instance._state.adding or instance.pk is None:
        instance._statistics_before = set()  # type: ignore[attr-defined]
        return
    # The months it counted in before the change (a record moved FROM a month).
    before = _footprint(source, instance.pk) if _was_counted(sender, instance) else set()
    instance._statistics_before = before  # type: ignore[attr-defined]


def _was_counted(sender: type[models.Model], instance: models.Model) -> bool:
    if sender is not TimelineEntry:
        return True
    return TimelineEntry.objects.filter(pk=instance.pk, kind=TimelineKind.STATE).exists()


def _after_save(sender: type[models.Model], instance: models.Model, update_fields: Any = None, **kwargs: Any) -> None:
    source = SOURCES.get(sender)
    if source is None or kwargs.get("raw") or not _touches(source, update_fields):
        return
    before: set[tuple[int, dt.date]] = getattr(instance, "_statistics_before", set())
    after = _footprint(source, instance.pk) if _is_statistics_entry(instance) else set()
    pairs = before | after
    old_centres = {c for c, _m in before} - {c for c, _m in after}
    if sender is Case and old_centres:
        # The case moved to another centre: all its records' months, in both.
        moved = _case_footprint(instance.pk)
        pairs |= moved | {(c, m) for c in old_centres for _new, m in moved}
    if sender is PlanSheet:
        pairs |= _plans_footprint(instance.case_id)  # type: ignore[attr-defined]
    if sender is SupportDecision:
        pairs |= _extensions_footprint(instance.pk)
    mark(pairs)


def _extensions_footprint(decision_id: int) -> set[tuple[int, dt.date]]:
    rows = DecisionExtension.objects.filter(decision_id=decision_id).values_list(
        "decision__case__agency_id", "decided_on"
    )
    return {(centre, _month_start(on)) for centre, on in rows if on is not None}


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = SOURCES.get(sender)
    if source is None or not _was_counted(sender, instance):
        return
    pairs = _footprint(source, instance.pk)
    if sender is PlanSheet:
        pairs |= _plans_footprint(instance.case_id)  # type: ignore[attr-defined]
    if sender is SupportDecision:
        pairs |= _extensions_footprint(instance.pk)
    mark(pairs)


# Connected per model (not to every model: a pre_delete receiver on every model would stop
# Django's fast deletes everywhere).
for _model in SOURCES:
    pre_save.connect(_before_save, sender=_model, dispatch_uid=f"statistics_before_save_{_model.__name__}")
    post_save.connect(_after_save, sender=_model, dispatch_uid=f"statistics_after_save_{_model.__name__}")
    pre_delete.connect(_before_delete, sender=_model, dispatch_uid=f"statistics_before_delete_{_model.__name__}")
