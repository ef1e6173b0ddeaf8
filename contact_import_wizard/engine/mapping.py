"""Column mapping: which contact field each column of the file fills.

:func:`suggest` proposes a target per header, each with its reason; :func:`apply_template`
re-applies a saved mapping to a file with the same or similar headers;
:func:`check_mapping` says what is wrong with a mapping the user edited.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .messages import ERROR, WARNING, Problem, _lt, render
from .normalize import simple_key

FUZZY_THRESHOLD = 80
TEMPLATE_THRESHOLD = 90


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    synonyms: tuple
    multiple: bool = False  # several columns may fill it (their values are joined)


# Synonyms cover English, French, German and Spanish spreadsheet habits; they are
# compared once accents, case and punctuation are removed.
TARGETS = (
    Target(
        "name",
        _lt("Name"),
        (
            "name",
            "full name",
            "contact",
            "contact name",
            "person",
            "nom complet",
            "nom et prenom",
            "nom prenom",
            "name vorname",
            "vollstandiger name",
            "nombre completo",
            "nombre y apellidos",
            "display name",
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
            "mel",
            "correo",
            "correo electronico",
            "e mail adresse",
            "emailadresse",
            "work email",
        ),
    ),
    Target(
        "phone",
        _lt("Phone"),
        (
            "phone",
            "telephone",
            "tel",
            "phone number",
            "business phone",
            "work phone",
            "telefon",
            "telefono",
            "telefonnummer",
            "numero de telephone",
            "office phone",
        ),
    ),
    Target(
        "mobile",
        _lt("Mobile"),
        (
            "mobile",
            "mobile phone",
            "cell",
            "cell phone",
            "cellphone",
            "portable",
            "telephone portable",
            "handy",
            "mobil",
            "mobiltelefon",
            "movil",
            "celular",
            "gsm",
        ),
    ),
    Target(
        "function",
        _lt("Job position"),
        (
            "job position",
            "job title",
            "position",
            "function",
            "role",
            "title job",
            "poste",
            "fonction",
            "intitule du poste",
            "position",
            "stelle",
            "funktion",
            "berufsbezeichnung",
            "cargo",
            "puesto",
        ),
    ),
    Target(
        "title",
        _lt("Title"),
        ("title", "salutation", "civility", "civilite", "anrede", "titel", "tratamiento", "titulo"),
    ),
    Target(
        "street",
        _lt("Street"),
        (
            "street",
            "address",
            "street address",
            "address line 1",
            "address 1",
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
            "postcode",
            "post code",
            "code postal",
            "cp",
            "plz",
            "postleitzahl",
            "codigo postal",
        ),
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
        ("country", "country code", "nation", "pays", "land", "pais", "country name"),
    ),
    Target(
        "website",
        _lt("Website"),
        (
            "website",
            "web site",
            "web",
            "url",
            "homepage",
            "site web",
            "site",
            "webseite",
            "internetseite",
            "sitio web",
            "pagina web",
        ),
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
    Target("lang", _lt("Language"), ("language", "lang", "langue", "sprache", "idioma")),
    Target(
        "tags",
        _lt("Tags"),
        (
            "tags",
            "tag",
            "category",
            "categories",
            "label",
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
            "contact id",
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
            "organisation",
            "account",
            "account name",
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
        "company_website",
        _lt("Company website"),
        (
            "company website",
            "company url",
            "company domain",
            "account website",
            "site de l entreprise",
            "firmenwebseite",
            "web de la empresa",
        ),
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
    ),
)
TARGETS_BY_KEY = {t.key: t for t in TARGETS}

REASON_TEMPLATE = _lt("Same header as in the saved mapping %(template)s")
REASON_TEMPLATE_FUZZY = _lt("Header close to %(header)r of the saved mapping %(template)s")
REASON_LABEL = _lt("Header is the field's name")
REASON_SYNONYM = _lt("Header %(header)r is a usual name of this field")
REASON_FUZZY = _lt("Header looks like %(synonym)r (%(score)s%% alike)")
REASON_TAKEN = _lt("Looks like %(target)s, but column %(other)r fills it already")
REASON_NONE = _lt("No field looks like this header")


def _synonym_table():
    table = {}
    for target in TARGETS:
        for text in (target.key.replace("_", " "), target.label, *target.synonyms):
            table.setdefault(simple_key(text), target.key)
    return table


SYNONYMS = _synonym_table()


@dataclass
class Suggestion:
    column: str
    target: str | None
    score: int
    template: str
    params: dict

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


def _guess(header):
    """Best target for one header: (target, score, template, params) or None."""
    key = simple_key(header)
    if not key:
        return None
    target = SYNONYMS.get(key)
    if target:
        if key in (simple_key(target.replace("_", " ")), simple_key(TARGETS_BY_KEY[target].label)):
            return target, 100, REASON_LABEL, {}
        return target, 99, REASON_SYNONYM, {"header": header}
    found = process.extractOne(key, list(SYNONYMS), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if found:
        synonym, score, _index = found
        return SYNONYMS[synonym], int(score), REASON_FUZZY, {"synonym": synonym, "score": int(score)}
    return None


def suggest(headers, fixed=None):
    """Suggest a target per header; never two columns on one single-valued target.

    ``fixed`` maps headers to (target, template, params) already decided (a saved
    mapping); they win over guesses. Returns one :class:`Suggestion` per header.
    """
    fixed = fixed or {}
    guesses = {}
    for header in headers:
        if header in fixed:
            target, template, params = fixed[header]
            guesses[header] = (target, 101, template, params)
        else:
            guesses[header] = _guess(header)
    # The best-scored column takes a single-valued target; ties go to the leftmost.
    taken = {}
    order = sorted(headers, key=lambda h: -(guesses[h][1] if guesses[h] else 0))
    for header in order:
        guess = guesses[header]
        if not guess or not guess[0]:
            continue
        target = guess[0]
        if not TARGETS_BY_KEY[target].multiple and target in taken:
            continue
        taken.setdefault(target, header)
    suggestions = []
    for header in headers:
        guess = guesses[header]
        if not guess or not guess[0]:
            suggestions.append(Suggestion(header, None, 0, REASON_NONE, {}))
            continue
        target, score, template, params = guess
        if taken.get(target) not in (header, None) and not TARGETS_BY_KEY[target].multiple:
            suggestions.append(
                Suggestion(
                    header,
                    None,
                    0,
                    REASON_TAKEN,
                    {"target": TARGETS_BY_KEY[target].label, "other": taken[target]},
                )
            )
            continue
        suggestions.append(Suggestion(header, target, min(score, 100), template, params))
    return suggestions


def _saved_headers(headers, template_mapping):
    """header -> (saved header, target, exact) for the headers a saved mapping knows."""
    saved = {simple_key(h): (h, t) for h, t in template_mapping.items()}
    found = {}
    for header in headers:
        key = simple_key(header)
        if key in saved:
            found[header] = (*saved[key], True)
            continue
        close = process.extractOne(key, list(saved), scorer=fuzz.ratio, score_cutoff=TEMPLATE_THRESHOLD)
        if close:
            found[header] = (*saved[close[0]], False)
    return found


def apply_template(headers, template_mapping, template_name):
    """Suggestions for ``headers`` starting from a saved mapping (header -> target).

    A header equal to a saved one (ignoring case, accents, punctuation) takes its
    target; a similar one (>= 90% alike) too; the other headers are guessed.
    """
    fixed = {}
    for header, (original, target, exact) in _saved_headers(headers, template_mapping).items():
        if exact:
            fixed[header] = (target, REASON_TEMPLATE, {"template": template_name})
        else:
            fixed[header] = (target, REASON_TEMPLATE_FUZZY, {"header": original, "template": template_name})
    return suggest(headers, fixed)


def template_fit(headers, template_mapping):
    """Share (0-1) of a saved mapping's headers that ``headers`` have, exactly or nearly."""
    if not template_mapping:
        return 0.0
    found = {original for original, _target, _exact in _saved_headers(headers, template_mapping).values()}
    return len(found) / len(template_mapping)


def check_mapping(mapping):
    """Problems of a mapping (header -> target or None) chosen by the user."""
    problems = []
    by_target = {}
    for header, target in mapping.items():
        if target:
            by_target.setdefault(target, []).append(header)
    for target, headers in by_target.items():
        if target not in TARGETS_BY_KEY:
            problems.append(
                Problem(
                    None,
                    headers[0],
                    "unknown_target",
                    ERROR,
                    _lt("Unknown field %(target)s."),
                    {"target": target},
                    "mapping",
                )
            )
        elif len(headers) > 1 and not TARGETS_BY_KEY[target].multiple:
            problems.append(
                Problem(
                    None,
                    headers[1],
                    "same_target",
                    ERROR,
                    _lt("Columns %(columns)s are all mapped to %(target)s; keep only one."),
                    {"columns": ", ".join(repr(h) for h in headers), "target": TARGETS_BY_KEY[target].label},
                    "mapping",
                )
            )
    has_name = "name" in by_target or "first_name" in by_target or "last_name" in by_target
    if not has_name:
        problems.append(
            Problem(
                None,
                None,
                "no_name_column",
                ERROR,
                _lt("No column is mapped to Name (or First name / Last name): contacts need a name."),
                {},
                "mapping",
            )
        )
    if "company" not in by_target:
        problems.append(
            Problem(
                None,
                None,
                "no_company_column",
                WARNING,
                _lt("No column is mapped to Company: contacts will be imported without a company."),
                {},
                "mapping",
            )
        )
    return problems
