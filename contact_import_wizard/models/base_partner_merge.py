# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .res_partner import IMPORT_TOKEN


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Odoo's merge carries the merged partners' fields over to the one kept, the link
        to the import that created them included, which only the server may write."""
        merge = self.with_context(contact_import_token=IMPORT_TOKEN)
        if dst_partner:
            dst_partner = dst_partner.with_env(merge.env)
        return super(BasePartnerMergeAutomaticWizard, merge)._merge(partner_ids, dst_partner, extra_checks)

    def action_merge(self):
        """Opened from an import's Reference Data (companies found several times): once
        merged, back to the import at that step, its companies matched again."""
        action = super().action_merge()
        wizard_id = self.env.context.get("contact_import_wizard_id")
        if not wizard_id:
            return action
        wizard = self.env["contact.import.wizard"].browse(wizard_id).exists()
        if not wizard or wizard.state != "reference":
            return action
        return wizard.action_refresh_reference()

    def action_back_to_contact_import(self):
        """Leave the merge for the import it was opened from, at Reference Data."""
        wizard = (
            self.env["contact.import.wizard"]
            .browse(self.env.context.get("contact_import_wizard_id"))
            .exists()
        )
        if not wizard:
            return {"type": "ir.actions.act_window_close"}
        return wizard._reopen()
