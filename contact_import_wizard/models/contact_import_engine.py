# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the Odoo layer gives the engine: the lookups it reads in bulk, and the limits."""

import time

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

from ..engine import matching, reader, validation
from ..engine.messages import EngineError
from ..engine.plan import ADDRESS_FIELDS

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
    def _check_limits(self, data, file_name, rows=None):
        """Refuse a file above the size limit, or with more rows than the row limit."""
        max_bytes, max_rows = self._limits()
        try:
            reader.check_size(len(data), max_bytes, file_name)
            if rows is not None and rows > max_rows:
                raise EngineError(
                    "too_many_rows",
                    reader.TOO_MANY_ROWS,
                    limit=f"{max_rows:,}",
                )
        except EngineError as exc:
            raise UserError(exc.message(self.env._)) from None

    @api.model
    def _find_emails(self, emails):
        """Normalised email -> ids of the contacts (not companies) that have it."""
        found = {}
        emails = sorted(emails)
        for start in range(0, len(emails), 5000):
            for partner in self.env["res.partner"].search_fetch(
                [("email_normalized", "in", emails[start : start + 5000]), ("is_company", "=", False)],
                ["email_normalized"],
            ):
                found.setdefault(partner.email_normalized, []).append(partner.id)
        return found

    @api.model
    def _existing_companies(self):
        """The companies the user can read (record rules applied), as the engine matches
        them: only the columns matching needs, in one query, streamed."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        query = Partner._search([("is_company", "=", True)])
        sql = SQL(
            """SELECT p.id, p.name, p.vat, p.website, p.email, p.active, p.city, c.code
                 FROM res_partner p
            LEFT JOIN res_country c ON c.id = p.country_id
                WHERE p.id IN %s
             ORDER BY p.id""",
            query.subselect(),
        )
        # Pending writes on what the access rules and the columns read are flushed first.
        Partner.flush_model(["name", "vat", "website", "email", "active", "city", "country_id"])
        self.env.flush_query(sql)
        self.env.cr.execute(sql)
        while rows := self.env.cr.fetchmany(10000):
            for id_, name, vat, website, email, active, city, country in rows:
                yield matching.ExistingCompany(
                    id_, name or "", vat or "", website or "", email or "", active, country or "", city or ""
                )

    @api.model
    def _load_lookups(self):
        """What the engine needs of the database, read in bulk with the user's rights."""
        companies = list(self._existing_companies())
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
        return validation.Lookups(
            countries=countries,
            states=states,
            companies=companies,
            langs=langs,
            find_emails=self._find_emails,
            aliases=self.env["contact.import.company.alias"]._engine_aliases(),
        )

    @api.model
    def _read_deadline(self):
        """When a web request must stop reading a file (time.monotonic()): before Odoo's
        own time limit kills the worker, so that the user gets a message instead."""
        value = self.env["ir.config_parameter"].sudo().get_param("contact_import_wizard.read_seconds")
        seconds = float(value or 0)
        if not seconds:
            limit = config.get("limit_time_real") or 120
            seconds = max(int(limit * 0.8), 10)
        return time.monotonic() + seconds

    @api.model
    def _validate_file(self, data, file_name, reading, column_map, deadline=None):
        """Read, map and validate a file in one pass: the engine's result. Nothing is written.
        The file is refused above the size and row limits, and past ``deadline``."""
        max_bytes, max_rows = self._limits()
        try:
            reader.check_size(len(data), max_bytes, file_name)
            table = reader.open_table(data, file_name, deadline=deadline, max_rows=max_rows, **reading)
            rows = reader.limit_rows(table.rows(), max_rows)
            result = validation.validate(
                rows, table.headers, column_map, self._load_lookups(), unit=getattr(table, "unit", "row")
            )
        except EngineError as exc:
            raise UserError(exc.message(self.env._)) from None
        return result

    @api.model
    def _read_values(self, record, names):
        """``names`` of ``record`` as JSON-ready values (ids for relations)."""
        return {
            name: record._fields[name].convert_to_read(record[name], record, use_display_name=False)
            for name in names
            if name in record._fields
        }

    @api.model
    def _company_addresses(self, company_ids):
        """Current address of these companies, as the engine compares them (ids for the
        relational fields, nothing for empty fields)."""
        addresses = {}
        for company in self.env["res.partner"].browse(sorted(company_ids)).exists():
            addresses[company.id] = {
                k: (company[k].id if k.endswith("_id") else company[k]) or None for k in ADDRESS_FIELDS
            }
            addresses[company.id] = {k: v for k, v in addresses[company.id].items() if v}
        return addresses
