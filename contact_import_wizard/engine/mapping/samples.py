"""What a column's values look like: e-mail addresses, phone numbers, countries...

The mapping reads headers first; the values then support a guess, contradict it, or
suggest a field for a header nobody knows. Only a bounded number of distinct values per
column is looked at, so a 100-column file with 1,000 sampled rows stays fast.
"""

import re
from collections import Counter
from dataclasses import dataclass

from ..countries import country_code
from ..messages import _lt
from ..normalize import is_valid_email, normalize_email, normalize_phone, simple_key

# Distinct values looked at per column, among the first MAX_SCANNED sampled ones.
MAX_DISTINCT = 40
MAX_SCANNED = 200

EMAIL, PHONE, URL, COUNTRY, ZIP, TITLE = "email", "phone", "url", "country", "zip", "title"
DATE, NUMBER, FLAG, TEXT = "date", "number", "flag", "text"

# Courtesy titles in the four languages of the synonym lists (simple_key forms, one word each).
COURTESY_WORDS = frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lord lady rev fr
    herr frau fraulein dipl ing med mag
    m mme mlle me monsieur madame mademoiselle pr docteur maitre
    sr sra srta don dona senor senora senorita dott dra
    doctor professor
    """.split()
)
# Values that say yes/no, or which kind of partner a row is.
FLAG_WORDS = frozenset(
    """
    true false yes no y n x 0 1 oui non ja nein si
    company individual person business organisation organization societe particulier
    unternehmen privatperson empresa persona
    """.split()
)

_DATE = re.compile(
    r"^(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"  # 2024-03-12, 12/03/2024, 0/0/00
    r"([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*([AaPp][Mm]|Z|[+-]\d{2}:?\d{2})?)?"  # a time after it
    r"|\d{1,2}\.? [A-Za-z\u00c0-\u024f]{3,9}\.? \d{2,4}"  # 12 Mar 2024, 3. März 2024
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})$"  # March 12, 2024
)
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_ZIP_FIXED = re.compile(r"^(\d{5}-\d{4}|\d{5}-\d{3})$")  # US ZIP+4, Brazilian CEP
_ZIP_DASHED = re.compile(r"^(\d{2}-\d{3}|\d{4}-\d{3})$")  # Polish, Portuguese
_ZIP = re.compile(r"^(?=[^ ]* ?[^ ]*$)(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}(/\S*)?$")
_PHONE_HINT = re.compile(r"[\s()./-]")


def _is_zip(text):
    if _ZIP_FIXED.match(text):
        return True
    upper = text.upper()
    if not _ZIP.match(upper):
        return False
    if upper.isdigit():
        return 3 <= len(upper) <= 7
    if upper.replace("-", "").isdigit():
        # Digits around a dash are a phone ("555-0100") but for a few national formats.
        return bool(_ZIP_DASHED.match(upper))
    # Letters only in short groups beside digits: "SW1A 2AA", "M5V 2T6", "1012 AB".
    return all(any(c.isdigit() for c in part) or len(part) <= 3 for part in upper.replace("-", " ").split())


def _is_phone(text):
    if not normalize_phone(text):
        return False
    # A bare run of digits is as likely an identifier; a phone has a "+", a leading 0 or separators.
    return text.startswith(("+", "0", "(")) or bool(_PHONE_HINT.search(text))


def classify(value):
    """The kind of one value: EMAIL, PHONE, URL, COUNTRY, ZIP, TITLE, DATE, NUMBER, FLAG or TEXT."""
    text = value.strip()
    lower = text.lower()
    if "@" in text:
        return EMAIL if is_valid_email(normalize_email(text)) else TEXT
    if lower.startswith(("http://", "https://", "www.")):
        return URL
    if _DATE.match(text):
        return DATE
    key = simple_key(text)
    if key in FLAG_WORDS:
        return FLAG
    if any(c.isdigit() for c in text):
        if _is_zip(text):
            return ZIP
        if _is_phone(text):
            return PHONE
        if _NUMBER.match(text):
            return NUMBER
        return TEXT
    if key and all(word in COURTESY_WORDS for word in key.split()):
        return TITLE
    if _DOMAIN.match(lower):
        return URL
    if country_code(text):
        return COUNTRY
    return TEXT


# "N of M sampled values are ...": one complete sentence per kind, for translators.
SAYS = {
    EMAIL: _lt("%(count)s of %(total)s sampled values are e-mail addresses"),
    PHONE: _lt("%(count)s of %(total)s sampled values are phone numbers"),
    URL: _lt("%(count)s of %(total)s sampled values are web addresses"),
    COUNTRY: _lt("%(count)s of %(total)s sampled values are countries"),
    ZIP: _lt("%(count)s of %(total)s sampled values look like postal codes"),
    TITLE: _lt("%(count)s of %(total)s sampled values are courtesy titles (Mr, Ms, Dr...)"),
    DATE: _lt("%(count)s of %(total)s sampled values are dates"),
    NUMBER: _lt("%(count)s of %(total)s sampled values are plain numbers"),
    FLAG: _lt("%(count)s of %(total)s sampled values are yes/no or a kind of partner"),
    TEXT: _lt("%(count)s of %(total)s sampled values are plain text"),
}
SAYS_ONLY = {
    EMAIL: _lt("Only %(count)s of %(total)s sampled values are e-mail addresses"),
    PHONE: _lt("Only %(count)s of %(total)s sampled values are phone numbers"),
    URL: _lt("Only %(count)s of %(total)s sampled values are web addresses"),
    COUNTRY: _lt("Only %(count)s of %(total)s sampled values are countries"),
    ZIP: _lt("Only %(count)s of %(total)s sampled values look like postal codes"),
    TITLE: _lt("Only %(count)s of %(total)s sampled values are courtesy titles (Mr, Ms, Dr...)"),
    FLAG: _lt("Only %(count)s of %(total)s sampled values are yes/no or a kind of partner"),
}
NO_VALUES = _lt("The column is empty in the sampled rows")

# Judging a column needs a few values; below this, the values neither support nor veto.
MIN_JUDGED = 3
SUPPORT = 0.8  # share of values of the expected kind that confirms a guess
CONTRADICT = 0.3  # below this share of the expected kind, the values contradict it
DOMINANT = 0.8  # share of one kind that makes a text column something else


@dataclass(frozen=True)
class Evidence:
    """What the sampled values of one column are: how many, and of which kinds."""

    filled: int  # non-empty sampled values
    total: int  # distinct values classified (at most MAX_DISTINCT)
    kinds: Counter

    def share(self, kind):
        return self.kinds.get(kind, 0) / self.total if self.total else 0.0

    @property
    def judged(self):
        return self.total >= MIN_JUDGED

    def dominant(self):
        """The kind most values are, if at least DOMINANT of them: (kind, count) or None."""
        if not self.total:
            return None
        kind, count = self.kinds.most_common(1)[0]
        return (kind, count) if count / self.total >= DOMINANT else None

    def says(self, kind, only=False):
        """(template, params): the sentence saying how many values are of ``kind``."""
        templates = SAYS_ONLY if only and kind in SAYS_ONLY else SAYS
        return templates[kind], {"count": self.kinds.get(kind, 0), "total": self.total}


def evidence(values):
    """The :class:`Evidence` of a column's non-empty sampled values."""
    values = values or ()
    distinct = list(dict.fromkeys(v.strip() for v in values[:MAX_SCANNED] if v and v.strip()))
    distinct = distinct[:MAX_DISTINCT]
    return Evidence(len(values), len(distinct), Counter(classify(v) for v in distinct))


def majority(values, minimum=0.5):
    """The simple_key() form most of the first sampled values share, if more than ``minimum`` do."""
    keys = Counter(simple_key(v) for v in (values or ())[:MAX_SCANNED] if v and v.strip())
    if not keys:
        return None
    key, count = keys.most_common(1)[0]
    return key if count / sum(keys.values()) > minimum else None
