"""Read CSV and XLSX files into rows of text, lazily.

``open_table(source, filename)`` looks at the head of the file only (format, encoding,
dialect, header, first data row) and returns a :class:`Table`; its :meth:`Table.rows`
then streams the file row by row, so memory does not grow with the file.
"""

import codecs
import csv
import datetime
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from .export import unneutralise
from .messages import ERROR, WARNING, EngineError, Problem, _lt

SAMPLE_SIZE = 64 * 1024
# A workbook's XML may expand to this much (declared sizes), and at most this many times
# its compressed size once above 10 MB: more is a zip bomb.
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
MAX_EXPANSION_RATIO = 100
DELIMITERS = (",", ";", "\t", "|")
# Tried in order when the file is not UTF-8; the first that decodes wins unless the
# text looks Cyrillic (see _guess_legacy_encoding).
LEGACY_ENCODINGS = ("cp1252", "cp1250", "iso-8859-15", "latin-1")
SUPPORTED_FORMATS = _lt("Supported formats are CSV (.csv, .txt) and Excel workbooks (.xlsx).")

ZIP_MAGIC = b"PK\x03\x04"
_BARE_CR = re.compile(r"(?<=\r)(?!\n)(?!$)")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A UTF-8 encoded non-ASCII character (2 to 4 bytes).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Row:
    """A data row: its number as a spreadsheet shows it, one text per column, and the
    problems met while reading it (too many or too few cells)."""

    number: int
    values: tuple
    problems: tuple = ()


@dataclass
class Table:
    """A file opened for reading: what was detected, the header, and a row stream."""

    format: str
    headers: list
    encoding: str | None = None
    delimiter: str | None = None
    quotechar: str | None = None
    sheet: str | None = None
    sheets: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    _source: object = None
    _header_row: int = 1
    _has_formulas: bool = False

    def rows(self):
        """Yield every non-blank data row after the header, lazily."""
        if self.format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _fit(self, number, cells):
        """A row of the header's width, with problems for what does not fit."""
        width, problems = len(self.headers), ()
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
        elif len(cells) < width:
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

    # -- CSV -----------------------------------------------------------------------
    def _csv_rows(self):
        with _open_binary(self._source) as binary:
            reader = csv.reader(
                _text_lines(binary, self.encoding), delimiter=self.delimiter, quotechar=self.quotechar
            )
            number = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise EngineError(
                        "decode_error",
                        _lt(
                            "Row %(row)s is not valid %(encoding)s text (byte %(byte)s). "
                            "Choose the file's real encoding and try again."
                        ),
                        encoding=self.encoding,
                        row=number + 1,
                        byte=f"0x{exc.object[exc.start]:02X}",
                    ) from None
                except csv.Error as exc:
                    raise EngineError(
                        "csv_error",
                        _lt("Row %(row)s cannot be read as CSV: %(error)s"),
                        row=number + 1,
                        error=str(exc),
                    ) from None
                number += 1
                if number <= self._header_row:
                    continue
                cells = [_clean_text(c) for c in cells]
                if not any(c.strip() for c in cells):
                    continue
                yield self._fit(number, cells)

    # -- XLSX ----------------------------------------------------------------------
    def _xlsx_rows(self):
        workbook = _load_workbook(self._source)
        # Formulas are read as their cached values; a formula that has none (the file was
        # written by a program that does not compute) is reported, not read as empty.
        formulas = _load_workbook(self._source, data_only=False) if self._has_formulas else None
        try:
            rows = workbook[self.sheet].iter_rows()
            formula_rows = formulas[self.sheet].iter_rows() if formulas else itertools.repeat(())
            for number, (cells, formula_cells) in enumerate(zip(rows, formula_rows, strict=False), start=1):
                if number <= self._header_row:
                    continue
                values = [_cell_text(c) for c in cells]
                missing = [
                    (index, formula.value)
                    for index, formula in enumerate(formula_cells)
                    if isinstance(formula.value, str)
                    and formula.value.startswith("=")
                    and index < len(values)
                    and not values[index]
                ]
                if not any(v.strip() for v in values) and not missing:
                    continue
                row = self._fit(number, values)
                if missing:
                    row = Row(row.number, row.values, row.problems + self._formula_problems(number, missing))
                yield row
        finally:
            workbook.close()
            if formulas:
                formulas.close()

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


def _open_binary(source):
    """A binary file object over ``source`` (bytes or a path)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source)
    return open(source, "rb")


def _text_lines(binary, encoding):
    """Decoded lines of ``binary``, decoding line by line so that a decoding error
    is raised while the CSV reader is on the row that holds the bad byte."""
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        # Multi-byte encodings: b"\n" is not a line end; decode in chunks instead.
        yield from io.TextIOWrapper(binary, encoding=encoding, newline="")
        return
    decode = codecs.getincrementaldecoder(encoding)().decode
    for raw in binary:
        text = decode(raw)
        if "\r" in text.rstrip("\r\n"):
            # Old Mac line ends (a bare CR) inside: one line each, as universal newlines do.
            yield from _BARE_CR.split(text)
        else:
            yield text
    tail = decode(b"", final=True)
    if tail:
        yield tail


def _head(source, size=SAMPLE_SIZE):
    with _open_binary(source) as binary:
        return binary.read(size)


def open_table(source, filename="", encoding=None, delimiter=None, sheet=None):
    """Open ``source`` (bytes or a file path) for reading.

    ``encoding``, ``delimiter`` and ``sheet`` override what would be detected.
    Raises :class:`EngineError` for a file that cannot be imported at all.
    """
    head = _head(source)
    name = os.path.basename(filename or "")
    if not head:
        raise EngineError("empty_file", _lt("The file %(name)s is empty."), name=name)
    kind = detect_format(head, name)
    if kind == "xlsx":
        table = _open_xlsx(source, name, sheet)
    else:
        table = _open_csv(source, head, name, encoding, delimiter)
    return table


def detect_format(head, name=""):
    """Return "csv" or "xlsx" from the first bytes; refuse other spreadsheets clearly."""
    lower = name.lower()
    if head.startswith(OLE2_MAGIC):
        raise EngineError(
            "legacy_excel",
            _lt(
                "%(name)s is an old Excel (.xls) workbook or a password-protected one, "
                "which cannot be read. Save it as .xlsx (without password) or CSV. "
            )
            + SUPPORTED_FORMATS,
            name=name,
        )
    if head.startswith(ZIP_MAGIC):
        if b"mimetypeapplication/vnd.oasis.opendocument" in head[:200]:
            raise EngineError(
                "ods",
                _lt("%(name)s is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV. ")
                + SUPPORTED_FORMATS,
                name=name,
            )
        return "xlsx"
    if lower.endswith((".xlsx", ".xlsm")):
        raise EngineError(
            "bad_xlsx",
            _lt("%(name)s is named like an Excel workbook but is not a valid .xlsx file. ")
            + SUPPORTED_FORMATS,
            name=name,
        )
    if lower.endswith((".xls", ".ods", ".numbers")):
        raise EngineError(
            "unsupported_format", _lt("%(name)s cannot be read. ") + SUPPORTED_FORMATS, name=name
        )
    return "csv"


# -- CSV detection -------------------------------------------------------------------
def detect_encoding(head):
    """Guess the text encoding of a file from its first bytes."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if head.count(0) > max(1, len(head) // 100):
        even, odd = head[0::2], head[1::2]
        # Plain text in UTF-16 without BOM: one byte of each pair is almost always zero.
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
        return None
    head = head.replace(b"\x00", b"")  # stray NUL bytes are dropped when reading
    try:
        _decode_sample(head, "utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(head, 0, exc.start):
            # Valid UTF-8 accents before a byte that is not: two encodings in one file.
            # Any single guess would garble part of it.
            raise EngineError(
                "mixed_encoding",
                _lt(
                    "The file mixes UTF-8 text with another encoding (row %(row)s is not UTF-8). "
                    "Save it again in a single encoding, UTF-8 preferably."
                ),
                row=head.count(b"\n", 0, exc.start) + 1,
            ) from None
    return _guess_legacy_encoding(head)


def _decode_sample(head, encoding):
    """Decode a sample that may end in the middle of a multi-byte character."""
    decoder = codecs.getincrementaldecoder(encoding)()
    return decoder.decode(head, final=len(head) < SAMPLE_SIZE)


def _guess_legacy_encoding(head):
    high = sum(1 for b in head if b >= 0x80)
    letters_high = sum(1 for b in head if b >= 0xC0)
    # Cyrillic text in cp1251 is made of high bytes (0xC0-0xFF); Latin text only has
    # a few accented letters among ASCII ones.
    ascii_letters = sum(1 for b in head if 65 <= b <= 90 or 97 <= b <= 122)
    if letters_high > 0.6 * high and letters_high > ascii_letters:
        return "cp1251"
    for encoding in LEGACY_ENCODINGS:
        try:
            _decode_sample(head, encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _is_binary(text):
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls > max(2, len(text) // 100)


def detect_dialect(text):
    """Return (delimiter, quotechar) that split the sample into the most regular table."""
    lines = text.splitlines(keepends=True)
    sample = "".join(lines[:-1] if len(lines) > 1 else lines)
    quotechar = '"'
    if '"' not in sample and sample.count("'") >= 2 and re.search(r"(^|[,;\t|])'", sample, re.M):
        quotechar = "'"
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        records = list(_first_records(sample, delimiter, quotechar))
        records = [r for r in records if any(c.strip() for c in r)]
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        same = sum(1 for r in records if len(r) == width) / len(records)
        score = (round(same, 2), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best, quotechar


def _first_records(sample, delimiter, quotechar, limit=50):
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar=quotechar)
    try:
        for index, record in enumerate(reader):
            if index >= limit:
                return
            yield record
    except csv.Error:
        return


def _clean_text(value):
    # NUL bytes break PostgreSQL text columns; other control characters (but tab and line
    # breaks) are invisible noise that would end up in names and emails.
    if not value.isprintable():
        value = _CONTROL_CHARS.sub("", value)
    # A cell our own downloads neutralised ("'=..."), imported again.
    return unneutralise(value) if value.startswith("'") else value


def _open_csv(source, head, name, encoding, delimiter):
    encoding = encoding or detect_encoding(head)
    if not encoding:
        raise EngineError(
            "not_text",
            _lt("%(name)s is not a text file and cannot be read as CSV. ") + SUPPORTED_FORMATS,
            name=name,
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise EngineError(
            "unknown_encoding", _lt("Unknown encoding %(encoding)s."), encoding=encoding
        ) from None
    try:
        text = _decode_sample(head, encoding)
    except UnicodeDecodeError:
        raise EngineError(
            "decode_error",
            _lt("%(name)s is not valid %(encoding)s text. Choose the file's real encoding."),
            name=name,
            encoding=encoding,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if _is_binary(text):
        raise EngineError(
            "not_text",
            _lt("%(name)s is not a text file and cannot be read as CSV. ") + SUPPORTED_FORMATS,
            name=name,
        )
    if delimiter:
        quotechar = detect_dialect(text)[1]
    else:
        delimiter, quotechar = detect_dialect(text)
    table = Table(
        format="csv",
        headers=[],
        encoding=encoding,
        delimiter=delimiter,
        quotechar=quotechar,
        _source=source,
    )
    with _open_binary(source) as binary:
        reader = csv.reader(_text_lines(binary, encoding), delimiter=delimiter, quotechar=quotechar)
        header, header_row = None, 0
        try:
            for header_row, cells in enumerate(reader, start=1):  # noqa: B007
                if any(c.strip() for c in cells):
                    header = [_clean_text(c) for c in cells]
                    break
        except (UnicodeDecodeError, csv.Error):
            header = header or None
    if header is None:
        raise EngineError("no_header", _lt("%(name)s contains no header row."), name=name)
    table._header_row = header_row
    table.headers, table.problems = clean_headers(header, header_row, letters=False)
    _require_data(table, name)
    return table


# -- XLSX ----------------------------------------------------------------------------
def check_archive(source, name, max_expanded=MAX_EXPANDED_BYTES, max_ratio=MAX_EXPANSION_RATIO):
    """Refuse a workbook whose declared uncompressed size is out of proportion (a zip
    bomb) before anything is expanded. Returns whether its sheets hold formulas."""
    with _open_binary(source) as binary:
        try:
            archive = zipfile.ZipFile(binary)
        except zipfile.BadZipFile as exc:
            raise EngineError(
                "bad_xlsx",
                _lt("The workbook cannot be opened (%(error)s). ") + SUPPORTED_FORMATS,
                error=str(exc),
            ) from None
        with archive:
            members = archive.infolist()
            expanded = sum(m.file_size for m in members)
            packed = max(sum(m.compress_size for m in members), 1)
            if expanded > max_expanded or (expanded > 10 * 1024 * 1024 and expanded / packed > max_ratio):
                raise EngineError(
                    "zip_bomb",
                    _lt(
                        "%(name)s would expand to %(size)s MB, %(ratio)s times its own size; the limit is "
                        "%(limit)s MB and %(max_ratio)s times. It is refused."
                    ),
                    name=name,
                    size=expanded // (1024 * 1024),
                    ratio=int(expanded / packed),
                    limit=max_expanded // (1024 * 1024),
                    max_ratio=max_ratio,
                )
            sheets = [
                m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")
            ]
            return any(_has_formula(archive, member) for member in sheets)


def _has_formula(archive, member):
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1024 * 1024):
            block = tail + chunk
            if b"<f>" in block or b"<f " in block:
                return True
            tail = block[-3:]
    return False


def _load_workbook(source, data_only=True):
    import openpyxl  # imported here: CSV-only use does not pay for it

    binary = _open_binary(source)
    try:
        return openpyxl.load_workbook(binary, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise EngineError(
            "bad_xlsx",
            _lt("The workbook cannot be opened (%(error)s). ") + SUPPORTED_FORMATS,
            error=str(exc) or exc.__class__.__name__,
        ) from None


def _open_xlsx(source, name, sheet):
    has_formulas = check_archive(source, name)
    workbook = _load_workbook(source)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise EngineError(
                "unknown_sheet",
                _lt("The workbook has no sheet named %(sheet)s; its sheets are %(sheets)s."),
                sheet=sheet,
                sheets=", ".join(names),
            )
        candidates = [sheet] if sheet is not None else names
        for sheet_name in candidates:
            header, header_row = None, 0
            for header_row, cells in enumerate(workbook[sheet_name].iter_rows(), start=1):  # noqa: B007
                values = [_cell_text(c) for c in cells]
                if any(v.strip() for v in values):
                    header = values
                    break
            if header is not None:
                break
        else:
            raise EngineError(
                "empty_workbook",
                _lt("The workbook %(name)s has no sheet with data."),
                name=name,
            )
    finally:
        workbook.close()
    headers, problems = clean_headers(header, header_row, letters=True)
    table = Table(
        format="xlsx",
        headers=headers,
        sheet=sheet_name,
        sheets=names,
        problems=problems,
        _source=source,
        _header_row=header_row,
        _has_formulas=has_formulas,
    )
    _require_data(table, name)
    return table


def _cell_text(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return _pad_zeros(str(value), cell)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return _pad_zeros(str(int(value)), cell)
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return _clean_text(str(value))


def _pad_zeros(digits, cell):
    # A zip code typed as 01234 in a cell formatted "00000" is stored as 1234.
    number_format = getattr(cell, "number_format", "") or ""
    if number_format and set(number_format) == {"0"} and len(number_format) > len(digits):
        return digits.rjust(len(number_format), "0")
    return digits


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


def _require_data(table, name):
    if not table.headers:
        raise EngineError("no_header", _lt("%(name)s contains no header row."), name=name)
    for _row in table.rows():
        return
    raise EngineError(
        "no_data_rows",
        _lt("%(name)s has a header row but no data rows."),
        name=name,
    )


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
