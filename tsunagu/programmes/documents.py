"""Printed forms of 家計改善支援 (家計表 with the debts, キャッシュフロー表) through the PDF
machinery (lib.pdf.render_pdf, the sheets' print templates and fonts), and the
finance office's 住居確保給付金 payment list as Excel. Every file is audited as an export."""

import uuid
from io import BytesIO
from itertools import zip_longest
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.audit.models import Action, record
from tsunagu.lib.downloads import content_disposition, file_names
from tsunagu.lib.pdf import render_pdf
from tsunagu.lib.wareki import age_on
from tsunagu.people.access import person_for
from tsunagu.programmes import ledger
from tsunagu.programmes.access import finance_municipality, programme_case_for
from tsunagu.programmes.forms import MonthForm
from tsunagu.programmes.models import HouseholdBudget
from tsunagu.sheets.documents import XLSX_TYPE, _put, _widths
from tsunagu.sheets.models import current_version

PRINTS = {"budget": (_("家計表"), "kakeihyo"), "cashflow": (_("キャッシュフロー表"), "cashflow")}


@require_GET
@staff_required
@never_cache
def budget_pdf(request: HttpRequest, code: uuid.UUID, kind: str) -> HttpResponse:
    user = current_staff(request)
    case = programme_case_for(user, code)
    sheet = current_version(HouseholdBudget, case)
    if kind not in PRINTS or sheet is None:
        return render(
            request,
            "sheets/print/missing.html",
            {
                "case": case,
                "title": _("家計表"),
                "when": None,
                "sheet_url": reverse("programmes:budget", args=[case.code]),
            },
            status=404,
        )
    title = PRINTS[kind][0]
    table = ledger.budget_table(sheet)
    person = person_for(user, case.person.code).person
    today = timezone.localdate()
    html = render_to_string(
        f"programmes/print/{kind}.html",
        {
            "kind": kind,
            "title": title,
            "contact": False,
            "case": case,
            "person": person,
            "age": age_on(person.birth_date, today) if person.birth_date else None,
            "sheet": sheet,
            "pairs": [
                (*(income or ("", 0)), *(spending or ("", 0)))
                for income, spending in zip_longest(table["income"], table["spending"])
            ],
            "cashflow": ledger.cashflow(sheet),
            "debts": ledger.debt_rows(sheet),
            "printed_at": timezone.now(),
            "printed_by": user,
        },
    )
    pdf, _pages = render_pdf(html)
    record(
        user,
        Action.EXPORT,
        case,
        object_type=f"programmes.{kind}.pdf",
        detail=_("第%(v)s版") % {"v": sheet.version},
        path=request.path,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        "inline", *file_names(str(title), PRINTS[kind][1], case.code, today, "pdf")
    )
    return response


@require_GET
@staff_required
@never_cache
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    """The month's 住居確保給付金 payment list for the finance office: one row per recipient
    (paid, stopped or still to pay), and the total to transfer."""
    user = current_staff(request)
    municipality = finance_municipality(user)
    month = MonthForm(request.GET).month_or(timezone.localdate())
    rows = ledger.payment_rows(user, municipality, month)
    workbook = Workbook()
    ws = cast(Worksheet, workbook.active)
    ws.title = f"{month:%Y-%m}"
    _put(ws, 1, 1, _("住居確保給付金 支給一覧（%(y)s年%(m)s月分）") % {"y": month.year, "m": month.month}, style="head")
    _put(ws, 2, 1, str(municipality))
    heads = [
        _("No."),
        _("受給者"),
        _("支給決定日"),
        _("状況"),
        _("支給額（円）"),
        _("貸主"),
        _("金融機関"),
        _("支店"),
        _("種別"),
        _("口座番号"),
        _("口座名義"),
    ]
    for column, head in enumerate(heads, start=1):
        _put(ws, 4, column, head, style="head")
    withheld = _("所在秘匿のため記載しません")
    for index, row in enumerate(rows, start=1):
        application = row.application
        line = 4 + index
        decision = application.decision
        values: list[object] = [
            index,
            application.case.person.full_name,
            decision.decided_on if decision else "",
            row.status,
            row.amount,
        ]
        if row.shows_landlord:
            values += [
                application.landlord_name,
                application.bank_name,
                application.bank_branch,
                application.get_account_type_display(),
                application.account_number,
                application.account_holder,
            ]
        else:
            values += [withheld, "", "", "", "", ""]
        for column, value in enumerate(values, start=1):
            _put(ws, line, column, value, style="box", number_format="#,##0" if column == 5 else "")
    total_line = 5 + len(rows)
    _put(ws, total_line, 4, _("合計"), style="head")
    # The total is written as a number (not a formula) so that it reads the same in any
    # program, and a test checks that it is the sum of the rows.
    _put(ws, total_line, 5, sum(r.amount for r in rows), style="head", number_format="#,##0")
    _put(ws, total_line, 6, _("%(n)s件") % {"n": sum(1 for r in rows if r.amount)}, style="head")
    _widths(ws, [6, 18, 12, 22, 14, 24, 16, 14, 8, 12, 22])
    buffer = BytesIO()
    workbook.save(buffer)
    record(
        user,
        Action.EXPORT,
        object_type="programmes.housing_payments.xlsx",
        detail=f"{month:%Y-%m} {len(rows)}",
        path=request.path,
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = file_names(str(_("住居確保給付金支給一覧")), "housing_payments", None, month, "xlsx")
    response["Content-Disposition"] = content_disposition("attachment", *name)
    return response
