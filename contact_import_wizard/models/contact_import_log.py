# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

LOG_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("done_errors", "Done with errors"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


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

    @api.depends("file_name", "create_date")
    def _compute_name(self):
        for log in self:
            date = fields.Datetime.to_string(log.create_date) if log.create_date else ""
            log.name = " ".join(part for part in (log.file_name or self.env._("Import"), date) if part)
