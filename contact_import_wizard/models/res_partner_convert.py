# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Contacts converted to customers, or linked to companies, from the contacts themselves:
the form's button, the list's Actions menu, and the unattended link of automation rules."""

from odoo import Command, models
from odoo.exceptions import AccessError

from ..engine import convert

IMPORT_GROUP = "contact_import_wizard.group_contact_import"


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _check_contact_import_user(self):
        """Converting and linking contacts is for partner managers (the import's users)."""
        if not self.env.su and not self.env.user.has_group(IMPORT_GROUP):
            raise AccessError(
                self.env._("Only partner managers can convert contacts or link them to companies.")
            )

    def action_contact_import_convert(self):
        """Convert to Customer: open the confirmation of what would be created and linked."""
        self._check_contact_import_user()
        self.env["contact.import.engine"]._check_partners(self, convert.OWN_NAME)
        wizard = self.env["contact.convert.wizard"].create(
            {"partner_ids": [Command.set(self.ids)], "partner_order": self.ids}
        )
        wizard._propose()
        return wizard._open()

    def action_contact_import_link(self):
        """Link to companies: the import wizard's Reference Data step on these contacts."""
        self._check_contact_import_user()
        self.env["contact.import.engine"]._check_partners(self, convert.COMPANY_NAME)
        wizard = self.env["contact.import.wizard"].create(
            {"source": "partners", "partner_ids": [Command.set(self.ids)], "partner_order": self.ids}
        )
        wizard._start_from_partners()
        return wizard._reopen()

    def _contact_import_auto_link(self, threshold=None):
        """Link these contacts (those with a company name and no company) to the company
        their name matches, unattended: an exact match, or a suggestion that scores at
        least ``threshold`` (default: the system parameter
        ``contact_import_wizard.auto_link_threshold``, else 90) with nothing against it and
        no rival (see engine.matching.threshold_link). Never creates a company. Every
        decision, and why a contact was not linked, is logged (kind "automation").
        Returns the log, or None when no contact qualifies."""
        self._check_contact_import_user()
        partners = self.filtered(
            lambda p: not p.is_company and not p.parent_id and (p.company_name or "").strip()
        )
        if not partners:
            return None
        Engine = self.env["contact.import.engine"]
        Engine._check_partner_limit(len(partners))
        result, _left = Engine._validate_partners(partners, convert.COMPANY_NAME)
        if not result.records:
            return None
        threshold = threshold or Engine._auto_link_threshold()
        automatic = convert.automatic_decisions(result, threshold)
        decisions = {key: decision for key, (decision, _verdict) in automatic.items()}
        refused = {key: (v.template, v.params) for key, (_d, v) in automatic.items() if not v}
        linked = {v.candidate.company_id: v.candidate for _d, v in automatic.values() if v}
        plan = convert.partners_plan(
            result,
            decisions,
            company_addresses=Engine._company_addresses(set(linked)),
            reasons=refused,
        )
        options = {"threshold": threshold, "fill_company_fields": True, "fill_empty_addresses": True}
        log = self.env["contact.import.log"]._create_for_partners("automation", result, decisions, options)
        messages = convert.row_messages(
            plan,
            {cid: candidate.name for cid, candidate in linked.items()},
            {cid: candidate.reasons()[0] for cid, candidate in linked.items()},
            self.env._,
        )
        if len(plan.contacts) > Engine._background_threshold():
            log._store_plan(plan)  # above the threshold: a background job, as for a file
            log._enqueue()
        else:
            log._run_partner_plan(plan, messages)
        return log
