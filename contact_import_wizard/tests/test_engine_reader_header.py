"""Plain pytest: which row is the header (notes or a title above it are skipped)."""

import csv
import io
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_import_wizard.engine import reader
from contact_import_wizard.engine.messages import EngineError
from contact_import_wizard.engine.reader import header

SAMPLES = pathlib.Path(__file__).parent / "samples"


def read_all(data, name="file.csv", **options):
    table = reader.open_table(data, name, **options)
    return table, list(table.rows())


def test_linkedin_connections_notes_are_skipped():
    table, rows = read_all((SAMPLES / "linkedin_connections.csv").read_bytes(), "Connections.csv")
    assert table.headers == [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    assert (table.header_row, table.delimiter) == (4, ",")
    (problem,) = table.problems
    assert (problem.code, problem.row) == ("header_row_detected", 4)
    assert problem.message() == (
        "Row 4 was taken as the header: the 2 non-empty rows above it look like notes or a title and are "
        "not imported. Choose another header row if that is wrong."
    )
    # Row numbers stay the file's own.
    assert [(r.number, r.values[0], r.values[4]) for r in rows] == [
        (5, "Ann", "Acme GmbH"),
        (6, "Bob", "Roe, Sons & Co"),
    ]


@pytest.mark.parametrize(
    ("name", "header_row"),
    [
        ("bom_semicolon.csv", 1),
        ("cp1252.csv", 1),
        ("utf16.csv", 1),
        ("quoted_newlines.csv", 1),
        ("hostile_controls.csv", 1),
        ("hostile_headers.csv", 1),
        ("hostile_markup.csv", 1),
        ("hostile_mixed_endings.csv", 1),
        ("hostile_rtl_emoji.csv", 1),
        ("hostile_long_cell.csv", 1),
        ("phones_phantom.xlsx", 1),
        ("hostile_formula.xlsx", 1),
        ("contacts.ods", 1),
        ("contacts.xls", 1),
    ],
)
def test_existing_samples_keep_their_first_row_as_header(name, header_row):
    table = reader.open_table((SAMPLES / name).read_bytes(), name)
    assert table.header_row == header_row
    assert "header_row_detected" not in [p.code for p in table.problems]


def test_semicolon_file_with_notes_is_sniffed_below_the_notes():
    data = (
        b"Export of 2024-03-01, made by the shop, with every contact\n"
        b"\n"
        b"Name;Email;Company;City\n"
        b"Ann Lee;ann@acme.example;Acme, Inc.;Paris\n"
        b"Bob Roe;bob@roe.example;Roe Ltd;Rome\n"
    )
    table, rows = read_all(data)
    assert (table.delimiter, table.header_row, table.headers) == (
        ";",
        3,
        ["Name", "Email", "Company", "City"],
    )
    assert rows[0].values == ("Ann Lee", "ann@acme.example", "Acme, Inc.", "Paris")


@pytest.mark.parametrize(
    ("text", "header_row"),
    [
        # A first row as wide as the table stays the header, whatever it holds.
        ("a@x.example,b@x.example,c@x.example\nAnn,Bob,Cid\n", 1),
        ("Name\nAnn\nBob\n", 1),  # one column
        ("Title\nName,Email\nAnn,a@x.example\n", 1),  # two columns: a single cell is a third of nothing
        # Narrow rows, but nothing below reads like column names: the first row, as ever.
        ("Report\n1,2,3\n4,5,6\n", 1),
        ("Report\nann@x.example,Ann,Paris\nbob@x.example,Bob,Rome\n", 1),
        # A title then a header.
        ("Contacts\nName,Email,City\nAnn,a@x.example,Paris\n", 2),
        ("\n\nContacts\n\nName,Email,City\nAnn,a@x.example,Paris\n", 5),
    ],
)
def test_header_detection_rules(text, header_row):
    table, _rows = read_all(text.encode())
    assert table.header_row == header_row


def test_header_row_override_and_its_errors():
    data = (SAMPLES / "linkedin_connections.csv").read_bytes()
    table, rows = read_all(data, header_row=1)
    assert (table.header_row, table.headers, table.problems) == (1, ["Notes:"], [])
    assert rows[0].number == 2
    for wrong in (3, 99):
        with pytest.raises(EngineError) as info:
            read_all(data, "Connections.csv", header_row=wrong)
        assert info.value.code == "bad_header_row"
        assert info.value.message() == (
            f"Row {wrong} of Connections.csv is empty or missing; choose the row that holds the column names."
        )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["First Name", "Last Name", "Email"], True),
        (["Name", "", "City"], True),
        (["Name", "name"], False),  # duplicates
        (["Name", "2024"], False),
        (["Name", "ann@x.example"], False),
        (["Name", "https://x.example"], False),
        (["Name", "12 Mar 2024"], False),
        (["Name", "TRUE"], False),
        (["Name", "+33 1 23 45 67 89"], False),
        (["A very long sentence that is surely not a column name but a note, as exports write them"], False),
        (["", "", "Name"], False),  # mostly empty
    ],
)
def test_looks_like_header(cells, expected):
    assert header.looks_like_header(cells) is expected


label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10).filter(
    lambda text: text not in header._BOOLEANS
)
value = st.one_of(
    st.builds("{}@x.example".format, st.text(alphabet="abc", min_size=1, max_size=5)),
    st.integers(0, 10**9).map(str),
    st.text(alphabet="xyz ", min_size=0, max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(label, min_size=3, max_size=7, unique_by=str.casefold),
    data=st.data(),
    notes=st.lists(st.text(alphabet="Notes: abc,.", min_size=1, max_size=60).filter(str.strip), max_size=4),
    blank_lines=st.integers(0, 2),
)
def test_notes_above_a_table_are_skipped_and_rows_keep_their_numbers(labels, data, notes, blank_lines):
    rows = data.draw(
        st.lists(
            st.lists(value, min_size=len(labels), max_size=len(labels)).filter(
                lambda r: any(c.strip() for c in r)
            ),
            min_size=2,
            max_size=6,
        )
    )
    rows = [[f"{labels[0]}{i}@x.example"] + row[1:] for i, row in enumerate(rows)]  # an email column
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for note in notes:
        writer.writerow([note])
    buffer.write("\n" * blank_lines)
    writer.writerows([labels, *rows])
    table, read = read_all(buffer.getvalue().encode())
    first = len(notes) + blank_lines + 1
    assert table.headers == labels
    assert table.header_row == first
    assert [r.values for r in read] == [tuple(row) for row in rows]
    assert read[0].number == first + 1
