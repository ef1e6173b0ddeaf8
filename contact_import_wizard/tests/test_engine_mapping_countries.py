"""Plain pytest: countries in any language (Babel's CLDR names) and states by code or name."""

import pytest

from contact_import_wizard.engine import countries, reader, validation


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Deutschland", "DE"),
        ("Schweiz", "CH"),
        ("Österreich", "AT"),
        ("osterreich", "AT"),
        ("Espagne", "ES"),
        ("Vereinigte Staaten", "US"),
        ("États-Unis", "US"),
        ("ETATS UNIS", "US"),
        ("Royaume-Uni", "GB"),
        ("Reino Unido", "GB"),
        ("Allemagne", "DE"),
        ("ALEMANIA", "DE"),
        ("Svizzera", "CH"),
        ("Nederland", "NL"),
        ("The Netherlands", "NL"),
        ("Pays-Bas", "NL"),
        ("Ivory Coast", "CI"),
        ("Czech Republic", "CZ"),
        ("South Korea", "KR"),
        ("Brasil", "BR"),
        ("日本", "JP"),
        ("Россия", "RU"),
        ("Κύπρος", "CY"),
        # ISO codes, 2 and 3 letters, any case
        ("de", "DE"),
        (" FR ", "FR"),
        ("DEU", "DE"),
        ("usa", "US"),
        # what no CLDR language calls a country
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("England", "GB"),
        ("Großbritannien", "GB"),
        ("Holland", "NL"),
        # not countries
        ("Kongo", None),  # German for both Congos: ambiguous, never guessed
        ("EU", None),
        ("Europe", None),
        ("Atlantis", None),
        ("", None),
        ("12345", None),
    ],
)
def test_country_code_in_any_language(value, code):
    assert countries.country_code(value) == code


def test_every_alias_is_something_babel_lacks():
    # The hand list only holds what CLDR does not name; a duplicate would hide a conflict.
    assert not set(countries.ALIASES) & set(countries.cldr_country_names())


LOOKUPS = validation.Lookups(
    countries=[
        validation.Country(1, "FR", ("France",)),
        validation.Country(2, "DE", ("Germany",)),
        validation.Country(3, "US", ("United States",)),
        validation.Country(4, "CA", ("Canada",)),
        validation.Country(5, "AU", ("Australia",)),
        validation.Country(6, "MX", ("Mexico",)),
        validation.Country(7, "CH", ("Switzerland", "Suisse")),
    ],
    states=[
        validation.State(10, 3, "CA", "California"),
        validation.State(11, 3, "NY", "New York"),
        validation.State(12, 2, "BY", "Bayern"),
        validation.State(13, 2, "BW", "Baden-Württemberg"),
        validation.State(14, 4, "ON", "Ontario"),
        validation.State(15, 4, "BC", "British Columbia"),
        validation.State(16, 6, "BC", "Baja California"),
        validation.State(17, 5, "NSW", "New South Wales"),
    ],
)


@pytest.mark.parametrize(
    ("value", "country_id"),
    [
        ("Deutschland", 2),
        ("Vereinigte Staaten", 3),
        ("Schweiz", 7),
        ("Suisse", 7),  # a name the database knows
        ("ch", 7),
        ("USA", 3),
        ("DEU", 2),
        ("Kanada", 4),
        ("Japon", None),  # a real country, but not in this database
        ("Atlantis", None),
    ],
)
def test_resolver_country(value, country_id):
    assert validation._Resolver(LOOKUPS).country(value) == country_id


@pytest.mark.parametrize(
    ("value", "country_id", "state_id"),
    [
        ("CA", 3, 10),
        ("ca", 3, 10),
        ("California", 3, 10),
        ("CALIFORNIA", None, 10),  # a name only one country has
        ("ny", 3, 11),
        ("BY", 2, 12),
        ("bayern", None, 12),
        ("Baden-Wurttemberg", 2, 13),  # accents aside
        ("baden württemberg", None, 13),
        ("ON", 4, 14),
        ("Ontario", None, 14),
        ("NSW", 5, 17),
        ("N.S.W.", 5, 17),
        ("nsw", None, 17),  # a code only one state has
        ("BC", None, None),  # British Columbia or Baja California: never guessed
        ("BC", 4, 15),
        ("BC", 6, 16),
        ("US-CA", None, 10),  # ISO 3166-2
        ("us-ny", 3, 11),
        ("US-CA", 2, None),  # the code says another country than the row
        ("California (US)", None, 10),  # as Odoo exports it
        ("California (US)", 2, None),
        ("Bayern", 3, None),  # a state of another country
        ("Calif.", 3, None),
    ],
)
def test_resolver_state(value, country_id, state_id):
    assert validation._Resolver(LOOKUPS).state(value, country_id) == state_id


def test_validate_resolves_countries_and_states_in_any_language():
    headers = ["Name", "Country", "State"]
    rows = [
        reader.Row(2, ("Ann", "Deutschland", "Bayern")),
        reader.Row(3, ("Bob", "Vereinigte Staaten", "ca")),
        reader.Row(4, ("Cy", "Kanada", "Ontario")),
        reader.Row(5, ("Di", "Atlantis", "")),
    ]
    mapping = {"Name": "name", "Country": "country", "State": "state"}
    result = validation.validate(rows, headers, mapping, LOOKUPS)
    got = [(r.values.get("country_id"), r.values.get("state_id")) for r in result.records]
    assert got == [(2, 12), (3, 10), (4, 14), (None, None)]
    (problem,) = [p for p in result.problems if p.row == 5]
    assert problem.code == "unknown_country"
    assert problem.message() == (
        "Country 'Atlantis' in column Country is unknown; the contact gets no country."
    )
