"""Helpers for files the addon gives back to users (rows not imported, problems)."""

import re

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# ...but a number or a phone number ("+49 30 1234567", "-5", "+1 (425) 555-0100") is only
# that: a spreadsheet shows it, it runs nothing. Left as it is, so that it imports again.
_PLAIN_NUMBER = re.compile(r"[+-][\d\s().\-/]*\d[\d\s().\-/]*")


def is_dangerous(value):
    """Whether a spreadsheet would run this cell as a formula."""
    return value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value)


def neutralise(value):
    """Make a CSV cell inert for spreadsheets: a quote before a cell a spreadsheet would
    run, and only before such a cell (a phone number keeps its "+").

    :func:`unneutralise` undoes it when such a file is imported again.
    """
    value = value if isinstance(value, str) else ("" if value is None else str(value))
    return "'" + value if is_dangerous(value) else value


def unneutralise(value):
    if value.startswith("'") and is_dangerous(value[1:]):
        return value[1:]
    return value


def csv_bytes(headers, rows):
    """A CSV file (UTF-8 with BOM, which spreadsheets open right) of neutralised cells."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    # Every cell quoted: a spreadsheet that splits on ";" (most European ones) keeps
    # "a;=b" one cell instead of starting a new one with a formula.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheet_name, headers, rows):
    """An XLSX workbook of text cells: typed as text, a cell is never a formula, whatever
    it starts with, so its value is written as it is (no quote added)."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in [headers, *rows]:
        cells = []
        for value in row:
            text = value if isinstance(value, str) else ("" if value is None else str(value))
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
