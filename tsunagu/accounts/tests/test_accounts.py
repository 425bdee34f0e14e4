import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from tsunagu.accounts.models import Role, Staff
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.conftest import PASSWORD
from tsunagu.tests.client import html
from tsunagu.tests.second_factor import code_now, enrolled

LOGIN = reverse("accounts:login")


def test_login_page_is_japanese(client, world):
    page = html(client.get(LOGIN))
    assert "ログイン" in page
    assert 'lang="ja"' in page


def test_login_and_logout_are_audited(client, world):
    device = enrolled(world.consultant)
    response = client.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert response.status_code == 302
    # Login lands on "/", which sends each role to its first page (staff: /my/), once the
    # second factor is given.
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("accounts:second_factor") + "?next=%2F"
    response = client.post(reverse("accounts:second_factor"), {"code": code_now(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get(reverse("home"))["Location"] == reverse("my_day")
    logins = AuditEvent.objects.filter(action=Action.LOGIN, actor=world.consultant)
    assert list(logins.values_list("detail", flat=True)) == ["", "second_factor:totp"]
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=world.consultant).count() == 1
    assert client.get(reverse("my_day")).status_code == 302


def test_wrong_password_is_refused_in_japanese_and_audited(client, world):
    response = client.post(LOGIN, {"username": "consultant", "password": "wrong"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in html(response)
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.detail == "consultant"
    assert failed.actor is None


def test_production_hasher_is_argon2():
    # The settings module itself: tests swap in a fast hasher through the settings fixture.
    from tsunagu import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("tsunagu-demo-2026").startswith("argon2$argon2id$")


def test_sessions_end_after_an_idle_hour():
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_expiry_is_renewed_on_each_request(client, world):
    client.force_login(world.consultant)
    client.get(reverse("my_day"))
    assert 0 < client.session.get_expiry_age() <= 60 * 60


def test_custom_user_model():
    assert settings.AUTH_USER_MODEL == "accounts.Staff"


def test_csrf_is_enforced(world):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "consultant", "password": PASSWORD})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


@pytest.mark.parametrize("who", ["chief", "consultant", "officer", "partner"])
def test_admin_site_is_for_the_admin_role_only(client, world, who):
    staff = getattr(world, who)
    Staff.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    client.force_login(Staff.objects.get(pk=staff.pk))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_configures_agencies_but_sees_no_personal_records(client, world):
    client.force_login(world.admin_user)
    page = html(client.get("/admin/"))
    assert "機関" in page
    assert "職員" in page
    assert "相談者" not in page
    assert "ケース" not in page
    assert client.get("/admin/people/person/").status_code == 404
    assert world.centre.name in html(client.get("/admin/accounts/agency/"))


def test_every_page_sends_a_strict_content_security_policy(client, world):
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_roles_match_the_glossary():
    assert set(Role.values) == {
        "chief",
        "consultant",
        "employment_supporter",
        "coordinator",
        "municipal_officer",
        "partner",
        "district_chief",
        "supporter",
        "admin",
    }
