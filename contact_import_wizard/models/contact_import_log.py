# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The import log: one record per import, with its file, choices, counts and rows.

Its background jobs are in contact_import_log_jobs.py, the writes in
contact_import_executor.py, the revert with its wizard (wizards/contact_import_revert.py).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.export import csv_bytes, xlsx_bytes

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


class ContactImportLog(models.Model):
    _name = "contact.import.log"
    _inherit = ["mail.thread", "contact.import.download.mixin"]
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
        return self._download_action(f"{stem}-not-imported.{extension}", data, mimetype)

    def action_download_ignored_csv(self):
        self.ensure_one()
        return self._download(csv_bytes(*self._left_out_rows()), "csv", "text/csv")

    def action_download_ignored_xlsx(self):
        self.ensure_one()
        data = xlsx_bytes(self.env._("Not imported"), *self._left_out_rows())
        return self._download(
            data, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def _attach_file(self, data, file_name):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {"name": file_name or "import", "raw": data, "res_model": self._name, "res_id": self.id}
        )
        self.attachment_id = attachment
