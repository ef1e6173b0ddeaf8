"""Plain pytest: the four validation stages and their messages."""

import pytest

from contact_import_wizard.engine import matching, reader, validation

LOOKUPS = validation.Lookups(
    existing_emails={"known@acme.example": [41], "twice@acme.example": [42, 43]},
    countries=[
        validation.Country(1, "FR", ("France",)),
        validation.Country(2, "DE", ("Germany", "Allemagne")),
        validation.Country(3, "US", ("United States",)),
    ],
    states=[
        validation.State(10, 3, "CA", "California"),
        validation.State(11, 3, "NY", "New York"),
        validation.State(12, 2, "BY", "Bayern"),
    ],
    companies=[
        matching.ExistingCompany(100, "Acme GmbH"),
        matching.ExistingCompany(101, "Umbrella Ltd"),
        matching.ExistingCompany(102, "Umbrella Limited"),
    ],
    langs=[("fr_FR", "French / Français"), ("en_US", "English (US)")],
)
HEADERS = ["Name", "Email", "Company", "Country", "State", "Phone", "Website", "Language", "Tags"]
MAPPING = {
    "Name": "name",
    "Email": "email",
    "Company": "company",
    "Country": "country",
    "State": "state",
    "Phone": "phone",
    "Website": "website",
    "Language": "lang",
    "Tags": "tags",
}


def run(rows, headers=HEADERS, mapping=MAPPING):
    width = len(headers)
    table_rows = [reader.Row(i + 2, tuple(list(r) + [""] * (width - len(r)))) for i, r in enumerate(rows)]
    return validation.validate(table_rows, headers, mapping, LOOKUPS)


def problems(result, row=None):
    return [
        (p.code, p.severity, p.stage, p.message()) for p in result.problems if row is None or p.row == row
    ]


@pytest.mark.parametrize(
    ("cells", "code", "severity", "stage", "message"),
    [
        (
            ["", "a@b.example", ""],
            "missing_name",
            "error",
            "required",
            "Row 2 has no name: a contact needs a name (or a first and last name).",
        ),
        (
            ["Ann", "ann@", "Acme"],
            "invalid_email",
            "error",
            "format",
            "'ann@' in column Email is not a valid email address.",
        ),
        (
            ["Ann", "", "Acme", "Atlantis"],
            "unknown_country",
            "warning",
            "format",
            "Country 'Atlantis' in column Country is unknown; the contact gets no country.",
        ),
        (
            ["Ann", "", "Acme", "US", "Texas"],
            "unknown_state",
            "warning",
            "format",
            "State 'Texas' in column State is unknown for this country; the contact gets no state.",
        ),
        (
            ["Ann", "", "Acme", "", "", "12"],
            "invalid_phone",
            "warning",
            "format",
            "'12' in column Phone does not look like a phone number; it is imported as it is.",
        ),
        (
            ["Ann", "", "Acme", "", "", "", "no website"],
            "invalid_website",
            "warning",
            "format",
            "'no website' in column Website is not a website address; it is not imported.",
        ),
        (
            ["Ann", "", "Acme", "", "", "", "", "Klingon"],
            "unknown_lang",
            "warning",
            "format",
            "Language 'Klingon' in column Language is not installed; the default is used.",
        ),
        (
            ["Ann", "known@acme.example", "Acme"],
            "exists_in_odoo",
            "warning",
            "duplicate",
            "A contact with the email known@acme.example already exists in Odoo.",
        ),
        (
            ["Ann", "", "Initrode"],
            "company_unmatched",
            "warning",
            "reference",
            "Company 'Initrode' is not in Odoo; decide what to do in Reference Data.",
        ),
        (
            ["Ann", "", "Umbrella"],
            "company_ambiguous",
            "warning",
            "reference",
            "Company 'Umbrella' matches 2 companies in Odoo; choose one in Reference Data.",
        ),
    ],
)
def test_each_problem(cells, code, severity, stage, message):
    result = run([cells])
    assert (code, severity, stage, message) in problems(result, 2)
    assert result.records[0].blocked is (severity == "error")


def test_values_are_normalised_and_resolved():
    result = run(
        [
            [
                " Ann   Lee ",
                " Ann@Example.COM ",
                "Acme GmbH",
                "Allemagne",
                "bayern",
                "+49 89 123456",
                "example.com",
                "fr",
                "vip; partner, VIP",
            ]
        ]
    )
    record = result.records[0]
    assert record.values == {
        "name": "Ann Lee",
        "email": "ann@example.com",
        "country_id": 2,
        "state_id": 12,
        "phone": "+49 89 123456",
        "website": "https://example.com",
        "lang": "fr_FR",
        "tags": ["vip", "partner", "VIP"],
    }
    assert problems(result) == []
    assert result.matches["acme"].status == matching.MATCHED


@pytest.mark.parametrize(
    ("country", "country_id"),
    [
        ("USA", 3),
        ("u.s.a.", 3),
        ("United States", 3),
        ("us", 3),
        ("Deutschland", 2),
        ("FR", 1),
        ("france", 1),
    ],
)
def test_country_aliases(country, country_id):
    assert run([["Ann", "", "", country]]).records[0].values["country_id"] == country_id


def test_state_without_country_only_when_unique():
    result = run([["Ann", "", "", "", "California"]])
    assert result.records[0].values["state_id"] == 10


def test_first_and_last_name_joined():
    headers = ["First", "Last", "Company"]
    mapping = {"First": "first_name", "Last": "last_name", "Company": "company"}
    result = run([["Ann", "Lee", "Acme"], ["", "Solo", "Acme"]], headers, mapping)
    assert [r.values["name"] for r in result.records] == ["Ann Lee", "Solo"]


def test_duplicates_in_file_by_email_and_by_name_at_company():
    result = run(
        [
            ["Ann Lee", "ann@x.example", "Acme"],
            ["Ann L.", "ANN@x.example", "Acme"],
            ["Bob Roe", "", "Acme"],
            ["bob roe", "", "ACME GmbH"],
            ["Bob Roe", "", "Other Co"],
        ]
    )
    assert [r.duplicate_of for r in result.records] == [None, 2, None, 4, None]
    assert (
        "duplicate_in_file",
        "warning",
        "duplicate",
        "Row 3 has the same email as row 2 (ann@x.example): one contact.",
    ) in problems(result, 3)
    assert (
        "duplicate_in_file",
        "warning",
        "duplicate",
        "Row 5 has the same name as row 4 (bob roe): one contact.",
    ) in problems(result, 5)


def test_stage_counts_and_unmatched_grouping():
    result = run(
        [
            ["Ann", "bad", "Initrode Inc."],
            ["", "bob@x.example", ""],  # nobody and no company: a contact needs a name
            ["Cid", "", "initrode"],
            ["Dan", "", "INITRODE, INC"],
            ["Eve", "known@acme.example", "Acme"],
        ]
    )
    assert result.count("required") == 0 + 1  # the nameless row
    assert result.count("format") == 1  # bad email
    assert result.count("duplicate") == 1
    assert result.count("reference") == 2  # rows 4 and 5: blocked rows are not matched
    cluster = result.clusters["initrode"]
    assert cluster.rows == [4, 5]
    assert result.matches["initrode"].status == matching.UNMATCHED
    assert result.blocked_rows == 2


def test_mapping_problems_are_file_level():
    result = run([["Ann"]], ["Email"], {"Email": "email"})
    codes = {p.code for p in result.problems if p.row is None}
    assert codes == {"no_name_column", "no_company_column"}


def test_reading_problems_are_kept_as_format_problems():
    row = reader.Row(
        2,
        ("Ann", "", ""),
        (validation.Problem(2, None, "too_many_cells", "error", "Row %(row)s ...", {"row": 2}),),
    )
    result = validation.validate([row], ["Name", "Email", "Company"], {"Name": "name"}, LOOKUPS)
    assert result.count("format") == 1
    assert result.records[0].blocked


def test_a_vcard_file_says_card_where_a_sheet_says_row():
    rows = [
        reader.Row(1, ("", "a@b.example", "")),
        reader.Row(2, ("Ann", "ann@x.example", "")),
        reader.Row(3, ("Ann", "ann@x.example", "")),
    ]
    result = validation.validate(rows, ["Name", "Email", "Company"], MAPPING, LOOKUPS, unit="card")
    messages = [p.message() for p in result.problems if p.row]
    assert "Card 1 has no name: a contact needs a name." in messages
    assert "Card 3 has the same email as card 2 (ann@x.example): one contact." in messages
