"""The national statistics (支援状況調査, DOMAIN.md §8): every figure defined once, here.

Each figure is a `Definition`: which record is counted, and which of its dates decides
the month it counts in. Pages, exports and `manage.py national_stats` all read these;
docs/statistics.md lists them. A month is a calendar month in Japan time; a fiscal year
(年度) runs from April to March. A person is counted once per period in the figures
that count people (a case is one support episode of one person).

The figures are aggregates: every case of the centre counts, whatever its consents say
(counting is not sharing; see docs/statistics.md on Purpose.STATISTICS).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, AgencyKind, Municipality
from tsunagu.cases.models import Case, CaseState, TimelineEntry, TimelineKind
from tsunagu.employment.models import EmploymentType, IncomeRise, IncomeSource, Placement
from tsunagu.lib.wareki import era_of, era_year_label
from tsunagu.sheets.models import CONDITIONS, DecisionExtension, EvaluationSheet, PlanSheet, Programme, SupportDecision

# Periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `start` (included) to `end` (excluded): one month or one fiscal year."""

    start: dt.date
    end: dt.date
    kind: str  # "month" or "year"

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    @property
    def label(self) -> str:
        """令和8年4月, or 令和8年度（2026年度） (a fiscal year takes the era of its April)."""
        found = era_of(self.start)
        era = f"{found[0].name}{era_year_label(found[1])}" if found else f"{self.start.year}年"
        if self.kind == "year":
            return f"{era}度（{self.start.year}年度）"
        return f"{era}{self.start.month}月"

    @property
    def short_label(self) -> str:
        return f"{self.start.year}-{self.start.month:02d}" if self.kind == "month" else f"{self.start.year}年度"

    @property
    def query(self) -> str:
        """How the period is written in a URL (?month=2026-11 or ?year=2026)."""
        return f"month={self.start:%Y-%m}" if self.kind == "month" else f"year={self.start.year}"

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in Japan time, for records dated by a moment."""
        tz = timezone.get_default_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    end = dt.date(year + (number == 12), number % 12 + 1, 1)
    return Period(start, end, "month")


def fiscal_year(year: int) -> Period:
    """年度 `year`: April of `year` to March of `year + 1`."""
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 4, 1), "year")


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def parse_month(text: str) -> Period:
    """`YYYY-MM` → the month; ValueError for anything else (the forms say it in Japanese)."""
    year, sep, number = text.strip().partition("-")
    if not sep or not text.isascii() or not (year.isdigit() and number.isdigit()) or len(year) != 4:
        raise ValueError(f"not a month: {text!r}")
    if not (1 <= int(number) <= 12 and 2000 <= int(year) <= 2100):
        raise ValueError(f"not a month: {text!r}")
    return month(int(year), int(number))


def months_of(period: Period) -> list[Period]:
    result, day = [], period.start
    while day < period.end:
        result.append(month(day.year, day.month))
        day = result[-1].end
    return result


def trailing_months(last: Period, count: int = 12) -> list[Period]:
    """The `count` months ending with the month `last` starts in."""
    result = [month(last.start.year, last.start.month)]
    while len(result) < count:
        previous = result[0].start - dt.timedelta(days=1)
        result.insert(0, month(previous.year, previous.month))
    return result


# Scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A municipality's centres, or one of them. Per-100,000 figures use the
    municipality's population (a centre serves its municipality)."""

    municipality: Municipality
    centre: Agency | None = None
    centre_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return self.centre.name if self.centre else str(self.municipality)


def scope_for(municipality: Municipality, centre: Agency | None = None) -> Scope:
    if centre is not None:
        return Scope(municipality, centre, (centre.pk,))
    ids = Agency.objects.filter(municipality=municipality, kind=AgencyKind.CONSULTATION_CENTRE).values_list(
        "pk", flat=True
    )
    return Scope(municipality, None, tuple(ids))


# Definitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """A counted figure. `records(scope)` are the records behind it, not yet limited to
    a period; `date` is the field whose value decides the month; `counts` is the field
    counted distinctly (the case, so that a person counts once, or the record itself)."""

    key: str
    label: Promise
    records: Callable[[Scope], QuerySet[Any]]
    date: str
    counts: str = "case_id"
    # The path from the record to its case (for the list of cases behind the figure).
    case_path: str = "case_id"
    # The date field holds a moment (a datetime), not a day.
    moment: bool = False
    # The records and fields behind it, by their names in the code (docs/statistics.md).
    source: str = ""
    # The national 目安値 this figure is read against, per 100,000 population a month.
    guideline: str = ""
    doc: str = ""

    def in_period(self, scope: Scope, period: Period) -> QuerySet[Any]:
        start, end = period.moments() if self.moment else (period.start, period.end)
        return self.records(scope).filter(**{f"{self.date}__gte": start, f"{self.date}__lt": end})

    def count(self, scope: Scope, period: Period) -> int:
        return self.in_period(scope, period).aggregate(n=Count(self.counts, distinct=self.counts != "pk"))["n"]

    def by_month(self, scope: Scope, months: list[Period]) -> list[int]:
        """One count per month in one grouped query."""
        whole = Period(months[0].start, months[-1].end, "range")
        rows = (
            self.in_period(scope, whole)
            .annotate(bucket=TruncMonth(self.date))
            .values("bucket")
            .annotate(n=Count(self.counts, distinct=self.counts != "pk"))
            .order_by()
        )
        found = {_month_start(row["bucket"]): row["n"] for row in rows}
        return [found.get(m.start, 0) for m in months]


def _month_start(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return dt.date(value.year, value.month, 1)


def _in_scope(rows: QuerySet[Any], scope: Scope, path: str = "case_id") -> QuerySet[Any]:
    """The rows whose case is held by one of the scope's centres. The case's centre is
    looked up per row (a subquery with LIMIT 1, which PostgreSQL keeps as a look-up by
    primary key instead of a join): a period holds few records, a centre may hold a
    million cases, and a join would read them all (docs/benchmarks.md)."""
    centre = Subquery(Case.objects.filter(pk=OuterRef(path)).order_by().values("agency_id")[:1])
    return rows.alias(case_centre=centre).filter(case_centre__in=scope.centre_ids)


def _cases(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(agency_id__in=scope.centre_ids)


def _new_consultations(scope: Scope) -> QuerySet[Case]:
    return _cases(scope).annotate(case_id=F("pk"))


def _first_agreed_plans(scope: Scope, *, employment_only: bool = False) -> QuerySet[PlanSheet]:
    extra = {"employment_support": True} if employment_only else {}
    # The case's first agreement, looked up per row like the centre (see _in_scope).
    first = PlanSheet.objects.filter(case_id=OuterRef("case_id"), agreed_on__isnull=False, **extra)
    plans = PlanSheet.objects.filter(agreed_on__isnull=False, **extra).alias(
        first_agreed=Subquery(first.order_by("agreed_on").values("agreed_on")[:1])
    )
    return _in_scope(plans.filter(agreed_on=F("first_agreed")), scope)


def _plans(scope: Scope) -> QuerySet[PlanSheet]:
    return _first_agreed_plans(scope)


def _employment_targets(scope: Scope) -> QuerySet[PlanSheet]:
    return _first_agreed_plans(scope, employment_only=True)


def _target_by(date_field: str) -> Exists:
    """The case was an employment-support target on the record's date: an agreed plan
    version with employment support, agreed on or before it."""
    return Exists(
        PlanSheet.objects.filter(
            case_id=OuterRef("case_id"), employment_support=True, agreed_on__lte=OuterRef(date_field)
        )
    )


def _placements(target: bool) -> Callable[[Scope], QuerySet[Any]]:
    def records(scope: Scope) -> QuerySet[Any]:
        # 認定就労訓練の非雇用型 has no employment contract: it is training, not work.
        rows = _in_scope(Placement.objects.exclude(employment_type=EmploymentType.TRAINING_NON_EMPLOYED), scope)
        return rows.filter(_target_by("started_on")) if target else rows.exclude(_target_by("started_on"))

    return records


def _income_rises(target: bool | None, source: str = IncomeSource.WORK) -> Callable[[Scope], QuerySet[Any]]:
    """Rises of the given source; target True/False: among employment-support targets or
    not, None: everyone."""

    def records(scope: Scope) -> QuerySet[Any]:
        rows = _in_scope(IncomeRise.objects.filter(source=source), scope)
        if target is None:
            return rows
        return rows.filter(_target_by("risen_on")) if target else rows.exclude(_target_by("risen_on"))

    return records


IMPROVED = Q()
for _name, _label in CONDITIONS:
    IMPROVED |= Q(**{f"{_name}_after__gt": F(f"{_name}_before")})


def _evaluations(scope: Scope) -> QuerySet[EvaluationSheet]:
    return _in_scope(EvaluationSheet.objects.all(), scope)


def _housing_decisions(scope: Scope) -> QuerySet[SupportDecision]:
    return _in_scope(SupportDecision.objects.filter(programme=Programme.HOUSING_BENEFIT), scope)


def _housing_extensions(scope: Scope) -> QuerySet[DecisionExtension]:
    return _in_scope(
        DecisionExtension.objects.filter(decision__programme=Programme.HOUSING_BENEFIT), scope, "decision__case_id"
    )


def _moves_to(state: str) -> Callable[[Scope], QuerySet[TimelineEntry]]:
    def records(scope: Scope) -> QuerySet[TimelineEntry]:
        return _in_scope(TimelineEntry.objects.filter(kind=TimelineKind.STATE, to_state=state), scope)

    return records


def _closures(scope: Scope) -> QuerySet[Case]:
    return _cases(scope).filter(closed_on__isnull=False).annotate(case_id=F("pk"))


NEW_CONSULTATIONS = Definition(
    "new_consultations",
    _("新規相談受付件数"),
    _new_consultations,
    "opened_on",
    counts="pk",
    guideline="new_consultations",
    source="Case.opened_on",
    doc="ケースの受付日の月。1ケース1件。把握の段階で作られたケースも、受付日で数えます。",
)
PLANS = Definition(
    "plans",
    _("プラン作成件数"),
    _plans,
    "agreed_on",
    guideline="plans",
    source="PlanSheet.agreed_on, the earliest per case",
    doc="プラン兼事業等利用申込書のうち、そのケースで最初に本人の同意を得た版の同意日の月。"
    "再プラン・修正の版は数えません（1ケース1件）。",
)
EMPLOYMENT_TARGETS = Definition(
    "employment_targets",
    _("就労支援対象者数"),
    _employment_targets,
    "agreed_on",
    guideline="employment_targets",
    source="PlanSheet.agreed_on of versions with employment_support, the earliest per case",
    doc="「就労支援の対象とする」が付いたプランの版のうち、そのケースで最初に同意を得た版の"
    "同意日の月。再プランで初めて就労支援の対象になったときは、その版の同意日の月。",
)
EMPLOYED_TARGETS = Definition(
    "employed_targets",
    _("就労者数（就労支援対象者）"),
    _placements(True),
    "started_on",
    source="Placement.started_on, employment_type other than training_non_employed",
    doc="就労の就労開始日の月。その日までに同意された就労支援対象のプランがあるケース。"
    "同じ月に2件の就労があっても1人。認定就労訓練の非雇用型は就労に数えません（雇用契約がないため）。",
)
EMPLOYED_OTHERS = Definition(
    "employed_others",
    _("就労者数（上記以外）"),
    _placements(False),
    "started_on",
    source="Placement.started_on, employment_type other than training_non_employed",
    doc="就労の就労開始日の月。その日に就労支援対象ではなかったケース。",
)
INCOME_TARGETS = Definition(
    "income_targets",
    _("増収者数（就労支援対象者）"),
    _income_rises(True),
    "risen_on",
    source="IncomeRise.risen_on, source=work",
    doc="就労による増収の増収日の月。その日までに同意された就労支援対象のプランがあるケース。",
)
INCOME_OTHERS = Definition(
    "income_others",
    _("増収者数（上記以外）"),
    _income_rises(False),
    "risen_on",
    source="IncomeRise.risen_on, source=work",
    doc="就労による増収の増収日の月。その日に就労支援対象ではなかったケース。",
)
INCOME_NOT_WORK = Definition(
    "income_not_work",
    _("就労以外の収入による増収者数"),
    _income_rises(None, IncomeSource.OTHER),
    "risen_on",
    source="IncomeRise.risen_on, source=other",
    doc="就労以外（年金・手当等）による増収の増収日の月。全員。"
    "国の調査が就労による増収と分けて数えるため、別の行にしています。",
)
EVALUATED = Definition(
    "evaluated",
    _("評価を行った人数"),
    _evaluations,
    "evaluated_on",
    source="EvaluationSheet.evaluated_on",
    doc="評価シートの評価日の月。1ケース1人。",
)
IMPROVED_PEOPLE = Definition(
    "improved",
    _("自立に向けた改善が見られた人数"),
    lambda scope: _evaluations(scope).filter(IMPROVED),
    "evaluated_on",
    source="EvaluationSheet.evaluated_on, EvaluationSheet.improved of the last version",
    doc="評価日がその月の評価シートのうち、そのケースの月内で最後の版で、意欲・関係性・参加・"
    "経済的困窮の改善・就労のいずれかが前より上がったもの。",
)
HOUSING_NEW = Definition(
    "housing_benefit_new",
    _("住居確保給付金 新規決定件数"),
    _housing_decisions,
    "decided_on",
    counts="pk",
    source="SupportDecision.decided_on, programme=housing_benefit",
    doc="住居確保給付金の支援決定の決定日の月。決定1件を1件。",
)
HOUSING_EXTENDED = Definition(
    "housing_benefit_extended",
    _("住居確保給付金 延長決定件数"),
    _housing_extensions,
    "decided_on",
    counts="pk",
    case_path="decision__case_id",
    source="DecisionExtension.decided_on, decision.programme=housing_benefit",
    doc="住居確保給付金の支援決定の延長の延長決定日の月。延長1回を1件。",
)
HANDED_OFF = Definition(
    "handed_off",
    _("他制度・他機関へのつなぎ"),
    _moves_to(CaseState.HANDED_OFF),
    "at",
    moment=True,
    source="TimelineEntry.at, kind=state, to_state=handed_off",
    doc="ケースの時系列で「他制度・他機関へつなぎ」へ移った日時（日本時間）の月。",
)
INFO_ONLY = Definition(
    "info_only",
    _("情報提供のみで終了"),
    _moves_to(CaseState.CLOSED_INFO_ONLY),
    "at",
    moment=True,
    source="TimelineEntry.at, kind=state, to_state=closed_info_only",
    doc="ケースの時系列で「情報提供のみで終了」へ移った日時（日本時間）の月。",
)
CLOSURES = Definition(
    "closures",
    _("終結件数"),
    _closures,
    "closed_on",
    counts="pk",
    source="Case.closed_on",
    doc="ケースの終結日の月。",
)

DEFINITIONS: tuple[Definition, ...] = (
    NEW_CONSULTATIONS,
    PLANS,
    EMPLOYMENT_TARGETS,
    EMPLOYED_TARGETS,
    EMPLOYED_OTHERS,
    INCOME_TARGETS,
    INCOME_OTHERS,
    INCOME_NOT_WORK,
    EVALUATED,
    IMPROVED_PEOPLE,
    HOUSING_NEW,
    HOUSING_EXTENDED,
    HANDED_OFF,
    INFO_ONLY,
    CLOSURES,
)
BY_KEY = {d.key: d for d in DEFINITIONS}


# Figures that are not a plain count -------------------------------------------------------


def _latest_evaluations(scope: Scope, months: list[Period]) -> dict[dt.date, dict[int, bool]]:
    """For each month, each evaluated case's last version that month: improved or not."""
    whole = Period(months[0].start, months[-1].end, "range")
    rows = (
        EVALUATED.in_period(scope, whole)
        .annotate(is_improved=Q(IMPROVED))
        .values_list("case_id", "version", "evaluated_on", "is_improved")
        .order_by("version")
    )
    latest: dict[dt.date, dict[int, bool]] = defaultdict(dict)
    for case_id, _version, on, improved in rows:
        latest[dt.date(on.year, on.month, 1)][case_id] = bool(improved)
    return latest


def improvement_counts(scope: Scope, months: list[Period]) -> list[tuple[int, int]]:
    """(evaluated, improved) per month, the improvement read from each case's last
    evaluation version of the month (a corrected evaluation replaces the earlier one)."""
    latest = _latest_evaluations(scope, months)
    return [(len(latest[m.start]), sum(latest[m.start].values())) for m in months]


def improvement_in(scope: Scope, period: Period) -> tuple[int, int]:
    """(evaluated, improved) over a period: each case's last evaluation version in it."""
    rows = (
        EVALUATED.in_period(scope, period)
        .annotate(is_improved=Q(IMPROVED))
        .values_list("case_id", "is_improved")
        .order_by("version")
    )
    last = dict(rows)
    return len(last), sum(bool(v) for v in last.values())


def improved_case_ids(scope: Scope, period: Period) -> list[int]:
    rows = (
        EVALUATED.in_period(scope, period)
        .annotate(is_improved=Q(IMPROVED))
        .values_list("case_id", "is_improved")
        .order_by("version")
    )
    return [case_id for case_id, improved in dict(rows).items() if improved]


def employed_or_risen_targets(scope: Scope, period: Period) -> set[int]:
    """Employment-support targets who got work or whose income from work rose in the
    period (the numerator of 就労・増収率; a person counts once)."""
    found: set[int] = set()
    for definition in (EMPLOYED_TARGETS, INCOME_TARGETS):
        found.update(definition.in_period(scope, period).values_list("case_id", flat=True))
    return found


def employed_or_risen_by_month(scope: Scope, months: list[Period]) -> list[int]:
    whole = Period(months[0].start, months[-1].end, "range")
    found: dict[dt.date, set[int]] = defaultdict(set)
    for definition in (EMPLOYED_TARGETS, INCOME_TARGETS):
        for case_id, on in definition.in_period(scope, whole).values_list("case_id", definition.date):
            found[dt.date(on.year, on.month, 1)].add(case_id)
    return [len(found[m.start]) for m in months]


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A share in percent, one decimal; None when it cannot be computed."""
    if numerator is None or not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def per_100k(count: int | None, population: int, months: int) -> float | None:
    """Per 100,000 population per month, two decimals."""
    if count is None or not population or not months:
        return None
    return round(count * 100_000 / population / months, 2)


def guidelines() -> dict[str, tuple[float, float]]:
    """The national 目安値 per 100,000 population a month (DOMAIN.md §8), as
    (lower, upper); settings.TSUNAGU_STATISTICS_GUIDELINES overrides them."""
    values = dict(DEFAULT_GUIDELINES)
    values.update(getattr(settings, "TSUNAGU_STATISTICS_GUIDELINES", {}))
    return values


DEFAULT_GUIDELINES: dict[str, tuple[float, float]] = {
    "new_consultations": (20.0, 24.0),
    "plans": (10.0, 12.0),
    "employment_targets": (6.0, 7.0),
}


# Rows of the monthly sheet ----------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    value: int | float | None
    unit: str = "件"
    per_100k: float | None = None
    guideline: tuple[float, float] | None = None
    # True: at or above the 目安値's lower end; False: below; None: no 目安値.
    meets_guideline: bool | None = None
    trend: list[int | float | None] = field(default_factory=list)
    drill: str = ""  # the definition key whose cases are behind the figure

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


def _count_row(definition: Definition, value: int | None, scope: Scope, period: Period) -> Row:
    row = Row(definition.key, str(definition.label), value, drill=definition.key)
    row.per_100k = per_100k(value, scope.municipality.population, period.months)
    if definition.guideline:
        row.guideline = guidelines().get(definition.guideline)
        if row.guideline is not None and row.per_100k is not None:
            row.meets_guideline = row.per_100k >= row.guideline[0]
    return row


# The figures' values, before they become rows: one number per definition key, with the
# evaluated / improved people and the rate's numerator ("employed_or_risen"). Computed
# here from the records (the reference), or read from the kept counts (statistics.kept).
Counts = dict[str, int]
Series = dict[str, list[int]]
PLAIN = tuple(d for d in DEFINITIONS if d not in (EVALUATED, IMPROVED_PEOPLE))
EMPLOYED_OR_RISEN = "employed_or_risen"


def counts_in(scope: Scope, period: Period) -> Counts:
    """Every count of the period, from the records."""
    counts = {d.key: d.count(scope, period) for d in PLAIN}
    counts[EVALUATED.key], counts[IMPROVED_PEOPLE.key] = improvement_in(scope, period)
    counts[EMPLOYED_OR_RISEN] = len(employed_or_risen_targets(scope, period))
    return counts


def counts_by_month(scope: Scope, months: list[Period]) -> Series:
    """Every count of each month (consecutive months), from the records."""
    series = {d.key: d.by_month(scope, months) for d in PLAIN}
    improvement = improvement_counts(scope, months)
    series[EVALUATED.key] = [e for e, _i in improvement]
    series[IMPROVED_PEOPLE.key] = [i for _e, i in improvement]
    series[EMPLOYED_OR_RISEN] = employed_or_risen_by_month(scope, months)
    return series


def figures(scope: Scope, period: Period, *, trend_months: list[Period] | None = None) -> list[Row]:
    """Every figure of the survey for the period, each with its 12-month trend when
    `trend_months` is given, computed from the records (what the kept counts must equal)."""
    series = counts_by_month(scope, trend_months) if trend_months else None
    return rows_from(scope, period, counts_in(scope, period), series)


def rows_from(scope: Scope, period: Period, counts: Counts, series: Series | None) -> list[Row]:
    """The survey's rows from the counts of the period (and of each month, for the trends)."""
    rows = [_count_row(d, counts[d.key], scope, period) for d in PLAIN]
    evaluated, improved = counts[EVALUATED.key], counts[IMPROVED_PEOPLE.key]
    rate_row = Row(
        "employment_rate",
        str(_("就労・増収率（就労支援対象者）")),
        rate(counts[EMPLOYED_OR_RISEN], counts[EMPLOYMENT_TARGETS.key]),
        unit="%",
        drill=EMPLOYED_OR_RISEN,
    )
    share_row = Row(
        "improvement_share",
        str(_("自立に向けた改善が見られた者の割合（評価した人のうち）")),
        rate(improved, evaluated),
        unit="%",
        drill=IMPROVED_PEOPLE.key,
    )
    evaluated_row = Row(EVALUATED.key, str(EVALUATED.label), evaluated, unit="人", drill=EVALUATED.key)
    improved_row = Row(IMPROVED_PEOPLE.key, str(IMPROVED_PEOPLE.label), improved, unit="人", drill=IMPROVED_PEOPLE.key)
    for row in (evaluated_row, improved_row):
        row.per_100k = per_100k(row.value, scope.municipality.population, period.months)  # type: ignore[arg-type]
    # The survey's order: consultations, plans, employment, the rate, evaluation, programmes, endings.
    ordered = [*rows[:8], rate_row, evaluated_row, improved_row, share_row, *rows[8:]]
    if series is not None:
        _add_trends(ordered, series)
    return ordered


def _add_trends(rows: list[Row], counts: Series) -> None:
    series: dict[str, list[int | float | None]] = {key: list(values) for key, values in counts.items()}
    series["improvement_share"] = [
        rate(i, e) for e, i in zip(counts[EVALUATED.key], counts[IMPROVED_PEOPLE.key], strict=True)
    ]
    series["employment_rate"] = [
        rate(n, t) for n, t in zip(counts[EMPLOYED_OR_RISEN], counts[EMPLOYMENT_TARGETS.key], strict=True)
    ]
    for row in rows:
        row.trend = series.get(row.key, [])


def drill_case_ids(key: str, scope: Scope, period: Period) -> Iterable[Any] | None:
    """The cases behind a figure (ids, or a values() queryset of them); None for an
    unknown key."""
    if key == EMPLOYED_OR_RISEN:
        return employed_or_risen_targets(scope, period)
    if key == IMPROVED_PEOPLE.key:
        return improved_case_ids(scope, period)
    definition = BY_KEY.get(key)
    if definition is None:
        return None
    return definition.in_period(scope, period).values(definition.case_path)


DRILL_DOCS: dict[str, str] = {
    **{d.key: d.doc for d in DEFINITIONS},
    "employed_or_risen": "就労支援対象者のうち、その期間に就労した人（就労者数）または"
    "就労による増収があった人（増収者数）。1人1回。就労・増収率はこの人数を就労支援対象者数で割ったもの（%）。",
}
DRILL_LABELS: dict[str, Promise] = {
    **{d.key: d.label for d in DEFINITIONS},
    "employed_or_risen": _("就労・増収した就労支援対象者"),
}
