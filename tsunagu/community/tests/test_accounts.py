"""Supporter accounts: from a supporter's page a centre worker gives them a sign-in
account (role supporter, no agency) with a username they choose and a random initial
password shown once (hashed in the database, never in the audit trail, a message or a
cache); a second one is refused; stopping the account ends sign-in but leaves the
supporter's links and reports alone. Partners and other towns cannot touch it."""

import re

import pytest
from django.urls import reverse

from tsunagu.accounts.models import Role, Staff
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import Supporter
from tsunagu.community.tests.conftest import make_report
from tsunagu.tests.client import html, login, url_of

LOGIN = reverse("accounts:login")
REPORT = reverse("community:report")


def shown_password(page):
    return re.search(r'class="link-url account-password">([^<]+)</dd>', page)[1]


def issue(client, world, username="saito.yubin"):
    """Issue an account for the mail carrier as a centre worker; the password shown."""
    response = login(client, world.consultant).post(
        url_of("community:account_new", world.mail_carrier), {"username": username}
    )
    assert response.status_code == 200
    return response, shown_password(html(response))


def test_the_supporters_page_offers_an_account(client, community):
    page = html(login(client, community.consultant).get(community.mail_carrier.get_absolute_url()))
    assert "アカウントを発行" in page
    assert 'name="username"' in page
    # The one with an account is offered to stop it instead.
    page = html(client.get(community.supporter_record.get_absolute_url()))
    assert "supporter" in page
    assert "アカウントを停止する" in page
    assert 'name="username"' not in page


def test_a_worker_issues_an_account_and_sees_the_password_once(client, community):
    w = community
    response, password = issue(client, w)
    page = html(response)
    assert "この初期パスワードが表示されるのは今だけです。" in page
    assert "saito.yubin" in page
    assert "http://testserver/accounts/login/" in page
    assert response["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", password)
    account = Staff.objects.get(username="saito.yubin")
    assert (account.role, account.agency, account.is_active, account.display_name) == (
        Role.SUPPORTER,
        None,
        True,
        "斎藤 郵便",
    )
    assert password not in account.password
    assert account.check_password(password)
    w.mail_carrier.refresh_from_db()
    assert w.mail_carrier.account == account
    # Audited, without the password anywhere in the trail.
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="accounts.staff")
    assert (created.actor, created.object_code) == (w.consultant, str(account.pk))
    assert created.changes == {"username": "saito.yubin", "role": "supporter", "supporter": str(w.mail_carrier.code)}
    assert AuditEvent.objects.filter(
        action=Action.CHANGE, object_code=str(w.mail_carrier.code), changes={"account": "saito.yubin"}
    ).exists()
    for event in AuditEvent.objects.all():
        assert password not in f"{event.changes} {event.detail} {event.path}"
    # Nor in the session (no flash message carries it), nor on the page read again.
    assert password not in str(client.session.items())
    assert password not in str(client.cookies)
    again = html(client.get(w.mail_carrier.get_absolute_url()))
    assert password not in again
    assert "saito.yubin" in again
    assert "アカウントを発行" not in again


def test_the_issued_account_signs_in_and_lands_on_the_report_page(client, community):
    w = community
    _response, password = issue(client, w)
    client.logout()
    response = client.post(LOGIN, {"username": "saito.yubin", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == REPORT
    page = html(response)
    assert "斎藤 郵便さん、いつも見守りをありがとうございます。" in page
    assert f'<option value="{w.district2.pk}" selected>' in page  # the carrier's own district
    # And reports as the carrier.
    response = client.post(
        REPORT, {"signs": ["not_seen"], "place": "西小二丁目の角", "district": w.district2.pk, "urgency": "normal"}
    )
    assert response["Location"] == reverse("community:report_thanks")
    assert w.mail_carrier.reports.get().place == "西小二丁目の角"


def test_a_second_account_is_refused(client, community):
    w = community
    issue(client, w)
    response = client.post(url_of("community:account_new", w.mail_carrier), {"username": "saito2"})
    assert response.status_code == 422
    assert "このサポーターにはもうアカウントがあります。" in html(response)
    assert not Staff.objects.filter(username="saito2").exists()
    assert Staff.objects.filter(role=Role.SUPPORTER).count() == 2  # the fixture's and the one issued
    w.mail_carrier.refresh_from_db()
    assert w.mail_carrier.account.username == "saito.yubin"
    # The fixture's supporter already had one.
    response = client.post(url_of("community:account_new", w.supporter_record), {"username": "kato2"})
    assert response.status_code == 422
    assert not Staff.objects.filter(username="kato2").exists()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "ユーザー名を入れてください。"),
        ("Saito Yubin", "ユーザー名は半角の英小文字・数字と . _ - で、3〜30文字にしてください（先頭は英数字）。"),
        ("sa", "ユーザー名は半角の英小文字・数字と . _ - で、3〜30文字にしてください（先頭は英数字）。"),
        ("さいとう", "ユーザー名は半角の英小文字・数字と . _ - で、3〜30文字にしてください（先頭は英数字）。"),
        ("-saito", "ユーザー名は半角の英小文字・数字と . _ - で、3〜30文字にしてください（先頭は英数字）。"),
        ("s" * 31, "30文字以内にしてください（いまは31文字です）。"),
        ("consultant", "このユーザー名はもう使われています。別の名前にしてください。"),
    ],
)
def test_a_bad_or_taken_username_is_refused_next_to_the_field(client, community, username, message):
    w = community
    response = login(client, w.consultant).post(url_of("community:account_new", w.mail_carrier), {"username": username})
    assert response.status_code == 422
    page = html(response)
    assert f'<p class="field-error" id="id_username_error"><span>{message}</span></p>' in page
    assert f'value="{username}"' in page or not username
    w.mail_carrier.refresh_from_db()
    assert w.mail_carrier.account is None
    assert not AuditEvent.objects.filter(action=Action.CREATE, object_type="accounts.staff").exists()


def test_an_inactive_supporter_gets_no_account(client, community):
    w = community
    Supporter.objects.filter(pk=w.mail_carrier.pk).update(active=False)
    login(client, w.consultant)
    assert 'name="username"' not in html(client.get(w.mail_carrier.get_absolute_url()))
    response = client.post(url_of("community:account_new", w.mail_carrier), {"username": "saito.yubin"})
    assert response.status_code == 422
    assert "活動中でないサポーターにはアカウントを発行できません。" in html(response)
    assert not Staff.objects.filter(username="saito.yubin").exists()


# Stopping an account ---------------------------------------------------------------------


def test_a_stopped_account_cannot_sign_in_and_the_links_still_work(client, community):
    w = community
    _response, password = issue(client, w)
    report = make_report(w, supporter=w.mail_carrier, district=w.district2)
    carrier = Staff.objects.get(username="saito.yubin")
    signed_in = client.__class__()
    signed_in.force_login(carrier)
    assert signed_in.get(REPORT).status_code == 200

    response = client.post(url_of("community:account_deactivate", w.mail_carrier), follow=True)
    assert "アカウント saito.yubin を停止しました。個人用リンクはそのまま使えます。" in html(response)
    assert "停止中" in html(response)
    carrier.refresh_from_db()
    assert carrier.is_active is False
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="accounts.staff")
    assert (event.actor, event.changes) == (
        w.consultant,
        {"is_active": [True, False], "supporter": str(w.mail_carrier.code)},
    )

    # No new sign-in, and the open session ends with its next request.
    client.logout()
    response = client.post(LOGIN, {"username": "saito.yubin", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, detail="saito.yubin").exists()
    response = signed_in.get(REPORT)
    assert response.status_code == 302
    assert LOGIN in response["Location"]

    # The supporter, their personal link and their reports are untouched.
    w.mail_carrier.refresh_from_db()
    w.link.refresh_from_db()
    assert (w.mail_carrier.active, w.mail_carrier.account, w.link.revoked_at) == (True, carrier, None)
    assert client.get(reverse("community:link_report", kwargs={"token": w.link_token})).status_code == 200
    assert w.mail_carrier.reports.get() == report


def test_a_stopped_account_is_restarted(client, community):
    w = community
    _response, password = issue(client, w)
    client.post(url_of("community:account_deactivate", w.mail_carrier))
    response = client.post(url_of("community:account_reactivate", w.mail_carrier), follow=True)
    assert "アカウント saito.yubin を再開しました。" in html(response)
    client.logout()
    response = client.post(LOGIN, {"username": "saito.yubin", "password": password})
    assert response["Location"] == reverse("home")


def test_stopping_needs_an_account(client, community):
    w = community
    response = login(client, w.consultant).post(url_of("community:account_deactivate", w.mail_carrier))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(w.mail_carrier.code)).exists()


# Who may not --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("partner", 403), ("officer", 403), ("district_chief", 403), ("outsider", 404)]
)
def test_others_cannot_issue_or_stop_an_account(client, community, who, status):
    w = community
    login(client, getattr(w, who))
    for url, target in [
        (url_of("community:account_new", w.mail_carrier), {"username": "evil"}),
        (url_of("community:account_deactivate", w.supporter_record), {}),
    ]:
        response = client.post(url, target)
        assert response.status_code == status, url
        assert "斎藤" not in html(response)
        assert "加藤" not in html(response)
    assert not Staff.objects.filter(username="evil").exists()
    w.supporter.refresh_from_db()
    assert w.supporter.is_active
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(w, who)).count() == 2
