"""From a planned contact to the values written on the partner, as plain data.

The executor (Odoo layer) only adds what needs the database: ids of tags, the parent's
current address, HTML for the notes. Everything else, which field receives what and what
the log line says about it, is decided here and tested without a database.
"""

from .messages import _lt, render
from .plan import ADDRESS_DROPPED, ADDRESS_FIELDS, ADDRESS_KEPT, ADDRESS_SAME

# Plain fields copied as they are from the record's values.
SIMPLE_FIELDS = ("name", "email", "phone", "function", "website", "lang", "ref", "vat", "comment")

# What the executor keeps, on each log line, of what the import wrote; a revert compares
# it with what is there now to tell the records someone changed since the import.
TRACKED_FIELDS = (
    "name",
    "email",
    "phone",
    "function",
    "website",
    "lang",
    "ref",
    "vat",
    "comment",
    "type",
    "parent_id",
    "category_id",
    *ADDRESS_FIELDS,
)
# What Odoo copies onto a contact from its company: not the import's to compare.
SYNCED_FROM_COMPANY = ("vat", "lang")

NOTE_MOBILE = _lt("Mobile: %(mobile)s")
NOTE_TITLE = _lt("Title: %(title)s")
WHY_VAT_DROPPED = _lt("Tax ID in the file not kept: it is the company's.")
WHY_ADDRESS_DROPPED = _lt(
    "The company's address is used: this row's own address differs and is kept in this log line only."
)
WHY_ADDRESS_NOT_UPDATED = _lt(
    "Address not updated: this contact shares its company's address; the row's is kept in this log line."
)
KEPT_AS_OTHER = _lt("Address kept as the contact's own (type Other under the company).")


class Message:
    """A translatable message: a template and its parameters, rendered where shown."""

    __slots__ = ("params", "template")

    def __init__(self, template, params=None):
        self.template = template
        self.params = params or {}

    def render(self, translate=None):
        return render(self.template, self.params, translate)

    def __eq__(self, other):
        return isinstance(other, Message) and (self.template, self.params) == (other.template, other.params)

    def __repr__(self):
        return f"Message({self.render()!r})"


def contact_values(
    values, parent=False, address_action=ADDRESS_SAME, has_mobile_field=False, keeps_type=False
):
    """Partner values for a planned contact.

    ``values`` are the planned contact's values (engine field names); ``parent`` says
    whether it belongs to a company, ``address_action`` what happens to its own address
    (see plan.ADDRESS_*). ``keeps_type``: an existing contact being updated, whose type is
    never changed; as a contact of a company it shares the company's address (Odoo would
    push a different one up to the company), so its own is not written.

    Returns ``(vals, notes, messages)``: the values to write (``tags`` stays a list of
    names and ``comment`` plain text: the caller turns them into ids and HTML), note lines
    to append to the notes, and the messages for the log line.
    """
    vals = {key: values[key] for key in SIMPLE_FIELDS if values.get(key)}
    vals.update({key: values[key] for key in ADDRESS_FIELDS if values.get(key)})
    notes = []
    if values.get("mobile"):
        if has_mobile_field:
            vals["mobile"] = values["mobile"]
        elif not vals.get("phone"):
            vals["phone"] = values["mobile"]
        else:
            notes.append(Message(NOTE_MOBILE, {"mobile": values["mobile"]}))
    if values.get("title"):
        notes.append(Message(NOTE_TITLE, {"title": values["title"]}))
    if values.get("tags"):
        vals["tags"] = list(values["tags"])
    messages = []
    if parent:
        # The Tax ID belongs to the company: Odoo would push it up to the parent.
        if vals.pop("vat", None):
            messages.append(Message(WHY_VAT_DROPPED))
        has_address = any(k in vals for k in ADDRESS_FIELDS)
        if keeps_type:
            if has_address:
                for key in ADDRESS_FIELDS:
                    vals.pop(key, None)
                messages.append(Message(WHY_ADDRESS_NOT_UPDATED))
        elif address_action == ADDRESS_KEPT:
            vals["type"] = "other"
            messages.append(Message(KEPT_AS_OTHER))
        else:
            for key in ADDRESS_FIELDS:
                vals.pop(key, None)
            if address_action == ADDRESS_DROPPED:
                messages.append(Message(WHY_ADDRESS_DROPPED))
    return vals, notes, messages
