# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Convert to Customer: the confirmation of what would be created and linked, then the
conversion itself, written and logged like an import (kind "conversion")."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import convert
from ..engine import plan as engine_plan

MAX_NAMES = 50  # contacts named per company in the dialog
MATCH_STATUSES = [
    ("matched", "Found"),
    ("contested", "Found, but evidence against"),
    ("ambiguous", "Several found"),
    ("archived", "Found archived"),
    ("unmatched", "Not found"),
]


class ContactConvertWizard(models.TransientModel):
    _name = "contact.convert.wizard"
    _description = "Convert Contacts to Customers"

    partner_ids = fields.Many2many("res.partner", string="Contacts", readonly=True)
    # The selection's order: a contact's row number in the log is its position in it.
    partner_order = fields.Json(readonly=True)
    line_ids = fields.One2many("contact.convert.wizard.line", "wizard_id", string="Companies")
    left_out = fields.Text(string="Left as they are", readonly=True)
    summary_html = fields.Html(string="Summary", compute="_compute_summary_html", sanitize=False)

    def write(self, vals):
        # The contacts are the selection the dialog was opened on, set by the server.
        if {"partner_ids", "partner_order"} & vals.keys() and not self.env.su:
            raise AccessError(self.env._("The contacts of a conversion are the ones it was opened on."))
        return super().write(vals)

    @api.depends("line_ids.decision", "line_ids.company_id", "line_ids.row_count")
    def _compute_summary_html(self):
        for wizard in self:
            create = wizard.line_ids.filtered(lambda line: line.decision == "create")
            link = wizard.line_ids.filtered(lambda line: line.decision == "link")
            items = [
                Markup("<li>%s</li>")
                % self.env._(
                    "%(company)s will be created for %(contacts)s",
                    company=line.name,
                    contacts=line.contact_names.replace("\n", ", ") if line.contact_names else "",
                )
                for line in create
            ] + [
                Markup("<li>%s</li>")
                % (
                    self.env._(
                        "%(contacts)s will join %(company)s",
                        contacts=line.contact_names.replace("\n", ", ") if line.contact_names else "",
                        company=line.company_id.display_name,
                    )
                    if line.company_id
                    else self.env._("%(company)s: choose the company to link to.", company=line.name)
                )
                for line in link
            ]
            wizard.summary_html = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "Companies to create: %(created)s. Companies in Odoo to link to: %(linked)s. "
                    "Nothing is written before you confirm.",
                    created=len(create),
                    linked=len(link),
                ),
                Markup("").join(items),
            )

    # -- opening ------------------------------------------------------------------------------
    def _check_user(self):
        self.env["res.partner"]._check_contact_import_user()

    def _engine_result(self):
        """(result, left_out) of the engine for the wizard's contacts, read now."""
        ordered = self.env["res.partner"].browse(self.partner_order or [])
        partners = (ordered & self.partner_ids) | self.partner_ids
        return self.env["contact.import.engine"]._validate_partners(partners, convert.OWN_NAME)

    def _propose(self):
        """One line per company the contacts name, with what the engine proposes."""
        self.ensure_one()
        self._check_user()
        self.env["contact.import.engine"]._check_partner_limit(len(self.partner_ids))
        result, left = self._engine_result()
        if not result.records:
            raise UserError(
                self.env._(
                    "Only individual contacts without a company are converted to customers:\n%(reasons)s",
                    reasons="\n".join(item.reason(self.env._) for item in left[:20]),
                )
            )
        names = {record.row: record.values.get("name", "") for record in result.records}
        lines = []
        for proposal in convert.propose(result).values():
            suggestion = proposal.suggestion
            decision = proposal.decision
            lines.append(
                {
                    "key": proposal.key,
                    "name": proposal.name,
                    "row_count": len(proposal.rows),
                    "contact_names": self._contact_names(names, proposal.rows),
                    "match_status": proposal.status,
                    "decision": "create" if decision is not None and decision.action == "create" else "link",
                    "company_id": decision.company_id if decision is not None else False,
                    "suggestion_id": suggestion.company_id if suggestion else False,
                    "suggestion_reason": suggestion.reason(self.env._) if suggestion else False,
                    "accept_suggestion": proposal.accepted,
                    "reason": proposal.reason(self.env._),
                }
            )
        self.sudo().write(  # the lines are the engine's proposals, made by the server
            {
                "line_ids": [fields.Command.clear()] + [fields.Command.create(vals) for vals in lines],
                "left_out": "\n".join(item.reason(self.env._) for item in left) or False,
            }
        )

    def _contact_names(self, names, rows):
        """The names of a company's contacts, the first ones only when there are many."""
        shown = [names[row] for row in rows[:MAX_NAMES]]
        if len(rows) > MAX_NAMES:
            shown.append(self.env._("and %(count)s more", count=len(rows) - MAX_NAMES))
        return "\n".join(shown)

    def _open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Convert to Customer"),
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    # -- confirming -----------------------------------------------------------------------------
    def _decisions(self):
        """Company key -> engine Decision, as the lines say; a line to link without a
        company is refused by name."""
        decisions = {}
        for line in self.line_ids:
            if line.decision == "link":
                if not line.company_id:
                    raise UserError(
                        self.env._("Choose the company %(name)s is linked to, or create it.", name=line.name)
                    )
                decisions[line.key] = engine_plan.Decision(
                    "link", line.company_id.id, unarchive=not line.company_id.active
                )
            else:
                decisions[line.key] = engine_plan.Decision("create", forced=line.match_status != "unmatched")
        companies = self.line_ids.filtered(lambda line: line.decision == "link").company_id
        companies.check_access("read")
        if companies.filtered(lambda company: not company.is_company):
            raise UserError(self.env._("Contacts are only linked to companies."))
        return decisions

    def _link_reasons(self, result, decisions):
        """Company id -> (template, params) of why the engine found it, for the companies
        linked as found or suggested."""
        reasons = {}
        for key, match in result.matches.items():
            decision = decisions.get(key)
            if decision is None or decision.action != "link":
                continue
            for candidate in match.candidates:
                if candidate.company_id == decision.company_id:
                    reasons[candidate.company_id] = candidate.reasons()[0]
                    break
        return reasons

    def action_confirm(self):
        """Convert: create or link the companies, set them as the contacts' parent, log it.

        Everything is checked again: the user's group and rights on each contact and
        company, and the contacts as they are now (one that got a company meanwhile is left
        out and logged)."""
        self.ensure_one()
        self._check_user()
        self.partner_ids.check_access("write")
        decisions = self._decisions()
        result, left = self._engine_result()
        Engine = self.env["contact.import.engine"]
        Engine._check_partner_limit(len(self.partner_ids))
        linked = {d.company_id for d in decisions.values() if d.company_id}
        plan = convert.partners_plan(
            result,
            decisions,
            company_addresses=Engine._company_addresses(linked),
            carry_phone=True,
            left_out=left,
        )
        options = {"fill_company_fields": True, "fill_empty_addresses": True}
        Log = self.env["contact.import.log"]
        log = Log._create_for_partners("conversion", result, decisions, options)
        names = {company.id: company.display_name for company in self.line_ids.company_id}
        messages = convert.row_messages(plan, names, self._link_reasons(result, decisions), self.env._)
        log._run_partner_plan(plan, messages)
        if log.state in ("done", "done_errors"):
            log._mark_customers()
        return self._done_action(log)

    def _done_action(self, log):
        """A notification of the outcome, then the dialog closes (the form or list below
        shows the contacts' companies)."""
        if log.state == "failed":
            message, kind = log.message, "danger"
        else:
            message = self.env._(
                "%(converted)s contacts converted: %(created)s companies created, %(ignored)s contacts "
                "left as they are, %(errors)s errors. See the log %(log)s.",
                converted=log.contacts_updated,
                created=log.companies_created,
                ignored=log.rows_ignored,
                errors=log.rows_error,
                log=log.name,
            )
            kind = "success" if log.state == "done" and not log.rows_ignored else "warning"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Convert to Customer"),
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class ContactConvertWizardLine(models.TransientModel):
    _name = "contact.convert.wizard.line"
    _inherit = ["contact.import.line.mixin"]
    _user_fields = frozenset({"decision", "company_id", "accept_suggestion"})
    _description = "Convert to Customer: a company"
    _order = "match_status desc, row_count desc, name"

    wizard_id = fields.Many2one("contact.convert.wizard", required=True, ondelete="cascade", index=True)
    key = fields.Char(readonly=True)
    name = fields.Char(string="Company", readonly=True)
    row_count = fields.Integer(string="Contacts", readonly=True)
    contact_names = fields.Text(string="Its contacts", readonly=True)
    match_status = fields.Selection(MATCH_STATUSES, string="In Odoo", readonly=True)
    decision = fields.Selection(
        [("create", "Create the company"), ("link", "Link to an existing company")],
        required=True,
        default="create",
    )
    company_id = fields.Many2one("res.partner", string="Existing company", domain=[("is_company", "=", True)])
    suggestion_id = fields.Many2one("res.partner", string="Suggestion", readonly=True)
    suggestion_reason = fields.Char(string="Why this suggestion", readonly=True)
    accept_suggestion = fields.Boolean(string="Accept the suggestion")
    reason = fields.Char(string="Why", readonly=True)

    @api.onchange("accept_suggestion")
    def _onchange_accept_suggestion(self):
        if self.accept_suggestion and self.suggestion_id:
            self.decision, self.company_id = "link", self.suggestion_id
        elif not self.accept_suggestion and self.company_id and self.company_id == self.suggestion_id:
            self.decision, self.company_id = "create", False

    @api.onchange("company_id")
    def _onchange_company_id(self):
        if self.company_id:
            self.decision = "link"
        self.accept_suggestion = bool(self.company_id) and self.company_id == self.suggestion_id

    @api.onchange("decision")
    def _onchange_decision(self):
        if self.decision == "create":
            self.company_id, self.accept_suggestion = False, False
