"""Plain pytest: decisions + validated rows -> a plan of writes."""

import pytest

from contact_import_wizard.engine import plan, reader, validation
from contact_import_wizard.engine.matching import ExistingCompany

HEADERS = ["Name", "Email", "Company", "Company website"]
MAPPING = {"Name": "name", "Email": "email", "Company": "company", "Company website": "company_website"}
LOOKUPS = validation.Lookups(
    existing_emails={"known@acme.example": [41], "twice@acme.example": [42, 43]},
    companies=[
        ExistingCompany(100, "Acme GmbH"),
        ExistingCompany(101, "Umbrella Ltd"),
        ExistingCompany(102, "Umbrella Limited"),
    ],
)
ROWS = [
    ["Ann", "ann@blue.example", "Blue River Foods Inc.", ""],  # 2 new company
    ["Bob", "bob@blue.example", "blue river foods", "bluefoods.example"],  # 3 same new company
    ["Cid", "cid@acme.example", "ACME", ""],  # 4 matched -> linked
    ["Dan", "known@acme.example", "Acme", ""],  # 5 exists in Odoo
    ["Eve", "not-an-email", "Acme", ""],  # 6 blocking error
    ["Fay", "ann@blue.example", "Blue River Foods", ""],  # 7 duplicate of row 2
    ["Gus", "gus@umbrella.example", "Umbrella", ""],  # 8 ambiguous
    ["Hal", "hal@private.example", "", ""],  # 9 no company
    ["Ida", "twice@acme.example", "Acme", ""],  # 10 two existing contacts
    ["Jo", "jo@lone.example", "Lonely Corp", ""],  # 11 company whose only row errors? no: valid
]


@pytest.fixture
def result():
    table_rows = [reader.Row(i + 2, tuple(r)) for i, r in enumerate(ROWS)]
    return validation.validate(table_rows, HEADERS, MAPPING, LOOKUPS)


def by_row(the_plan):
    out = {c.row: c for c in the_plan.contacts}
    out.update({i.row: i for i in the_plan.ignored})
    return out


def test_default_decisions_plan(result):
    decisions = plan.default_decisions(result)
    assert decisions["acme"] == plan.Decision(plan.LINK, 100)
    assert decisions["blue river foods"] == plan.Decision(plan.CREATE)
    assert "umbrella" not in decisions  # ambiguous: the user must choose
    the_plan = plan.build_plan(result, decisions, policy="skip")
    rows = by_row(the_plan)
    assert [c.name for c in the_plan.companies] == ["Blue River Foods Inc.", "Lonely Corp"]
    blue = the_plan.companies[0]
    assert blue.rows == [2, 3]
    assert blue.values == {"name": "Blue River Foods Inc.", "website": "https://bluefoods.example"}
    assert rows[2].company_key == rows[3].company_key == "blue river foods"
    assert rows[4].company_id == 100 and rows[4].linked and rows[4].action == "create"
    assert rows[5].status == "skipped"
    assert rows[5].reason() == "Already in Odoo (known@acme.example); existing contacts are skipped."
    assert rows[6].status == "ignored"
    assert rows[6].reason() == "Not imported: 'not-an-email' in column Email is not a valid email address."
    assert rows[7].reason() == "Same contact as row 2 of the file."
    assert rows[8].reason() == "No company was chosen for 'Umbrella' in Reference Data."
    assert rows[9].company_id is None and rows[9].company_key == "" and rows[9].action == "create"
    assert "Email" not in rows[2].values and "company_website" not in rows[3].values
    assert the_plan.summary() == {
        "companies_to_create": 2,
        "contacts_to_create": 5,
        "contacts_to_update": 0,
        "contacts_linked": 1,
        "rows_ignored": 5,
        "companies_to_fill_address": 0,
        "addresses_dropped": 0,
        "addresses_kept": 0,
    }


def test_update_policy(result):
    the_plan = plan.build_plan(result, plan.default_decisions(result), policy="update")
    rows = by_row(the_plan)
    assert (rows[5].action, rows[5].partner_id, rows[5].company_id) == ("update", 41, 100)
    assert rows[10].reason() == "2 contacts in Odoo have the email twice@acme.example; none is updated."
    assert the_plan.summary()["contacts_to_update"] == 1


def test_create_anyway_policy_keeps_duplicates(result):
    the_plan = plan.build_plan(result, plan.default_decisions(result), policy="create")
    rows = by_row(the_plan)
    assert rows[5].action == "create" and rows[5].partner_id is None
    assert rows[7].action == "create"
    assert rows[10].action == "create"


def test_user_decisions_skip_link_and_choose_ambiguous(result):
    decisions = plan.default_decisions(result)
    decisions["blue river foods"] = plan.Decision(plan.SKIP)
    decisions["umbrella"] = plan.Decision(plan.LINK, 102)
    decisions["lonely"] = plan.Decision(plan.LINK, 100)
    the_plan = plan.build_plan(result, decisions)
    rows = by_row(the_plan)
    assert the_plan.companies == []  # nothing to create any more
    assert rows[2].status == rows[3].status == "skipped"
    assert rows[2].reason() == "Company 'Blue River Foods Inc.' is skipped in Reference Data."
    assert rows[8].company_id == 102
    assert rows[11].company_id == 100


def test_link_without_company_waits_for_a_choice(result):
    decisions = plan.default_decisions(result)
    decisions["lonely"] = plan.Decision(plan.LINK, None)
    rows = by_row(plan.build_plan(result, decisions))
    assert rows[11].reason() == "No company was chosen for 'Lonely Corp' in Reference Data."


def test_company_only_created_when_a_contact_is_written():
    rows = [reader.Row(2, ("Gus", "not-an-email", "Ghost Inc", ""))]  # its only contact is blocked
    result = validation.validate(rows, HEADERS, MAPPING, LOOKUPS)
    the_plan = plan.build_plan(result, plan.default_decisions(result))
    assert the_plan.companies == [] and the_plan.contacts == []
    assert the_plan.ignored[0].status == "ignored"


def test_company_website_from_contacts_domain_only_when_most_agree():
    rows = [
        reader.Row(2, ("Ann", "ann@zeta.example", "Zeta", "")),
        reader.Row(3, ("Bob", "bob@zeta.example", "Zeta", "")),
        reader.Row(4, ("Cid", "cid@gmail.com", "Zeta", "")),
        reader.Row(5, ("Ann", "ann@solo.example", "Omega", "")),
        reader.Row(6, ("Bob", "bob@other.example", "Omega", "")),
    ]
    result = validation.validate(rows, HEADERS, MAPPING, LOOKUPS)
    companies = {c.name: c.values for c in plan.build_plan(result, plan.default_decisions(result)).companies}
    assert companies["Zeta"] == {"name": "Zeta", "website": "https://zeta.example"}
    assert companies["Omega"] == {"name": "Omega"}


def test_unknown_policy_refused(result):
    with pytest.raises(ValueError):
        plan.build_plan(result, {}, policy="merge")


ADDRESS_HEADERS = ["Name", "Company", "City", "Zip", "Country"]
ADDRESS_MAPPING = {"Name": "name", "Company": "company", "City": "city", "Zip": "zip", "Country": "country"}
ADDRESS_LOOKUPS = validation.Lookups(
    countries=[validation.Country(233, "GB", ("United Kingdom",)), validation.Country(75, "FR", ("France",))],
    companies=[ExistingCompany(100, "Acme GmbH"), ExistingCompany(200, "Bare Ltd")],
)


def address_plan(rows, **options):
    table_rows = [reader.Row(i + 2, tuple(r)) for i, r in enumerate(rows)]
    result = validation.validate(table_rows, ADDRESS_HEADERS, ADDRESS_MAPPING, ADDRESS_LOOKUPS)
    return plan.build_plan(result, plan.default_decisions(result), **options)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # all rows agree
        (
            [("Ann", "Agree Co", "Lyon", "69001", ""), ("Bob", "Agree Co", "Lyon", "69001", "")],
            {"city": "Lyon", "zip": "69001"},
        ),
        # a row without address does not disagree
        ([("Ann", "Agree Co", "Lyon", "", ""), ("Cid", "Agree Co", "", "", "")], {"city": "Lyon"}),
        # the most common address wins, and the country all rows share is kept
        (
            [
                ("Ann", "Uk Co", "London", "", "UK"),
                ("Bob", "Uk Co", "London", "", "UK"),
                ("Cid", "Uk Co", "Leeds", "", "UK"),
            ],
            {"city": "London", "country_id": 233},
        ),
        # a tie goes to the first row's address
        ([("Dan", "Split Co", "Lyon", "", ""), ("Eve", "Split Co", "Paris", "", "")], {"city": "Lyon"}),
        # the chosen address lacks a field all the rows that give it agree on
        (
            [
                ("Ann", "Part Co", "Paris", "", ""),
                ("Bob", "Part Co", "Paris", "", ""),
                ("Cid", "Part Co", "", "75001", ""),
            ],
            {"city": "Paris"},
        ),
    ],
)
def test_new_company_takes_the_most_common_address_of_its_rows(rows, expected):
    companies = address_plan(rows).companies
    assert len(companies) == 1
    assert {k: v for k, v in companies[0].values.items() if k != "name"} == expected


def test_contacts_whose_address_differs_from_their_new_company_are_marked():
    rows = [
        ("Ann", "Uk Co", "London", "", ""),
        ("Bob", "Uk Co", "London", "", ""),
        ("Cid", "Uk Co", "Leeds", "", ""),
    ]
    the_plan = address_plan(rows)
    actions = {c.row: c.address_action for c in the_plan.contacts}
    assert actions == {2: plan.ADDRESS_SAME, 3: plan.ADDRESS_SAME, 4: plan.ADDRESS_DROPPED}
    kept = address_plan(rows, address_policy="keep")
    assert {c.row: c.address_action for c in kept.contacts}[4] == plan.ADDRESS_KEPT
    assert kept.summary()["addresses_kept"] == 1


def test_an_existing_company_without_address_gets_the_one_of_its_rows():
    rows = [
        ("Ann", "Bare Ltd", "Leeds", "LS1", "UK"),
        ("Bob", "Bare Ltd", "Leeds", "LS1", "UK"),
        ("Cid", "Acme", "Berlin", "", ""),
    ]
    addresses = {200: {}, 100: {"city": "Munich"}}
    the_plan = address_plan(rows, company_addresses=addresses)
    fills = {f.company_id: f for f in the_plan.fills}
    assert fills[200].address == {"city": "Leeds", "zip": "LS1", "country_id": 233}
    assert fills[200].rows == [2, 3]
    assert 100 not in fills  # Acme has an address: never changed
    actions = {c.row: c.address_action for c in the_plan.contacts}
    assert actions == {2: plan.ADDRESS_SAME, 3: plan.ADDRESS_SAME, 4: plan.ADDRESS_DROPPED}
    assert the_plan.summary()["companies_to_fill_address"] == 1
    # turned off in Review: the company stays without address, the rows' addresses differ
    off = address_plan(rows, company_addresses=addresses, fill_empty_addresses=False)
    assert not off.fills
    assert {c.row: c.address_action for c in off.contacts}[2] == plan.ADDRESS_DROPPED


def test_fill_fields_of_an_existing_company_are_proposed_only_when_rows_agree():
    headers = ["Name", "Company", "Company website", "Company VAT"]
    mapping = {
        "Name": "name",
        "Company": "company",
        "Company website": "company_website",
        "Company VAT": "company_vat",
    }
    rows = [reader.Row(2, ("Ann", "Acme", "acme.example", "DE 1")), reader.Row(3, ("Bob", "Acme", "", "DE1"))]
    result = validation.validate(rows, headers, mapping, LOOKUPS)
    the_plan = plan.build_plan(result, plan.default_decisions(result), company_addresses={100: {"city": "X"}})
    assert [(f.company_id, f.fields, f.address) for f in the_plan.fills] == [
        (100, {"website": "https://acme.example", "vat": "DE1"}, {})
    ]


def test_a_planned_person_carries_no_hint_about_its_company():
    headers = ["Name", "Company", "Company VAT"]
    mapping = {"Name": "name", "Company": "company", "Company VAT": "company_vat"}
    rows = [reader.Row(2, ("Ann", "Acme", "DE 1")), reader.Row(3, ("Bob", "Acme", ""))]
    result = validation.validate(rows, headers, mapping, LOOKUPS)
    the_plan = plan.build_plan(result, plan.default_decisions(result), company_addresses={100: {}})
    assert [c.values for c in the_plan.contacts] == [{"name": "Ann"}, {"name": "Bob"}]
    assert result.records[0].values["company_vat"] == "DE 1"  # the engine's result is left as it was


def test_a_forced_create_is_kept_in_the_plan(result):
    decisions = plan.default_decisions(result)
    decisions["acme"] = plan.Decision(plan.CREATE, forced=True)
    the_plan = plan.build_plan(result, decisions)
    acme = next(c for c in the_plan.companies if c.key == "acme")
    assert acme.forced and acme.rows == [4]


def test_the_stored_plan_is_read_back_whatever_its_size(result, monkeypatch):
    import gzip
    import json

    the_plan = plan.build_plan(result, plan.default_decisions(result), company_addresses={100: {}})
    # a slice of rows per line: here smaller than the plan's lists, so that they are cut
    monkeypatch.setattr(plan, "PLAN_ITEMS_PER_WRITE", 2)
    assert len(the_plan.contacts) > 2 and len(the_plan.ignored) > 2
    data = plan.plan_bytes(the_plan)
    lines = gzip.decompress(data).splitlines()
    assert json.loads(lines[0])["version"] == 2
    slices = [json.loads(line) for line in lines[1:]]
    assert [len(part["contacts"]) for part in slices if "contacts" in part][:2] == [2, 2]
    again = plan.read_plan(data)
    assert again == the_plan
    # a text a contact repeats is one string again, as before the plan was stored
    contact = next(c for c in again.contacts if c.values.get("name") in c.raw)
    assert contact.values["name"] is contact.raw[contact.raw.index(contact.values["name"])]
    monkeypatch.setattr(plan, "PLAN_ITEMS_PER_WRITE", 1000)
    assert plan.read_plan(plan.plan_bytes(the_plan)) == the_plan
    # a plan stored by 19.0.2.0.0 (one JSON document), queued before an upgrade
    older = gzip.compress(json.dumps(the_plan.to_json()).encode())
    assert plan.read_plan(older) == the_plan
    with pytest.raises(ValueError):
        plan.read_plan(gzip.compress(b'{"version": 3}\n'))


def test_the_plan_survives_its_json_round_trip(result):
    import json

    the_plan = plan.build_plan(result, plan.default_decisions(result), company_addresses={100: {}})
    again = plan.Plan.from_json(json.loads(json.dumps(the_plan.to_json())))
    assert again == the_plan
    assert again.contacts[0].raw == tuple(ROWS[0])
    assert again.ignored[0].reason() == the_plan.ignored[0].reason()
    assert again.rows_total == len(ROWS)


def test_unknown_plan_version_refused():
    with pytest.raises(ValueError):
        plan.Plan.from_json({"version": 99})


def test_reasons_are_translated_whole_where_they_are_shown(result):
    """The reason of a row left out names the problem of the row: both are translated in
    the reader's language, also after the plan was stored and read back (a background
    job)."""
    import json

    french = {
        plan.WHY_ERROR: "Non importé : %(message)s",
        "%(value)r in column %(column)s is not a valid email address.": (
            "%(value)r (colonne %(column)s) n'est pas une adresse e-mail valide."
        ),
    }
    the_plan = plan.build_plan(result, plan.default_decisions(result))
    stored = plan.Plan.from_json(json.loads(json.dumps(the_plan.to_json())))
    for a_plan in (the_plan, stored):
        row6 = next(i for i in a_plan.ignored if i.row == 6)
        assert row6.reason(lambda text: french.get(text, text)) == (
            "Non importé : 'not-an-email' (colonne Email) n'est pas une adresse e-mail valide."
        )


def test_labels_given_as_parameters_are_translated_too():
    from contact_import_wizard.engine import mapping
    from contact_import_wizard.engine.messages import render

    french = {
        mapping.REASON_TAKEN: "Ressemble à %(target)s, mais la colonne %(other)r le remplit déjà",
        "Email": "Courriel",
    }
    label = mapping.TARGETS_BY_KEY["email"].label
    text = render(mapping.REASON_TAKEN, {"target": label, "other": "E-mail"}, lambda t: french.get(t, t))
    assert text == "Ressemble à Courriel, mais la colonne 'E-mail' le remplit déjà"
