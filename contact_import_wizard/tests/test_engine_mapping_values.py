"""Plain pytest: what sampled values say, and how suggest() chooses among columns."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_import_wizard.engine import mapping
from contact_import_wizard.engine.mapping import samples


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("ann@acme.example", samples.EMAIL),
        ("mailto:ann@acme.example", samples.EMAIL),
        ("not@an email", samples.TEXT),
        ("+1 (425) 555-0100", samples.PHONE),
        ("(416) 555-0123", samples.PHONE),
        ("04 72 00 00 00", samples.PHONE),
        ("555-0100", samples.PHONE),
        ("+49 171 2345678", samples.PHONE),
        ("4915112345678", samples.NUMBER),  # bare digits: as likely an identifier
        ("https://acme.example", samples.URL),
        ("www.contoso.com", samples.URL),
        ("acme.example", samples.URL),
        ("linkedin.com/in/annlee", samples.URL),
        ("Deutschland", samples.COUNTRY),
        ("US", samples.COUNTRY),
        ("España", samples.COUNTRY),
        ("98052", samples.ZIP),
        ("98052-6399", samples.ZIP),
        ("SW1A 2AA", samples.ZIP),
        ("M5V 1L9", samples.ZIP),
        ("1016 GV", samples.ZIP),
        ("00-026", samples.ZIP),
        ("Mr.", samples.TITLE),
        ("Dr.", samples.TITLE),
        ("Prof. Dr.", samples.TITLE),
        ("Herr", samples.TITLE),
        ("Frau", samples.TITLE),
        ("Mrs", samples.TITLE),
        ("Sr.", samples.TITLE),
        ("Mme", samples.TITLE),
        ("M.", samples.TITLE),
        ("Sra.", samples.TITLE),
        ("12 Mar 2024", samples.DATE),
        ("2024-03-12 10:15", samples.DATE),
        ("3/4/2024", samples.DATE),
        ("0/0/00", samples.DATE),  # Outlook's empty date
        ("42", samples.NUMBER),
        ("True", samples.FLAG),
        ("Individual", samples.FLAG),
        ("VP Sales", samples.TEXT),
        ("Hauptstraße 5", samples.TEXT),
        ("3. OG", samples.TEXT),
        ("J.S.", samples.TEXT),
        ("Sarah Sales", samples.TEXT),
    ],
)
def test_classify(value, kind):
    assert samples.classify(value) == kind


def test_evidence_looks_at_a_bounded_number_of_distinct_values():
    values = [f"person{i}@acme.example" for i in range(1000)] + ["x"] * 1000
    evidence = samples.evidence(values)
    assert evidence.filled == 2000
    assert evidence.total == samples.MAX_DISTINCT
    assert evidence.share(samples.EMAIL) == 1.0


def test_majority():
    assert samples.majority(["* Work", "Work", "Home"]) == "work"
    assert samples.majority(["Work", "Home"]) is None
    assert samples.majority([]) is None


def by_column(headers, values=None, **options):
    return {s.column: s for s in mapping.suggest(headers, values, **options)}


# -- values support, veto or suggest -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "target", "reason", "evidence"),
    [
        (
            ["Dr.", "Mr.", "Ms.", "Prof."],
            "title",
            "Header is the field's name",
            "4 of 4 sampled values are courtesy titles (Mr, Ms, Dr...)",
        ),
        (
            ["VP Sales", "CTO", "Purchasing Manager", "Engineer"],
            "function",
            "Header 'Title' holds job positions here, not courtesy titles",
            "4 of 4 sampled values are plain text",
        ),
    ],
)
def test_title_holds_courtesy_titles_or_job_positions(values, target, reason, evidence):
    suggestion = by_column(["Title"], {"Title": values})["Title"]
    assert (suggestion.target, suggestion.reason(), suggestion.evidence()) == (target, reason, evidence)
    assert suggestion.explanation() == f"{reason}\n{evidence}"


def test_job_title_holding_courtesy_titles_is_a_title():
    suggestion = by_column(["Job Title"], {"Job Title": ["Mr", "Mrs", "Dr", "Mr"]})["Job Title"]
    assert suggestion.target == "title"
    assert suggestion.reason() == (
        "Header 'Job Title' holds courtesy titles here (Mr, Dr...), not job positions"
    )


@pytest.mark.parametrize(
    ("header", "values", "target", "confidence", "contradicted", "reason", "evidence"),
    [
        # supported: the header and the values agree
        (
            "E-mail",
            ["a@x.example", "b@y.example", "c@z.example"],
            "email",
            "high",
            False,
            "Header is the field's name",
            "3 of 3 sampled values are e-mail addresses",
        ),
        # a typo for a protected field is mapped when the values say so
        (
            "Emial",
            ["a@x.example", "b@y.example", "c@z.example"],
            "email",
            "medium",
            False,
            "Header looks like 'email' (80% alike)",
            "3 of 3 sampled values are e-mail addresses",
        ),
        # contradicted: a protected field is left for the user
        (
            "Email",
            ["Ann Lee", "Bob Roe", "Cy Doe"],
            None,
            None,
            True,
            "The header says Email, but the values do not look like it; Email is never guessed against "
            "the values: choose it yourself if it is right",
            "Only 0 of 3 sampled values are e-mail addresses",
        ),
        (
            "Name",
            ["ann@x.example", "bob@y.example", "cy@z.example"],
            None,
            None,
            True,
            "The header says Name, but the values do not look like it; Name is never guessed against "
            "the values: choose it yourself if it is right",
            "3 of 3 sampled values are e-mail addresses",
        ),
        (
            "Company",
            ["https://acme.example", "www.globex.example", "initech.example"],
            None,
            None,
            True,
            "The header says Company, but the values do not look like it; Company is never guessed "
            "against the values: choose it yourself if it is right",
            "3 of 3 sampled values are web addresses",
        ),
        # contradicted, not protected: kept, flagged, low
        (
            "ZIP",
            ["Berlin", "Paris", "Madrid", "Rome"],
            "zip",
            "low",
            True,
            "The header says ZIP, but the values do not look like it: check this column",
            "Only 0 of 4 sampled values look like postal codes",
        ),
        (
            "Phone",
            ["n/a", "ask Bob", "none", "later"],
            "phone",
            "low",
            True,
            "The header says Phone, but the values do not look like it: check this column",
            "Only 0 of 4 sampled values are phone numbers",
        ),
        # some values of the kind: kept, less sure
        (
            "Country",
            ["Deutschland", "Atlantis", "Narnia"],
            "country",
            "medium",
            False,
            "Header is the field's name",
            "Only 1 of 3 sampled values are countries",
        ),
        # values only: an unknown header
        (
            "Kontakt 3",
            ["+49 30 1234567", "+49 89 7654321", "030 555 0100"],
            "phone",
            "low",
            False,
            "The header is not a known field, but the values look like Phone",
            "3 of 3 sampled values are phone numbers",
        ),
        (
            "Land der Firma",
            ["Deutschland", "Österreich", "Schweiz"],
            "country",
            "low",
            False,
            "The header is not a known field, but the values look like Country",
            "3 of 3 sampled values are countries",
        ),
        (
            "Kontakt 2",
            ["a@x.example", "b@y.example", "c@z.example"],
            None,
            None,
            False,
            "The header is not a known field; the values look like Email, which is never guessed from "
            "values alone: choose it yourself if it is right",
            "3 of 3 sampled values are e-mail addresses",
        ),
        # too few values to judge
        ("Email", ["Ann Lee", "Bob Roe"], "email", "high", False, "Header is the field's name", ""),
        # no values at all
        ("Phone", [], "phone", "high", False, "Header is the field's name", samples.NO_VALUES),
    ],
)
def test_values_support_veto_or_suggest(header, values, target, confidence, contradicted, reason, evidence):
    suggestion = by_column([header], {header: values})[header]
    got = (suggestion.target, suggestion.confidence, suggestion.contradicted)
    assert got == (target, confidence, contradicted)
    assert (suggestion.reason(), suggestion.evidence()) == (reason, evidence)


@pytest.mark.parametrize(
    ("headers", "values", "review"),
    [
        (["Email"], {"Email": ["a@x.example", "b@y.example", "c@z.example"]}, {"Email": False}),
        (["Emial"], None, {"Emial": True}),  # a protected field left unmapped
        (["Phnoe"], None, {"Phnoe": True}),  # mapped, low
        (["ZIP"], {"ZIP": ["Berlin", "Paris", "Rome"]}, {"ZIP": True}),  # contradicted
        (["Kontakt"], {"Kontakt": ["a@x.example", "b@y.example", "c@z.example"]}, {"Kontakt": True}),
        (["Contact owner", "Favourite colour"], None, {"Contact owner": False, "Favourite colour": False}),
        (["Email", "Mail"], None, {"Email": False, "Mail": False}),
    ],
)
def test_columns_to_review(headers, values, review):
    assert {s.column: s.review for s in mapping.suggest(headers, values)} == review


@pytest.mark.parametrize("header", ["Emial", "Compnay", "Nme"])
def test_vague_header_never_fills_a_protected_field(header):
    suggestion = by_column([header])[header]
    assert suggestion.target is None
    assert "is never guessed from a vague header" in suggestion.reason()


def test_reasons_are_translated_as_whole_templates():
    french = {
        mapping.REASON_SYNONYM: "L'en-tête %(header)r est un nom usuel de ce champ",
        samples.SAYS[samples.EMAIL]: "%(count)s valeurs sur %(total)s sont des adresses e-mail",
    }
    values = {"Mail": ["a@x.example", "b@y.example", "c@z.example"]}
    suggestion = by_column(["Mail"], values)["Mail"]
    assert suggestion.explanation(french.__getitem__) == (
        "L'en-tête 'Mail' est un nom usuel de ce champ\n3 valeurs sur 3 sont des adresses e-mail"
    )


# -- one column per field: business/work/first with values; one address ---------------------


def test_business_phone_first_when_it_has_values():
    headers = ["Home Phone", "Business Phone", "Other Phone"]
    values = {"Home Phone": ["030 1"], "Business Phone": ["030 2"], "Other Phone": ["030 3"]}
    got = by_column(headers, values)
    assert got["Business Phone"].target == "phone"
    assert got["Home Phone"].reason() == "Looks like Phone, but column 'Business Phone' fills it already"


def test_empty_business_phone_gives_way():
    headers = ["Business Phone", "Home Phone"]
    got = by_column(headers, {"Business Phone": [], "Home Phone": ["030 1234567"]})
    assert got["Home Phone"].target == "phone"
    assert got["Business Phone"].target is None
    assert got["Business Phone"].reason() == (
        "Looks like Phone, but it is empty in this file; column 'Home Phone' is used"
    )


def test_a_column_without_samples_is_judged_by_its_header():
    got = by_column(["Business Phone", "Home Phone"], {"Home Phone": ["030 1234567"]})
    assert (got["Business Phone"].target, got["Home Phone"].target) == ("phone", None)
    assert got["Business Phone"].evidence() == ""


def test_without_samples_the_best_qualified_column_wins():
    got = by_column(["Home Phone", "Business Phone", "Phone 2"])
    assert [got[h].target for h in ("Home Phone", "Business Phone", "Phone 2")] == [None, "phone", None]


@pytest.mark.parametrize(
    ("values", "email"),
    [
        ({"E-mail": ["a@x.example"], "E-mail 2": ["b@x.example"], "E-mail 3": []}, "E-mail"),
        ({"E-mail": [], "E-mail 2": ["b@x.example"], "E-mail 3": ["c@x.example"]}, "E-mail 2"),
        ({"E-mail": [], "E-mail 2": [], "E-mail 3": ["c@x.example"]}, "E-mail 3"),
    ],
)
def test_first_email_with_values(values, email):
    got = by_column(["E-mail", "E-mail 2", "E-mail 3"], values)
    assert [h for h, s in got.items() if s.target == "email"] == [email]


ADDRESSES = [
    "Business Street",
    "Business City",
    "Business Postal Code",
    "Business Country",
    "Home Street",
    "Home City",
    "Home Postal Code",
    "Home Country",
]


@pytest.mark.parametrize(
    ("filled", "chosen"),
    [
        (ADDRESSES, "Business"),
        ([h for h in ADDRESSES if h.startswith("Home")], "Home"),
        # Home has a street only: still an address with values; Business has none
        (["Home Street"], "Home"),
        # A business city with a home street: the business address, never mixed
        (["Business City", "Home Street", "Home City"], "Business"),
    ],
)
def test_one_address_never_mixed(filled, chosen):
    values = {h: (["x 1"] if h in filled else []) for h in ADDRESSES}
    got = by_column(ADDRESSES, values)
    mapped = {s.target: h for h, s in got.items() if s.target}
    assert mapped == {
        "street": f"{chosen} Street",
        "city": f"{chosen} City",
        "zip": f"{chosen} Postal Code",
        "country": f"{chosen} Country",
    }
    other = "Home" if chosen == "Business" else "Business"
    assert got[f"{other} City"].reason() == (
        f"Part of another address than column '{chosen} Street', which is used: two addresses are never mixed"
    )


def test_an_unqualified_column_completes_the_chosen_address():
    got = by_column(["Business Street", "Business City", "Country"])
    assert {h: s.target for h, s in got.items()} == {
        "Business Street": "street",
        "Business City": "city",
        "Country": "country",
    }


def test_an_unqualified_address_of_its_own_is_not_mixed_in():
    got = by_column(["Street", "City", "Home Street", "Home City", "Home Country"])
    assert {h for h, s in got.items() if s.target} == {"Street", "City"}


def test_google_labels_say_which_group_is_what():
    headers = ["Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value"]
    values = {
        "Phone 1 - Label": ["Mobile", "Mobile", "Work"],
        "Phone 1 - Value": ["+49 151 1", "+49 151 2", "+49 30 3"],
        "Phone 2 - Label": ["Work", "Work"],
        "Phone 2 - Value": ["+49 30 4", "+49 30 5"],
    }
    got = by_column(headers, values)
    assert (got["Phone 1 - Value"].target, got["Phone 2 - Value"].target) == ("mobile", "phone")
    assert got["Phone 1 - Value"].reason() == (
        "Column 'Phone 1 - Label' says most of these numbers are mobile numbers"
    )


def test_work_address_label_wins_over_the_first_group():
    headers = [f"Address {n} - {part}" for n in (1, 2) for part in ("Label", "Street", "City")]
    values = {
        "Address 1 - Label": ["Home", "Home"],
        "Address 1 - Street": ["1 Home Rd", "2 Home Rd"],
        "Address 1 - City": ["Oxford", "Bath"],
        "Address 2 - Label": ["Work", "Work"],
        "Address 2 - Street": ["1 Work St", "2 Work St"],
        "Address 2 - City": ["London", "Leeds"],
    }
    got = by_column(headers, values)
    assert {h for h, s in got.items() if s.target} == {"Address 2 - Street", "Address 2 - City"}


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "values", "named"),
    [
        # first + last win over any other name-like column
        (["Name", "First Name", "Last Name"], None, {"First Name", "Last Name"}),
        (["Full Name", "First Name", "Last Name"], None, {"First Name", "Last Name"}),
        (["Contact Name", "Given Name", "Family Name"], None, {"Given Name", "Family Name"}),
        # only when both have values in this file
        (
            ["Name", "First Name", "Last Name"],
            {"Name": ["Acme GmbH"], "First Name": [], "Last Name": []},
            {"Name", "First Name", "Last Name"},
        ),
        (["Name", "First Name"], None, {"Name", "First Name"}),
        # the record's owner is never the contact's name
        (["Contact owner", "Email"], None, set()),
        (["Contact Owner", "Name"], None, {"Name"}),
    ],
)
def test_name_columns(headers, values, named):
    got = by_column(headers, values)
    assert {h for h, s in got.items() if s.target in ("name", "first_name", "last_name")} == named


def test_owner_names_never_become_contact_names_even_as_values():
    headers = ["Contact owner", "Email"]
    values = {"Contact owner": ["Sarah Sales", "Sarah Sales", "Kenji Owner"], "Email": ["a@x.example"]}
    got = by_column(headers, values)
    assert got["Contact owner"].target is None
    assert got["Contact owner"].reason() == (
        "'Contact owner' is about the record (owner, dates, source, status...), not about the person"
    )


# -- saved mappings win ---------------------------------------------------------------------


def test_a_saved_mapping_wins_over_guesses_and_values():
    saved = {"Home City": "city", "Kontakt": "email"}
    headers = ["Business City", "Home City", "Kontakt"]
    values = {"Business City": ["Berlin"], "Home City": ["Bonn"], "Kontakt": ["not an email", "nope", "no"]}
    got = {s.column: s for s in mapping.apply_template(headers, saved, "My CRM", values)}
    assert (got["Home City"].target, got["Kontakt"].target) == ("city", "email")
    assert got["Business City"].target is None
    assert got["Kontakt"].confidence == "high"


# -- properties -------------------------------------------------------------------------------

_HEADERS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Name",
                "First Name",
                "Last Name",
                "E-mail",
                "E-mail 2 Address",
                "Business Phone",
                "Home Phone",
                "Company",
                "Account",
                "Business City",
                "Home City",
                "Address 1 - City",
                "Address 2 - City",
                "Country",
                "Contact owner",
                "Title",
                "Tags",
                "Notes",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=20,
    unique=True,
)
_VALUES = st.lists(
    st.one_of(
        st.sampled_from(["ann@x.example", "+49 30 1234567", "Berlin", "Dr.", "Deutschland", "10115", ""]),
        st.text(max_size=20),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(headers=_HEADERS, data=st.data())
def test_any_file_gets_one_suggestion_per_column_and_one_column_per_field(headers, data):
    values = {h: data.draw(_VALUES) for h in headers} if data.draw(st.booleans()) else None
    suggestions = mapping.suggest(headers, values)
    assert [s.column for s in suggestions] == headers
    single = [s.target for s in suggestions if s.target and not mapping.TARGETS_BY_KEY[s.target].multiple]
    assert len(single) == len(set(single))
    for suggestion in suggestions:
        assert suggestion.reason()
        assert (suggestion.confidence is None) == (suggestion.target is None)
        if suggestion.target in mapping.PROTECTED:
            assert suggestion.confidence != "low" and not suggestion.contradicted
    # Addresses are never mixed (an unqualified column may only complete the chosen one).
    address = [s.column for s in suggestions if s.target in ("city", "street", "zip", "country")]
    groups = {
        " ".join(column.split()[:2]) if column.startswith("Address") else column.split()[0]
        for column in address
        if column.startswith(("Business", "Home", "Address"))
    }
    assert len(groups) <= 1
