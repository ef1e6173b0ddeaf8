# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

LINE_STATUSES = [
    ("created", "Created"),
    ("company", "Company created"),
    ("updated", "Updated"),
    ("linked", "Linked"),
    ("skipped", "Skipped"),
    ("ignored", "Ignored"),
    ("error", "Error"),
    ("not_done", "Not done"),
]


class ContactImportLogLine(models.Model):
    _name = "contact.import.log.line"
    _description = "Contact Import Log Line"
    _order = "log_id, row_number, id"

    log_id = fields.Many2one("contact.import.log", required=True, ondelete="cascade", index=True)
    row_number = fields.Integer(
        string="Row", help="Row number as shown by a spreadsheet (the header is row 1)."
    )
    status = fields.Selection(LINE_STATUSES, required=True, index=True)
    message = fields.Text(string="Reason")
    partner_id = fields.Many2one("res.partner", string="Contact", ondelete="set null")
    company_partner_id = fields.Many2one("res.partner", string="Company", ondelete="set null")
    partner_name = fields.Char(related="partner_id.name", string="Contact name")
    company_name = fields.Char(related="company_partner_id.name", string="Company name")
    values = fields.Json(string="Original values", help="The row's cells, in the file's column order.")
    previous_values = fields.Json(help="Values of the updated fields before the import.")
    written_values = fields.Json(help="Values the import wrote: a revert compares them with today's.")
    reverted = fields.Boolean(readonly=True, help="A revert of the import undid this row.")
    values_display = fields.Text(string="Row values", compute="_compute_values_display")

    def _compute_values_display(self):
        for line in self:
            headers = line.log_id.headers or []
            cells = line.values or []
            line.values_display = "\n".join(f"{h}: {v}" for h, v in zip(headers, cells, strict=False) if v)
