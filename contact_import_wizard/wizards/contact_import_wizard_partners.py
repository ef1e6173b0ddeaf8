# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Link to companies: the import wizard on contacts already in Odoo instead of a file.

The contacts' free-text company names take the place of a file's Company column: the
wizard opens at Reference Data (create / link / skip per company, the same suggestions
and reasons), then Review, and the plan's contacts are updates of those partners that
set their parent. The log is of kind "linking"."""

import threading
from collections import OrderedDict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import convert

# The engine's result for a wizard on contacts, kept between its steps in this process,
# until the contacts change (as the file wizard keeps its own).
_PARTNERS_CACHE = OrderedDict()
_PARTNERS_CACHE_SIZE = 4
_PARTNERS_CACHE_LOCK = threading.Lock()
# Only the server sets where a wizard's contacts come from.
SOURCE_FIELDS = frozenset({"source", "partner_ids", "partner_order"})
PARTNER_STEPS = ("reference", "review")


class ContactImportWizard(models.TransientModel):
    _inherit = "contact.import.wizard"

    source = fields.Selection(
        [("file", "A file"), ("partners", "Contacts in Odoo")],
        default="file",
        required=True,
        readonly=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "contact_import_wizard_partner_rel",
        "wizard_id",
        "partner_id",
        string="Contacts to link",
        readonly=True,
    )
    # The selection's order: a contact's row number in the log is its position in it.
    partner_order = fields.Json(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("source", "file") == "partners" and (vals.get("file") or not vals.get("partner_ids")):
                raise UserError(self.env._("Linking contacts to companies takes contacts, not a file."))
        return super().create(vals_list)

    def write(self, vals):
        if SOURCE_FIELDS & vals.keys() and not self.env.su:
            raise AccessError(self.env._("This is set by the import wizard's steps, not written directly."))
        return super().write(vals)

    # -- the engine on contacts -------------------------------------------------------------
    def _partners_engine(self):
        """(result, left_out) of the engine for the wizard's contacts; one engine pass as
        long as the contacts do not change."""
        self.ensure_one()
        partners = self._selected_partners()
        partners.check_access("read")
        stamp = max(partners.mapped("write_date"), default=False)
        key = (tuple(partners.ids), str(stamp))
        slot = (self.env.cr.dbname, self.id, self.env.uid)
        with _PARTNERS_CACHE_LOCK:
            cached = _PARTNERS_CACHE.get(slot)
            if cached and cached[0] == key:
                _PARTNERS_CACHE.move_to_end(slot)
                return cached[1]
        value = self.env["contact.import.engine"]._validate_partners(partners, convert.COMPANY_NAME)
        with _PARTNERS_CACHE_LOCK:
            _PARTNERS_CACHE[slot] = (key, value)
            _PARTNERS_CACHE.move_to_end(slot)
            while len(_PARTNERS_CACHE) > _PARTNERS_CACHE_SIZE:
                _PARTNERS_CACHE.popitem(last=False)
        return value

    def _selected_partners(self):
        """The wizard's contacts, in the order they were selected."""
        ordered = self.env["res.partner"].browse(self.partner_order or [])
        return (ordered & self.partner_ids) | self.partner_ids

    def _forget_engine_result(self):
        with _PARTNERS_CACHE_LOCK:
            _PARTNERS_CACHE.pop((self.env.cr.dbname, self.id, self.env.uid), None)
        return super()._forget_engine_result()

    def _run_engine(self):
        if self.source != "partners":
            return super()._run_engine()
        result, _left = self._partners_engine()
        return result

    def _start_from_partners(self):
        """Match the contacts' companies and open Reference Data on them."""
        self.ensure_one()
        self._check_step("upload")
        if self.source != "partners":
            raise UserError(self.env._("This import reads a file."))
        self.env["contact.import.engine"]._check_partner_limit(len(self.partner_ids))
        result, left = self._partners_engine()
        if not result.records:
            raise UserError(
                self.env._(
                    "Only contacts with a company name and no company are linked to companies:\n%(reasons)s",
                    reasons="\n".join(item.reason(self._translate) for item in left[:20]),
                )
            )
        self._store_companies(result)
        self._set({"state": "reference", "row_count": len(self.partner_ids), "row_count_exact": True})

    # -- the steps that differ ---------------------------------------------------------------------
    def _reopen(self):
        action = super()._reopen()
        if self.source == "partners":
            action["name"] = self.env._("Link to companies")
        return action

    def action_next(self):
        self.ensure_one()
        if self.source == "partners" and self.state not in PARTNER_STEPS:
            raise UserError(self.env._("Contacts are linked from the Reference Data step on."))
        return super().action_next()

    def action_back(self):
        self.ensure_one()
        if self.source == "partners" and self.state == "reference":
            raise UserError(self.env._("Reference Data is the first step when linking contacts."))
        return super().action_back()

    def _options(self):
        options = super()._options()
        if self.source == "partners":
            # What Odoo would copy up from a contact to its new company (an empty address,
            # an empty Tax ID) is written first, and logged, so that a revert undoes it.
            options.update(reading={}, fill_company_fields=True)
        return options

    def _build_plan(self, fill_empty_addresses=None):
        if self.source != "partners":
            return super()._build_plan(fill_empty_addresses=fill_empty_addresses)
        self._check_decisions()
        result, left = self._partners_engine()
        decisions = self._decisions()
        linked = {d.company_id for d in decisions.values() if d.company_id}
        plan = convert.partners_plan(
            result,
            decisions,
            company_addresses=self.env["contact.import.engine"]._company_addresses(linked),
            fill_empty_addresses=self.fill_empty_addresses
            if fill_empty_addresses is None
            else fill_empty_addresses,
            left_out=left,
        )
        return result, plan

    def _import(self, dry_run=False, background=None, defer=False):
        """For contacts: check again, build the plan, log it (kind "linking") and execute
        it now, in the background above the threshold, or as a dry run."""
        if self.source != "partners":
            return super()._import(dry_run=dry_run, background=background, defer=defer)
        self.ensure_one()
        self._check_step("review")
        self.env["res.partner"]._check_contact_import_user()
        self.partner_ids.check_access("write")
        Engine = self.env["contact.import.engine"]
        Engine._check_partner_limit(len(self.partner_ids))
        result, plan = self._build_plan()
        log = self.env["contact.import.log"]._create_for_partners(
            "linking", result, self._decisions(), self._options()
        )
        log._store_plan(plan)
        if not dry_run:
            self._remember_decisions(result)
        if background is None:
            background = plan.rows_total > Engine._background_threshold()
        if dry_run:
            log._dry_run(plan)
        elif background or defer:
            log._enqueue()
        else:
            log._execute_or_fail(plan)
        return log
