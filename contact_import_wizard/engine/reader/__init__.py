"""Read CSV, Excel (.xlsx, .xls), OpenDocument (.ods) and vCard (.vcf) files into rows of
text, lazily and within bounds.

``open_table(source, filename)`` looks at the head of the file only (format, encoding,
dialect, header, first data row) and returns a :class:`Table`; its :meth:`Table.rows`
then streams the file row by row, so memory does not grow with the file. One module per
format; what they share is in :mod:`.base`.
"""

import os
import time

from ..messages import EngineError, _lt
from .base import (
    SUPPORTED_FORMATS,
    TOO_MANY_ROWS,
    Clock,
    Row,
    Table,
    check_size,
    clean_headers,
    column_letter,
    count_rows,
    limit_rows,
    open_binary,
    preview,
)
from .delimited import DELIMITERS, SAMPLE_SIZE, detect_dialect, detect_encoding
from .detect import OLE2_MAGIC, ZIP_MAGIC, detect_format

__all__ = [
    "DELIMITERS",
    "OLE2_MAGIC",
    "SAMPLE_SIZE",
    "SUPPORTED_FORMATS",
    "TOO_MANY_ROWS",
    "ZIP_MAGIC",
    "Row",
    "Table",
    "check_size",
    "clean_headers",
    "column_letter",
    "count_rows",
    "detect_dialect",
    "detect_encoding",
    "detect_format",
    "limit_rows",
    "open_table",
    "preview",
]


def _head(source, size=SAMPLE_SIZE):
    with open_binary(source) as binary:
        return binary.read(size)


def open_table(
    source,
    filename="",
    encoding=None,
    delimiter=None,
    sheet=None,
    header_row=None,
    deadline=None,
    max_rows=None,
):
    """Open ``source`` (bytes or a file path) for reading.

    ``encoding``, ``delimiter``, ``sheet`` and ``header_row`` (the number of the row that
    holds the column names) override what would be detected. ``deadline`` is a
    :func:`time.monotonic` value past which reading (here and in :meth:`Table.rows`) stops
    with an EngineError; None sets no time budget. ``max_rows`` (the import's row limit)
    tightens how much a workbook may declare. Raises :class:`EngineError` for a file that
    cannot be imported at all.
    """
    name = os.path.basename(filename or "")
    seconds = None if deadline is None else float(f"{max(deadline - time.monotonic(), 0):.1f}")
    seconds = int(seconds) if seconds is not None and seconds.is_integer() else seconds
    clock = Clock(deadline, seconds, name)
    table_options = {"deadline": deadline, "_seconds": seconds}
    head = _head(source)
    if not head:
        raise EngineError("empty_file", _lt("The file %(name)s is empty."), name=name)
    kind = detect_format(head, name)
    if kind == "xlsx":
        from .xlsx import open_xlsx  # imported here: CSV-only use does not pay for openpyxl

        return open_xlsx(source, name, sheet, header_row, max_rows, clock, **table_options)
    if kind == "ods":
        from .ods import open_ods

        return open_ods(source, name, sheet, header_row, clock, **table_options)
    if kind == "xls":
        from .xls import open_xls

        return open_xls(source, name, sheet, header_row, max_rows, clock, **table_options)
    if kind == "vcf":
        from .vcard import open_vcard

        return open_vcard(source, head, name, encoding, clock, **table_options)
    from .delimited import open_csv

    return open_csv(source, head, name, encoding, delimiter, header_row, clock, **table_options)
