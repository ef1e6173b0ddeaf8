"""The shared-strings table of an .xlsx workbook, bounded by what its sheets can use.

It may hold no more strings than the sheets have text cells (counted in a fast pass over
the raw sheet XML, before anything is parsed) and no more than the rows an import reads
allow; its declared counts and expanded size are checked before it is read, and a table
whose declared count lies is stopped as soon as it holds more. A large table is written
to a temporary file with an offsets index, so memory stays flat in the workbook's size.
"""

import array
import mmap
import re
import tempfile

from ..messages import EngineError, _lt
from .archive import feed, member_size, xml_parser

# The shared strings may take this much plus SHARED_BYTES_PER_CELL per text cell once
# expanded; a row may have at most STRING_COLUMNS text cells in that bound.
SHARED_FLOOR_BYTES = 16 * 1024 * 1024
SHARED_BYTES_PER_CELL = 2048
STRING_COLUMNS = 256
# A table larger than this (expanded XML) is kept in a temporary file, not in memory.
SHARED_IN_MEMORY_BYTES = 8 * 1024 * 1024
COUNT_CHUNK = 1024 * 1024

_STRING_CELL = re.compile(rb"""\st\s*=\s*["']s["']""")


def _local(tag):
    return tag.rpartition(":")[2]


class FileStrings:
    """Shared strings kept in a temporary file, found by an index of their offsets."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed with this object)
        self._offsets = array.array("q", [0])
        self._buffer = bytearray()
        self._size = 0
        self._map = None

    def append(self, text):
        data = text.encode("utf-8", "surrogatepass")
        self._buffer += data
        self._size += len(data)
        self._offsets.append(self._size)
        if len(self._buffer) >= COUNT_CHUNK:
            self._file.write(self._buffer)
            self._buffer.clear()

    def close_writing(self):
        self._file.write(self._buffer)
        self._buffer = bytearray()
        self._file.flush()
        if self._size:
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self):
        return len(self._offsets) - 1

    def __getitem__(self, index):
        if index < 0:
            raise IndexError(index)
        start, end = self._offsets[index], self._offsets[index + 1]
        return self._map[start:end].decode("utf-8", "surrogatepass") if end > start else ""


def count_string_cells(stream, clock=None):
    """How many cells of a sheet's raw XML are marked as shared strings (t="s"), counted
    without parsing: a bound, fast enough to run before anything else."""
    count, carry = 0, b""
    while chunk := stream.read(COUNT_CHUNK):
        block = carry + chunk
        cut = block.rfind(b">") + 1 or max(len(block) - 32, 0)
        count += sum(1 for _ in _STRING_CELL.finditer(block, 0, cut))
        carry = block[cut:]
        if clock:
            clock.check()
    return count + sum(1 for _ in _STRING_CELL.finditer(carry))


def _too_many_strings(name, count, limit, cells, max_rows):
    if count is None:  # its declared count lied: found while reading it
        return EngineError(
            "too_many_shared_strings",
            _lt(
                "%(name)s holds more shared texts than its sheets can use: the limit is %(limit)s "
                "(its %(cells)s text cells, and at most %(columns)s per row for %(rows)s rows). "
                "It is refused."
            ),
            name=name,
            limit=f"{limit:,}",
            cells=f"{cells:,}",
            columns=STRING_COLUMNS,
            rows=f"{max_rows:,}",
        )
    return EngineError(
        "too_many_shared_strings",
        _lt(
            "%(name)s holds %(count)s shared texts, more than its sheets can use: the limit is %(limit)s "
            "(its %(cells)s text cells, and at most %(columns)s per row for %(rows)s rows). "
            "It is refused."
        ),
        name=name,
        count=count,
        limit=f"{limit:,}",
        cells=f"{cells:,}",
        columns=STRING_COLUMNS,
        rows=f"{max_rows:,}",
    )


def read_shared_strings(archive, book, cells, max_rows, clock):
    """The shared strings of ``book``, refused when there are more than its ``cells`` text
    cells (or ``max_rows`` x STRING_COLUMNS) can use."""
    part = book.shared_part
    if not part or member_size(archive, part) is None:
        return []
    name = book.name
    limit = min(cells, max_rows * STRING_COLUMNS)
    size = member_size(archive, part)
    max_bytes = SHARED_FLOOR_BYTES + limit * SHARED_BYTES_PER_CELL
    if size > max_bytes:
        raise EngineError(
            "shared_strings_too_large",
            _lt(
                "The shared texts of %(name)s expand to %(size)s MB, more than its %(cells)s text cells "
                "can use (the limit is %(limit)s MB). It is refused."
            ),
            name=name,
            size=f"{size / (1024 * 1024):.1f}",
            cells=f"{cells:,}",
            limit=f"{max_bytes / (1024 * 1024):.1f}",
        )
    strings = FileStrings() if size > SHARED_IN_MEMORY_BYTES else []
    append = strings.append
    parts, state = [], {"capture": False, "phonetic": 0}
    seen = [0]

    def start(tag, attrs):
        local = _local(tag)
        if local == "t":
            state["capture"] = not state["phonetic"]
        elif local == "si":
            parts.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "sst":
            for key in ("uniqueCount", "count"):
                try:
                    declared = int(attrs.get(key, 0))
                except ValueError:
                    continue
                if declared > limit and (key == "uniqueCount" or declared > cells):
                    raise _too_many_strings(name, f"{declared:,}", limit, cells, max_rows)

    def end(tag):
        local = _local(tag)
        if local == "t":
            state["capture"] = False
        elif local == "si":
            seen[0] += 1
            if seen[0] > limit:
                raise _too_many_strings(name, None, limit, cells, max_rows)
            # What openpyxl does with an escaped underscore, kept for the same text.
            append("".join(parts).replace("x005F_", ""))
        elif local == "rPh":
            state["phonetic"] -= 1

    def text(data):
        if state["capture"]:
            parts.append(data)

    parser = xml_parser(name, part)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(part) as stream:
        for _ in feed(parser, stream):
            clock.check()
    if isinstance(strings, FileStrings):
        strings.close_writing()
    return strings
