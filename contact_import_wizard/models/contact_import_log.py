# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import csv
import io
import logging
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..engine.export import neutralise
from ..engine.normalize import normalize_url, normalize_vat
from ..engine.plan import ADDRESS_FIELDS, CREATE

_logger = logging.getLogger(__name__)

LOG_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("done_errors", "Done with errors"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
BATCH_SIZE = 500


class ContactImportLog(models.Model):
    _name = "contact.import.log"
    _description = "Contact Import Log"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Imported by", required=True, readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    file_name = fields.Char(readonly=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Original file", readonly=True, ondelete="set null"
    )
    headers = fields.Json(readonly=True, help="Columns of the file, in order.")
    mapping_used = fields.Json(readonly=True, help="Column -> contact field.")
    mapping_id = fields.Many2one("contact.import.mapping", string="Mapping template", readonly=True)
    decisions = fields.Json(readonly=True, help="Reference Data decisions, per company of the file.")
    options = fields.Json(readonly=True)
    state = fields.Selection(LOG_STATES, default="draft", required=True, readonly=True, index=True)
    date_start = fields.Datetime(string="Started", readonly=True)
    date_end = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))
    rows_total = fields.Integer(string="Rows", readonly=True)
    line_ids = fields.One2many("contact.import.log.line", "log_id", string="Rows of the file", readonly=True)
    contacts_created = fields.Integer(readonly=True)
    contacts_updated = fields.Integer(readonly=True)
    contacts_linked = fields.Integer(string="Linked to existing companies", readonly=True)
    companies_created = fields.Integer(readonly=True)
    rows_ignored = fields.Integer(string="Ignored", readonly=True)
    rows_error = fields.Integer(string="Errors", readonly=True)
    message = fields.Text(readonly=True)
    details = fields.Text(string="Mapping and decisions", compute="_compute_details")

    @api.depends("file_name", "create_date")
    def _compute_name(self):
        for log in self:
            date = fields.Datetime.to_string(log.create_date) if log.create_date else ""
            log.name = " ".join(part for part in (log.file_name or self.env._("Import"), date) if part)

    @api.depends("mapping_used", "decisions", "options")
    def _compute_details(self):
        labels = {"create": self.env._("create"), "link": self.env._("link"), "skip": self.env._("skip")}
        for log in self:
            lines = [self.env._("Columns:")]
            for header, target in (log.mapping_used or {}).items():
                lines.append(f"  {header} → {target or '-'}")
            lines.append(self.env._("Companies of the file:"))
            for decision in (log.decisions or {}).values():
                target = f" #{decision['company_id']}" if decision.get("company_id") else ""
                lines.append(
                    f"  {decision['name']}: {labels.get(decision['decision'], decision['decision'])}{target}"
                )
            options = log.options or {}
            if options:
                lines.append(
                    self.env._(
                        "Contacts already in Odoo: %(policy)s; addresses: %(address)s; "
                        "fill company fields: %(fill)s",
                        policy=options.get("duplicate_policy"),
                        address=options.get("address_policy"),
                        fill=options.get("fill_company_fields"),
                    )
                )
            log.details = "\n".join(lines)

    # -- smart buttons -----------------------------------------------------------------
    def _partners_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_view_created_contacts(self):
        self.ensure_one()
        ids = self.line_ids.filtered(lambda line: line.status in ("created", "linked")).partner_id.ids
        return self._partners_action(self.env._("Created contacts"), [("id", "in", ids)])

    def action_view_updated_contacts(self):
        self.ensure_one()
        ids = self.line_ids.filtered(lambda line: line.status == "updated").partner_id.ids
        return self._partners_action(self.env._("Updated contacts"), [("id", "in", ids)])

    def action_view_created_companies(self):
        self.ensure_one()
        return self._partners_action(
            self.env._("Created companies"),
            [("contact_import_log_id", "=", self.id), ("is_company", "=", True)],
        )

    # -- downloads of the rows that were not imported --------------------------------------
    def _left_out_rows(self):
        """(headers + Reason, rows) of the rows that were ignored, skipped or failed."""
        self.ensure_one()
        headers = list(self.headers or [])
        lines = self.line_ids.filtered(lambda line: line.status in ("ignored", "skipped", "error"))
        rows = []
        for line in lines.sorted("row_number"):
            values = list(line.values or [])
            values += [""] * (len(headers) - len(values))
            rows.append(values[: len(headers)] + [line.message or ""])
        return headers + [self.env._("Reason")], rows

    def _download(self, data, extension, mimetype):
        stem = (self.file_name or "import").rsplit(".", 1)[0]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{stem}-not-imported.{extension}",
                "raw": data,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_download_ignored_csv(self):
        self.ensure_one()
        headers, rows = self._left_out_rows()
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([neutralise(h) for h in headers])
        writer.writerows([neutralise(v) for v in row] for row in rows)
        return self._download(buffer.getvalue().encode("utf-8-sig"), "csv", "text/csv")

    def action_download_ignored_xlsx(self):
        import openpyxl

        self.ensure_one()
        headers, rows = self._left_out_rows()
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(self.env._("Not imported"))
        for row in [headers, *rows]:
            cells = []
            for value in row:
                cell = openpyxl.cell.WriteOnlyCell(sheet, value=neutralise(value))
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return self._download(
            buffer.getvalue(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    # -- execution ------------------------------------------------------------------------
    @api.model
    def _partner_env(self):
        return self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        )

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

    def _contact_vals(self, planned, parent, options, tag_ids, partner_fields):
        """Contact values for res.partner from a planned contact; returns (vals, notes)."""
        values = dict(planned.values)
        notes = []
        vals = {}
        for key in ("name", "email", "phone", "function", "website", "lang", "ref", "vat"):
            if values.get(key):
                vals[key] = values[key]
        for key in ("street", "street2", "city", "zip", "state_id", "country_id"):
            if values.get(key):
                vals[key] = values[key]
        if values.get("mobile"):
            if "mobile" in partner_fields:
                vals["mobile"] = values["mobile"]
            elif not vals.get("phone"):
                vals["phone"] = values["mobile"]
            else:
                notes.append(self.env._("Mobile: %(mobile)s", mobile=values["mobile"]))
        if values.get("title"):
            notes.append(self.env._("Title: %(title)s", title=values["title"]))
        comment = "\n".join(filter(None, [values.get("comment"), *notes]))
        if comment:
            vals["comment"] = plaintext2html(comment)
        if values.get("tags"):
            vals["category_id"] = [(6, 0, sorted({tag_ids[t.casefold()] for t in values["tags"]}))]
        message = ""
        if parent:
            vals["parent_id"] = parent.id
            # The Tax ID belongs to the company: Odoo would push it up to the parent.
            if vals.pop("vat", None):
                message = self.env._("Tax ID in the file not kept: it is the company's.")
            row_address = {k: vals[k] for k in ADDRESS_FIELDS if k in vals}
            if row_address:
                if options.get("address_policy") == "keep":
                    vals["type"] = "other"
                else:
                    for key in row_address:
                        vals.pop(key)
                    if any(_address_value(parent[k]) != v for k, v in row_address.items()):
                        message = " ".join(
                            filter(
                                None,
                                [
                                    message,
                                    self.env._("The company's address is used; the file's is not kept."),
                                ],
                            )
                        )
        return vals, message

    def _friendly_error(self, exc):
        """Words a user understands for an exception raised while writing a row."""
        if isinstance(exc, UserError):  # ValidationError and AccessError included
            return str(exc.args[0]) if exc.args else str(exc)
        diag = getattr(exc, "diag", None)
        detail = (
            getattr(diag, "message_primary", None) or (str(exc).splitlines() or [exc.__class__.__name__])[0]
        )
        return self.env._("The database refused this row: %(detail)s", detail=detail)

    def _create_partners(self, vals_list, label_rows):
        """Create partners in one batch; if the batch fails, one by one so that only the
        failing rows are lost. Returns [(row, partner or None, error or None)]."""
        Partner = self._partner_env()
        try:
            with self.env.cr.savepoint():
                partners = Partner.create(vals_list)
            return [(row, partner, None) for row, partner in zip(label_rows, partners, strict=True)]
        except Exception:
            _logger.info("Batch create failed, retrying row by row", exc_info=True)
        results = []
        for row, vals in zip(label_rows, vals_list, strict=True):
            try:
                with self.env.cr.savepoint():
                    results.append((row, Partner.create(vals), None))
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                results.append((row, None, self._friendly_error(exc)))
        return results

    def _execute(self, result, plan, options):
        """Write ``plan`` (engine Plan for engine Result ``result``) and log every row."""
        self.ensure_one()
        started = time.monotonic()
        self.write({"state": "running", "date_start": fields.Datetime.now()})
        Partner = self._partner_env()
        raw_by_row = {record.row: list(record.raw) for record in result.records}
        lines = {}

        def log_line(row, status, message="", partner=None, company=None, previous=None):
            lines[row] = {
                "log_id": self.id,
                "row_number": row,
                "status": status,
                "message": message,
                "partner_id": partner.id if partner else False,
                "company_partner_id": company.id if company else False,
                "values": raw_by_row.get(row),
                "previous_values": previous,
            }

        tag_ids = self._tag_ids([t for c in plan.contacts for t in c.values.get("tags", ())])
        partner_fields = Partner._fields
        # 1. companies of the file, once each, before the contacts that point to them
        company_vals = [
            dict(company.values, is_company=True, contact_import_log_id=self.id) for company in plan.companies
        ]
        new_companies = {}
        for (key, partner, error), company in zip(
            self._create_partners(company_vals, [c.key for c in plan.companies]), plan.companies, strict=True
        ):
            if partner:
                new_companies[key] = partner
            else:
                for row in company.rows:
                    log_line(
                        row,
                        "error",
                        self.env._(
                            "Company %(name)s could not be created: %(error)s", name=company.name, error=error
                        ),
                    )
        existing_ids = {c.company_id for c in plan.contacts if c.company_id}
        existing = {p.id: p for p in Partner.browse(existing_ids)}
        if options.get("fill_company_fields"):
            self._fill_companies(plan, existing, result)
        # 2. contacts to create, in batches
        creates = [c for c in plan.contacts if c.action == CREATE and c.row not in lines]
        for start in range(0, len(creates), BATCH_SIZE):
            batch = creates[start : start + BATCH_SIZE]
            vals_list, notes, parents = [], {}, {}
            for planned in batch:
                parent = (
                    existing.get(planned.company_id)
                    if planned.company_id
                    else new_companies.get(planned.company_key)
                )
                vals, note = self._contact_vals(planned, parent, options, tag_ids, partner_fields)
                vals["contact_import_log_id"] = self.id
                vals_list.append(vals)
                notes[planned.row], parents[planned.row] = note, parent
            for row, partner, error in self._create_partners(vals_list, [c.row for c in batch]):
                if partner:
                    status = "linked" if parents[row] and parents[row].id in existing else "created"
                    log_line(row, status, notes[row], partner, parents[row])
                else:
                    log_line(row, "error", error, company=parents[row])
        # 3. contacts to update, one savepoint each
        updates = [c for c in plan.contacts if c.action != CREATE and c.row not in lines]
        for planned in updates:
            partner = Partner.browse(planned.partner_id)
            parent = (
                existing.get(planned.company_id)
                if planned.company_id
                else new_companies.get(planned.company_key)
            )
            vals, note = self._contact_vals(
                planned, parent or partner.parent_id, options, tag_ids, partner_fields
            )
            if not parent:
                vals.pop("parent_id", None)
            previous = {k: _address_value(partner[k]) if k in partner._fields else None for k in vals}
            try:
                with self.env.cr.savepoint():
                    partner.write(vals)
                log_line(planned.row, "updated", note, partner, parent or partner.parent_id, previous)
            except Exception as exc:  # noqa: BLE001 - logged for the user on the row
                log_line(planned.row, "error", self._friendly_error(exc), partner)
        # 4. a created company none of whose contacts was written is removed again
        written = {line["company_partner_id"] for line in lines.values() if line["status"] != "error"}
        orphans = [key for key, company in new_companies.items() if company.id not in written]
        for key in orphans:
            company = new_companies.pop(key)
            for line in lines.values():
                if line["company_partner_id"] == company.id:
                    line["company_partner_id"] = False
            company.unlink()
        for ignored in plan.ignored:
            log_line(ignored.row, ignored.status, ignored.reason(self.env._))
        self.env["contact.import.log.line"].create([lines[row] for row in sorted(lines)])
        counts = dict.fromkeys(("created", "updated", "linked", "skipped", "ignored", "error"), 0)
        for line in lines.values():
            counts[line["status"]] += 1
        self.write(
            {
                "state": "done_errors" if counts["error"] else "done",
                "date_end": fields.Datetime.now(),
                "duration": time.monotonic() - started,
                "rows_total": len(result.records),
                "contacts_created": counts["created"] + counts["linked"],
                "contacts_updated": counts["updated"],
                "contacts_linked": counts["linked"],
                "companies_created": len(new_companies),
                "rows_ignored": counts["skipped"] + counts["ignored"],
                "rows_error": counts["error"],
            }
        )
        return counts

    def _dry_run(self, result, plan, options):
        """Execute the plan in a savepoint that is rolled back: the log keeps what would
        have happened, row by row (write-time errors included); nothing else is written."""
        self.ensure_one()
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
            self._execute(result, plan, options)
            self.env.flush_all()
            outcome = {name: self[name] for name in count_fields}
            state = self.state
            lines = [
                {
                    "log_id": self.id,
                    "row_number": line.row_number,
                    "status": line.status,
                    "message": line.message,
                    "values": line.values,
                }
                for line in self.line_ids
            ]
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        self.env["contact.import.log.line"].create(lines)
        self.write(
            dict(
                outcome,
                state=state,
                date_end=fields.Datetime.now(),
                message=self.env._("Dry run: nothing was written; the counts say what an import would do."),
            )
        )

    def _fill_companies(self, plan, existing, result):
        """Opt-in: fill the empty fields of existing companies from the rows that agree."""
        records = {r.row: r for r in result.records}
        rows_by_company = {}
        for planned in plan.contacts:
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

    def _attach_file(self, data, file_name):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {"name": file_name or "import", "raw": data, "res_model": self._name, "res_id": self.id}
        )
        self.attachment_id = attachment


def _address_value(value):
    """A field value as the engine gives it: records as ids, empty as None."""
    if hasattr(value, "_name"):
        return value.id or None
    return value or None
