# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ContactImportRevert(models.TransientModel):
    _name = "contact.import.revert"
    _description = "Revert a Contact Import"

    log_id = fields.Many2one("contact.import.log", required=True, ondelete="cascade")
    summary = fields.Text(compute="_compute_scope")
    changed_ids = fields.Many2many("res.partner", string="Changed since the import", compute="_compute_scope")
    force = fields.Boolean(string="Revert the changed records too")

    @api.depends("log_id")
    def _compute_scope(self):
        for wizard in self:
            contacts, companies, updated, changed = wizard.log_id._revert_scope()
            wizard.changed_ids = changed
            wizard.summary = self.env._(
                "%(contacts)s contacts and %(companies)s companies created by this import will be deleted "
                "(archived where other records point to them), and %(updated)s updated contacts restored. "
                "%(changed)s of these records were changed since the import: they are left alone unless "
                "you tick the box below.",
                contacts=len(contacts),
                companies=len(companies),
                updated=len(updated),
                changed=len(changed),
            )

    def action_confirm(self):
        self.ensure_one()
        self.log_id._revert(force=self.force)
        return self.log_id._form_action()
