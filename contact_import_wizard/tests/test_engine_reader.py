"""Plain pytest: the reader turns CSV/XLSX bytes into rows without Odoo."""

import codecs
import csv
import io
import pathlib
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_import_wizard.engine import reader
from contact_import_wizard.engine.messages import EngineError

SAMPLES = pathlib.Path(__file__).parent / "samples"


def read_all(data, name="file.csv", **options):
    table = reader.open_table(data, name, **options)
    return table, list(table.rows())


def sample(name):
    return (SAMPLES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "headers", "first_row"),
    [
        (
            "bom_semicolon.csv",
            "utf-8-sig",
            ";",
            ["Name", "Email", "Company", "City"],
            ("Jürgen Müller", "juergen@example.de", "Blue River Foods GmbH", "München"),
        ),
        (
            "cp1252.csv",
            "cp1252",
            ",",
            ["Name", "Company", "Notes"],
            ("François Dupré", "Société Générale", "“quoted” – dash"),
        ),
        ("utf16.csv", "utf-16", "\t", ["Name", "Email"], ("Ming Li", "ming@example.cn")),
        (
            "quoted_newlines.csv",
            "utf-8",
            ",",
            ["Name", "Street", "Company"],
            ("Jane Roe", "12 Main St\r\nBuilding B, floor 2", "Roe, Sons & Co"),
        ),
    ],
)
def test_csv_samples_detected(name, encoding, delimiter, headers, first_row):
    table, rows = read_all(sample(name), name)
    assert table.format == "csv"
    assert table.encoding == encoding
    assert table.delimiter == delimiter
    assert table.headers == headers
    assert rows[0].values == first_row
    assert rows[0].number == 2


def test_blank_lines_skipped_but_counted_in_row_numbers():
    _table, rows = read_all(sample("quoted_newlines.csv"))
    # Row 3 of the file is blank: the next record is row 4, as a spreadsheet shows it.
    assert [r.number for r in rows] == [2, 4]
    assert rows[1].values == ("John Doe", "1 High St", "Doe Ltd")


def test_path_source_reads_like_bytes():
    path = SAMPLES / "bom_semicolon.csv"
    by_path = [r.values for r in reader.open_table(str(path), path.name).rows()]
    by_bytes = [r.values for r in reader.open_table(path.read_bytes(), path.name).rows()]
    assert by_path == by_bytes and len(by_path) == 2


def test_cyrillic_legacy_file():
    data = "Имя;Компания\nИван Петров;Рога и копыта\n".encode("cp1251")
    table, rows = read_all(data)
    assert table.encoding == "cp1251"
    assert rows[0].values == ("Иван Петров", "Рога и копыта")


def test_utf16_without_bom():
    data = "Name,Email\nAna,ana@example.com\n".encode("utf-16-le")
    table, rows = read_all(data)
    assert table.encoding == "utf-16-le"
    assert rows[0].values == ("Ana", "ana@example.com")


@pytest.mark.parametrize(
    ("delimiter", "label"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_each_delimiter_detected(delimiter, label):
    text = delimiter.join(["Name", "Email", "Company"]) + "\n"
    text += (
        delimiter.join(["Ann Lee", "ann@example.com", "Lee, Ltd" if delimiter != "," else "Lee Ltd"]) + "\n"
    )
    table, rows = read_all(text.encode())
    assert table.delimiter == delimiter, label
    assert len(rows[0].values) == 3


def test_user_overrides_encoding_and_delimiter():
    data = "Name;Notes\nJosé;a,b\n".encode("latin-1")
    table, rows = read_all(data, encoding="latin-1", delimiter=";")
    assert (table.encoding, table.delimiter) == ("latin-1", ";")
    assert rows[0].values == ("José", "a,b")


def test_wrong_encoding_override_is_a_clear_error():
    data = "Name\nJosé\n".encode("latin-1")
    with pytest.raises(EngineError) as info:
        read_all(data, name="people.csv", encoding="utf-8")
    assert info.value.code == "decode_error"
    assert "people.csv is not valid utf-8 text" in str(info.value)


def test_decode_error_after_the_sample_names_the_row():
    data = b"Name\n" + b"Ann\n" * 20000 + "Zoë\n".encode("latin-1")
    table = reader.open_table(data, "big.csv")
    assert table.encoding == "utf-8"
    with pytest.raises(EngineError) as info:
        list(table.rows())
    assert info.value.code == "decode_error"
    assert info.value.params["row"] == 20002
    assert "Row 20002 is not valid utf-8 text (byte 0xEB)" in str(info.value)


def test_too_few_and_too_many_cells_are_row_problems():
    data = (
        b"Name,Email,City\nAnn,ann@example.com\nBob,bob@example.com,Paris,EXTRA\nCid,c@example.com,Rome,,\n"
    )
    _table, rows = read_all(data)
    assert rows[0].values == ("Ann", "ann@example.com", "")
    assert [p.code for p in rows[0].problems] == ["too_few_cells"]
    assert not rows[0].problems[0].blocking
    assert rows[1].values == ("Bob", "bob@example.com", "Paris")
    problem = rows[1].problems[0]
    assert (problem.code, problem.row, problem.blocking) == ("too_many_cells", 3, True)
    assert "'EXTRA'" in problem.message()
    # Trailing empty cells are what spreadsheets export: no problem.
    assert rows[2].problems == ()


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (b"", "empty.csv", "empty_file", "empty.csv is empty"),
        (b"Name,Email\n", "header.csv", "no_data_rows", "header row but no data rows"),
        (b"Name,Email\n\n\n", "header.csv", "no_data_rows", "header row but no data rows"),
        (b"\n\n", "blank.csv", "no_header", "contains no header row"),
        (bytes(range(256)) * 20, "garbage.csv", "not_text", "is not a text file"),
        # .xls and .ods are read now: a broken one says so, with the formats that are read.
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "bad_xls", "Supported formats"),
        (
            b"PK\x03\x04" + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "a.ods",
            "bad_ods",
            ".ods",
        ),
        (b"Name\nAnn\n", "fake.xlsx", "bad_xlsx", "not a valid .xlsx"),
        (b"PK\x03\x04garbage", "broken.xlsx", "bad_xlsx", "cannot be opened"),
    ],
)
def test_unreadable_files_get_clear_errors(data, name, code, words):
    with pytest.raises(EngineError) as info:
        read_all(data, name)
    assert info.value.code == code
    assert words in info.value.message()


def test_headers_disambiguated():
    data = b"Email,,email,Name,\nann@example.com,x,ann2@example.com,Ann,\n"
    table, rows = read_all(data)
    assert table.headers == ["Email", "Column 2", "email (2)", "Name"]
    assert {p.code for p in table.problems} == {"empty_header", "duplicate_header"}
    assert rows[0].values == ("ann@example.com", "x", "ann2@example.com", "Ann")


def test_nul_bytes_removed():
    _table, rows = read_all(b"Name,City\nAn\x00n,Paris\n")
    assert rows[0].values == ("Ann", "Paris")


def test_xlsx_first_sheet_with_data_typed_cells_and_phantom_rows():
    table, rows = read_all(sample("phones_phantom.xlsx"), "phones_phantom.xlsx")
    assert table.format == "xlsx"
    assert table.sheets == ["Empty", "Contacts"]
    assert table.sheet == "Contacts"
    assert table.headers == ["Name", "Phone", "Zip", "VAT", "Since"]
    assert [r.values for r in rows] == [
        ("Hans Meier", "4915112345678", "01067", "", "2024-03-01"),
        ("Eva Schulz", "4930123456", "01234", "DE123456789", "2023-01-02 09:30:00"),
    ]
    assert all(r.problems == () for r in rows)


def test_xlsx_sheet_choice_and_unknown_sheet():
    data = sample("phones_phantom.xlsx")
    with pytest.raises(EngineError) as info:
        read_all(data, "p.xlsx", sheet="Nope")
    assert info.value.code == "unknown_sheet"
    assert "Empty, Contacts" in str(info.value)
    table, _rows = read_all(data, "p.xlsx", sheet="Contacts")
    assert table.sheet == "Contacts"


def test_xlsx_floats_and_booleans():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Score", "Active", "Big"])
    sheet.append(["Ann", 0.1, True, 4.9151123456e10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _table, rows = read_all(buffer.getvalue(), "x.xlsx")
    assert rows[0].values == ("Ann", "0.1", "TRUE", "49151123456")


def test_rows_are_streamed_lazily():
    # A generator: reading the first rows of a big file does not read the rest.
    data = b"Name\n" + b"x\n" * 100000
    table = reader.open_table(data, "big.csv")
    first = next(iter(table.rows()))
    assert first.number == 2
    assert reader.count_rows(table) == 100000
    assert len(reader.preview(table, 3)) == 3


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), max_size=20
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_csv_round_trip(rows, delimiter, encoding):
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(["First", "Second", "Third"])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    table, read = read_all(data, delimiter=delimiter)
    assert table.headers == ["First", "Second", "Third"]
    assert [r.values for r in read] == [tuple(r) for r in rows]
    assert codecs.lookup(table.encoding).name == codecs.lookup(encoding).name


def test_more_unreadable_cases():
    with pytest.raises(EngineError) as info:
        read_all(b"Name\nAnn\n", encoding="klingon-8")
    assert (info.value.code, info.value.message()) == ("unknown_encoding", "Unknown encoding klingon-8.")

    with pytest.raises(EngineError) as info:
        read_all(b"Name\nAnn\n", name="table.ods")
    assert info.value.code == "unsupported_format"
    assert info.value.message().startswith("table.ods cannot be read. Supported formats are CSV")

    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(EngineError) as info:
        read_all(buffer.getvalue(), name="blank.xlsx")
    assert (info.value.code, info.value.message()) == (
        "empty_workbook",
        "The workbook blank.xlsx has no sheet with data.",
    )


def test_oversized_cell_names_its_row():
    data = b"Name,Notes\nAnn,ok\nBob," + b"x" * 200_000 + b"\n"
    table = reader.open_table(data, "big-cell.csv")
    with pytest.raises(EngineError) as info:
        list(table.rows())
    assert info.value.code == "csv_error"
    assert info.value.message().startswith("Row 3 cannot be read as CSV: field larger than field limit")


def test_long_cell_within_limit_kept_whole():
    _table, rows = read_all(b"Name,Notes\nAnn," + b"y" * 100_000 + b"\n")
    assert len(rows[0].values[1]) == 100_000


def test_zip_bomb_refused_before_expanding():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name"])
    workbook.active.append(["Ann"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros
    data = buffer.getvalue()
    assert len(data) < 100_000
    with pytest.raises(EngineError) as info:
        read_all(data, "bomb.xlsx")
    assert info.value.code == "zip_bomb"
    assert info.value.message().startswith("bomb.xlsx would expand to 20 MB")
    assert "the limit is 1024 MB and 100 times" in info.value.message()


def test_formula_without_cached_value_is_reported():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Score"])
    sheet.append(["Ann", "=1+1"])  # openpyxl stores formulas without a computed value
    sheet.append(["Bob", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _table, rows = read_all(buffer.getvalue(), "formulas.xlsx")
    assert [r.values for r in rows] == [("Ann", ""), ("Bob", "3")]
    (problem,) = rows[0].problems
    assert (problem.code, problem.row, problem.column, problem.severity) == (
        "formula_without_value",
        2,
        "Score",
        "warning",
    )
    assert problem.message() == (
        "Cell B2 holds the formula =1+1 but no computed value; it is read as empty. "
        "Open and save the file in a spreadsheet program to compute it."
    )
    assert rows[1].problems == ()


def test_limits_of_size_and_rows():
    with pytest.raises(EngineError) as info:
        reader.check_size(3 * 1024 * 1024, 2 * 1024 * 1024, "big.csv")
    assert info.value.message() == (
        "big.csv is 3.0 MB; the largest file an import takes is 2 MB. "
        "Split it, or ask an administrator to raise the limit in Settings."
    )
    reader.check_size(2 * 1024 * 1024, 2 * 1024 * 1024, "ok.csv")  # at the limit: fine
    table = reader.open_table(b"Name\n" + b"x\n" * 5, "rows.csv")
    assert reader.count_rows(table, limit=5) == 5
    with pytest.raises(EngineError) as info:
        reader.count_rows(table, limit=4)
    assert info.value.code == "too_many_rows"
    assert info.value.message().startswith("The file has more than 4 data rows, the most an import takes.")


def test_mixed_line_endings_and_unicode_kept_exactly():
    data = "Name,Company\r\nمحمد العلي,شركة النور\nZoë 🎉 Ōkubo,Émoji Café 🍰\r\nאבי כהן,חברה\r".encode()
    _table, rows = read_all(data)
    assert [r.values for r in rows] == [
        ("محمد العلي", "شركة النور"),
        ("Zoë 🎉 Ōkubo", "Émoji Café 🍰"),
        ("אבי כהן", "חברה"),
    ]
    assert [r.number for r in rows] == [2, 3, 4]


def test_encoding_change_mid_file_names_the_row():
    data = "Name\nJosé\n".encode() + b"x\n" * 30000 + "Zoë\n".encode("cp1252")
    with pytest.raises(EngineError) as info:
        reader.open_table(data, "mixed.csv")
    assert info.value.code == "mixed_encoding"
    assert info.value.message() == (
        "The file mixes UTF-8 text with another encoding (row 30003 is not UTF-8). "
        "Save it again in a single encoding, UTF-8 preferably."
    )
    # The user can still choose an encoding: the file is then read with it.
    table, _rows = read_all(data, encoding="cp1252")
    assert table.encoding == "cp1252"


def test_bare_carriage_returns_end_lines_but_not_quoted_cells():
    data = b'Name,Notes\rAnn,"two\rlines"\rBob,x\r\nCid,y\n'
    _table, rows = read_all(data)
    assert [r.values for r in rows] == [("Ann", "two\rlines"), ("Bob", "x"), ("Cid", "y")]


def test_repeated_cells_of_a_column_are_one_string(monkeypatch):
    from contact_import_wizard.engine.reader import base

    monkeypatch.setattr(base.SharedCells, "TRIAL_ROWS", 4)
    lines = ["Name,City"] + [f"Person {n},{'Lyon' if n % 2 else 'Paris'}" for n in range(12)]
    rows = list(reader.open_table("\n".join(lines).encode(), "people.csv").rows())
    assert [r.values for r in rows] == [
        (f"Person {n}", "Lyon" if n % 2 else "Paris") for n in range(12)
    ]  # what is read is unchanged
    assert len({id(r.values[1]) for r in rows}) == 2  # two cities: two strings
    # names all differ: the column is left alone once the first rows have shown it
    sharing = base.SharedCells()
    for n in range(4):
        sharing([f"Person {n}", "Lyon"])
    assert sharing.memos[0] is None and sharing.memos[1] == {"Lyon": "Lyon"}
