# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Revert an import: its confirmation dialog, and what a revert does to the log's records.

What a revert deletes or restores is derived only from what the import itself wrote and
users cannot write: the log's lines and the values the executor kept on them and on the
log, and the partners' own link to their log. A record counts as changed since the import
when one of the values the import wrote on it is no longer there (values, not clocks).
"""

import logging
from dataclasses import dataclass, field

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..engine.plan import ADDRESS_FIELDS
from ..engine.values import SYNCED_FROM_COMPANY

_logger = logging.getLogger(__name__)

DELETE_BATCH = 200


@dataclass
class RevertScope:
    contacts: object  # res.partner created by the import
    companies: object  # res.partner companies created by the import
    updated: object  # contact.import.log.line of the updated contacts
    fills: dict = field(default_factory=dict)  # company -> {"previous": ..., "written": ...}
    changed: object = None  # res.partner changed since the import
    referenced: object = None  # res.partner other records point to: archived, never deleted

    @property
    def size(self):
        return len(self.contacts) + len(self.companies) + len(self.updated) + len(self.fills)


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
            scope = wizard.log_id._revert_scope()
            wizard.changed_ids = scope.changed
            summary = self.env._(
                "%(contacts)s contacts and %(companies)s companies created by this import will be deleted "
                "(archived where other records point to them), %(updated)s updated contacts and "
                "%(filled)s completed companies restored.",
                contacts=len(scope.contacts),
                companies=len(scope.companies),
                updated=len(scope.updated),
                filled=len(scope.fills),
            )
            if scope.changed:  # the box is shown only then
                summary += " " + self.env._(
                    "Changed since the import, or now used by other records: %(changed)s of them. They "
                    "are left as they are unless you tick the box below; then they are reverted too, and "
                    "a record still used elsewhere is archived, never deleted.",
                    changed=len(scope.changed),
                )
            wizard.summary = summary

    def action_confirm(self):
        self.ensure_one()
        self.log_id._check_can_revert()
        self.log_id._start_revert(force=self.force)
        return self.log_id._form_action()


class ContactImportLog(models.Model):
    _inherit = "contact.import.log"

    def _revert_scope(self):
        """What a revert touches, from the records the import wrote (see the module doc)."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=False)
        lines = self.sudo().line_ids.filtered(lambda line: not line.reverted)
        created = lines.filtered(lambda line: line.status in ("created", "linked") and line.partner_id)
        contacts = Partner.browse(created.partner_id.ids).exists()
        companies = Partner.browse(self._our_company_ids()).exists()
        # Both records must agree: the line says the import created it, the partner says so.
        own = (contacts | companies).sudo().filtered(lambda p: p.contact_import_log_id == self)
        contacts, companies = contacts & own, companies & own
        updated = lines.filtered(lambda line: line.status == "updated" and line.partner_id)
        fills = {
            Partner.browse(int(cid)): change
            for cid, change in (self.company_fills or {}).items()
            if not change.get("reverted")
        }
        fills = {company: change for company, change in fills.items() if company.exists()}
        written = {line.partner_id: line.written_values for line in created if line.written_values}
        written.update(
            {Partner.browse(int(cid)): values for cid, values in (self.created_company_values or {}).items()}
        )
        changed = Partner
        for partner in contacts | companies:
            if self._changed_since(partner, written.get(partner)):
                changed |= partner
        # What others attached to them since (a bank account, a document, a message, a
        # contact of their own...) is a change too: deleting would take it along.
        referenced = Partner.browse(
            sorted(self._referenced_elsewhere(contacts | companies, updated.partner_id))
        )
        changed |= referenced
        for line in updated:
            if self._changed_since(line.partner_id, line.written_values):
                changed |= line.partner_id
        for company, change in fills.items():
            if self._changed_since(company, change.get("written")):
                changed |= company
        return RevertScope(contacts, companies, updated.with_env(self.env), fills, changed, referenced)

    # Tables whose references to partners are the import's own, or a wizard's (transient).
    _OWN_REFERENCES = frozenset(
        {
            ("contact_import_log_line", "partner_id"),
            ("contact_import_log_line", "company_partner_id"),
            ("contact_import_company_key", "company_id"),
            ("contact_import_company_alias", "partner_id"),
            ("res_partner", "commercial_partner_id"),
        }
    )

    def _referenced_elsewhere(self, partners, restored=None):
        """Ids of ``partners`` that records the import did not write now point to: their
        deletion would take those records along (or fail). ``restored``: the contacts the
        revert gives back their own parent first (theirs do not count)."""
        if not partners:
            return set()
        ids = tuple(partners.ids)
        own = tuple(partners.ids + (restored.ids if restored else []))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT src.relname, att.attname
                     FROM pg_constraint con
                     JOIN pg_class src ON src.oid = con.conrelid
                     JOIN pg_class dst ON dst.oid = con.confrelid
                     JOIN pg_attribute att ON att.attrelid = src.oid AND att.attnum = con.conkey[1]
                    WHERE con.contype = 'f' AND dst.relname = 'res_partner'
                      AND array_length(con.conkey, 1) = 1
                      AND dst.relnamespace = current_schema::regnamespace"""
            )
        )
        transient = {model._table for model in self.env.registry.values() if model._transient}
        found = set()
        for table, column in self.env.cr.fetchall():
            if (table, column) in self._OWN_REFERENCES or table in transient:
                continue
            if table == "res_partner" and column == "parent_id":
                # a contact of one of them, not one the import made
                query = SQL(
                    "SELECT DISTINCT parent_id FROM res_partner WHERE parent_id IN %s AND id NOT IN %s",
                    ids,
                    own,
                )
            elif self._is_own_relation(table):
                continue  # a many2many of res.partner itself (tags...): compared as values
            else:
                query = SQL(
                    "SELECT DISTINCT %s FROM %s WHERE %s IN %s",
                    SQL.identifier(column),
                    SQL.identifier(table),
                    SQL.identifier(column),
                    ids,
                )
            self.env.cr.execute(query)
            found.update(row[0] for row in self.env.cr.fetchall())
        tables = {m._table for m in self.env.registry.values()}
        for table, model_column, id_column, extra in (
            # a document attached to them (not one of their own image fields)
            ("ir_attachment", "res_model", "res_id", SQL("AND res_field IS NULL")),
            ("mail_message", "model", "res_id", SQL()),
            ("mail_activity", "res_model", "res_id", SQL()),
            ("mail_followers", "res_model", "res_id", SQL()),
        ):
            if table not in tables:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT %s FROM %s WHERE %s = 'res.partner' AND %s IN %s %s",
                    SQL.identifier(id_column),
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    SQL.identifier(id_column),
                    ids,
                    extra,
                )
            )
            found.update(row[0] for row in self.env.cr.fetchall())
        return found & set(ids)

    def _is_own_relation(self, table):
        """Whether ``table`` is the relation table of a many2many field of res.partner."""
        return any(
            getattr(field_, "relation", None) == table
            for field_ in self.env["res.partner"]._fields.values()
            if field_.type == "many2many"
        )

    @api.model
    def _changed_since(self, partner, written):
        """Whether ``partner`` no longer holds what the import wrote on it (what Odoo syncs
        onto a contact from its company aside)."""
        if not written or not partner.exists():
            return False
        partner = partner.with_context(active_test=False)
        names = set(written)
        if partner.parent_id:
            names -= set(SYNCED_FROM_COMPANY)
            if partner.type == "contact":
                names -= set(ADDRESS_FIELDS)
        now = self.env["contact.import.engine"]._read_values(partner, names)
        for name in names:
            if name not in now:
                continue
            value, current = written[name], now[name]
            if isinstance(value, list) or isinstance(current, list):
                if set(value or ()) != set(current or ()):
                    return True
            elif (value or False) != (current or False):
                return True
        return False

    def _check_can_revert(self):
        self.ensure_one()
        if not self._is_manager():
            raise AccessError(self.env._("Only import managers can revert an import."))
        if self.state not in ("done", "done_errors", "cancelled", "failed") or self.dry_run:
            raise UserError(self.env._("Only a finished import can be reverted."))

    def _start_revert(self, force=False):
        """Revert now, or in the background above the background threshold."""
        self._check_can_revert()
        scope = self._revert_scope()
        if scope.size > self.env["contact.import.engine"]._background_threshold():
            self.sudo().write(
                {
                    "state": "reverting",
                    "revert_force": force,
                    "revert_user_id": self.env.uid,
                    "message": False,
                }
            )
            self._enqueue_revert()
            return None
        return self._revert(force=force)

    def _revert(self, force=False, commit=None):
        """Remove what the import created and restore what it updated, with the rights of
        the manager who asked (never more). Records changed since the import are left alone
        unless ``force``; a record other records point to is archived instead of deleted.
        ``commit`` (background): called after each batch, returns False to stop there."""
        self.ensure_one()
        if not self._is_manager():
            raise AccessError(self.env._("Only import managers can revert an import."))
        commit = commit or (lambda: True)
        scope = self._revert_scope()
        keep = self.env["res.partner"] if force else scope.changed
        Line = self.env["contact.import.log.line"].sudo()
        totals = dict(self.revert_totals or {})
        for key in ("removed", "archived", "restored"):
            totals.setdefault(key, 0)
        contacts = scope.contacts - keep
        for start in range(0, len(contacts), DELETE_BATCH):
            batch = contacts[start : start + DELETE_BATCH]
            lines = Line.search([("log_id", "=", self.id), ("partner_id", "in", batch.ids)])
            removed, archived = self._remove_partners(batch, archive=scope.referenced)
            totals["removed"] += removed
            totals["archived"] += archived
            lines.write({"reverted": True})
            self.sudo().revert_totals = totals
            if not commit():
                return None
        # Updated contacts first: one the import gave a company it created leaves it, and
        # the company, no longer used, is removed below.
        for line in scope.updated.filtered(lambda line: force or line.partner_id not in keep):
            line.partner_id.with_context(tracking_disable=True).write(
                self._restore_vals(line.partner_id, line.previous_values)
            )
            line.sudo().reverted = True
            totals["restored"] += 1
        companies = scope.companies - keep
        still_used = companies.filtered(lambda c: c.with_context(active_test=False).child_ids - contacts)
        removed, archived = self._remove_partners(companies - still_used, archive=scope.referenced)
        Line.search(
            [
                ("log_id", "=", self.id),
                ("status", "=", "company"),
                ("partner_id", "in", (companies - still_used).ids),
            ]
        ).write({"reverted": True})
        totals["removed"] += removed
        totals["archived"] += archived
        self.sudo().companies_reverted += len(companies - still_used)
        fills = dict(self.company_fills or {})
        for company, change in scope.fills.items():
            if force or company not in keep:
                company.write(self._restore_vals(company, change.get("previous")))
                fills[str(company.id)] = dict(change, reverted=True)
                totals["restored"] += 1
        message = self.env._(
            "Reverted: %(removed)s contacts and companies deleted, %(archived)s archived (other records "
            "point to them), %(restored)s contacts and companies restored; left alone: %(changed)s changed "
            "since the import, %(used)s companies that still have contacts.",
            removed=totals["removed"],
            archived=totals["archived"],
            restored=totals["restored"],
            changed=len(keep),
            used=len(still_used),
        )
        self.sudo().write(
            {"state": "reverted", "message": message, "company_fills": fills, "revert_totals": totals}
        )
        self.sudo().message_post(body=message)
        commit()
        return message

    @api.model
    def _restore_vals(self, partner, previous):
        vals = {}
        for name, value in (previous or {}).items():
            field_ = partner._fields.get(name)
            if field_ is None:
                continue
            vals[name] = [(6, 0, value or [])] if field_.type == "many2many" else value
        return vals

    def _remove_partners(self, partners, archive=None):
        """Delete partners, or archive those other records point to (``archive``) or that
        cannot be deleted: (deleted, archived). A batch at a time; one by one only when the
        batch is refused."""
        if not partners:
            return 0, 0
        archived = 0
        kept = partners & (archive or partners.browse())
        for partner in kept:
            if self._archive(partner):
                archived += 1
        partners -= kept
        if not partners:
            return 0, archived
        try:
            with self.env.cr.savepoint():
                count = len(partners)
                partners.unlink()
            return count, archived
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except (UserError, IntegrityError):
            pass
        deleted = 0
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner.unlink()
                deleted += 1
                continue
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except (UserError, IntegrityError):
                pass
            if self._archive(partner):
                archived += 1
        return deleted, archived

    def _archive(self, partner):
        try:
            with self.env.cr.savepoint():
                partner.active = False
            return True
        except UserError:  # e.g. the contact of an active user: left as it is
            _logger.info("Revert left partner %s alone", partner.id, exc_info=True)
            return False
