# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Revert an import: its confirmation dialog, and what a revert does to the log's records."""

import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ContactImportRevert(models.TransientModel):
    _name = "contact.import.revert"
    _description = "Revert a Contact Import"

    log_id = fields.Many2one("contact.import.log", required=True, ondelete="cascade")
    summary = fields.Text(compute="_compute_scope")
    changed_ids = fields.Many2many("res.partner", string="Changed since the import", compute="_compute_scope")
    force = fields.Boolean(string="Revert the changed records too")

    @api.depends("log_id")
    def _compute_scope(self):
        for wizard in self:
            contacts, companies, updated, changed = wizard.log_id._revert_scope()
            wizard.changed_ids = changed
            wizard.summary = self.env._(
                "%(contacts)s contacts and %(companies)s companies created by this import will be deleted "
                "(archived where other records point to them), and %(updated)s updated contacts restored. "
                "%(changed)s of these records were changed since the import: they are left alone unless "
                "you tick the box below.",
                contacts=len(contacts),
                companies=len(companies),
                updated=len(updated),
                changed=len(changed),
            )

    def action_confirm(self):
        self.ensure_one()
        self.log_id._revert(force=self.force)
        return self.log_id._form_action()


class ContactImportLog(models.Model):
    _inherit = "contact.import.log"

    def _revert_scope(self):
        """What a revert touches: (created contacts, created companies, updated lines,
        records changed by someone after the import)."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=False)
        lines = self.line_ids
        contacts = lines.filtered(lambda line: line.status in ("created", "linked")).partner_id.exists()
        companies = Partner.browse(list((self.created_company_ids or {}).values())).exists()
        updated = lines.filtered(lambda line: line.status == "updated" and line.partner_id)
        since = self.date_end or self.write_date
        touched = contacts | companies | updated.partner_id
        changed = touched.filtered(lambda p: p.write_date and p.write_date > since)
        return contacts, companies, updated, changed

    def _revert(self, force=False):
        """Remove what the import created and restore what it updated.

        Records changed by someone after the import are left alone unless ``force``. A
        record other records now point to is archived instead of deleted."""
        self.ensure_one()
        self._check_can_revert()
        contacts, companies, updated, changed = self._revert_scope()
        keep = self.env["res.partner"] if force else changed
        removed, archived = self._remove_partners(contacts - keep)
        companies = companies - keep
        still_used = companies.filtered(
            lambda c: c.with_context(active_test=False).child_ids - (contacts - keep)
        )
        more_removed, more_archived = self._remove_partners(companies - still_used)
        restored = 0
        for line in updated.filtered(lambda line: force or line.partner_id not in changed):
            partner = line.partner_id
            vals = {}
            for name, value in (line.previous_values or {}).items():
                field = partner._fields.get(name)
                if field is None:
                    continue
                vals[name] = [(6, 0, value or [])] if field.type == "many2many" else value
            partner.with_context(tracking_disable=True).write(vals)
            restored += 1
        message = self.env._(
            "Reverted: %(removed)s contacts and companies deleted, %(archived)s archived (other records "
            "point to them), %(restored)s contacts restored; left alone: %(changed)s changed since the "
            "import, %(used)s companies that still have contacts.",
            removed=removed + more_removed,
            archived=archived + more_archived,
            restored=restored,
            changed=len(keep),
            used=len(still_used),
        )
        self.write({"state": "reverted", "message": message})
        self.message_post(body=message)
        return message

    def _remove_partners(self, partners):
        """Delete partners, or archive those that cannot be deleted: (deleted, archived)."""
        deleted = archived = 0
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner.unlink()
                deleted += 1
                continue
            except (UserError, IntegrityError):
                pass
            try:
                with self.env.cr.savepoint():
                    partner.active = False
                archived += 1
            except UserError:  # e.g. the contact of an active user: left as it is
                _logger.info("Revert left partner %s alone", partner.id, exc_info=True)
        return deleted, archived
