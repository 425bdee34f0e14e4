"""Every view of the app that takes an object, tried by people who must not reach it:
another town's centre chief (`outsider`), a partner on no team, and the supporter. Each
answer is a 403 or 404 that shows nothing of the object, the attempt is audited once,
and nothing changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import RegionalIssue, ReportStatus, SupporterReport
from tsunagu.community.tests.conftest import make_report
from tsunagu.tests.client import html


@pytest.fixture
def objects(community):
    w = community
    report = make_report(w, place="秘密の場所 東小一丁目")
    issue = RegionalIssue.objects.create(
        municipality=w.town, district=w.district, title="秘密の課題", source="other", raised_by=w.chief
    )
    return {"report": report, "issue": issue}


def targets(w, objects):
    code = objects["report"].code
    issue = objects["issue"].code
    today = timezone.localdate().isoformat()
    return [
        ("get", reverse("community:report_detail", kwargs={"code": code}), {}),
        ("post", reverse("community:report_progress", kwargs={"code": code}), {"version": 1}),
        ("post", reverse("community:report_link", kwargs={"code": code}), {"version": 1, "person": w.taro.code}),
        (
            "post",
            reverse("community:report_outreach", kwargs={"code": code}),
            {"version": 1, "outreach_by": w.consultant.pk, "outreach_due": today},
        ),
        ("post", reverse("community:report_visit", kwargs={"code": code}), {"version": 1, "content": "x"}),
        ("post", reverse("community:report_open_case", kwargs={"code": code}), {"version": 1}),
        ("post", reverse("community:report_close", kwargs={"code": code}), {"version": 1, "note": "x"}),
        ("post", reverse("community:report_handled", kwargs={"code": code}), {"version": 1}),
        ("get", reverse("community:issue_detail", kwargs={"code": issue}), {}),
        (
            "post",
            reverse("community:issue_progress", kwargs={"code": issue}),
            {"version": 1, "status": "resolved", "note": "x"},
        ),
        ("post", reverse("meetings:issue_agenda", kwargs={"code": issue}), {"meeting": "x"}),
        ("get", reverse("community:district_detail", kwargs={"code": w.district.code}), {}),
        ("get", reverse("community:district_edit", kwargs={"code": w.district.code}), {}),
        ("get", reverse("community:neighbourhood_new", kwargs={"code": w.district.code}), {}),
        ("get", reverse("community:neighbourhood_edit", kwargs={"code": w.neighbourhood.code}), {}),
        ("get", w.supporter_record.get_absolute_url(), {}),
        ("get", reverse("community:supporter_edit", kwargs={"code": w.supporter_record.code}), {}),
        ("post", reverse("community:link_new", kwargs={"code": w.mail_carrier.code}), {}),
        ("post", reverse("community:link_revoke", kwargs={"code": w.mail_carrier.code, "link_id": w.link.pk}), {}),
        ("post", reverse("community:account_new", kwargs={"code": w.mail_carrier.code}), {"username": "evil"}),
        ("post", reverse("community:account_deactivate", kwargs={"code": w.supporter_record.code}), {}),
        ("post", reverse("community:account_reactivate", kwargs={"code": w.supporter_record.code}), {}),
    ]


@pytest.mark.parametrize("who", ["outsider", "partner_outsider", "supporter"])
def test_no_view_lets_an_outsider_reach_the_object(client, community, objects, who):
    w = community
    client.force_login(getattr(w, who))
    for method, url, data in targets(w, objects):
        denied_before = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code in {403, 404}, (url, response.status_code)
        page = html(response)
        for secret in ["秘密の場所", "秘密の課題", "斎藤", "東小一丁目", "山田"]:
            assert secret not in page, (url, secret)
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied_before + 1, url
    report = SupporterReport.objects.get(pk=objects["report"].pk)
    assert (report.status, report.version, report.person_id, report.outreach_by_id) == (
        ReportStatus.RECEIVED,
        1,
        None,
        None,
    )
    objects["issue"].refresh_from_db()
    assert objects["issue"].status == "proposed"
    w.link.refresh_from_db()
    assert w.link.revoked_at is None
    assert w.supporter_record.links.count() == 0
    w.mail_carrier.refresh_from_db()
    w.supporter.refresh_from_db()
    assert (w.mail_carrier.account, w.supporter.is_active) == (None, True)
