# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ContactImportWizardSuggestion(models.TransientModel):
    _name = "contact.import.wizard.suggestion"
    _description = "Contact Import Wizard Company Suggestion"
    _order = "sequence"

    line_id = fields.Many2one("contact.import.wizard.company", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    company_id = fields.Many2one("res.partner", readonly=True)
    score = fields.Integer(readonly=True)
    level = fields.Selection(
        [("vat", "Same VAT"), ("name", "Same name"), ("domain", "Same domain"), ("fuzzy", "Similar name")],
        readonly=True,
    )
    archived = fields.Boolean(readonly=True)
    reason = fields.Char(readonly=True)

    def action_pick(self):
        """Link the file's company to this suggestion."""
        self.ensure_one()
        self.line_id.write({"decision": "link", "company_id": self.company_id.id, "decision_by_user": True})
        return self.line_id.wizard_id._reopen()
