#!/usr/bin/env python
"""Requests per second under gunicorn (issue 12, item 4). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_scale_bench \
        .venv/bin/python scripts/throughput.py [--seconds 20] [--clients 4]

Measures a town already in the database (`make benchmark SIZE=N` or `generate_town`
makes one): gunicorn serves it as `make run` does (2 workers, 4 threads, production
settings: no TSUNAGU_TESTING, collected static files), and --clients processes on the
same machine each send requests one after another over one kept-alive connection for
--seconds per page. Pages: `/healthz`, the trivial signed-in page (the base template for
a signed-in worker, through the same middleware: `scripts/throughput_wsgi.py`), and the
case page and /my/ of `consultant` (the same case as `scripts/benchmark.py --cases`).
The clients share the two cores with the server, as a reverse proxy would not: compare
the pages with each other, not with another machine.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--json", default="", help="where to write the figures (default var/throughput-<db>.json)")
    args = parser.parse_args()
    # benchmark sets the environment of the measuring scripts (the settings, the test
    # settings for this process, SQLite in var/ without DATABASE_URL) and finds the pages.
    import benchmark

    benchmark.scratch_database_url()
    os.environ["TSUNAGU_MFA"] = "optional"  # the server's too: force_login stands for the sign-in
    import django

    # The sessions are made here and read by the server from the database.
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    pages = {label: (user, path) for label, user, path in benchmark._sized_pages()}
    consultant, case_path = pages["case page (consultant)"]
    client = Client()
    client.force_login(consultant)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    measured = [
        ("/healthz", "/healthz", ""),
        ("trivial signed-in page (consultant)", "/benchmark/base/", cookie),
        ("case page (consultant)", case_path, cookie),
        ("/my/ (consultant)", "/my/", cookie),
    ]
    vendor = connection.vendor
    connection.close()

    server_env = {k: v for k, v in os.environ.items() if k != "TSUNAGU_TESTING"}
    server_env.update({"ALLOWED_HOSTS": "127.0.0.1", "TSUNAGU_MFA": "optional"})
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "throughput_wsgi:application",
            "--pythonpath",
            f"{ROOT / 'scripts'},{ROOT}",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(args.port)
        rows = []
        for label, path, cookie in measured:
            _get(args.port, path, cookie)  # warm each worker's templates and plans
            _get(args.port, path, cookie)
            with multiprocessing.Pool(args.clients) as pool:
                results = pool.starmap(_hammer, [(args.port, path, cookie, args.seconds)] * args.clients)
            latencies = sorted(ms for done in results for ms in done)
            rate = len(latencies) / args.seconds
            rows.append(
                {
                    "page": label,
                    "requests_per_s": round(rate, 1),
                    "p50_ms": round(statistics.median(latencies), 1),
                    "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
                    "requests": len(latencies),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial = rows[1]["requests_per_s"]
    print(f"\ngunicorn (2 workers × 4 threads), {args.clients} clients, {args.seconds:.0f} s a page, {vendor}")
    print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'÷ trivial':>10}")
    for row in rows:
        row["x_trivial"] = round(row["requests_per_s"] / trivial, 3) if trivial else None
        print(
            f"{row['page']:<40} {row['requests_per_s']:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['x_trivial']:>10.3f}"
        )
    out = Path(args.json or ROOT / "var" / f"throughput-{vendor}.json")
    out.write_text(
        json.dumps(
            {
                "database": vendor,
                "clients": args.clients,
                "seconds": args.seconds,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "load_average": os.getloadavg(),
                "pages": rows,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"written to {out}")


def _get(port: int, path: str, cookie: str, conn: http.client.HTTPConnection | None = None) -> int:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    if own:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: is the session valid and the page there?")
    return response.status


def _hammer(port: int, path: str, cookie: str, seconds: float) -> list[float]:
    """One client: requests one after another over a kept-alive connection; the
    milliseconds of each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    done: list[float] = []
    end = time.perf_counter() + seconds
    while (start := time.perf_counter()) < end:
        _get(port, path, cookie, conn)
        done.append((time.perf_counter() - start) * 1000)
    conn.close()
    return done


def _wait_for(port: int) -> None:
    for _ in range(120):
        try:
            _get(port, "/healthz", "")
            return
        except (ConnectionError, OSError):
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in 60 s")


if __name__ == "__main__":
    main()
