#!/usr/bin/env python
"""Measure name search and the main pages on a large town. Prints figures; asserts nothing.

    .venv/bin/python scripts/benchmark.py                 # SQLite in var/benchmark.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_bench .venv/bin/python scripts/benchmark.py

The database is wiped and filled with the demo town plus --people synthetic people
(default 100,000), a fifth of them with a case. Use a scratch database only: the script
refuses a PostgreSQL database whose name does not contain "bench".
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("TSUNAGU_TESTING", "1")  # no SECRET_KEY needed, plain static storage
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(ROOT / "var" / "benchmark.sqlite3")

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
KANJI = "山田中川佐藤鈴木高橋伊渡辺小林加吉松井上木村斎清水森池"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Refusing: point DATABASE_URL at a scratch database whose name contains 'bench'.")
    if not url:
        for suffix in ["", "-wal", "-shm"]:
            Path(os.environ["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    elif url:
        _create_postgres_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tsunagu.accounts.models import Staff
    from tsunagu.cases.models import Case, CaseState
    from tsunagu.people.models import Person

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    consultant = Staff.objects.get(username="consultant")
    town = consultant.agency.municipality
    started = time.perf_counter()
    rnd = random.Random(1)
    batch: list[Person] = []
    for i in range(args.people):
        person = Person(
            municipality=town,
            family_name="".join(rnd.choice(KANJI) for _ in range(2)),
            given_name="".join(rnd.choice(KANJI) for _ in range(2)),
            family_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
            given_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
            phone=f"090-{rnd.randrange(10000):04d}-{i % 10000:04d}",
        )
        person.refresh_search_keys()
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    people = list(Person.objects.filter(municipality=town).values_list("pk", flat=True)[: args.people // 5])
    Case.objects.bulk_create(
        [
            Case(
                person_id=pk,
                agency=consultant.agency,
                worker=consultant,
                state=CaseState.IN_SUPPORT,
                intake_route="walk_in",
                opened_on=timezone.localdate(),
            )
            for pk in people
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Person.objects.count():,} people, {Case.objects.count():,} cases "
        f"(filled in {time.perf_counter() - started:.1f} s)"
    )

    print("\nname search (Person.objects.search, evaluated), milliseconds:")
    for query in ["やまだ", "ﾔﾏﾀﾞ", "山田", "ヤマダ タロウ", "タロウ", "アイ", "090-1234"]:
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            rows = len(Person.objects.in_municipality(town.pk).search(query)[:50])
            timings.append((time.perf_counter() - t) * 1000)
        print(
            f"  {query:<12} rows={rows:<3} median={statistics.median(timings):6.2f}  "
            f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:6.2f}"
        )

    client = Client()
    client.force_login(consultant)
    case = Case.objects.filter(worker=consultant).exclude(state=CaseState.IN_SUPPORT).first() or Case.objects.first()
    print("\npages as `consultant` (Django test client, whole request), milliseconds and queries:")
    for label, path in [
        ("/cases/", "/cases/"),
        ("/people/?q=やまだ", "/people/?q=やまだ"),
        ("/my/", "/my/"),
        ("case page", case.get_absolute_url()),
    ]:
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"  {label:<18} median={statistics.median(timings):7.1f}  "
            f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:7.1f}  queries={len(captured)}"
        )


def _create_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


if __name__ == "__main__":
    main()
