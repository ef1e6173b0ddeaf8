"""Plain pytest: real exporters' files map right with no hand mapping.

One sample per exporter under samples/exports/, with the exporter's full header set and
a few realistic rows, written as the tool writes it (encoding, quoting, notes above the
header). Each is read with the engine's reader, its values sampled as the wizard does,
and suggest() must map every person's field right and leave out what is not theirs.
"""

import functools
from pathlib import Path

import pytest

from contact_import_wizard.engine import mapping, reader, validation

EXPORTS = Path(__file__).parent / "samples" / "exports"

# sample -> (preset key, {target: header}); a target absent from the dict maps to nothing.
EXPECTED = {
    "outlook.csv": (
        "outlook",
        {
            "title": "Title",
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "E-mail Address",
            "phone": "Business Phone",
            "mobile": "Mobile Phone",
            "function": "Job Title",
            "company": "Company",
            "street": "Business Street",
            "street2": "Business Street 2",
            "city": "Business City",
            "zip": "Business Postal Code",
            "state": "Business State",
            "country": "Business Country/Region",
            "website": "Web Page",
            "lang": "Language",
        },
    ),
    "google.csv": (
        "google",
        {
            "title": "Name Prefix",
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "E-mail 1 - Value",
            "phone": "Phone 2 - Value",  # "Phone 1 - Label" says Mobile in most rows
            "mobile": "Phone 1 - Value",
            "function": "Organization Title",
            "company": "Organization Name",
            "street": "Address 1 - Street",
            "street2": "Address 1 - Extended Address",
            "city": "Address 1 - City",
            "zip": "Address 1 - Postal Code",
            "state": "Address 1 - Region",
            "country": "Address 1 - Country",
            "website": "Website 1 - Value",
        },
    ),
    "google_legacy.csv": (
        "google_legacy",
        {
            "title": "Name Prefix",
            "first_name": "Given Name",
            "last_name": "Family Name",
            "email": "E-mail 1 - Value",
            "phone": "Phone 1 - Value",
            "mobile": "Phone 2 - Value",
            "function": "Organization 1 - Title",
            "company": "Organization 1 - Name",
            "street": "Address 1 - Street",
            "street2": "Address 1 - Extended Address",
            "city": "Address 1 - City",
            "zip": "Address 1 - Postal Code",
            "state": "Address 1 - Region",
            "country": "Address 1 - Country",
            "website": "Website 1 - Value",
            "lang": "Language",
        },
    ),
    "linkedin_connections.csv": (
        "linkedin",
        {
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email Address",
            "function": "Position",
            "company": "Company",
        },
    ),
    "hubspot.csv": (
        "hubspot",
        {
            "ref": "Record ID",
            "title": "Salutation",
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email",
            "phone": "Phone Number",
            "mobile": "Mobile Phone Number",
            "function": "Job Title",
            "company": "Company Name",
            "company_website": "Company domain name",
            "company_email_domain": "Email Domain",
            "street": "Street Address",
            "city": "City",
            "zip": "Postal Code",
            "state": "State/Region",
            "country": "Country/Region",
            "website": "Website URL",
            "lang": "Preferred language",
        },
    ),
    "salesforce_report.csv": (
        "salesforce",
        {
            "ref": "Contact ID",
            "title": "Salutation",
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email",
            "phone": "Phone",
            "mobile": "Mobile",
            "function": "Title",
            "company": "Account Name",
            "street": "Mailing Street",
            "city": "Mailing City",
            "zip": "Mailing Zip/Postal Code",
            "state": "Mailing State/Province",
            "country": "Mailing Country",
        },
    ),
    "zoho_contacts.csv": (
        "zoho",
        {
            "ref": "Record Id",
            "title": "Salutation",
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email",
            "phone": "Phone",
            "mobile": "Mobile",
            "function": "Title",
            "company": "Account Name",
            "street": "Mailing Street",
            "city": "Mailing City",
            "zip": "Mailing Zip",
            "state": "Mailing State",
            "country": "Mailing Country",
        },
    ),
    "pipedrive_people.csv": (
        "pipedrive",
        {
            "ref": "Person - ID",
            "first_name": "Person - First name",
            "last_name": "Person - Last name",
            "email": "Person - Email - Work",
            "phone": "Person - Phone - Work",
            "mobile": "Person - Phone - Mobile",
            "function": "Person - Job title",
            "company": "Person - Organization",
            "street": "Person - Street/road name of Postal address",
            "street2": "Person - Apartment/suite no of Postal address",
            "city": "Person - City/town/village/locality of Postal address",
            "zip": "Person - ZIP/Postal code of Postal address",
            "state": "Person - State/county of Postal address",
            "country": "Person - Country of Postal address",
        },
    ),
    "apptivo_contacts.csv": (
        "apptivo",
        {
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email",
            "phone": "Phone",
            "mobile": "Mobile",
            "function": "Job Title",
            "company": "Customer",
            "street": "Address Line 1",
            "street2": "Address Line 2",
            "city": "City",
            "zip": "Zip Code",
            "state": "State",
            "country": "Country",
        },
    ),
    "odoo_contacts.csv": (
        "odoo",
        {
            "name": "Name",
            "is_company": "Is a Company",
            "email": "Email",
            "phone": "Phone",
            "function": "Job Position",
            "company": "Related Company",
            "street": "Street",
            "street2": "Street2",
            "city": "City",
            "zip": "Zip",
            "state": "State",
            "country": "Country",
            "vat": "Tax ID",
            "website": "Website Link",
            "lang": "Language",
            "ref": "Reference",
        },
    ),
}
# Multi-valued targets: every column that fills them.
EXPECTED_MANY = {
    "linkedin_connections.csv": {"comment": ["URL"]},  # a profile, not a website
    "outlook.csv": {"tags": ["Categories"], "comment": ["Notes"]},
    "google.csv": {"comment": ["Notes"]},
    "google_legacy.csv": {"comment": ["Notes"]},
    "salesforce_report.csv": {"comment": ["Description"]},
    "zoho_contacts.csv": {"tags": ["Tag"], "comment": ["Description"]},
    "pipedrive_people.csv": {"tags": ["Person - Labels"], "comment": ["Person - Notes"]},
    "apptivo_contacts.csv": {"tags": ["Categories", "Tags"], "comment": ["Description"]},
    "odoo_contacts.csv": {"tags": ["Tags"], "comment": ["Notes"]},
}

# What must never be taken for the contact's data: header -> why (the reason's start).
VETOES = [
    ("outlook.csv", "Department", "Odoo contacts have no field"),  # was taken for State
    ("outlook.csv", "Home Postal Code", "Part of another address"),  # was taken for ZIP
    ("outlook.csv", "Home Street", "Part of another address"),
    ("outlook.csv", "E-mail Type", "'E-mail Type' only describes another column"),  # SMTP
    ("outlook.csv", "E-mail Display Name", "'E-mail Display Name' only describes"),
    ("outlook.csv", "Account", "In an Outlook export"),
    ("outlook.csv", "Assistant's Name", '"Assistant\'s Name" is about another person'),
    ("outlook.csv", "Company Main Phone", "Looks like Phone, but column 'Business Phone'"),
    ("google.csv", "E-mail 1 - Label", "'E-mail 1 - Label' only describes"),
    ("google.csv", "Phone 1 - Label", "'Phone 1 - Label' only describes"),
    ("google.csv", "Address 1 - Formatted", "'Address 1 - Formatted' repeats the address"),
    ("google.csv", "Address 2 - City", "Part of another address"),
    ("google.csv", "Labels", "'Labels' holds Google contact groups"),
    ("google_legacy.csv", "Name", "First name and last name columns give the name"),
    ("google_legacy.csv", "E-mail 1 - Type", "'E-mail 1 - Type' only describes"),
    ("google_legacy.csv", "Group Membership", "'Group Membership' holds Google contact groups"),
    ("linkedin_connections.csv", "Connected On", "'Connected On' is about the record"),
    ("hubspot.csv", "Contact owner", "'Contact owner' is about the record"),  # was taken for Name
    ("hubspot.csv", "IP City", "'IP City' is about the record"),
    ("hubspot.csv", "IP Country", "'IP Country' is about the record"),
    ("hubspot.csv", "Associated Company IDs", "'Associated Company IDs' is the identifier"),
    ("hubspot.csv", "Associated Company", "Looks like Company, but column 'Company Name'"),
    ("hubspot.csv", "Lifecycle Stage", "'Lifecycle Stage' is about the record"),
    ("salesforce_report.csv", "Contact Owner", "'Contact Owner' is about the record"),
    ("salesforce_report.csv", "Account Owner", "'Account Owner' is about the record"),
    ("salesforce_report.csv", "Reports To", "'Reports To' is about another person"),
    ("salesforce_report.csv", "Other City", "Part of another address"),
    ("salesforce_report.csv", "Account ID", "'Account ID' is the identifier"),
    ("zoho_contacts.csv", "Contact Owner", "'Contact Owner' is about the record"),
    ("zoho_contacts.csv", "Contact Owner.id", "'Contact Owner.id' is the identifier"),
    ("zoho_contacts.csv", "Account Name.id", "'Account Name.id' is the identifier"),
    ("zoho_contacts.csv", "Contact Name", "First name and last name columns give the name"),
    ("pipedrive_people.csv", "Person - Owner", "'Person - Owner' is about the record"),
    ("pipedrive_people.csv", "Person - Name", "First name and last name columns give the name"),
    ("pipedrive_people.csv", "Person - Full/combined address of Postal address", "'Person - Full/combined"),
    ("pipedrive_people.csv", "Person - Organization ID", "'Person - Organization ID' is the identifier"),
    ("apptivo_contacts.csv", "Assigned To", "'Assigned To' is about the record"),
    ("apptivo_contacts.csv", "Address Type", "'Address Type' only describes"),
    ("odoo_contacts.csv", "Company", "In an Odoo export, 'Company' is the company the record belongs to"),
    ("odoo_contacts.csv", "Salesperson", "'Salesperson' is about the record"),
]

# Without its preset a file is read by its headers alone: the same fields come out, but
# for what only the exporter's documentation tells.
WITHOUT_PRESET = {
    "linkedin_connections.csv": {"website": "URL"},  # only the preset knows it is a profile
    "google.csv": {"tags": ["Labels"]},  # groups written "* myContacts ::: Friends"
    "odoo_contacts.csv": {"company": "Company"},  # Odoo's own multi-company field
}


def read_export(name):
    """(headers, rows) of a sample, read as the wizard reads an upload."""
    data = (EXPORTS / name).read_bytes()
    if data.startswith(b"Notes:") and not hasattr(reader.Table, "header_row"):
        # LinkedIn writes notes above its header; finding the header below them is the
        # reader's (header-row detection): until it does, start at the header line.
        data = data[data.index(b"First Name") :]
    table = reader.open_table(data, name)
    return table.headers, list(table.rows())


def sampled(headers, rows):
    """{header: [non-empty values]}, as the wizard passes them to suggest()."""
    values = {header: [] for header in headers}
    for row in rows:
        for header, value in zip(headers, row.values, strict=True):
            if value.strip():
                values[header].append(value)
    return values


@functools.cache
def suggestions(name, presets=True):
    headers, rows = read_export(name)
    return {s.column: s for s in mapping.suggest(headers, sampled(headers, rows), presets=presets)}


def mapped(by_column):
    single, many = {}, {}
    for column, suggestion in by_column.items():
        if suggestion.target and mapping.TARGETS_BY_KEY[suggestion.target].multiple:
            many.setdefault(suggestion.target, []).append(column)
        elif suggestion.target:
            assert suggestion.target not in single, (suggestion.target, single[suggestion.target], column)
            single[suggestion.target] = column
    return single, many


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_has_the_exporters_full_header_set(name):
    headers, rows = read_export(name)
    preset = mapping.PRESETS_BY_KEY[EXPECTED[name][0]]
    assert [h for h in headers if h in preset.headers] == list(preset.headers)
    assert 3 <= len(rows) <= 6


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_recognised(name):
    headers, _rows = read_export(name)
    match = mapping.recognise(headers)
    assert match.preset.key == EXPECTED[name][0]
    assert match.message() == (
        f"Recognised: {match.preset.name} ({match.known} of {len(headers)} columns known)"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_maps_every_field_right(name):
    by_column = suggestions(name)
    single, many = mapped(by_column)
    assert single == EXPECTED[name][1]
    assert many == EXPECTED_MANY.get(name, {})
    for target, column in single.items():
        assert by_column[column].confidence == "high", (target, by_column[column].explanation())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_maps_the_same_without_its_preset(name):
    single, many = mapped(suggestions(name, presets=False))
    expected_single = dict(EXPECTED[name][1])
    expected_many = dict(EXPECTED_MANY.get(name, {}))
    for target, column in WITHOUT_PRESET.get(name, {}).items():
        (expected_many if isinstance(column, list) else expected_single)[target] = column
        if not isinstance(column, list):
            expected_many = {t: [c for c in cs if c != column] for t, cs in expected_many.items()}
            expected_many = {t: cs for t, cs in expected_many.items() if cs}
    # Only the exporter's documentation says what a few columns are; they stay out.
    for target in ("is_company", "company_website", "company_email_domain", "lang", "ref", "website"):
        single.pop(target, None)
        expected_single.pop(target, None)
    assert single == expected_single
    assert many == expected_many


# What only the exporter's documentation tells: without the preset these read otherwise.
PRESET_ONLY = {
    ("outlook.csv", "Account"): "Looks like Company, but column 'Company' fills it already",
    ("google.csv", "Labels"): None,  # read as Tags
    ("google_legacy.csv", "Group Membership"): "'Group Membership' is about the record",
    ("odoo_contacts.csv", "Company"): None,  # read as Company
}


@pytest.mark.parametrize(("name", "header", "reason"), VETOES)
def test_sample_vetoes(name, header, reason):
    suggestion = suggestions(name)[header]
    assert suggestion.target is None
    assert suggestion.reason().startswith(reason), suggestion.reason()


@pytest.mark.parametrize(("name", "header", "reason"), VETOES)
def test_sample_vetoes_without_its_preset(name, header, reason):
    suggestion = suggestions(name, presets=False)[header]
    if (name, header) in PRESET_ONLY:
        reason = PRESET_ONLY[name, header]
        if reason is None:
            assert suggestion.target is not None
            return
    assert suggestion.target is None
    assert suggestion.reason().startswith(reason), suggestion.reason()


@pytest.mark.skipif(not hasattr(reader.Table, "header_row"), reason="the reader finds no header row yet")
def test_linkedin_notes_above_the_header():
    table = reader.open_table((EXPORTS / "linkedin_connections.csv").read_bytes(), "Connections.csv")
    assert table.headers == list(mapping.PRESETS_BY_KEY["linkedin"].headers)


LOOKUPS = validation.Lookups(
    countries=[
        validation.Country(1, "US", ("United States",)),
        validation.Country(2, "DE", ("Germany",)),
        validation.Country(3, "FR", ("France",)),
        validation.Country(4, "CA", ("Canada",)),
        validation.Country(5, "JP", ("Japan",)),
        validation.Country(6, "IT", ("Italy",)),
    ],
    states=[
        validation.State(10, 1, "WA", "Washington"),
        validation.State(11, 2, "BY", "Bayern"),
        validation.State(12, 4, "ON", "Ontario"),
        validation.State(13, 1, "MA", "Massachusetts"),
    ],
)


def imported(name):
    headers, rows = read_export(name)
    chosen = {s.column: s.target for s in mapping.suggest(headers, sampled(headers, rows))}
    result = validation.validate(rows, headers, chosen, LOOKUPS)
    return [
        (
            r.values.get("name"),
            r.values.get("email"),
            r.company,
            r.values.get("city"),
            r.values.get("country_id"),
            r.values.get("state_id"),
        )
        for r in result.records
    ]


def test_outlook_contacts_as_validated():
    assert imported("outlook.csv") == [
        ("John Smith", "john.smith@contoso.com", "Contoso Ltd", "Redmond", 1, 10),
        # Only a home address: the file's addresses are its Business columns.
        ("Émilie Dubois", "emilie.dubois@gmail.com", "", None, None, None),
        ("Jürgen Müller", "j.mueller@mueller-soehne.de", "Müller & Söhne GmbH", "München", 2, 11),
        ("Priya Natarajan", "priya@fabrikam.com", "Fabrikam, Inc.", "Toronto", 4, 12),
    ]


def test_hubspot_contacts_are_not_named_after_their_owner():
    assert imported("hubspot.csv") == [
        ("Maria Johnson", "maria@northwind.example", "Northwind Traders", "Cambridge", 1, 13),
        ("Tom Becker", "tom.becker@gmail.com", "", "Köln", 2, None),
        ("Aiko Tanaka", "aiko.tanaka@contoso.example", "Contoso Japan KK", "Tokyo", 5, None),
        ("Luca Rossi", "l.rossi@fabrikam.example", "Fabrikam Italia S.r.l.", "Milano", 6, None),
    ]


HUBSPOT_VIEW = (
    "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Primary Associated Company ID,"
    "Last Activity Date,Lead Status,Marketing contact status,Create Date,Associated Company"
).split(",")
DATA_LOADER = (
    "ID,ISDELETED,MASTERRECORDID,ACCOUNTID,LASTNAME,FIRSTNAME,SALUTATION,NAME,OTHERSTREET,OTHERCITY,"
    "OTHERSTATE,OTHERPOSTALCODE,OTHERCOUNTRY,MAILINGSTREET,MAILINGCITY,MAILINGSTATE,MAILINGPOSTALCODE,"
    "MAILINGCOUNTRY,PHONE,FAX,MOBILEPHONE,HOMEPHONE,OTHERPHONE,ASSISTANTPHONE,REPORTSTOID,EMAIL,TITLE,"
    "DEPARTMENT,ASSISTANTNAME,LEADSOURCE,BIRTHDATE,DESCRIPTION,OWNERID,CREATEDDATE,CREATEDBYID,"
    "LASTMODIFIEDDATE,LASTMODIFIEDBYID,SYSTEMMODSTAMP,LASTACTIVITYDATE,ACCOUNT.NAME"
).split(",")
OUTLOOK = list(mapping.PRESETS_BY_KEY["outlook"].headers)


@pytest.mark.parametrize(
    ("headers", "preset"),
    [
        # exporters add custom fields and leave some out: still recognised
        (OUTLOOK[::2] + [f"User field {n}" for n in range(10)], "outlook"),
        (HUBSPOT_VIEW, "hubspot"),
        (DATA_LOADER, "salesforce"),
        ([h.replace("Person - ", "") for h in mapping.PRESETS_BY_KEY["pipedrive"].headers], "pipedrive"),
        # a file anyone could write is no exporter's
        (["First Name", "Last Name", "Email", "Company"], None),
        (["First Name", "Last Name", "Company", "Position"], None),
        (["Name", "Email", "Phone", "Street", "City", "Zip", "Country"], None),
        # one distinctive header among many unknown ones is not enough
        (["Connected On"] + [f"Column {n}" for n in range(10)], None),
        ([], None),
    ],
)
def test_recognised_by_score(headers, preset):
    match = mapping.recognise(headers)
    assert (match.preset.key if match else None) == preset


def test_data_loader_export_maps_by_api_names():
    got = {s.column: s.target for s in mapping.suggest(DATA_LOADER) if s.target}
    assert got == {
        "ID": "ref",
        "LASTNAME": "last_name",
        "FIRSTNAME": "first_name",
        "SALUTATION": "title",
        "MAILINGSTREET": "street",
        "MAILINGCITY": "city",
        "MAILINGSTATE": "state",
        "MAILINGPOSTALCODE": "zip",
        "MAILINGCOUNTRY": "country",
        "PHONE": "phone",
        "MOBILEPHONE": "mobile",
        "EMAIL": "email",
        "TITLE": "function",
        "DESCRIPTION": "comment",
        "ACCOUNT.NAME": "company",
    }


def test_a_column_a_preset_knows_to_fill_nothing_is_not_guessed_from_its_values():
    headers = [*HUBSPOT_VIEW, "Domain name"]
    values = {"Domain name": ["acme.example", "globex.example", "initech.example"]}
    (suggestion,) = [s for s in mapping.suggest(headers, values) if s.column == "Domain name"]
    assert suggestion.target is None
    assert suggestion.reason() == "Known column of the HubSpot contacts export; no contact field takes it"


def test_hubspot_view_export_never_names_contacts_after_their_owner():
    got = {s.column: s for s in mapping.suggest(HUBSPOT_VIEW)}
    assert {c for c, s in got.items() if s.target in ("name", "first_name", "last_name")} == {
        "First Name",
        "Last Name",
    }
    assert got["Contact owner"].target is None
    assert got["Associated Company"].target == "company"
