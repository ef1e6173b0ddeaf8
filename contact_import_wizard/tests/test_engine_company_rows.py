"""Plain pytest: rows that are companies (an Odoo export's "Is a Company", or a row naming
a company and no person) become those companies, with their own data, once; the people
rows that name them are linked to them, in any row order."""

import pathlib

import pytest

from contact_import_wizard.engine import mapping, plan, reader, validation
from contact_import_wizard.engine.matching import ExistingCompany

SAMPLES = pathlib.Path(__file__).parent / "samples"
LOOKUPS = validation.Lookups(
    countries=[validation.Country(233, "US", ("United States",)), validation.Country(75, "FR", ("France",))],
    states=[validation.State(13, 233, "CA", "California")],
    companies=[ExistingCompany(500, "Acme Existing Inc.")],
)


def plan_of(data, name="file.csv", decisions=None, policy="skip"):
    table = reader.open_table(data, name)
    rows = list(table.rows())
    samples = {h: [r.values[i] for r in rows if r.values[i]] for i, h in enumerate(table.headers)}
    column_map = {s.column: s.target for s in mapping.suggest(table.headers, samples)}
    result = validation.validate(rows, table.headers, column_map, LOOKUPS)
    return result, plan.build_plan(result, decisions or plan.default_decisions(result), policy)


def test_an_odoo_export_makes_its_companies_from_their_own_rows():
    result, the_plan = plan_of((SAMPLES / "exports" / "odoo_contacts.csv").read_bytes(), "odoo.csv")
    companies = {c.name: c for c in the_plan.companies}
    deco = companies["Deco Addict"]
    assert deco.row == 2  # the company's own row
    assert deco.values["email"] == "info@decoaddict.example"
    assert deco.values["phone"] == "(603)-996-3829"
    assert deco.values["vat"] == "US12345671"
    assert deco.values["website"] == "http://www.deco-addict.example"
    assert (deco.values["city"], deco.values["country_id"], deco.values["state_id"]) == (
        "Pleasant Hill",
        233,
        13,
    )
    # its people are contacts of that one company, never companies of their own
    people = {c.values["name"]: c for c in the_plan.contacts}
    assert "Deco Addict" not in people
    assert people["Marc Demo"].company_key == people["Sandra Neal"].company_key == deco.key
    assert people["Anita Oliver"].company_key == ""  # a private customer
    assert len([c for c in the_plan.companies if c.key == deco.key]) == 1


@pytest.mark.parametrize("order", ["company first", "people first"])
def test_people_rows_link_to_a_company_row_in_any_order(order):
    company = "Zeta Labs,,+33 1 00 00 00 00,Lyon,True,\n"
    person = "Ann Lee,Zeta Labs,,,False,ann@zeta.example\n"
    body = company + person if order == "company first" else person + company
    data = ("Name,Related Company,Phone,City,Is a Company,Email\n" + body).encode()
    _result, the_plan = plan_of(data)
    [zeta] = the_plan.companies
    assert (zeta.name, zeta.values["phone"], zeta.values["city"]) == (
        "Zeta Labs",
        "+33 1 00 00 00 00",
        "Lyon",
    )
    assert zeta.row == (2 if order == "company first" else 3)
    [ann] = the_plan.contacts
    assert ann.company_key == zeta.key and ann.values["name"] == "Ann Lee"


def test_a_row_naming_a_company_and_no_person_is_that_company():
    data = b"Name,Company,Email\n,Solo Corp,hello@solo.example\nBo Tan,Solo Corp,bo@solo.example\n"
    _result, the_plan = plan_of(data)
    [solo] = the_plan.companies
    assert (solo.row, solo.values["email"], solo.rows) == (2, "hello@solo.example", [3])


def test_a_company_row_of_a_company_already_in_odoo_is_skipped_or_updates_it():
    data = b"Name,Is a Company,Phone\nAcme Existing,True,+1 555 0100\n"
    _result, the_plan = plan_of(data)
    assert not the_plan.companies and not the_plan.contacts
    [skipped] = the_plan.ignored
    assert skipped.reason() == "Company 'Acme Existing' is already in Odoo: its contacts are linked to it."
    _result, the_plan = plan_of(data, policy="update")
    [update] = the_plan.contacts
    assert (update.action, update.partner_id, update.values) == ("update", 500, {"phone": "+1 555 0100"})


def test_the_same_company_twice_is_one_company():
    data = b"Name,Is a Company,Email\nTwin Co,True,a@twin.example\nTwin Co.,yes,b@twin.example\n"
    _result, the_plan = plan_of(data)
    [twin] = the_plan.companies
    assert twin.row == 2
    assert the_plan.ignored[0].reason() == "Same company as row 2 of the file."


@pytest.mark.parametrize("flag", ["True", "1", "yes", "Company", "Oui", "x"])
def test_is_a_company_in_the_usual_spellings(flag):
    data = f"Name,Is a Company\nFlag Co,{flag}\n".encode()
    _result, the_plan = plan_of(data)
    assert [c.name for c in the_plan.companies] == ["Flag Co"]


@pytest.mark.parametrize("flag", ["False", "0", "no", "Individual", ""])
def test_a_person_is_not_a_company(flag):
    data = f"Name,Is a Company\nPer Son,{flag}\n".encode()
    _result, the_plan = plan_of(data)
    assert (the_plan.companies, [c.values["name"] for c in the_plan.contacts]) == ([], ["Per Son"])
