# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ContactImportWizardSuggestion(models.TransientModel):
    _name = "contact.import.wizard.suggestion"
    _inherit = ["contact.import.line.mixin"]
    _description = "Contact Import Wizard Company Suggestion"
    _order = "sequence"

    line_id = fields.Many2one("contact.import.wizard.company", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    company_id = fields.Many2one("res.partner", readonly=True)
    score = fields.Integer(readonly=True)
    level = fields.Selection(
        [
            ("alias", "Remembered"),
            ("vat", "Same VAT"),
            ("name", "Same name"),
            ("domain", "Same domain"),
            ("fuzzy", "Similar name"),
        ],
        readonly=True,
    )
    archived = fields.Boolean(readonly=True)
    opposed = fields.Boolean(string="Evidence against", readonly=True)
    reason = fields.Text(readonly=True)

    def action_pick(self):
        """Link the file's company to this suggestion (and unarchive it when archived)."""
        self.ensure_one()
        self.line_id.wizard_id._check_step("reference")
        decision = "unarchive" if self.archived else "link"
        self.line_id.write(
            {
                "decision": decision,
                "company_id": self.company_id.id,
                "decision_by_user": True,
                "preselected": False,
                "decision_note": False,
            }
        )
        return self.line_id.wizard_id._reopen()

    def action_reject(self):
        """Never link this spelling to this company: not proposed again, here or in the
        next imports (remembered as a negative alias when the import runs)."""
        self.ensure_one()
        line = self.line_id
        line.wizard_id._check_step("reference")
        vals = {"rejected_company_ids": [(4, self.company_id.id)]}
        if line.company_id == self.company_id and line.decision in ("link", "unarchive"):
            vals.update(
                {"decision": False, "company_id": False, "preselected": False, "decision_by_user": True}
            )
        line.sudo().write(vals)  # what the user rejected, from a suggestion of their own line
        self.sudo().unlink()
        return line.action_open()
