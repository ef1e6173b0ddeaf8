# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

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
