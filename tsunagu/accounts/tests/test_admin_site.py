"""The admin site (docs/security.md): it cannot change its own account's role, agency or
flags, cannot make anyone chief or admin (manage.py grant_role does, on the server), and
every change it makes to accounts, agencies, districts and municipalities is in the
hash-chained audit trail with the field diffs."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tsunagu.accounts.models import Agency, Municipality, Role, Staff
from tsunagu.audit.models import Action, AuditEvent, first_broken_event


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def staff_form(staff: Staff, **changes) -> dict:
    data = {
        "username": staff.username,
        "display_name": staff.display_name,
        "last_name": staff.last_name,
        "first_name": staff.first_name,
        "email": staff.email,
        "agency": staff.agency_id or "",
        "role": staff.role,
        "is_active": "on" if staff.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def account_row(staff: Staff):
    return Staff.objects.values("role", "agency_id", "is_staff", "is_superuser", "is_active").get(pk=staff.pk)


@pytest.fixture
def as_admin(client, world):
    client.force_login(world.admin_user)
    return client


def test_admin_cannot_make_itself_chief(as_admin, world):
    before = account_row(world.admin_user)
    audit_before = AuditEvent.objects.count()
    page = as_admin.get(change_url(world.admin_user)).content.decode()
    assert 'name="role"' not in page
    assert 'name="agency"' not in page
    assert 'name="is_superuser"' not in page
    as_admin.post(
        change_url(world.admin_user),
        staff_form(world.admin_user, role=Role.CHIEF, agency=world.centre.pk, display_name="管理者", is_superuser="on"),
    )
    assert account_row(world.admin_user) == before
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize("role", [Role.CHIEF, Role.ADMIN])
def test_admin_site_cannot_make_anyone_chief_or_admin(as_admin, world, role):
    before = account_row(world.consultant2)
    response = as_admin.post(change_url(world.consultant2), staff_form(world.consultant2, role=role))
    assert response.status_code == 200
    assert "manage.py grant_role" in response.content.decode()
    assert account_row(world.consultant2) == before
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_admin_site_cannot_create_a_chief(as_admin, world):
    response = as_admin.post(
        reverse("admin:accounts_staff_add"),
        {
            "username": "newchief",
            "usable_password": "true",
            "password1": "a long enough passphrase here",
            "password2": "a long enough passphrase here",
            "display_name": "新 主任",
            "agency": world.centre.pk,
            "role": Role.CHIEF,
        },
    )
    assert "manage.py grant_role" in response.content.decode()
    assert not Staff.objects.filter(username="newchief").exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_admin_site_cannot_move_a_chief_to_another_agency(as_admin, world):
    before = account_row(world.chief)
    response = as_admin.post(change_url(world.chief), staff_form(world.chief, agency=world.welfare.pk))
    assert "manage.py grant_role" in response.content.decode()
    assert account_row(world.chief) == before


def test_admin_cannot_set_a_chiefs_password(as_admin, world):
    url = reverse("admin:auth_user_password_change", args=[world.chief.pk]).replace("auth/user", "accounts/staff")
    response = as_admin.post(url, {"password1": "taken over the chief now", "password2": "taken over the chief now"})
    assert response.status_code == 302
    world.chief.refresh_from_db()
    assert not world.chief.check_password("taken over the chief now")
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_account_changes_are_audited_with_their_diffs(as_admin, world):
    response = as_admin.post(
        change_url(world.consultant2),
        staff_form(world.consultant2, role=Role.EMPLOYMENT_SUPPORTER, display_name="鈴木 就労", agency=world.swc.pk),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.actor == world.admin_user
    assert event.object_type == "accounts.staff"
    assert event.object_code == str(world.consultant2.pk)
    assert event.changes == {
        "role": ["consultant", "employment_supporter"],
        "display_name": ["鈴木 相談員", "鈴木 就労"],
        "agency": [f"{world.centre} (#{world.centre.pk})", f"{world.swc} (#{world.swc.pk})"],
    }
    assert first_broken_event() is None


def test_a_new_account_is_audited_without_its_password(as_admin, world):
    as_admin.post(
        reverse("admin:accounts_staff_add"),
        {
            "username": "newworker",
            "usable_password": "true",
            "password1": "a long enough passphrase here",
            "password2": "a long enough passphrase here",
            "display_name": "新 相談員",
            "agency": world.centre.pk,
            "role": Role.CONSULTANT,
        },
    )
    staff = Staff.objects.get(username="newworker")
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.object_code == str(staff.pk)
    assert "passphrase" not in str(event.changes)


def test_agency_and_municipality_changes_are_audited(as_admin, world):
    as_admin.post(
        change_url(world.centre),
        {"municipality": world.town.pk, "name": "つなぐ市くらし相談センター", "kind": world.centre.kind},
    )
    as_admin.post(
        change_url(world.town),
        {
            "name": world.town.name,
            "prefecture": world.town.prefecture,
            "population": 41000,
            "monitoring_interval_months": 3,
        },
    )
    assert Agency.objects.get(pk=world.centre.pk).name == "つなぐ市くらし相談センター"
    assert Municipality.objects.get(pk=world.town.pk).population == 41000
    changes = {e.object_type: e.changes for e in AuditEvent.objects.filter(action=Action.CHANGE)}
    assert changes["accounts.agency"] == {"name": ["つなぐ市自立相談支援センター", "つなぐ市くらし相談センター"]}
    assert changes["accounts.municipality"] == {"population": [42000, 41000]}


def test_grant_role_makes_a_chief_on_the_server_and_is_audited(world):
    call_command("grant_role", "consultant2", "chief", reason="4月1日付 人事異動")
    world.consultant2.refresh_from_db()
    assert world.consultant2.role == Role.CHIEF
    assert world.consultant2.is_chief
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(world.consultant2.pk))
    assert event.changes == {"role": ["consultant", "chief"]}
    assert "grant_role" in event.detail
    assert "人事異動" in event.detail


def test_grant_role_admin_opens_the_admin_site(world):
    call_command("grant_role", "consultant2", "admin", reason="システム担当")
    world.consultant2.refresh_from_db()
    assert (world.consultant2.role, world.consultant2.agency, world.consultant2.is_staff) == ("admin", None, True)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(world.consultant2.pk))
    assert event.changes["is_staff"] == [False, True]
    assert event.changes["role"] == ["consultant", "admin"]


def test_grant_role_refuses_a_chief_outside_a_centre(world):
    with pytest.raises(CommandError):
        call_command("grant_role", "officer", "chief", reason="誤り")
    world.officer.refresh_from_db()
    assert world.officer.role == Role.MUNICIPAL_OFFICER
    assert not AuditEvent.objects.exists()


def test_the_admin_sees_locks_but_lifts_them_only_by_the_audited_action(as_admin, world):
    from axes.models import AccessAttempt
    from django.test import Client

    for username in ["a", "b", "c", "d", "e", "f"]:
        Client().post(reverse("accounts:login"), {"username": username, "password": "x"}, REMOTE_ADDR="192.0.2.44")
    listing = as_admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "192.0.2.44" in listing
    attempt = AccessAttempt.objects.filter(ip_address="192.0.2.44").first()
    # No unaudited way out: deleting is refused.
    as_admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert AccessAttempt.objects.filter(ip_address="192.0.2.44").count() == 6
    assert not AuditEvent.objects.filter(action=Action.UNLOCKED).exists()
    as_admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_attempts", "_selected_action": [attempt.pk]},
    )
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.44").exists()
    unlock = AuditEvent.objects.get(action=Action.UNLOCKED)
    assert unlock.actor == world.admin_user
    assert "192.0.2.44" in unlock.detail


def delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


@pytest.mark.parametrize("what", ["district2", "town", "centre"])
def test_a_delete_confirmation_names_no_person_only_how_many_records(as_admin, world, what):
    """Deleting a district, municipality or agency lists what holds on to it. The admin
    (configuration only) never sees a personal record, so the page counts the records of
    each kind instead of naming them: her name beside her district is her whereabouts."""
    from tsunagu.people.models import Person
    from tsunagu.tests.client import html

    target = getattr(world, what)
    people_before = Person.objects.count()
    audit_before = AuditEvent.objects.count()
    page = html(as_admin.get(delete_url(target)))
    for person in (world.hanako, world.taro):
        assert person.family_name not in page
        assert person.given_name not in page
        assert person.family_name_kana not in page
    assert re.search(r"[^<>]+: \d+件", page)  # what holds on to it, counted
    assert Person.objects.count() == people_before
    assert AuditEvent.objects.count() == audit_before
    assert type(target).objects.filter(pk=target.pk).exists()
