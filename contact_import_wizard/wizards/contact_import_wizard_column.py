# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..engine import mapping as engine_mapping


class ContactImportWizardColumn(models.TransientModel):
    _name = "contact.import.wizard.column"
    _description = "Contact Import Wizard Column"
    _order = "position"

    wizard_id = fields.Many2one("contact.import.wizard", required=True, ondelete="cascade", index=True)
    position = fields.Integer()
    header = fields.Char(readonly=True)
    samples = fields.Char(string="Sample values", readonly=True)
    target = fields.Selection(
        [(t.key, t.label) for t in engine_mapping.TARGETS],
        string="Contact field",
        help="Empty: ignore this column.",
    )
    reason = fields.Char(string="Why", readonly=True)
