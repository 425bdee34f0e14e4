"""axe-core (vendored in tests/vendor, MPL-2.0, for the tests only) on the demo town's
pages as each role sees them: no serious or critical violation, and no two landmarks
with the same name (`landmark-unique`)."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tsunagu.cases.models import Case
from tsunagu.meetings.models import Meeting
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text(encoding="utf-8")
DEMO_PASSWORD = "tsunagu-demo-2026"
RUN = """async () => (await axe.run(document)).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique')
  .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)"""


def pages_of(case: Case, meeting: Meeting, partners_case: Case) -> dict[str, list[str]]:
    c = case.get_absolute_url()
    person = case.person.get_absolute_url()
    return {
        "consultant": [
            "/my/",
            "/cases/",
            c,
            c + "intake/",
            c + "assessment/",
            c + "plan/",
            c + "plan/?edit=1",
            c + "evaluation/",
            c + "decisions/",
            person,
            "/people/?q=ヤマダ",
            "/people/new/?q=やまだ",
            "/meetings/calendar/",
            "/meetings/",
            meeting.get_absolute_url(),
            "/referrals/inbox/",
            "/resources/",
            "/resources/gaps/",
            "/community/",
            "/community/issues/",
        ],
        "chief": ["/my/", person + "access-log/", "/community/supporters/"],
        "officer": ["/my/", c + "decisions/"],
        "partner": ["/my/", partners_case.get_absolute_url(), "/referrals/inbox/"],
        "chief_benten": ["/community/reports/"],
        "supporter": ["/community/report/", "/community/report/mine/"],
    }


@pytest.fixture
def demo(settings: Any) -> tuple[Case, Meeting, Case]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    case = Case.objects.get(person__family_name="山田", person__given_name="太郎")
    meeting = Meeting.objects.filter(municipality=case.agency.municipality).order_by("-held_on")[0]
    return case, meeting, Case.objects.filter(team__staff__username="partner").order_by("id")[0]


def test_no_serious_violation_and_unique_landmarks_for_every_role(chromium, live_server, demo):
    found: dict[str, list[str]] = {}
    checked = 0
    for username, paths in pages_of(*demo).items():
        # axe is injected through the DevTools protocol; the pages' own CSP stays as it is.
        context = chromium.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768}, bypass_csp=True)
        page = context.new_page()
        page.base_url = live_server.url
        log_in(page, username, DEMO_PASSWORD, landing="**")
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None
            assert response.status == 200, (username, path, response.status)
            page.evaluate(AXE)
            violations = page.evaluate(RUN)
            checked += 1
            if violations:
                found[f"{username} {path}"] = violations
        context.close()
    assert checked == 31
    assert found == {}
