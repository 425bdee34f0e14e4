"""Changes to the community network and its regional issues, one named function each,
written together with their audit entries."""

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.community.access import token_hash
from tsunagu.community.forms import SUPPORTER_FIELDS
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssue,
    RegionalIssueSource,
    RegionalIssueUpdate,
    Supporter,
    SupporterLink,
)
from tsunagu.lib.versioning import StaleEditError, changed_fields, save_if_current

# Bytes of randomness in a personal link (43 URL-safe characters).
LINK_BYTES = 32
# A supporter's initial password: 16 characters in groups of four, from letters and
# digits that cannot be mistaken for one another when read aloud or copied by hand
# (no 0/O, 1/l/I); about 80 bits.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4


class AccountError(Exception):
    """An account that may not be issued or changed now; the message is for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _supporter_changes(supporter: Supporter, neighbourhoods: list[Neighbourhood]) -> dict[str, Any]:
    changes: dict[str, Any] = {f: str(getattr(supporter, f)) for f in SUPPORTER_FIELDS if f != "neighbourhoods"}
    changes["neighbourhoods"] = sorted(n.name for n in neighbourhoods)
    return changes


def register_supporter(by: Staff, data: dict[str, Any]) -> Supporter:
    supporter = Supporter(municipality_id=by.municipality_id, registered_by=by)
    for name in SUPPORTER_FIELDS:
        if name != "neighbourhoods":
            setattr(supporter, name, data[name])
    with transaction.atomic():
        supporter.save()
        supporter.neighbourhoods.set(data["neighbourhoods"])
        record(by, Action.CREATE, supporter, changes=_supporter_changes(supporter, list(data["neighbourhoods"])))
    return supporter


def edit_supporter(supporter: Supporter, by: Staff, version: int, data: dict[str, Any]) -> None:
    with transaction.atomic():
        current = Supporter.objects.select_for_update().get(pk=supporter.pk)
        if current.version != version:
            raise StaleEditError(current)
        before_neighbourhoods = sorted(n.name for n in current.neighbourhoods.all())
        for name in SUPPORTER_FIELDS:
            if name != "neighbourhoods":
                setattr(supporter, name, data[name])
        supporter.version = version + 1
        fields = [f for f in SUPPORTER_FIELDS if f != "neighbourhoods"]
        supporter.save(update_fields=[*fields, "version"])
        supporter.neighbourhoods.set(data["neighbourhoods"])
        changes: dict[str, Any] = changed_fields(current, supporter, fields)
        after_neighbourhoods = sorted(n.name for n in data["neighbourhoods"])
        if after_neighbourhoods != before_neighbourhoods:
            changes["neighbourhoods"] = [before_neighbourhoods, after_neighbourhoods]
        record(by, Action.CHANGE, supporter, changes=changes)


def issue_link(supporter: Supporter, by: Staff) -> str:
    """A new personal link; the token is returned once to be shown once. Only its
    sha256 is stored, so nobody can read it back later, the centre included."""
    token = secrets.token_urlsafe(LINK_BYTES)
    with transaction.atomic():
        link = SupporterLink.objects.create(supporter=supporter, token_hash=token_hash(token), issued_by=by)
        record(
            by,
            Action.CREATE,
            link,
            object_code=str(link.pk),
            changes={"supporter": str(supporter.code)},
            detail=_("サポーター用リンクを発行"),
        )
    return token


def revoke_link(link: SupporterLink, by: Staff) -> None:
    """The link stops working with the next request: it is looked up on every use."""
    if link.revoked_at is not None:
        return
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
        record(
            by,
            Action.CHANGE,
            link,
            object_code=str(link.pk),
            changes={"revoked": True, "supporter": str(link.supporter.code)},
            detail=_("サポーター用リンクを無効にした"),
        )


# Supporter accounts ---------------------------------------------------------------------


def initial_password() -> str:
    groups = ("".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(4)) for _g in range(PASSWORD_GROUPS))
    return "-".join(groups)


def issue_account(supporter: Supporter, by: Staff, username: str) -> tuple[Staff, str]:
    """A sign-in account (role supporter, no agency) for a registered supporter, and
    its initial password, returned once to be shown once: only its hash is stored and
    neither the audit trail nor any message carries it."""
    password = initial_password()
    with transaction.atomic():
        current = Supporter.objects.select_for_update().get(pk=supporter.pk)
        if current.account_id is not None:
            raise AccountError(_("このサポーターにはもうアカウントがあります。"))
        if not current.active:
            raise AccountError(_("活動中でないサポーターにはアカウントを発行できません。"))
        account = Staff(username=username, role=Role.SUPPORTER, agency=None, display_name=supporter.name[:100])
        account.set_password(password)
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:
            # Taken between the form's check and this save.
            raise AccountError(_("このユーザー名はもう使われています。別の名前にしてください。"), "username") from None
        supporter.account = account
        supporter.save(update_fields=["account"])
        record(
            by,
            Action.CREATE,
            account,
            object_code=str(account.pk),
            changes={"username": username, "role": Role.SUPPORTER, "supporter": str(supporter.code)},
            detail=_("サポーターのアカウントを発行"),
        )
        record(by, Action.CHANGE, supporter, changes={"account": username})
    return account, password


def set_account_active(supporter: Supporter, by: Staff, active: bool) -> None:
    """Stop (or restart) a supporter's sign-in. A stopped account's sessions end with
    its next request (the auth backend refuses inactive users); the supporter's record,
    links and reports are untouched."""
    account = supporter.account
    if account is None:
        raise AccountError(_("このサポーターにはアカウントがありません。"))
    if account.is_active == active:
        return
    with transaction.atomic():
        account.is_active = active
        account.save(update_fields=["is_active"])
        record(
            by,
            Action.CHANGE,
            account,
            object_code=str(account.pk),
            changes={"is_active": [not active, active], "supporter": str(supporter.code)},
            detail=_("サポーターのアカウントを再開した") if active else _("サポーターのアカウントを停止した"),
        )


def set_district_chief(district: District, by: Staff, chief: Staff | None, version: int) -> None:
    """Raises StaleEditError if someone changed the district since `version` was read."""
    before = str(district.chief) if district.chief else ""
    with transaction.atomic():
        district.chief = chief
        save_if_current(district, version, ["chief"])
        record(
            by,
            Action.CHANGE,
            district,
            object_code=str(district.pk),
            changes={"chief": [before, str(chief) if chief else ""]},
        )


def save_neighbourhood(
    district: District, by: Staff, name: str, neighbourhood: Neighbourhood | None = None, version: int = 0
) -> Neighbourhood:
    """A new neighbourhood, or a new name for one (StaleEditError if it was renamed since
    `version` was read)."""
    with transaction.atomic():
        if neighbourhood is None:
            neighbourhood = Neighbourhood.objects.create(district=district, name=name)
            record(by, Action.CREATE, neighbourhood, changes={"district": district.name, "name": name})
        else:
            before = neighbourhood.name
            neighbourhood.name = name
            save_if_current(neighbourhood, version, ["name"])
            record(by, Action.CHANGE, neighbourhood, changes={"name": [before, name]})
    return neighbourhood


# Regional issues ------------------------------------------------------------------------


def update_issue_progress(issue: RegionalIssue, by: Staff, version: int, status: str, note: str) -> None:
    with transaction.atomic():
        current = RegionalIssue.objects.select_for_update().get(pk=issue.pk)
        if current.version != version:
            raise StaleEditError(current)
        before = current.status
        RegionalIssueUpdate.objects.create(issue=issue, from_status=before, to_status=status, note=note, by=by)
        issue.status = status
        issue.version = version + 1
        issue.updated_at = timezone.now()
        issue.save(update_fields=["status", "version", "updated_at"])
        record(by, Action.CHANGE, issue, changes={"status": [before, status]}, detail=note[:500])


def raise_issue(by: Staff, data: dict[str, Any]) -> RegionalIssue:
    """地域課題を登録: raised directly by centre staff or a district chief (source
    その他). It names no person: the form has refused text that does."""
    district = data.get("district")
    issue = RegionalIssue(
        municipality_id=by.municipality_id,
        district=district,
        title=data["title"].strip(),
        description=(data.get("description") or "").strip(),
        field=data.get("field") or "",
        source=RegionalIssueSource.OTHER,
        raised_by=by,
    )
    with transaction.atomic():
        issue.save()
        record(
            by,
            Action.CREATE,
            issue,
            changes={
                "title": issue.title,
                "district": district.name if district else "",
                "field": issue.field,
                "source": issue.source,
            },
        )
    return issue
