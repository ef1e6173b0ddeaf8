# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# Only the import's executor sets a partner's link to its import log (a revert deletes
# what that link says the import created). It proves who it is with this object in the
# context: a context that comes over RPC is JSON, and cannot hold it.
IMPORT_TOKEN = object()


class ResPartner(models.Model):
    _inherit = "res.partner"

    contact_import_log_id = fields.Many2one(
        "contact.import.log",
        string="Created by import",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="contact_import_wizard.group_contact_import",
    )

    def _check_import_log_link(self):
        if not self.env.su and self.env.context.get("contact_import_token") is not IMPORT_TOKEN:
            raise AccessError(self.env._("Only a contact import sets the import a contact was created by."))

    @api.model_create_multi
    def create(self, vals_list):
        if any("contact_import_log_id" in vals for vals in vals_list):
            self._check_import_log_link()
        return super().create(vals_list)

    def write(self, vals):
        if "contact_import_log_id" in vals:
            self._check_import_log_link()
        return super().write(vals)
