# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ContactImportWizardProblem(models.TransientModel):
    _name = "contact.import.wizard.problem"
    _inherit = ["contact.import.line.mixin"]
    _description = "Contact Import Wizard Problem"
    _order = "severity, row_number, id"  # errors first ("error" < "warning"), as listed

    wizard_id = fields.Many2one("contact.import.wizard", required=True, ondelete="cascade", index=True)
    row_number = fields.Integer(string="Row")
    column = fields.Char()
    value = fields.Char()
    stage = fields.Selection(
        [
            ("required", "Required fields"),
            ("format", "Formats"),
            ("duplicate", "Duplicates"),
            ("reference", "Reference data"),
        ]
    )
    severity = fields.Selection([("error", "Error"), ("warning", "Warning")])
    code = fields.Char()
    message = fields.Char()
