"""CSV and XLSX downloads of any data set (a `summaries.Table`)."""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)


def _safe(value):
    # Spreadsheet formula injection: a cell that starts with = + - @ is text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_response(table, *, fmt, filename):
    """An HTTP download of `table` as CSV or XLSX."""
    name = slugify(filename) or "export"
    if fmt == XLSX:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(table.caption or "Data")[:31])
        sheet.append(list(table.columns))
        for row in table.rows:
            sheet.append([_safe(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_safe(v) for v in row])
    return response
