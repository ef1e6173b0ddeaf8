# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine.mapping import TARGETS_BY_KEY


class ContactImportMapping(models.Model):
    _name = "contact.import.mapping"
    _description = "Contact Import Mapping Template"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    column_map = fields.Json(
        string="Columns", required=True, default=dict, help="File header -> contact field it fills."
    )
    duplicate_policy = fields.Selection(
        [("skip", "Skip them"), ("update", "Update them"), ("create", "Create anyway")],
        string="Contacts already in Odoo",
        default="skip",
        required=True,
    )
    summary = fields.Text(compute="_compute_summary")

    _name_uniq = models.Constraint("UNIQUE(name, company_id)", "A mapping with this name already exists.")

    @api.depends("column_map")
    def _compute_summary(self):
        for mapping in self:
            lines = []
            for header, target in (mapping.column_map or {}).items():
                label = TARGETS_BY_KEY[target].label if target in TARGETS_BY_KEY else "-"
                lines.append(f"{header} → {self.env._(label)}")  # pylint: disable=translation-required
            mapping.summary = "\n".join(lines)
