"""Minutes as A4 PDF (WeasyPrint, as tsunagu.sheets.documents): the whole meeting, and,
for a 支援調整会議, one person's item, as centres file them per person.

A printout shows what the meeting page would show the same reader (tsunagu.meetings.
papers), writes the same disclosures, and is recorded in the audit trail as an export.
"""

import logging
import time
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import record
from tsunagu.lib.downloads import content_disposition, file_names
from tsunagu.lib.pdf import render_pdf
from tsunagu.meetings.access import SeenMeeting, item_for, meeting_for
from tsunagu.meetings.models import AgendaItem, Meeting, MeetingKind
from tsunagu.meetings.papers import Paper, paper_items, papers_for, record_reading

logger = logging.getLogger(__name__)


def _pdf_response(
    request: HttpRequest, user: Staff, seen: SeenMeeting, papers: list[Paper], *, single: bool, names: tuple[str, str]
) -> HttpResponse:
    meeting = seen.meeting
    attendees = list(meeting.attendees.select_related("staff", "staff__agency", "agency")) if not single else []
    html = render_to_string(
        "meetings/print/minutes.html",
        {
            "meeting": meeting,
            "insider": seen.insider,
            "papers": papers,
            "attendees": attendees,
            "single": single,
            "printed_at": timezone.now(),
            "printed_by": user,
        },
    )
    started = time.perf_counter()
    pdf, pages = render_pdf(html)
    logger.info("Printed minutes of meeting %s: %d pages in %.3f s", meeting.code, pages, time.perf_counter() - started)
    record_reading(user, AuditAction.EXPORT, meeting, papers, request.path)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("inline", *names)
    return response


@require_GET
@staff_required
@never_cache
def meeting_pdf(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = meeting_for(user, code)
    meeting = seen.meeting
    papers = papers_for(user, meeting, list(paper_items(meeting, user)))
    return _pdf_response(
        request,
        user,
        seen,
        papers,
        single=False,
        # The kind, not the title: a title can name a person.
        names=file_names(f"{_('議事録')}_{meeting.get_kind_display()}", "minutes", None, meeting.held_on, "pdf"),
    )


@require_GET
@staff_required
@never_cache
def item_pdf(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """One person's minutes of a 支援調整会議: only if the reader may read that person."""
    user = current_staff(request)
    seen = item_for(user, code)
    item, meeting = seen.item, seen.item.meeting
    papers: list[Paper] = []
    if meeting.kind == MeetingKind.COORDINATION and item.person_id is not None:
        papers = _readable(user, meeting, item)
    if not papers:
        record(user, AuditAction.DENIED, object_type="meetings.agendaitem.pdf", object_code=str(code))
        raise Http404(_("見つかりません。"))
    person: Any = item.person
    return _pdf_response(
        request,
        user,
        seen.meeting,
        papers,
        single=True,
        names=file_names(_("支援調整会議議事録"), "coordination_minutes", person.code, meeting.held_on, "pdf"),
    )


def _readable(user: Staff, meeting: Meeting, item: AgendaItem) -> list[Paper]:
    papers = papers_for(user, meeting, list(paper_items(meeting, user, AgendaItem.objects.filter(pk=item.pk))))
    return [p for p in papers if p.shows_person]
