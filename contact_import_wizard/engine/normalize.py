"""Normalisation of the values a contact file holds: text, emails, phones, URLs, VAT
numbers and, above all, company names, whose normalised *key* drives matching."""

import functools
import re
import unicodedata
from urllib.parse import urlsplit

# Legal forms, as tokens left once dots are removed and other punctuation is a space:
# "S.A." -> "sa", "GmbH & Co. KG" -> "gmbh and co kg", "A/S" -> "as".
LEGAL_FORMS = frozenset(
    """
    inc incorporated corp corporation co company llc llp lp ltd limited plc pty pte
    gmbh mbh ag kg ohg ug kgaa ev eg
    sa sas sasu sarl eurl sca scs snc sci scop
    bv nv vof cv
    spa srl sapa snc srls
    sl slu sll cv
    oy oyj ab as asa aps
    kk yk
    sro as zrt kft bhd sdn
    """.split()
)
# Tokens joining legal forms at the end of a name ("GmbH & Co KG", "Pty Ltd").
CONNECTORS = frozenset({"and", "und", "et", "y", "de"})
FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.fr hotmail.de hotmail.es
    hotmail.co.uk live.com live.fr live.de msn.com yahoo.com yahoo.fr yahoo.de yahoo.es
    yahoo.co.uk ymail.com aol.com icloud.com me.com mac.com gmx.de gmx.net gmx.com web.de
    t-online.de orange.fr wanadoo.fr free.fr laposte.net sfr.fr protonmail.com proton.me
    mail.com yandex.ru yandex.com mail.ru zoho.com qq.com 163.com 126.com libero.it
    virgilio.it tiscali.it seznam.cz wp.pl o2.pl interia.pl telefonica.net terra.es
    """.split()
)

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SLASHED_INITIALS = re.compile(r"\b(\w)\s*/\s*(\w)\b")
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
_HOSTNAME = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
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


@functools.lru_cache(maxsize=65536)  # a file repeats its companies on many rows
def company_key(name):
    """The matching key of a company name.

    Insensitive to case, accents, punctuation, ``&``/``and``, white space, a leading
    "The" and trailing legal forms: "The Blue-River Foods, Inc." -> "blue river foods".
    """
    value = strip_accents(name or "").casefold()
    value = value.replace("&", " and ").replace("+", " and ")
    value = _SLASHED_INITIALS.sub(r"\1\2", value)  # A/S -> as, S/A -> sa
    value = value.replace(".", "").replace("'", "").replace("\u2019", "")
    tokens = _PUNCT.sub(" ", value).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    # Drop trailing legal forms, and a connector only right before one that was dropped.
    after_legal_form = False
    while len(tokens) > 1:
        if tokens[-1] in LEGAL_FORMS:
            after_legal_form = True
        elif not (after_legal_form and tokens[-1] in CONNECTORS):
            break
        tokens.pop()
    return " ".join(tokens)


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


def is_free_mail(domain):
    return domain in FREE_MAIL_DOMAINS


def normalize_url(value):
    """A website as Odoo stores it ("https://example.com/path"), or "" if it is not one."""
    value = clean_text(value)
    if not value:
        return ""
    candidate = value if "://" in value else "https://" + value
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not _HOSTNAME.match(host) or " " in value:
        return ""
    return candidate if "://" in value else "https://" + value


def url_domain(value):
    """The registrable part of a website's host: "https://www.Example.com/x" -> "example.com"."""
    url = normalize_url(value)
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
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
