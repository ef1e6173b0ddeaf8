"""Plain pytest: a planned contact's values -> the partner values the executor writes."""

import pytest

from contact_import_wizard.engine import plan
from contact_import_wizard.engine import values as engine_values
from contact_import_wizard.engine.values import Message, contact_values

ADDRESS = {
    "street": "1 Main St",
    "street2": None,
    "city": "Munich",
    "zip": "80331",
    "state_id": None,
    "country_id": 57,
}


def test_a_contact_without_company_keeps_everything():
    vals, notes, messages = contact_values(
        {"name": "Ann", "email": "ann@x.example", "city": "Lyon", "vat": "FR1", "comment": "Met at fair"}
    )
    assert vals == {
        "name": "Ann",
        "email": "ann@x.example",
        "city": "Lyon",
        "vat": "FR1",
        "comment": "Met at fair",
    }
    assert (notes, messages) == ([], [])


@pytest.mark.parametrize(
    ("row", "action", "keeps_type", "expected_vals", "expected_messages"),
    [
        # the company's address is used: the row's own is dropped, and the log line says so
        ({"city": "Berlin"}, plan.ADDRESS_DROPPED, False, {}, [Message(engine_values.WHY_ADDRESS_DROPPED)]),
        # the same address as the company's (or none): nothing to say
        ({"city": "Munich"}, plan.ADDRESS_SAME, False, {}, []),
        # kept as an "other" address of the company, and the line says so
        (
            {"city": "Berlin"},
            plan.ADDRESS_KEPT,
            False,
            {"city": "Berlin", "type": "other"},
            [Message(engine_values.KEPT_AS_OTHER)],
        ),
        # an existing contact of a company keeps its type and shares the company's address
        ({"city": "Berlin"}, plan.ADDRESS_KEPT, True, {}, [Message(engine_values.WHY_ADDRESS_NOT_UPDATED)]),
        # the Tax ID is the company's
        ({"vat": "DE1"}, plan.ADDRESS_SAME, False, {}, [Message(engine_values.WHY_VAT_DROPPED)]),
    ],
)
def test_a_contact_of_a_company(row, action, keeps_type, expected_vals, expected_messages):
    vals, _notes, messages = contact_values(dict(row, name="Bob"), True, action, keeps_type=keeps_type)
    assert vals == dict(expected_vals, name="Bob")
    assert messages == expected_messages


@pytest.mark.parametrize(
    ("row", "has_mobile", "expected_phone", "expected_notes"),
    [
        ({"mobile": "+49 171 1"}, False, "+49 171 1", []),
        ({"mobile": "+49 171 1", "phone": "+49 30 1"}, False, "+49 30 1", ["Mobile: +49 171 1"]),
        ({"title": "Dr."}, False, None, ["Title: Dr."]),
    ],
)
def test_fields_odoo_19_does_not_have_go_where_they_are_kept(row, has_mobile, expected_phone, expected_notes):
    vals, notes, _messages = contact_values(dict(row, name="Cid"), None, "company", has_mobile)
    assert vals.get("phone") == expected_phone
    assert [n.render() for n in notes] == expected_notes


def test_tags_stay_names_for_the_caller():
    vals, _notes, _messages = contact_values({"name": "Dan", "tags": ["VIP", "Fair"]})
    assert vals["tags"] == ["VIP", "Fair"]


@pytest.mark.parametrize(
    ("cell", "csv_cell"),
    [
        ("+49 30 1234567", "+49 30 1234567"),  # a phone: shown, runs nothing, kept as it is
        ("+1 (425) 555-0100", "+1 (425) 555-0100"),
        ("-5", "-5"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("Ann", "Ann"),
    ],
)
def test_csv_downloads_neutralise_only_what_a_spreadsheet_would_run(cell, csv_cell):
    from contact_import_wizard.engine import export

    assert export.neutralise(cell) == csv_cell
    assert export.unneutralise(export.neutralise(cell)) == cell  # imported again: as it was


def test_xlsx_downloads_keep_values_as_typed_text():
    import io

    import openpyxl

    from contact_import_wizard.engine import export

    data = export.xlsx_bytes("Rows", ["Name", "Phone"], [["=1+2", "+49 30 1234567"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for c in sheet[2]] == [("=1+2", "s"), ("+49 30 1234567", "s")]


def test_csv_downloads_quote_every_cell_so_a_semicolon_splits_nothing():
    from contact_import_wizard.engine import export

    data = export.csv_bytes(["Notes"], [["note;=cmd|' /C calc'!A0"]]).decode("utf-8-sig")
    assert data.splitlines() == ['"Notes"', "\"note;=cmd|' /C calc'!A0\""]
