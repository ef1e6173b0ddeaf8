"""Validation in four stages, before anything is written.

1. ``required``: a contact needs a name (or first/last name);
2. ``format``: emails, websites, phones, countries, states, languages; values are
   normalised on the way;
3. ``duplicate``: the same contact twice in the file, or already in Odoo (by email);
4. ``reference``: the company of each row resolved against the existing companies;
   unmatched ones are grouped, each with its rows.

Each problem is a :class:`~.messages.Problem` with the row number as a spreadsheet
shows it, the column header, a code, a severity and a message naming the value.
"""

import re
from dataclasses import dataclass, field, replace

from . import countries, matching
from .mapping import check_mapping
from .messages import ERROR, WARNING, Problem, _lt, nested
from .normalize import (
    clean_text,
    company_key,
    is_valid_email,
    normalize_email,
    normalize_phone,
    normalize_url,
    normalize_vat,
    simple_key,
)


@dataclass(frozen=True)
class Country:
    id: int
    code: str
    names: tuple  # the name in every language the database knows


@dataclass(frozen=True)
class State:
    id: int
    country_id: int
    code: str
    name: str


@dataclass
class Lookups:
    """What the engine needs to know of the database, as plain data."""

    existing_emails: dict = field(default_factory=dict)  # normalised email -> [partner ids]
    # Or a function (set of normalised emails -> that dict), called once the rows are mapped:
    # the file is read once, and only the contacts it names are looked up.
    find_emails: object = None
    countries: list = field(default_factory=list)
    states: list = field(default_factory=list)
    companies: list = field(default_factory=list)  # matching.ExistingCompany
    aliases: list = field(default_factory=list)  # matching.Alias: remembered company decisions
    langs: list = field(default_factory=list)  # (code, name) of the active languages


@dataclass(slots=True)
class Record:
    """One data row of the file, mapped and normalised."""

    row: int
    raw: tuple
    values: dict
    company: str = ""
    company_key: str = ""
    company_column: str | None = None  # the header the company was read from
    email_column: str | None = None
    name_column: str | None = None
    is_company: bool = False  # a row that is a company (its own data), not a person
    problems: list = field(default_factory=list)
    duplicate_of: int | None = None
    existing_ids: tuple = ()

    @property
    def blocked(self):
        return any(p.blocking for p in self.problems)


@dataclass
class Result:
    headers: list
    records: list
    problems: list  # every problem, file-level ones first
    clusters: dict  # company key -> matching.FileCompany
    matches: dict  # company key -> matching.Match

    def count(self, stage):
        return sum(1 for p in self.problems if p.stage == stage)

    @property
    def blocked_rows(self):
        return sum(1 for r in self.records if r.blocked)


class _Resolver:
    """Countries, states and languages by code, name or alias, from the lookups.

    A country is found by its ISO code (2 or 3 letters), by a name the database knows, or
    by its name in any language CLDR knows (see :mod:`.countries`); a state by its code
    or its name, in any case and with or without accents, also as "US-CA", "N.S.W." or
    as Odoo's own exports write it ("California (US)").
    """

    def __init__(self, lookups):
        self.country_by_code = {c.code.upper(): c.id for c in lookups.countries}
        self.country_by_name = {}
        for country in lookups.countries:
            for name in country.names:
                self.country_by_name.setdefault(simple_key(name), country.id)
        self.states = {}
        self.states_by_name = {}
        self.states_by_code = {}
        for state in lookups.states:
            code = _state_code(state.code)
            self.states[(state.country_id, code)] = state.id
            self.states[(state.country_id, simple_key(state.name))] = state.id
            self.states_by_name.setdefault(simple_key(state.name), []).append(state)
            self.states_by_code.setdefault(code, []).append(state)
        self.langs = {}
        for code, name in lookups.langs:
            for key in (
                code.lower(),
                code.split("_")[0].lower(),
                simple_key(name),
                simple_key(name.split("(")[0]),
            ):
                self.langs.setdefault(key, code)

    def country(self, value):
        code = value.strip().upper()
        if len(code) == 2 and code in self.country_by_code:
            return self.country_by_code[code]
        key = simple_key(value)
        if key in self.country_by_name:
            return self.country_by_name[key]
        iso = countries.country_code(value)
        return self.country_by_code.get(iso) if iso else None

    def state(self, value, country_id):
        text = value.strip()
        hint = _STATE_COUNTRY_HINT.match(text)
        if hint:
            # Odoo writes a state as "California (US)": the code in brackets is its country.
            text, hinted = hint.group(1), self.country_by_code.get(hint.group(2).upper())
            if country_id and hinted and hinted != country_id:
                return None
            country_id = country_id or hinted
        key = simple_key(text)
        code = _state_code(text)
        iso = _ISO_SUBDIVISION.match(text)
        if iso:
            # "US-CA": ISO 3166-2, the country's code then the state's.
            prefixed = self.country_by_code.get(iso.group(1).upper())
            if prefixed and (not country_id or prefixed == country_id):
                country_id, code = prefixed, _state_code(iso.group(2))
        if country_id:
            return self.states.get((country_id, code)) or self.states.get((country_id, key))
        for found in (self.states_by_name.get(key, []), self.states_by_code.get(code, [])):
            if len(found) == 1:
                return found[0].id
        return None

    def lang(self, value):
        value = value.strip()
        return self.langs.get(value.lower().replace("-", "_")) or self.langs.get(simple_key(value))


_STATE_COUNTRY_HINT = re.compile(r"^(.*\S)\s*\(([A-Za-z]{2})\)$")
_ISO_SUBDIVISION = re.compile(r"^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$")


def _state_code(value):
    """A state code as Odoo stores it, upper case, without dots or spaces: "n.s.w." -> "NSW"."""
    return re.sub(r"[\s.]", "", value or "").upper()


def _problem(record, column, code, severity, stage, template, /, **params):
    record.problems.append(Problem(record.row, column, code, severity, template, params, stage))


TRUTHY = frozenset(
    """1 true yes y x company entreprise societe firma unternehmen empresa
    oui ja si vrai wahr verdadero""".split()
)


def is_truthy(value):
    """Whether a cell of an "Is a Company" column says yes, in the usual spellings."""
    return simple_key(value or "") in TRUTHY


def _value_problem(record, column, code, severity, template, value):
    """A format problem about ``value`` in ``column``: the message names both."""
    _problem(record, column, code, severity, "format", template, value=value, column=column)


def _columns(headers, mapping):
    """target -> [column positions], in file order."""
    columns = {}
    for position, header in enumerate(headers):
        target = mapping.get(header)
        if target:
            columns.setdefault(target, []).append(position)
    return columns


def _first(raw, positions):
    for position in positions or ():
        value = clean_text(raw[position])
        if value:
            return value, position
    return "", (positions[0] if positions else None)


TAG_SPLIT = re.compile(r"[,;|]")


# A vCard file's rows are its cards: its messages say so.
ROW_NO_NAME = _lt("Row %(row)s has no name: a contact needs a name (or a first and last name).")
CARD_NO_NAME = _lt("Card %(row)s has no name: a contact needs a name.")
# A contact twice in the file: by its email, or by its name (and company) without one.
ROW_SAME_EMAIL = _lt("Row %(row)s has the same email as row %(first)s (%(what)s): one contact.")
CARD_SAME_EMAIL = _lt("Card %(row)s has the same email as card %(first)s (%(what)s): one contact.")
ROW_SAME_NAME = _lt("Row %(row)s has the same name as row %(first)s (%(what)s): one contact.")
CARD_SAME_NAME = _lt("Card %(row)s has the same name as card %(first)s (%(what)s): one contact.")
SAME_CONTACT = {  # (unit, by email) -> the message
    ("row", True): ROW_SAME_EMAIL,
    ("row", False): ROW_SAME_NAME,
    ("card", True): CARD_SAME_EMAIL,
    ("card", False): CARD_SAME_NAME,
}


def map_record(row, headers, columns, resolver, unit="row"):
    """Stages 1 and 2 for one row: a :class:`Record` with normalised values."""
    raw = row.values
    # Cells that do not fit the header are a problem of the row's format.
    record = Record(row.number, raw, {}, problems=[replace(p, stage="format") for p in row.problems])
    values = record.values
    header = headers.__getitem__

    # -- 1. required ---------------------------------------------------------------
    name, position = _first(raw, columns.get("name"))
    if not name:
        first, _p = _first(raw, columns.get("first_name"))
        last, _p = _first(raw, columns.get("last_name"))
        name = " ".join(part for part in (first, last) if part)
    company, company_position = _first(raw, columns.get("company"))
    # A row that is a company: said so ("Is a Company", "Company Type"...), or a row that
    # names a company and no person. It is imported as that company, with its own data.
    flag, _p = _first(raw, columns.get("is_company"))
    if "is_company" in columns:
        record.is_company = is_truthy(flag) and bool(name or company)
    else:
        record.is_company = not name and bool(company)
    if record.is_company:
        name = name or company
        company, company_position = name, position if position is not None else company_position
    named = columns.get("name") or columns.get("first_name") or columns.get("last_name")
    record.name_column = header(named[0]) if named else None
    if name:
        values["name"] = name
    else:
        _problem(
            record,
            record.name_column,
            "missing_name",
            ERROR,
            "required",
            CARD_NO_NAME if unit == "card" else ROW_NO_NAME,
            row=record.row,
        )

    # -- 2. formats ----------------------------------------------------------------
    value, position = _first(raw, columns.get("email"))
    record.email_column = header(position) if position is not None else None
    if value:
        email = normalize_email(value)
        if is_valid_email(email):
            values["email"] = email
        else:
            _value_problem(
                record,
                header(position),
                "invalid_email",
                ERROR,
                _lt("%(value)r in column %(column)s is not a valid email address."),
                value,
            )
    for target in ("phone", "mobile"):
        value, position = _first(raw, columns.get(target))
        if value:
            values[target] = value
            if not normalize_phone(value):
                _value_problem(
                    record,
                    header(position),
                    "invalid_phone",
                    WARNING,
                    _lt(
                        "%(value)r in column %(column)s does not look like a phone number; "
                        "it is imported as it is."
                    ),
                    value,
                )
    value, position = _first(raw, columns.get("website"))
    if value:
        url = normalize_url(value)
        if url:
            values["website"] = url
        else:
            _value_problem(
                record,
                header(position),
                "invalid_website",
                WARNING,
                _lt("%(value)r in column %(column)s is not a website address; it is not imported."),
                value,
            )
    value, position = _first(raw, columns.get("country"))
    country_id = None
    if value:
        country_id = resolver.country(value)
        if country_id:
            values["country_id"] = country_id
        else:
            _value_problem(
                record,
                header(position),
                "unknown_country",
                WARNING,
                _lt("Country %(value)r in column %(column)s is unknown; the contact gets no country."),
                value,
            )
    value, position = _first(raw, columns.get("state"))
    if value:
        state_id = resolver.state(value, country_id)
        if state_id:
            values["state_id"] = state_id
        else:
            _value_problem(
                record,
                header(position),
                "unknown_state",
                WARNING,
                _lt(
                    "State %(value)r in column %(column)s is unknown for this country; "
                    "the contact gets no state."
                ),
                value,
            )
    value, position = _first(raw, columns.get("lang"))
    if value:
        lang = resolver.lang(value)
        if lang:
            values["lang"] = lang
        else:
            _value_problem(
                record,
                header(position),
                "unknown_lang",
                WARNING,
                _lt("Language %(value)r in column %(column)s is not installed; the default is used."),
                value,
            )
    for target in ("function", "title", "street", "street2", "city", "zip", "ref"):
        value, _position = _first(raw, columns.get(target))
        if value:
            values[target] = value
    value, _position = _first(raw, columns.get("vat"))
    if value:
        values["vat"] = normalize_vat(value)
    tags = []
    for position in columns.get("tags", ()):
        tags.extend(t for t in (clean_text(p) for p in TAG_SPLIT.split(raw[position])) if t)
    if tags:
        values["tags"] = list(dict.fromkeys(tags))
    notes = [raw[p].strip() for p in columns.get("comment", ()) if raw[p].strip()]
    if notes:
        values["comment"] = "\n".join(notes)

    if company:
        record.company = company
        record.company_key = company_key(company)
        record.company_column = header(company_position) if company_position is not None else None
    for target in ("company_website", "company_vat", "company_email_domain"):
        value, _position = _first(raw, columns.get(target))
        if value:
            values[target] = value
    return record


def _duplicates(records, lookups, unit="row"):
    """Stage 3: the same contact twice in the file, or already in Odoo."""
    first_by_email, first_by_name = {}, {}
    emails_by_row = {r.row: r.values.get("email") for r in records}
    for record in records:
        if record.blocked or record.is_company:
            continue
        email = record.values.get("email")
        name_key = (simple_key(record.values.get("name", "")), record.company_key)
        first = first_by_email.get(email) if email else None
        if first is None and record.company_key and name_key[0]:
            first = first_by_name.get(name_key)
            # Same name at the same company but another email: two people, not one.
            if first is not None and email and emails_by_row.get(first) not in (None, email):
                first = None
        if first is not None:
            record.duplicate_of = first
            by_email = email and first_by_email.get(email) == first
            _problem(
                record,
                record.email_column if by_email else record.name_column,
                "duplicate_in_file",
                WARNING,
                "duplicate",
                SAME_CONTACT[unit, bool(by_email)],
                row=record.row,
                first=first,
                what=email if by_email else record.values.get("name"),
            )
        else:
            if email:
                first_by_email[email] = record.row
            if record.company_key and name_key[0]:
                first_by_name.setdefault(name_key, record.row)
        if email and email in lookups.existing_emails:
            record.existing_ids = tuple(lookups.existing_emails[email])
            several = len(record.existing_ids) > 1
            _problem(
                record,
                record.email_column,
                "exists_in_odoo",
                WARNING,
                "duplicate",
                _lt("%(count)s contacts with the email %(email)s already exist in Odoo.")
                if several
                else _lt("A contact with the email %(email)s already exists in Odoo."),
                email=email,
                count=len(record.existing_ids),
            )


def _reference(records, lookups, threshold):
    """Stage 4: group rows by company, match each company against Odoo."""
    country_codes = {c.id: c.code.upper() for c in lookups.countries}
    entries = (
        (
            r.company,
            r.row,
            r.values.get("email", ""),
            r.values.get("company_vat", ""),
            r.values.get("company_website", "") or r.values.get("company_email_domain", ""),
            country_codes.get(r.values.get("country_id"), ""),
            r.values.get("city", ""),
        )
        for r in records
        if r.company_key and not r.blocked
    )
    clusters = matching.cluster_companies(entries)
    by_row = {r.row: r for r in records}
    for key, cluster in clusters.items():
        # spellings merged into one company, or one name split into two legal entities:
        # the rows follow the key of their company of the file
        for row in cluster.rows:
            by_row[row].company_key = key
    index = matching.CompanyIndex(lookups.companies, lookups.aliases)
    matches = matching.match_all(clusters, index, threshold)
    for key, match in matches.items():
        if match.status == matching.MATCHED:
            continue
        said = {}  # spelling -> its message: one for all the rows that spell the company so
        for row in clusters[key].rows:
            record = by_row[row]
            message = said.get(record.company)
            if message is None:
                message = said[record.company] = _company_message(match, record.company)
            code, template, params = message
            record.problems.append(
                Problem(record.row, record.company_column, code, WARNING, template, params, "reference")
            )
    return clusters, matches


def _company_message(match, company):
    """(code, template, params) of the warning of a row whose company ``company`` is not
    matched for sure (``match``)."""
    if match.status == matching.CONTESTED:
        found = match.tied[0]
        return (
            "company_contested",
            _lt(
                "Company %(company)r has the name of %(name)s in Odoo, but: %(against)s. "
                "Confirm the link in Reference Data, or create a new company."
            ),
            {
                "company": company,
                "name": found.name,
                "against": nested(found.against[0].template, found.against[0].params),
            },
        )
    if match.status == matching.AMBIGUOUS:
        return (
            "company_ambiguous",
            _lt("Company %(company)r matches %(count)s companies in Odoo; choose one in Reference Data."),
            {"company": company, "count": len(match.tied)},
        )
    if match.status == matching.ARCHIVED:
        return (
            "company_archived",
            _lt(
                "Company %(company)r is archived in Odoo (%(name)s); in Reference Data, "
                "link and unarchive it or create a new one."
            ),
            {"company": company, "name": match.tied[0].name},
        )
    return (
        "company_unmatched",
        _lt("Company %(company)r is not in Odoo; decide what to do in Reference Data."),
        {"company": company},
    )


def validate(rows, headers, mapping, lookups, threshold=matching.DEFAULT_FUZZY_THRESHOLD, unit="row"):
    """Run the four stages over ``rows`` (reader rows) mapped by ``mapping`` (header -> target).
    ``unit`` is what a row is called in messages: "row", or "card" for a vCard file."""
    # Mapping problems are file-level problems of the "required" stage.
    file_problems = [replace(p, stage="required") for p in check_mapping(mapping)]
    columns = _columns(headers, mapping)
    resolver = _Resolver(lookups)
    records = [map_record(row, headers, columns, resolver, unit) for row in rows]
    if lookups.find_emails is not None:
        emails = {r.values["email"] for r in records if r.values.get("email") and not r.is_company}
        lookups = replace(lookups, existing_emails=lookups.find_emails(emails) if emails else {})
    _duplicates(records, lookups, unit)
    clusters, matches = _reference(records, lookups, threshold)
    problems = file_problems + [p for r in records for p in r.problems]
    return Result(list(headers), records, problems, clusters, matches)
