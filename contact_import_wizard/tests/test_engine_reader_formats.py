"""Plain pytest: .xls, .ods and vCard files, and how a file's format is recognised."""

import io
import pathlib
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_import_wizard.engine import mapping, reader
from contact_import_wizard.engine.messages import EngineError
from contact_import_wizard.engine.reader import detect, ods, vcard, xls

SAMPLES = pathlib.Path(__file__).parent / "samples"
FORMATS = (
    "Supported formats are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) "
    "and vCard contacts (.vcf)."
)


def sample(name):
    return (SAMPLES / name).read_bytes()


def read_all(data, name, **options):
    table = reader.open_table(data, name, **options)
    return table, list(table.rows())


# -- .xls -------------------------------------------------------------------------------
def test_xls_sheets_typed_cells_and_blank_rows():
    table, rows = read_all(sample("contacts.xls"), "contacts.xls")
    assert (table.format, table.sheets, table.sheet, table.header_row) == (
        "xls",
        ["Empty", "Contacts"],
        "Contacts",
        1,
    )
    assert table.headers == ["Name", "Phone", "Since", "At", "Active", "Score", "Time"]
    assert [(r.number, r.values, r.problems) for r in rows] == [
        (2, ("Ann Lee", "4915112345678", "2024-03-01", "2023-01-02 09:30:00", "TRUE", "0.1", "09:30:00"), ()),
        (4, ("Zoë Ōkubo", "", "", "", "FALSE", "3", ""), ()),
    ]


def test_xls_sheet_by_name_and_unknown_sheet():
    with pytest.raises(EngineError) as info:
        read_all(sample("contacts.xls"), "contacts.xls", sheet="Nope")
    assert info.value.message() == "The workbook has no sheet named Nope; its sheets are Empty, Contacts."
    with pytest.raises(EngineError) as info:
        read_all(sample("contacts.xls"), "contacts.xls", sheet="Empty")
    assert info.value.code == "empty_workbook"


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (
            "hostile_shared_strings.xls",
            "too_many_shared_strings",
            "hostile_shared_strings.xls declares 3,000,000 shared texts, more than its sheets can use: the "
            "limit is 28 (the cells its sheets declare, at most 256 per row). It is refused.",
        ),
        (
            "hostile_broken.xls",
            "bad_xls",
            "hostile_broken.xls cannot be read as an Excel 97-2003 workbook (.xls): "
            "array index out of range. "
            "Open it in a spreadsheet program and save it as .xlsx or CSV. " + FORMATS,
        ),
        (
            "hostile_protected.xlsx",
            "password_protected",
            "hostile_protected.xlsx is password-protected (encrypted), so it cannot be read. Save it again "
            "without a password, as .xlsx or CSV.",
        ),
    ],
)
def test_hostile_xls_files_are_refused(name, code, message):
    with pytest.raises(EngineError) as info:
        reader.open_table(sample(name), name)
    assert (info.value.code, info.value.message()) == (code, message)


def test_xls_declared_rows_beyond_the_row_limit_are_refused(monkeypatch):
    unique, sheets = xls.declared_counts(sample("contacts.xls"), "contacts.xls")
    assert unique == 9  # distinct texts: 7 headers, 2 names
    assert [name for name, _rows, _cols in sheets] == ["Empty", "Contacts"]
    rows = {name: rows for name, rows, _cols in sheets}["Contacts"]
    assert rows == 4
    xls.check_declared(sample("contacts.xls"), "contacts.xls", max_rows=3)
    monkeypatch.setattr(xls, "ROW_SLACK", 0)
    with pytest.raises(EngineError) as info:
        reader.open_table(sample("contacts.xls"), "contacts.xls", max_rows=3)
    assert info.value.message() == (
        "The sheet Contacts of contacts.xls declares 4 rows, more than an import reads (3). It is refused."
    )


def test_encrypted_package_found_beyond_the_head():
    # The OLE2 directory of a large encrypted workbook is not in the first 64 KB.
    data = detect.OLE2_MAGIC + b"\0" * 100_000 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EngineError) as info:
        reader.open_table(data, "secret.xlsx")
    assert info.value.code == "password_protected"


# -- .ods -------------------------------------------------------------------------------
def test_ods_types_repeats_and_sheet_names():
    table, rows = read_all(sample("contacts.ods"), "contacts.ods")
    assert (table.format, table.sheets, table.sheet) == (
        "ods",
        ["Empty", "Contacts & friends"],
        "Contacts & friends",
    )
    assert table.headers == ["Name", "Zip", "Since", "Met at", "Active", "Score", "Notes", "Tag", "Tag (2)"]
    assert [(r.number, r.values, r.problems) for r in rows] == [
        (
            2,
            (
                "Ann  Lee",
                "01067",
                "2024-03-01",
                "2023-01-02 09:30:00",
                "TRUE",
                "0.125",
                "first line\nsecond\nthird",
                "vip",
                "vip",
            ),
            (),
        ),
        # Three empty rows (one element repeated) are counted, not read.
        (6, ("Bob", "", "09:30:00", "", "", "", "3", "", ""), ()),
    ]


def test_ods_trailing_repeats_are_never_materialised(monkeypatch):
    # A million empty rows of 1,024 empty cells would be a billion cells; counting them
    # yields nothing, so the sample reads in a blink with no row made for them.
    made = []
    original = ods.table_records

    def spy(*args):
        for record in original(*args):
            made.append(record)
            yield record

    monkeypatch.setattr(ods, "table_records", spy)
    _table, rows = read_all(sample("contacts.ods"), "contacts.ods")
    assert len(rows) == 2
    assert all(number <= 6 and len(cells) <= 9 for number, cells, _f in made)


def test_ods_non_empty_repeated_row_is_read_each_time_and_wide_rows_bounded():
    row = '<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string">'
    content = _content(
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>Name</text:p></table:table-cell></table:table-row>"
        f"{row}<text:p>Same</text:p></table:table-cell></table:table-row></table:table>"
    )
    _table, rows = read_all(_ods(content), "s.ods")
    assert [(r.number, r.values) for r in rows] == [(2, ("Same",)), (3, ("Same",)), (4, ("Same",))]
    wide = _content(
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string" '
        'table:number-columns-repeated="20000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>'
    )
    with pytest.raises(EngineError) as info:
        read_all(_ods(wide), "wide.ods")
    assert info.value.message() == "Row 1 of wide.ods has more cells than a sheet may have (16,384)."


def _content(body):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f"{body}</office:spreadsheet></office:body></office:document-content>"
    )


def _ods(content, extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content)
        for path, part in (extra or {}).items():
            archive.writestr(path, part)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (
            "hostile_broken.ods",
            "bad_ods",
            "The OpenDocument spreadsheet hostile_broken.ods cannot be opened (no element found: line 1, "
            "column 2771). " + FORMATS,
        ),
        (
            "hostile_entities.ods",
            "xml_declaration",
            "hostile_entities.ods declares a document type or entities in content.xml, which spreadsheets "
            "never need and attacks on servers use. It is refused.",
        ),
    ],
)
def test_hostile_ods_files_are_refused(name, code, message):
    with pytest.raises(EngineError) as info:
        read_all(sample(name), name)
    assert (info.value.code, info.value.message()) == (code, message)


def test_ods_zip_bomb_and_missing_content():
    bomb = _ods(_content(""), extra={"Thumbnails/padding.png": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(EngineError) as info:
        read_all(bomb, "bomb.ods")
    assert info.value.code == "zip_bomb"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(EngineError) as info:
        read_all(buffer.getvalue(), "hollow.ods")
    assert info.value.message().startswith(
        "The OpenDocument spreadsheet hollow.ods cannot be opened (no content.xml)"
    )


@pytest.mark.parametrize(
    ("attributes", "shown", "text"),
    [
        ('office:value-type="float" office:value="1234"', "01234", "01234"),
        ('office:value-type="float" office:value="1234.5"', "1 234,50", "1234.5"),
        ('office:value-type="float" office:value="4.9151123456E10"', "4.9E10", "49151123456"),
        ('office:value-type="currency" office:currency="EUR" office:value="3.5"', "3,50 €", "3.5"),
        ('office:value-type="date" office:date-value="2024-03-01T00:00:00"', "01/03/24", "2024-03-01"),
        ('office:value-type="time" office:time-value="PT26H05M00S"', "26:05", "1 day, 2:05:00"),
        ('office:value-type="boolean" office:boolean-value="false"', "FALSE", "FALSE"),
        ('office:value-type="string" office:string-value="kept"', "shown", "kept"),
        ('office:value-type="float" office:value="n/a"', "n/a", "n/a"),
    ],
)
def test_ods_value_types(attributes, shown, text):
    content = _content(
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>Value</text:p></table:table-cell></table:table-row>"
        f"<table:table-row><table:table-cell {attributes}><text:p>{shown}</text:p></table:table-cell>"
        "</table:table-row></table:table>"
    )
    _table, rows = read_all(_ods(content), "types.ods")
    assert rows[0].values == (text,)


# -- vCard ----------------------------------------------------------------------------
def test_vcard_cards_become_rows_the_mapping_understands():
    table, rows = read_all(sample("contacts.vcf"), "contacts.vcf")
    assert (table.format, table.unit, table.header_row) == ("vcf", "card", None)
    by_card = [dict(zip(table.headers, r.values, strict=True)) for r in rows]
    assert [r.number for r in rows] == [1, 2, 3]
    assert by_card[0] == {
        "Full Name": "Ann Lee",
        "Company": "Acme GmbH",
        "Department": "Research",
        "Job Title": "CTO",
        "E-mail": "ann@acme.example",  # the preferred one first
        "E-mail 2": "ann@home.example",
        "Phone": "+49 30 123456",  # work/voice, not the fax
        "Mobile Phone": "+49 151 1234567",
        "Street": "12 Main St",  # the work address
        "Street 2": "Building B",
        "City": "Munich",
        "ZIP": "80331",
        "State": "Bavaria",
        "Country": "Germany",
        "Website": "https://acme.example",
        "Notes": "Met at the Hanover fair, stand 12. This note is long enough to be folded over two lines.",
        "Categories": "customer, vip",
    }
    assert (by_card[1]["Full Name"], by_card[1]["Phone"], by_card[1]["Mobile Phone"], by_card[1]["City"]) == (
        "Zoë Ōkubo",
        "+81-3-1234-5678",
        "+81-90-1234-5678",
        "Chuo-ku",
    )
    assert (by_card[2]["Full Name"], by_card[2]["Company"], by_card[2]["Notes"]) == (
        "Jürgen Müller",
        "Bäckerei Müller",
        "Kunde seit 2019\nZahlt pünktlich und bestellt jede Woche",
    )
    assert not any("9j/4AAQ" in value for row in rows for value in row.values)  # photos ignored
    targets = {s.column: s.target for s in mapping.suggest(table.headers)}
    assert {h: targets[h] for h in ("Full Name", "Company", "E-mail", "Phone", "Mobile Phone", "ZIP")} == {
        "Full Name": "name",
        "Company": "company",
        "E-mail": "email",
        "Phone": "phone",
        "Mobile Phone": "mobile",
        "ZIP": "zip",
    }


@pytest.mark.parametrize(
    ("data", "name", "code", "message"),
    [
        (
            sample("hostile_not_vcard.vcf"),
            "hostile_not_vcard.vcf",
            "not_vcard",
            "hostile_not_vcard.vcf is not a vCard file (no BEGIN:VCARD line). A .vcf file holds contacts "
            "between BEGIN:VCARD and END:VCARD lines; export the contacts again as vCard, or as CSV.",
        ),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n",
            "odd.vcf",
            "not_vcard",
            "odd.vcf is not a vCard file (At line 3: Failed to parse line: this line has no colon). A .vcf "
            "file holds contacts between BEGIN:VCARD and END:VCARD lines; export the contacts again as "
            "vCard, or as CSV.",
        ),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n"
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nno colon\r\n",
            "second.vcf",
            "bad_vcard",
            "Card 2 of second.vcf cannot be read: At line 7: Failed to parse line: no colon",
        ),
    ],
)
def test_unreadable_vcards(data, name, code, message):
    with pytest.raises(EngineError) as info:
        read_all(data, name)
    assert (info.value.code, info.value.message()) == (code, message)


def test_vcard_in_utf16_and_a_card_without_fields():
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
    table, rows = read_all(data.encode("utf-16"), "phone.vcf")
    assert [(r.number, r.values[0]) for r in rows] == [(1, "Zoë")]
    assert table.headers == vcard.HEADERS


# -- format detection -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"Name,Email\n", "people.csv", "csv"),
        (b"Name,Email\n", "people.txt", "csv"),
        (b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml", "book.xlsx", "xlsx"),
        (b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml", "renamed.bin", "xlsx"),
        (
            b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "x.zip",
            "ods",
        ),
        (b"PK\x03\x04garbage", "sheet.ods", "ods"),
        (detect.OLE2_MAGIC + b"\0" * 64 + "Workbook".encode("utf-16-le"), "old.bin", "xls"),
        (detect.OLE2_MAGIC + b"\0" * 64, "old.xls", "xls"),
        (b"\xef\xbb\xbf\r\n  begin:vcard\r\nVERSION:4.0", "export.txt", "vcf"),
        ("BEGIN:VCARD\r\n".encode("utf-16"), "phone.dat", "vcf"),
        (b"Name\nAnn\n", "contacts.vcf", "vcf"),  # the vCard reader says it is not one
    ],
)
def test_detect_format(head, name, kind):
    assert reader.detect_format(head, name) == kind


@pytest.mark.parametrize(
    ("head", "name", "code", "message"),
    [
        (
            detect.OLE2_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"),
            "secret.xlsx",
            "password_protected",
            "secret.xlsx is password-protected (encrypted), so it cannot be read. Save it again without a "
            "password, as .xlsx or CSV.",
        ),
        (
            detect.OLE2_MAGIC + b"\0" * 64 + "WordDocument".encode("utf-16-le"),
            "letter.doc",
            "unsupported_format",
            "letter.doc cannot be read. " + FORMATS,
        ),
        (
            b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text",
            "letter.odt",
            "unsupported_format",
            "letter.odt cannot be read. " + FORMATS,
        ),
        (b"Name\nAnn\n", "x.numbers", "unsupported_format", "x.numbers cannot be read. " + FORMATS),
        (
            b"Name\nAnn\n",
            "fake.xlsx",
            "bad_xlsx",
            "fake.xlsx is named like an Excel workbook but is not a valid .xlsx file. " + FORMATS,
        ),
    ],
)
def test_detect_format_refusals(head, name, code, message):
    with pytest.raises(EngineError) as info:
        reader.detect_format(head, name)
    assert (info.value.code, info.value.message()) == (code, message)


def test_supported_formats_is_one_message():
    assert reader.SUPPORTED_FORMATS == FORMATS


# -- damaged files ----------------------------------------------------------------------
DAMAGEABLE = [
    "phones_phantom.xlsx",
    "hostile_formula.xlsx",
    "shared_strings_at_limit.xlsx",
    "contacts.ods",
    "contacts.xls",
    "contacts.vcf",
    "linkedin_connections.csv",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(DAMAGEABLE),
    changes=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_files_get_a_clear_error_or_are_read(name, changes, cut):
    data = bytearray(sample(name))
    for where, byte in changes:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    try:
        table = reader.open_table(bytes(data), name)
        rows = list(table.rows())
    except EngineError as exc:
        assert exc.message()  # every refusal has its message
    else:
        assert all(len(row.values) == len(table.headers) for row in rows)


def test_limit_rows_stops_past_the_limit():
    rows = iter(range(10))
    assert list(reader.limit_rows(rows, 10)) == list(range(10))
    with pytest.raises(EngineError) as info:
        list(reader.limit_rows(iter(range(10)), 3))
    assert info.value.message().startswith("The file has more than 3 data rows, the most an import takes.")


def test_a_card_without_fn_is_named_by_its_n_parts():
    card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lee;Ann;;;\r\nEMAIL:ann@n.example\r\nEND:VCARD\r\n"
    table = reader.open_table(card, "n.vcf")
    [row] = list(table.rows())
    assert row.values[table.headers.index("Full Name")] == "Ann Lee"
