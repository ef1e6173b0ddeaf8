"""OpenDocument spreadsheets (.ods), streamed: content.xml is parsed here with expat.

Odoo's own import reads .ods with odfpy, which builds the whole document in memory; real
files end with an empty row repeated a million times and empty cells repeated to the last
column. Here repeated empty rows and cells are counted, never materialised, and a row is
handed on as soon as it is parsed.
"""

import datetime
import html
import pyexpat
import re
import zipfile

from ..messages import EngineError, _lt
from .archive import ZIP_ERRORS, BadArchive, check_archive, feed, open_archive, xml_parser
from .base import SHEET_MAX_COLUMNS, clean_text, number_text, open_binary, temporal_text
from .sheets import open_sheets

CONTENT = "content.xml"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
T_TABLE, T_ROW, T_CELL, T_COVERED = (
    _TABLE + x for x in ("table", "table-row", "table-cell", "covered-table-cell")
)
A_NAME, A_ROWS, A_COLUMNS = (_TABLE + x for x in ("name", "number-rows-repeated", "number-columns-repeated"))
A_TYPE, A_VALUE, A_DATE, A_TIME, A_BOOLEAN, A_STRING = (
    _OFFICE + x for x in ("value-type", "value", "date-value", "time-value", "boolean-value", "string-value")
)
T_ANNOTATION = _OFFICE + "annotation"
T_P, T_H, T_S, T_TAB, T_BREAK = (_TEXT + x for x in ("p", "h", "s", "tab", "line-break"))
_TABLE_TAG = re.compile(rb"<(?:[\w.-]+:)?table(\s[^>]*)?>")
_NAME_ATTRIBUTE = re.compile(rb"""(?:[\w.-]+:)?name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DURATION = re.compile(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")
CHUNK = 1024 * 1024


def _bad_ods(name, error):
    return EngineError(
        "bad_ods",
        _lt(
            "The OpenDocument spreadsheet %(name)s cannot be opened (%(error)s). Supported formats are CSV "
            "(.csv, .txt), Excel workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and vCard "
            "contacts (.vcf)."
        ),
        name=name,
        error=error,
    )


def table_names(stream, clock=None):
    """The names of the sheets in content.xml, found without parsing it."""
    names, carry = [], b""
    while chunk := stream.read(CHUNK):
        block = carry + chunk
        cut = block.rfind(b">") + 1 or max(len(block) - 4096, 0)
        names.extend(_names_in(block[:cut]))
        carry = block[cut:]
        if clock:
            clock.check()
    names.extend(_names_in(carry))
    return names


def _names_in(block):
    for match in _TABLE_TAG.finditer(block):
        attributes = match.group(1) or b""
        found = _NAME_ATTRIBUTE.search(attributes)
        raw = (found.group(1) or found.group(2)) if found else b""
        yield html.unescape(raw.decode("utf-8", "replace"))


def _repeat(attrs, key):
    try:
        return max(int(attrs.get(key, 1)), 1)
    except ValueError:
        return 1


def _number(value, shown):
    try:
        number = float(value)
    except ValueError:
        return clean_text(value)
    text = number_text(number)
    # A zip code typed as 01234 under a "00000" format: its shown text keeps the zeros.
    if shown.isdigit() and len(shown) > len(text) and shown.lstrip("0") == text.lstrip("0"):
        return shown
    return text


def _date(value):
    try:
        return temporal_text(datetime.datetime.fromisoformat(value[:26]))
    except ValueError:
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return clean_text(value)


def _time(value):
    match = _DURATION.match(value)
    if not match:
        return clean_text(value)
    days, hours, minutes, seconds = (float(g) if g else 0 for g in match.groups())
    duration = datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if value.startswith("-") or duration >= datetime.timedelta(days=1):
        return str(-duration if value.startswith("-") else duration)
    return temporal_text((datetime.datetime.min + duration).time())


def _cell_text(attrs, paragraphs):
    kind = attrs.get(A_TYPE)
    shown = "\n".join(paragraphs)
    if kind in ("float", "percentage", "currency") and A_VALUE in attrs:
        return _number(attrs[A_VALUE], shown)
    if kind == "date" and A_DATE in attrs:
        return _date(attrs[A_DATE])
    if kind == "time" and A_TIME in attrs:
        return _time(attrs[A_TIME])
    if kind == "boolean" and A_BOOLEAN in attrs:
        return "TRUE" if attrs[A_BOOLEAN].lower() in ("true", "1") else "FALSE"
    if A_STRING in attrs:
        return clean_text(attrs[A_STRING])
    return clean_text(shown)


def table_records(stream, wanted, name, clock):
    """(number, cells, ()) of each non-empty row of the ``wanted``-th table (0-based) of
    content.xml; rows repeated N times are yielded N times, empty ones skipped uncounted."""
    pending = []
    state = {
        "table": -1,  # index of the current top-level table
        "depth": 0,  # table nesting (tables inside cells are not read)
        "row": 0,  # number of the last row seen in the wanted table
        "repeat": 1,
        "cells": None,
        "empty": 0,  # empty cells not yet placed (placed only if a value follows)
        "cell": None,  # attributes of the open cell
        "paragraphs": None,
        "text": None,  # parts of the open paragraph
        "annotation": 0,
        "done": False,
    }

    def start(tag, attrs):
        if tag == T_TABLE:
            state["depth"] += 1
            if state["depth"] == 1:
                state["table"] += 1
            return
        if state["depth"] != 1 or state["table"] != wanted:
            return
        if tag in (T_CELL, T_COVERED):
            if state["cells"] is not None:
                state["cell"] = attrs
                state["paragraphs"] = []
        elif tag == T_ROW:
            state["repeat"] = _repeat(attrs, A_ROWS)
            state["cells"] = []
            state["empty"] = 0
        elif state["cell"] is None:
            return
        elif tag == T_ANNOTATION:
            state["annotation"] += 1
        elif state["annotation"]:
            return
        elif tag in (T_P, T_H):
            state["text"] = []
        elif state["text"] is not None:
            if tag == T_S:
                state["text"].append(" " * _repeat(attrs, _TEXT + "c"))
            elif tag == T_TAB:
                state["text"].append("\t")
            elif tag == T_BREAK:
                state["text"].append("\n")

    def end(tag):
        if tag == T_TABLE:
            state["depth"] -= 1
            if state["depth"] == 0 and state["table"] == wanted:
                state["done"] = True
            return
        if state["depth"] != 1 or state["table"] != wanted:
            return
        if tag in (T_CELL, T_COVERED):
            attrs = state["cell"]
            if attrs is None:
                return
            cells = state["cells"]
            repeat = _repeat(attrs, A_COLUMNS)
            text = _cell_text(attrs, state["paragraphs"])
            state["cell"] = state["paragraphs"] = None
            if not text:
                state["empty"] += repeat
                return
            if len(cells) + state["empty"] + repeat > SHEET_MAX_COLUMNS:
                raise EngineError(
                    "too_many_columns",
                    _lt("Row %(row)s of %(name)s has more cells than a sheet may have (%(limit)s)."),
                    row=state["row"] + 1,
                    name=name,
                    limit=f"{SHEET_MAX_COLUMNS:,}",
                )
            if state["empty"]:
                cells.extend([""] * state["empty"])
                state["empty"] = 0
            cells.extend([text] * repeat)
        elif tag == T_ROW:
            cells, repeat = state["cells"], state["repeat"]
            if cells:
                pending.append((state["row"] + 1, cells, repeat))
            state["row"] += repeat
            state["cells"] = None
        elif tag == T_ANNOTATION:
            state["annotation"] -= 1
        elif state["annotation"] or state["cell"] is None:
            return
        elif tag in (T_P, T_H) and state["text"] is not None:
            state["paragraphs"].append("".join(state["text"]))
            state["text"] = None

    def text(data):
        parts = state["text"]
        if parts is not None and not state["annotation"]:
            parts.append(data)

    parser = xml_parser(name, CONTENT, namespaces=True)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        for _ in feed(parser, stream):
            for first, cells, repeat in pending:
                for number in range(first, first + repeat):
                    yield number, cells, ()
            pending.clear()
            if state["done"]:
                return
            clock.check()
    except pyexpat.ExpatError as exc:
        raise _bad_ods(name, str(exc)) from None


class OdsSource:
    """The records of one sheet of an .ods file, read again from the start on each call."""

    def __init__(self, source, index, name):
        self.source = source
        self.index = index
        self.name = name

    def records(self, clock):
        try:
            with (
                open_binary(self.source) as binary,
                zipfile.ZipFile(binary) as archive,
                archive.open(CONTENT) as stream,
            ):
                yield from table_records(stream, self.index, self.name, clock)
        except ZIP_ERRORS as exc:
            # A corrupt member (bad CRC, truncated data) shows only when it is read.
            raise _bad_ods(self.name, str(exc) or exc.__class__.__name__) from None


def open_ods(source, name, sheet=None, header_row=None, clock=None, **table_options):
    """Open an .ods file: bounds checked, its sheets listed, the sheet and its header found."""
    with open_binary(source) as binary:
        try:
            archive = open_archive(binary)
        except BadArchive as exc:
            raise _bad_ods(name, str(exc)) from None
        with archive:
            try:
                check_archive(archive, name)
                with archive.open(CONTENT) as stream:
                    names = table_names(stream, clock)
            except KeyError:
                raise _bad_ods(name, _lt("no content.xml")) from None
            except ZIP_ERRORS as exc:
                raise _bad_ods(name, str(exc) or exc.__class__.__name__) from None
    if not names:
        # No sheet found by its tag: a broken content.xml says so when parsed.
        for _record in OdsSource(source, 0, name).records(clock):
            break
    return open_sheets(
        "ods",
        lambda index: OdsSource(source, index, name),
        [(sheet_name, index) for index, sheet_name in enumerate(names)],
        names,
        name,
        sheet,
        header_row,
        clock,
        table_options,
    )
