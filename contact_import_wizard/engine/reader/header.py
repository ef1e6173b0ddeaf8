"""Which row holds the column names.

Exports often start with a few lines above the real header: LinkedIn's Connections.csv
has notes, a workbook a title row. Such lines fill a third of the table's width at most
(tables of three columns or more). The header is the first row, among the first :data:`SCAN_ROWS`
non-blank ones, that is wider, provided it looks like column names (short, distinct texts, not
numbers, emails, links, dates or booleans). A file whose first row is wider than that
keeps it as its header, as before; so does a file where no such row follows the narrow ones.
"""

import re

from ..messages import WARNING, EngineError, Problem, _lt

SCAN_ROWS = 30
# How many rows below a candidate tell how wide the table is.
BODY_ROWS = 10
LONGEST_LABEL = 80

_NUMBER = re.compile(r"^[+-]?[\d\s.,'/()+-]*\d[\d\s.,'/()%+-]*$")
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2} [A-Za-z]{3,9}\.? \d{2,4}")
_LINK = re.compile(r"@|^(?:https?://|www\.)", re.I)
_BOOLEANS = {"true", "false", "yes", "no"}


def _filled(cells):
    return sum(1 for cell in cells if cell.strip())


def _width(cells):
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0


def looks_like_header(cells):
    """Whether ``cells`` read like column names: mostly filled with short, distinct texts
    that are neither numbers nor emails, links or dates."""
    width = _width(cells)
    labels = [cell.strip() for cell in cells[:width] if cell.strip()]
    if not labels or 2 * len(labels) < width:
        return False
    if len({label.casefold() for label in labels}) != len(labels):
        return False
    for label in labels:
        if len(label) > LONGEST_LABEL or "\n" in label or not any(ch.isalpha() for ch in label):
            return False
        if (
            label.casefold() in _BOOLEANS
            or _NUMBER.match(label)
            or _DATE.search(label)
            or _LINK.search(label)
        ):
            return False
    return True


def _median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def find_header(records, header_row=None, name=""):
    """The header row among ``records`` ((number, cells, formulas) from the first row).

    Returns (number, cells, skipped): ``skipped`` is how many non-blank rows above the
    header are left out. ``header_row`` forces the row of that number to be the header.
    Returns None when there is no non-blank row.
    """
    if header_row is not None:
        for number, cells, _formulas in records:
            if number == header_row:
                if not _filled(cells):
                    break
                return number, cells, 0
            if number > header_row:
                break
        raise EngineError(
            "bad_header_row",
            _lt("Row %(row)s of %(name)s is empty or missing; choose the row that holds the column names."),
            row=header_row,
            name=name,
        )
    window = []
    for number, cells, _formulas in records:
        if _filled(cells):
            window.append((number, cells))
            if len(window) >= SCAN_ROWS + BODY_ROWS:
                break
    if not window:
        return None
    for index, (_number, cells) in enumerate(window[:SCAN_ROWS]):
        below = window[index + 1 : index + 1 + BODY_ROWS]
        if not below:
            break
        # The table's width is the cells its rows have, empty trailing ones included: a
        # column that is empty in every row below (an unused "Notes") still counts.
        body = _median([len(other) for _number, other in below])
        filled = _filled(cells)
        if filled > body // 3:
            # As wide as the table: the header, unless it does not read like one (then
            # the file has no recognisable header and its first row is taken, as ever).
            if index and looks_like_header(cells):
                return window[index] + (index,)
            break
        # Narrower than the table below (a note, a title): a preamble row, skipped.
    return window[0] + (0,)


def until_error(records):
    """``records`` up to the first reading error: that error is reported with its row
    when the rows are read, and the header may well be above it."""
    try:
        yield from records
    except EngineError as exc:
        if exc.code == "read_timeout":
            raise


def header_problem(number, skipped):
    """The warning the Upload step shows when rows above the header are left out."""
    return Problem(
        number,
        None,
        "header_row_detected",
        WARNING,
        _lt(
            "Row %(row)s was taken as the header: the %(count)s non-empty rows above it look like "
            "notes or a title and are not imported. Choose another header row if that is wrong."
        ),
        {"row": number, "count": skipped},
    )
