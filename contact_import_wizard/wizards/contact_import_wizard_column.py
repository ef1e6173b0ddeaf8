# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine import mapping as engine_mapping


class ContactImportWizardColumn(models.TransientModel):
    _name = "contact.import.wizard.column"
    _inherit = ["contact.import.line.mixin"]
    _user_step = "mapping"
    _user_fields = frozenset({"target", "reason", "chosen_by_user", "review", "confidence"})
    _description = "Contact Import Wizard Column"
    _order = "position"

    wizard_id = fields.Many2one("contact.import.wizard", required=True, ondelete="cascade", index=True)
    position = fields.Integer()
    header = fields.Char(readonly=True)
    samples = fields.Char(string="Sample values", readonly=True)
    target = fields.Selection(
        [("ignore", "Ignore this column")] + [(t.key, t.label) for t in engine_mapping.TARGETS],
        string="Contact field",
        help="What this column fills; Ignore this column: it is not imported.",
    )
    suggested_target = fields.Char(readonly=True)
    reason = fields.Text(string="Why", readonly=True)
    confidence = fields.Selection(
        [(engine_mapping.HIGH, "High"), (engine_mapping.MEDIUM, "Medium"), (engine_mapping.LOW, "Low")],
        readonly=True,
    )
    contradicted = fields.Boolean(string="Values disagree", readonly=True)
    review = fields.Boolean(string="To check", readonly=True, help="A guess to check before importing.")
    chosen_by_user = fields.Boolean(readonly=True)

    @api.onchange("target")
    def _onchange_target(self):
        """A target the user picks is theirs: the suggestion's reason no longer applies."""
        if (self.target or False) != (self.suggested_target or False):
            self.chosen_by_user = True
            self.review = False
            self.confidence = False
            self.reason = self.env._("Chosen by you")
