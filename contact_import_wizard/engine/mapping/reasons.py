"""Why a column gets a target or none: one translatable template per reason."""

from ..messages import _lt
from .headers import (
    COMPANY_SIDE,
    DESCRIBES,
    FORMATTED,
    NO_FIELD,
    OTHER_PERSON,
    OTHER_RECORD,
    RECORD,
    RELATED_ID,
)

REASON_TEMPLATE = _lt("Same header as in the saved mapping %(template)s")
REASON_TEMPLATE_FUZZY = _lt("Header close to %(header)r of the saved mapping %(template)s")
REASON_LABEL = _lt("Header is the field's name")
REASON_SYNONYM = _lt("Header %(header)r is a usual name of this field")
REASON_FUZZY = _lt("Header looks like %(synonym)r (%(score)s%% alike)")
REASON_TAKEN = _lt("Looks like %(target)s, but column %(other)r fills it already")
REASON_NONE = _lt("No field looks like this header")
REASON_PRESET = _lt("Known column of the %(preset)s")
REASON_PRESET_UNUSED = _lt("Known column of the %(preset)s; no contact field takes it")
REASON_EMPTY = _lt("Looks like %(target)s, but it is empty in this file; column %(other)r is used")
REASON_OTHER_ADDRESS = _lt(
    "Part of another address than column %(other)r, which is used: two addresses are never mixed"
)
REASON_NAME_PARTS = _lt("First name and last name columns give the name; this column is not used for it")
REASON_TITLE_AS_FUNCTION = _lt("Header %(header)r holds job positions here, not courtesy titles")
REASON_FUNCTION_AS_TITLE = _lt("Header %(header)r holds courtesy titles here (Mr, Dr...), not job positions")
REASON_LABELLED_MOBILE = _lt("Column %(label)r says most of these numbers are mobile numbers")
REASON_CONTRADICTED = _lt("The header says %(target)s, but the values do not look like it: check this column")
REASON_CONTRADICTED_PROTECTED = _lt(
    "The header says %(target)s, but the values do not look like it; %(target)s is never guessed "
    "against the values: choose it yourself if it is right"
)
REASON_VAGUE_PROTECTED = _lt(
    "Header only looks like %(synonym)r (%(score)s%% alike); %(target)s is never guessed from a "
    "vague header: choose it yourself if it is right"
)
REASON_VALUES_ONLY = _lt("The header is not a known field, but the values look like %(target)s")
REASON_VALUES_ONLY_PROTECTED = _lt(
    "The header is not a known field; the values look like %(target)s, which is never guessed "
    "from values alone: choose it yourself if it is right"
)
KIND_REASONS = {
    DESCRIBES: _lt(
        "%(header)r only describes another column (its label, type or display name); it is not data"
    ),
    FORMATTED: _lt("%(header)r repeats the address that the other address columns give in parts"),
    RECORD: _lt("%(header)r is about the record (owner, dates, source, status...), not about the person"),
    RELATED_ID: _lt("%(header)r is the identifier of another record, not data of this contact"),
    OTHER_PERSON: _lt("%(header)r is about another person (assistant, manager, spouse...)"),
    NO_FIELD: _lt("Odoo contacts have no field for %(header)r"),
    COMPANY_SIDE: _lt("%(header)r describes the company, not this contact"),
    OTHER_RECORD: _lt("%(header)r belongs to another record (a deal, a lead...), not to this contact"),
}
