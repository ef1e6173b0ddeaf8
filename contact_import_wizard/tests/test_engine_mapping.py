"""Plain pytest: column suggestions, templates and mapping checks."""

import pytest

from contact_import_wizard.engine import mapping


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Name", "name"),
        ("Full Name", "name"),
        ("First Name", "first_name"),
        ("Prénom", "first_name"),
        ("Vorname", "first_name"),
        ("Last name", "last_name"),
        ("Nachname", "last_name"),
        ("Apellidos", "last_name"),
        ("E-mail", "email"),
        ("Mail", "email"),
        ("Courriel", "email"),
        ("Correo electrónico", "email"),
        ("Email Address", "email"),
        ("Phone", "phone"),
        ("Téléphone", "phone"),
        ("Mobile", "mobile"),
        ("Handy", "mobile"),
        ("Job Title", "function"),
        ("Poste", "function"),
        ("Street", "street"),
        ("Straße", "street"),
        ("Address line 2", "street2"),
        ("City", "city"),
        ("Ville", "city"),
        ("Postal Code", "zip"),
        ("PLZ", "zip"),
        ("State/Province", "state"),
        ("Country", "country"),
        ("Pays", "country"),
        ("Website", "website"),
        ("VAT number", "vat"),
        ("Language", "lang"),
        ("Tags", "tags"),
        ("Internal Reference", "ref"),
        ("Notes", "comment"),
        ("Company", "company"),
        ("Organization", "company"),
        ("Account Name", "company"),
        ("Firma", "company"),
        ("Société", "company"),
        ("Empresa", "company"),
        ("Company Website", "company_website"),
        ("Phnoe", "phone"),  # a typo: fuzzy
        ("Cuntry", "country"),  # a typo: fuzzy
        # A typo is too vague for a name, an e-mail or a company: left for the user.
        ("Emial", None),
        ("Compnay", None),
        ("Favourite colour", None),
    ],
)
def test_suggest_one_header(header, target):
    (suggestion,) = mapping.suggest([header])
    assert suggestion.target == target
    assert suggestion.reason()


def test_reasons_say_why():
    by_column = {s.column: s for s in mapping.suggest(["Email", "Courriel", "Emial"])}
    assert by_column["Email"].reason() == "Header is the field's name"
    assert by_column["Email"].score == 100
    # The two others also look like Email, but Email is single-valued and taken.
    assert by_column["Courriel"].target is None
    assert by_column["Courriel"].reason() == "Looks like Email, but column 'Email' fills it already"
    assert by_column["Emial"].target is None


def test_fuzzy_reason_has_score():
    (suggestion,) = mapping.suggest(["Phnoe"])
    assert suggestion.target == "phone"
    assert suggestion.reason() == "Header looks like 'phone' (80% alike)"
    assert suggestion.score == 80
    assert suggestion.confidence == "low"


def test_never_two_columns_on_a_single_valued_target_but_tags_may():
    suggestions = mapping.suggest(["Mail", "E-mail", "Tags", "Category", "Notes", "Comments"])
    targets = [s.target for s in suggestions]
    assert targets.count("email") == 1
    assert targets.count("tags") == 2
    assert targets.count("comment") == 2


def test_template_reapplied_to_similar_headers():
    saved = {"E-Mail Adresse": "email", "Firmenname": "company", "Bemerkung X": "comment"}
    headers = ["e-mail adresse", "Firmen-Name", "Bemerkung X1", "City"]
    by_column = {s.column: s for s in mapping.apply_template(headers, saved, "CRM export")}
    assert by_column["e-mail adresse"].target == "email"
    assert "CRM export" in by_column["e-mail adresse"].reason()
    assert by_column["Firmen-Name"].target == "company"
    assert by_column["Bemerkung X1"].target == "comment"
    assert by_column["City"].target == "city"
    assert mapping.template_fit(headers, saved) == 1.0
    assert mapping.template_fit(["Name", "e-mail adresse"], saved) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("chosen", "codes"),
    [
        ({"A": "name", "B": "company"}, []),
        ({"A": "first_name", "B": "last_name"}, ["no_company_column"]),
        ({"A": "email", "B": "company"}, ["no_name_column"]),
        ({"A": "name", "B": "email", "C": "email", "D": "company"}, ["same_target"]),
        ({"A": "name", "B": "tags", "C": "tags", "D": "company"}, []),
        ({"A": "name", "B": "nonsense", "D": "company"}, ["unknown_target"]),
    ],
)
def test_check_mapping(chosen, codes):
    problems = mapping.check_mapping(chosen)
    assert sorted(p.code for p in problems) == sorted(codes)
    for problem in problems:
        assert problem.message()


def test_check_mapping_message_names_columns():
    (problem,) = mapping.check_mapping({"Name": "name", "Mail": "email", "Mail 2": "email", "Co": "company"})
    assert problem.message() == "Columns 'Mail', 'Mail 2' are all mapped to Email; keep only one."
    assert problem.blocking


# Exports in French, German and Spanish (a CRM's, and Outlook's own localised headers).
LOCALISED = {
    "fr": (
        "Civilité;Prénom;Nom;Société;Fonction;Téléphone;Portable;E-mail;Adresse;Code postal;Ville;Pays;"
        "Propriétaire;Date de création",
        ["title", "first_name", "last_name", "company", "function", "phone", "mobile", "email"]
        + ["street", "zip", "city", "country", None, None],
    ),
    "de": (
        "Anrede;Vorname;Nachname;Firma;Position;Telefon geschäftlich;Mobiltelefon;E-Mail-Adresse;Straße;PLZ;"
        "Ort;Land;Abteilung;Erstellt am;Besitzer",
        ["title", "first_name", "last_name", "company", "function", "phone", "mobile", "email"]
        + ["street", "zip", "city", "country", None, None, None],
    ),
    "es": (
        "Tratamiento;Nombre;Apellidos;Empresa;Cargo;Teléfono;Móvil;Correo electrónico;Dirección;"
        "Código postal;Ciudad;Provincia;País;Propietario;Fecha de creación",
        ["title", "first_name", "last_name", "company", "function", "phone", "mobile", "email"]
        + ["street", "zip", "city", "state", "country", None, None],
    ),
    "outlook de": (
        "Anrede;Vorname;Weitere Vornamen;Nachname;Firma;Abteilung;Position;Straße geschäftlich;"
        "Straße geschäftlich 2;Ort geschäftlich;Postleitzahl geschäftlich;Land/Region geschäftlich;"
        "Straße privat;Ort privat;Postleitzahl privat;Telefon geschäftlich;Telefon privat;Mobiltelefon;"
        "E-Mail-Adresse;E-Mail-Typ;E-Mail: Angezeigter Name;E-Mail 2: Adresse;Geburtstag",
        ["title", "first_name", None, "last_name", "company", None, "function", "street", "street2", "city"]
        + ["zip", "country", None, None, None, "phone", None, "mobile", "email", None, None, None, None],
    ),
    "outlook fr": (
        "Titre;Prénom;Deuxième prénom;Nom;Société;Rue (bureau);Rue (bureau) 2;Ville (bureau);"
        "Dép/Région (bureau);Code postal (bureau);Pays/Région (bureau);Rue (domicile);Ville (domicile);"
        "Téléphone (bureau);Téléphone (domicile);Tél. mobile;Adresse de messagerie;Type de messagerie;"
        "Page Web;Anniversaire",
        ["title", "first_name", None, "last_name", "company", "street", "street2", "city", "state", "zip"]
        + ["country", None, None, "phone", None, "mobile", "email", None, "website", None],
    ),
}


@pytest.mark.parametrize("language", sorted(LOCALISED))
def test_localised_exports(language):
    headers, targets = LOCALISED[language]
    assert [s.target for s in mapping.suggest(headers.split(";"))] == targets
