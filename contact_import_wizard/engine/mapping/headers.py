"""Reading a header on its own: the field it names, with its qualifier and number.

Exporters name columns as a qualifier plus a field ("Business City", "Mailing Zip/Postal
Code", "Home Phone 2"), as numbered groups ("E-mail 2 Address", "Address 1 - City",
"Phone 1 - Label"), behind an entity ("Person - Email - Work", "Account.Name"), in API
form ("MailingPostalCode", "MAILINGCITY"), or as columns that are no contact data at all:
a label describing another column, the record's owner or dates, another person's name.
:func:`read_header` tells them apart; :mod:`..mapping` then chooses among the columns.
"""

import functools
import re
from dataclasses import dataclass

from .targets import SECONDARY, SYNONYMS, header_key

# What a column is, when it is not a contact field.
FIELD = "field"
DESCRIBES = "describes"  # a label, type or display name of another column
FORMATTED = "formatted"  # a whole address repeating its parts
RECORD = "record"  # about the record: owner, dates, source, stage, counters
RELATED_ID = "related_id"  # the identifier of another record (account, owner...)
OTHER_PERSON = "other_person"  # assistant, manager, spouse...
NO_FIELD = "no_field"  # real data Odoo contacts have no field for
COMPANY_SIDE = "company_side"  # the company's data, not the contact's
OTHER_RECORD = "other_record"  # a deal's or a lead's data in a people export

ADDRESS_TARGETS = frozenset({"street", "street2", "city", "zip", "state", "country"})

QUALIFIERS = {
    "business": "work",
    "work": "work",
    "office": "work",
    "professional": "work",
    "professionnel": "work",
    "professionnelle": "work",
    "pro": "work",
    "bureau": "work",
    "travail": "work",
    "geschaftlich": "work",
    "dienstlich": "work",
    "buro": "work",
    "arbeit": "work",
    "trabajo": "work",
    "oficina": "work",
    "home": "home",
    "private": "home",
    "personal": "home",
    "personnel": "home",
    "personnelle": "home",
    "perso": "home",
    "domicile": "home",
    "prive": "home",
    "privee": "home",
    "privat": "home",
    "casa": "home",
    "domicilio": "home",
    "particular": "home",
    "other": "other",
    "autre": "other",
    "andere": "other",
    "sonstige": "other",
    "otro": "other",
    "otra": "other",
    "alternate": "other",
    "alternative": "other",
    "secondary": "other",
    "additional": "other",
    "mailing": "mailing",
    "postal": "mailing",
    "billing": "billing",
    "invoice": "billing",
    "invoicing": "billing",
    "facturation": "billing",
    "rechnung": "billing",
    "facturacion": "billing",
    "shipping": "shipping",
    "delivery": "shipping",
    "livraison": "shipping",
    "lieferung": "shipping",
    "envio": "shipping",
    "primary": "primary",
    "main": "primary",
    "principal": "primary",
    "default": "primary",
    "preferred": "primary",
    "company": "company",
}

# Preference among columns of one kind of field, by qualifier (lower is better). The
# brief of every exporter: business first for phones and addresses; for e-mail the
# unqualified (primary) address first, as that is the one people are known by.
QUALIFIER_RANKS = {
    "email": {"primary": 0, "": 0, "work": 1, "company": 2, "home": 3, "other": 4},
    "phone": {"work": 0, "primary": 1, "": 1, "company": 2, "home": 3, "other": 4},
    "address": {
        "work": 0,
        "": 1,
        "mailing": 1,
        "primary": 1,
        "company": 2,
        "billing": 2,
        "home": 3,
        "shipping": 4,
        "other": 4,
    },
    "": {"work": 0, "primary": 0, "": 0, "mailing": 1, "company": 1, "home": 2, "billing": 2, "other": 3},
}


def family(target):
    """Which qualifier ranking a target follows."""
    if target in ADDRESS_TARGETS:
        return "address"
    if target in ("phone", "mobile"):
        return "phone"
    if target == "email":
        return "email"
    return ""


# Words that make a column about something else than the person's own data.
RECORD_WORDS = frozenset(
    """
    owner owners created create creator creation modified modify updated update changed
    date time timestamp datetime timezone lifecycle stage status source lead ip visible
    visibility score rating quarantine quarantined bounce bounced unsubscribed unsubscribe
    opted opt optout consent legal basis processing sequence sequences workflow campaign
    conversion conversions pageviews sessions session activity activities engagement
    deal deals ticket tickets open call
    deleted locked enrich enriched enrichment messages count received sent marketing
    contacted persona priority sensitivity hubspot nps survey registration registered
    membership message recent latest original drill likelihood close closed won lost
    total done visitor visits visited chats referring referrer seen click clicked booking
    meeting meetings medium form forms submissions submitted assigned salesperson
    confirmed confirmation verified invalid payment subscription subscriptions sends
    connected became vendor territory territories currency exchange
    proprietaire creation cree creee modifie modification besitzer inhaber erstellt
    geandert datum propietario creacion modificado fecha
    """.split()
)
OTHER_PERSON_WORDS = frozenset(
    "assistant assistants asst manager managers spouse children child referred reports reporting"
    " supervisor secretary emergency relation".split()
)
NO_FIELD_WORDS = frozenset(
    """
    department fax telefax pager telex isdn callback car radio tty tdd photo picture avatar
    image birthday birthdate anniversary gender sex hobby hobbies nickname initials suffix
    middle maiden latitude longitude geocode box twitter skype linkedin facebook instagram
    xing im messenger whatsapp wechat profession school degree graduation study seniority
    marital military industry revenue employees size government organizational passport
    house district sublocality neighborhood location short
    abteilung departamento anniversaire naissance geburtstag geburtsdatum cumpleanos
    nacimiento suffixe birth
    """.split()
)
DESCRIBER_WORDS = frozenset(
    "label type kind display formatted combined yomi phonetic service typ tipo angezeigter".split()
)
ID_WORDS = frozenset({"id", "ids", "guid", "uuid"})
REF_WORDS = frozenset({"record", "contact", "person", "customer", "client", "external"})
FILLER_WORDS = frozenset({"of", "the", "s", "de", "du", "des", "der", "la", "le", "el", "no", "nr", "number"})
NO_FIELD_PHRASES = frozenset(
    {
        "date of birth",
        "file as",
        "additional name",
        "short name",
        "middle name",
        "maiden name",
        "name suffix",
        "organization department",
        "organisation department",
        "house number",
        "po box",
        "instant messenger",
        "custom field",
        "deuxieme prenom",
        "weitere vornamen",
        "segundo nombre",
    }
)
ENTITY_PERSON = frozenset({"person", "contact", "people"})
ENTITY_COMPANY = frozenset({"organization", "organisation", "org", "company", "account"})
ENTITY_OTHER = frozenset({"deal", "lead", "opportunity", "activity", "product", "ticket", "note"})
# What the part after an entity names on the company side: "Organization - Name".
COMPANY_PARTS = {
    "name": "company",
    "website": "company_website",
    "web site": "company_website",
    "website url": "company_website",
    "url": "company_website",
    "domain": "company_website",
    "tax id": "company_vat",
    "vat": "company_vat",
    "vat number": "company_vat",
}

# Google's numbered groups: "<Base> <n> - <Part>".
GROUP_BASES = {
    "email": "email",
    "e mail": "email",
    "phone": "phone",
    "website": "website",
    "address": "address",
    "organization": "organization",
    "organisation": "organization",
    "im": NO_FIELD,
    "relation": OTHER_PERSON,
    "event": NO_FIELD,
    "custom field": NO_FIELD,
    "external id": NO_FIELD,
    "calendar link": NO_FIELD,
    "jot": NO_FIELD,
    "location": NO_FIELD,
    "sip address": NO_FIELD,
}
GROUP_PARTS = {
    "label": DESCRIBES,
    "type": DESCRIBES,
    "service": DESCRIBES,
    "formatted": FORMATTED,
    "value": "",
    "street": "street",
    "city": "city",
    "region": "state",
    "postal code": "zip",
    "country": "country",
    "extended address": "street2",
    "po box": NO_FIELD,
    "neighborhood": NO_FIELD,
}
ORGANIZATION_PARTS = {"name": "company", "title": "function"}

_DASHES = re.compile(r"\s+[-\u2013\u2014]\s+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NUMBERED = re.compile(r"^(.*?)\s*(\d+)$")
_ZOHO_ID = re.compile(r"^(.+)\.id$", re.IGNORECASE)
_PATH = re.compile(r"^([A-Za-z]+)\.([A-Za-z]+)$")
_OF_ADDRESS = re.compile(r"^(.*\S)\s+of\s+(\S.*address.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What one header says.

    ``target`` is the field it names (None when it names none; ``kind`` then says why);
    ``qualifier`` the normalised qualifier ("work", "home", "mailing"...), ``index`` its
    number (0 for none), ``group`` the numbered or named group it belongs to ("address 1",
    "postal address"), ``rank`` how secondary its name is, ``score`` how sure the reading
    is (100 exact; a fuzzy reading's similarity) and ``synonym`` what a fuzzy one is like.
    """

    target: str | None
    kind: str = FIELD
    qualifier: str = ""
    index: int = 0
    group: str = ""
    rank: int = 0
    score: int = 100
    synonym: str = ""


@functools.cache
def _vocabulary():
    words = set()
    for phrase in SYNONYMS:
        words.update(phrase.split())
    words.update(QUALIFIERS, RECORD_WORDS, OTHER_PERSON_WORDS, NO_FIELD_WORDS, DESCRIBER_WORDS, ID_WORDS)
    words.update("is has do not call of out to by system modstamp accuracy code jigsaw clean".split())
    words.update("mailing other individual master viewed referenced url reason".split())
    return frozenset(w for w in words if len(w) > 1 and w.isalpha())


def _segment(word):
    """Split a run of letters into vocabulary words ("mailingpostalcode"), or None."""
    vocabulary, best = _vocabulary(), {0: []}
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            if start in best and word[start:end] in vocabulary:
                candidate = [*best[start], word[start:end]]
                if end not in best or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best.get(len(word))


def _plain(header):
    """The header as words: API names split ("MailingPostalCode", "MAILINGCITY")."""
    text = re.sub(r"__c$", "", header.strip()).replace("_", " ")
    if " " not in text and "-" not in text and "/" not in text:
        text = _CAMEL.sub(" ", text)
        if " " not in text and len(text) > 5 and text.isalpha() and header_key(text) not in SYNONYMS:
            words = _segment(text.lower())
            if words:
                text = " ".join(words)
    return text


def read_header(header):
    """The :class:`Reading` of a header, or None when nothing in it is known."""
    text = _plain(header)
    if not header_key(text):
        return None
    if _ZOHO_ID.match(text):
        return Reading(None, RELATED_ID)
    path = _PATH.match(text)
    if path and path.group(1).lower() in ENTITY_COMPANY | ENTITY_PERSON | ENTITY_OTHER:
        # A relationship field of an API export: "Account.Name", "Owner.Name".
        return _read_entity(path.group(1), path.group(2))
    parts = _DASHES.split(text)
    if len(parts) > 1:
        reading = _read_parts(parts)
        if reading is not None:
            return reading
        text = " ".join(parts)
    return _read_phrase(text)


def _read_entity(entity, rest):
    entity_key = header_key(entity)
    if entity_key in ENTITY_OTHER:
        return Reading(None, OTHER_RECORD)
    if entity_key in ENTITY_COMPANY:
        part = header_key(rest)
        if part in COMPANY_PARTS:
            return Reading(COMPANY_PARTS[part])
        inner = _read_phrase(rest)
        if inner is not None and inner.kind in (RECORD, RELATED_ID, NO_FIELD):
            return inner
        return Reading(None, COMPANY_SIDE)
    return _read_phrase(rest)


def _read_parts(parts):
    first, rest = parts[0], parts[1:]
    first_key = header_key(first)
    if first_key in ENTITY_PERSON | ENTITY_COMPANY | ENTITY_OTHER:
        if first_key in ENTITY_PERSON:
            inner = " - ".join(rest)
            return read_header(inner)
        return _read_entity(first, " ".join(rest))
    if len(parts) != 2:
        return None
    second = header_key(parts[1])
    numbered = _NUMBERED.match(first)
    if numbered and header_key(numbered.group(1)) in GROUP_BASES:
        return _read_group(header_key(numbered.group(1)), int(numbered.group(2)), second)
    if second in QUALIFIERS or second in ("mobile", "cell"):
        inner = _read_phrase(first)
        if inner is not None and inner.target:
            if second in ("mobile", "cell") and inner.target == "phone":
                return Reading("mobile", rank=inner.rank)
            return Reading(inner.target, qualifier=QUALIFIERS.get(second, ""), rank=inner.rank)
    return None


def _read_group(base_key, index, part):
    base = GROUP_BASES[base_key]
    group = f"{base_key} {index}"
    if base in (NO_FIELD, OTHER_PERSON):
        kind = DESCRIBES if GROUP_PARTS.get(part) == DESCRIBES else base
        return Reading(None, kind, index=index, group=group)
    if base == "organization":
        target = ORGANIZATION_PARTS.get(part)
        if target:
            return Reading(target, index=index, group=group)
        kind = DESCRIBES if GROUP_PARTS.get(part) == DESCRIBES else NO_FIELD
        return Reading(None, kind, index=index, group=group)
    meaning = GROUP_PARTS.get(part, NO_FIELD)
    if meaning in (DESCRIBES, FORMATTED, NO_FIELD):
        return Reading(None, meaning, index=index, group=group)
    if base == "address":
        if meaning in ADDRESS_TARGETS:
            return Reading(meaning, index=index, group=group)
        return Reading(None, NO_FIELD, index=index, group=group)
    if meaning == "":
        return Reading(base, index=index, group=group)
    return Reading(None, NO_FIELD, index=index, group=group)


def _qualifier_inside(phrase, target):
    """The qualifier a synonym itself starts with: "business phone" is a work phone (but
    "zip postal code" is no mailing zip)."""
    first, _sep, rest = phrase.partition(" ")
    if first in QUALIFIERS and SYNONYMS.get(rest) == target:
        return QUALIFIERS[first]
    return ""


def _field(phrase, target, qualifier="", index=0, group=""):
    rank = SECONDARY.get(phrase, 0)
    qualifier = qualifier or _qualifier_inside(phrase, target)
    if target == "street" and index >= 2:
        # "Business Street 2" is the second line of one address, not a second address.
        if index > 2:
            return Reading(None, NO_FIELD, qualifier=qualifier, group=group)
        target, index = "street2", 0
    return Reading(target, qualifier=qualifier, index=index, group=group, rank=rank)


def _read_phrase(text):
    group = ""
    of = _OF_ADDRESS.match(text)
    if of:
        # Pipedrive: "City/town/village/locality of Postal address".
        text, group = of.group(1), header_key(of.group(2))
    key = header_key(text)
    if key in SYNONYMS:
        return _field(key, SYNONYMS[key], group=group)
    if key in NO_FIELD_PHRASES:
        return Reading(None, NO_FIELD, group=group)
    words = key.split()
    numbers = [int(w) for w in words if w.isdecimal()]
    plain = [w for w in words if not w.isdecimal()]
    index = numbers[0] if numbers else 0
    if numbers and " ".join(plain) in SYNONYMS:
        phrase = " ".join(plain)
        return _field(phrase, SYNONYMS[phrase], index=index, group=group)
    if "/" in text:
        # "Street/road name", "Apartment/suite no": the first alternative is the field.
        first = _read_phrase(text.split("/")[0])
        if first is not None and first.kind == FIELD:
            return Reading(first.target, qualifier=first.qualifier, group=group, rank=first.rank)
    if words[:2] == ["number", "of"]:
        return Reading(None, RECORD)
    if len(plain) > 1 and DESCRIBER_WORDS & set(plain):
        kind = FORMATTED if {"formatted", "combined"} & set(plain) else DESCRIBES
        return Reading(None, kind, index=index, group=group)
    for phrase in NO_FIELD_PHRASES:
        if f" {phrase} " in f" {' '.join(plain)} ":
            return Reading(None, NO_FIELD, group=group)
    if len(plain) > 1 and plain[-1] in ID_WORDS:
        # "Account ID", "Organization ID": another record's identifier ("Contact ID",
        # the record's own, is a synonym of the reference).
        rest = plain[:-1]
        kind = _kind_of(rest)
        if kind is not None:
            return Reading(None, kind, group=group)
        if set(rest) <= REF_WORDS:
            return Reading("ref", group=group)
        return Reading(None, RELATED_ID, group=group)
    found = _longest_synonym(plain)
    leftover = plain if found is None else plain[: found[1]] + plain[found[2] :]
    kind = _kind_of(leftover)
    if kind is not None:
        return Reading(None, kind, group=group)
    if found is None:
        return None
    phrase = found[0]
    target = SYNONYMS[phrase]
    if any(w not in QUALIFIERS and w not in FILLER_WORDS for w in leftover):
        return None
    if "number" in leftover and target not in ("phone", "mobile"):
        # "Customer Number", "Account Number": the number of another record.
        return Reading(None, RELATED_ID, group=group)
    qualifiers = [QUALIFIERS[w] for w in leftover if w in QUALIFIERS]
    return _field(phrase, target, qualifier=qualifiers[0] if qualifiers else "", index=index, group=group)


def _longest_synonym(words):
    """The longest run of words that is a synonym: (phrase, start, end), the rightmost on ties."""
    best = None
    for size in range(min(len(words), 5), 0, -1):
        for start in range(len(words) - size, -1, -1):
            phrase = " ".join(words[start : start + size])
            if phrase in SYNONYMS:
                best = (phrase, start, start + size)
                break
        if best:
            return best
    return None


def _kind_of(words):
    """The kind the non-field words of a header give it, if any ("Birth Date" is data
    Odoo has no field for before it is a date of the record)."""
    words = set(words)
    if words & OTHER_PERSON_WORDS:
        return OTHER_PERSON
    if words & NO_FIELD_WORDS:
        return NO_FIELD
    if words & RECORD_WORDS:
        return RECORD
    return None
