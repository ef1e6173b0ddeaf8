"""From validated rows and the user's decisions to a plan of writes.

The plan says, before anything is written: which companies to create, which contacts
to create or update (and to which company each is linked), and which rows are left
out, each with its reason. Executing it is the Odoo layer's job.
"""

from collections import Counter
from dataclasses import dataclass, field

from . import matching
from .messages import _lt, render
from .normalize import email_domain, is_free_mail, normalize_url, normalize_vat, url_domain

CREATE = "create"
LINK = "link"
SKIP = "skip"
MERGE = "merge"  # the rows follow the decision of another company of the file
# What to do with a contact already in Odoo (same email).
POLICIES = ("skip", "update", "create")

# Values of a record that are not contact fields but help matching companies.
COMPANY_HINTS = ("company_website", "company_vat", "company_email_domain")
ADDRESS_FIELDS = ("street", "street2", "city", "zip", "state_id", "country_id")


def address_of(values):
    """The address part of a record's values, or None when it has none."""
    address = {k: values[k] for k in ADDRESS_FIELDS if values.get(k)}
    return address or None


WHY_ERROR = _lt("Not imported: %(message)s")
WHY_SKIPPED_COMPANY = _lt("Company %(company)r is skipped in Reference Data.")
WHY_NO_DECISION = _lt("No company was chosen for %(company)r in Reference Data.")
WHY_DUPLICATE_IN_FILE = _lt("Same contact as row %(first)s of the file.")
WHY_EXISTS_SKIPPED = _lt("Already in Odoo (%(email)s); existing contacts are skipped.")
WHY_EXISTS_SEVERAL = _lt("%(count)s contacts in Odoo have the email %(email)s; none is updated.")


@dataclass(frozen=True)
class Decision:
    """What to do with one company of the file."""

    action: str
    company_id: int | None = None
    into: str = ""  # MERGE: the key of the company of the file whose decision applies


@dataclass
class PlannedCompany:
    key: str
    name: str
    values: dict
    rows: list = field(default_factory=list)


@dataclass
class PlannedContact:
    row: int
    action: str  # "create" or "update"
    values: dict
    company_key: str = ""  # a company of the file to create (see Plan.companies)
    company_id: int | None = None  # an existing company
    partner_id: int | None = None  # the contact to update

    @property
    def linked(self):
        return self.company_id is not None


@dataclass(frozen=True)
class Ignored:
    row: int
    status: str  # "skipped" (a decision of the user) or "ignored" (a blocking problem, a duplicate)
    template: str
    params: dict

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


@dataclass
class Plan:
    companies: list
    contacts: list
    ignored: list

    @property
    def creates(self):
        return [c for c in self.contacts if c.action == CREATE]

    @property
    def updates(self):
        return [c for c in self.contacts if c.action == "update"]

    def summary(self):
        return {
            "companies_to_create": len(self.companies),
            "contacts_to_create": len(self.creates),
            "contacts_to_update": len(self.updates),
            "contacts_linked": sum(1 for c in self.contacts if c.linked),
            "rows_ignored": len(self.ignored),
        }


def default_decisions(result):
    """Decisions before the user changes any: link matched companies, create the others,
    and leave ambiguous ones undecided (their rows wait for a choice)."""
    decisions = {}
    for key, match in result.matches.items():
        if match.status == matching.MATCHED:
            decisions[key] = Decision(LINK, match.company_id)
        elif match.status == matching.UNMATCHED:
            decisions[key] = Decision(CREATE)
    return decisions


def _company_values(cluster, records):
    """Fields of a company to create, from what its rows agree on."""
    values = {"name": cluster.name}
    websites = Counter(normalize_url(r.values.get("company_website", "")) for r in records)
    websites.pop("", None)
    if websites:
        values["website"] = websites.most_common(1)[0][0]
    vats = Counter(normalize_vat(r.values.get("company_vat", "")) for r in records)
    vats.pop("", None)
    if vats:
        values["vat"] = vats.most_common(1)[0][0]
    # A new company takes the address its contacts' rows agree on (all that have one).
    addresses = [a for a in (address_of(r.values) for r in records) if a]
    if addresses and all(a == addresses[0] for a in addresses):
        values.update(addresses[0])
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


def build_plan(result, decisions, policy="skip"):
    """Turn a validation result and decisions (company key -> Decision) into a Plan.

    ``policy`` says what to do with a contact already in Odoo (same email): "skip" it,
    "update" it, or "create" another one anyway.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown duplicate policy {policy!r}")
    contacts, ignored = [], []
    rows_of_new_company = {}
    for record in result.records:
        if record.blocked:
            error = next(p for p in record.problems if p.blocking)
            ignored.append(Ignored(record.row, "ignored", WHY_ERROR, {"message": error.message()}))
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
            ignored.append(Ignored(record.row, "skipped", WHY_NO_DECISION, {"company": record.company}))
            continue
        if decision is not None and decision.action == SKIP:
            ignored.append(Ignored(record.row, "skipped", WHY_SKIPPED_COMPANY, {"company": record.company}))
            continue
        if record.duplicate_of is not None and policy != "create":
            ignored.append(
                Ignored(record.row, "ignored", WHY_DUPLICATE_IN_FILE, {"first": record.duplicate_of})
            )
            continue
        values = {k: v for k, v in record.values.items() if k not in COMPANY_HINTS}
        planned = PlannedContact(record.row, CREATE, values)
        if record.existing_ids and policy != "create":
            email = record.values.get("email")
            if policy == "skip":
                ignored.append(Ignored(record.row, "skipped", WHY_EXISTS_SKIPPED, {"email": email}))
                continue
            if len(record.existing_ids) > 1:
                ignored.append(
                    Ignored(
                        record.row,
                        "ignored",
                        WHY_EXISTS_SEVERAL,
                        {"email": email, "count": len(record.existing_ids)},
                    )
                )
                continue
            planned.action = "update"
            planned.partner_id = record.existing_ids[0]
        if decision is not None:
            if decision.action == LINK:
                planned.company_id = decision.company_id
            else:
                planned.company_key = key
                rows_of_new_company.setdefault(key, []).append(record)
        contacts.append(planned)
    # A company is created only when at least one of its contacts is written.
    companies = [
        PlannedCompany(
            key,
            result.clusters[key].name,
            _company_values(result.clusters[key], records),
            [r.row for r in records],
        )
        for key, records in rows_of_new_company.items()
    ]
    return Plan(companies, contacts, ignored)
