"""What every workbook format shares: choosing the sheet and finding its header."""

from ..messages import EngineError, _lt
from .base import Table, clean_headers, require_data
from .header import find_header, header_problem


def open_sheets(kind, make_source, sheets, names, name, sheet, header_row, clock, table_options):
    """The table of the chosen sheet, or of the first sheet with data (every workbook format)."""
    if sheet is not None and sheet not in names:
        raise EngineError(
            "unknown_sheet",
            _lt("The workbook has no sheet named %(sheet)s; its sheets are %(sheets)s."),
            sheet=sheet,
            sheets=", ".join(names),
        )
    found = None
    for sheet_name, part in sheets:
        if sheet is not None and sheet_name != sheet:
            continue
        records_source = make_source(part)
        found = find_header(records_source.records(clock), header_row, name)
        if found is not None:
            break
    if found is None:
        raise EngineError(
            "empty_workbook",
            _lt("The workbook %(name)s has no sheet with data."),
            name=name,
        )
    number, cells, skipped = found
    headers, problems = clean_headers(cells, number, letters=True)
    if skipped:
        problems.insert(0, header_problem(number, skipped))
    table = Table(
        format=kind,
        headers=headers,
        sheet=sheet_name,
        sheets=names,
        problems=problems,
        header_row=number,
        _source=records_source,
        _pad=True,
        _name=name,
        **table_options,
    )
    require_data(table, name)
    return table
