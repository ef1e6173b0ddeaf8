"""vCard files (.vcf, versions 2.1, 3.0 and 4.0), through vobject: one row per card, under
headers the mapping understands. Photos, keys and sounds are ignored."""

from ..messages import EngineError, _lt
from .base import Table, clean_text, read_all, require_data
from .delimited import decode_sample, detect_encoding

HEADERS = [
    # FN is the name a card is shown under; N's parts only when a card has no FN. One
    # column, so that the mapping never prefers parts some cards lack over a whole name.
    "Full Name",
    "Company",
    "Department",
    "Job Title",
    "E-mail",
    "E-mail 2",
    "Phone",
    "Mobile Phone",
    "Street",
    "Street 2",
    "City",
    "ZIP",
    "State",
    "Country",
    "Website",
    "Notes",
    "Categories",
]


def _not_a_vcard(name, error):
    return EngineError(
        "not_vcard",
        _lt(
            "%(name)s is not a vCard file (%(error)s). A .vcf file holds contacts between BEGIN:VCARD "
            "and END:VCARD lines; export the contacts again as vCard, or as CSV."
        ),
        name=name,
        error=error,
    )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value if _text(v))
    return clean_text(str(value).replace("\r\n", "\n").replace("\r", "\n")).strip()


def _types(line):
    """The upper-cased TYPE values of a property (3.0/4.0 TYPE=, 2.1 bare parameters)."""
    found = set()
    for value in [*line.params.get("TYPE", []), *line.singletonparams]:
        found.update(part.strip().strip('"').upper() for part in str(value).split(","))
    return found


def _preference(line):
    """Lower sorts first: PREF type (2.1/3.0) or PREF=n (4.0), then file order."""
    if "PREF" in _types(line):
        return 0
    try:
        return int(line.params.get("PREF", ["100"])[0])
    except (ValueError, IndexError):
        return 100


def _by_preference(lines):
    return sorted(lines, key=_preference)


def _phone(line):
    value = _text(line.value)
    return value[4:] if value.lower().startswith("tel:") else value


def card_values(card):
    """The row of one vobject vCard component, in :data:`HEADERS` order."""
    contents = card.contents
    first = last = ""
    if "n" in contents:
        name = contents["n"][0].value
        first, last = _text(getattr(name, "given", "")), _text(getattr(name, "family", ""))
    org = contents["org"][0].value if "org" in contents else []
    if isinstance(org, str):
        org = [org]
    emails = [_text(line.value) for line in _by_preference(contents.get("email", []))]
    emails = [email for email in emails if email]
    phones = [line for line in _by_preference(contents.get("tel", [])) if "FAX" not in _types(line)]
    mobiles = [line for line in phones if {"CELL", "MOBILE"} & _types(line)]
    others = [line for line in phones if line not in mobiles]
    work = [line for line in others if {"WORK", "VOICE"} & _types(line)]
    phone = (work or others or [None])[0]
    addresses = _by_preference(contents.get("adr", []))
    address = next((a for a in addresses if "WORK" in _types(a)), addresses[0] if addresses else None)
    parts = {}
    if address is not None:
        value = address.value
        for key in ("street", "extended", "box", "city", "region", "code", "country"):
            parts[key] = _text(getattr(value, key, ""))
        if not parts["street"]:
            parts["street"], parts["box"] = parts["box"], ""
    urls = [_text(line.value) for line in contents.get("url", [])]
    notes = [_text(line.value) for line in contents.get("note", [])]
    categories = []
    for line in contents.get("categories", []):
        value = line.value if isinstance(line.value, (list, tuple)) else str(line.value).split(",")
        categories.extend(_text(v) for v in value if _text(v))
    fn = _text(contents["fn"][0].value) if "fn" in contents else ""
    return [
        fn or " ".join(part for part in (first, last) if part),
        _text(org[0]) if org else "",
        _text(org[1]) if len(org) > 1 else "",
        _text(contents["title"][0].value) if "title" in contents else "",
        emails[0] if emails else "",
        emails[1] if len(emails) > 1 else "",
        _phone(phone) if phone is not None else "",
        _phone(mobiles[0]) if mobiles else "",
        parts.get("street", ""),
        parts.get("extended", ""),
        parts.get("city", ""),
        parts.get("code", ""),
        parts.get("region", ""),
        parts.get("country", ""),
        next((url for url in urls if url), ""),
        "\n".join(note for note in notes if note),
        ", ".join(categories),
    ]


class VcardSource:
    """The cards of a vCard file, numbered from 1, read again on each call."""

    def __init__(self, text, name):
        self.text = text
        self.name = name

    def records(self, clock):
        import vobject

        number = 0
        components = vobject.readComponents(self.text, allowQP=True)
        while True:
            try:
                card = next(components)
            except StopIteration:
                return
            except (vobject.base.ParseError, ValueError, TypeError, UnicodeError, LookupError) as exc:
                if number == 0:
                    raise _not_a_vcard(self.name, str(exc)) from None
                raise EngineError(
                    "bad_vcard",
                    _lt("Card %(card)s of %(name)s cannot be read: %(error)s"),
                    card=number + 1,
                    name=self.name,
                    error=str(exc),
                ) from None
            if card.name.upper() != "VCARD":
                continue
            number += 1
            yield number, card_values(card), ()
            clock.tick()


def open_vcard(source, head, name, encoding=None, clock=None, **table_options):
    """Open a vCard file: its cards become rows under :data:`HEADERS`."""
    data = read_all(source)
    encoding = encoding or detect_encoding(head) or "utf-8"
    try:
        decode_sample(head, encoding)
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _not_a_vcard(name, str(exc)) from None
    text = text.lstrip("\ufeff")
    if "BEGIN:VCARD" not in text[:4096].upper():
        raise _not_a_vcard(name, _lt("no BEGIN:VCARD line"))
    table = Table(
        format="vcf",
        headers=list(HEADERS),
        encoding=encoding,
        header_row=None,
        unit="card",
        _source=VcardSource(text, name),
        _name=name,
        **table_options,
    )
    require_data(table, name)
    return table
