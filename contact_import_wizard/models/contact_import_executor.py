# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The executor: a plan of the engine written to the database, every row logged.

Partners are written with the rights of the user who runs the import (the log's
environment); the log and its lines, which users may only read, are written by the
executor with ``sudo()``, after the caller checked who may run it.
"""

import functools
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, escape_psql, json_default, plaintext2html

from ..engine.messages import _lt
from ..engine.normalize import company_key
from ..engine.plan import ADDRESS_FIELDS, ADDRESS_SAME, CREATE
from ..engine.values import TRACKED_FIELDS, contact_values
from .res_partner import IMPORT_TOKEN

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ADDRESS_REPLACED = _lt(
    "Its own address was replaced by its company's, as Odoo does for a Contact of a company; "
    "the previous one is kept in this line, and a revert gives it back."
)
# The columns of contact.import.log.line the executor writes (see ImportExecutor._insert_lines).
LINE_COLUMNS = ("log_id", "row_number", "status", "message", "partner_id", "company_partner_id")
LINE_JSON_COLUMNS = ("values", "previous_values", "written_values")


def address_value(value):
    """A field value as the engine gives it: records as ids, empty as None."""
    if hasattr(value, "_name"):
        return value.id or None
    return value or None


def friendly_error(env, exc):
    """Words a user understands for an exception raised while writing a row."""
    if isinstance(exc, UserError):  # ValidationError and AccessError included
        return str(exc.args[0]) if exc.args else str(exc)
    diag = getattr(exc, "diag", None)
    detail = getattr(diag, "message_primary", None) or (str(exc).splitlines() or [exc.__class__.__name__])[0]
    return env._("The database refused this row: %(detail)s", detail=detail)


def read_values(record, names):
    """``names`` of ``record`` as JSON-ready values (ids for relations)."""
    return record.env["contact.import.engine"]._read_values(record, names)


@dataclass
class Inherited:
    """What a new contact takes from its company (see ImportExecutor._inherited_values)."""

    commercial: dict  # commercial fields the importing user may write
    commercial_sudo: dict  # the others, written as superuser after the create
    dependent: object  # the commercial entity, when it has company-dependent commercial fields
    address: dict  # the company's address (empty when it has none)
    lang: str
    default_type: str

    def apply(self, vals):
        """Complete a contact's create values as res.partner's sync would after its
        create: commercial fields over the row's, the address of a contact of type Contact
        over the row's, the company's language unless the row gives one."""
        vals.update(self.commercial)
        if vals.get("type", self.default_type) == "contact":
            vals.update(self.address)
        vals.setdefault("lang", self.lang)


class ImportExecutor:
    """Writes one engine :class:`~..engine.plan.Plan` for one import log.

    Resumable and idempotent: rows that already have a log line are not written again,
    companies already created by this import are reused. The steps can run in one
    transaction (:meth:`execute`) or in several (:meth:`prepare`, :meth:`write_rows` per
    chunk, :meth:`finish`), each in its own job.
    """

    def __init__(self, log, plan, options):
        log.ensure_one()
        self.env = log.env
        self.log = log.sudo()  # read-only for users: written by the server only
        self.plan = plan
        self.options = options or {}
        self.partners = self.env["res.partner"].with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            contact_import_token=IMPORT_TOKEN,
        )
        self.lines = self.env["contact.import.log.line"].sudo()
        self._inherited = {}  # company id -> what its new contacts take from it (Inherited)
        self._raw = {c.row: c.raw for c in plan.contacts}
        self._raw.update({i.row: i.raw for i in plan.ignored})
        self._raw.update({c.row: c.raw for c in plan.companies if c.row is not None})

    def _translate(self, template):
        return self.env._(template)  # pylint: disable=translation-required

    # -- the run -----------------------------------------------------------------------
    def execute(self, commit=None, chunk_size=None):
        """Write the plan and log every row.

        ``commit`` (a callable) is called after the companies and after each chunk of rows
        with the number of rows it wrote; it may commit the transaction (background jobs
        do) and returns False to stop there (cancelled, out of time), to go on later.
        Returns whether the import reached its end.
        """
        started = time.monotonic()
        commit = commit or (lambda done: True)
        self.prepare()
        if not commit(0):
            return False
        todo = self.rows_to_do()
        chunk_size = chunk_size or BATCH_SIZE
        for start in range(0, len(todo), chunk_size):
            written = self.write_rows(todo[start : start + chunk_size])
            if not commit(written):
                return False
        self.finish(started)
        commit(0)
        return True

    def rows_to_do(self):
        """Row numbers of the plan's contacts not logged yet, in file order."""
        done = self._logged_rows()
        return [c.row for c in self.plan.contacts if c.row not in done]

    def prepare(self):
        """Start (or resume) the import: create its companies, fill the empty ones."""
        log = self.log
        # A run that starts here is timed by this process; one that goes on (the next slice
        # of a background import) by the clock, from the run's start.
        self._started_here = not log.date_start
        log.write({"state": "running", "date_start": log.date_start or fields.Datetime.now()})
        done = self._logged_rows()
        error_lines = self._create_companies()
        self._insert_lines([vals for vals in error_lines if vals["row_number"] not in done])
        # Every tag of the file now, once: chunks running at the same time (queue_job) only
        # find them, and never create the same tag twice.
        self._tag_ids([t for c in self.plan.contacts if c.row not in done for t in c.values.get("tags", ())])
        if not log.companies_filled:
            self._fill_companies()

    def write_rows(self, rows):
        """Write the planned contacts of these row numbers and log them; returns how many."""
        rows = set(rows)
        chunk = [c for c in self.plan.contacts if c.row in rows]
        new_companies = self._new_companies()
        existing = self.partners.browse({c.company_id for c in chunk if c.company_id})
        existing = {p.id: p for p in existing.exists()}
        tag_ids = self._tag_ids([t for c in chunk for t in c.values.get("tags", ())])
        creates = [c for c in chunk if c.action == CREATE]
        lines = self._create_contacts(creates, existing, new_companies, tag_ids)
        updates = [c for c in chunk if c.action != CREATE]
        if updates:
            lines += self._update_contacts(updates, existing, new_companies, tag_ids)
        self._insert_lines(lines)
        return len(lines)

    def finish(self, started=None):
        """Log the ignored rows, remove created companies none of whose contacts was written,
        and close the log."""
        log = self.log
        done = self._logged_rows()
        self._insert_lines(
            [
                self._line_vals(i.row, i.status, i.reason(self._translate))
                for i in self.plan.ignored
                if i.row not in done
            ]
        )
        self._remove_orphan_companies()
        log.invalidate_recordset()
        has_errors = bool(self.lines.search_count([("log_id", "=", log.id), ("status", "=", "error")]))
        if started and getattr(self, "_started_here", False):
            elapsed = time.monotonic() - started
        else:
            elapsed = log._run_seconds()
        log.write(
            {
                "state": "done_errors" if has_errors else "done",
                "date_end": fields.Datetime.now(),
                "duration": (log.duration or 0) + elapsed,
            }
        )

    def dry_run(self):
        """Execute in a savepoint that is rolled back: the log keeps what would have
        happened, row by row (write-time errors included); nothing else is written."""
        log = self.log
        savepoint = self.env.cr.savepoint()
        try:
            self.execute()
            self.env.flush_all()
            state = log.state
            lines = [
                {
                    "log_id": log.id,
                    "row_number": line.row_number,
                    "status": line.status,
                    "message": line.message,
                    "values": line.values,
                }
                for line in log.line_ids
            ]
            companies = len(log.created_company_ids or {})
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        self._insert_lines(lines)
        log.write(
            {
                "state": state,
                "dry_run": True,
                "dry_run_companies": companies,
                "date_end": fields.Datetime.now(),
                "message": self.env._(
                    "Dry run: nothing was written; the counts say what an import would do."
                ),
            }
        )

    # -- companies ---------------------------------------------------------------------
    def _new_companies(self):
        """Company key -> the company this import created for it (or found created)."""
        created = self.log.created_company_ids or {}
        return {key: self.partners.browse(company_id) for key, company_id in created.items()}

    def _existing_companies_by_key(self, keys):
        """Companies the user can see whose name has one of these keys."""
        found = {}
        for company in self.partners.search_fetch([("is_company", "=", True)], ["name"], order="id"):
            key = company_key(company.name or "")
            if key in keys:
                found.setdefault(key, company)
        return found

    def _create_companies(self):
        """Create the file's new companies once; on a resumed run, find those already
        created by this import. Returns the error line values of the companies that
        could not be created."""
        log = self.log
        known = dict(log.created_company_ids or {})
        found = {}
        todo = todo_all = [c for c in self.plan.companies if c.key not in known]
        if todo:
            # Another import may create the same companies at the same time: claim the keys
            # (see contact.import.company.key); a key claimed meanwhile is linked, not
            # created again. A company the user chose to create although one of that name
            # exists ("forced") is created whatever the claims say.
            claimable = [c.key for c in todo if not c.forced]
            claimed = self.env["contact.import.company.key"]._claim(claimable)
            unclaimed = set(claimable) - claimed
            if unclaimed:
                found = self._existing_companies_by_key(unclaimed)
            # (an unclaimed key whose company was since renamed is created all the same)
            todo = [c for c in todo if c.key not in found]
        tag_ids = self._tag_ids([t for c in todo for t in c.values.get("tags", ())])
        company_vals = []
        for company in todo:
            vals, _message = self._contact_vals(company, None, tag_ids)
            company_vals.append(dict(vals, is_company=True, contact_import_log_id=log.id))
        error_lines, created, written_by_id = [], {}, {}
        for (key, partner, error), company in zip(
            self._create_partners(company_vals, [c.key for c in todo]), todo, strict=True
        ):
            if partner:
                created[key] = partner
                written = written_by_id[str(partner.id)] = read_values(partner, TRACKED_FIELDS)
                if company.row is not None:
                    error_lines.append(self._line_vals(company.row, "company", "", partner, written=written))
            else:
                message = self.env._(
                    "Company %(name)s could not be created: %(error)s", name=company.name, error=error
                )
                rows = [*company.rows, *([company.row] if company.row is not None else [])]
                error_lines += [self._line_vals(row, "error", message) for row in rows]
        for key, partner in found.items():
            company = next(c for c in todo_all if c.key == key)
            if company.row is not None:
                message = self.env._(
                    "Company %(name)s was created meanwhile by another import: "
                    "its contacts are linked to it.",
                    name=partner.display_name,
                )
                error_lines.append(self._line_vals(company.row, "skipped", message, partner))
        if created:
            log.created_company_values = dict(log.created_company_values or {}, **written_by_id)
        known.update({key: p.id for key, p in created.items()})
        known.update({key: p.id for key, p in found.items()})
        linked_keys = sorted(set(log.linked_company_keys or ()) | set(found))
        log.write({"created_company_ids": known, "linked_company_keys": linked_keys})
        forced = {c.key for c in self.plan.companies if c.forced}
        self.env["contact.import.company.key"]._record(
            {key: partner for key, partner in created.items() if key not in forced}
        )
        return error_lines

    def _fill_companies(self):
        """Fill what is still empty in existing companies: the address of those without
        any (unless turned off in Review), website and Tax ID on opt-in. What was there
        before and what was written are kept on the log, for a revert."""
        fills = {}
        # Archived companies the user chose to link and unarchive.
        archived = self.partners.with_context(active_test=False).browse(self.plan.unarchive).exists()
        for company in archived.filtered(lambda c: not c.active):
            previous = read_values(company, ["active"])
            company.active = True
            fills[str(company.id)] = {"previous": previous, "written": read_values(company, ["active"])}
        for fill in self.plan.fills:
            company = self.partners.browse(fill.company_id).exists()
            if not company:
                continue
            vals = {}
            fill_address = fill.address and self.options.get("fill_empty_addresses", True)
            if fill_address and not any(company[k] for k in ADDRESS_FIELDS):
                vals.update(fill.address)
            if self.options.get("fill_company_fields"):
                vals.update({k: v for k, v in fill.fields.items() if not company[k]})
            if vals:
                previous = read_values(company, vals)
                company.write(vals)
                change = fills.setdefault(str(company.id), {"previous": {}, "written": {}})
                change["previous"].update(previous)
                change["written"].update(read_values(company, vals))
        self.log.write({"company_fills": fills, "companies_filled": True})

    def _remove_orphan_companies(self):
        """Remove the companies this import created none of whose contacts was written."""
        log = self.log
        created = dict(log.created_company_ids or {})
        with_rows = {c.key for c in self.plan.companies if c.row is not None}
        our_ids = set(self.log._our_company_ids())
        ours = {key: cid for key, cid in created.items() if cid in our_ids and key not in with_rows}
        kept = set(
            self.lines.search([("log_id", "=", log.id), ("status", "!=", "error")]).company_partner_id.ids
        )
        orphans = {key: cid for key, cid in ours.items() if cid not in kept}
        if orphans:
            self.lines.search(
                [("log_id", "=", log.id), ("company_partner_id", "in", list(orphans.values()))]
            ).write({"company_partner_id": False})
            self.partners.browse(list(orphans.values())).unlink()
            log.created_company_ids = {k: v for k, v in created.items() if k not in orphans}

    # -- contacts ----------------------------------------------------------------------
    def _tag_ids(self, names):
        """Tag name (case-insensitive) -> id, creating the missing tags in one batch."""
        Tag = self.env["res.partner.category"]
        wanted = {n.casefold(): n for n in names}
        found = {}
        if wanted:
            domain = [("name", "=ilike", escape_psql(name)) for name in wanted.values()]
            domain = ["|"] * (len(domain) - 1) + domain
            for tag in Tag.search_fetch(domain, ["name"], order="id"):
                found.setdefault(tag.name.casefold(), tag.id)
            missing = [name for key, name in wanted.items() if key not in found]
            if missing:
                for tag in Tag.create([{"name": name} for name in missing]):
                    found[tag.name.casefold()] = tag.id
        return found

    def _contact_vals(self, planned, parent, tag_ids, existing=None):
        """Partner values for a planned contact: (vals, log message). ``existing``: the
        contact being updated (its tags are added to, its notes appended to)."""
        vals, notes, messages = contact_values(
            planned.values,
            bool(parent),
            getattr(planned, "address_action", ADDRESS_SAME),
            "mobile" in self.partners._fields,
            keeps_type=existing is not None,
        )
        comment = "\n".join(
            filter(None, [vals.pop("comment", None), *(n.render(self._translate) for n in notes)])
        )
        if comment:
            html = plaintext2html(comment)
            if existing is not None and existing.comment:
                # the same file imported again adds nothing it already added
                html = existing.comment if html in existing.comment else existing.comment + html
            if existing is None or html != existing.comment:
                vals["comment"] = html
        tags = vals.pop("tags", None)
        if tags:
            ids = sorted({tag_ids[t.casefold()] for t in tags})
            # An update adds the file's tags to the contact's own; a new contact has them only.
            vals["category_id"] = (
                [Command.link(i) for i in ids] if existing is not None else [Command.set(ids)]
            )
        if parent:
            vals["parent_id"] = parent.id
        return vals, " ".join(m.render(self._translate) for m in messages)

    def _create_contacts(self, creates, existing, new_companies, tag_ids):
        ours = set(self.log._our_company_ids())
        vals_list, messages, parents = [], {}, {}
        for planned in creates:
            parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
            vals, message = self._contact_vals(planned, parent, tag_ids)
            vals["contact_import_log_id"] = self.log.id
            vals_list.append(vals)
            messages[planned.row], parents[planned.row] = message, parent
        inherited = self._inherited_values({p.id for p in parents.values() if p})
        for vals, planned in zip(vals_list, creates, strict=True):
            if parents[planned.row]:
                inherited[parents[planned.row].id].apply(vals)
        self._precompute(vals_list)
        lines = []
        results = self._create_partners(vals_list, [c.row for c in creates], sync=True)
        written = self._written_values([partner for _row, partner, _error in results if partner])
        for row, partner, error in results:
            parent = parents[row]
            if partner:
                status = "linked" if parent and parent.id not in ours else "created"
                lines.append(
                    self._line_vals(row, status, messages[row], partner, parent, written=written[partner.id])
                )
            else:
                lines.append(self._line_vals(row, "error", error, None, parent))
        return lines

    def _create_partners(self, vals_list, labels, sync=False):
        """Create partners in one batch; if the batch fails, one by one so that only the
        failing rows are lost. Returns [(label, partner or None, error or None)].

        ``sync``: these are contacts, whose values already hold what they take from their
        company (see :meth:`_inherited_values`); Odoo's own synchronisation, record by
        record, is skipped (as Odoo's data loading does) for what is left of it, once per
        company (see :meth:`_sync_from_parents`)."""
        Partner = self.partners.with_context(_partners_skip_fields_sync=True) if sync else self.partners

        def create(vals_list):
            partners = Partner.create(vals_list)
            if sync:
                self._sync_from_parents(partners)
            self._discard_empty_image_resizes(partners)
            return partners

        try:
            with self.env.cr.savepoint():
                partners = create(vals_list)
            return [(label, partner, None) for label, partner in zip(labels, partners, strict=True)]
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole transaction is retried, not the row
        except Exception:
            _logger.info("Batch create failed, retrying row by row", exc_info=True)
        results = []
        for label, vals in zip(labels, vals_list, strict=True):
            try:
                with self.env.cr.savepoint():
                    partner = create([vals])
                results.append((label, partner, None))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                results.append((label, None, friendly_error(self.env, exc)))
        return results

    def _inherited_values(self, parent_ids):
        """What res.partner.create copies from a company onto each new contact of it (its
        _fields_sync: the commercial fields of its commercial entity, the company's
        address to a contact of type Contact, and the company's language), read once per
        company: {company id: :class:`Inherited`}.

        The contacts are created with these values instead of receiving them by a write
        each after their creation: the same values end up in the database, in one
        INSERT. Commercial fields the importing user may not write are written after the
        create, as superuser, as Odoo's own sync does."""
        inherited = self._inherited
        todo = sorted(set(parent_ids) - inherited.keys())
        if not todo:
            return inherited
        Partner = self.partners.sudo()  # Odoo's own sync reads the companies as superuser
        defaults = self.partners.default_get(["lang", "type"])
        default_lang = defaults.get("lang")
        dependent = set(Partner._company_dependent_commercial_fields())
        for parent in Partner.browse(todo):
            commercial = parent.commercial_partner_id._get_commercial_values()
            allowed = {
                name: value
                for name, value in commercial.items()
                if self.partners._has_field_access(self.partners._fields[name], "write")
            }
            inherited[parent.id] = Inherited(
                commercial=allowed,
                commercial_sudo={k: v for k, v in commercial.items() if k not in allowed},
                dependent=parent.commercial_partner_id if dependent & commercial.keys() else None,
                address=parent._get_address_values(),
                lang=parent.lang or default_lang or self.env.lang,
                default_type=defaults.get("type"),
            )
        return inherited

    def _sync_from_parents(self, partners):
        """What the contacts could not be created with (see :meth:`_inherited_values`):
        commercial fields the user may not write, and the company-dependent commercial
        fields in the other companies, written once per company for all its contacts."""
        Partner = self.partners.sudo()  # Odoo's own sync writes the commercial fields as superuser too
        by_parent = defaultdict(list)
        for partner in partners:
            if partner.parent_id:
                by_parent[partner.parent_id.id].append(partner.id)
        other_companies = None
        for parent_id, child_ids in by_parent.items():
            values = self._inherited[parent_id]
            children = Partner.browse(child_ids)
            if values.commercial_sudo:
                children.write(values.commercial_sudo)
            if values.dependent:
                if other_companies is None:
                    other_companies = self.env["res.company"].sudo().search([]) - self.env.company
                fields_ = Partner._company_dependent_commercial_fields()
                for company in other_companies:
                    in_company = values.dependent.with_company(company)
                    children.with_company(company).write(in_company._convert_fields_to_values(fields_))

    def _precompute(self, vals_list):
        """Values of the precomputed fields the rows do not give (the salesperson a contact
        takes from its company), computed once per group of rows that agree on what the
        field depends on, on a new record holding only that, instead of once per row on a
        new record holding all its values (as create does): create then keeps them as
        given. What the field depends on: its declared dependencies, plus is_company and
        type (that such methods read without declaring them), defaults included."""
        Partner = self.partners
        defaults = None
        for field in Partner._fields.values():
            # properties: from create's defaults; with an inverse: create would call it for
            # a given value, not for a value it precomputes itself
            if not field.precompute or field.type == "properties" or field.inverse:
                continue
            todo = [vals for vals in vals_list if field.name not in vals]
            if not todo:
                continue
            if defaults is None:
                defaults = Partner.default_get(list(Partner._fields))
            names = {path.split(".")[0] for path in Partner.pool.field_depends.get(field, ())}
            names = sorted(names | {"is_company", "type"})
            groups = defaultdict(list)
            for vals in todo:
                given = {n: vals.get(n, defaults.get(n)) for n in names if n in vals or n in defaults}
                groups[repr(sorted(given.items()))].append((given, vals))
            records = Partner.browse().concat(*(Partner.new(group[0][0]) for group in groups.values()))
            for record, group in zip(records, groups.values(), strict=True):
                value = field.convert_to_write(record[field.name], record)
                for _given, vals in group:
                    vals[field.name] = value

    def _discard_empty_image_resizes(self, partners):
        """New partners without image (none given, none by default): Odoo would still
        resize their empty image into each smaller size, partner by partner, looking each
        time for attachments to replace. There is nothing to resize nor to store: mark
        those sizes as computed (empty, as they are)."""
        for field in partners._fields.values():
            if field.type not in ("binary", "image") or not (field.store and field.attachment):
                continue
            if not (field.compute and field.related) or "." in field.related:
                continue
            # the image as create left it in the cache (nothing is read from the database)
            if not any(partners.mapped(field.related)):
                self.env.remove_to_compute(field, partners)

    def _written_values(self, partners):
        """{partner id: TRACKED_FIELDS as they are now} of new partners, read in one batch."""
        if not partners:
            return {}
        records = self.partners.browse([p.id for p in partners])
        names = [name for name in TRACKED_FIELDS if name in records._fields]
        records.fetch(names)
        return {record.id: read_values(record, names) for record in records}

    def _update_contacts(self, updates, existing, new_companies, tag_ids):
        """Update existing contacts: the whole chunk in one savepoint, and only if that
        fails, one savepoint per contact so that a failing row is isolated. Returns their
        log line values."""
        partners = self.partners.browse([c.partner_id for c in updates])
        partners.fetch(["parent_id", "type", "comment", "category_id", *ADDRESS_FIELDS])
        writes = []
        for planned, partner in zip(updates, partners, strict=True):
            parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
            vals, note = self._contact_vals(planned, parent or partner.parent_id, tag_ids, existing=partner)
            if not parent:
                vals.pop("parent_id", None)
            previous = read_values(partner, [*vals, *self._synced_from_parent(partner, vals)])
            if self._address_replaced(partner, parent):
                note = " ".join(filter(None, [note, self.env._(ADDRESS_REPLACED)]))
            writes.append((planned, partner, vals, note, previous, parent or partner.parent_id))

        def updated(planned, partner, vals, note, previous, company):
            return self._line_vals(
                planned.row, "updated", note, partner, company, previous, read_values(partner, vals)
            )

        try:
            with self.env.cr.savepoint():
                for _planned, partner, vals, _note, _previous, _company in writes:
                    partner.write(vals)
            return [updated(*write) for write in writes]
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:
            _logger.info("Batch update failed, retrying row by row", exc_info=True)
        lines = []
        for planned, partner, vals, note, previous, company in writes:
            try:
                with self.env.cr.savepoint():
                    partner.write(vals)
                lines.append(updated(planned, partner, vals, note, previous, company))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                lines.append(self._line_vals(planned.row, "error", friendly_error(self.env, exc), partner))
        return lines

    def _synced_from_parent(self, partner, vals):
        """Fields Odoo changes on ``partner`` when ``vals`` gives it another parent: it clears
        the free-text company name, copies the company's commercial fields (Tax ID...) and,
        for a contact of type Contact, its address. Kept with what was written, so that a
        revert gives the contact back what it had."""
        if not vals.get("parent_id") or vals["parent_id"] == partner.parent_id.id:
            return []
        return self._parent_synced_fields

    @functools.cached_property
    def _parent_synced_fields(self):
        """The fields of :meth:`_synced_from_parent`, the same for every row: worked out once."""
        names = ["company_name", "type", *self.partners._commercial_fields(), *ADDRESS_FIELDS]
        fields_ = self.partners._fields
        # (company-dependent ones, per company, are left to Odoo's own sync)
        return [
            name
            for name in dict.fromkeys(names)
            if name in fields_
            and not fields_[name].company_dependent
            and self.partners._has_field_access(fields_[name], "write")
        ]

    @staticmethod
    def _address_replaced(partner, parent):
        """Whether linking ``partner`` (a Contact) to a new ``parent`` makes Odoo replace its
        own address by the company's."""
        if not parent or parent == partner.parent_id or partner.type != "contact":
            return False
        own = {k: address_value(partner[k]) for k in ADDRESS_FIELDS if partner[k]}
        theirs = {k: address_value(parent[k]) for k in ADDRESS_FIELDS if parent[k]}
        return bool(own and theirs and own != theirs)

    def _logged_rows(self):
        """Row numbers that have a log line already (read without loading the lines)."""
        self.lines.flush_model(["log_id", "row_number"])
        self.env.cr.execute(
            SQL("SELECT row_number FROM contact_import_log_line WHERE log_id = %s", self.log.id)
        )
        return {row for (row,) in self.env.cr.fetchall()}

    def _insert_lines(self, vals_list):
        """Insert log lines (the values of :meth:`_line_vals`) in one statement.

        The lines are the import's own audit records, written by the server only, many
        thousands per import: one INSERT of a JSON array instead of the ORM's create,
        which spends more on converting each line's JSON values (twice) than the import
        spends on the line itself. What ends up in the table is what create() writes:
        empty JSON values and False are NULL, the creation and writing user and date
        are the current ones."""
        if not vals_list:
            return
        rows = []
        for vals in vals_list:
            row = {name: None if vals.get(name) is False else vals.get(name) for name in LINE_COLUMNS}
            for name in LINE_JSON_COLUMNS:
                row[name] = vals.get(name) or None
            rows.append(row)
        self.lines.flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO contact_import_log_line
                        (log_id, row_number, status, message, partner_id, company_partner_id,
                         "values", previous_values, written_values,
                         create_uid, create_date, write_uid, write_date)
                   SELECT t.log_id, t.row_number, t.status, t.message, t.partner_id, t.company_partner_id,
                          t."values", t.previous_values, t.written_values,
                          %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM jsonb_to_recordset(%(lines)s::jsonb) AS t(
                          log_id int, row_number int, status varchar, message text, partner_id int,
                          company_partner_id int, "values" jsonb, previous_values jsonb, written_values jsonb)
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                lines=json.dumps(rows, ensure_ascii=False, default=json_default),
            )
        )
        # The lines changed behind the ORM's back: what it knows of this log is stale.
        self.log.invalidate_recordset()

    def _line_vals(self, row, status, message="", partner=None, company=None, previous=None, written=None):
        return {
            "log_id": self.log.id,
            "row_number": row,
            "status": status,
            "message": message or False,
            "partner_id": partner.id if partner else False,
            "company_partner_id": company.id if company else False,
            "values": list(self._raw[row]) if row in self._raw else None,
            "previous_values": previous,
            "written_values": written,
        }
