"""The standard forms of a case printed (A4 PDF, laid out like the MHLW paper forms) and
exported (Excel).

Both go through `views.sheet_case` (full access only) and show the version in force
(`?on=` a past day). A person's whereabouts (address, postal code, phone, e-mail) are
printed only when `person.location_visible` says the user may see them (DOMAIN.md §7).
Every file handed out is first written to the audit trail as an export.
"""

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import Prefetch, TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, Concern, ProgressNote, ProgressNoteRevision
from tsunagu.lib.downloads import content_disposition, file_names
from tsunagu.lib.pdf import render_pdf
from tsunagu.lib.wareki import age_on, format_wareki, short_wareki
from tsunagu.people.access import person_for
from tsunagu.people.models import Person
from tsunagu.sheets.models import (
    CONDITIONS,
    AssessmentSheet,
    Attainment,
    Certificate,
    ConsentMethod,
    ConsentPurpose,
    EvaluationSheet,
    HousingStatus,
    Insurance,
    IntakeSheet,
    Issue,
    Outcome,
    Pension,
    PlanItem,
    PlanSheet,
    Programme,
    SuicideRisk,
    SupportDecision,
    WorkStatus,
    current_version,
)
from tsunagu.sheets.views import moment, sheet_case

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What a document shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """One box of a checklist on the paper form: ■ ticked, □ not; ◎ the main one."""

    label: str
    ticked: bool
    primary: bool = False


def _ticks(choices: type[TextChoices], chosen: Iterable[str], primary: str = "") -> list[Tick]:
    chosen = set(chosen)
    return [Tick(str(c.label), c.value in chosen, c.value == primary and bool(primary)) for c in choices]


def _grid(items: Sequence[Any], columns: int) -> list[list[Any]]:
    """Items in rows of `columns`, the last row padded with None (a table on paper)."""
    rows = [list(items[i : i + columns]) for i in range(0, len(items), columns)]
    if rows:
        rows[-1] += [None] * (columns - len(rows[-1]))
    return rows


def _day_lines(day: dt.date) -> tuple[str, str]:
    """令和8年 and 11月27日: a date on two lines of a narrow column of a list."""
    year, _sep, rest = format_wareki(day, seireki=False).partition("年")
    return f"{year}年", rest


def _day(when: dt.datetime | None) -> dt.date:
    return timezone.localtime(when).date() if when is not None else timezone.localdate()


def _intake(case: Case, when: dt.datetime | None) -> dict[str, Any] | None:
    sheet = current_version(IntakeSheet, case, when)
    if sheet is None:
        return None
    return {
        "sheet": sheet,
        "route": case.get_intake_route_display(),
        "concerns": _grid(_ticks(Concern, sheet.concerns, sheet.primary_concern), 4),
        "work_status": _ticks(WorkStatus, [sheet.work_status]),
        "housing_status": _ticks(HousingStatus, [sheet.housing_status]),
        "insurance": _ticks(Insurance, [sheet.insurance]),
        "pension": _ticks(Pension, [sheet.pension]),
        "consent_method": _ticks(ConsentMethod, [sheet.consent_method]),
        "consent_purposes": _ticks(ConsentPurpose, sheet.consent_purposes),
        "consent_agencies": [a.name for a in sheet.consent_agencies.all()],
    }


def _assessment(case: Case, when: dt.datetime | None) -> dict[str, Any] | None:
    sheet = current_version(AssessmentSheet, case, when)
    if sheet is None:
        return None
    return {
        "sheet": sheet,
        "issues": _grid(_ticks(Issue, sheet.issues), 4),
        "certificate": _ticks(Certificate, [sheet.disability_certificate]),
        "monthly_income": _yen(sheet.monthly_income),
        "debt_total": _yen(sheet.debt_total),
        "suicide_risk": _ticks(SuicideRisk, [sheet.suicide_risk]),
    }


def _yen(amount: int | None) -> str:
    return "" if amount is None else _("%(yen)s円") % {"yen": f"{amount:,}"}


def _plan(case: Case, when: dt.datetime | None) -> dict[str, Any] | None:
    sheet = current_version(PlanSheet, case, when)
    if sheet is None:
        return None
    # The agreement is written onto the version it agrees to; on a past day it counts
    # only if it had been given by then.
    agreed = sheet.agreed_on is not None and sheet.agreed_on <= _day(when)
    return {
        "sheet": sheet,
        "items": list(sheet.items.select_related("provider_agency")),
        "programmes": _grid(_ticks(Programme, sheet.programmes), 3),
        "agreed": agreed,
        "agreement_method": _ticks(ConsentMethod, [sheet.agreement_method] if agreed else []),
        "era": format_wareki(_day(when), seireki=False)[:2],
    }


def _evaluation(case: Case, when: dt.datetime | None) -> dict[str, Any] | None:
    sheet = current_version(EvaluationSheet, case, when)
    if sheet is None:
        return None
    attainments = sheet.attainments.select_related("plan_item")
    conditions = [
        {
            "label": str(label),
            "before": getattr(sheet, f"{name}_before"),
            "after": getattr(sheet, f"{name}_after"),
            "scale": [
                (n, n == getattr(sheet, f"{name}_before"), n == getattr(sheet, f"{name}_after")) for n in range(1, 6)
            ],
        }
        for name, label in CONDITIONS
    ]
    return {
        "sheet": sheet,
        "plan": sheet.plan,
        "attainments": [(a, _ticks(Attainment, [a.attainment])) for a in attainments],
        "conditions": conditions,
        "outcome": _ticks(Outcome, [sheet.outcome]),
    }


def _decisions(case: Case, when: dt.datetime | None) -> dict[str, Any]:
    decisions = SupportDecision.objects.filter(case=case).as_of(when)
    rows = [
        {
            "decision": d,
            "decided_on": _day_lines(d.decided_on),
            "starts_on": _day_lines(d.starts_on),
            "ends_on": _day_lines(d.ends_on),
            "extensions": [(_day_lines(e.new_ends_on), _day_lines(e.decided_on)) for e in d.extensions_until(when)],
            "current_end": _day_lines(d.current_end(when)),
        }
        for d in decisions
    ]
    return {"rows": rows}


@dataclass(frozen=True)
class NoteRow:
    """A progress note as it read at the moment printed (an edit keeps the old text)."""

    occurred_at: dt.datetime
    day: tuple[str, str]
    method: str
    participants: str
    content: str
    response: str
    next_action: str
    author: str
    shared: bool


def _note_rows(case: Case, when: dt.datetime | None) -> list[NoteRow]:
    notes = ProgressNote.objects.filter(case=case).select_related("author").order_by("occurred_at", "id")
    if when is None:
        return [_note_row(n, n.author) for n in notes]
    # The text in force then is that of the first revision replaced after that moment,
    # or the note itself if it has not been edited since.
    later = ProgressNoteRevision.objects.filter(replaced_at__gt=when).select_related("written_by").order_by("version")
    notes = notes.filter(created_at__lte=when).prefetch_related(Prefetch("revisions", queryset=later))
    rows = []
    for note in notes:
        then = next(iter(note.revisions.all()), None)
        rows.append(_note_row(then, then.written_by) if then else _note_row(note, note.author))
    return rows


def _note_row(note: ProgressNote | ProgressNoteRevision, author: Staff) -> NoteRow:
    return NoteRow(
        occurred_at=note.occurred_at,
        day=_day_lines(timezone.localtime(note.occurred_at).date()),
        method=note.get_method_display(),
        participants=note.participants,
        content=note.content,
        response=note.response,
        next_action=note.next_action,
        author=str(author),
        shared=note.shared_with_team,
    )


def _notes(case: Case, when: dt.datetime | None) -> dict[str, Any]:
    return {"notes": _note_rows(case, when)}


@dataclass(frozen=True)
class Kind:
    title: Promise
    # The start of the file name (the case's short code and the date follow).
    filename: Promise
    build: Callable[[Case, dt.datetime | None], dict[str, Any] | None]
    # Whether the person block carries the address and phone (the forms that need them).
    contact: bool
    # The on-screen page of the sheet, for the "not written yet" page.
    page: str


KINDS: dict[str, Kind] = {
    "intake": Kind(gettext_lazy("相談受付・申込票"), gettext_lazy("相談受付・申込票"), _intake, True, "sheets:intake"),
    "assessment": Kind(
        gettext_lazy("インテーク・アセスメントシート"),
        gettext_lazy("アセスメントシート"),
        _assessment,
        True,
        "sheets:assessment",
    ),
    "plan": Kind(gettext_lazy("プラン兼事業等利用申込書"), gettext_lazy("プラン"), _plan, True, "sheets:plan"),
    "evaluation": Kind(gettext_lazy("評価シート"), gettext_lazy("評価シート"), _evaluation, False, "sheets:evaluation"),
    "decisions": Kind(
        gettext_lazy("支援決定（一覧）"), gettext_lazy("支援決定一覧"), _decisions, False, "sheets:decisions"
    ),
    "notes": Kind(gettext_lazy("支援経過記録シート"), gettext_lazy("支援経過記録"), _notes, False, "cases:detail"),
}


@dataclass
class Printout:
    """Everything one document needs: who asks, for which case, as of when."""

    kind: str
    user: Staff
    case: Case
    person: Person
    location_visible: bool  # people.access.SeenPerson: whether her whereabouts are printed
    when: dt.datetime | None
    context: dict[str, Any]

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    @property
    def version(self) -> int | None:
        sheet = self.context.get("sheet")
        return sheet.version if sheet is not None else None

    def filename(self, extension: str) -> tuple[str, str]:
        """The file name in Japanese, and an ASCII one for clients that cannot read it:
        the form, the case's short code, the date (never the person's name)."""
        day = _day(self.when)
        return file_names(str(self.spec.filename), self.kind, self.case.code, day, extension, as_of=bool(self.when))

    def audit(self, request: HttpRequest, extension: str) -> None:
        detail = _("第%(v)s版") % {"v": self.version} if self.version else ""
        if self.when is not None:
            detail = f"{detail} {short_wareki(_day(self.when))}時点".strip()
        record(
            self.user,
            Action.EXPORT,
            self.case,
            object_type=f"sheets.{self.kind}.{extension}",
            detail=detail,
            path=request.path,
        )


def _prepare(request: HttpRequest, code: uuid.UUID, kind: str) -> Printout | HttpResponse:
    """The document's contents, or the page saying the sheet is not written yet."""
    spec = KINDS[kind]
    case = sheet_case(request, code)
    user = current_staff(request)
    when = moment(request)
    context = spec.build(case, when)
    if context is None:
        return _missing(request, case, kind, when)
    seen = person_for(user, case.person.code)
    if not seen.location_visible:
        # The agencies she agreed to share with, and those that support her, can point to
        # where she went (DOMAIN.md §7): printed as withheld, not named.
        withheld = str(_("所在秘匿のため記載しません"))
        if "consent_agencies" in context:
            context["consent_agencies"] = [withheld]
        for item in context.get("items", []):
            if isinstance(item, PlanItem) and (item.provider_agency_id or item.provider_worker):
                item.provider_agency, item.provider_worker = Agency(name=withheld), ""
    return Printout(kind, user, case, seen.person, seen.location_visible, when, context)


def _missing(request: HttpRequest, case: Case, kind: str, when: dt.datetime | None) -> HttpResponse:
    spec = KINDS[kind]
    return render(
        request,
        "sheets/print/missing.html",
        {
            "case": case,
            "title": spec.title,
            "when": when,
            "sheet_url": reverse(spec.page, kwargs={"code": case.code}),
        },
        status=404,
    )


# PDF -----------------------------------------------------------------------------------


@require_GET
@staff_required
@never_cache
def sheet_pdf(request: HttpRequest, code: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404(_("見つかりません。"))
    printout = _prepare(request, code, kind)
    if isinstance(printout, HttpResponse):
        return printout
    html = render_to_string(f"sheets/print/{kind}.html", _print_context(printout))
    started = time.perf_counter()
    pdf, pages = render_pdf(html)
    logger.info(
        "Printed %s of case %s: %d pages in %.3f s", kind, printout.case.code, pages, time.perf_counter() - started
    )
    printout.audit(request, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("inline", *printout.filename("pdf"))
    return response


def _print_context(printout: Printout) -> dict[str, Any]:
    person = printout.person
    today = _day(printout.when)
    return {
        **printout.context,
        "kind": printout.kind,
        "title": printout.spec.title,
        "contact": printout.spec.contact,
        "case": printout.case,
        "person": person,
        "age": age_on(person.birth_date, today) if person.birth_date else None,
        "when": printout.when,
        "printed_at": timezone.now(),
        "printed_by": printout.user,
    }


# Excel ---------------------------------------------------------------------------------

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"


@require_GET
@staff_required
@never_cache
def sheet_xlsx(request: HttpRequest, code: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in WORKBOOKS:
        raise Http404(_("見つかりません。"))
    printout = _prepare(request, code, kind)
    if isinstance(printout, HttpResponse):
        return printout
    workbook = WORKBOOKS[kind](printout)
    workbook.properties.title = f"{printout.spec.title} {printout.person.full_name}"
    workbook.properties.creator = printout.case.agency.name
    buffer = BytesIO()
    workbook.save(buffer)
    printout.audit(request, "xlsx")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition("attachment", *printout.filename("xlsx"))
    return response


def _put(ws: Worksheet, row: int, column: int, value: Any, *, style: str = "", number_format: str = "") -> None:
    """Write one cell. Text stays text: a note starting with "=" must not become a
    formula, and control characters pasted from elsewhere would break the file."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str | Promise):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    cell.alignment = WRAP
    if style == "head":
        cell.font = BOLD
        cell.fill = HEAD_FILL
    if style in {"head", "box"}:
        cell.border = BOX


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _title_rows(ws: Worksheet, printout: Printout, columns: int) -> int:
    """The form's title and the centre; returns the next free row."""
    _put(ws, 1, 1, printout.spec.title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    version = _("第%(v)s版") % {"v": printout.version} if printout.version else ""
    then = _("%(day)s時点") % {"day": format_wareki(_day(printout.when), seireki=False)} if printout.when else ""
    _put(ws, 2, 1, "　".join(part for part in (printout.case.agency.name, version, then) if part))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    return 4


def _label_rows(ws: Worksheet, start: int, rows: Sequence[tuple[Any, Any]], columns: int) -> int:
    """項目 | 内容 rows, the value spanning the other columns; returns the next free row."""
    row = start
    for label, value in rows:
        _put(ws, row, 1, label, style="head")
        _put(ws, row, 2, value, style="box")
        if columns > 2:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=columns)
        row += 1
    return row


def _wareki(day: dt.date | None) -> str:
    return format_wareki(day) if day else ""


def _contact_rows(printout: Printout) -> list[tuple[Any, Any]]:
    person = printout.person
    if not printout.location_visible:
        hidden = _("所在秘匿のため記載しません")
        return [(_("郵便番号"), hidden), (_("住所"), hidden), (_("電話番号"), hidden), (_("メールアドレス"), hidden)]
    return [
        (_("郵便番号"), person.postal_code),
        (_("住所"), person.address),
        (_("電話番号"), person.phone),
        (_("メールアドレス"), person.email),
    ]


def _person_rows(printout: Printout) -> list[tuple[Any, Any]]:
    person = printout.person
    birth = ""
    if person.birth_date:
        age = age_on(person.birth_date, _day(printout.when))
        birth = _("%(day)s（%(age)s歳）") % {"day": format_wareki(person.birth_date), "age": age}
    return [
        (_("氏名"), person.full_name),
        (_("フリガナ"), person.full_name_kana),
        (_("生年月日"), birth),
        (_("性別"), person.get_sex_display()),
    ]


def _ticked(ticks: Iterable[Tick]) -> str:
    return "、".join(t.label for t in ticks if t.ticked)


def _intake_workbook(printout: Printout) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = str(_("相談受付・申込票"))
    context = printout.context
    sheet: IntakeSheet = context["sheet"]
    concerns = [t for row in context["concerns"] for t in row if t is not None]
    row = _title_rows(ws, printout, 2)
    _put(ws, row, 1, _("項目"), style="head")
    _put(ws, row, 2, _("内容"), style="head")
    rows: list[tuple[Any, Any]] = [
        (_("受付日"), _wareki(sheet.received_on)),
        (_("受付者"), str(sheet.receiving_worker)),
        (_("相談経路"), context["route"]),
        *_person_rows(printout),
        *_contact_rows(printout),
        (_("来所者（本人以外）の氏名"), sheet.visitor_name),
        (_("本人との関係"), sheet.visitor_relation),
        (_("主訴"), _ticked(concerns)),
        (_("最も大きな主訴"), sheet.get_primary_concern_display()),
        (_("相談内容"), sheet.concern_detail),
        (_("仕事の状況"), sheet.get_work_status_display()),
        (_("住まいの状況"), sheet.get_housing_status_display()),
        (_("医療保険"), sheet.get_insurance_display()),
        (_("年金"), sheet.get_pension_display()),
        (_("支援を申し込む"), _("はい") if sheet.applied else _("いいえ")),
        (_("申込日"), _wareki(sheet.applied_on)),
        (_("同意の方法"), sheet.get_consent_method_display()),
        (_("同意の目的"), _ticked(context["consent_purposes"])),
        (_("同意の対象機関"), "、".join(context["consent_agencies"])),
        (_("版"), sheet.version),
    ]
    _label_rows(ws, row + 1, rows, 2)
    _widths(ws, [26, 80])
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    return workbook


PLAN_COLUMNS: tuple[tuple[Any, float], ...] = (
    (gettext_lazy("No."), 12),
    (gettext_lazy("課題"), 18),
    (gettext_lazy("目標"), 32),
    (gettext_lazy("本人の取り組み"), 28),
    (gettext_lazy("支援内容"), 28),
    (gettext_lazy("支援機関"), 22),
    (gettext_lazy("担当者"), 12),
    (gettext_lazy("期間"), 14),
    (gettext_lazy("頻度"), 12),
)


def _plan_workbook(printout: Printout) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = str(_("プラン"))
    context = printout.context
    sheet: PlanSheet = context["sheet"]
    columns = len(PLAN_COLUMNS)
    row = _title_rows(ws, printout, columns)
    agreed_on = _wareki(sheet.agreed_on) if context["agreed"] else _("未同意")
    head: list[tuple[Any, Any]] = [
        (_("氏名"), printout.person.full_name),
        (_("フリガナ"), printout.person.full_name_kana),
        (_("期間"), f"{_wareki(sheet.period_start)} 〜 {_wareki(sheet.period_end)}"),
        (_("次回のモニタリング・評価日"), _wareki(sheet.next_evaluation_on)),
        (_("長期目標（本人の目指す姿）"), sheet.long_term_goal),
        (_("短期目標"), sheet.short_term_goals),
        (_("利用を申し込む事業"), "、".join(sheet.programme_labels())),
        (_("本人の同意日"), agreed_on),
    ]
    row = _label_rows(ws, row, head, columns) + 1
    for column, (label, _width) in enumerate(PLAN_COLUMNS, start=1):
        _put(ws, row, column, label, style="head")
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    for number, item in enumerate(context["items"], start=1):
        values = (
            number,
            item.get_issue_display(),
            item.goal,
            item.person_action,
            item.support,
            item.provider_agency.name if item.provider_agency else "",
            item.provider_worker,
            item.period,
            item.frequency,
        )
        for column, value in enumerate(values, start=1):
            _put(ws, row + number, column, value, style="box")
    _widths(ws, [width for _label, width in PLAN_COLUMNS])
    return workbook


NOTE_COLUMNS: tuple[tuple[Any, float], ...] = (
    (gettext_lazy("日時"), 17),
    (gettext_lazy("日時（和暦）"), 22),
    (gettext_lazy("方法"), 8),
    (gettext_lazy("参加者"), 18),
    (gettext_lazy("内容"), 60),
    (gettext_lazy("対応"), 40),
    (gettext_lazy("次回の対応"), 30),
    (gettext_lazy("記録者"), 14),
    (gettext_lazy("共有"), 8),
)


def _notes_workbook(printout: Printout) -> Workbook:
    """One row per progress note, the header frozen, so the list can be filtered and sorted."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = str(_("支援経過記録"))
    for column, (label, _width) in enumerate(NOTE_COLUMNS, start=1):
        _put(ws, 1, column, label, style="head")
    for row, note in enumerate(printout.context["notes"], start=2):
        local = timezone.localtime(note.occurred_at)
        values = (
            local.replace(tzinfo=None),  # Excel has no time zones: Tokyo time, as on paper
            f"{format_wareki(local.date(), seireki=False)} {local:%H:%M}",
            note.method,
            note.participants,
            note.content,
            note.response,
            note.next_action,
            note.author,
            _("共有") if note.shared else _("非共有"),
        )
        for column, value in enumerate(values, start=1):
            _put(ws, row, column, value, number_format=DATETIME_FORMAT if column == 1 else "")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(NOTE_COLUMNS))}{max(ws.max_row, 1)}"
    _widths(ws, [width for _label, width in NOTE_COLUMNS])
    return workbook


WORKBOOKS: dict[str, Callable[[Printout], Workbook]] = {
    "intake": _intake_workbook,
    "plan": _plan_workbook,
    "notes": _notes_workbook,
}
