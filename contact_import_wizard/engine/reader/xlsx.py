"""Excel workbooks (.xlsx), streamed: the sheet XML is parsed here with expat, row by row.

openpyxl's loader reads the whole shared-strings table before the first row; a hostile
workbook with two rows and millions of strings then costs minutes and gigabytes. Here the
table is bounded by what the sheets can use before it is read (:mod:`.shared_strings`),
and the cells are turned into text exactly as the openpyxl-based reader did (numbers
without spurious decimals, dates by their cell's number format, booleans, zero-padded
numbers under a "00000" format, formulas by their cached value).
"""

import array
import contextlib
import posixpath
import pyexpat
import zipfile

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from ..messages import EngineError, _lt
from .archive import (
    ZIP_ERRORS,
    BadArchive,
    check_archive,
    feed,
    member_size,
    open_archive,
    parse_small,
    xml_parser,
)
from .base import SHEET_MAX_COLUMNS, SHEET_MAX_ROWS, clean_text, number_text, open_binary, temporal_text
from .header import SCAN_ROWS
from .shared_strings import count_string_cells, read_shared_strings
from .sheets import open_sheets

_PLAIN, _DATE = 0, 1
MAX_CACHED_STYLES = 65_536
_REL_DOCUMENT = "/officeDocument"


def _bad_workbook(error):
    return EngineError(
        "bad_xlsx",
        _lt(
            "The workbook cannot be opened (%(error)s). Supported formats are CSV (.csv, .txt), Excel "
            "workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and vCard contacts (.vcf)."
        ),
        error=error,
    )


def _local(tag):
    return tag.rpartition(":")[2]


def _cached_local(cache, tag):
    local = _local(tag)
    if len(cache) < 1000:  # a hostile part may use any number of tag names
        cache[tag] = local
    return local


# -- the workbook's small parts ---------------------------------------------------------
def _relations(archive, part, name):
    """{id: (type, target path)} of ``part``'s relationships."""
    folder, base = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    relations = {}

    def start(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                path = target[1:]
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            relations[attrs.get("Id")] = (attrs.get("Type", ""), path)

    parse_small(archive, rels_path, name, {"StartElementHandler": start})
    return relations


class Book:
    """What a workbook's small parts say: its sheets, date system and number formats."""

    def __init__(self, archive, name):
        self.name = name
        root = _relations(archive, "", name)
        workbook = next((path for kind, path in root.values() if kind.endswith(_REL_DOCUMENT)), None)
        workbook = workbook or "xl/workbook.xml"
        if member_size(archive, workbook) is None:
            raise _bad_workbook(_lt("no workbook part"))
        relations = _relations(archive, workbook, name)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheets = []  # (name, part) of each worksheet, in the workbook's order
        sheets = []

        def start(tag, attrs):
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
                sheets.append((attrs.get("name", ""), rid))
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        parse_small(archive, workbook, name, {"StartElementHandler": start})
        for sheet_name, rid in sheets:
            kind, path = relations.get(rid, ("", ""))
            if kind.endswith("/worksheet") and member_size(archive, path) is not None:
                self.sheets.append((sheet_name, path))
        by_kind = {kind.rpartition("/")[2]: path for kind, path in relations.values()}
        self.shared_part = by_kind.get("sharedStrings")
        self.formats = {}  # numFmtId -> format code
        self.xf_formats = array.array("l")  # per cell style: its numFmtId
        self._styles = {}
        if by_kind.get("styles"):
            self._read_styles(archive, by_kind["styles"])
        self.strings = []

    def _read_styles(self, archive, part):
        depth = [0]

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt":
                with contextlib.suppress(ValueError):
                    self.formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth[0] += 1
            elif local == "xf" and depth[0]:
                try:
                    self.xf_formats.append(int(attrs.get("numFmtId", 0)))
                except (ValueError, OverflowError):
                    self.xf_formats.append(0)

        def end(tag):
            if _local(tag) == "cellXfs":
                depth[0] -= 1

        parse_small(archive, part, self.name, {"StartElementHandler": start, "EndElementHandler": end})

    def style(self, key):
        """(kind, number format) of the cell style ``key`` (the ``s`` attribute)."""
        found = self._styles.get(key)
        if found is None:
            try:
                index = int(key)
                fmt_id = self.xf_formats[index] if index >= 0 else 0
            except (ValueError, IndexError):
                fmt_id = 0
            code = self.formats.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
            # Durations ("[h]:mm") are dates too: openpyxl's read-only loader, which this
            # replaces, read them so, and the same file must give the same text.
            kind = _DATE if is_date_format(code) else _PLAIN
            found = (kind, code)
            if len(self._styles) < MAX_CACHED_STYLES:  # a hostile sheet may use any number of keys
                self._styles[key] = found
        return found


# -- the sheet ---------------------------------------------------------------------------
_COLUMNS = {}


def column_index(ref):
    """ "AB12" -> 27 (0-based); None when ``ref`` names no column."""
    letters = ref.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        if not letters or not letters.isalpha() or len(letters) > 3:
            return None
        index = 0
        for letter in letters.upper():
            index = index * 26 + ord(letter) - 64
        index -= 1
        if len(_COLUMNS) < 20000:
            _COLUMNS[letters] = index
    return index


def sheet_records(stream, book, part, clock):
    """(number, cells, formulas) of each <row> of a worksheet's XML, as parsed.

    ``formulas`` lists (column index, formula) for the formulas without a cached value.
    """
    strings = book.strings
    style = book.style
    epoch = book.epoch
    name = book.name
    pending = []
    locals_ = {}
    shared_formulas = {}
    # Parser state: the row, the cell, and which text is being collected.
    row = {"number": 0, "cells": None, "formulas": None}
    cell = {"column": 0, "type": "n", "style": None, "ref": None, "f": None}
    buf = []
    capture = [None]  # "v", "f", "t" (inline text) or None
    phonetic = [0]
    done = [False]
    values = {"v": None, "inline": None}

    def start(tag, attrs):
        local = locals_.get(tag) or _cached_local(locals_, tag)
        if local == "c":
            ref = attrs.get("r")
            cells = row["cells"]
            column = column_index(ref) if ref else None
            if column is None:
                column = len(cells) if cells is not None else 0
            if column >= SHEET_MAX_COLUMNS:
                raise EngineError(
                    "too_many_columns",
                    _lt("Cell %(cell)s of %(name)s is beyond the last column a sheet may have (%(limit)s)."),
                    cell=ref or "",
                    name=name,
                    limit=f"{SHEET_MAX_COLUMNS:,}",
                )
            cell["column"] = column
            cell["type"] = attrs.get("t", "n")
            cell["style"] = attrs.get("s")
            cell["ref"] = ref
            cell["f"] = None
            values["v"] = None
            values["inline"] = None
        elif local == "v":
            buf.clear()
            capture[0] = "v"
        elif local == "row":
            number = attrs.get("r")
            try:
                number = int(number) if number else row["number"] + 1
            except ValueError:
                number = row["number"] + 1
            row["number"] = number
            row["cells"] = []
            row["formulas"] = []
        elif local == "f":
            buf.clear()
            capture[0] = "f"
            cell["f"] = (attrs.get("t"), attrs.get("si"))
        elif local == "is":
            values["inline"] = []
        elif local == "t" and values["inline"] is not None and not phonetic[0]:
            buf.clear()
            capture[0] = "t"
        elif local == "rPh":
            phonetic[0] += 1

    def end(tag):
        local = locals_.get(tag) or _cached_local(locals_, tag)
        if local == "v":
            values["v"] = "".join(buf)
            capture[0] = None
        elif local == "c":
            cells = row["cells"]
            if cells is None:
                return
            text = _cell_text(cell, values)
            column = cell["column"]
            if column == len(cells):
                cells.append(text)
            elif column > len(cells):
                cells.extend([""] * (column - len(cells)))
                cells.append(text)
            else:
                cells[column] = text
            if cell["f"] is not None and not text:
                row["formulas"].append((column, _formula(cell, shared_formulas)))
        elif local == "row":
            if row["cells"] is not None:
                pending.append((row["number"], row["cells"], row["formulas"] or ()))
            row["cells"] = None
        elif local == "f":
            cell["f"] = (cell["f"] or (None, None)) + ("".join(buf),)
            capture[0] = None
            kind, index, formula = cell["f"]
            if kind == "shared" and formula and index not in shared_formulas:
                shared_formulas[index] = ("=" + formula, cell["ref"])
        elif local == "t":
            if capture[0] == "t":
                values["inline"].append("".join(buf))
                capture[0] = None
        elif local == "rPh":
            phonetic[0] -= 1
        elif local == "sheetData":
            done[0] = True

    def text(data):
        if capture[0]:
            buf.append(data)

    def _cell_text(cell, values):
        kind = cell["type"]
        value = values["v"]
        if kind == "s":
            if not value:
                return ""
            try:
                index = int(value)
                if index < 0:
                    raise IndexError(index)
                return clean_text(strings[index])
            except (ValueError, IndexError):
                raise EngineError(
                    "bad_shared_string",
                    _lt(
                        "Cell %(cell)s of %(name)s refers to shared text %(index)s, which the workbook lacks."
                    ),
                    cell=cell["ref"] or "",
                    name=name,
                    index=value,
                ) from None
        if kind == "n":
            if not value:
                return ""
            return _number(value, cell["style"])
        if kind == "inlineStr":
            inline = values["inline"]
            return clean_text("".join(inline)) if inline else ""
        if kind == "b":
            if not value:
                return ""
            try:
                return "TRUE" if int(value) else "FALSE"
            except ValueError:
                return clean_text(value)
        if kind == "d":
            if not value:
                return ""
            try:
                return temporal_text(from_ISO8601(value))
            except (ValueError, TypeError):
                return clean_text(value)
        return clean_text(value) if value else ""

    def _number(value, style_key):
        try:
            number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        except ValueError:
            return clean_text(value)
        kind, code = style(style_key) if style_key else (_PLAIN, "General")
        if kind:
            try:
                return temporal_text(from_excel(number, epoch))
            except (ValueError, OverflowError):
                return "#VALUE!"
        return number_text(number, code)

    parser = xml_parser(name, part)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        for _ in feed(parser, stream):
            if pending:
                yield from pending
                pending.clear()
            if done[0]:
                return
            clock.check()
    except pyexpat.ExpatError as exc:
        raise EngineError(
            "bad_xlsx_sheet",
            _lt("The sheet %(part)s of %(name)s is not valid XML (%(error)s)."),
            part=part,
            name=name,
            error=str(exc),
        ) from None


def _formula(cell, shared_formulas):
    kind, index, formula = cell["f"]
    if not formula and kind == "shared" and index in shared_formulas:
        from openpyxl.formula.translate import Translator, TranslatorError

        master, origin = shared_formulas[index]
        try:
            return Translator(master, origin).translate_formula(cell["ref"])
        except (TranslatorError, ValueError, TypeError):
            return master
    return "=" + (formula or "")


# -- opening --------------------------------------------------------------------------
class XlsxSource:
    """The records of one sheet of a workbook, read again from the start on each call."""

    def __init__(self, source, book, part):
        self.source = source
        self.book = book
        self.part = part

    def records(self, clock):
        try:
            with (
                open_binary(self.source) as binary,
                zipfile.ZipFile(binary) as archive,
                archive.open(self.part) as stream,
            ):
                yield from sheet_records(stream, self.book, self.part, clock)
        except ZIP_ERRORS as exc:
            # A corrupt member (bad CRC, truncated data) shows only when it is read.
            raise _bad_workbook(str(exc) or exc.__class__.__name__) from None


def open_xlsx(source, name, sheet=None, header_row=None, max_rows=None, clock=None, **table_options):
    """Open a workbook: bounds checked, shared strings read, the sheet and its header found."""
    with open_binary(source) as binary:
        try:
            archive = open_archive(binary)
        except BadArchive as exc:
            raise _bad_workbook(str(exc)) from None
        with archive:
            try:
                check_archive(archive, name)
                book = Book(archive, name)
                cells = 0
                for _sheet_name, part in book.sheets:
                    with archive.open(part) as stream:
                        cells += count_string_cells(stream, clock)
                # The rows an import reads: its limit, the header and what may stand above it.
                rows = SHEET_MAX_ROWS if max_rows is None else min(max_rows + SCAN_ROWS + 1, SHEET_MAX_ROWS)
                book.strings = read_shared_strings(archive, book, cells, rows, clock)
            except (pyexpat.ExpatError, *ZIP_ERRORS) as exc:
                raise _bad_workbook(str(exc) or exc.__class__.__name__) from None
    names = [sheet_name for sheet_name, _part in book.sheets]
    return open_sheets(
        "xlsx",
        lambda part: XlsxSource(source, book, part),
        book.sheets,
        names,
        name,
        sheet,
        header_row,
        clock,
        table_options,
    )
