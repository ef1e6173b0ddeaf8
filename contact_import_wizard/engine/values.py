"""From a planned contact to the values written on the partner, as plain data.

The executor (Odoo layer) only adds what needs the database: ids of tags, the parent's
current address, HTML for the notes. Everything else, which field receives what and what
the log line says about it, is decided here and tested without a database.
"""

from .messages import _lt, render
from .plan import ADDRESS_FIELDS

# Plain fields copied as they are from the record's values.
SIMPLE_FIELDS = ("name", "email", "phone", "function", "website", "lang", "ref", "vat", "comment")

NOTE_MOBILE = _lt("Mobile: %(mobile)s")
NOTE_TITLE = _lt("Title: %(title)s")
WHY_VAT_DROPPED = _lt("Tax ID in the file not kept: it is the company's.")
WHY_ADDRESS_DROPPED = _lt("The company's address is used; the file's is not kept.")


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


def contact_values(values, parent_address=None, address_policy="company", has_mobile_field=False):
    """Partner values for a planned contact.

    ``values`` are the planned contact's values (engine field names); ``parent_address``
    is the address of the company it is linked to (a dict of ADDRESS_FIELDS, ids for the
    relational ones), or None when it has no company. Returns ``(vals, notes, messages)``:
    the values to write (``tags`` stays a list of names and ``comment`` plain text: the
    caller turns them into ids and HTML), note lines to append to the notes, and the
    messages for the log line.
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
    if parent_address is not None:
        # The Tax ID belongs to the company: Odoo would push it up to the parent.
        if vals.pop("vat", None):
            messages.append(Message(WHY_VAT_DROPPED))
        row_address = {k: vals[k] for k in ADDRESS_FIELDS if k in vals}
        if row_address:
            if address_policy == "keep":
                vals["type"] = "other"
            else:
                for key in row_address:
                    vals.pop(key)
                if any(parent_address.get(k) != v for k, v in row_address.items()):
                    messages.append(Message(WHY_ADDRESS_DROPPED))
    return vals, notes, messages
