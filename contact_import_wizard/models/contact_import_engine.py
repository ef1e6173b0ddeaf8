# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the Odoo layer gives the engine: the lookups it reads in bulk, and the limits."""

from odoo import api, models
from odoo.exceptions import UserError

from ..engine import matching, reader, validation
from ..engine.messages import EngineError

DEFAULT_BACKGROUND_THRESHOLD = 2000
DEFAULT_CHUNK_SIZE = 2000
# Defaults that fit a 2-core server; Settings > Contacts changes them.
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_ROWS = 1_000_000


class ContactImportEngine(models.AbstractModel):
    _name = "contact.import.engine"
    _description = "Contact Import Engine Adapter"

    @api.model
    def _param(self, name, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"contact_import_wizard.{name}")
        return int(value or default)

    @api.model
    def _background_threshold(self):
        return self._param("background_threshold", DEFAULT_BACKGROUND_THRESHOLD)

    @api.model
    def _limits(self):
        """(largest file in bytes, most rows) an import accepts."""
        max_mb = self._param("max_file_mb", DEFAULT_MAX_FILE_MB)
        return max_mb * 1024 * 1024, self._param("max_rows", DEFAULT_MAX_ROWS)

    @api.model
    def _chunk_size(self):
        return max(self._param("chunk_size", DEFAULT_CHUNK_SIZE), 1)

    @api.model
    def _load_lookups(self, emails=()):
        """What the engine needs of the database, read in bulk with the user's rights."""
        Partner = self.env["res.partner"]
        existing_emails = {}
        emails = sorted(emails)
        for start in range(0, len(emails), 5000):
            for partner in Partner.search_fetch(
                [("email_normalized", "in", emails[start : start + 5000]), ("is_company", "=", False)],
                ["email_normalized"],
            ):
                existing_emails.setdefault(partner.email_normalized, []).append(partner.id)
        companies = [
            matching.ExistingCompany(
                p.id, p.name or "", p.vat or "", p.website or "", p.email or "", p.active
            )
            for p in Partner.with_context(active_test=False).search_fetch(
                [("is_company", "=", True)], ["name", "vat", "website", "email", "active"]
            )
        ]
        langs = self.env["res.lang"].get_installed()
        names = {}
        for code, _name in [*langs, ("en_US", "English")]:
            for country in self.env["res.country"].with_context(lang=code).search_fetch([], ["name", "code"]):
                names.setdefault(country.id, (country.code or "", set()))[1].add(country.name)
        countries = [validation.Country(cid, code, tuple(n)) for cid, (code, n) in names.items()]
        states = [
            validation.State(s.id, s.country_id.id, s.code or "", s.name or "")
            for s in self.env["res.country.state"].search_fetch([], ["country_id", "code", "name"])
        ]
        return validation.Lookups(existing_emails, countries, states, companies, langs)

    @api.model
    def _validate_file(self, data, file_name, reading, column_map):
        """Read, map and validate a file: (table, result). Nothing is written."""
        try:
            table = reader.open_table(data, file_name, **reading)
            email_columns = [i for i, h in enumerate(table.headers) if column_map.get(h) == "email"]
            emails = {row.values[i].strip().lower() for row in table.rows() for i in email_columns}
            result = validation.validate(table.rows(), table.headers, column_map, self._load_lookups(emails))
        except EngineError as exc:
            raise UserError(exc.message(self.env._)) from None
        return table, result
