"""From validated rows and the user's decisions to a plan of writes.

The plan says, before anything is written: which companies to create (and with which
address), which existing companies without an address get one from the file, which
contacts to create or update (and to which company each is linked, and what happens to
an address that differs from its company's), and which rows are left out, each with its
reason. It is self-contained: it carries each row's original cells, so that a background
job executes what the user reviewed without reading the file again (see
:meth:`Plan.to_json`). Executing it is the Odoo layer's job.
"""

import gzip
import io
import json
from collections import Counter
from dataclasses import dataclass, field, fields

from . import matching
from .messages import _lt, nested, render
from .normalize import email_domain, is_free_mail, normalize_url, normalize_vat, url_domain

CREATE = "create"
UPDATE = "update"
LINK = "link"
SKIP = "skip"
MERGE = "merge"  # the rows follow the decision of another company of the file
# What to do with a contact already in Odoo (same email).
POLICIES = ("skip", "update", "create")
# What to do with a contact whose address differs from its company's.
ADDRESS_POLICIES = ("company", "keep")

# Values of a record that are not contact fields but help matching and filling companies.
COMPANY_HINTS = ("company_website", "company_vat", "company_email_domain")
# What a row that is a company does not give that company: the hints, and a person's job.
COMPANY_ONLY_SKIP = (*COMPANY_HINTS, "function", "title")
ADDRESS_FIELDS = ("street", "street2", "city", "zip", "state_id", "country_id")

# What happens to a linked contact's own address (PlannedContact.address_action).
ADDRESS_SAME = "same"  # none, or the company's: the contact shares the company's address
ADDRESS_DROPPED = "dropped"  # differs; the company's is used, the row's stays in the log
ADDRESS_KEPT = "kept"  # differs; kept as an address of type Other under the company


def address_of(values):
    """The address part of a record's values, or None when it has none."""
    address = {k: values[k] for k in ADDRESS_FIELDS if values.get(k)}
    return address or None


def differs(row_address, company_address):
    """Whether a row's address says something else than the company's: a field both give,
    with two values (a row that gives fewer fields, or adds one the company lacks, does
    not differ; a company without any address differs from every row that has one)."""
    company_address = company_address or {}
    if not company_address:
        return bool(row_address)
    return any(company_address.get(k) not in (None, v) for k, v in (row_address or {}).items())


def common_address(addresses):
    """The address a company takes from its rows: the most common whole address (a tie
    goes to the first row's), completed by every field all the rows agree on.

    ``addresses`` are the rows' address dicts, in row order (empty ones are ignored)."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return {}
    counts = Counter(tuple(sorted(a.items())) for a in addresses)
    best = max(counts.values())
    chosen = dict(next(a for a in addresses if counts[tuple(sorted(a.items()))] == best))
    for key in ADDRESS_FIELDS:
        if key in chosen:
            continue
        seen = {a.get(key) for a in addresses}
        if len(seen) == 1 and None not in seen:
            chosen[key] = seen.pop()
    return {k: chosen[k] for k in ADDRESS_FIELDS if k in chosen}


WHY_ERROR = _lt("Not imported: %(message)s")
WHY_SKIPPED_COMPANY = _lt("Company %(company)r is skipped in Reference Data.")
WHY_NO_DECISION = _lt("No company was chosen for %(company)r in Reference Data.")
WHY_DUPLICATE_IN_FILE = _lt("Same contact as row %(first)s of the file.")
WHY_EXISTS_SKIPPED = _lt("Already in Odoo (%(email)s); existing contacts are skipped.")
WHY_EXISTS_SEVERAL = _lt("%(count)s contacts in Odoo have the email %(email)s; none is updated.")
WHY_COMPANY_EXISTS = _lt("Company %(company)r is already in Odoo: its contacts are linked to it.")
WHY_COMPANY_TWICE = _lt("Same company as row %(first)s of the file.")


@dataclass(frozen=True)
class Decision:
    """What to do with one company of the file. ``forced``: the user chose to create a
    new company although one with the same name exists (it is created all the same)."""

    action: str
    company_id: int | None = None
    forced: bool = False
    into: str = ""  # MERGE: the key of the company of the file whose decision applies
    unarchive: bool = False  # LINK to an archived company, which the import unarchives


@dataclass(slots=True)
class PlannedCompany:
    key: str
    name: str
    values: dict
    rows: list = field(default_factory=list)  # the rows of its contacts
    forced: bool = False
    row: int | None = None  # a row of the file that is this company itself (its own data)
    raw: tuple = ()


@dataclass
class CompanyFill:
    """An existing company the import may complete: ``address`` for a company without
    any address (its own toggle in Review), ``fields`` (website, Tax ID) when the user
    opts in to fill empty company fields; the executor writes only what is still empty."""

    company_id: int
    address: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)


@dataclass(slots=True)
class PlannedContact:
    row: int
    action: str  # "create" or "update"
    values: dict
    raw: tuple = ()
    company_key: str = ""  # a company of the file to create (see Plan.companies)
    company_id: int | None = None  # an existing company
    partner_id: int | None = None  # the contact to update
    address_action: str = ADDRESS_SAME

    @property
    def linked(self):
        return self.company_id is not None


@dataclass(frozen=True, slots=True)
class Ignored:
    row: int
    status: str  # "skipped" (a decision of the user) or "ignored" (a blocking problem, a duplicate)
    template: str
    params: dict
    raw: tuple = ()

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


@dataclass
class Plan:
    companies: list
    contacts: list
    ignored: list
    fills: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    rows_total: int = 0
    unarchive: list = field(default_factory=list)  # ids of archived companies to unarchive

    @property
    def creates(self):
        return [c for c in self.contacts if c.action == CREATE]

    @property
    def updates(self):
        return [c for c in self.contacts if c.action == UPDATE]

    def summary(self):
        return {
            "companies_to_create": len(self.companies),
            "contacts_to_create": len(self.creates),
            "contacts_to_update": len(self.updates),
            "contacts_linked": sum(1 for c in self.contacts if c.linked and c.action == CREATE),
            "rows_ignored": len(self.ignored),
            "companies_to_fill_address": sum(1 for f in self.fills if f.address),
            "addresses_dropped": sum(1 for c in self.contacts if c.address_action == ADDRESS_DROPPED),
            "addresses_kept": sum(1 for c in self.contacts if c.address_action == ADDRESS_KEPT),
        }

    # -- storage: what the background job executes -----------------------------------
    def _json_fields(self):
        """The stored plan's keys in order, as (key, value, each): ``each`` makes an item
        of the list ``value`` JSON-ready, or is None when ``value`` is JSON-ready itself."""
        return (
            ("version", 1, None),
            ("headers", list(self.headers), None),
            ("rows_total", self.rows_total, None),
            ("companies", self.companies, _shallow),
            ("contacts", self.contacts, _shallow),
            ("ignored", self.ignored, _shallow),
            ("fills", self.fills, _shallow),
            ("unarchive", list(self.unarchive), None),
        )

    def to_json(self):
        """A JSON-ready dict of the whole plan; :meth:`from_json` reads it back."""
        return {key: [each(i) for i in value] if each else value for key, value, each in self._json_fields()}

    @classmethod
    def from_json(cls, data):
        if data.get("version") != 1:
            raise ValueError("unknown plan version")
        return cls._from_parts(
            data, {key: [read(i) for i in data[key]] for key, read in _ITEM_READERS.items()}
        )

    @classmethod
    def _from_parts(cls, head, lists):
        return cls(
            companies=lists["companies"],
            contacts=lists["contacts"],
            ignored=lists["ignored"],
            fills=lists["fills"],
            headers=list(head["headers"]),
            rows_total=head["rows_total"],
            unarchive=list(head.get("unarchive", ())),
        )


def _with_raw(kind):
    return lambda item: kind(**dict(item, raw=tuple(item.get("raw") or ())))


# How an item of each list of the stored plan is read back.
_ITEM_READERS = {
    "companies": _with_raw(PlannedCompany),
    "contacts": _with_raw(PlannedContact),
    "ignored": _with_raw(Ignored),
    "fills": lambda item: CompanyFill(**item),
}


def _shallow(item):
    """A dataclass of the plan as a dict of its fields, its values not copied (unlike
    dataclasses.asdict, which deep-copies them: seconds for 100,000 rows): the result of
    :meth:`Plan.to_json` is dumped at once, never changed."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def default_decisions(result):
    """Decisions before the user changes any: link matched companies, create the others,
    and leave ambiguous ones undecided (their rows wait for a choice)."""
    decisions = {}
    for key, match in result.matches.items():
        if match.status in (matching.MATCHED, matching.CONTESTED):
            decisions[key] = Decision(LINK, match.company_id)
        elif match.status == matching.UNMATCHED:
            decisions[key] = Decision(CREATE)
    return decisions


def _company_values(cluster, records):
    """Fields of a company to create, from its rows."""
    values = {"name": cluster.name}
    websites = Counter(normalize_url(r.values.get("company_website", "")) for r in records)
    websites.pop("", None)
    if websites:
        values["website"] = websites.most_common(1)[0][0]
    vats = Counter(normalize_vat(r.values.get("company_vat", "")) for r in records)
    vats.pop("", None)
    if vats:
        values["vat"] = vats.most_common(1)[0][0]
    values.update(common_address(address_of(r.values) for r in records))
    if "website" not in values:
        domains = Counter(
            d
            for d in (url_domain(r.values.get("company_email_domain", "")) for r in records)
            if d and not is_free_mail(d)
        )
        if not domains:
            domains = Counter(
                d
                for d in (email_domain(r.values.get("email", "")) for r in records)
                if d and not is_free_mail(d)
            )
        if domains:
            domain, count = domains.most_common(1)[0]
            # Only when most of its contacts agree: one consultant's address is no proof.
            if count * 2 > len(records):
                values["website"] = "https://" + domain
    return values


def _fill_fields(records):
    """Website and Tax ID the rows of an existing company agree on (all that give one)."""
    values = {}
    for name, key, clean in (
        ("website", "company_website", normalize_url),
        ("vat", "company_vat", normalize_vat),
    ):
        seen = {clean(r.values.get(key) or "") for r in records} - {""}
        if len(seen) == 1:
            values[name] = seen.pop()
    return values


def _own_hints(record):
    """A company row's own website and Tax ID (given in contact or company columns)."""
    values = {}
    website = normalize_url(record.values.get("company_website", "")) or record.values.get("website")
    if website:
        values["website"] = website
    vat = normalize_vat(record.values.get("company_vat", "")) or record.values.get("vat")
    if vat:
        values["vat"] = vat
    return values


def _person_values(record):
    """A person's values in the plan: the record's own, without the hints about its
    company. Shared with the record when it has no hint (26 MB less for 100,000 rows):
    nothing changes a planned contact's values after the plan is built."""
    values = record.values
    if any(hint in values for hint in COMPANY_HINTS):
        values = {k: v for k, v in values.items() if k not in COMPANY_HINTS}
    return values


def _company_row(record, key, decision, policy, company_rows, ignored):
    """What becomes of a row that is a company: the company to create (kept in
    ``company_rows``), an update of the existing company (policy "update"), or a skip.
    Returns a planned update, or None."""
    raw = tuple(record.raw)
    if decision.action == CREATE:
        if key in company_rows:
            first = company_rows[key].row
            ignored.append(Ignored(record.row, "ignored", WHY_COMPANY_TWICE, {"first": first}, raw))
        else:
            company_rows[key] = record
        return None
    if policy != "update":
        ignored.append(Ignored(record.row, "skipped", WHY_COMPANY_EXISTS, {"company": record.company}, raw))
        return None
    values = {k: v for k, v in record.values.items() if k not in COMPANY_HINTS}
    values.update(_own_hints(record))
    values.pop("name", None)  # an existing company keeps its name
    return PlannedContact(record.row, UPDATE, values, raw, partner_id=decision.company_id)


def build_plan(
    result,
    decisions,
    policy="skip",
    company_addresses=None,
    address_policy="company",
    fill_empty_addresses=True,
):
    """Turn a validation result and decisions (company key -> Decision) into a Plan.

    ``policy`` says what to do with a contact already in Odoo (same email): "skip" it,
    "update" it, or "create" another one anyway. ``company_addresses`` gives the current
    address of the existing companies contacts may be linked to (company id -> address
    dict, empty for none): a company without any address takes its rows' common address
    when ``fill_empty_addresses``; a contact whose address then still differs from its
    company's keeps it as an Other address (``address_policy`` "keep") or uses the
    company's ("company").
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown duplicate policy {policy!r}")
    if address_policy not in ADDRESS_POLICIES:
        raise ValueError(f"unknown address policy {address_policy!r}")
    company_addresses = company_addresses or {}
    contacts, ignored = [], []
    rows_of_new_company, rows_of_existing = {}, {}
    company_rows = {}  # company key -> the row that is that company
    unarchive = []
    for record in result.records:
        raw = tuple(record.raw)
        if record.blocked:
            error = next(p for p in record.problems if p.blocking)
            why = {"message": nested(error.template, error.params)}  # translated where shown
            ignored.append(Ignored(record.row, "ignored", WHY_ERROR, why, raw))
            continue
        key = record.company_key
        decision = decisions.get(key) if key else None
        if decision is not None and decision.action == MERGE:  # "these look like one company"
            key = decision.into
            decision = decisions.get(key)
            if decision is not None and decision.action == MERGE:
                decision = None  # one step only: a chain of merges is no decision
        if decision is not None and decision.action == LINK and not decision.company_id:
            decision = None  # "link" without a company chosen yet
        if record.company_key and decision is None:
            ignored.append(Ignored(record.row, "skipped", WHY_NO_DECISION, {"company": record.company}, raw))
            continue
        if decision is not None and decision.action == SKIP:
            ignored.append(
                Ignored(record.row, "skipped", WHY_SKIPPED_COMPANY, {"company": record.company}, raw)
            )
            continue
        if record.is_company:
            planned = _company_row(record, key, decision, policy, company_rows, ignored)
            if planned is not None:
                contacts.append(planned)
            continue
        if record.duplicate_of is not None and policy != "create":
            ignored.append(
                Ignored(record.row, "ignored", WHY_DUPLICATE_IN_FILE, {"first": record.duplicate_of}, raw)
            )
            continue
        planned = PlannedContact(record.row, CREATE, _person_values(record), raw)
        if record.existing_ids and policy != "create":
            email = record.values.get("email")
            if policy == "skip":
                ignored.append(Ignored(record.row, "skipped", WHY_EXISTS_SKIPPED, {"email": email}, raw))
                continue
            if len(record.existing_ids) > 1:
                ignored.append(
                    Ignored(
                        record.row,
                        "ignored",
                        WHY_EXISTS_SEVERAL,
                        {"email": email, "count": len(record.existing_ids)},
                        raw,
                    )
                )
                continue
            planned.action = UPDATE
            planned.partner_id = record.existing_ids[0]
        if decision is not None:
            if decision.action == LINK:
                planned.company_id = decision.company_id
                rows_of_existing.setdefault(decision.company_id, []).append(record)
                if decision.unarchive and decision.company_id not in unarchive:
                    unarchive.append(decision.company_id)
            else:
                planned.company_key = key
                rows_of_new_company.setdefault(key, []).append(record)
        contacts.append(planned)
    # A company is created when a row is that company, or one of its contacts is written.
    companies = []
    for key in dict.fromkeys([*rows_of_new_company, *company_rows]):
        records = rows_of_new_company.get(key, [])
        own = company_rows.get(key)
        values = _company_values(result.clusters[key], records)
        if own is not None:
            # the company's own row says what it is; its contacts fill only what it leaves empty
            values.update({k: v for k, v in own.values.items() if k not in COMPANY_ONLY_SKIP and v})
            values.update(_own_hints(own))
            values["name"] = own.values.get("name") or values["name"]
        companies.append(
            PlannedCompany(
                key,
                values["name"],
                values,
                [r.row for r in records],
                bool(decisions[key].forced),
                own.row if own is not None else None,
                tuple(own.raw) if own is not None else (),
            )
        )
    fills = []
    final_address = {c.key: {k: c.values[k] for k in ADDRESS_FIELDS if k in c.values} for c in companies}
    for company_id, records in rows_of_existing.items():
        current = company_addresses.get(company_id) or {}
        fill = CompanyFill(company_id, rows=[r.row for r in records], fields=_fill_fields(records))
        if not current and fill_empty_addresses:
            fill.address = common_address(address_of(r.values) for r in records)
        if fill.address or fill.fields:
            fills.append(fill)
        final_address[company_id] = fill.address or current
    for planned in contacts:
        own = address_of(planned.values)
        company = planned.company_id or planned.company_key
        if not company or planned.action == UPDATE or not own:
            continue  # updates: the executor knows the contact's own type and parent
        if differs(own, final_address.get(company)):
            planned.address_action = ADDRESS_KEPT if address_policy == "keep" else ADDRESS_DROPPED
    return Plan(companies, contacts, ignored, fills, list(result.headers), len(result.records), unarchive)


# Rows of the plan written, and read back, at once: neither the stored plan's text nor
# its JSON-ready dicts are held whole in memory (for 100,000 rows, 36 MB more in the
# worker that clicks Import, and some 100 MB more in each worker that reads it back).
PLAN_ITEMS_PER_WRITE = 2000


def plan_bytes(plan):
    """The plan as gzipped JSON lines (version 2): a first line with all but its lists
    of rows, then a line per slice of such a list (``{"contacts": [...]}``), so that
    :func:`read_plan` reads it back a slice at a time."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=1, mtime=0) as handle:
        head = {key: value for key, value, each in plan._json_fields() if each is None}
        handle.write(json.dumps(dict(head, version=2), separators=(",", ":")).encode() + b"\n")
        for key, value, each in plan._json_fields():
            if each is None:
                continue
            for start in range(0, len(value), PLAN_ITEMS_PER_WRITE):
                items = [each(item) for item in value[start : start + PLAN_ITEMS_PER_WRITE]]
                handle.write(json.dumps({key: items}, separators=(",", ":")).encode() + b"\n")
    return buffer.getvalue()


def read_plan(data):
    """The plan :func:`plan_bytes` wrote, read a slice of rows at a time; a plan stored
    as one JSON document (version 1, before 19.0.2.1.0) is read whole."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        head = json.loads(handle.readline())  # version 1: the whole document, one line
        if head.get("version") == 1:
            return Plan.from_json(head)
        if head.get("version") != 2:
            raise ValueError("unknown plan version")
        lists = {key: [] for key in _ITEM_READERS}
        shared = {}
        for line in handle:
            ((key, items),) = json.loads(line).items()
            if key == "contacts":
                for item in items:
                    _share_strings(item, shared)
            lists[key].extend(map(_ITEM_READERS[key], items))
    return Plan._from_parts(head, lists)


def _share_strings(item, shared):
    """One string for the texts a planned contact repeats (a cell in its raw row and in
    its values, a city or a company of many rows), as they were before the plan was
    stored: JSON reads every occurrence as a string of its own."""
    item["raw"] = tuple(shared.setdefault(cell, cell) for cell in item.get("raw") or ())
    values = item["values"]
    for key, value in values.items():
        if type(value) is str:
            values[key] = shared.setdefault(value, value)
