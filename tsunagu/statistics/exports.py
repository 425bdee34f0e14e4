"""The survey's monthly sheet as a file: one row per item, one column per month of the
fiscal year (April–March), then the year. CSV (UTF-8 with a BOM, so that Excel reads
the Japanese) and Excel (openpyxl)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tsunagu.statistics.definitions import Period, Row, Scope


def table(scope: Scope, months: list[Period], rows: list[Row]) -> list[list[object]]:
    header: list[object] = ["項目", "単位", *[m.short_label for m in months], "年度計"]
    body: list[list[object]] = [header]
    for row in rows:
        cells = ["" if v is None else v for v in row.trend]
        body.append([row.label, row.unit, *cells, "" if row.value is None else row.value])
    return body


def to_csv(scope: Scope, months: list[Period], rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"支援状況調査（月次） {scope.label}", f"人口 {scope.municipality.population}"])
    writer.writerows(table(scope, months, rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(scope: Scope, months: list[Period], rows: list[Row]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "月次"
    sheet.append([f"支援状況調査（月次） {scope.label}", f"人口 {scope.municipality.population}"])
    sheet["A1"].font = Font(bold=True)
    for line in table(scope, months, rows):
        sheet.append(line)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 44
    for index in range(3, len(months) + 4):
        sheet.column_dimensions[get_column_letter(index)].width = 10
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
