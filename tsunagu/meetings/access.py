"""The only way views get meetings and agenda items (STYLE.md principle 3).

Centre staff and the municipality's officers see the municipality's meetings, except a
支援会議 (法第9条): its papers are for its members only, so only its staff attendees and
its chair see it. Partner-agency staff and district chiefs see only the meetings they
attend or chair. Writing (attendees, agenda, minutes, decisions) is for centre staff of
the municipality who attend or chair the meeting, and for the centre's chief; the
municipality's officers may also record decisions (支援決定 is theirs to make).
A forbidden meeting answers exactly like a missing one, and the attempt is audited.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.meetings.models import AgendaItem, Attendee, Meeting, MeetingKind, MeetingQuerySet
from tsunagu.people.access import NO_RECORDS_ROLES, sees_municipality_records

__all__ = [
    "SeenItem",
    "SeenMeeting",
    "is_insider",
    "item_for",
    "may_decide",
    "may_write",
    "meeting_for",
    "meetings_visible_to",
]


def _attending(user: Staff) -> Exists:
    return Exists(Attendee.objects.filter(meeting=OuterRef("pk"), staff=user))


def meetings_visible_to(user: Staff) -> MeetingQuerySet:
    if not user.is_authenticated or user.role in NO_RECORDS_ROLES or user.agency_id is None:
        return Meeting.objects.none()
    visible = Q(chair=user) | Q(_attending(user))
    if sees_municipality_records(user):
        visible |= Q(municipality_id=user.municipality_id) & ~Q(kind=MeetingKind.SUPPORT_MEETING)
    return Meeting.objects.filter(visible)


def is_insider(user: Staff, meeting: Meeting) -> bool:
    """Centre staff and officers of the meeting's municipality: they see every person of
    the municipality anyway, so papers need no consent for them (no disclosure)."""
    return sees_municipality_records(user) and user.municipality_id == meeting.municipality_id


def may_write(user: Staff, meeting: Meeting, *, attends: bool) -> bool:
    """`attends`: whether the user is on the meeting's attendee list (the caller asks the
    database, usually as an EXISTS annotation of the query that found the meeting)."""
    if not (user.works_in_centre and user.municipality_id == meeting.municipality_id):
        return False
    return user.is_chief or meeting.chair_id == user.pk or attends


def may_decide(user: Staff, meeting: Meeting, *, attends: bool) -> bool:
    if may_write(user, meeting, attends=attends):
        return True
    return user.is_municipal_officer and user.municipality_id == meeting.municipality_id


def _deny(user: Staff, model: str, code: Any, write: bool) -> Http404:
    record(user, Action.DENIED, object_type=model, object_code=str(code), detail="write" if write else "")
    return Http404(_("見つかりません。"))


@dataclass(frozen=True)
class SeenMeeting:
    """A meeting as one user sees it (meeting_for, item_for): whether they may change it
    (`writable`), record its decisions (`decidable`), and read its papers without
    consent (`insider`). The meeting page and the minutes put these in their context."""

    meeting: Meeting
    writable: bool
    decidable: bool
    insider: bool


@dataclass(frozen=True)
class SeenItem:
    """An agenda item as one user sees it (item_for), with its meeting as they see it."""

    item: AgendaItem
    meeting: SeenMeeting


def _seen(user: Staff, meeting: Meeting, *, attends: bool) -> SeenMeeting:
    return SeenMeeting(
        meeting=meeting,
        writable=may_write(user, meeting, attends=attends),
        decidable=may_decide(user, meeting, attends=attends),
        insider=is_insider(user, meeting),
    )


def meeting_for(user: Staff, code: Any, *, write: bool = False) -> SeenMeeting:
    """The meeting with this code if the user may see it (and change it, with write),
    with what the user may do with it."""
    meeting = (
        meetings_visible_to(user)
        .select_related("municipality", "chair", "chair__agency", "district", "created_by")
        .annotate(user_attends=_attending(user))
        .filter(code=code)
        .first()
        if user.is_authenticated
        else None
    )
    seen = _seen(user, meeting, attends=meeting.user_attends) if meeting is not None else None
    if seen is None or (write and not seen.writable):
        raise _deny(user, "meetings.meeting", code, write)
    return seen


def item_for(user: Staff, code: Any, *, write: bool = False, decide: bool = False) -> SeenItem:
    """An agenda item of a meeting the user may see; `write` asks that the user may change
    the meeting, `decide` that the user may record its decisions."""
    item = (
        AgendaItem.objects.select_related(
            "meeting",
            "meeting__municipality",
            "meeting__chair",
            "meeting__district",
            "case",
            "case__agency",
            "case__person",
            "person",
            "person__district",
            "regional_issue",
        )
        .annotate(user_attends=Exists(Attendee.objects.filter(meeting=OuterRef("meeting_id"), staff=user)))
        .filter(code=code, meeting__in=meetings_visible_to(user))
        .first()
        if user.is_authenticated
        else None
    )
    if item is not None:
        seen = _seen(user, item.meeting, attends=item.user_attends)
        if (not write or seen.writable) and (not decide or seen.decidable):
            return SeenItem(item=item, meeting=seen)
    raise _deny(user, "meetings.agendaitem", code, write or decide)


def is_outside(staff: Staff | None, municipality_id: int) -> bool:
    """Someone who is not centre staff or an officer of the municipality: in a 支援会議 they
    sign an undertaking of confidentiality (法第9条第5項)."""
    if staff is None:
        return True
    inside = staff.works_in_centre or staff.is_municipal_officer
    return not (inside and staff.municipality_id == municipality_id)
