"""The contact fields a column can fill (targets), and the names headers give them."""

import re
from dataclasses import dataclass

from ..messages import _lt
from ..normalize import simple_key


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    synonyms: tuple
    multiple: bool = False  # several columns may fill it (their values are joined)
    values: str = "text"  # what its values look like (see samples.KINDS)


# Synonyms cover English, French, German and Spanish spreadsheet habits; they are
# compared once accents, case and punctuation are removed. A qualifier ("Business",
# "Home", "Mailing"...) or a number ("E-mail 2") around them is read separately.
TARGETS = (
    Target(
        "name",
        _lt("Name"),
        (
            "name",
            "full name",
            "contact",
            "contact name",
            "contact person",
            "ansprechpartner",
            "interlocuteur",
            "persona de contacto",
            "person",
            "person name",
            "display name",
            "nom complet",
            "nom et prenom",
            "nom prenom",
            "name vorname",
            "vollstandiger name",
            "nombre completo",
            "nombre y apellidos",
        ),
    ),
    Target(
        "first_name",
        _lt("First name"),
        ("first name", "firstname", "given name", "forename", "prenom", "vorname", "nombre", "first"),
    ),
    Target(
        "last_name",
        _lt("Last name"),
        (
            "last name",
            "lastname",
            "surname",
            "family name",
            "nom",
            "nom de famille",
            "nachname",
            "familienname",
            "apellido",
            "apellidos",
            "last",
        ),
    ),
    Target(
        "email",
        _lt("Email"),
        (
            "email",
            "e mail",
            "mail",
            "email address",
            "e mail address",
            "courriel",
            "adresse email",
            "adresse e mail",
            "adresse courriel",
            "adresse de messagerie",
            "messagerie",
            "mel",
            "correo",
            "correo electronico",
            "e mail adresse",
            "emailadresse",
            "work email",
        ),
        values="email",
    ),
    Target(
        "phone",
        _lt("Phone"),
        (
            "phone",
            "telephone",
            "tel",
            "phone number",
            "telephone number",
            "business phone",
            "work phone",
            "office phone",
            "direct phone",
            "direct line",
            "telefon",
            "telefono",
            "telefonnummer",
            "numero de telephone",
            "numero de telefono",
        ),
        values="phone",
    ),
    Target(
        "mobile",
        _lt("Mobile"),
        (
            "mobile",
            "mobile phone",
            "mobile phone number",
            "mobile number",
            "cell",
            "cell phone",
            "cellphone",
            "cellular",
            "cell number",
            "portable",
            "telephone portable",
            "telephone mobile",
            "tel mobile",
            "tel portable",
            "handy",
            "mobil",
            "mobiltelefon",
            "movil",
            "celular",
            "gsm",
        ),
        values="phone",
    ),
    Target(
        "function",
        _lt("Job position"),
        (
            "job position",
            "job title",
            "organization title",
            "organisation title",
            "position",
            "function",
            "role",
            "job role",
            "occupation",
            "designation",
            "title job",
            "poste",
            "fonction",
            "intitule du poste",
            "stelle",
            "funktion",
            "position im unternehmen",
            "berufsbezeichnung",
            "cargo",
            "puesto",
        ),
    ),
    Target(
        "title",
        _lt("Title"),
        (
            "title",
            "salutation",
            "titre",
            "name prefix",
            "prefix",
            "courtesy title",
            "form of address",
            "civility",
            "civilite",
            "anrede",
            "titel",
            "tratamiento",
            "titulo",
        ),
        values="title",
    ),
    Target(
        "street",
        _lt("Street"),
        (
            "street",
            "address",
            "street address",
            "address line 1",
            "address line",
            "address 1",
            "postal address",
            "adresse",
            "rue",
            "adresse ligne 1",
            "strasse",
            "anschrift",
            "direccion",
            "calle",
        ),
    ),
    Target(
        "street2",
        _lt("Street 2"),
        (
            "street2",
            "street 2",
            "address line 2",
            "address 2",
            "extended address",
            "apartment",
            "suite",
            "adresse ligne 2",
            "complement d adresse",
            "adresszusatz",
            "direccion 2",
        ),
    ),
    Target(
        "city",
        _lt("City"),
        ("city", "town", "locality", "ville", "commune", "stadt", "ort", "ciudad", "localidad", "poblacion"),
    ),
    Target(
        "zip",
        _lt("ZIP"),
        (
            "zip",
            "zip code",
            "postal code",
            "zip postal code",
            "postcode",
            "post code",
            "code postal",
            "cp",
            "plz",
            "postleitzahl",
            "codigo postal",
        ),
        values="zip",
    ),
    Target(
        "state",
        _lt("State"),
        (
            "state",
            "province",
            "region",
            "county",
            "state province",
            "state region",
            "state county",
            "dep region",
            "departement",
            "bundesland",
            "provincia",
            "estado",
            "comunidad autonoma",
        ),
    ),
    Target(
        "country",
        _lt("Country"),
        ("country", "country region", "country code", "country name", "nation", "pays", "land", "pais"),
        values="country",
    ),
    Target(
        "website",
        _lt("Website"),
        (
            "website",
            "web site",
            "website url",
            "website link",
            "web page",
            "web",
            "url",
            "homepage",
            "site web",
            "page web",
            "site",
            "webseite",
            "internetseite",
            "sitio web",
            "pagina web",
        ),
        values="url",
    ),
    Target(
        "vat",
        _lt("Tax ID"),
        (
            "vat",
            "tax id",
            "vat number",
            "tva",
            "numero de tva",
            "ust id",
            "ustidnr",
            "umsatzsteuer id",
            "steuernummer",
            "nif",
            "cif",
            "tax number",
        ),
    ),
    Target(
        "lang", _lt("Language"), ("language", "lang", "preferred language", "langue", "sprache", "idioma")
    ),
    Target(
        "tags",
        _lt("Tags"),
        (
            "tags",
            "tag",
            "category",
            "categories",
            "label",
            "labels",
            "etiquettes",
            "etiquette",
            "categorie",
            "schlagworte",
            "kategorie",
            "etiquetas",
            "categoria",
        ),
        multiple=True,
    ),
    Target(
        "ref",
        _lt("Internal reference"),
        (
            "ref",
            "reference",
            "internal reference",
            "id",
            "record id",
            "contact id",
            "person id",
            "customer id",
            "reference interne",
            "referenz",
            "kundennummer",
            "referencia",
        ),
    ),
    Target(
        "comment",
        _lt("Notes"),
        (
            "notes",
            "note",
            "comment",
            "comments",
            "remarks",
            "description",
            "commentaire",
            "remarques",
            "notizen",
            "bemerkung",
            "kommentar",
            "notas",
            "comentarios",
            "observaciones",
        ),
        multiple=True,
    ),
    Target(
        "company",
        _lt("Company"),
        (
            "company",
            "company name",
            "organization",
            "organization name",
            "organisation",
            "organisation name",
            "account",
            "account name",
            "associated company",
            "customer",
            "customer name",
            "employer",
            "business",
            "firm",
            "societe",
            "entreprise",
            "raison sociale",
            "organisme",
            "firma",
            "firmenname",
            "unternehmen",
            "arbeitgeber",
            "empresa",
            "compania",
            "organizacion",
            "parent company",
            "related company",
        ),
    ),
    Target(
        "is_company",
        _lt("Is a company"),
        (
            "is a company",
            "is company",
            "company type",
            "record type",
            "est une societe",
            "ist ein unternehmen",
            "es una empresa",
        ),
        values="flag",
    ),
    Target(
        "company_website",
        _lt("Company website"),
        (
            "company website",
            "company url",
            "company domain",
            "company domain name",
            "account website",
            "site de l entreprise",
            "firmenwebseite",
            "web de la empresa",
        ),
        values="url",
    ),
    Target(
        "company_vat",
        _lt("Company tax ID"),
        ("company vat", "company tax id", "account vat", "tva entreprise", "ust id firma", "nif empresa"),
    ),
    Target(
        "company_email_domain",
        _lt("Company email domain"),
        ("company email domain", "email domain", "domain", "domaine", "dominio"),
        values="url",
    ),
)
TARGETS_BY_KEY = {t.key: t for t in TARGETS}

# A wrong guess on these puts a person under another name, address or company: they are
# never filled from a vague header or against what the values say.
PROTECTED = frozenset({"name", "first_name", "last_name", "email", "company"})

# Names that fill a target less surely than its others: a column named so only takes the
# target when no better-named column offers it ("Account" next to "Company").
SECONDARY = {
    "contact": 1,
    "person": 1,
    "account": 1,
    "associated company": 1,
    "customer": 1,
    "customer name": 1,
    "business": 1,
    "region": 1,
    "county": 1,
    "postal address": 1,
    "address": 1,
    "occupation": 1,
    "role": 1,
    "first": 1,
    "last": 1,
    "site": 1,
    "web": 1,
    "domain": 1,
}


_EMAIL = re.compile(r"\be mail\b")
_POSSESSIVE = re.compile(r"\b(\w+) s\b")


def header_key(text):
    """The form headers and synonyms are compared in: simple_key(), with "e-mail" one word
    and possessives dropped ("Assistant's Phone" -> "assistant phone")."""
    key = _EMAIL.sub("email", simple_key(text))
    return _POSSESSIVE.sub(r"\1", key)


def _synonym_table():
    table = {}
    for target in TARGETS:
        for text in (target.key.replace("_", " "), target.label, *target.synonyms):
            table.setdefault(header_key(text), target.key)
    return table


SYNONYMS = _synonym_table()
LABELS = {header_key(t.key.replace("_", " ")) for t in TARGETS} | {header_key(t.label) for t in TARGETS}
