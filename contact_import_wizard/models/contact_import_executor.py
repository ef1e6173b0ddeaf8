# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The executor: a plan of the engine written to the database, row by row logged."""

import logging
import time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..engine.normalize import company_key, normalize_url, normalize_vat
from ..engine.plan import ADDRESS_FIELDS, CREATE
from ..engine.values import contact_values

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500


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


class ImportExecutor:
    """Writes one engine plan for one import log, with the rights of the log's environment.

    Resumable and idempotent: rows that already have a log line are not written again,
    companies already created by this import are reused.
    """

    def __init__(self, log, result, plan, options):
        log.ensure_one()
        self.log = log
        self.env = log.env
        self.result = result
        self.plan = plan
        self.options = options or {}
        self.partners = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        )
        self.lines = self.env["contact.import.log.line"]

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
        log, plan, result = self.log, self.plan, self.result
        started = time.monotonic()
        chunk_size = chunk_size or BATCH_SIZE
        commit = commit or (lambda done: True)
        log.write({"state": "running", "date_start": log.date_start or fields.Datetime.now()})
        raw_by_row = {record.row: list(record.raw) for record in result.records}
        done_rows = set(log.line_ids.mapped("row_number"))
        log.rows_total = len(result.records)

        new_companies, error_lines = self._create_companies(raw_by_row)
        self.lines.create([vals for vals in error_lines if vals["row_number"] not in done_rows])
        done_rows.update(vals["row_number"] for vals in error_lines)
        existing = {
            p.id: p for p in self.partners.browse({c.company_id for c in plan.contacts if c.company_id})
        }
        if self.options.get("fill_company_fields") and not log.line_ids.filtered(
            lambda line: line.status == "linked"
        ):
            self._fill_companies(existing)
        log.rows_done = len(done_rows)
        if not commit(0):
            return False
        tag_ids = self._tag_ids([t for c in plan.contacts for t in c.values.get("tags", ())])
        ours = set((log.created_company_ids or {}).values())  # a contact of any other company is "linked"
        todo = [c for c in plan.contacts if c.row not in done_rows]
        for start in range(0, len(todo), chunk_size):
            chunk = todo[start : start + chunk_size]
            lines = []
            creates = [c for c in chunk if c.action == CREATE]
            vals_list, notes, parents = [], {}, {}
            for planned in creates:
                parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
                vals, note = self._contact_vals(planned, parent, tag_ids)
                vals["contact_import_log_id"] = log.id
                vals_list.append(vals)
                notes[planned.row], parents[planned.row] = note, parent
            for row, partner, error in self._create_partners(vals_list, [c.row for c in creates]):
                if partner:
                    status = "linked" if parents[row] and parents[row].id not in ours else "created"
                    lines.append(
                        self._line_vals(row, status, notes[row], partner, parents[row], raw_by_row[row])
                    )
                else:
                    lines.append(self._line_vals(row, "error", error, None, parents[row], raw_by_row[row]))
            updates = [c for c in chunk if c.action != CREATE]
            if updates:
                lines += self._update_contacts(updates, existing, new_companies, tag_ids, raw_by_row)
            self.lines.create(lines)
            log.rows_done += len(lines)
            if not commit(len(lines)):
                return False
        self.lines.create(
            [
                self._line_vals(i.row, i.status, i.reason(self._translate), raw=raw_by_row.get(i.row))
                for i in plan.ignored
                if i.row not in done_rows
            ]
        )
        self._finish(started)
        commit(len(plan.ignored))
        return True

    def dry_run(self):
        """Execute in a savepoint that is rolled back: the log keeps what would have
        happened, row by row (write-time errors included); nothing else is written."""
        log = self.log
        count_fields = [
            "rows_total",
            "contacts_created",
            "contacts_updated",
            "contacts_linked",
            "companies_created",
            "rows_ignored",
            "rows_error",
            "duration",
        ]
        savepoint = self.env.cr.savepoint()
        try:
            self.execute()
            self.env.flush_all()
            outcome = {name: log[name] for name in count_fields}
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
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        self.lines.create(lines)
        log.write(
            dict(
                outcome,
                state=state,
                date_end=fields.Datetime.now(),
                message=self.env._("Dry run: nothing was written; the counts say what an import would do."),
            )
        )

    # -- companies ---------------------------------------------------------------------
    def _existing_companies_by_key(self, keys):
        """Companies the user can see whose name has one of these keys."""
        found = {}
        for company in self.partners.search_fetch([("is_company", "=", True)], ["name"], order="id"):
            key = company_key(company.name or "")
            if key in keys:
                found.setdefault(key, company)
        return found

    def _create_companies(self, raw_by_row):
        """Create the file's new companies once; on a resumed run, find those already
        created by this import. Returns (company key -> partner, error line values)."""
        log = self.log
        known = dict(log.created_company_ids or {})
        new_companies = {key: self.partners.browse(company_id) for key, company_id in known.items()}
        todo = [c for c in self.plan.companies if c.key not in known]
        if todo:
            # Another import may create the same companies at the same time: claim the keys
            # (see contact.import.company.key); a key claimed before is linked, not created.
            claimed = self.env["contact.import.company.key"]._claim([c.key for c in todo])
            unclaimed = {c.key for c in todo} - claimed
            if unclaimed:
                new_companies.update(self._existing_companies_by_key(unclaimed))
            # (an unclaimed key whose company was since renamed is created all the same)
            todo = [c for c in todo if c.key not in new_companies]
        company_vals = [dict(c.values, is_company=True, contact_import_log_id=log.id) for c in todo]
        error_lines = []
        for (key, partner, error), company in zip(
            self._create_partners(company_vals, [c.key for c in todo]), todo, strict=True
        ):
            if partner:
                new_companies[key] = partner
                known[key] = partner.id
            else:
                message = self.env._(
                    "Company %(name)s could not be created: %(error)s", name=company.name, error=error
                )
                error_lines += [
                    self._line_vals(row, "error", message, raw=raw_by_row.get(row)) for row in company.rows
                ]
        log.created_company_ids = known
        self.env["contact.import.company.key"]._record({key: new_companies[key] for key in known})
        return new_companies, error_lines

    def _fill_companies(self, existing):
        """Opt-in: fill the empty fields of existing companies from the rows that agree."""
        records = {r.row: r for r in self.result.records}
        rows_by_company = {}
        for planned in self.plan.contacts:
            if planned.company_id:
                rows_by_company.setdefault(planned.company_id, []).append(records[planned.row])
        for company_id, rows in rows_by_company.items():
            company = existing[company_id]
            vals = {}
            for field_name, key, clean in (
                ("website", "company_website", normalize_url),
                ("vat", "company_vat", normalize_vat),
            ):
                seen = {clean(r.values.get(key) or "") for r in rows} - {""}
                if len(seen) == 1 and not company[field_name]:
                    vals[field_name] = seen.pop()
            addresses = {tuple(r.values.get(k) for k in ADDRESS_FIELDS) for r in rows}
            addresses.discard((None,) * len(ADDRESS_FIELDS))
            if len(addresses) == 1 and not any(company[k] for k in ADDRESS_FIELDS):
                vals.update({k: v for k, v in zip(ADDRESS_FIELDS, addresses.pop(), strict=True) if v})
            if vals:
                company.write(vals)

    # -- contacts ----------------------------------------------------------------------
    def _tag_ids(self, names):
        """Tag name (case-insensitive) -> id, creating the missing tags in one batch."""
        Tag = self.env["res.partner.category"]
        wanted = {n.casefold(): n for n in names}
        found = {}
        if wanted:
            for tag in Tag.search_fetch([("name", "in", list(set(names)))], ["name"]):
                found.setdefault(tag.name.casefold(), tag.id)
            missing = [name for key, name in wanted.items() if key not in found]
            if missing:
                for tag in Tag.create([{"name": name} for name in missing]):
                    found[tag.name.casefold()] = tag.id
        return found

    def _contact_vals(self, planned, parent, tag_ids):
        """Partner values for a planned contact: (vals, log message)."""
        parent_address = {k: address_value(parent[k]) for k in ADDRESS_FIELDS} if parent else None
        vals, notes, messages = contact_values(
            planned.values,
            parent_address,
            self.options.get("address_policy", "company"),
            "mobile" in self.partners._fields,
        )
        comment = "\n".join(
            filter(None, [vals.pop("comment", None), *(n.render(self._translate) for n in notes)])
        )
        if comment:
            vals["comment"] = plaintext2html(comment)
        tags = vals.pop("tags", None)
        if tags:
            vals["category_id"] = [(6, 0, sorted({tag_ids[t.casefold()] for t in tags}))]
        if parent:
            vals["parent_id"] = parent.id
        return vals, " ".join(m.render(self._translate) for m in messages)

    def _create_partners(self, vals_list, label_rows):
        """Create partners in one batch; if the batch fails, one by one so that only the
        failing rows are lost. Returns [(row, partner or None, error or None)]."""
        try:
            with self.env.cr.savepoint():
                partners = self.partners.create(vals_list)
            return [(row, partner, None) for row, partner in zip(label_rows, partners, strict=True)]
        except Exception:
            _logger.info("Batch create failed, retrying row by row", exc_info=True)
        results = []
        for row, vals in zip(label_rows, vals_list, strict=True):
            try:
                with self.env.cr.savepoint():
                    results.append((row, self.partners.create(vals), None))
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                results.append((row, None, friendly_error(self.env, exc)))
        return results

    def _update_contacts(self, updates, existing, new_companies, tag_ids, raw_by_row):
        """Update existing contacts: the whole chunk in one savepoint, and only if that
        fails, one savepoint per contact so that a failing row is isolated. Returns their
        log line values."""
        partners = self.partners.browse([c.partner_id for c in updates])
        partners.fetch(["parent_id", *ADDRESS_FIELDS])  # one query, not one per row
        writes = []
        for planned, partner in zip(updates, partners, strict=True):
            parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
            vals, note = self._contact_vals(planned, parent or partner.parent_id, tag_ids)
            if not parent:
                vals.pop("parent_id", None)
            previous = {
                k: partner._fields[k].convert_to_read(partner[k], partner, use_display_name=False)
                for k in vals
                if k in partner._fields
            }
            writes.append((planned, partner, vals, note, previous, parent or partner.parent_id))

        def updated(planned, partner, note, previous, company):
            raw = raw_by_row[planned.row]
            return self._line_vals(planned.row, "updated", note, partner, company, raw, previous)

        try:
            with self.env.cr.savepoint():
                for _planned, partner, vals, _note, _previous, _company in writes:
                    partner.write(vals)
            return [
                updated(p, partner, note, prev, company) for p, partner, _v, note, prev, company in writes
            ]
        except Exception:
            _logger.info("Batch update failed, retrying row by row", exc_info=True)
        lines = []
        for planned, partner, vals, note, previous, company in writes:
            try:
                with self.env.cr.savepoint():
                    partner.write(vals)
                lines.append(updated(planned, partner, note, previous, company))
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                raw = raw_by_row[planned.row]
                lines.append(
                    self._line_vals(planned.row, "error", friendly_error(self.env, exc), partner, raw=raw)
                )
        return lines

    def _line_vals(self, row, status, message="", partner=None, company=None, raw=None, previous=None):
        return {
            "log_id": self.log.id,
            "row_number": row,
            "status": status,
            "message": message or False,
            "partner_id": partner.id if partner else False,
            "company_partner_id": company.id if company else False,
            "values": raw,
            "previous_values": previous,
        }

    # -- the end -----------------------------------------------------------------------
    def _finish(self, started):
        """Remove created companies none of whose contacts was written; count the lines."""
        log = self.log
        created = dict(log.created_company_ids or {})
        kept = set(
            self.lines.search([("log_id", "=", log.id), ("status", "!=", "error")]).company_partner_id.ids
        )
        orphans = {key: company_id for key, company_id in created.items() if company_id not in kept}
        if orphans:
            self.lines.search(
                [("log_id", "=", log.id), ("company_partner_id", "in", list(orphans.values()))]
            ).write({"company_partner_id": False})
            self.partners.browse(list(orphans.values())).unlink()
            log.created_company_ids = {k: v for k, v in created.items() if k not in orphans}
        counts = dict.fromkeys(("created", "updated", "linked", "skipped", "ignored", "error"), 0)
        for status, count in self.lines._read_group([("log_id", "=", log.id)], ["status"], ["__count"]):
            counts[status] = count
        log.write(
            {
                "state": "done_errors" if counts["error"] else "done",
                "date_end": fields.Datetime.now(),
                "duration": (log.duration or 0) + time.monotonic() - started,
                "rows_done": log.rows_total,
                "contacts_created": counts["created"] + counts["linked"],
                "contacts_updated": counts["updated"],
                "contacts_linked": counts["linked"],
                "companies_created": len(log.created_company_ids or {}),
                "rows_ignored": counts["skipped"] + counts["ignored"],
                "rows_error": counts["error"],
            }
        )
        return counts
