"""Contacts already in Odoo as the engine's input: Convert to Customer, Link to companies.

The Odoo layer reads the selected partners as plain dicts (see :func:`partner_records`);
this module turns them into validation :class:`~.validation.Record` objects (the row
number is the partner's position in the selection, from 1), groups and matches the
companies they name with the same clusters, index and evidence rules as a file's
(:mod:`.matching`), proposes what to do with each company, and builds the plan: its
contacts are UPDATES of those partners that only set their parent (an existing company,
or one the plan creates from their data), never their own values.
"""

from collections import Counter
from dataclasses import dataclass, replace

from . import matching
from .messages import _lt, render
from .normalize import company_key, is_free_mail, normalize_url, normalize_vat, url_domain
from .plan import CREATE, LINK, SKIP, Decision, Ignored, build_plan
from .validation import Record, Result

# Where a contact's company comes from.
COMPANY_NAME = "company_name"  # its free-text company name only (Link to companies)
OWN_NAME = "own_name"  # its company name, else its own name: its own business (Convert to Customer)
SOURCES = (COMPANY_NAME, OWN_NAME)

# The "columns" of a partner's row in the log: its cells are (name, company name, email).
HEADERS = (_lt("Contact"), _lt("Company name"), _lt("Email"))

WHY_IS_COMPANY = _lt("%(partner)s is a company, not an individual contact: left as it is.")
WHY_HAS_PARENT = _lt("%(partner)s already belongs to the company %(company)s: left as it is.")
WHY_NO_COMPANY_NAME = _lt("%(partner)s has no company name: there is no company to link it to.")
WHY_NO_NAME = _lt("%(partner)s has neither a company name nor a name to make a company of.")
WHY_CHOSEN = _lt("Linked to %(company)s, chosen by the person who confirmed.")
WHY_LINKED = _lt("Linked to %(company)s: %(reason)s")
WHY_CREATED = _lt("Company %(company)s created from the contacts' data.")


@dataclass(frozen=True)
class LeftOut:
    """A selected partner that is left as it is, and why (``row``: its position)."""

    row: int
    partner_id: int
    template: str
    params: dict
    raw: tuple = ()

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


def _text(partner, key):
    return (partner.get(key) or "").strip()


def _label(partner):
    """How a message names a partner: its name, else its email, else its id."""
    return _text(partner, "name") or _text(partner, "email") or "#%s" % partner.get("id")


def company_of(partner, source=COMPANY_NAME):
    """The company name ``partner`` (a dict) stands for under ``source``, or "" when it
    has none; see :func:`left_out` for the partners that are left out."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    name = _text(partner, "company_name")
    if not name and source == OWN_NAME:
        name = _text(partner, "name")
    return name


def left_out(partner, source=COMPANY_NAME):
    """(template, params) saying why ``partner`` is left out under ``source``, or None.

    Only individual contacts without a parent company are converted or linked; Link to
    companies needs a company name, Convert to Customer a company name or a name."""
    label = _label(partner)
    if partner.get("is_company"):
        return WHY_IS_COMPANY, {"partner": label}
    if partner.get("parent_name") or partner.get("parent_id"):
        parent = partner.get("parent_name") or "#%s" % partner.get("parent_id")
        return WHY_HAS_PARENT, {"partner": label, "company": parent}
    if not company_key(company_of(partner, source)):
        return (WHY_NO_COMPANY_NAME if source == COMPANY_NAME else WHY_NO_NAME), {"partner": label}
    return None


def _company_website(partner):
    """The partner's website as its company's, unless it is a free-mail provider's."""
    website = normalize_url(_text(partner, "website"))
    return website if website and not is_free_mail(url_domain(website)) else ""


def partner_records(partners, source=COMPANY_NAME):
    """Records of the partners to convert or link, and the partners left out.

    ``partners`` are dicts with ``id``, ``name``, ``company_name``, ``email``, ``phone``,
    ``website``, ``vat``, ``street``, ``street2``, ``city``, ``zip``, ``state_id``,
    ``country_id`` (ids), ``country_code`` (ISO), ``is_company`` and ``parent_id`` /
    ``parent_name`` (its company, if any). Returns ``(records, left_out)``: each record's
    ``existing_ids`` is its partner, its company the name :func:`company_of` gives, its
    values what matching and a new company use (the website of a free-mail provider
    left out); each :class:`LeftOut` says why a partner is not among them.
    """
    records, skipped = [], []
    for row, partner in enumerate(partners, start=1):
        raw = (_text(partner, "name"), _text(partner, "company_name"), _text(partner, "email"))
        why = left_out(partner, source)
        if why is not None:
            skipped.append(LeftOut(row, partner["id"], why[0], why[1], raw))
            continue
        values = {"name": _label(partner)}
        for key in ("email", "phone", "city", "street", "street2", "zip"):
            if _text(partner, key):
                values[key] = _text(partner, key).lower() if key == "email" else _text(partner, key)
        for key in ("state_id", "country_id"):
            if partner.get(key):
                values[key] = partner[key]
        website = _company_website(partner)
        if website:
            values["company_website"] = website
        vat = normalize_vat(_text(partner, "vat"))
        if vat:  # normalize_vat leaves nothing of "/"
            values["company_vat"] = vat
        if partner.get("country_code"):
            values["country_code"] = partner["country_code"].upper()
        company = company_of(partner, source)
        record = Record(row, raw, values, company, company_key(company), existing_ids=(partner["id"],))
        records.append(record)
    return records, skipped


def match_records(records, lookups, threshold=matching.DEFAULT_FUZZY_THRESHOLD):
    """Group the records' companies (spelling variants and typo variants with a shared
    domain or VAT are one) and match them against ``lookups.companies``: (clusters,
    matches), both by company key. A record of a merged variant follows its company's key."""
    entries = (
        (
            r.company,
            r.row,
            r.values.get("email", ""),
            r.values.get("company_vat", ""),
            r.values.get("company_website", ""),
            r.values.get("country_code", ""),
            r.values.get("city", ""),
        )
        for r in records
        if r.company_key
    )
    clusters = matching.cluster_companies(entries)
    by_row = {r.row: r for r in records}
    for key, cluster in clusters.items():
        for row in cluster.rows:
            by_row[row].company_key = key
    index = matching.CompanyIndex(lookups.companies, lookups.aliases)
    return clusters, matching.match_all(clusters, index, threshold)


def partners_result(partners, lookups, source=COMPANY_NAME, threshold=matching.DEFAULT_FUZZY_THRESHOLD):
    """The engine's result for partners instead of a file's rows: ``(result, left_out)``.

    ``result`` is a :class:`~.validation.Result` like a file's after validation (headers
    :data:`HEADERS`, untranslated), with its companies matched; ``left_out`` the partners
    that are left as they are (see :func:`left_out`)."""
    records, skipped = partner_records(partners, source)
    clusters, matches = match_records(records, lookups, threshold)
    return Result(list(HEADERS), records, [], clusters, matches), skipped


# -- what to do with each company ----------------------------------------------------------------


@dataclass
class Proposal:
    """What a confirmation proposes for one company: link it (an exact match, or a
    suggestion the evidence supports enough to pre-accept), create it, or let a person
    choose (several companies match equally: ``decision`` is None).

    ``suggestion`` is the existing company to offer (linked, pre-accepted or not);
    ``template``/``params`` say why it is linked, or why it is not pre-accepted."""

    key: str
    name: str
    rows: list
    status: str
    decision: Decision | None
    suggestion: matching.Candidate | None
    accepted: bool
    template: str
    params: dict

    def reason(self, translate=None):
        return render(self.template, self.params, translate)

    def decide(self, accept):
        """The decision when the suggestion is accepted (``accept``) or not: link to it
        (and unarchive it, if archived), or create the company (forced when a company of
        that very name exists)."""
        if accept and self.suggestion is not None:
            return Decision(LINK, self.suggestion.company_id, unarchive=self.suggestion.archived)
        return Decision(CREATE, forced=self.status != matching.UNMATCHED)


def propose(result):
    """A :class:`Proposal` for every company of ``result``, by company key, in order.

    The same rules as Reference Data's pre-selection (:func:`.matching.preselect`): an
    exact match links; a suggestion is pre-accepted only when evidence beyond its name
    confirms it and nothing speaks against it; otherwise the company is created, with the
    best suggestion offered and the reason it was not pre-accepted."""
    proposals = {}
    for key, cluster in result.clusters.items():
        match = result.matches[key]
        proposal = Proposal(key, cluster.name, list(cluster.rows), match.status, None, None, False, "", {})
        if match.status == matching.AMBIGUOUS:
            proposal.suggestion = match.best
            proposal.template = matching.WHY_AMBIGUOUS
            proposal.params = {"count": len(match.tied), "company": match.name}
        else:
            verdict = matching.preselect(match)
            proposal.suggestion = verdict.candidate or verdict.considered
            proposal.accepted = bool(verdict)
            proposal.template, proposal.params = verdict.template, verdict.params
            proposal.decision = proposal.decide(proposal.accepted)
        proposals[key] = proposal
    return proposals


def automatic_decisions(result, threshold=matching.DEFAULT_LINK_THRESHOLD):
    """Decisions an unattended run takes: link where :func:`.matching.threshold_link`
    links at ``threshold``, skip everything else (never create). Returns ``{key:
    (Decision, Verdict)}``; a skip's verdict says why it was not linked."""
    decisions = {}
    for key, match in result.matches.items():
        verdict = matching.threshold_link(match, threshold)
        decision = Decision(LINK, verdict.candidate.company_id) if verdict else Decision(SKIP)
        decisions[key] = (decision, verdict)
    return decisions


# -- the plan ------------------------------------------------------------------------------------


def partners_plan(
    result,
    decisions,
    company_addresses=None,
    fill_empty_addresses=True,
    carry_phone=False,
    left_out=(),
    reasons=None,
):
    """The plan for partners: every kept partner is an UPDATE that sets its parent.

    Built by :func:`.plan.build_plan` (companies to create with the values their contacts
    agree on, existing companies without an address filled, skipped companies' rows
    ignored), then: the partners' own values are not written (only their parent is);
    ``carry_phone`` gives a new company its contacts' most common phone; an existing
    company is only filled where Odoo would otherwise copy a contact's value up to it
    (its empty address, its empty Tax ID), so that the log holds it and a revert undoes
    it; ``left_out`` partners are logged as ignored; ``reasons`` (company key ->
    (template, params)) replace the reason of the rows a decision skipped.
    """
    plan = build_plan(
        result,
        decisions,
        policy="update",
        company_addresses=company_addresses,
        fill_empty_addresses=fill_empty_addresses,
    )
    for contact in plan.contacts:
        contact.values = {}
    records = {r.row: r for r in result.records}
    if carry_phone:
        for company in plan.companies:
            phones = Counter(records[row].values.get("phone") for row in company.rows)
            phones.pop(None, None)
            if phones:
                company.values["phone"] = phones.most_common(1)[0][0]
    for fill in plan.fills:
        fill.fields = {k: v for k, v in fill.fields.items() if k == "vat"}
    if reasons:
        ignored = []
        for item in plan.ignored:
            key = records[item.row].company_key if item.row in records else ""
            if item.status == "skipped" and key in reasons:
                template, params = reasons[key]
                item = replace(item, template=template, params=dict(params))
            ignored.append(item)
        plan.ignored = ignored
    plan.ignored += [Ignored(o.row, "ignored", o.template, dict(o.params), o.raw) for o in left_out]
    plan.ignored.sort(key=lambda item: item.row)
    plan.rows_total = len(result.records) + len(left_out)
    return plan


def row_messages(plan, names, reasons=None, translate=None):
    """What each written row's log line says: which company it was linked to and why, or
    that its company was created. ``names``: company id -> name of the linked companies;
    ``reasons``: company id -> (template, params) of why it was linked (a company chosen
    without one was chosen by a person). Returns ``{row: message}``."""
    created = {row: company.name for company in plan.companies for row in company.rows}
    reasons = reasons or {}
    messages = {}
    for contact in plan.contacts:
        if contact.company_id:
            name = names.get(contact.company_id, "#%s" % contact.company_id)
            why = reasons.get(contact.company_id)
            if why:
                reason = render(why[0], why[1], translate)
                messages[contact.row] = render(WHY_LINKED, {"company": name, "reason": reason}, translate)
            else:
                messages[contact.row] = render(WHY_CHOSEN, {"company": name}, translate)
        elif contact.row in created:
            messages[contact.row] = render(WHY_CREATED, {"company": created[contact.row]}, translate)
    return messages
