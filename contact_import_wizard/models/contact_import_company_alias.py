# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine import matching
from ..engine.normalize import company_key


class ContactImportCompanyAlias(models.Model):
    """A remembered Reference Data decision: this spelling of a company in a file is (or,
    negative, is never) that company in Odoo. The next imports follow it by themselves."""

    _name = "contact.import.company.alias"
    _description = "Contact Import Company Alias"
    _order = "name, id"

    key = fields.Char(required=True, readonly=True, index=True, help="The spelling, once normalised.")
    name = fields.Char(string="Spelling in the file", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Company in Odoo", required=True, readonly=True, ondelete="cascade", index=True
    )
    negative = fields.Boolean(string="Never link", readonly=True)
    user_id = fields.Many2one("res.users", string="Saved by", readonly=True)
    date = fields.Datetime(string="Saved on", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _key_uniq = models.Constraint(
        "UNIQUE(key, partner_id, company_id)", "This spelling already has a decision for this company."
    )

    @api.model
    def _engine_aliases(self):
        """The active aliases of the current company, as the engine takes them."""
        return [
            matching.Alias(
                alias.key,
                alias.partner_id.id,
                alias.negative,
                alias.user_id.name or "",
                fields.Date.to_string(alias.date) if alias.date else "",
            )
            for alias in self.search([("company_id", "=", self.env.company.id)])
        ]

    @api.model
    def _remember(self, spelling, partner, negative=False):
        """Save (or refresh) a decision the current user made in Reference Data. Called by
        the import once it checked the user may read ``partner``; aliases are written by
        the server only (users read them, managers archive them)."""
        key = company_key(spelling)
        if not key:
            return self
        Alias = self.sudo().with_context(active_test=False)
        found = Alias.search(
            [("key", "=", key), ("company_id", "=", self.env.company.id), ("partner_id", "=", partner.id)],
            limit=1,
        )
        vals = {"negative": negative, "user_id": self.env.uid, "date": fields.Datetime.now(), "active": True}
        if found:
            found.write(vals)
            alias = found
        else:
            alias = Alias.create(
                dict(vals, key=key, name=spelling, partner_id=partner.id, company_id=self.env.company.id)
            )
        # One positive decision per spelling: an older link of the same spelling is retired.
        if not negative:
            Alias.search(
                [
                    ("key", "=", key),
                    ("company_id", "=", self.env.company.id),
                    ("negative", "=", False),
                    ("id", "!=", alias.id),
                ]
            ).write({"active": False})
        return alias
