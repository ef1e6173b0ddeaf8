# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The import log: one record per import, with its file, choices, counts and rows.

Its background jobs are in contact_import_log_jobs.py, the writes in
contact_import_executor.py, the revert with its wizard (wizards/contact_import_revert.py).
"""

import base64
import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.export import csv_bytes, xlsx_bytes
from ..engine.mapping import TARGETS_BY_KEY
from ..engine.plan import plan_bytes, read_plan

MANAGER_GROUP = "contact_import_wizard.group_contact_import_manager"

LOG_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("done_errors", "Done with errors"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
    ("reverting", "Reverting"),
    ("reverted", "Reverted"),
]
LOG_KINDS = [
    ("import", "Import"),
    ("conversion", "Conversion to customer"),
    ("linking", "Link to companies"),
    ("automation", "Automatic linking"),
]


class ContactImportLog(models.Model):
    _name = "contact.import.log"
    _inherit = ["mail.thread", "contact.import.download.mixin"]
    _description = "Contact Import Log"
    _order = "create_date desc, id desc"
    # Users only read their logs; commenting in the chatter needs no more.
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        LOG_KINDS,
        default="import",
        required=True,
        readonly=True,
        index=True,
        help="What wrote this log: a file's import, or contacts already in Odoo converted or linked.",
    )
    user_id = fields.Many2one(
        "res.users", string="Imported by", required=True, readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    file_name = fields.Char(readonly=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Original file", readonly=True, ondelete="set null", index="btree_not_null"
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
    # Counters are counted from the lines at every read: live while a job runs, consistent
    # with the lines at every moment (a revert included).
    rows_done = fields.Integer(compute="_compute_counts")
    contacts_created = fields.Integer(string="Created", compute="_compute_counts")
    contacts_updated = fields.Integer(string="Updated", compute="_compute_counts")
    contacts_linked = fields.Integer(string="Linked to existing companies", compute="_compute_counts")
    companies_created = fields.Integer(compute="_compute_counts")
    rows_ignored = fields.Integer(string="Ignored", compute="_compute_counts")
    rows_error = fields.Integer(string="Errors", compute="_compute_counts")
    rows_reverted = fields.Integer(string="Reverted", compute="_compute_counts")
    message = fields.Text(readonly=True)
    progress = fields.Float(compute="_compute_progress", digits=(16, 1))
    rate = fields.Float(string="Rows per second", compute="_compute_progress", digits=(16, 1))
    rows_to_revert = fields.Integer(string="Rows to Undo", compute="_compute_progress")
    date_eta = fields.Datetime(string="Expected end", compute="_compute_progress")
    cancel_requested = fields.Boolean(readonly=True)
    dry_run = fields.Boolean(readonly=True)
    # What the executor wrote, for a revert: written by the server only (users read logs).
    file_checksum = fields.Char(readonly=True, help="SHA-1 of the original file when it was validated.")
    plan_data = fields.Binary(
        attachment=True, readonly=True, help="The reviewed plan, as the job executes it."
    )
    plan_checksum = fields.Char(
        readonly=True, help="SHA-1 of the reviewed plan: the only plan a job of this log executes."
    )
    created_company_ids = fields.Json(
        readonly=True, help="Company key of the file -> company created by this import (or found created)."
    )
    linked_company_keys = fields.Json(
        readonly=True, help="Keys whose company another import created meanwhile: linked, not created."
    )
    created_company_values = fields.Json(readonly=True, help="Values the import wrote on its companies.")
    companies_filled = fields.Boolean(readonly=True)
    company_fills = fields.Json(readonly=True, help="Existing companies completed: before and after.")
    dry_run_companies = fields.Integer(readonly=True)
    address_summary = fields.Text(string="Addresses", readonly=True)
    companies_reverted = fields.Integer(readonly=True)
    revert_force = fields.Boolean(readonly=True)
    revert_user_id = fields.Many2one("res.users", string="Reverted by", readonly=True)
    revert_totals = fields.Json(readonly=True)
    revert_date_start = fields.Datetime(string="Revert Started", readonly=True)
    rows_at_start = fields.Integer(
        string="Rows Done Before This Run",
        readonly=True,
        help="Rows done when this run started (a resumed import).",
    )
    details = fields.Text(string="Mapping and decisions", compute="_compute_details")

    @api.depends("file_name", "kind", "create_date")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for log in self:
            date = fields.Datetime.to_string(log.create_date) if log.create_date else ""
            label = log.file_name or kinds.get(log.kind) or self.env._("Import")
            log.name = " ".join(part for part in (label, date) if part)

    @api.depends(
        "line_ids.status",
        "line_ids.reverted",
        "created_company_ids",
        "linked_company_keys",
        "companies_reverted",
        "dry_run_companies",
    )
    def _compute_counts(self):
        counts = {
            (log, status, reverted): count
            for log, status, reverted, count in self.env["contact.import.log.line"]._read_group(
                [("log_id", "in", self.ids)], ["log_id", "status", "reverted"], ["__count"]
            )
        }
        for log in self:

            def count(*statuses, reverted=False, log=log):
                return sum(counts.get((log, status, reverted), 0) for status in statuses)

            written = ("created", "company", "updated", "linked")
            log.rows_done = count(*written, "skipped", "ignored", "error") + count(*written, reverted=True)
            log.contacts_created = count("created", "linked")
            log.contacts_updated = count("updated")
            log.contacts_linked = count("linked")
            log.rows_ignored = count("skipped", "ignored")
            log.rows_error = count("error")
            log.rows_reverted = count(*written, reverted=True)
            if log.dry_run:
                log.companies_created = log.dry_run_companies
            else:
                log.companies_created = max(len(log._our_company_ids()) - log.companies_reverted, 0)

    @api.depends(
        "rows_total", "rows_done", "rows_at_start", "date_start", "date_end", "state", "rows_reverted"
    )
    def _compute_progress(self):
        now = fields.Datetime.now()
        for log in self:
            if log.state == "reverting":
                # a revert's own progress: the rows it undid of the rows it has to undo
                done, total, start = (
                    log.rows_reverted,
                    log.rows_reverted + log.contacts_created,
                    log.revert_date_start,
                )
                total += log.contacts_updated
                base = 0
            else:
                done, total, start, base = log.rows_done, log.rows_total, log.date_start, log.rows_at_start
            log.rows_to_revert = total - done if log.state == "reverting" else 0
            log.progress = 100.0 * done / total if total else 0.0
            elapsed = ((log.date_end or now) - start).total_seconds() if start else 0
            # the rate of this run: a resumed import counts from where it started again
            log.rate = max(done - base, 0) / elapsed if elapsed > 0 else 0.0
            remaining = total - done
            log.date_eta = (
                now + timedelta(seconds=remaining / log.rate)
                if log.state in ("running", "reverting") and log.rate and remaining > 0
                else False
            )

    @api.depends("mapping_used", "decisions", "options")
    def _compute_details(self):
        """The mapping, the decisions and the options of the import, in the reader's
        language: fields, decisions and options by their labels, not their keys."""
        _ = self.env._
        wizard_fields = self.env["contact.import.wizard"]._fields
        decisions = dict(
            self.env["contact.import.wizard.company"]._fields["decision"]._description_selection(self.env)
        )
        policies = dict(wizard_fields["duplicate_policy"]._description_selection(self.env))
        addresses = dict(wizard_fields["address_policy"]._description_selection(self.env))
        for log in self:
            lines = [_("Columns:")] if log.mapping_used else []
            for header, target in (log.mapping_used or {}).items():
                label = TARGETS_BY_KEY[target].label if target in TARGETS_BY_KEY else "-"
                lines.append(f"  {header} → {_(label)}")  # pylint: disable=translation-required
            lines.append(_("Companies of the file:"))
            for decision in (log.decisions or {}).values():
                chosen = decisions.get(decision["decision"], decision["decision"])
                if decision.get("company_id"):
                    line = _(
                        "%(name)s: %(decision)s #%(company)s",
                        name=decision["name"],
                        decision=chosen,
                        company=decision["company_id"],
                    )
                else:
                    line = _("%(name)s: %(decision)s", name=decision["name"], decision=chosen)
                lines.append(f"  {line}")
            options = log.options or {}
            if "duplicate_policy" in options:
                policy = options["duplicate_policy"]
                address = options.get("address_policy")
                lines.append(
                    _(
                        "Contacts already in Odoo: %(policy)s; addresses: %(address)s; "
                        "fill company fields: %(fill)s",
                        policy=policies.get(policy, policy),
                        address=addresses.get(address, address),
                        fill=_("yes") if options.get("fill_company_fields") else _("no"),
                    )
                )
            if options.get("threshold"):
                lines.append(
                    _(
                        "Linked to a company at a score of %(threshold)s or more.",
                        threshold=options["threshold"],
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
        # Callers name ``domain``: Odoo's extractor would take a tuple right after a
        # translated text for another text to translate.
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
        lines = self.line_ids.filtered(lambda line: not line.reverted)
        ids = lines.filtered(lambda line: line.status in ("created", "linked")).partner_id.ids
        return self._partners_action(self.env._("Created contacts"), domain=[("id", "in", ids)])

    def action_view_updated_contacts(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.reverted)
        ids = lines.filtered(lambda line: line.status == "updated").partner_id.ids
        return self._partners_action(self.env._("Updated contacts"), domain=[("id", "in", ids)])

    def action_view_created_companies(self):
        self.ensure_one()
        return self._partners_action(
            self.env._("Created companies"),
            domain=[("contact_import_log_id", "=", self.id), ("is_company", "=", True)],
        )

    # -- downloads of the rows that were not imported --------------------------------------
    def _left_out_rows(self):
        """(headers + Reason + Row, rows) of the rows that were ignored, skipped or failed;
        the row number of the original file last (reasons name it; re-imported, the column
        is ignored)."""
        self.ensure_one()
        headers = list(self.headers or [])
        lines = self.line_ids.filtered(lambda line: line.status in ("ignored", "skipped", "error"))
        rows = []
        for line in lines.sorted("row_number"):
            values = list(line.values or [])
            values += [""] * (len(headers) - len(values))
            rows.append(values[: len(headers)] + [line.message or "", line.row_number])
        return headers + [self.env._("Reason"), self.env._("Row in the original file")], rows

    def action_download_file(self):
        """The file as it was uploaded (the attachment's own form would offer to edit it)."""
        self.ensure_one()
        self.check_access("read")
        if not self.attachment_id:
            raise UserError(self.env._("This import kept no file."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def _download(self, data, extension, mimetype):
        stem = (self.file_name or "import").rsplit(".", 1)[0]
        name = self.env._("%(name)s-not-imported.%(extension)s", name=stem, extension=extension)
        return self._download_action(name, data, mimetype)

    def action_download_ignored_csv(self):
        self.ensure_one()
        return self._download(csv_bytes(*self._left_out_rows()), "csv", "text/csv")

    def action_download_ignored_xlsx(self):
        self.ensure_one()
        data = xlsx_bytes(self.env._("Not imported"), *self._left_out_rows())
        return self._download(
            data, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    # -- what the server stores at Import ------------------------------------------------
    def _attach_file(self, data, file_name):
        """Keep the original file with the log (readable by who reads the log), and its
        checksum: a job refuses a file that is not the one validated."""
        self.ensure_one()
        # Kept to be downloaded and read by jobs, never searched: not indexed (see
        # ir_attachment.py), else a text file is copied whole into its search index.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .with_context(contact_import_no_index=True)
            .create({"name": file_name or "import", "raw": data, "res_model": self._name, "res_id": self.id})
        )
        self.sudo().write({"attachment_id": attachment.id, "file_checksum": hashlib.sha1(data).hexdigest()})

    def _store_plan(self, plan):
        """Keep the reviewed plan: the background job executes it, not a new engine pass."""
        self.ensure_one()
        data = plan_bytes(plan)
        self.sudo().write(
            {
                "plan_data": base64.b64encode(data),
                "plan_checksum": hashlib.sha1(data).hexdigest(),
                "rows_total": plan.rows_total,
                "address_summary": self._address_summary(plan.summary()),
            }
        )

    def _address_summary(self, summary):
        """Said once for the whole import, not on every line."""
        parts = []
        if summary["addresses_dropped"]:
            parts.append(
                self.env._(
                    "Contacts using their company's address although their row gives another one (kept in "
                    "their log line): %(count)s.",
                    count=summary["addresses_dropped"],
                )
            )
        if summary["addresses_kept"]:
            parts.append(
                self.env._(
                    "Contacts keeping the address of their row as their own (type Other): %(count)s.",
                    count=summary["addresses_kept"],
                )
            )
        if summary["companies_to_fill_address"] and (self.options or {}).get("fill_empty_addresses", True):
            parts.append(
                self.env._(
                    "Companies without address given the one of their rows: %(count)s.",
                    count=summary["companies_to_fill_address"],
                )
            )
        return "\n".join(parts) or False

    def _our_company_ids(self):
        """Ids of the companies this import created itself, in the order it created them
        (not those another import created meanwhile, which it only linked to)."""
        self.ensure_one()
        linked_keys = set(self.linked_company_keys or ())
        return [cid for key, cid in (self.created_company_ids or {}).items() if key not in linked_keys]

    def _plan_attachment(self):
        """The attachment that holds the reviewed plan: the one whose content is the plan
        stored at Import (its checksum kept on the log), whatever else was attached since."""
        self.ensure_one()
        if not self.plan_checksum:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "plan_data"),
                    ("res_id", "=", self.id),
                    ("checksum", "=", self.plan_checksum),
                ],
                order="id",
                limit=1,
            )
        )

    def _load_plan(self):
        self.ensure_one()
        attachment = self._plan_attachment()
        if not attachment:
            return None
        data = attachment.raw
        if hashlib.sha1(data).hexdigest() != self.plan_checksum:
            return None
        return read_plan(data)

    def _process_attachments_for_post(self, attachments, attachment_ids, message_values):
        """A message on a log attaches files to it, never a value of one of its fields (an
        attachment made for the plan of a log, then posted) nor a log's own file."""
        if attachment_ids:
            attachments = self.env["ir.attachment"].sudo().browse(attachment_ids).exists()
            # nor the file an import keeps (posted, a message's edit would delete it)
            if self._keeps_any_file(attachments.ids) or attachments.filtered("res_field"):
                raise AccessError(self.env._("Only files can be attached to an import log."))
        return super()._process_attachments_for_post(attachments, attachment_ids, message_values)

    @api.model
    def _keeps_any_file(self, attachment_ids):
        """Whether one of these attachments is the file an import log keeps (any log's)."""
        return bool(attachment_ids) and bool(
            self.sudo().search_count([("attachment_id", "in", attachment_ids)], limit=1)
        )

    def _is_manager(self):
        return self.env.user.has_group(MANAGER_GROUP)
