# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Logs of contacts already in Odoo converted or linked to companies: created, executed and
completed by the server, like an import's (users only read logs)."""

from odoo import api, models

from ..engine import convert


class ContactImportLog(models.Model):
    _inherit = "contact.import.log"

    @api.model
    def _create_for_partners(self, kind, result, decisions, options=None):
        """A new log of ``kind`` for the partners of ``result``, with ``decisions`` (company
        key -> engine Decision). The caller checked the user's rights first."""
        names = {key: cluster.name for key, cluster in result.clusters.items()}
        # The log is the server's record: users read it, never write it.
        log = (
            self.sudo()
            .create(
                {
                    "kind": kind,
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "headers": [self.env._(header) for header in convert.HEADERS],  # pylint: disable=translation-required
                    "decisions": {
                        key: {
                            "name": names.get(key, key),
                            "decision": decision.action,
                            "company_id": decision.company_id,
                        }
                        for key, decision in decisions.items()
                    },
                    "options": options or {},
                }
            )
            .with_env(self.env)
        )
        return log

    def _run_partner_plan(self, plan, messages=None):
        """Store and execute ``plan`` now; then give each written row's line its message
        (row -> text: which company and why)."""
        self.ensure_one()
        self._store_plan(plan)
        self._execute_or_fail(plan)
        if messages and self.state in ("done", "done_errors"):
            self._annotate_lines(messages)

    def _annotate_lines(self, messages):
        """Write on the updated rows' lines why they were linked (server-side, as the
        executor writes lines)."""
        lines = self.sudo().line_ids.filtered(
            lambda line: line.status == "updated" and line.row_number in messages
        )
        for line in lines:
            # why it was linked first; what the executor said of it (its address) after
            line.message = " ".join(filter(None, [messages[line.row_number], line.message]))

    def _mark_customers(self):
        """Mark this conversion's companies as customers when Invoicing is installed
        (customer_rank + 1, as Invoicing does for a partner invoiced). A company already
        in Odoo that was no customer is recorded among the completed companies, so that a
        revert gives it back its rank; without Invoicing nothing happens."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if "customer_rank" not in Partner._fields or not hasattr(Partner, "_increase_rank"):
            return
        lines = self.sudo().line_ids.filtered(lambda line: line.status == "updated")
        created = Partner.browse(list((self.created_company_ids or {}).values()))
        companies = (lines.company_partner_id.with_env(self.env) | created).exists()
        if not companies:
            return
        before = {company.id: company.customer_rank for company in companies}
        companies._increase_rank("customer_rank")
        ours = set(self._our_company_ids())
        fills = dict(self.company_fills or {})
        for company in companies:
            if company.id in ours or before[company.id]:
                continue  # deleted by a revert; or already a customer (its rank only counts up)
            change = fills.setdefault(str(company.id), {"previous": {}, "written": {}})
            change["previous"] = dict(change.get("previous") or {}, customer_rank=before[company.id])
            change["written"] = dict(change.get("written") or {}, customer_rank=company.customer_rank)
        self.sudo().company_fills = fills
