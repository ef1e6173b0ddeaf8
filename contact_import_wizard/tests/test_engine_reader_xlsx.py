"""Plain pytest: the streamed .xlsx reader, its bounds on the shared strings and the time budget."""

import datetime
import io
import pathlib
import zipfile

import openpyxl
import pytest

from contact_import_wizard.engine import reader
from contact_import_wizard.engine.messages import EngineError
from contact_import_wizard.engine.reader import base, shared_strings

SAMPLES = pathlib.Path(__file__).parent / "samples"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def sample(name):
    return (SAMPLES / name).read_bytes()


def read_all(data, name="book.xlsx", **options):
    table = reader.open_table(data, name, **options)
    return table, list(table.rows())


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def handmade(sheet_xml, shared=None, styles=None, workbook_pr="", prefix="", extra=None):
    """A workbook written part by part, to hold what openpyxl would not write."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<{p}workbook {ns} xmlns:r="{REL}">{workbook_pr}<{p}sheets>'
            f'<{p}sheet name="People" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>',
        )
        relations = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        if shared is not None:
            relations += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
        if styles is not None:
            relations += f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{relations}</Relationships>'
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f"<{p}worksheet {ns}><{p}sheetData>{sheet_xml}</{p}sheetData></{p}worksheet>",
        )
        for path, content in (extra or {}).items():
            archive.writestr(path, content)
    return buffer.getvalue()


# -- the shared-strings bounds ------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "hostile_shared_strings_declared.xlsx",
            "hostile_shared_strings_declared.xlsx holds 1,000,000 shared texts, more than its sheets can "
            "use: the limit is 6 (its 6 text cells, and at most 256 per row for 1,048,576 rows). "
            "It is refused.",
        ),
        (
            "hostile_shared_strings_lying.xlsx",
            "hostile_shared_strings_lying.xlsx holds more shared texts than its sheets can use: the limit "
            "is 6 (its 6 text cells, and at most 256 per row for 1,048,576 rows). It is refused.",
        ),
    ],
)
def test_shared_strings_beyond_the_text_cells_are_refused(name, message):
    with pytest.raises(EngineError) as info:
        reader.open_table(sample(name), name)
    assert info.value.code == "too_many_shared_strings"
    assert info.value.message() == message


def test_shared_strings_as_many_as_the_text_cells_are_read():
    table, rows = read_all(sample("shared_strings_at_limit.xlsx"), "at_limit.xlsx")
    assert table.headers == ["Name", "Email"]
    assert [r.values for r in rows] == [("Contact 2", "c2@example.com"), ("Contact 3", "c3@example.com")]


def test_row_limit_bounds_the_shared_strings(monkeypatch):
    # 40 text cells in one row; an import of 1 row (+ the 31 rows a header may need) of at
    # most 1 text cell each can use 32 strings.
    monkeypatch.setattr(shared_strings, "STRING_COLUMNS", 1)
    cells = "".join(f'<c r="{reader.column_letter(i)}1" t="s"><v>{i}</v></c>' for i in range(40))
    data = handmade(f'<row r="1">{cells}</row>', shared="".join(f"<si><t>H{i}</t></si>" for i in range(40)))
    with pytest.raises(EngineError) as info:
        reader.open_table(data, "wide.xlsx", max_rows=1)
    assert info.value.message() == (
        "wide.xlsx holds more shared texts than its sheets can use: the limit is 32 "
        "(its 40 text cells, and at most 1 per row for 32 rows). It is refused."
    )
    with pytest.raises(EngineError) as info:  # without the row limit: read (no data rows)
        reader.open_table(data, "wide.xlsx")
    assert info.value.code == "no_data_rows"


def test_expanded_size_of_the_shared_strings_is_bounded(monkeypatch):
    monkeypatch.setattr(shared_strings, "SHARED_FLOOR_BYTES", 100)
    monkeypatch.setattr(shared_strings, "SHARED_BYTES_PER_CELL", 10)
    with pytest.raises(EngineError) as info:
        reader.open_table(sample("shared_strings_at_limit.xlsx"), "at_limit.xlsx")
    assert info.value.code == "shared_strings_too_large"
    assert info.value.message().startswith(
        "The shared texts of at_limit.xlsx expand to 0.0 MB, more than its 6 "
    )


def test_large_shared_strings_are_kept_in_a_file_and_read_the_same(monkeypatch):
    strings = (
        ["Name", "Company"] + [f"Zoë {i} 🎉" for i in range(300)] + [f"Company {i}" for i in range(7)] + [""]
    )
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>']
    for i in range(300):
        rows.append(
            f'<row r="{i + 2}"><c r="A{i + 2}" t="s"><v>{i + 2}</v></c>'
            f'<c r="B{i + 2}" t="s"><v>{302 + i % 7}</v></c></row>'
        )
    rows.append('<row r="302"><c r="A302" t="s"><v>309</v></c></row>')
    data = handmade("".join(rows), shared="".join(f"<si><t>{s}</t></si>" for s in strings))
    table, in_memory = read_all(data)
    assert isinstance(table._source.book.strings, list)
    monkeypatch.setattr(shared_strings, "SHARED_IN_MEMORY_BYTES", 0)
    table, in_file = read_all(data)
    assert isinstance(table._source.book.strings, shared_strings.FileStrings)
    assert in_file == in_memory
    assert len(in_file) == 300
    assert in_file[299].values == ("Zoë 299 🎉", "Company 5")


def test_the_string_cell_count_is_exact_across_chunks(monkeypatch):
    monkeypatch.setattr(shared_strings, "COUNT_CHUNK", 7)
    xml = "".join(
        f'<c r="A{i}" t="s"><v>0</v></c><c r="B{i}" t=\'s\'><v>0</v></c><c r="C{i}"/>' for i in range(50)
    )
    assert shared_strings.count_string_cells(io.BytesIO(xml.encode())) == 100


def test_declared_count_checked_before_reading_the_table():
    # An 8 MB-class hostile table is refused from its size and counts, not read.
    strings = "".join(f"<si><t>s{i}</t></si>" for i in range(20_000))
    data = handmade('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=strings)
    with pytest.raises(EngineError) as info:
        reader.open_table(data, "many.xlsx")
    assert info.value.message().startswith("many.xlsx holds more shared texts than its sheets can use")


# -- what a workbook's cells become ------------------------------------------------------
STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="00000"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/>'
    "</cellXfs>"
)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ('<c r="B2" t="inlineStr"><is><t xml:space="preserve"> spaced </t></is></c>', " spaced "),
        (
            '<c r="B2" t="inlineStr"><is><r><t>Rich</t></r><r><rPr><b/></rPr><t> text</t></r></is></c>',
            "Rich text",
        ),
        ('<c r="B2" t="s"><v>1</v></c>', "Bold run and plain"),
        ('<c r="B2" t="s"><v>2</v></c>', "東京"),  # the phonetic reading is left out
        ('<c r="B2" t="str"><f>A1&amp;"x"</f><v>Annx</v></c>', "Annx"),
        ('<c r="B2" t="e"><v>#N/A</v></c>', "#N/A"),
        ('<c r="B2" t="b"><v>1</v></c>', "TRUE"),
        ('<c r="B2" t="b"><v>0</v></c>', "FALSE"),
        ('<c r="B2" t="d"><v>2024-03-01T09:30:00</v></c>', "2024-03-01 09:30:00"),
        ('<c r="B2"><v>42</v></c>', "42"),
        ('<c r="B2"><v>4.9151123456E10</v></c>', "49151123456"),
        ('<c r="B2"><v>0.1</v></c>', "0.1"),
        ('<c r="B2" s="1"><v>45352</v></c>', "2024-03-01"),
        ('<c r="B2" s="3"><v>44928.395833333336</v></c>', "2023-01-02 09:30:00"),
        ('<c r="B2" s="3"><v>0.5</v></c>', "12:00:00"),
        ('<c r="B2" s="2"><v>1234</v></c>', "01234"),
        ('<c r="B2" s="9"><v>7</v></c>', "7"),  # a style the workbook lacks: General
        ('<c r="B2" t="s"><v>3</v></c>', "=1+2"),  # neutralised by our own download: read back as it was
        ('<c r="B2" t="inlineStr"><is><t>A\x7fB</t></is></c>', "AB"),
    ],
)
def test_cell_types_become_text(cell, text):
    shared = (
        "<si><t>Name</t></si>"
        '<si><r><rPr><b/></rPr><t>Bold run</t></r><r><t xml:space="preserve"> and plain</t></r></si>'
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'
        "<si><t>'=1+2</t></si>"
    )
    # The last row uses every shared string: the table may hold as many as the sheet uses.
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c>{cell}</row>'
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c>'
        '<c r="C3" t="s"><v>3</v></c></row>'
    )
    data = handmade(sheet, shared=shared, styles=STYLES)
    table, rows = read_all(data)
    assert table.headers == ["Name", "Name (2)"]
    assert rows[0].values[1] == text


def test_mac_1904_dates():
    data = handmade(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Since</t></is></c></row>'
        '<row r="2"><c r="A2" s="1"><v>1</v></c></row>',
        styles=STYLES,
        workbook_pr='<workbookPr date1904="1"/>',
    )
    _table, rows = read_all(data)
    assert rows[0].values == ("1904-01-02",)


def test_sparse_rows_and_cells_are_placed_by_reference_and_prefixes_ignored():
    sheet = (
        '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c>'
        '<x:c r="C3" t="inlineStr"><x:is><x:t>City</x:t></x:is></x:c></x:row>'
        '<x:row r="7"><x:c r="C7" t="inlineStr"><x:is><x:t>Paris</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>Bob</x:t></x:is></x:c><x:c/>'
        '<x:c t="inlineStr"><x:is><x:t>Rome</x:t></x:is></x:c></x:row>'
    )
    table, rows = read_all(handmade(sheet, prefix="x"))
    assert table.headers == ["Name", "Column B", "City"]
    assert table.header_row == 3
    assert [(r.number, r.values, r.problems) for r in rows] == [
        (7, ("", "", "Paris"), ()),
        (8, ("Bob", "", "Rome"), ()),
    ]


def test_shared_formula_without_value_reports_its_translated_formula():
    sheet = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>N</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Double</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c>'
        '<c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>2</v></c></row>'
        '<row r="3"><c r="A3"><v>4</v></c><c r="B3"><f t="shared" si="0"/></c></row>'
    )
    _table, rows = read_all(handmade(sheet))
    assert rows[0].values == ("1", "2") and rows[0].problems == ()
    (problem,) = rows[1].problems
    assert (problem.code, problem.column, problem.params) == (
        "formula_without_value",
        "Double",
        {"cell": "B3", "formula": "=A3*2"},
    )


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (
            handmade('<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>'),
            "too_many_columns",
            "Cell XFE1 of book.xlsx is beyond the last column a sheet may have (16,384).",
        ),
        (
            handmade('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', shared="<si><t>a</t></si>"),
            "bad_shared_string",
            "Cell A1 of book.xlsx refers to shared text 5, which the workbook lacks.",
        ),
        (
            handmade('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>', shared="<si><t>a</t></si>"),
            "bad_shared_string",
            "Cell A1 of book.xlsx refers to shared text -1, which the workbook lacks.",
        ),
        (
            handmade('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row>'),
            "bad_xlsx_sheet",
            "The sheet xl/worksheets/sheet1.xml of book.xlsx is not valid XML",
        ),
        (
            handmade(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
                extra={"docProps/core.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'},
            ),
            "xml_declaration",
            "book.xlsx declares a document type or entities in docProps/core.xml, which spreadsheets never "
            "need and attacks on servers use. It is refused.",
        ),
        (
            handmade(
                '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared='<!DOCTYPE sst [<!ENTITY a "b">]>'
            ),
            "xml_declaration",
            "in xl/sharedStrings.xml",
        ),
    ],
)
def test_hostile_or_broken_parts_are_refused(data, code, words):
    with pytest.raises(EngineError) as info:
        read_all(data)
    assert info.value.code == code
    assert words in info.value.message()


def test_doctype_beyond_the_head_is_refused_by_the_parser():
    padding = "<!--" + "x" * 100_000 + "-->"
    sheet_xml = padding + f'<!DOCTYPE w [<!ENTITY a "b">]><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    data = handmade('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, content)
    with pytest.raises(EngineError) as info:
        read_all(buffer.getvalue())
    assert info.value.code == "xml_declaration"


def test_workbook_without_workbook_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(EngineError) as info:
        read_all(buffer.getvalue(), "letter.xlsx")
    assert info.value.code == "bad_xlsx"
    assert info.value.message().startswith(
        "The workbook cannot be opened (no workbook part). Supported formats"
    )


def test_title_row_above_a_workbook_header():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Contacts exported on 2024-03-01"])
    sheet.append([])
    sheet.append(["Name", "Email", "Company", "City"])
    sheet.append(["Ann Lee", "ann@acme.example", "Acme", "Paris"])
    sheet.append(["Bob Roe", "bob@roe.example", "Roe Ltd", "Rome"])
    table, rows = read_all(saved(workbook))
    assert (table.headers, table.header_row) == (["Name", "Email", "Company", "City"], 3)
    assert [p.code for p in table.problems] == ["header_row_detected"]
    assert [r.number for r in rows] == [4, 5]
    # The Upload step can take another row as the header.
    table, rows = read_all(saved(workbook), header_row=1)
    assert table.headers == ["Contacts exported on 2024-03-01"]
    assert rows[0].values == ("Name",) and rows[0].problems[0].code == "too_many_cells"


def test_chart_sheets_are_not_listed_and_hidden_sheets_are():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Data"
    workbook.active.append(["Name"])
    workbook.active.append(["Ann"])
    hidden = workbook.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    workbook.create_chartsheet("Chart")
    table, _rows = read_all(saved(workbook))
    assert table.sheets == ["Data", "Hidden"]


# -- the time budget ------------------------------------------------------------------
class FakeClock:
    def __init__(self, start=1000.0):
        self.now = start
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.now


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_once_past_the_deadline(monkeypatch, kind):
    clock = FakeClock()
    monkeypatch.setattr(base.time, "monotonic", clock)
    monkeypatch.setattr(reader.time, "monotonic", clock)
    if kind == "csv":
        data, name = b"Name,City\n" + b"Ann,Paris\n" * 3000, "big.csv"
    else:
        workbook = openpyxl.Workbook()
        workbook.active.append(["Name", "City"])
        for _ in range(3000):
            workbook.active.append(["Ann", "Paris"])
        data, name = saved(workbook), "big.xlsx"
    table = reader.open_table(data, name, deadline=clock.now + 30)
    read = 0
    with pytest.raises(EngineError) as info:
        for _row in table.rows():
            read += 1
            if read == 1000:
                clock.now += 31  # the budget runs out while row 1001 is read
    assert info.value.code == "read_timeout"
    assert info.value.message() == (
        f"Reading {name} took longer than 30 s, the time an import may spend on it; it was stopped. "
        "Split the file, or save it as CSV, and try again."
    )
    assert 1000 <= read < 1000 + base.CLOCK_EVERY
    # Cheap: the clock is read once per CLOCK_EVERY rows, not per row.
    assert clock.calls < 3000 / base.CLOCK_EVERY + 20


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (sample("phones_phantom.xlsx"), "p.xlsx"),
        (sample("contacts.ods"), "c.ods"),
        (sample("contacts.xls"), "c.xls"),
        (sample("contacts.vcf"), "c.vcf"),
        (b"\n" * 5000 + b"Name\nAnn\n", "blank-lines.csv"),  # the header search is timed too
    ],
)
def test_a_deadline_already_past_stops_opening(data, name):
    with pytest.raises(EngineError) as info:
        reader.open_table(data, name, deadline=0.0)
    assert info.value.code == "read_timeout"
    assert info.value.params["seconds"] == 0


def test_no_deadline_reads_everything():
    table = reader.open_table(b"Name\n" + b"x\n" * 1000, "rows.csv", deadline=None)
    assert reader.count_rows(table) == 1000


def test_dates_in_a_workbook_written_by_openpyxl():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Born", "Seen", "At"])
    workbook.active.append(
        ["Ann", datetime.date(1990, 5, 17), datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.time(9, 30)]
    )
    _table, rows = read_all(saved(workbook))
    assert rows[0].values == ("Ann", "1990-05-17", "2024-01-02 03:04:05", "09:30:00")


def test_corrupt_sheet_data_is_a_clear_error():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name"])
    for index in range(2000):
        workbook.active.append([f"Contact {index}"])
    data = bytearray(saved(workbook))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Damage the sheet's compressed data past its first rows (the header is still read).
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + info.compress_size // 2, start + info.compress_size - 8):
        data[offset] ^= 0x5A
    with pytest.raises(EngineError) as info_error:
        list(reader.open_table(bytes(data), "damaged.xlsx").rows())
    assert info_error.value.code in ("bad_xlsx", "bad_xlsx_sheet")
