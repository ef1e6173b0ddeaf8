"""Legacy Excel workbooks (.xls, BIFF8 in an OLE2 container), through xlrd.

xlrd loads the workbook's shared-string table when it opens the file and a whole sheet when
it is first read. An .xls is not compressed, so what it can make xlrd hold is bounded by the
upload size limit; on top of that, the declared counts are checked before xlrd runs: the
shared-string table (SST) may not declare more strings than the sheets' declared cells (or
the row limit x STRING_COLUMNS), and no sheet may declare more rows than the row limit.
"""

import datetime
import os
import struct

from ..messages import EngineError, _lt
from .base import clean_text, number_text, read_all, temporal_text
from .detect import is_encrypted_ole2, password_protected
from .shared_strings import STRING_COLUMNS
from .sheets import open_sheets

XLS_MAX_ROWS = 65_536
# Rows above the header and blank rows a sheet may declare beyond the row limit.
ROW_SLACK = 1000
_BOF, _EOF, _SST, _BOUNDSHEET, _DIMENSIONS, _FILEPASS = 0x0809, 0x000A, 0x00FC, 0x0085, 0x0200, 0x002F


def _bad_xls(name, error):
    return EngineError(
        "bad_xls",
        _lt(
            "%(name)s cannot be read as an Excel 97-2003 workbook (.xls): %(error)s. Open it in a "
            "spreadsheet program and save it as .xlsx or CSV. Supported formats are CSV (.csv, .txt), Excel "
            "workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and vCard contacts (.vcf)."
        ),
        name=name,
        error=error,
    )


def _xlrd_errors():
    import xlrd

    return (
        xlrd.XLRDError,
        xlrd.compdoc.CompDocError,
        struct.error,
        AssertionError,
        IndexError,
        KeyError,
        ValueError,
        TypeError,
        UnicodeDecodeError,
        EOFError,
        OverflowError,
        ZeroDivisionError,
    )


def _workbook_stream(data, name):
    """(bytes, start, length) of the BIFF Workbook stream in the OLE2 container."""
    from xlrd import compdoc

    with open(os.devnull, "w") as devnull:
        document = compdoc.CompDoc(data, logfile=devnull)
        for stream_name in ("Workbook", "Book"):
            mem, base, length = document.locate_named_stream(stream_name)
            if mem is not None:
                return mem, base, length
    raise _bad_xls(name, _lt("no workbook stream"))


def _records(mem, start, end):
    """(type, offset of its data, length) of the BIFF records from ``start``."""
    position = start
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", mem, position)
        yield kind, position + 4, length
        position += 4 + length


def declared_counts(data, name):
    """(SST unique strings, [(sheet name, rows, columns)]) as the workbook declares them,
    read from the record headers without loading anything."""
    mem, base, length = _workbook_stream(data, name)
    end = base + length
    unique, sheets = 0, []
    for kind, offset, size in _records(mem, base, end):
        if kind == _FILEPASS:
            raise password_protected(name)
        if kind == _SST and size >= 8:
            unique = struct.unpack_from("<i", mem, offset + 4)[0]
        elif kind == _BOUNDSHEET and size >= 8:
            position, _state, sheet_type, chars, flags = struct.unpack_from("<IBBBB", mem, offset)
            raw = bytes(mem[offset + 8 : offset + 8 + chars * (2 if flags & 1 else 1)])
            sheet_name = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            if sheet_type == 0:
                sheets.append((sheet_name, base + position))
        elif kind == _EOF:
            break
    declared = []
    for sheet_name, position in sheets:
        rows = columns = 0
        for count, (kind, offset, size) in enumerate(_records(mem, position, end)):
            if kind == _DIMENSIONS and size >= 12:
                first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", mem, offset)
                rows, columns = max(last_row - first_row, 0), max(last_col - first_col, 0)
                break
            if kind == _EOF or count > 200:
                break
        declared.append((sheet_name, rows, columns))
    return unique, declared


def check_declared(data, name, max_rows):
    """Refuse an .xls whose declared string table or rows exceed what an import may read."""
    unique, sheets = declared_counts(data, name)
    row_limit = min(max_rows + ROW_SLACK, XLS_MAX_ROWS) if max_rows else XLS_MAX_ROWS
    for sheet_name, rows, _columns in sheets:
        if rows > row_limit:
            raise EngineError(
                "xls_too_many_rows",
                _lt(
                    "The sheet %(sheet)s of %(name)s declares %(count)s rows, more than an import reads "
                    "(%(limit)s). It is refused."
                ),
                sheet=sheet_name,
                name=name,
                count=f"{rows:,}",
                limit=f"{row_limit:,}",
            )
    cells = sum(rows * min(columns, STRING_COLUMNS) for _sheet, rows, columns in sheets)
    limit = min(cells, row_limit * STRING_COLUMNS)
    if unique > limit:
        raise EngineError(
            "too_many_shared_strings",
            _lt(
                "%(name)s declares %(count)s shared texts, more than its sheets can use: the limit is "
                "%(limit)s (the cells its sheets declare, at most %(columns)s per row). It is refused."
            ),
            name=name,
            count=f"{unique:,}",
            limit=f"{limit:,}",
            columns=STRING_COLUMNS,
        )


class XlsSource:
    """The records of one sheet of an .xls workbook (the book is opened once)."""

    def __init__(self, book, index, name):
        self.book = book
        self.index = index
        self.name = name

    def records(self, clock):
        import xlrd

        book = self.book
        try:
            sheet = book.sheet_by_index(self.index)
        except _xlrd_errors() as exc:
            raise _bad_xls(self.name, str(exc) or exc.__class__.__name__) from None
        text, date, number, boolean, error = (
            xlrd.XL_CELL_TEXT,
            xlrd.XL_CELL_DATE,
            xlrd.XL_CELL_NUMBER,
            xlrd.XL_CELL_BOOLEAN,
            xlrd.XL_CELL_ERROR,
        )
        datemode = book.datemode
        for index in range(sheet.nrows):
            cells = []
            for kind, value in zip(sheet.row_types(index), sheet.row_values(index), strict=False):
                if kind == text:
                    cells.append(clean_text(value))
                elif kind == number:
                    cells.append(number_text(value))
                elif kind == date:
                    cells.append(_date_text(value, datemode))
                elif kind == boolean:
                    cells.append("TRUE" if value else "FALSE")
                elif kind == error:
                    cells.append(xlrd.error_text_from_code.get(value, "#ERR"))
                else:
                    cells.append("")
            yield index + 1, cells, ()
            clock.tick()


def _date_text(value, datemode):
    import xlrd

    try:
        year, month, day, hour, minute, second = xlrd.xldate_as_tuple(value, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return number_text(value)
    if not (year or month or day):
        return temporal_text(datetime.time(hour, minute, second))
    return temporal_text(datetime.datetime(year, month, day, hour, minute, second))


def open_xls(source, name, sheet=None, header_row=None, max_rows=None, clock=None, **table_options):
    """Open an .xls workbook: declared counts checked, then read with xlrd."""
    import xlrd

    data = read_all(source)
    if is_encrypted_ole2(data):
        raise password_protected(name)
    try:
        check_declared(data, name, max_rows)
        with open(os.devnull, "w") as devnull:
            book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=devnull)
    except _xlrd_errors() as exc:
        if "encrypted" in str(exc).lower():
            raise password_protected(name) from None
        raise _bad_xls(name, str(exc) or exc.__class__.__name__) from None
    names = book.sheet_names()
    return open_sheets(
        "xls",
        lambda index: XlsSource(book, index, name),
        [(sheet_name, index) for index, sheet_name in enumerate(names)],
        names,
        name,
        sheet,
        header_row,
        clock,
        table_options,
    )
