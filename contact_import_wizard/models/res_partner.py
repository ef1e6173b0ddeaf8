# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


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
