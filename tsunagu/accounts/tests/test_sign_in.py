"""Signing in (docs/security.md): lockout after repeated failures, per account and per
address, audited with its unlock; the second factor, required for the roles that read
personal records and for admin; enrolment with a QR code and recovery codes; the user's
own password change and the password rules; the idle timeout."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.accounts import lockout
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.conftest import PASSWORD
from tsunagu.tests.client import html
from tsunagu.tests.second_factor import code_from_secret, code_now, enrolled, sign_in

LOGIN = reverse("accounts:login")
SECOND_FACTOR = reverse("accounts:second_factor")
ENROL = reverse("accounts:enrol")
MY_DAY = reverse("my_day")
PASSWORD_CHANGE = reverse("accounts:password_change")


def signed_in_as(client) -> int | None:
    return client.session.get("_auth_user_id") and int(client.session["_auth_user_id"])


def guess(client, username, password="wrong-guess-0000", address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


# --- Lockout -------------------------------------------------------------------------


def test_six_wrong_passwords_lock_the_account_for_30_minutes(client, world):
    world.consultant.role = "partner"  # no second factor in the way: this is about passwords
    world.consultant.save(update_fields=["role"])
    for _ in range(5):
        assert "正しいユーザー名とパスワード" in html(guess(client, "consultant"))
    sixth = guess(client, "consultant")
    assert sixth.status_code == 429
    assert "しばらくログインできません" in html(sixth)
    # The right password is refused while locked, and nothing signs in.
    locked = guess(client, "consultant", PASSWORD)
    assert locked.status_code == 429
    assert "30分" in html(locked)
    assert signed_in_as(client) is None
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()
    lock = AuditEvent.objects.get(action=Action.LOCKED)
    assert lock.object_code == str(world.consultant.pk)
    assert "consultant" in lock.detail
    assert "6回失敗" in lock.detail
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 7

    # Thirty minutes after the last failure the lock has run out.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - dt.timedelta(minutes=31))
    assert guess(client, "consultant", PASSWORD)["Location"] == reverse("home")
    assert signed_in_as(client) == world.consultant.pk


def test_one_address_trying_many_accounts_is_locked_but_others_are_not(client, world):
    for username in ["chief", "consultant2", "employment", "officer", "partner", "nobody"]:
        guess(client, username, address="203.0.113.9")
    assert AuditEvent.objects.filter(action=Action.LOCKED).count() == 1
    # The partner's right password from that address is refused …
    assert guess(client, "partner", PASSWORD, address="203.0.113.9").status_code == 429
    assert signed_in_as(client) is None
    # … and accepted from another: one failure on the partner's account locks nothing.
    other = Client()
    assert guess(other, "partner", PASSWORD, address="198.51.100.7")["Location"] == reverse("home")
    assert signed_in_as(other) == world.partner.pk


def test_signing_in_to_ones_own_account_does_not_wipe_the_guesses_at_a_colleagues(client, world):
    for _ in range(5):
        guess(client, "chief", address="10.0.0.5")
    assert guess(Client(), "partner", PASSWORD, address="10.0.0.5")["Location"] == reverse("home")
    sixth = guess(client, "chief", address="10.0.0.5")
    assert sixth.status_code == 429
    assert AuditEvent.objects.filter(action=Action.LOCKED, object_code=str(world.chief.pk)).count() == 1


def test_the_lockout_figures_come_from_the_environment(settings):
    from tsunagu import settings as project

    assert project.LOGIN_FAILURE_LIMIT == project.AXES_FAILURE_LIMIT == 6
    assert dt.timedelta(minutes=30) == project.AXES_COOLOFF_TIME
    assert project.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings_from_env({"LOGIN_FAILURE_LIMIT": "10", "LOGIN_LOCKOUT_MINUTES": "15"}) == "10 0:15:00"


def settings_from_env(env: dict[str, str]) -> str:
    """The settings module read in a fresh interpreter with these variables."""
    code = "from tsunagu import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "TSUNAGU_TESTING": "1", **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_unlocking_an_account_is_audited_and_lets_it_sign_in(client, world):
    for _ in range(6):
        guess(client, "partner")
    assert guess(client, "partner", PASSWORD).status_code == 429
    call_command("unlock_account", "partner", reason="本人から電話で確認")
    unlock = AuditEvent.objects.get(action=Action.UNLOCKED)
    assert unlock.object_code == str(world.partner.pk)
    assert "本人から電話で確認" in unlock.detail
    # The address's count went with the account's (all six were for this account).
    assert guess(client, "partner", PASSWORD)["Location"] == reverse("home")


def test_the_admin_site_unlocks_with_an_audited_action(client, world):
    for _ in range(6):
        guess(Client(), "partner", address="10.9.9.9")
    client.force_login(world.admin_user)
    response = client.post(
        reverse("admin:accounts_staff_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [world.partner.pk]},
    )
    assert response.status_code == 302
    unlock = AuditEvent.objects.get(action=Action.UNLOCKED)
    assert unlock.actor == world.admin_user
    assert unlock.object_code == str(world.partner.pk)
    assert not AccessAttempt.objects.filter(username="partner").exists()


def test_six_wrong_codes_lock_the_account_and_end_the_session(client, world):
    device = enrolled(world.consultant)
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    for _ in range(5):
        wrong = client.post(SECOND_FACTOR, {"code": "000000"})
        assert "確認コードが正しくありません" in html(wrong)
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # django-otp's own back-off aside
    sixth = client.post(SECOND_FACTOR, {"code": "000000"})
    assert sixth.status_code == 429
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(action=Action.LOCKED, object_code=str(world.consultant.pk)).count() == 1
    # The password alone no longer opens a session either.
    assert guess(client, "consultant", PASSWORD).status_code == 429


def test_the_address_behind_the_tls_proxy_is_the_one_the_proxy_added(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert lockout.client_ip(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The first entry is the client's own claim; the proxy appended the last.
    assert lockout.client_ip(request) == "198.51.100.20"


# --- The second factor ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["chief", "consultant", "employment", "officer"])
def test_roles_that_read_records_cannot_open_a_page_without_the_second_factor(client, world, who):
    staff = getattr(world, who)
    client.post(LOGIN, {"username": staff.username, "password": PASSWORD})
    assert signed_in_as(client) == staff.pk
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    for url in [MY_DAY, reverse("people:list"), reverse("people:detail", args=[world.taro.code])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL + "?next=")
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before


def test_the_admin_site_needs_the_second_factor(client, world):
    enrolled(world.admin_user)
    client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})
    response = client.get("/admin/accounts/staff/")
    assert response["Location"] == SECOND_FACTOR + "?next=%2Fadmin%2Faccounts%2Fstaff%2F"
    assert world.consultant.username not in html(client.get("/admin/accounts/staff/", follow=True))


@pytest.mark.parametrize("who", ["partner", "district_chief", "supporter"])
def test_roles_without_personal_records_sign_in_with_a_password(client, world, who):
    staff = getattr(world, who)
    client.post(LOGIN, {"username": staff.username, "password": PASSWORD})
    assert client.get(reverse("home"), follow=True).status_code == 200
    assert "二段階認証" not in html(client.get(reverse("home"), follow=True))


def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes_once(client, world):
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    page = client.get(ENROL + "?next=/people/")
    text = html(page)
    assert "<svg" in text
    assert "<path" in text
    assert "style=" not in text
    assert "<script>" not in text.replace('<script src="', "")
    secret = re.search(r'class="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', text)[1]
    device = TOTPDevice.objects.get(user=world.consultant)
    assert device.confirmed is False

    wrong = client.post(ENROL, {"code": "123456", "next": "/people/"})
    assert wrong.status_code == 422
    assert "確認コードが正しくありません" in html(wrong)
    assert not TOTPDevice.objects.filter(user=world.consultant, confirmed=True).exists()
    # django-otp waits a second after a wrong code before it checks another.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    done = client.post(ENROL, {"code": code_from_secret(secret), "next": "/people/"})
    codes = re.findall(r'<li><code translate="no">([a-z2-7]{8})</code></li>', html(done))
    assert len(codes) == 10
    assert 'href="/people/"' in html(done)
    assert StaticToken.objects.filter(device__user=world.consultant).count() == 10
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(world.consultant.pk))
    assert event.changes["second_factor"] == ["", "totp"]
    assert secret.replace(" ", "") not in str(event.changes) + event.detail
    assert client.get(MY_DAY).status_code == 200
    # Shown once: the account page counts them, never shows them again.
    account = html(client.get(reverse("accounts:account")))
    assert "10個" in account
    assert codes[0] not in account


def test_an_enrolled_account_gives_its_code_at_each_sign_in(client, world):
    device = enrolled(world.consultant)
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert client.get(MY_DAY)["Location"] == SECOND_FACTOR + "?next=%2Fmy%2F"
    wrong = client.post(SECOND_FACTOR, {"code": "999999", "next": "/my/"})
    assert wrong.status_code == 422
    assert "確認コードが正しくありません" in html(wrong)
    assert client.get(MY_DAY).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, detail="consultant").count() == 1
    assert client.post(SECOND_FACTOR, {"code": code_now(device), "next": "/my/"})["Location"] == "/my/"
    assert client.get(MY_DAY).status_code == 200
    # Signing out and in again asks for it again.
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert client.get(MY_DAY)["Location"].startswith(SECOND_FACTOR)


def test_a_recovery_code_works_once(client, world):
    enrolled(world.chief)
    from tsunagu.accounts import mfa

    codes = mfa.new_recovery_codes(world.chief)
    client.post(LOGIN, {"username": "chief", "password": PASSWORD})
    assert client.post(SECOND_FACTOR, {"code": codes[0].upper(), "next": "/my/"})["Location"] == "/my/"
    assert AuditEvent.objects.filter(action=Action.LOGIN, detail="second_factor:recovery_code").count() == 1
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "chief", "password": PASSWORD})
    assert client.post(SECOND_FACTOR, {"code": codes[0], "next": "/my/"}).status_code == 422
    assert client.get(MY_DAY).status_code == 302
    assert StaticToken.objects.filter(device__user=world.chief).count() == 9


def test_the_password_alone_cannot_replace_an_enrolled_app(client, world):
    device = enrolled(world.consultant)
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    response = client.get(ENROL)
    assert response["Location"].startswith(SECOND_FACTOR)
    client.post(ENROL, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=world.consultant)) == [device]
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_a_partner_who_enrolled_is_asked_for_the_code(client, world):
    device = enrolled(world.partner)
    client.post(LOGIN, {"username": "partner", "password": PASSWORD})
    assert client.get(MY_DAY)["Location"].startswith(SECOND_FACTOR)
    client.post(SECOND_FACTOR, {"code": code_now(device)})
    assert client.get(MY_DAY).status_code == 200


def test_the_demo_setting_makes_the_second_factor_optional(client, world, settings):
    settings.TSUNAGU_MFA = "optional"
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert client.get(MY_DAY).status_code == 200
    from tsunagu import settings as project

    assert project.TSUNAGU_MFA == "required"  # the default, without the environment


def test_a_lost_phone_is_reset_on_the_server_and_audited(client, world):
    enrolled(world.consultant)
    call_command("reset_second_factor", "consultant", reason="スマートフォン紛失")
    assert not TOTPDevice.objects.filter(user=world.consultant).exists()
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(world.consultant.pk))
    assert event.changes == {"second_factor": ["totp", ""]}
    assert "紛失" in event.detail
    client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert client.get(MY_DAY)["Location"].startswith(ENROL)


def test_sign_in_helper_reaches_my_day(client, world):
    sign_in(client, world.employment, PASSWORD)
    page = client.get(MY_DAY)
    assert page.status_code == 200
    assert page.wsgi_request.user == world.employment
    assert str(world.employment) in html(page)


# --- The user's own password ----------------------------------------------------------

PASSPHRASE = "あさの しんぶん を くばる ねこ"


@pytest.mark.parametrize("who", ["supporter", "consultant", "partner"])
def test_every_account_changes_its_own_password(client, world, who):
    staff = getattr(world, who)
    client.force_login(staff)
    assert "パスワードの変更" in html(client.get(PASSWORD_CHANGE))
    response = client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": PASSPHRASE, "new_password2": PASSPHRASE}
    )
    assert response["Location"] == reverse("accounts:account")
    staff.refresh_from_db()
    assert staff.check_password(PASSPHRASE)
    event = AuditEvent.objects.get(action=Action.CHANGE, actor=staff)
    assert event.changes == {"password": "changed"}
    assert PASSPHRASE not in str(event.changes) + event.detail
    # This session stays; the old password no longer signs in.
    assert client.get(reverse("accounts:account")).status_code == 200
    assert "正しいユーザー名とパスワード" in html(
        Client().post(LOGIN, {"username": staff.username, "password": PASSWORD})
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short-pass1", "短すぎます"),
        ("123456789012345", "数字しか使われていません"),
        ("password12345", "よく使われる"),
        ("consultant2026", "ユーザー名 と似すぎています"),
    ],
)
def test_weak_passwords_are_refused_by_the_field(client, world, new, message):
    client.force_login(world.consultant)
    response = client.post(PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 422
    assert message in html(response)
    world.consultant.refresh_from_db()
    assert world.consultant.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_the_current_password_is_needed(client, world):
    client.force_login(world.supporter)
    response = client.post(
        PASSWORD_CHANGE, {"old_password": "not-it-at-all", "new_password1": PASSPHRASE, "new_password2": PASSPHRASE}
    )
    assert response.status_code == 422
    world.supporter.refresh_from_db()
    assert world.supporter.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_no_composition_rule_a_lowercase_passphrase_is_accepted(client, world):
    client.force_login(world.employment)
    phrase = "correct horse battery staple"
    response = client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": phrase, "new_password2": phrase}
    )
    assert response.status_code == 302
    world.employment.refresh_from_db()
    assert world.employment.check_password(phrase)


# --- Sessions -------------------------------------------------------------------------


def test_the_idle_timeout_is_an_hour_and_configurable():
    from tsunagu import settings as project

    assert project.SESSION_COOKIE_AGE == 3600
    code = "from tsunagu import settings as s; print(s.SESSION_COOKIE_AGE)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "TSUNAGU_TESTING": "1", "SESSION_IDLE_MINUTES": "15"},
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "900", out.stderr


def test_check_deploy_warns_when_the_second_factor_is_optional(settings):
    from tsunagu.accounts.checks import second_factor_required

    assert second_factor_required(None) == []
    settings.TSUNAGU_MFA = "optional"
    assert [m.id for m in second_factor_required(None)] == ["tsunagu.W001"]
