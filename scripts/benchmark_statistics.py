#!/usr/bin/env python
"""Measure the national statistics (/statistics/) and the supervision dashboard on a
municipality with many cases, on PostgreSQL. Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_statistics_bench \\
        .venv/bin/python scripts/benchmark_statistics.py --cases 1000000

The database is wiped, migrated and given the demo town; then --cases synthetic cases of
雄勝野市's centre (each with its own person) are written by the server itself
(INSERT … SELECT over generate_series: a million rows in seconds, no Python objects),
spread over ten years of 受付日, with the records the figures read in the proportions
below, then ANALYZE. scripts/benchmark.py's --people fill opens every case today and
writes no plans, so it cannot show the statistics' month-by-month cost; this one can.

Per case, by id: a tenth each ends 情報提供のみ or is handed off (a timeline entry each),
six tenths get an agreed plan a month after opening (a third of them with 就労支援), a
fifth a re-plan, three tenths an evaluation, a twentieth a placement, a twentieth a rise
of income from work and a fortieth one from elsewhere, a twentieth a 住居確保給付金
decision and a fortieth an extension; every case has its "opened" timeline entry.
Refuses a database whose name does not contain "bench".
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("TSUNAGU_TESTING", "1")

FILL = """
INSERT INTO people_person (code, family_name, given_name, family_name_kana, given_name_kana, sex, postal_code,
    address, phone, email, notes, full_name_key, given_name_key, full_kana_key, given_kana_key, phone_key, version,
    created_at, updated_at, municipality_id)
SELECT gen_random_uuid(), 'ベンチ', 'ケース' || g, 'ベンチ', 'ケース', 'undisclosed', '', '', '', '', '',
    'ベンチケース' || g, 'ケース' || g, 'ベンチケース', 'ケース', '', 1, now(), now(), %(town)s
FROM generate_series(1, %(cases)s) g;

INSERT INTO cases_case (code, state, suspended_from, suspension_reason, intake_route, opened_on, summary,
    screening_outcome, closure_reason, closed_on, state_changed_at, version, created_at, updated_at, agency_id,
    person_id, worker_id)
SELECT gen_random_uuid(),
    (ARRAY['closed_info_only', 'handed_off', 'ended', 'ended', 'in_support', 'closed', 'intake', 'assessment',
           'plan_draft', 'evaluation'])[p.id %% 10 + 1],
    '', '', 'walk_in', %(today)s::date - (p.id %% 3650)::int, '', '', '',
    CASE WHEN p.id %% 10 IN (2, 3, 5) THEN %(today)s::date - (p.id %% 3650)::int + 200 END,
    now(), 1, now(), now(), %(centre)s, p.id, %(worker)s
FROM people_person p WHERE p.id > %(last_person)s;

INSERT INTO sheets_plansheet (code, version, recorded_at, long_term_goal, short_term_goals, programmes, period_start,
    period_end, next_evaluation_on, agreed_on, agreement_method, case_id, recorded_by_id, employment_support)
SELECT gen_random_uuid(), 1, now(), '目標', '', '[]', c.opened_on + 30, c.opened_on + 210, c.opened_on + 120,
    CASE WHEN c.id %% 10 = 8 THEN NULL ELSE c.opened_on + 30 END, 'signature', c.id, %(worker)s, c.id %% 3 = 0
FROM cases_case c WHERE c.id > %(last_case)s AND c.id %% 10 IN (2, 3, 4, 5, 8, 9);

INSERT INTO sheets_plansheet (code, version, recorded_at, long_term_goal, short_term_goals, programmes, period_start,
    period_end, next_evaluation_on, agreed_on, agreement_method, case_id, recorded_by_id, employment_support)
SELECT gen_random_uuid(), 2, now(), '再プラン', '', '[]', c.opened_on + 150, c.opened_on + 330, c.opened_on + 240,
    c.opened_on + 150, 'signature', c.id, %(worker)s, c.id %% 2 = 0
FROM cases_case c WHERE c.id > %(last_case)s AND c.id %% 10 IN (5, 9);

INSERT INTO sheets_evaluationsheet (code, version, recorded_at, evaluated_on, motivation_before, motivation_after,
    relationships_before, relationships_after, participation_before, participation_after, finances_before,
    finances_after, employment_before, employment_after, outcome, reason, case_id, recorded_by_id, plan_id)
SELECT gen_random_uuid(), 1, now(), pl.agreed_on + 110, 2, 2 + (pl.case_id %% 2), 2, 2, 2, 2, 2, 2, 2, 2,
    'replan', '評価', pl.case_id, %(worker)s, pl.id
FROM sheets_plansheet pl WHERE pl.case_id > %(last_case)s AND pl.version = 1 AND pl.case_id %% 10 IN (2, 5, 9);

INSERT INTO cases_timelineentry (at, kind, from_state, to_state, detail, shared, case_id)
SELECT c.opened_on::timestamp AT TIME ZONE 'Asia/Tokyo' + interval '10 hours', 'opened', '', 'intake', '', true, c.id
FROM cases_case c WHERE c.id > %(last_case)s;

INSERT INTO cases_timelineentry (at, kind, from_state, to_state, detail, shared, case_id)
SELECT c.opened_on::timestamp AT TIME ZONE 'Asia/Tokyo' + interval '3 days 11 hours', 'state', 'screening',
    c.state, '', true, c.id
FROM cases_case c WHERE c.id > %(last_case)s AND c.state IN ('closed_info_only', 'handed_off');

INSERT INTO employment_placement (code, employer_name, job, started_on, employment_type, end_reason, end_note,
    created_at, updated_at, version, case_id, recorded_by_id)
SELECT gen_random_uuid(), '事業所', '', c.opened_on + 90, 'part_time', '', '', now(), now(), 1, c.id, %(worker)s
FROM cases_case c WHERE c.id > %(last_case)s AND c.id %% 20 = 4;

INSERT INTO employment_incomerise (code, risen_on, income_before, income_after, source, note, created_at,
    updated_at, version, case_id, recorded_by_id)
SELECT gen_random_uuid(), c.opened_on + 120, 50000, 90000, CASE WHEN c.id %% 40 = 2 THEN 'other' ELSE 'work' END,
    '', now(), now(), 1, c.id, %(worker)s
FROM cases_case c WHERE c.id > %(last_case)s AND (c.id %% 20 = 14 OR c.id %% 40 = 2);

INSERT INTO sheets_supportdecision (code, programme, decided_on, starts_on, ends_on, note, recorded_at, case_id,
    decided_by_id)
SELECT gen_random_uuid(), 'housing_benefit', c.opened_on + 35, c.opened_on + 35, c.opened_on + 125, '', now(), c.id,
    %(officer)s
FROM cases_case c WHERE c.id > %(last_case)s AND c.id %% 20 = 5;

INSERT INTO sheets_decisionextension (requested_on, decided_on, new_ends_on, recorded_at, decided_by_id, decision_id)
SELECT d.starts_on + 80, d.starts_on + 85, d.ends_on + 90, now(), %(officer)s, d.id
FROM sheets_supportdecision d WHERE d.case_id > %(last_case)s AND d.case_id %% 40 = 5;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="Reuse a database this script filled before.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Point DATABASE_URL at a scratch PostgreSQL database whose name contains 'bench'.")
    if not args.keep:
        sys.path.insert(0, str(ROOT / "scripts"))
        from benchmark import _create_postgres_database

        _create_postgres_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tsunagu.accounts.models import Staff
    from tsunagu.cases.models import Case
    from tsunagu.people.models import Person

    settings.ALLOWED_HOSTS = ["testserver"]
    chief = None
    if not args.keep:
        call_command("migrate", verbosity=0)
        call_command("load_demo", force=True, verbosity=0)
        chief = Staff.objects.select_related("agency").get(username="chief")
        started = time.perf_counter()
        values = {
            "cases": args.cases,
            "town": chief.agency.municipality_id,
            "centre": chief.agency_id,
            "worker": Staff.objects.get(username="consultant").pk,
            "officer": Staff.objects.get(username="officer").pk,
            "today": timezone.localdate(),
            "last_person": Person.objects.order_by("-id").values_list("id", flat=True).first(),
            "last_case": Case.objects.order_by("-id").values_list("id", flat=True).first(),
        }
        with connection.cursor() as cursor:
            for statement in [s.strip() for s in FILL.split(";") if s.strip()]:
                t = time.perf_counter()
                cursor.execute(statement, values)
                print(f"  {cursor.rowcount:>10,} rows  {time.perf_counter() - t:6.1f} s  {statement.split('(')[0]}")
            cursor.execute("ANALYZE")
        print(f"filled in {time.perf_counter() - started:.0f} s (load average {_load()})")
        from tsunagu.statistics import kept

        t = time.perf_counter()
        months = kept.rebuild()  # INSERT … SELECT sends no signals: count the months, as a bulk load must
        print(f"kept counts rebuilt: {months} months in {time.perf_counter() - t:.0f} s (load average {_load()})")
    chief = chief or Staff.objects.select_related("agency").get(username="chief")
    measure(chief, args.runs)


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def _stale(chief: object, *starts: dt.date) -> None:
    """What a change of a record does to the kept counts: its months marked stale."""
    from tsunagu.statistics import kept

    kept.mark((chief.agency_id, start) for start in starts)  # type: ignore[attr-defined]


def measure(chief: object, runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tsunagu.cases.models import Case

    today = timezone.localdate()
    last = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    year = today.year if today.month >= 4 else today.year - 1
    print(f"\ndatabase: {connection.vendor}; {Case.objects.count():,} cases")
    from tsunagu.accounts import mfa

    client = Client()
    client.force_login(chief)  # type: ignore[arg-type]
    session = client.session  # the chief has given the second factor (as the tests' force_login)
    mfa.mark_verified(chief, session)  # type: ignore[arg-type]
    session.save()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    pages: list[tuple[str, str, tuple[dt.date, ...]]] = [
        (f"/statistics/?month={last}", "month, with 12-month trends", ()),
        (f"/statistics/?month={last}", "month, 2 months stale", (this_month, last_month)),
        (f"/statistics/?month={last}", "month, 12 months stale", tuple(m.start for m in _trailing(last_month))),
        (f"/statistics/?year={year}", "fiscal year", ()),
        (f"/statistics/export.xlsx?year={year}", "Excel of the fiscal year", ()),
        (f"/statistics/export.csv?year={year}", "CSV of the fiscal year", ()),
        (f"/statistics/cases/plans/?month={last}", "cases behind プラン作成件数", ()),
        (f"/statistics/cases/employed_or_risen/?month={last}", "cases behind 就労・増収", ()),
        ("/statistics/supervision/", "supervision dashboard", ()),
    ]
    print("pages as `chief` (Django test client, whole request), milliseconds:")
    for path, label, stale in pages:
        timings = []
        slowest: dict[str, float] = {}
        for _ in range(runs):
            if stale:
                _stale(chief, *stale)
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            for query in captured.captured_queries:
                slowest[query["sql"]] = max(slowest.get(query["sql"], 0.0), float(query["time"]))
        worst = max(slowest.items(), key=lambda item: item[1])
        print(
            f"  {label:<32} median={statistics.median(timings):8.1f}  max={max(timings):8.1f}  "
            f"queries={len(captured)}  load {_load()}  slowest query {worst[1] * 1000:.0f} ms: {worst[0][:100]}"
        )
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("national_stats", municipality=str(chief.agency.municipality_id), month=last, stdout=io.StringIO())  # type: ignore[attr-defined]
    print(f"  {'manage.py national_stats':<32} {(time.perf_counter() - t) * 1000:8.1f} ms (one run)  load {_load()}")


def _trailing(start: dt.date) -> list[object]:
    from tsunagu.statistics.definitions import month, trailing_months

    return trailing_months(month(start.year, start.month))


if __name__ == "__main__":
    main()
