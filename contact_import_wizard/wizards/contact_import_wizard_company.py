# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ContactImportWizardCompany(models.TransientModel):
    _name = "contact.import.wizard.company"
    _description = "Contact Import Wizard Company (Reference Data)"
    _order = "match_status desc, row_count desc, name"

    wizard_id = fields.Many2one("contact.import.wizard", required=True, ondelete="cascade", index=True)
    key = fields.Char(readonly=True)
    name = fields.Char(string="Company in the file", readonly=True)
    spellings = fields.Char(string="Spellings", readonly=True)
    row_count = fields.Integer(string="Contacts", readonly=True)
    contacts = fields.Text(string="Its contacts", readonly=True)
    match_status = fields.Selection(
        [("matched", "Found"), ("ambiguous", "Several found"), ("unmatched", "Not found")], readonly=True
    )
    match_reason = fields.Char(string="Why", readonly=True)
    decision = fields.Selection(
        [
            ("create", "Create new company"),
            ("link", "Link to existing company"),
            ("skip", "Skip these contacts"),
        ],
        required=True,
        default="create",
    )
    decision_by_user = fields.Boolean()
    company_id = fields.Many2one("res.partner", string="Existing company", domain=[("is_company", "=", True)])
    suggestion_ids = fields.One2many("contact.import.wizard.suggestion", "line_id", string="Suggestions")
    best_suggestion = fields.Char(compute="_compute_best_suggestion")

    @api.depends("suggestion_ids")
    def _compute_best_suggestion(self):
        for line in self:
            best = line.suggestion_ids.sorted("sequence")[:1]
            line.best_suggestion = (
                self.env._("%(name)s (%(score)s%%)", name=best.company_id.display_name, score=best.score)
                if best
                else False
            )

    @api.onchange("decision", "company_id")
    def _onchange_decision(self):
        self.decision_by_user = True
        if self.company_id and self.decision != "link":
            self.decision = "link"

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.name,
        }
