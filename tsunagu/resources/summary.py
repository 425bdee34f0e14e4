"""Open cases per area, kept as counts (issue 12): the gaps page and the district page
read `OpenCaseCount` instead of the latest assessment of every open case.

A case counts, while it is open (ACTIVE_STATES), once for its state and once for each
issue of its latest assessment, in the person's district, or in the whole municipality
(area 0) when the person has no district or an order of whereabouts confidentiality
that is not lifted and not yet over (an order about to start counts already: a count
never locates her, even a day early). `OpenCaseEntry` remembers what each case counts
for, so that a change subtracts exactly that and adds the new figures.

The receivers below run inside the transaction of the change (the case's move, a new
assessment version, a person's new district, an order requested or lifted), so the
counts are never behind the records. Bulk loads (bulk_create, update()) send no
signals: they end with `rebuild()` (`manage.py rebuild_open_case_summary`), which is
also the nightly repair for an order whose last day has passed."""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from tsunagu.cases.models import ACTIVE_STATES, Case
from tsunagu.people.models import Person, WhereaboutsConfidentiality
from tsunagu.resources.models import CountKind, OpenCaseCount, OpenCaseEntry
from tsunagu.sheets.models import AssessmentSheet, Issue

WHOLE_MUNICIPALITY = 0
KNOWN_ISSUES = frozenset(Issue.values)
# A case's contribution: (municipality id, area, state, issues).
Contribution = tuple[int, int, str, tuple[str, ...]]
Key = tuple[int, int, str, str]


def withheld_from_districts(person_ref: str = "person_id") -> Q:
    """Orders that keep a person out of the district figures: not lifted, not yet over."""
    return Q(
        Exists(
            WhereaboutsConfidentiality.objects.filter(
                person=OuterRef(person_ref), lifted_at__isnull=True, ends_on__gte=timezone.localdate()
            )
        )
    )


def _contributions(cases: Any) -> Iterable[tuple[int, Contribution]]:
    latest = AssessmentSheet.objects.filter(case=OuterRef("pk")).order_by("-version").values("issues")[:1]
    rows = (
        cases.filter(state__in=ACTIVE_STATES)
        .annotate(
            latest_issues=Subquery(latest, output_field=models.JSONField()),
            withheld=withheld_from_districts(),
        )
        .values_list("pk", "agency__municipality_id", "person__district_id", "state", "latest_issues", "withheld")
        .order_by()
    )
    for pk, municipality, district, state, issues, withheld in rows.iterator(chunk_size=5000):
        area = WHOLE_MUNICIPALITY if withheld or district is None else district
        kept = tuple(sorted({i for i in issues or [] if i in KNOWN_ISSUES}))
        yield pk, (municipality, area, state, kept)


def _keys(contribution: Contribution) -> list[Key]:
    municipality, area, state, issues = contribution
    return [(municipality, area, CountKind.STATE.value, state)] + [
        (municipality, area, CountKind.ISSUE.value, i) for i in issues
    ]


def refresh(case_ids: Iterable[int]) -> None:
    """Count these cases as they are now (in the caller's transaction)."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    with transaction.atomic():
        new = dict(_contributions(Case.objects.filter(pk__in=ids)))
        old = {
            e.case_id: e for e in OpenCaseEntry.objects.select_for_update().filter(case_id__in=ids).order_by("case_id")
        }
        deltas: Counter[Key] = Counter()
        gone, changed = [], []
        for pk in ids:
            entry = old.get(pk)
            before = (entry.municipality_id, entry.area, entry.state, tuple(entry.issues)) if entry else None
            after = new.get(pk)
            if before == after:
                continue
            for key in _keys(before) if before else []:
                deltas[key] -= 1
            for key in _keys(after) if after else []:
                deltas[key] += 1
            if after is None:
                gone.append(pk)
            else:
                changed.append(
                    OpenCaseEntry(
                        case_id=pk, municipality_id=after[0], area=after[1], state=after[2], issues=list(after[3])
                    )
                )
        if gone:
            OpenCaseEntry.objects.filter(case_id__in=gone).delete()
        for entry in changed:
            if entry.case_id in old:
                entry.save(update_fields=["municipality", "area", "state", "issues"])
            else:
                entry.save(force_insert=True)
        _apply(deltas)


def forget(case_ids: Iterable[int]) -> None:
    """Subtract cases that are being deleted."""
    entries = list(OpenCaseEntry.objects.select_for_update().filter(case_id__in=list(case_ids)))
    deltas: Counter[Key] = Counter()
    for entry in entries:
        for key in _keys((entry.municipality_id, entry.area, entry.state, tuple(entry.issues))):
            deltas[key] -= 1
    OpenCaseEntry.objects.filter(case_id__in=[e.case_id for e in entries]).delete()
    _apply(deltas)


def _apply(deltas: Counter[Key]) -> None:
    # In key order, so that two transactions lock the counters in the same order.
    for (municipality, area, kind, key), delta in sorted(deltas.items()):
        if delta == 0:
            continue
        where = {"municipality_id": municipality, "area": area, "kind": kind, "key": key}
        if OpenCaseCount.objects.filter(**where).update(open_cases=F("open_cases") + delta):
            continue
        try:
            with transaction.atomic():  # a savepoint: another transaction may create it first
                OpenCaseCount.objects.create(**where, open_cases=delta)
        except IntegrityError:
            OpenCaseCount.objects.filter(**where).update(open_cases=F("open_cases") + delta)


def rebuild(municipality_id: int | None = None) -> int:
    """Count every open case again from the records; returns how many were counted."""
    cases = Case.objects.all()
    counts = OpenCaseCount.objects.all()
    entries = OpenCaseEntry.objects.all()
    if municipality_id is not None:
        cases = cases.filter(agency__municipality_id=municipality_id)
        counts = counts.filter(municipality_id=municipality_id)
        entries = entries.filter(municipality_id=municipality_id)
    with transaction.atomic():
        counts.delete()
        entries.delete()
        totals: Counter[Key] = Counter()
        batch: list[OpenCaseEntry] = []
        counted = 0
        for pk, (municipality, area, state, issues) in _contributions(cases):
            totals.update(_keys((municipality, area, state, issues)))
            batch.append(
                OpenCaseEntry(case_id=pk, municipality_id=municipality, area=area, state=state, issues=list(issues))
            )
            counted += 1
            if len(batch) == 5000:
                OpenCaseEntry.objects.bulk_create(batch)
                batch = []
        OpenCaseEntry.objects.bulk_create(batch)
        OpenCaseCount.objects.bulk_create(
            [
                OpenCaseCount(municipality_id=m, area=a, kind=k, key=key, open_cases=n)
                for (m, a, k, key), n in totals.items()
            ],
            batch_size=5000,
        )
    return counted


def counts(municipality_id: int, kind: str, area: int | None = None) -> dict[int, Counter[str]]:
    """area → key → open cases, of one kind (one area only, if given)."""
    rows = OpenCaseCount.objects.filter(municipality_id=municipality_id, kind=kind, open_cases__gt=0)
    if area is not None:
        rows = rows.filter(area=area)
    found: dict[int, Counter[str]] = {}
    for row_area, key, n in rows.values_list("area", "key", "open_cases"):
        found.setdefault(row_area, Counter())[key] = n
    return found


# -- what keeps the counts current ------------------------------------------------------

COUNTED_CASE_FIELDS = frozenset({"state", "person", "person_id", "agency", "agency_id"})


@receiver(post_save, sender=Case, dispatch_uid="summary_case_saved")
def _case_saved(sender: Any, instance: Case, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not COUNTED_CASE_FIELDS & set(update_fields):
        return
    refresh([instance.pk])


@receiver(pre_delete, sender=Case, dispatch_uid="summary_case_deleted")
def _case_deleted(sender: Any, instance: Case, **kwargs: Any) -> None:
    forget([instance.pk])


@receiver(post_save, sender=AssessmentSheet, dispatch_uid="summary_assessment_saved")
@receiver(post_delete, sender=AssessmentSheet, dispatch_uid="summary_assessment_deleted")
def _assessment_changed(sender: Any, instance: AssessmentSheet, **kwargs: Any) -> None:
    refresh([instance.case_id])


@receiver(post_save, sender=Person, dispatch_uid="summary_person_saved")
def _person_saved(
    sender: Any, instance: Person, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and "district" not in update_fields):
        return
    refresh(Case.objects.filter(person_id=instance.pk).values_list("pk", flat=True))


@receiver(post_save, sender=WhereaboutsConfidentiality, dispatch_uid="summary_order_saved")
@receiver(post_delete, sender=WhereaboutsConfidentiality, dispatch_uid="summary_order_deleted")
def _order_changed(sender: Any, instance: WhereaboutsConfidentiality, **kwargs: Any) -> None:
    refresh(Case.objects.filter(person_id=instance.person_id).values_list("pk", flat=True))
