"""What every format shares: the row and table types, the time budget, headers, limits."""

import datetime
import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from ..export import unneutralise
from ..messages import ERROR, WARNING, EngineError, Problem, _lt

SUPPORTED_FORMATS = _lt(
    "Supported formats are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), "
    "OpenDocument spreadsheets (.ods) and vCard contacts (.vcf)."
)
# Excel's own limits: a sheet never has more rows or columns than these.
SHEET_MAX_ROWS = 1_048_576
SHEET_MAX_COLUMNS = 16_384
# Reading checks the clock once per this many rows: cheap, and often enough.
CLOCK_EVERY = 256

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Row:
    """A data row: its number as a spreadsheet shows it (a card's index in a vCard file),
    one text per column, and the problems met while reading it (too many or too few cells)."""

    number: int
    values: tuple
    problems: tuple = ()


class Clock:
    """The time budget of one reading: :meth:`tick` once per row, it looks at the clock
    every :data:`CLOCK_EVERY` ticks and stops the reading once past the deadline."""

    __slots__ = ("_countdown", "deadline", "name", "seconds")

    def __init__(self, deadline=None, seconds=None, name=""):
        self.deadline = deadline
        self.seconds = seconds
        self.name = name
        self._countdown = CLOCK_EVERY

    def tick(self):
        self._countdown -= 1
        if self._countdown <= 0:
            self._countdown = CLOCK_EVERY
            self.check()

    def check(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise EngineError(
                "read_timeout",
                _lt(
                    "Reading %(name)s took longer than %(seconds)s s, the time an import may spend on it; "
                    "it was stopped. Split the file, or save it as CSV, and try again."
                ),
                name=self.name,
                seconds=self.seconds,
            )


class SharedCells:
    """One string for the repeated values of a column (its companies, cities, countries):
    about 25 MB less for 100,000 rows than a string per cell. A column whose values
    mostly differ (names, emails) is left alone once the first rows have shown it."""

    TRIAL_ROWS = 1000

    __slots__ = ("memos", "rows")

    def __init__(self):
        self.memos = []
        self.rows = 0

    def __call__(self, cells):
        memos = self.memos
        if len(memos) < len(cells):
            memos.extend({} for _ in range(len(cells) - len(memos)))
        cells = list(cells)
        for position, cell in enumerate(cells):
            memo = memos[position]
            if memo is not None:
                cells[position] = memo.setdefault(cell, cell)
        self.rows += 1
        if self.rows == self.TRIAL_ROWS:
            self.memos = [
                None if memo is None or len(memo) > self.TRIAL_ROWS // 2 else memo for memo in memos
            ]
        return cells


@dataclass
class Table:
    """A file opened for reading: what was detected, the header, and a row stream.

    ``header_row`` is the number of the row (line) that holds the column names, as a
    spreadsheet or text editor shows it; None when the format has no header (vCard).
    ``unit`` says what a row is to the user: "row", or "card" for a vCard file, whose
    rows are numbered by card.
    """

    format: str
    headers: list
    encoding: str | None = None
    delimiter: str | None = None
    quotechar: str | None = None
    sheet: str | None = None
    sheets: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    header_row: int | None = 1
    unit: str = "row"
    deadline: float | None = None
    # The format's reader: ``records(clock)`` yields (number, cells, formulas) for every
    # row of the file or sheet, the header and blank rows included.
    _source: object = None
    # Workbooks: a row without its trailing cells is a row of empty cells, not a short row.
    _pad: bool = False
    _name: str = ""
    _seconds: int | None = None

    def clock(self):
        """A :class:`Clock` for one reading of this table."""
        return Clock(self.deadline, self._seconds, self._name)

    def rows(self):
        """Yield every non-blank data row after the header, lazily."""
        clock = self.clock()
        clock.check()
        header_row = self.header_row or 0
        width = len(self.headers)
        pad = self._pad
        fit = self._fit
        share = SharedCells()
        tick = clock.tick
        for number, cells, formulas in self._source.records(clock):
            tick()
            if number <= header_row:
                continue
            if not formulas:
                for cell in cells:
                    if cell and not cell.isspace():
                        break
                else:
                    continue
            if pad and len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            row = fit(number, share(cells))
            if formulas:
                row = Row(row.number, row.values, row.problems + self._formula_problems(number, formulas))
            yield row

    def _fit(self, number, cells):
        """A row of the header's width, with problems for what does not fit."""
        width, problems = len(self.headers), ()
        if len(cells) == width:
            return Row(number, tuple(cells))
        if len(cells) > width:
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                problems = (
                    Problem(
                        number,
                        None,
                        "too_many_cells",
                        ERROR,
                        _lt(
                            "Row %(row)s has %(count)s cells but the header has %(width)s columns; "
                            "extra value %(value)r has no column."
                        ),
                        {"row": number, "count": len(cells), "width": width, "value": extra[0]},
                    ),
                )
            cells = cells[:width]
        else:
            problems = (
                Problem(
                    number,
                    None,
                    "too_few_cells",
                    WARNING,
                    _lt(
                        "Row %(row)s has %(count)s cells but the header has %(width)s columns; "
                        "the missing cells are read as empty."
                    ),
                    {"row": number, "count": len(cells), "width": width},
                ),
            )
            cells = cells + [""] * (width - len(cells))
        return Row(number, tuple(cells), problems)

    def _formula_problems(self, number, missing):
        return tuple(
            Problem(
                number,
                self.headers[index] if index < len(self.headers) else column_letter(index),
                "formula_without_value",
                WARNING,
                _lt(
                    "Cell %(cell)s holds the formula %(formula)s but no computed value; it is read as empty. "
                    "Open and save the file in a spreadsheet program to compute it."
                ),
                {"cell": f"{column_letter(index)}{number}", "formula": formula},
            )
            for index, formula in missing
        )


# -- sources ---------------------------------------------------------------------------
def open_binary(source):
    """A binary file object over ``source`` (bytes or a path)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source)
    return open(source, "rb")


def read_all(source):
    """The whole file as bytes (formats whose library wants it so)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(source, "rb") as binary:
        return binary.read()


def clean_text(value):
    """A cell's text without the characters that do not belong in a contact."""
    # NUL bytes break PostgreSQL text columns; other control characters (but tab and line
    # breaks) are invisible noise that would end up in names and emails.
    if not value.isprintable():
        value = _CONTROL_CHARS.sub("", value)
    # A cell our own downloads neutralised ("'=..."), imported again.
    return unneutralise(value) if value.startswith("'") else value


# -- typed values -> text (every workbook format) ----------------------------------------
def number_text(value, number_format=""):
    """An int or float as a spreadsheet user typed it: no spurious decimals, no exponent,
    zero-padded under a "00000" format (a zip code typed as 01234 is stored as 1234)."""
    if isinstance(value, float):
        if not (value.is_integer() and abs(value) < 1e16):
            return format(Decimal(repr(value)), "f")
        value = int(value)
    digits = str(value)
    if number_format and len(number_format) > len(digits) and set(number_format) == {"0"}:
        return digits.rjust(len(number_format), "0")
    return digits


def temporal_text(value):
    """A date, datetime, time or duration as ISO text (a datetime at midnight is a date)."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


# -- headers -------------------------------------------------------------------------
def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_headers(raw, row=1, letters=False):
    """Trim headers, drop trailing empty ones, name empty ones, number duplicates.

    Returns (headers, problems).
    """
    headers = [" ".join(h.split()) for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    problems, seen = [], {}
    for index, header in enumerate(headers):
        position = column_letter(index) if letters else str(index + 1)
        if not header:
            header = f"Column {position}"
            problems.append(
                Problem(
                    row,
                    header,
                    "empty_header",
                    WARNING,
                    _lt("Column %(position)s has no header; it is called %(name)r."),
                    {"position": position, "name": header},
                )
            )
        key = header.casefold()
        if key in seen:
            seen[key] += 1
            renamed = f"{header} ({seen[key]})"
            problems.append(
                Problem(
                    row,
                    renamed,
                    "duplicate_header",
                    WARNING,
                    _lt("Header %(name)r appears more than once; column %(position)s is called %(renamed)r."),
                    {"name": header, "position": position, "renamed": renamed},
                )
            )
            header = renamed
        else:
            seen[key] = 1
        headers[index] = header
    return headers, problems


def require_data(table, name):
    if not table.headers:
        raise EngineError("no_header", _lt("%(name)s contains no header row."), name=name)
    for _row in table.rows():
        return
    raise EngineError(
        "no_data_rows",
        _lt("%(name)s has a header row but no data rows."),
        name=name,
    )


# -- what the Upload step calls --------------------------------------------------------
def preview(table, limit=10):
    """The first ``limit`` data rows (for the Upload step)."""
    rows = []
    for row in table.rows():
        rows.append(row)
        if len(rows) >= limit:
            break
    return rows


TOO_MANY_ROWS = _lt(
    "The file has more than %(limit)s data rows, the most an import takes. "
    "Split it, or ask an administrator to raise the limit in Settings."
)


def limit_rows(rows, limit=None):
    """Yield ``rows``; past ``limit`` of them, stop with an EngineError."""
    for count, row in enumerate(rows, start=1):
        if limit is not None and count > limit:
            raise EngineError("too_many_rows", TOO_MANY_ROWS, limit=f"{limit:,}")
        yield row


def count_rows(table, limit=None):
    """Number of non-blank data rows (one streaming pass).

    With ``limit``, reading stops at ``limit + 1`` rows and raises an EngineError."""
    return sum(1 for _row in limit_rows(table.rows(), limit))


def check_size(size, max_bytes, name=""):
    """Refuse a file larger than ``max_bytes`` before reading it."""
    if size > max_bytes:
        raise EngineError(
            "file_too_large",
            _lt(
                "%(name)s is %(size)s MB; the largest file an import takes is %(limit)s MB. "
                "Split it, or ask an administrator to raise the limit in Settings."
            ),
            name=name,
            size=f"{size / (1024 * 1024):.1f}",
            limit=f"{max_bytes / (1024 * 1024):g}",
        )
