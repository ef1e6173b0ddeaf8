# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

DECISIONS = [
    ("create", "Create new company"),
    ("link", "Link to existing company"),
    ("unarchive", "Link and unarchive"),
    ("merge", "Same company as another of the file"),
    ("skip", "Skip these contacts"),
]


class ContactImportWizardCompany(models.TransientModel):
    _name = "contact.import.wizard.company"
    _inherit = ["contact.import.line.mixin"]
    _user_step = "reference"
    _user_fields = frozenset(
        {"decision", "company_id", "decision_by_user", "preselected", "decision_note", "merge_into_id"}
    )
    _description = "Contact Import Wizard Company (Reference Data)"
    _order = "match_status desc, row_count desc, name"

    wizard_id = fields.Many2one("contact.import.wizard", required=True, ondelete="cascade", index=True)
    key = fields.Char(readonly=True)
    name = fields.Char(string="Company in the file", readonly=True)
    spellings = fields.Char(string="Spellings", readonly=True)
    row_count = fields.Integer(string="Contacts", readonly=True)
    contacts = fields.Text(string="Its contacts", readonly=True)
    match_status = fields.Selection(
        [
            ("matched", "Found"),
            ("contested", "Found, but evidence against"),
            ("ambiguous", "Several found"),
            ("archived", "Archived in Odoo"),
            ("unmatched", "Not found"),
        ],
        readonly=True,
    )
    match_reason = fields.Text(string="Why", readonly=True)
    decision = fields.Selection(DECISIONS)
    decision_by_user = fields.Boolean()
    preselected = fields.Boolean(
        string="Suggestion to confirm", help="Linked to a strong suggestion: confirm or change it."
    )
    decision_note = fields.Text(string="Note", readonly=True)
    company_id = fields.Many2one(
        "res.partner",
        string="Existing company",
        domain=[("is_company", "=", True)],
        context={"active_test": False},
    )
    merge_into_key = fields.Char(readonly=True)
    merge_into_id = fields.Many2one(
        "contact.import.wizard.company",
        string="Same company as",
        domain="[('wizard_id', '=', wizard_id), ('id', '!=', id)]",
        help="Another company of this file these contacts belong to: they follow its decision.",
    )
    look_alike_key = fields.Char(readonly=True)
    look_alike_reason = fields.Char(string="Looks like", readonly=True)
    tied_company_ids = fields.Many2many(
        "res.partner", "contact_import_wizard_company_tied_rel", string="Found several times", readonly=True
    )
    rejected_company_ids = fields.Many2many(
        "res.partner",
        "contact_import_wizard_company_rejected_rel",
        string="Never link to",
        readonly=True,
        help="Suggestions rejected here; the next imports do not propose them again for this spelling.",
    )
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

    def _needs_decision(self):
        self.ensure_one()
        if not self.decision:
            return True
        if self.decision in ("link", "unarchive"):
            return not self.company_id
        return self.decision == "merge" and not (self.merge_into_key or self.merge_into_id)

    @api.onchange("company_id")
    def _onchange_company_id(self):
        """A company picked is a company to link (or to unarchive and link)."""
        if self.company_id:
            self.decision = "unarchive" if not self.company_id.active else "link"
            self._decided_by_user()

    @api.onchange("decision")
    def _onchange_decision(self):
        self._decided_by_user()
        if self.decision not in ("link", "unarchive"):
            self.company_id = False  # create, skip or merge: no company of Odoo is linked
        if self.decision == "merge" and not self.merge_into_id and self.look_alike_key:
            self.merge_into_id = self.wizard_id.company_line_ids.filtered(
                lambda line: line.key == self.look_alike_key
            )[:1]

    def _decided_by_user(self):
        self.decision_by_user = True
        self.preselected = False
        self.decision_note = False

    # -- its dialog: every button comes back to the wizard at Reference Data -------------------
    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.name,
            "context": {"dialog_size": "extra-large"},
        }

    def action_back_to_wizard(self):
        self.ensure_one()
        return self.wizard_id._reopen()

    def action_merge_look_alike(self):
        """ "These look like one company": its contacts follow the other's decision."""
        self.ensure_one()
        self.wizard_id._check_step("reference")
        if not self.look_alike_key:
            raise UserError(self.env._("No other company of the file looks like this one."))
        # merge_into_key is the server's: the key of another company of this file
        self.sudo().write(
            {"decision": "merge", "merge_into_key": self.look_alike_key, "decision_by_user": True}
        )
        return self.wizard_id._reopen()

    def action_merge_in_odoo(self):
        """Open Odoo's own merge of the companies found several times; back to Reference
        Data (refreshed) once they are merged."""
        self.ensure_one()
        self.wizard_id._check_step("reference")
        companies = self.tied_company_ids
        if len(companies) < 2:
            raise UserError(self.env._("Only companies found several times in Odoo can be merged."))
        # What Odoo's merge refuses is said here, before the import is left for it.
        if not self.env.is_admin() and len(set(companies.mapped("email"))) > 1:
            raise UserError(
                self.env._(
                    "These companies have different emails: only an administrator can merge them. "
                    "Pick the right one in the list instead."
                )
            )
        merge = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, companies.ids)], "dst_partner_id": companies[:1].id, "state": "selection"}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": merge._name,
            "res_id": merge.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Merge companies"),
            "context": {"contact_import_wizard_id": self.wizard_id.id},
        }
