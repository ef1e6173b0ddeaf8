"""CSV (and other delimited text): encoding and dialect detection, streamed records."""

import codecs
import csv
import io
import re
from collections import Counter

from ..messages import EngineError, _lt
from .base import Table, clean_headers, clean_text, open_binary, require_data
from .header import find_header, header_problem, until_error

SAMPLE_SIZE = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Tried in order when the file is not UTF-8; the first that decodes wins unless the
# text looks Cyrillic (see _guess_legacy_encoding).
LEGACY_ENCODINGS = ("cp1252", "cp1250", "iso-8859-15", "latin-1")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BARE_CR = re.compile(r"(?<=\r)(?!\n)(?!$)")
# A UTF-8 encoded non-ASCII character (2 to 4 bytes).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class CsvSource:
    """The records of a delimited text file, read again from the start on each call."""

    def __init__(self, source, encoding, delimiter, quotechar):
        self.source = source
        self.encoding = encoding
        self.delimiter = delimiter
        self.quotechar = quotechar

    def records(self, clock=None):
        with open_binary(self.source) as binary:
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
                if clock is not None:
                    clock.tick()
                yield number, [clean_text(c) for c in cells], ()


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


# -- detection -------------------------------------------------------------------------
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
        decode_sample(head, "utf-8")
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


def decode_sample(head, encoding):
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
            decode_sample(head, encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _is_binary(text):
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls > max(2, len(text) // 100)


def detect_dialect(text):
    """Return (delimiter, quotechar) that split the sample into the most regular table.

    Narrow records above the table (notes, a title) do not count: the table's width is
    the most common one, and only the records from the first one that wide are compared.
    """
    lines = text.splitlines(keepends=True)
    sample = "".join(lines[:-1] if len(lines) > 1 else lines)
    quotechar = '"'
    if '"' not in sample and sample.count("'") >= 2 and re.search(r"(^|[,;\t|])'", sample, re.M):
        quotechar = "'"
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        records = list(_first_records(sample, delimiter, quotechar))
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        if not widths:
            continue
        counts = Counter(widths)
        top = max(counts.values())
        width = max(w for w, n in counts.items() if n == top)
        if width < 2:
            continue
        start = next(i for i, w in enumerate(widths) if w >= width)
        table = widths[start:]
        same = sum(1 for w in table if w == width) / len(table)
        score = (round(same, 2), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best, quotechar


def _first_records(sample, delimiter, quotechar, limit=80):
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar=quotechar)
    try:
        for index, record in enumerate(reader):
            if index >= limit:
                return
            yield record
    except csv.Error:
        return


def open_csv(source, head, name, encoding=None, delimiter=None, header_row=None, clock=None, **table_options):
    encoding = encoding or detect_encoding(head)
    if not encoding:
        raise EngineError(
            "not_text",
            _lt(
                "%(name)s is not a text file and cannot be read as CSV. Supported formats are CSV "
                "(.csv, .txt), Excel workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and "
                "vCard contacts (.vcf)."
            ),
            name=name,
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise EngineError(
            "unknown_encoding", _lt("Unknown encoding %(encoding)s."), encoding=encoding
        ) from None
    try:
        text = decode_sample(head, encoding)
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
            _lt(
                "%(name)s is not a text file and cannot be read as CSV. Supported formats are CSV "
                "(.csv, .txt), Excel workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and "
                "vCard contacts (.vcf)."
            ),
            name=name,
        )
    if delimiter:
        quotechar = detect_dialect(text)[1]
    else:
        delimiter, quotechar = detect_dialect(text)
    records = CsvSource(source, encoding, delimiter, quotechar)
    table = Table(
        format="csv",
        headers=[],
        encoding=encoding,
        delimiter=delimiter,
        quotechar=quotechar,
        _source=records,
        _name=name,
        **table_options,
    )
    found = find_header(until_error(records.records(clock)), header_row, name)
    if found is None:
        raise EngineError("no_header", _lt("%(name)s contains no header row."), name=name)
    number, cells, skipped = found
    table.header_row = number
    table.headers, table.problems = clean_headers(cells, number, letters=False)
    if skipped:
        table.problems.insert(0, header_problem(number, skipped))
    require_data(table, name)
    return table
