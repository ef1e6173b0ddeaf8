# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

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

    @api.constrains("column_map")
    def _check_column_map(self):
        """A header -> contact field dict, each field one the import fills (or nothing)."""
        for mapping in self:
            columns = mapping.column_map
            if not isinstance(columns, dict) or any(
                not isinstance(header, str) or (target is not None and target not in TARGETS_BY_KEY)
                for header, target in columns.items()
            ):
                raise ValidationError(
                    self.env._("A mapping names, for each column header, a contact field the import fills.")
                )

    def _check_mapping_company(self, vals):
        """A user saves mappings in the companies they are in (or for all), no other."""
        company_id = vals.get("company_id")
        if company_id and not self.env.su and company_id not in self.env.user.company_ids.ids:
            raise ValidationError(self.env._("A mapping belongs to one of your companies, or to all."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_mapping_company(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_mapping_company(vals)
        return super().write(vals)

    @api.depends("column_map")
    def _compute_summary(self):
        for mapping in self:
            lines = []
            for header, target in (mapping.column_map or {}).items():
                label = TARGETS_BY_KEY[target].label if target in TARGETS_BY_KEY else "-"
                lines.append(f"{header} → {self.env._(label)}")  # pylint: disable=translation-required
            mapping.summary = "\n".join(lines)
