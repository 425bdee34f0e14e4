"""Changes to the community network and its regional issues, one named function each,
written together with their audit entries."""

import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Staff
from tsunagu.audit.models import Action, record
from tsunagu.community.access import manages_network, token_hash
from tsunagu.community.forms import SUPPORTER_FIELDS
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssue,
    RegionalIssueUpdate,
    Supporter,
    SupporterLink,
)
from tsunagu.community.reports import TriageError
from tsunagu.lib.versioning import StaleEditError, changed_fields
from tsunagu.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus, Purpose

# Bytes of randomness in a personal link (43 URL-safe characters).
LINK_BYTES = 32


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


def set_district_chief(district: District, by: Staff, chief: Staff | None) -> None:
    before = str(district.chief) if district.chief else ""
    with transaction.atomic():
        district.chief = chief
        district.save(update_fields=["chief"])
        record(
            by,
            Action.CHANGE,
            district,
            object_code=str(district.pk),
            changes={"chief": [before, str(chief) if chief else ""]},
        )


def save_neighbourhood(
    district: District, by: Staff, name: str, neighbourhood: Neighbourhood | None = None
) -> Neighbourhood:
    with transaction.atomic():
        if neighbourhood is None:
            neighbourhood = Neighbourhood.objects.create(district=district, name=name)
            record(by, Action.CREATE, neighbourhood, changes={"district": district.name, "name": name})
        else:
            before = neighbourhood.name
            neighbourhood.name = name
            neighbourhood.save(update_fields=["name"])
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


def agenda_meetings(user: Staff, issue: RegionalIssue) -> QuerySet[Meeting]:
    """Meetings the issue may go on: the coming 地域ケア会議 of its district, and (for
    centre staff) the coming 協議会 部会 of the municipality."""
    coming = Meeting.objects.filter(
        municipality_id=issue.municipality_id, held_on__gte=timezone.localdate(), status=MeetingStatus.PLANNED
    )
    kinds = coming.none()
    if issue.district_id is not None:
        kinds = coming.filter(kind=MeetingKind.COMMUNITY_CARE, district_id=issue.district_id)
    if manages_network(user):
        kinds = kinds | coming.filter(kind=MeetingKind.COUNCIL_COMMITTEE)
    return kinds.order_by("held_on", "id")


def place_on_agenda(issue: RegionalIssue, by: Staff, meeting: Meeting) -> AgendaItem:
    if not agenda_meetings(by, issue).filter(pk=meeting.pk).exists():
        raise TriageError(
            _("この会議は選べません。この地区の地域ケア会議か協議会の部会で、これから開かれるものを選んでください。"),
            "meeting",
        )
    if AgendaItem.objects.filter(meeting=meeting, regional_issue=issue).exists():
        raise TriageError(_("この地域課題は、この会議の議題にもうのっています。"), "meeting")
    with transaction.atomic():
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("order"))["last"]
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=(last or 0) + 1,
            purpose=Purpose.REGIONAL_ISSUE,
            title=issue.title,
            regional_issue=issue,
        )
        record(
            by,
            Action.CREATE,
            item,
            changes={"meeting": str(meeting.code), "regional_issue": str(issue.code), "purpose": item.purpose},
        )
    return item
