"""Countries as people write them: ISO codes, or names in any language.

Odoo translates country names only into the languages a database has loaded, while a
file says "Deutschland", "Espagne" or "Vereinigte Staaten" whatever the database has.
Babel (which Odoo ships) carries CLDR's territory names for every language it knows:
:func:`country_code` looks a name up in an index of all of them, built once per
process (about half a second, see bench/bench_mapping.py) and then shared.
"""

import functools
import pickle
import re

from babel import localedata
from babel.core import get_global

from .normalize import simple_key

# CLDR region codes that are not countries (European Union, Eurozone, United Nations,
# Outlying Oceania, pseudo-locales, unknown region).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})

# Ways of naming a country that no CLDR language lists as its name (abbreviations, the
# parts of the United Kingdom, old or informal names); keys are simple_key() forms.
ALIASES = {
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "eeuu": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "grossbritannien": "GB",
    "mejico": "MX",
    "korea": "KR",
    "uae": "AE",
    "emirates": "AE",
}

_CODE = re.compile(r"^[A-Za-z]{2,3}$")


def _territories(locale_id):
    """The territory names of a language, read from its own CLDR data file as Babel reads
    it, but not through Babel's cache: ``localedata.load`` would keep the whole data of
    every language (about 120 MB) in the process for its life, for the names alone."""
    with open(localedata.resolve_locale_filename(locale_id), "rb") as handle:
        return pickle.load(handle).get("territories", {})


@functools.cache
def cldr_country_names():
    """simple_key(name) -> ISO 3166-1 alpha-2 code, for every country name in every
    language of CLDR (one locale per language: regional variants repeat their
    language's names). A name two countries share in some language is left out."""
    found = {}
    for locale_id in localedata.locale_identifiers():
        if "_" in locale_id:
            continue
        for code, name in _territories(locale_id).items():
            if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
                continue
            found.setdefault(simple_key(name), set()).add(code)
    return {key: codes.pop() for key, codes in found.items() if key and len(codes) == 1}


@functools.cache
def country_names():
    """CLDR's names of every country in every language, and the usual ALIASES."""
    return {**cldr_country_names(), **ALIASES}


@functools.cache
def country_codes():
    """Every ISO alpha-2 country code CLDR knows, and alpha-3 code -> alpha-2 code."""
    alpha2 = frozenset(
        code for code in _territories("en") if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )
    alpha3 = {
        alias: targets[0]
        for alias, targets in get_global("territory_aliases").items()
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and targets[0] in alpha2
    }
    return alpha2, alpha3


def country_code(value):
    """The ISO alpha-2 code of a country given by its ISO code (2 or 3 letters) or its
    name in any language, case and accents aside; None when it is none of them."""
    text = (value or "").strip().strip(".")
    if not text:
        return None
    if _CODE.match(text):
        alpha2, alpha3 = country_codes()
        code = text.upper()
        if code in alpha2:
            return code
        if code in alpha3:
            return alpha3[code]
    key = simple_key(text)
    names = country_names()
    if key in names:
        return names[key]
    if key.startswith("the "):
        return names.get(key[4:])
    return None
