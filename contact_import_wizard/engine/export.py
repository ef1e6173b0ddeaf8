"""Helpers for files the addon gives back to users (rows not imported, problems)."""

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell inert for spreadsheets: prefix a quote to formula-like text.

    :func:`unneutralise` undoes it when such a file is imported again.
    """
    value = value if isinstance(value, str) else ("" if value is None else str(value))
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unneutralise(value):
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def csv_bytes(headers, rows):
    """A CSV file (UTF-8 with BOM, which spreadsheets open right) of neutralised cells."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheet_name, headers, rows):
    """An XLSX workbook of text cells: never a formula, whatever a cell starts with."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in [headers, *rows]:
        cells = []
        for value in row:
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=neutralise(value))
            cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
