# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import csv
import io
import logging
import time
from datetime import timedelta

from psycopg2 import IntegrityError
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from ..engine import matching, reader, validation
from ..engine.export import neutralise
from ..engine.messages import EngineError
from ..engine.normalize import company_key, normalize_url, normalize_vat
from ..engine.plan import ADDRESS_FIELDS, CREATE, Decision, build_plan

_logger = logging.getLogger(__name__)

LOG_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("done_errors", "Done with errors"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
    ("reverted", "Reverted"),
]
BATCH_SIZE = 500
DEFAULT_BACKGROUND_THRESHOLD = 2000
DEFAULT_CHUNK_SIZE = 2000
# Defaults that fit a 2-core server; Settings > Contacts changes them.
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_ROWS = 1_000_000


class ContactImportLog(models.Model):
    _name = "contact.import.log"
    _inherit = ["mail.thread"]
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
    rows_done = fields.Integer(readonly=True)
    progress = fields.Float(compute="_compute_progress", digits=(16, 1))
    rate = fields.Float(string="Rows per second", compute="_compute_progress", digits=(16, 1))
    date_eta = fields.Datetime(string="Expected end", compute="_compute_progress")
    cancel_requested = fields.Boolean(readonly=True)
    created_company_ids = fields.Json(
        readonly=True, help="Company key of the file -> company created by this import."
    )
    details = fields.Text(string="Mapping and decisions", compute="_compute_details")

    @api.depends("file_name", "create_date")
    def _compute_name(self):
        for log in self:
            date = fields.Datetime.to_string(log.create_date) if log.create_date else ""
            log.name = " ".join(part for part in (log.file_name or self.env._("Import"), date) if part)

    @api.depends("rows_done", "rows_total", "date_start", "date_end")
    def _compute_progress(self):
        now = fields.Datetime.now()
        for log in self:
            log.progress = 100.0 * log.rows_done / log.rows_total if log.rows_total else 0.0
            elapsed = ((log.date_end or now) - log.date_start).total_seconds() if log.date_start else 0
            log.rate = log.rows_done / elapsed if elapsed > 0 else 0.0
            remaining = log.rows_total - log.rows_done
            log.date_eta = (
                now + timedelta(seconds=remaining / log.rate)
                if log.state == "running" and log.rate and remaining > 0
                else False
            )

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

    # -- engine ------------------------------------------------------------------------------
    @api.model
    def _load_lookups(self, emails=()):
        """What the engine needs of the database, read in bulk with the user's rights."""
        Partner = self.env["res.partner"]
        existing_emails = {}
        emails = sorted(emails)
        for start in range(0, len(emails), 5000):
            for partner in Partner.search_fetch(
                [("email_normalized", "in", emails[start : start + 5000]), ("is_company", "=", False)],
                ["email_normalized"],
            ):
                existing_emails.setdefault(partner.email_normalized, []).append(partner.id)
        companies = [
            matching.ExistingCompany(
                p.id, p.name or "", p.vat or "", p.website or "", p.email or "", p.active
            )
            for p in Partner.with_context(active_test=False).search_fetch(
                [("is_company", "=", True)], ["name", "vat", "website", "email", "active"]
            )
        ]
        langs = self.env["res.lang"].get_installed()
        names = {}
        for code, _name in [*langs, ("en_US", "English")]:
            for country in self.env["res.country"].with_context(lang=code).search_fetch([], ["name", "code"]):
                names.setdefault(country.id, (country.code or "", set()))[1].add(country.name)
        countries = [validation.Country(cid, code, tuple(n)) for cid, (code, n) in names.items()]
        states = [
            validation.State(s.id, s.country_id.id, s.code or "", s.name or "")
            for s in self.env["res.country.state"].search_fetch([], ["country_id", "code", "name"])
        ]
        return validation.Lookups(existing_emails, countries, states, companies, langs)

    @api.model
    def _validate_file(self, data, file_name, reading, column_map):
        """Read, map and validate a file: (table, result). Nothing is written."""
        try:
            table = reader.open_table(data, file_name, **reading)
            email_columns = [i for i, h in enumerate(table.headers) if column_map.get(h) == "email"]
            emails = {row.values[i].strip().lower() for row in table.rows() for i in email_columns}
            result = validation.validate(table.rows(), table.headers, column_map, self._load_lookups(emails))
        except EngineError as exc:
            raise UserError(exc.message(self.env._)) from None
        return table, result

    def _rebuild_plan(self):
        """The plan of this log, from its own file, mapping, decisions and options."""
        self.ensure_one()
        options = self.options or {}
        _table, result = self._validate_file(
            self.attachment_id.raw,
            self.file_name or "",
            options.get("reading") or {},
            self.mapping_used or {},
        )
        decisions = {
            key: Decision(value["decision"], value.get("company_id"))
            for key, value in (self.decisions or {}).items()
        }
        return result, build_plan(result, decisions, options.get("duplicate_policy", "skip"))

    # -- background processing -------------------------------------------------------------
    @api.model
    def _background_threshold(self):
        value = self.env["ir.config_parameter"].sudo().get_param("contact_import_wizard.background_threshold")
        return int(value or DEFAULT_BACKGROUND_THRESHOLD)

    @api.model
    def _limits(self):
        """(largest file in bytes, most rows) an import accepts."""
        params = self.env["ir.config_parameter"].sudo()
        max_mb = int(params.get_param("contact_import_wizard.max_file_mb") or DEFAULT_MAX_FILE_MB)
        max_rows = int(params.get_param("contact_import_wizard.max_rows") or DEFAULT_MAX_ROWS)
        return max_mb * 1024 * 1024, max_rows

    @api.model
    def _chunk_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param("contact_import_wizard.chunk_size")
        return max(int(value or DEFAULT_CHUNK_SIZE), 1)

    def _enqueue(self):
        """Hand the import to a background job: queue_job when installed, else the cron."""
        self.write({"state": "queued"})
        if self._use_queue_job():
            self.with_delay(description=self.name)._run_in_background()
        else:
            self.env.ref("contact_import_wizard.ir_cron_contact_import").sudo()._trigger()

    @api.model
    def _use_queue_job(self):
        """queue_job is optional: used when it is installed in the database."""
        return "queue.job" in self.env and hasattr(self, "with_delay")

    @api.model
    def _cron_process_queue(self):
        """Run the queued imports, and resume those a stopped worker left running."""
        if self._use_queue_job():
            return  # queue_job runs them, and requeues the jobs of a stopped worker
        for log in self.search([("state", "in", ("queued", "running"))], order="id"):
            try:
                # Each import runs with the rights of the user who started it.
                finished = log.with_user(log.user_id)._run_in_background()
            except SerializationFailure:
                # A concurrent import created one of its companies: start again from the
                # last committed chunk, on a snapshot where that company exists.
                _logger.info("Contact import %s met a concurrent import, retrying", log.id)
                self.env.cr.rollback()
                self.env.ref("contact_import_wizard.ir_cron_contact_import").sudo()._trigger()
                self.env.cr.commit()
                continue
            except Exception as exc:
                _logger.exception("Contact import %s stopped", log.id)
                self.env.cr.rollback()  # back to its last committed chunk
                log._mark_failed(exc)
                self.env.cr.commit()
                continue
            if not finished:
                break  # out of time: the cron is triggered again for the rest

    def _execute_or_fail(self, result, plan, options):
        """Execute in the request; if the import breaks down as a whole (not one row), it
        is rolled back to before its first write and the log says so, row by row."""
        try:
            with self.env.cr.savepoint():
                self._execute(result, plan, options)
        except SerializationFailure:
            raise  # a concurrent import: Odoo runs the request again
        except Exception as exc:
            _logger.exception("Contact import %s stopped", self.id)
            self.env.invalidate_all()
            self._mark_failed(exc)

    def _mark_failed(self, exc):
        self.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "message": self.env._(
                    "The import stopped after %(done)s of %(total)s rows: %(error)s "
                    "What was written is logged; Resume continues with the other rows.",
                    done=self.rows_done,
                    total=self.rows_total,
                    error=self._friendly_error(exc),
                ),
            }
        )
        self._log_rows_not_done()
        self._notify_end()

    def _log_rows_not_done(self):
        """Log every row the import did not reach as not done, so that the log says, row by
        row, what was written and what was not."""
        try:
            result, _plan = self._rebuild_plan()
        except UserError:
            return  # the file itself cannot be read: no row was done, the message says why
        done = set(self.line_ids.mapped("row_number"))
        message = self.env._("Not done: the import stopped before this row.")
        self.env["contact.import.log.line"].create(
            [
                self._line_vals(record.row, "not_done", message, raw=list(record.raw))
                for record in result.records
                if record.row not in done
            ]
        )

    def action_resume(self):
        """Queue a failed or cancelled import again: it continues with the rows not done."""
        self.check_access("write")
        for log in self.filtered(lambda log: log.state in ("failed", "cancelled")):
            # The log's own "not done" placeholders, replaced by the rows' real outcome;
            # import users may not delete log lines otherwise.
            log.line_ids.filtered(lambda line: line.status == "not_done").sudo().unlink()
            log.write({"cancel_requested": False, "message": False, "date_end": False})
            log._enqueue()

    def _cron_commit(self, done):
        """Commit a chunk (through the cron's progress, when run by the cron)."""
        time_left = self.env["ir.cron"].sudo()._commit_progress(done)
        self.invalidate_recordset(["cancel_requested"])
        return time_left > 0

    def _run_in_background(self, commit=None):
        """Execute this queued (or interrupted) import chunk by chunk, committing each.

        Returns False when it stopped before the end (out of time); True otherwise."""
        self.ensure_one()
        commit = commit or self._cron_commit
        try:
            result, plan = self._rebuild_plan()
        except UserError as exc:
            self.write({"state": "failed", "message": str(exc.args[0]), "date_end": fields.Datetime.now()})
            self._notify_end()
            commit(0)
            return True

        def checkpoint(done):
            if not commit(done):
                return False
            if self.cancel_requested:
                self.write(
                    {
                        "state": "cancelled",
                        "date_end": fields.Datetime.now(),
                        "message": self.env._(
                            "Cancelled: %(done)s of %(total)s rows were processed and are logged.",
                            done=self.rows_done,
                            total=self.rows_total,
                        ),
                    }
                )
                self._notify_end()
                commit(0)
                return False
            return True

        finished = self._execute(
            result, plan, self.options or {}, commit=checkpoint, chunk_size=self._chunk_size()
        )
        if finished:
            self._notify_end()
            commit(0)
        return finished or self.state == "cancelled"

    def action_cancel(self):
        """Stop a background import after its current chunk."""
        for log in self:
            if log.state == "queued":
                log.write({"state": "cancelled", "message": self.env._("Cancelled before it started.")})
            elif log.state == "running":
                log.cancel_requested = True

    def _notify_end(self):
        message = self.env._(
            "Import of %(file)s: %(state)s. %(created)s contacts created, %(updated)s updated, "
            "%(companies)s companies created, %(ignored)s rows ignored, %(errors)s errors.",
            file=self.file_name,
            state=dict(self._fields["state"]._description_selection(self.env))[self.state],
            created=self.contacts_created,
            updated=self.contacts_updated,
            companies=self.companies_created,
            ignored=self.rows_ignored,
            errors=self.rows_error,
        )
        self.message_post(body=message)
        self.user_id._bus_send(
            "simple_notification",
            {
                "title": self.env._("Contact import"),
                "message": message,
                "sticky": True,
                "type": "success" if self.state == "done" else "warning",
            },
        )

    # -- revert ------------------------------------------------------------------------------
    def _revert_scope(self):
        """What a revert touches: (created contacts, created companies, updated lines,
        records changed by someone after the import)."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=False)
        lines = self.line_ids
        contacts = lines.filtered(lambda line: line.status in ("created", "linked")).partner_id.exists()
        companies = Partner.browse(list((self.created_company_ids or {}).values())).exists()
        updated = lines.filtered(lambda line: line.status == "updated" and line.partner_id)
        since = self.date_end or self.write_date
        touched = contacts | companies | updated.partner_id
        changed = touched.filtered(lambda p: p.write_date and p.write_date > since)
        return contacts, companies, updated, changed

    def action_revert(self):
        """Open the confirmation of a revert, with its counts."""
        self.ensure_one()
        self._check_can_revert()
        wizard = self.env["contact.import.revert"].create({"log_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "contact.import.revert",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Revert import"),
        }

    def _check_can_revert(self):
        if not self.env.user.has_group("contact_import_wizard.group_contact_import_manager"):
            raise AccessError(self.env._("Only import managers can revert an import."))
        if self.state not in ("done", "done_errors", "cancelled", "failed"):
            raise UserError(self.env._("Only a finished import can be reverted."))

    def _revert(self, force=False):
        """Remove what the import created and restore what it updated.

        Records changed by someone after the import are left alone unless ``force``. A
        record other records now point to is archived instead of deleted."""
        self.ensure_one()
        self._check_can_revert()
        contacts, companies, updated, changed = self._revert_scope()
        keep = self.env["res.partner"] if force else changed
        removed, archived = self._remove_partners(contacts - keep)
        companies = companies - keep
        still_used = companies.filtered(
            lambda c: c.with_context(active_test=False).child_ids - (contacts - keep)
        )
        more_removed, more_archived = self._remove_partners(companies - still_used)
        restored = 0
        for line in updated.filtered(lambda line: force or line.partner_id not in changed):
            partner = line.partner_id
            vals = {}
            for name, value in (line.previous_values or {}).items():
                field = partner._fields.get(name)
                if field is None:
                    continue
                vals[name] = [(6, 0, value or [])] if field.type == "many2many" else value
            partner.with_context(tracking_disable=True).write(vals)
            restored += 1
        message = self.env._(
            "Reverted: %(removed)s contacts and companies deleted, %(archived)s archived (other records "
            "point to them), %(restored)s contacts restored; left alone: %(changed)s changed since the "
            "import, %(used)s companies that still have contacts.",
            removed=removed + more_removed,
            archived=archived + more_archived,
            restored=restored,
            changed=len(keep),
            used=len(still_used),
        )
        self.write({"state": "reverted", "message": message})
        self.message_post(body=message)
        return message

    def _remove_partners(self, partners):
        """Delete partners, or archive those that cannot be deleted: (deleted, archived)."""
        deleted = archived = 0
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner.unlink()
                deleted += 1
                continue
            except (UserError, IntegrityError):
                pass
            try:
                with self.env.cr.savepoint():
                    partner.active = False
                archived += 1
            except UserError:  # e.g. the contact of an active user: left as it is
                _logger.info("Revert left partner %s alone", partner.id, exc_info=True)
        return deleted, archived

    def _form_action(self):
        """The action opening this log's form in the main window."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

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
        return download_action(self, f"{stem}-not-imported.{extension}", data, mimetype)

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

    def _line_vals(self, row, status, message="", partner=None, company=None, raw=None, previous=None):
        return {
            "log_id": self.id,
            "row_number": row,
            "status": status,
            "message": message or False,
            "partner_id": partner.id if partner else False,
            "company_partner_id": company.id if company else False,
            "values": raw,
            "previous_values": previous,
        }

    def _existing_companies_by_key(self, keys):
        """Companies the user can see whose name has one of these keys."""
        found = {}
        for company in self._partner_env().search_fetch([("is_company", "=", True)], ["name"], order="id"):
            key = company_key(company.name or "")
            if key in keys:
                found.setdefault(key, company)
        return found

    def _create_companies(self, plan, raw_by_row):
        """Create the file's new companies once; on a resumed run, find those already
        created by this import. Returns company key -> partner."""
        Partner = self._partner_env()
        known = dict(self.created_company_ids or {})
        new_companies = {key: Partner.browse(company_id) for key, company_id in known.items()}
        todo = [c for c in plan.companies if c.key not in known]
        if todo:
            # Another import may create the same companies at the same time: claim the keys
            # (see contact.import.company.key); a key claimed before is linked, not created.
            claimed = self.env["contact.import.company.key"]._claim([c.key for c in todo])
            unclaimed = {c.key for c in todo} - claimed
            if unclaimed:
                new_companies.update(self._existing_companies_by_key(unclaimed))
            # (an unclaimed key whose company was since renamed is created all the same)
            todo = [c for c in todo if c.key not in new_companies]
        company_vals = [dict(c.values, is_company=True, contact_import_log_id=self.id) for c in todo]
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
        self.created_company_ids = known
        self.env["contact.import.company.key"]._record({key: new_companies[key] for key in known})
        return new_companies, error_lines

    def _execute(self, result, plan, options, commit=None, chunk_size=None):
        """Write ``plan`` (engine Plan for engine Result ``result``) and log every row.

        Resumable and idempotent: rows that already have a log line are not written
        again, companies already created by this import are reused. ``commit`` (a
        callable) is called after the companies and after each chunk of rows with the
        number of rows it wrote; it may commit the transaction (background jobs do) and
        returns False to stop there (cancelled, out of time), to go on later.
        """
        self.ensure_one()
        started = time.monotonic()
        chunk_size = chunk_size or BATCH_SIZE
        commit = commit or (lambda done: True)
        self.write({"state": "running", "date_start": self.date_start or fields.Datetime.now()})
        Partner = self._partner_env()
        Line = self.env["contact.import.log.line"]
        raw_by_row = {record.row: list(record.raw) for record in result.records}
        done_rows = set(self.line_ids.mapped("row_number"))
        self.rows_total = len(result.records)

        new_companies, error_lines = self._create_companies(plan, raw_by_row)
        Line.create([vals for vals in error_lines if vals["row_number"] not in done_rows])
        done_rows.update(vals["row_number"] for vals in error_lines)
        existing = {p.id: p for p in Partner.browse({c.company_id for c in plan.contacts if c.company_id})}
        if options.get("fill_company_fields") and not self.line_ids.filtered(
            lambda line: line.status == "linked"
        ):
            self._fill_companies(plan, existing, result)
        self.rows_done = len(done_rows)
        if not commit(0):
            return False
        tag_ids = self._tag_ids([t for c in plan.contacts for t in c.values.get("tags", ())])
        partner_fields = Partner._fields
        ours = set((self.created_company_ids or {}).values())  # a contact of any other company is "linked"
        todo = [c for c in plan.contacts if c.row not in done_rows]
        for start in range(0, len(todo), chunk_size):
            chunk = todo[start : start + chunk_size]
            lines = []
            creates = [c for c in chunk if c.action == CREATE]
            vals_list, notes, parents = [], {}, {}
            for planned in creates:
                parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
                vals, note = self._contact_vals(planned, parent, options, tag_ids, partner_fields)
                vals["contact_import_log_id"] = self.id
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
                lines += self._update_contacts(updates, existing, new_companies, options, tag_ids, raw_by_row)
            Line.create(lines)
            self.rows_done += len(lines)
            if not commit(len(lines)):
                return False
        Line.create(
            [
                self._line_vals(i.row, i.status, i.reason(self.env._), raw=raw_by_row.get(i.row))
                for i in plan.ignored
                if i.row not in done_rows
            ]
        )
        self._finish(started)
        commit(len(plan.ignored))
        return True

    def _update_contacts(self, updates, existing, new_companies, options, tag_ids, raw_by_row):
        """Update existing contacts: the whole chunk in one savepoint, and only if that
        fails, one savepoint per contact so that a failing row is isolated. Returns their
        log line values."""
        Partner = self._partner_env()
        partners = Partner.browse([c.partner_id for c in updates])
        partners.fetch(["parent_id", *ADDRESS_FIELDS])  # one query, not one per row
        writes = []
        for planned, partner in zip(updates, partners, strict=True):
            parent = existing.get(planned.company_id) or new_companies.get(planned.company_key)
            vals, note = self._contact_vals(
                planned, parent or partner.parent_id, options, tag_ids, partner._fields
            )
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
                    self._line_vals(planned.row, "error", self._friendly_error(exc), partner, raw=raw)
                )
        return lines

    def _finish(self, started):
        """Remove created companies none of whose contacts was written; count the lines."""
        Line = self.env["contact.import.log.line"]
        Partner = self._partner_env()
        created = dict(self.created_company_ids or {})
        kept = set(Line.search([("log_id", "=", self.id), ("status", "!=", "error")]).company_partner_id.ids)
        orphans = {key: company_id for key, company_id in created.items() if company_id not in kept}
        if orphans:
            Line.search(
                [("log_id", "=", self.id), ("company_partner_id", "in", list(orphans.values()))]
            ).write({"company_partner_id": False})
            Partner.browse(list(orphans.values())).unlink()
            self.created_company_ids = {k: v for k, v in created.items() if k not in orphans}
        counts = dict.fromkeys(("created", "updated", "linked", "skipped", "ignored", "error"), 0)
        for status, count in Line._read_group([("log_id", "=", self.id)], ["status"], ["__count"]):
            counts[status] = count
        self.write(
            {
                "state": "done_errors" if counts["error"] else "done",
                "date_end": fields.Datetime.now(),
                "duration": (self.duration or 0) + time.monotonic() - started,
                "rows_done": self.rows_total,
                "contacts_created": counts["created"] + counts["linked"],
                "contacts_updated": counts["updated"],
                "contacts_linked": counts["linked"],
                "companies_created": len(self.created_company_ids or {}),
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


def download_action(record, name, data, mimetype):
    """An action downloading ``data`` as a file attached to ``record`` (so that only who
    can read the record can fetch it)."""
    attachment = record.env["ir.attachment"].create(
        {"name": name, "raw": data, "mimetype": mimetype, "res_model": record._name, "res_id": record.id}
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }


def _address_value(value):
    """A field value as the engine gives it: records as ids, empty as None."""
    if hasattr(value, "_name"):
        return value.id or None
    return value or None
