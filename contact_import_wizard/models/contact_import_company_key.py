# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL


class ContactImportCompanyKey(models.Model):
    """One row per company an import created, by normalised name key.

    Its unique key is what makes two imports running at the same time create a new
    company once: the second one's insert waits for the first to commit, then fails with
    a serialization error, and Odoo runs it again (a web request, the cron), on a fresh
    snapshot where the company exists and is linked instead.
    """

    _name = "contact.import.company.key"
    _description = "Contact Import Company Key"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.partner", ondelete="cascade", readonly=True, index=True)

    _key_uniq = models.Constraint("UNIQUE(key)", "An import already created a company with this key.")

    def _claim(self, keys):
        """Claim company keys for creation: returns the keys this transaction may create.

        Keys whose company an import created before this transaction's snapshot are left
        out; a key claimed by a concurrent import makes PostgreSQL raise a serialization
        failure once that import commits, for the caller's retry."""
        if not keys:
            return set()
        # One statement, the keys in a fixed order: two imports never wait for each other
        # in a circle. A key left without company (its creation failed) can be claimed again.
        self.env.cr.execute(
            SQL(
                """INSERT INTO contact_import_company_key (key)
                   SELECT key FROM unnest(%s::varchar[]) AS key ORDER BY key
                   ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
                   WHERE contact_import_company_key.company_id IS NULL
                   RETURNING key""",
                sorted(set(keys)),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _record(self, companies):
        """Link claimed keys to the companies created for them (key -> partner)."""
        if not companies:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE contact_import_company_key k SET company_id = v.company_id
                     FROM unnest(%s::varchar[], %s::int[]) AS v(key, company_id)
                    WHERE k.key = v.key""",
                list(companies),
                [company.id for company in companies.values()],
            )
        )
