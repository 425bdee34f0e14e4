"""/statistics/ through HTTP: who reads it, what each reader sees behind a figure, the
exports, bad input, and what each page costs."""

import csv
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tsunagu.audit.models import AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Case
from tsunagu.statistics.tests import month as hand
from tsunagu.tests.pages import assert_shows, links, visible_text

pytestmark = pytest.mark.django_db
INDEX = "/statistics/"
# The statistics turn PostgreSQL's JIT off for their transaction: one query more there.
APRIL = {"month": "2026-04"}


@pytest.fixture
def counted(world: SimpleNamespace) -> SimpleNamespace:
    Case.objects.filter(pk__in=[world.case.pk, world.hanako_case.pk]).update(opened_on=hand.day(6, 1, 2024))
    world.m = hand.build(world)
    return world


def queries(client: Any, url: str, params: dict[str, str] | None = None) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    return len(context.captured_queries), response


@pytest.mark.parametrize("who", ["chief", "coordinator", "officer"])
def test_readers_see_the_month_with_the_guideline(client: Any, counted: SimpleNamespace, who: str) -> None:
    if who == "coordinator":
        from tsunagu.accounts.models import Role
        from tsunagu.conftest import make_staff

        user = make_staff("coordinator", counted.centre, Role.COORDINATOR)
    else:
        user = getattr(counted, who)
    client.force_login(user)
    response = client.get(INDEX, APRIL)
    assert response.status_code == 200
    text = visible_text(response)
    assert "令和8年4月" in text
    row = visible_text(response, within="figure-new_consultations")
    # 3 new consultations, 7.14 per 100,000 a month, under the 20〜24 目安値.
    assert "3件" in row
    assert "7.14" in row
    assert "20.0〜24.0" in row
    assert "目安値未満" in row
    assert "2件" in visible_text(response, within="figure-plans")
    assert "200.0%" in visible_text(response, within="figure-employment_rate")
    assert "50.0%" in visible_text(response, within="figure-improvement_share")
    assert response.content.count(b'class="trend-svg"') >= 15
    assert "/statistics/cases/plans/?month=2026-04" in links(response)


@pytest.mark.parametrize("who", ["consultant", "employment", "partner", "district_chief", "supporter", "admin_user"])
def test_others_may_not_read_statistics(client: Any, counted: SimpleNamespace, who: str) -> None:
    client.force_login(getattr(counted, who))
    before = AuditEvent.objects.filter(action="denied").count()
    response = client.get(INDEX, APRIL)
    assert response.status_code == 403
    assert "新規相談受付件数" not in response.content.decode()
    assert client.get("/statistics/cases/plans/", APRIL).status_code == 403
    assert client.get("/statistics/export.xlsx", APRIL).status_code == 403
    assert AuditEvent.objects.filter(action="denied").count() == before + 3


def test_another_town_sees_only_its_own(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.outsider)
    response = client.get(INDEX, APRIL)
    assert "1件" in visible_text(response, within="figure-plans")  # X's plan only
    assert "1件" in visible_text(response, within="figure-new_consultations")  # X opened in April
    listing = client.get("/statistics/cases/plans/", APRIL)
    assert "統計 X" in visible_text(listing)
    assert "統計 B" not in visible_text(listing)
    assert "統計 C" not in visible_text(listing)


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "april"},
        {"month": "２０２６-０４"},
        {"year": "1999"},
        {"year": "x"},
        {"centre": "999999"},
        {"centre": "abc"},
    ],
)
def test_bad_input_is_said_by_the_field(client: Any, counted: SimpleNamespace, params: dict[str, str]) -> None:
    client.force_login(counted.chief)
    for url in (INDEX, "/statistics/cases/plans/", "/statistics/export.csv"):
        response = client.get(url, params)
        assert response.status_code == 422
        assert "入力内容を確認してください" in visible_text(response)
        assert "新規相談受付件数" not in visible_text(response)


def test_a_centre_of_another_town_is_no_choice(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.chief)
    response = client.get(INDEX, {**APRIL, "centre": str(counted.other_centre.pk)})
    assert response.status_code == 422
    response = client.get(INDEX, {**APRIL, "centre": str(counted.centre.pk)})
    assert response.status_code == 200
    assert "つなぐ市自立相談支援センター・令和8年4月" in visible_text(response)


def test_an_unknown_figure_is_missing(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.chief)
    assert client.get("/statistics/cases/nothing/", APRIL).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="statistics.figure").count() == 1


def test_the_chief_sees_who_is_behind_a_figure_and_it_is_audited(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.chief)
    response = client.get("/statistics/cases/employed_others/", APRIL)
    text = visible_text(response)
    assert "合計 2件" in text
    assert "統計 B" in text
    assert "統計 D" in text
    assert "統計 A" not in text
    events = AuditEvent.objects.filter(object_type="statistics.cases", actor=counted.chief)
    assert set(events.values_list("person_code", flat=True)) == {counted.m.b.person.code, counted.m.d.person.code}
    assert all(e.action == "view" and e.detail == "employed_others:2026-04:all" for e in events)


def test_the_officer_gets_counts_and_no_names(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.officer)
    response = client.get("/statistics/cases/employed_others/", APRIL)
    text = visible_text(response)
    assert_shows(text, shown=["合計 2件", "つなぐ市自立相談支援センター: 2件"], hidden=["統計 B", "統計 D"])
    assert not [link for link in links(response) if link.startswith("/cases/") and link != "/cases/"]
    event = AuditEvent.objects.get(object_type="statistics.cases", actor=counted.officer)
    assert event.person_code is None


def test_the_rate_and_the_improvement_lead_to_their_people(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.chief)
    rate = visible_text(client.get("/statistics/cases/employed_or_risen/", APRIL))
    assert "統計 A" in rate
    assert "統計 C" in rate
    assert "統計 B" not in rate
    improved = visible_text(client.get("/statistics/cases/improved/", APRIL))
    assert "合計 1件" in improved
    assert "統計 A" in improved


def test_exports_are_the_fiscal_years_monthly_sheet(client: Any, counted: SimpleNamespace) -> None:
    client.force_login(counted.chief)
    response = client.get("/statistics/export.csv", APRIL)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:4] == ["項目", "単位", "2026-04", "2026-05"]
    assert rows[1][-1] == "年度計"
    by_label = {row[0]: row for row in rows[2:]}
    assert by_label["プラン作成件数"][2:5] == ["2", "0", "0"]
    assert by_label["プラン作成件数"][-1] == "2"
    assert by_label["就労支援対象者数"][2:4] == ["1", "1"]
    assert by_label["就労支援対象者数"][-1] == "2"
    workbook = load_workbook(io.BytesIO(client.get("/statistics/export.xlsx", APRIL).content))
    sheet = workbook["月次"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["新規相談受付件数"][2] == 3
    assert values["新規相談受付件数"][-1] == 3
    assert values["住居確保給付金 延長決定件数"][2] == 1
    assert AuditEvent.objects.filter(action="export", object_type="statistics.monthly_sheet").count() == 2


def test_the_command_prints_the_same_figures(counted: SimpleNamespace) -> None:
    out = io.StringIO()
    call_command("national_stats", municipality=str(counted.town.pk), month="2026-04", format="json", stdout=out)
    import json

    document = json.loads(out.getvalue())
    assert {item["key"]: item["value"] for item in document["items"]} == hand.APRIL
    out = io.StringIO()
    call_command("national_stats", municipality="つなぐ市", month="2026-04", stdout=out)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[1] == ["new_consultations", "新規相談受付件数", "3", "件", "7.14", "20.0-24.0", "below"]
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("national_stats", municipality="つなぐ市", month="2026-13")
    with pytest.raises(CommandError, match="No single municipality"):
        call_command("national_stats", municipality="どこにもない町", month="2026-04")


def test_the_page_reads_kept_counts_and_recounts_only_what_changed(client: Any, world: SimpleNamespace) -> None:
    client.force_login(world.chief)
    first, _response = queries(client, INDEX, APRIL)
    again, _response = queries(client, INDEX, APRIL)
    hand.build(world)
    changed, _response = queries(client, INDEX, APRIL)
    full, response = queries(client, INDEX, APRIL)
    assert visible_text(response, within="figure-new_consultations").startswith("新規相談受付件数 3件")
    # Kept: session, user, agency; the centres, the municipality, its centres; the kept
    # months; the consent coverage's two, inside a savepoint; the session's save
    # (savepoint, update, release).
    assert again == full == pinned(14)
    # Never counted: the same, and the centre; the twelve months counted in one run (14
    # queries: 6 additive counts by month, 7 per-person figures' cases, the evaluations);
    # inside a savepoint, the cases behind them replaced (a delete; none to write) and
    # the months written.
    assert first == pinned(33)
    # hand.build's records marked January–April 2026 stale: one run of four months
    # counted again, its cases written, and each month's row updated.
    assert changed == pinned(37)


def test_a_list_behind_a_figure_costs_the_same_for_one_or_three(client: Any, world: SimpleNamespace) -> None:
    client.force_login(world.chief)
    m = hand.build(world)
    one, _response = queries(client, "/statistics/cases/closures/", APRIL)
    for case in (m.b, m.c):
        case.closed_on = hand.day(4, 2)
        case.save(update_fields=["closed_on"])
    three, response = queries(client, "/statistics/cases/closures/", APRIL)
    assert "合計 3件" in visible_text(response)
    # session, user, agency ×2, the centres, the municipality, its centres; the count per
    # centre; the page's count, ids and rows (inside a savepoint); the audit entry
    # (savepoint, last hash, insert, release); the session's save.
    assert one == three == pinned(19, 1)
