"""Normalisation of the values a contact file holds: text, emails, phones, URLs, VAT
numbers and, above all, company names, whose normalised *key* drives matching."""

import functools
import re
import unicodedata
from collections import namedtuple
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).with_name("data")
# Tokens joining legal forms at the end of a name ("GmbH & Co KG", "S.A. de C.V.").
CONNECTORS = frozenset({"and", "und", "u", "et", "y", "de"})
# How a "&" inside a legal form may also be written ("GmbH und Co. KG", "GmbH Co KG").
_AND_VARIANTS = ("and", "und", "u", "et", None)

# Runs of white space to collapse: a single plain space is left as it is, so that most
# values come back as the very string given (no copy of every cell of a large file).
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SLASHED_INITIALS = re.compile(r"\b(\w)\s*/\s*(\w)\b")
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
_HOSTNAME = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PLAIN_WEBSITE = re.compile(r"(?:https?://)?([a-z0-9.-]+)(?:[/?#]\S*)?", re.IGNORECASE)
_PHONE_ALLOWED = re.compile(r"^\+?[\d\s().\-/]+((x|ext\.?|extension)\s*\d{1,6})?$", re.IGNORECASE)


def clean_text(value):
    """Trim and collapse runs of white space (new lines included) to one space."""
    if not value:
        return ""
    return _SPACES.sub(" ", value).strip()


def strip_accents(value):
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def simple_key(value):
    """Case-, accent- and punctuation-insensitive form of a short text (headers, names)."""
    value = strip_accents(value or "").casefold()
    return clean_text(_PUNCT.sub(" ", value))


def _name_tokens(value):
    """The words of a company name or legal form once case, accents, dots, apostrophes and
    other punctuation are gone: "S.A." -> ["sa"], "GmbH & Co. KG" -> ["gmbh", "and", "co", "kg"]."""
    value = strip_accents(value or "").casefold()
    value = value.replace("&", " and ").replace("+", " and ")
    if "/" in value:
        value = _SLASHED_INITIALS.sub(r"\1\2", value)  # A/S -> as, S/A -> sa
    value = value.replace(".", "").replace("'", "").replace("\u2019", "")
    return _PUNCT.sub(" ", value).split()


def _read_lines(name):
    """The lines of a data file that are neither empty nor comments."""
    with open(DATA / name, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


# Spelled-out letters ("Müller" -> "Mueller", "Ørsted" -> "Oersted") and letters that
# have no accent to strip ("Møller" -> "Moller", "Łódź" -> "Lodz").
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "æ": "ae", "å": "aa", "œ": "oe"})
_FOLDED = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


LegalForm = namedtuple("LegalForm", "id countries label")


def _spelling_variants(spelling):
    """The token tuples a legal form's spelling stands for: as written, with umlauts
    spelled out ("haftungsbeschraenkt"), and with its "&" as "und", "u.", "et" or none."""
    variants = set()
    for written in (spelling, spelling.casefold().translate(_SPELLED_OUT)):
        tokens = tuple(_name_tokens(written))
        if "and" not in tokens:
            variants.add(tokens)
            continue
        at = tokens.index("and")
        variants.update(tokens[:at] + ((word,) if word else ()) + tokens[at + 1 :] for word in _AND_VARIANTS)
    return variants


def _load_legal_forms():
    """(spellings: token tuple -> form id, forms: id -> LegalForm, equivalent: {a, b} -> countries)."""
    spellings, forms, equivalent = {}, {}, {}
    for line in _read_lines("legal_forms.txt"):
        if line.startswith("="):
            countries, ids = (part.split() for part in line[1:].split("|"))
            for position, first in enumerate(ids):
                for second in ids[position + 1 :]:
                    pair = frozenset((first, second))
                    equivalent[pair] = equivalent.get(pair, frozenset()) | frozenset(countries)
            continue
        form_id, countries, label, written = (part.strip() for part in line.split("|"))
        forms[form_id] = LegalForm(form_id, frozenset(countries.split()), label)
        for spelling in written.split(";"):
            for variant in _spelling_variants(spelling):
                known = spellings.setdefault(variant, form_id)
                if known != form_id:
                    raise ValueError(f"legal form spelling {spelling!r} is both {known} and {form_id}")
    unknown = {i for pair in equivalent for i in pair} - set(forms)
    if unknown:
        raise ValueError(f"equivalence of unknown legal forms {sorted(unknown)}")
    return spellings, forms, equivalent


_FORM_SPELLINGS, LEGAL_FORM_TABLE, _EQUIVALENT_FORMS = _load_legal_forms()
_FORM_ENDINGS = frozenset(spelling[-1] for spelling in _FORM_SPELLINGS)
_LONGEST_FORM = max(map(len, _FORM_SPELLINGS))
NO_FORM = "-"  # an ending such as "& Co." or "Company": dropped, but no legal form
# Every word that ends a legal form, as company_key() drops them ("gmbh", "ltd", "kk"...).
LEGAL_FORMS = frozenset(s[0] for s in _FORM_SPELLINGS if len(s) == 1)

CompanyName = namedtuple("CompanyName", "key forms")


def read_company_name(name):
    """A company name's key and the ids of its explicit legal forms (uncached).

    "Müller Bau GmbH & Co. KG" -> ("muller bau", ("gmbh_co_kg",)); "Smith & Co" ->
    ("smith", ()) since "& Co" says nothing of the legal form.
    """
    tokens = _name_tokens(name)
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    # Drop trailing legal forms (the longest spelling first), and a connector only right
    # before one that was dropped; one word always stays.
    forms = []
    dropped = False
    while len(tokens) > 1:
        last = tokens[-1]
        if last in _FORM_ENDINGS:
            form = None
            for size in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
                form = _FORM_SPELLINGS.get(tuple(tokens[-size:]))
                if form is not None:
                    break
            if form is not None:
                del tokens[-size:]
                dropped = True
                if form != NO_FORM:
                    forms.append(form)
                continue
        if not (dropped and last in CONNECTORS):
            break
        tokens.pop()
    forms.reverse()
    return CompanyName(" ".join(tokens), tuple(forms))


# A file repeats its companies on many rows.
parse_company_name = functools.lru_cache(maxsize=65536)(read_company_name)


def company_key(name):
    """The matching key of a company name.

    Insensitive to case, accents, punctuation, ``&``/``and``, white space, a leading
    "The" and trailing legal forms: "The Blue-River Foods, Inc." -> "blue river foods".
    """
    return parse_company_name(name).key


def legal_forms(name):
    """Ids of the explicit legal forms a company name ends with: "Acme S.A. de C.V." -> ("sa",)."""
    return parse_company_name(name).forms


def legal_form_label(form_id):
    """How a legal form is usually written: "gmbh_co_kg" -> "GmbH & Co. KG"."""
    form = LEGAL_FORM_TABLE.get(form_id)
    return form.label if form else form_id


def legal_forms_compatible(forms, other, countries=()):
    """Whether two names' legal forms may be one legal entity.

    True when either has no explicit form, when they share a form (whatever its spelling:
    "GmbH" / "mbH", "Ltd" / "Limited"), or when the forms are one entity in one of
    ``countries`` (ISO codes of the company or its contacts: a Swiss "AG" is its "SA").
    False for two entities: "GmbH" / "Ltd", "AG" / "Inc.", "SA" / "BV", "GmbH" / "GmbH & Co. KG".
    """
    if not forms or not other:
        return True
    for form in forms:
        for another in other:
            if form == another:
                return True
            where = _EQUIVALENT_FORMS.get(frozenset((form, another)))
            if where and not where.isdisjoint(countries):
                return True
    return False


def spelling_keys(name, key=None):
    """Every key a spelling of ``name`` has, its company key first (``key``, when known):
    "Müller AG" -> ("muller", "mueller"); "Møller A/S" -> ("møller", "moeller", "moller").
    Two names sharing one are one name written with or without umlauts (not a typo)."""
    if key is None:
        key = parse_company_name(name).key
    if not name or name.isascii():
        return (key,)
    spelled = read_company_name(name.casefold().translate(_SPELLED_OUT)).key
    return tuple(dict.fromkeys((key, spelled, key.translate(_FOLDED))))


def normalize_email(value):
    """Trimmed, lowercased email, with a ``mailto:`` prefix and angle brackets removed."""
    value = clean_text(value).lower()
    if value.startswith("mailto:"):
        value = value[7:]
    return value.strip("<>").strip()


def is_valid_email(value):
    return bool(value) and len(value) <= 254 and bool(_EMAIL.match(value))


def email_domain(value):
    """The domain of an email address, or "" for none."""
    _local, sep, domain = (value or "").rpartition("@")
    return domain.lower().strip() if sep else ""


# Loaded once: see the data file for its source and licence.
FREE_MAIL_DOMAINS = frozenset(_read_lines("free_mail_domains.txt"))


def is_free_mail(domain):
    """Whether ``domain`` belongs to a free or disposable mail provider (gmail.com, web.de,
    yahoo.co.jp, pm.me...): an address there says nothing about a person's company."""
    return (domain or "").strip().lower().rstrip(".") in FREE_MAIL_DOMAINS


# Second-level labels under which countries register domains: "acme.co.uk", "acme.com.au".
_SECOND_LEVEL = frozenset("co com net org gov edu ac or ne go gv ltd plc nom gob gouv asso".split())


def registrable_domain(domain):
    """The part of a domain a company registers: "shop.acme.co.uk" -> "acme.co.uk".

    A heuristic (no public suffix list): two labels, three under a country's
    second-level label."""
    labels = [label for label in (domain or "").strip().lower().rstrip(".").split(".") if label]
    size = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-size:])


def domain_label(domain):
    """The name in a domain: "www.mueller-bau.de" -> "mueller-bau", "acme.co.uk" -> "acme"."""
    return registrable_domain(domain).split(".")[0]


def _website(value):
    """(website as Odoo stores it, its lowercased host), or ("", "") if it is not one."""
    value = clean_text(value)
    if not value:
        return "", ""
    candidate = value if "://" in value else "https://" + value
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", ""
    if parts.scheme not in ("http", "https") or not _HOSTNAME.match(host) or " " in value:
        return "", ""
    return candidate, host


def normalize_url(value):
    """A website as Odoo stores it ("https://example.com/path"), or "" if it is not one."""
    return _website(value)[0]


def url_domain(value):
    """The registrable part of a website's host: "https://www.Example.com/x" -> "example.com"."""
    # Most websites are plain: read them without urlsplit (a database has many of them).
    plain = _PLAIN_WEBSITE.fullmatch(value.strip()) if value else None
    host = plain.group(1).lower() if plain else ""
    if not _HOSTNAME.match(host):
        host = _website(value)[1]
    return host[4:] if host.startswith("www.") else host


def normalize_phone(value):
    """Trimmed phone as typed, or "" if it does not look like a phone number.

    Plausible: digits with the usual separators, an optional leading "+" and an
    optional extension, 6 to 15 digits (E.164 allows 15).
    """
    value = clean_text(value)
    if not value:
        return ""
    if not _PHONE_ALLOWED.match(value):
        return ""
    main = re.split(r"(?i)x|ext", value)[0]
    digits = sum(ch.isdigit() for ch in main)
    return value if 6 <= digits <= 15 else ""


def normalize_vat(value):
    """VAT number without spaces, dots or dashes, upper case: "de 123.456-789" -> "DE123456789"."""
    return re.sub(r"[\s.\-/]", "", value or "").upper()


_NUMBER = re.compile(r"\d+")


def name_numbers(name):
    """The numbers in a company name, in order, without leading zeros: "Store 012" ->
    ("12",). Names whose numbers differ name different companies (branches, units)."""
    return tuple(number.lstrip("0") or "0" for number in _NUMBER.findall(name or ""))
