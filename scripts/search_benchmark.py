#!/usr/bin/env python
"""Measure the full-text search (tsunagu/search) against `icontains` on the same notes.
Prints figures (and writes them as JSON with --json); asserts nothing.

    .venv/bin/python scripts/search_benchmark.py --notes 100000                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_search_bench \\
        .venv/bin/python scripts/search_benchmark.py --notes 1000000

The database is wiped (PostgreSQL: a database whose name contains "bench" only) and
filled with one municipality, one centre, --notes // 20 people each with a case, and
--notes progress notes of realistic Japanese text (50–400 characters of 内容, about half
with a 対応), 20 a case over three years, written in bulk: COPY on PostgreSQL, with the
index entries (the application's own fold and grams, computed in this process) and the
indexes built after the load, then ANALYZE.

Then, for queries of 1, 2, 3 and 5 characters, as the centre's chief (who sees every
case) and as a consultant (the access checks of a worker): the search as /search/ runs
it (`tsunagu.search.query.find`: candidates, check against the text, access, first 50),
and beside it the same question asked with `icontains` over 内容 and 対応: the newest 50
notes of the centre that contain the query. p50 and p95 over --runs runs of each query.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("TSUNAGU_TESTING", "1")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(ROOT / "var" / "search_benchmark.sqlite3")

QUERIES = {
    1: ["家", "介", "ガ", "督", "鍵"],
    2: ["家賃", "介護", "大家", "就労", "ゆう"],
    3: ["督促状", "ハロー", "生活費", "しごと", "国保税"],
    5: ["ハローワー", "住居確保給", "家賃を滞納", "フードバン", "さいむせい"],
}

# Realistic note text: sentences a worker writes, with the people, places and schemes
# of the field (DOMAIN.md), put together at random.
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木"]
PLACES = ["ハローワーク", "市役所", "社会福祉協議会", "地域包括支援センター", "病院", "フードバンク", "不動産会社"]
SCHEMES = ["住居確保給付金", "就労準備支援事業", "家計改善支援事業", "生活福祉資金", "生活保護", "障害年金"]
SENTENCES = [
    "本人より電話あり。{place}での手続きについて相談したいとのこと。",
    "家賃を{n}か月滞納しており、大家の{name}さんから督促状が届いている。",
    "{scheme}の申請について説明し、必要書類を一緒に確認した。",
    "ガス代と電気代の支払いが遅れている。停止の予告はまだない。",
    "母親の介護のため仕事を辞めたとのこと。収入は{n}万円程度。",
    "{place}に同行し、求人票を3件見た。面接の練習を次回行う。",
    "食べるものがないとのことで、フードバンクの食料を手渡した。",
    "国保税の滞納があり、分納の相談を{place}の窓口で行った。",
    "債務整理について法テラスを紹介。本人は「借金の話はしにくい」と話す。",
    "長男がひきこもり状態で、{n}年ほど外に出ていない。",
    "体調がすぐれず、通院を勧めた。睡眠がとれていないと話す。",
    "家計表を一緒に作成した。携帯電話の料金が高い。",
    "生活費が足りず、知人から借りているとのこと。",
    "アパートの鍵を紛失し、管理会社に連絡した。",
    "しごとが見つからず焦っている様子。ゆっくり話を聞いた。",
    "次回は{n}日後に訪問予定。{name}さんも同席する。",
    "住まいを失うおそれがあり、{scheme}の利用を検討。",
    "ケース会議で役割分担を確認した。{place}が見守りを担当。",
]
RESPONSES = [
    "{place}へつなぐ。",
    "{scheme}の申請書を預かった。",
    "次回までに家計の資料を準備してもらう。",
    "様子を見守る。緊急時は連絡するよう伝えた。",
    "大家の{name}さんに事情を説明し、支払いを待ってもらうよう依頼した。",
]


def note_text(rnd: random.Random) -> tuple[str, str]:
    def fill(template: str) -> str:
        return template.format(
            place=rnd.choice(PLACES), scheme=rnd.choice(SCHEMES), name=rnd.choice(FAMILY), n=rnd.randint(2, 9)
        )

    target = rnd.randint(50, 400)
    content = ""
    while len(content) < target:
        content += fill(rnd.choice(SENTENCES))
    content = content[:target]
    response = fill(rnd.choice(RESPONSES)) if rnd.random() < 0.5 else ""
    return content, response


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--icontains-runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the database as it is (after an interrupted fill, once its indexes are built)",
    )
    args = parser.parse_args()
    if args.measure_only:
        measure_only(args)
        return

    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Refusing: point DATABASE_URL at a scratch database whose name contains 'bench'.")
    if url:
        _create_postgres_database(url)
    else:
        for suffix in ["", "-wal", "-shm"]:
            Path(os.environ["SQLITE_PATH"] + suffix).unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    chief, consultant = fill(args.notes)
    loaded = time.perf_counter() - started
    size = _database_size()
    print(f"database: {connection.vendor}; {args.notes:,} notes loaded and indexed in {loaded:.0f} s; size {size}")
    report(args, chief, consultant, loaded)


def report(args: argparse.Namespace, chief: Any, consultant: Any, loaded: float) -> None:
    from django.db import connection

    size = _database_size()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        "notes": args.notes,
        "load_seconds": round(loaded),
        "size": size,
        "lengths": {},
    }
    print(f"\n{'length':<7}{'reader':<11}{'index p50':>10}{'p95':>8}{'icontains p50':>15}{'p95':>8}{'×(p95)':>8}  hits")
    for length, queries in QUERIES.items():
        row: dict[str, Any] = {}
        for label, user in (("chief", chief), ("consultant", consultant)):
            ours, theirs, hits = measure(user, queries, args.runs, args.icontains_runs if label == "chief" else 0)
            row[label] = {
                "index_p50_ms": round(statistics.median(ours), 2),
                "index_p95_ms": round(percentile(ours, 0.95), 2),
                "hits": hits,
            }
            line = f"{length:<7}{label:<11}{statistics.median(ours):10.1f}{percentile(ours, 0.95):8.1f}"
            if theirs:
                row[label]["icontains_p50_ms"] = round(statistics.median(theirs), 1)
                row[label]["icontains_p95_ms"] = round(percentile(theirs, 0.95), 1)
                ratio = percentile(theirs, 0.95) / max(percentile(ours, 0.95), 0.001)
                row[label]["ratio_p95"] = round(ratio, 1)
                line += f"{statistics.median(theirs):15.1f}{percentile(theirs, 0.95):8.1f}{ratio:8.1f}"
            else:
                line += " " * 31
            print(f"{line}  {hits}")
        results["lengths"][str(length)] = row
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


def measure_only(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection

    from tsunagu.accounts.models import Staff
    from tsunagu.search.models import SearchDocument

    args.notes = SearchDocument.objects.count()
    print(f"database: {connection.vendor}; {args.notes:,} index entries as they are; size {_database_size()}")
    report(args, Staff.objects.get(username="bench_chief"), Staff.objects.get(username="bench_consultant"), 0)


def measure(
    user: Any, queries: list[str], runs: int, icontains_runs: int
) -> tuple[list[float], list[float], list[int]]:
    from django.db.models import Q

    from tsunagu.cases.models import ProgressNote
    from tsunagu.lib.fulltext import query_terms
    from tsunagu.search.models import SearchDocument
    from tsunagu.search.query import find

    ours: list[float] = []
    theirs: list[float] = []
    hits: list[int] = []
    for query in queries:
        terms = query_terms(query)
        find(user, terms)  # warm: the first run of a query reads from disk
        for _ in range(runs):
            t = time.perf_counter()
            found = find(user, terms)
            ours.append((time.perf_counter() - t) * 1000)
        hits.append(len(found.documents))
        notes = (
            ProgressNote.objects.filter(case__agency_id=user.agency_id)
            .filter(Q(content__icontains=query) | Q(response__icontains=query))
            .order_by("-occurred_at", "-id")
        )
        if not ProgressNote.objects.exists():
            # An interrupted fill keeps the index entries (written by their own connection)
            # but not the notes: the same text, the same question, over the entries.
            notes = SearchDocument.objects.filter(text__icontains=query).order_by("-written_at", "-id")
        for _ in range(icontains_runs):
            t = time.perf_counter()
            rows = list(notes.values_list("pk", flat=True)[:50])
            theirs.append((time.perf_counter() - t) * 1000)
        if icontains_runs and len(rows) != len(found.documents):
            # Not an error: icontains does not fold kana or width. Shown, so no one is misled.
            print(f"    note: {query!r}: index {len(found.documents)} hits, icontains {len(rows)}")
    return ours, theirs, hits


# Filling ---------------------------------------------------------------------------

NOTES_PER_CASE = 20


def fill(notes: int) -> tuple[Any, Any]:
    from django.db import connection
    from django.utils import timezone

    from tsunagu.accounts.models import Agency, AgencyKind, Municipality, Role, Staff
    from tsunagu.cases.models import Case, CaseState
    from tsunagu.people.models import Person

    town = Municipality.objects.create(name="検索市", prefecture="秋田県", population=1_000_000)
    centre = Agency.objects.create(
        municipality=town, name="検索市自立相談支援センター", kind=AgencyKind.CONSULTATION_CENTRE
    )
    chief = Staff.objects.create(username="bench_chief", agency=centre, role=Role.CHIEF, display_name="主任")
    consultant = Staff.objects.create(
        username="bench_consultant", agency=centre, role=Role.CONSULTANT, display_name="相談員"
    )
    workers = [consultant] + [
        Staff.objects.create(username=f"bench_w{i}", agency=centre, role=Role.CONSULTANT, display_name=f"相談員{i}")
        for i in range(9)
    ]
    cases = max(1, notes // NOTES_PER_CASE)
    rnd = random.Random(12)
    for start in range(0, cases, 10_000):
        people = Person.objects.bulk_create(
            [
                Person(
                    municipality=town,
                    family_name=rnd.choice(FAMILY),
                    given_name="花子",
                    family_name_kana="テスト",
                    given_name_kana="ハナコ",
                )
                for _ in range(start, min(cases, start + 10_000))
            ]
        )
        Case.objects.bulk_create(
            [
                Case(
                    person=person,
                    agency=centre,
                    worker=workers[i % len(workers)],
                    state=CaseState.IN_SUPPORT,
                    intake_route="walk_in",
                    opened_on=timezone.localdate(),
                )
                for i, person in enumerate(people)
            ]
        )
    case_rows = list(Case.objects.filter(agency=centre).values_list("pk", "person_id").order_by("pk"))
    if connection.vendor == "postgresql":
        _copy_notes(notes, case_rows, town.pk, chief.pk)
    else:
        _insert_notes(notes, case_rows, town.pk, chief.pk)
    return chief, consultant


def _rows(notes: int, cases: list[tuple[int, int]], town_id: int, author_id: int) -> Iterator[tuple]:
    """(note row, document row, grams) for each note, ids given here (the tables are empty)."""
    from tsunagu.lib.fulltext import fold, grams_of_folded, join_fields

    rnd = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    span = 3 * 365 * 24 * 3600
    for i in range(notes):
        case_id, person_id = cases[i % len(cases)]
        content, response = note_text(rnd)
        at = now - dt.timedelta(seconds=rnd.randrange(span))
        code = uuid.UUID(int=rnd.getrandbits(128), version=4)
        note = (i + 1, code, case_id, at, "phone", "", content, response, "", False, author_id, 1, at)
        text = join_fields([content, response])
        folded = fold(text)
        document = (i + 1, "note", i + 1, code, town_id, case_id, person_id, None, None, at, text, folded)
        yield note, document, grams_of_folded(folded)


NOTE_COLUMNS = (
    "id, code, case_id, occurred_at, method, participants, content, response, next_action, "
    "shared_with_team, author_id, version, created_at"
)
DOCUMENT_COLUMNS = (
    "id, kind, object_id, object_code, municipality_id, case_id, person_id, meeting_id, report_id, written_at, "
    "text, folded"
)


def _copy_notes(notes: int, cases: list[tuple[int, int]], town_id: int, author_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # Indexes are built after the load (much faster than kept up row by row).
        cursor.execute("DROP INDEX IF EXISTS search_document_grams")
        cursor.execute("DROP INDEX IF EXISTS search_document_newest")
        cursor.execute("DROP INDEX IF EXISTS note_case_time")
        t = time.perf_counter()
        with (
            cursor.copy(f"COPY cases_progressnote ({NOTE_COLUMNS}) FROM STDIN") as note_copy,
        ):
            buffered: list[tuple] = []
            for n, (note, document, grams) in enumerate(_rows(notes, cases, town_id, author_id), 1):
                note_copy.write_row(note)
                buffered.append((*document, sorted(grams)))
                if len(buffered) == 50_000:
                    _copy_documents(cursor, buffered)
                    buffered = []
                if n % 500_000 == 0:
                    print(f"  {n:,} notes ({time.perf_counter() - t:.0f} s)", flush=True)
        _copy_documents(cursor, buffered)
        print(f"  notes written in {time.perf_counter() - t:.0f} s; building indexes", flush=True)
        t = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX note_case_time ON cases_progressnote (case_id, occurred_at)")
        cursor.execute(
            "CREATE INDEX search_document_newest ON search_document (municipality_id, written_at DESC, id DESC)"
        )
        cursor.execute(
            "CREATE INDEX search_document_grams ON search_document USING gin (grams) WITH (fastupdate = off)"
        )
        for table in ("cases_progressnote", "search_document"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
        print(f"  indexes built in {time.perf_counter() - t:.0f} s", flush=True)


def _copy_documents(cursor: Any, rows: list[tuple]) -> None:
    # A second COPY cannot run while the notes' COPY is open on the same connection:
    # the documents go through a second connection.
    global _DOCUMENT_CONNECTION
    if not rows:
        return
    if _DOCUMENT_CONNECTION is None:
        import psycopg
        from django.db import connection

        _DOCUMENT_CONNECTION = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    with (
        _DOCUMENT_CONNECTION.cursor() as other,
        other.copy(f"COPY search_document ({DOCUMENT_COLUMNS}, grams) FROM STDIN") as copy,
    ):
        copy.set_types(
            [
                "int8",
                "text",
                "int8",
                "uuid",
                "int8",
                "int8",
                "int8",
                "int8",
                "int8",
                "timestamptz",
                "text",
                "text",
                "int4[]",
            ]
        )
        for row in rows:
            copy.write_row(row)


_DOCUMENT_CONNECTION: Any = None


def _insert_notes(notes: int, cases: list[tuple[int, int]], town_id: int, author_id: int) -> None:
    from django.db import connection, transaction

    from tsunagu.lib.fulltext import gram_token

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        marks = lambda n: ", ".join(["%s"] * n)  # noqa: E731
        batch: list[tuple[tuple, tuple, set[int]]] = []

        def flush() -> None:
            cursor.executemany(
                f"INSERT INTO cases_progressnote ({NOTE_COLUMNS}) VALUES ({marks(13)})",
                [(*n[:1], n[1].hex, *n[2:]) for n, _d, _g in batch],
            )
            cursor.executemany(
                f"INSERT INTO search_document ({DOCUMENT_COLUMNS}) VALUES ({marks(12)})",
                [(*d[:3], d[3].hex, *d[4:]) for _n, d, _g in batch],
            )
            cursor.executemany(
                "INSERT INTO search_gram (rowid, grams) VALUES (%s, %s)",
                [(d[0], " ".join(gram_token(g) for g in sorted(g_))) for _n, d, g_ in batch],
            )
            batch.clear()

        for n, row in enumerate(_rows(notes, cases, town_id, author_id), 1):
            batch.append(row)
            if len(batch) == 10_000:
                flush()
            if n % 200_000 == 0:
                print(f"  {n:,} notes ({time.perf_counter() - t:.0f} s)", flush=True)
        flush()
        cursor.execute("ANALYZE")
    print(f"  notes written in {time.perf_counter() - t:.0f} s", flush=True)


def _database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database())), "
                "pg_size_pretty(pg_total_relation_size('search_document')), "
                "pg_size_pretty(pg_relation_size('search_document_grams')), "
                "pg_size_pretty(pg_total_relation_size('cases_progressnote'))"
            )
            total, documents, gin, notes = cursor.fetchone()
            return f"database {total} (index table {documents}, of which GIN {gin}; notes {notes})"
    return f"{Path(os.environ['SQLITE_PATH']).stat().st_size / 2**20:.0f} MB"


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
