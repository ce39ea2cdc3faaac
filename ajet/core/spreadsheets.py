"""Downloads as spreadsheets (CSV, XLSX) whose cells a spreadsheet program never runs as formulas.

A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip before
reading one of those) is a formula to Excel and LibreOffice: a name such as `=HYPERLINK(...)` typed into a
profile would run on the officer's machine. Such text gets a leading apostrophe, which shows it as text.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """`value` as a cell: text that a spreadsheet would read as a formula is prefixed with an apostrophe;
    numbers stay numbers; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(file_name: str, header: list[str], rows) -> HttpResponse:
    """A CSV download (UTF-8 with a byte-order mark, so that Excel reads Japanese) of neutralised cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    add_never_cache_headers(response)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


def xlsx_response(file_name: str, header: list[str], rows, *, title: str = "Sheet1") -> HttpResponse:
    """An XLSX download of neutralised cells, every text cell stored as text (never as a formula)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(cell) for cell in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    add_never_cache_headers(response)
    return response
