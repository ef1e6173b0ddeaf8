# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the engine reads of contacts already in Odoo (Convert to Customer, Link to companies)."""

from odoo import api, models
from odoo.exceptions import UserError

from ..engine import convert, matching

PARTNER_FIELDS = [
    "name",
    "company_name",
    "email",
    "phone",
    "website",
    "vat",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "is_company",
    "parent_id",
]


class ContactImportEngine(models.AbstractModel):
    _inherit = "contact.import.engine"

    @api.model
    def _auto_link_threshold(self):
        """Least score the unattended link takes (system parameter, default as the engine's)."""
        return self._param("auto_link_threshold", matching.DEFAULT_LINK_THRESHOLD)

    @api.model
    def _check_partner_limit(self, count):
        """Refuse more contacts at once than an import takes rows."""
        _max_bytes, max_rows = self._limits()
        if count > max_rows:
            raise UserError(
                self.env._(
                    "%(count)s contacts are selected; at most %(limit)s are converted or linked at once.",
                    count=count,
                    limit=max_rows,
                )
            )

    @api.model
    def _partners_data(self, partners):
        """The partners as plain dicts (see engine.convert.partner_records), in their order,
        read with the user's rights."""
        partners.check_access("read")
        partners.fetch(PARTNER_FIELDS)
        data = []
        for partner in partners:
            parent = partner.parent_id
            data.append(
                {
                    "id": partner.id,
                    "name": partner.name or "",
                    "company_name": partner.company_name or "",
                    "email": partner.email or "",
                    "phone": partner.phone or "",
                    "website": partner.website or "",
                    "vat": partner.vat or "",
                    "street": partner.street or "",
                    "street2": partner.street2 or "",
                    "city": partner.city or "",
                    "zip": partner.zip or "",
                    "state_id": partner.state_id.id or None,
                    "country_id": partner.country_id.id or None,
                    "country_code": partner.country_id.code or "",
                    "is_company": partner.is_company,
                    "parent_id": parent.id or None,
                    # the company's name in the reason, when this user may read it
                    "parent_name": parent.display_name if parent and parent.has_access("read") else "",
                }
            )
        return data

    @api.model
    def _check_partners(self, partners, source):
        """Refuse a selection none of whose contacts can be converted or linked, saying
        why for each (before anything is created for it)."""
        self._check_partner_limit(len(partners))
        records, left = convert.partner_records(self._partners_data(partners), source)
        if not records:
            reasons = "\n".join(item.reason(self.env._) for item in left[:20])
            if source == convert.COMPANY_NAME:
                raise UserError(
                    self.env._(
                        "Only contacts with a company name and no company are linked to companies:\n"
                        "%(reasons)s",
                        reasons=reasons,
                    )
                )
            raise UserError(
                self.env._(
                    "Only individual contacts without a company are converted to customers:\n%(reasons)s",
                    reasons=reasons,
                )
            )

    @api.model
    def _validate_partners(self, partners, source):
        """The engine's result for these partners instead of a file: (result, left_out)."""
        return convert.partners_result(self._partners_data(partners), self._load_lookups(), source)
