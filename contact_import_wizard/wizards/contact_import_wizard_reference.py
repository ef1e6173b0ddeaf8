# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The Validation and Reference Data steps of the import wizard: the problems of the file,
and the decisions about its companies."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import matching
from ..engine import plan as engine_plan
from ..engine.export import csv_bytes
from ..engine.messages import render

MAX_PROBLEM_LINES = 1000
# Company lines written to the database at once (see _store_companies).
LINES_PER_WRITE = 1000


class ContactImportWizard(models.TransientModel):
    _inherit = "contact.import.wizard"

    # -- validation ----------------------------------------------------------------------
    problem_ids = fields.One2many("contact.import.wizard.problem", "wizard_id", string="Problems")
    problem_total = fields.Integer(readonly=True)
    problems_not_listed = fields.Char(compute="_compute_problems_not_listed")
    problem_filter = fields.Selection(
        [
            ("error", "Errors"),
            ("warning", "Warnings"),
            ("required", "Required fields"),
            ("format", "Formats"),
            ("duplicate", "Duplicates"),
            ("reference", "Reference data"),
        ],
        string="Show",
        help="Leave empty to show every problem.",
    )
    shown_problem_ids = fields.Many2many(
        "contact.import.wizard.problem", string="Problems shown", compute="_compute_shown_problem_ids"
    )
    count_required = fields.Integer(string="Required fields", readonly=True)
    count_format = fields.Integer(string="Formats", readonly=True)
    count_duplicate = fields.Integer(string="Duplicates", readonly=True)
    count_reference = fields.Integer(string="Reference data", readonly=True)
    rows_blocked = fields.Integer(string="Rows with errors (ignored)", readonly=True)

    # -- reference data ------------------------------------------------------------------
    company_line_ids = fields.One2many(
        "contact.import.wizard.company", "wizard_id", string="Companies of the file"
    )
    unmatched_line_ids = fields.One2many(
        "contact.import.wizard.company", "wizard_id", domain=[("match_status", "!=", "matched")]
    )
    matched_line_ids = fields.One2many(
        "contact.import.wizard.company", "wizard_id", domain=[("match_status", "=", "matched")]
    )
    bulk_apply = fields.Boolean(string="Do this for all unmatched companies")
    bulk_decision = fields.Selection(
        [
            ("create", "Create new company"),
            ("link", "Link to the best suggestion"),
            ("skip", "Skip these contacts"),
        ],
        default="create",
    )
    bulk_message = fields.Char(readonly=True)
    undecided_count = fields.Integer(compute="_compute_undecided_count")

    @api.depends("company_line_ids.decision", "company_line_ids.company_id")
    def _compute_undecided_count(self):
        for wizard in self:
            wizard.undecided_count = len(
                wizard.company_line_ids.filtered(lambda line: line._needs_decision())
            )

    @api.depends("problem_ids", "problem_filter")
    def _compute_shown_problem_ids(self):
        for wizard in self:
            wanted = wizard.problem_filter
            field_name = "severity" if wanted in ("error", "warning") else "stage"
            wizard.shown_problem_ids = (
                wizard.problem_ids.filtered_domain([(field_name, "=", wanted)])
                if wanted
                else wizard.problem_ids
            )

    @api.depends("problem_total", "problem_ids")
    def _compute_problems_not_listed(self):
        for wizard in self:
            listed = len(wizard.problem_ids)
            wizard.problems_not_listed = (
                self.env._(
                    "The first %(listed)s of %(total)s problems are listed here, errors first; "
                    "the download has them all.",
                    listed=listed,
                    total=wizard.problem_total,
                )
                if wizard.problem_total > listed
                else False
            )

    def _store_validation(self, result):
        raw_by_row = {r.row: r.raw for r in result.records}
        position = {header: index for index, header in enumerate(result.headers)}
        lines = []
        # errors first: past the cap, what blocks rows is what must show
        shown = sorted(result.problems, key=lambda p: (p.severity != "error", p.row or 0))
        for problem in shown[:MAX_PROBLEM_LINES]:
            raw = raw_by_row.get(problem.row)
            value = raw[position[problem.column]] if raw and problem.column in position else ""
            lines.append(
                (
                    0,
                    0,
                    {
                        "row_number": problem.row or 0,
                        "column": problem.column or False,
                        "value": (value or "")[:200],
                        "stage": problem.stage,
                        "severity": problem.severity,
                        "code": problem.code,
                        "message": problem.message(self._translate),
                    },
                )
            )
        self._set(
            {
                "problem_ids": [(5, 0, 0), *lines],
                "problem_total": len(result.problems),
                "count_required": result.count("required"),
                "count_format": result.count("format"),
                "count_duplicate": result.count("duplicate"),
                "count_reference": result.count("reference"),
                "rows_blocked": result.blocked_rows,
            }
        )

    def _store_companies(self, result):
        """One line per company of the file; decisions the user made are kept by company
        key. A matched company is linked; a company found several times waits for a
        choice; an archived one is offered to unarchive; a strong, unopposed suggestion
        with evidence beyond its name is pre-selected, marked as a suggestion to confirm."""
        previous = {line.key: line for line in self.company_line_ids}
        records = {r.row: r for r in result.records}
        commands = []
        for key, cluster in result.clusters.items():
            match = result.matches[key]
            old = previous.pop(key, None)
            note = False
            preselected = False
            if old and old.decision_by_user:
                decision = old.decision
                company_id = old.company_id.id if decision in ("link", "unarchive") else False
                note = old.decision_note
            elif match.status == matching.MATCHED:
                decision, company_id = "link", match.company_id
            elif match.status == matching.CONTESTED:
                # the name is found, other evidence is against it: linked, for a person to confirm
                found = match.tied[0]
                decision, company_id, preselected = "link", found.company_id, True
                note = self.env._(
                    "Found by its name, but: %(why)s. Confirm the link, or create a new company.",
                    why="; ".join(e.message(self._translate) for e in found.against),
                )
            elif match.status == matching.AMBIGUOUS:
                decision, company_id = False, False  # a person chooses; Next waits for it
            elif match.status == matching.ARCHIVED:
                decision, company_id = "unarchive", match.tied[0].company_id
            else:
                verdict = matching.preselect(match)
                if verdict:
                    decision, company_id = "link", verdict.candidate.company_id
                    preselected = True
                    note = self.env._(
                        "Suggestion to confirm: %(why)s", why=verdict.candidate.reason(self._translate)
                    )
                else:
                    decision, company_id = "create", False
                    if verdict.considered is not None:  # a suggestion not taken by itself: why
                        note = self.env._(
                            "%(name)s not pre-selected: %(why)s",
                            name=verdict.considered.name,
                            why=verdict.reason(self._translate),
                        )
            contacts = "\n".join(
                self.env._("Row %(row)s: %(name)s", row=row, name=records[row].values.get("name", ""))
                for row in cluster.rows[:200]
            )
            look_alike = cluster.look_alikes[0] if cluster.look_alikes else None
            vals = {
                "key": key,
                "name": cluster.name,
                "spellings": ", ".join(f"{s} ({n})" for s, n in cluster.spellings.most_common()),
                "row_count": len(cluster.rows),
                "contacts": contacts,
                "match_status": match.status,
                "match_reason": match.best.reason(self._translate) if match.best else False,
                "decision": decision,
                "company_id": company_id,
                "decision_by_user": bool(old and old.decision_by_user),
                "preselected": preselected,
                "decision_note": note,
                "merge_into_key": old.merge_into_key if old and old.decision_by_user else False,
                "look_alike_key": look_alike[0] if look_alike else False,
                "look_alike_reason": render(look_alike[1], look_alike[2], self._translate)
                if look_alike
                else False,
                "tied_company_ids": [(6, 0, [c.company_id for c in match.tied])]
                if match.status == matching.AMBIGUOUS
                else [(5, 0, 0)],
                "suggestion_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "sequence": rank,
                            "company_id": c.company_id,
                            "score": c.score,
                            "level": c.level,
                            "archived": c.archived,
                            "opposed": c.opposed,
                            "reason": c.reason(self._translate),
                        },
                    )
                    for rank, c in enumerate(match.candidates)
                    if old is None or c.company_id not in old.rejected_company_ids.ids
                ],
            }
            commands.append((1, old.id, vals) if old else (0, 0, vals))
        commands += [(2, line.id) for line in previous.values()]
        # Written a slice at a time, and not kept in the cache: the 11,000 lines of a
        # 100,000-row file written at once held 66 MB more at the Validation step.
        for start in range(0, len(commands), LINES_PER_WRITE):
            self._set({"company_line_ids": commands[start : start + LINES_PER_WRITE]})
            self.env.flush_all()
            self.env.invalidate_all()

    def action_refresh_reference(self):
        """Match the file's companies again (after companies were merged or edited in
        Odoo); decisions the user made are kept."""
        self.ensure_one()
        self._check_step("reference")
        self._forget_engine_result()
        result = self._run_engine()
        self._store_validation(result)
        self._store_companies(result)
        return self._reopen()

    def action_download_problems(self):
        """Every problem of the file (not only the first ones shown) as CSV."""
        self.ensure_one()
        self._check_step("validation", "reference", "review")
        result = self._run_engine()
        raw_by_row = {r.row: r.raw for r in result.records}
        position = {header: index for index, header in enumerate(result.headers)}
        stages = dict(
            self.env["contact.import.wizard.problem"]._fields["stage"]._description_selection(self.env)
        )
        severities = dict(
            self.env["contact.import.wizard.problem"]._fields["severity"]._description_selection(self.env)
        )
        headers = [
            self.env._("Row"),
            self.env._("Column"),
            self.env._("Value"),
            self.env._("Stage"),
            self.env._("Severity"),
            self.env._("Message"),
        ]
        rows = []
        for problem in result.problems:
            raw = raw_by_row.get(problem.row)
            value = raw[position[problem.column]] if raw and problem.column in position else ""
            rows.append(
                [
                    problem.row or "",
                    problem.column or "",
                    value,
                    stages.get(problem.stage, problem.stage),
                    severities.get(problem.severity, problem.severity),
                    problem.message(self._translate),
                ]
            )
        stem = (self.file_name or "import").rsplit(".", 1)[0]
        name = self.env._("%(name)s-problems.csv", name=stem)
        return self._download_action(name, csv_bytes(headers, rows), "text/csv")

    # -- step 3 -> 4 -> 5 ----------------------------------------------------------------------
    def _leave_validation(self):
        self._set({"state": "reference"})

    def _check_all_decided(self):
        """Every company of the file needs a decision (a company to link to, for a link)
        before Review: the lines that have none are named."""
        undecided = self.company_line_ids.filtered(lambda line: line._needs_decision())
        if undecided:
            raise UserError(
                self.env._(
                    "Choose what to do with these companies of the file first (a company to link "
                    "to, create or skip): %(names)s",
                    names=", ".join(undecided.mapped("name")[:20]),
                )
            )

    @api.onchange("bulk_apply", "bulk_decision")
    def _onchange_bulk(self):
        if self.bulk_apply:
            self.bulk_message = self._apply_bulk()

    def _apply_bulk(self):
        """Apply the bulk choice to the companies not found that the user has not decided
        one by one; say how many it changed, and never turn into another decision.
        Returns the message."""
        lines = self.company_line_ids.filtered(lambda line: line.match_status != "matched")
        todo = lines.filtered(lambda line: not line.decision_by_user and not line.preselected)
        kept = len(lines.filtered("decision_by_user"))
        suggested = len(lines) - len(todo) - kept
        changed, refused = 0, 0
        matches = None
        for line in todo:
            before = (line.decision, line.company_id.id)
            if self.bulk_decision == "link":
                if matches is None:
                    matches = self._origin._run_engine().matches if self._origin.id else {}
                match = matches.get(line.key)
                verdict = matching.threshold_link(match) if match else None
                if not verdict:
                    refused += 1
                    why = (
                        verdict.reason(self._translate)
                        if verdict is not None
                        else self.env._("no suggestion")
                    )
                    line.decision_note = self.env._("Not linked by the bulk choice: %(why)s", why=why)
                    continue
                line.decision, line.company_id = "link", verdict.candidate.company_id
                line.decision_note = self.env._(
                    "Linked by the bulk choice: %(why)s", why=verdict.candidate.reason(self._translate)
                )
            else:
                line.decision, line.company_id = self.bulk_decision, False
            line.preselected = False
            if before != (line.decision, line.company_id.id):  # not those that had it already
                changed += 1
                if self.bulk_decision != "link":
                    line.decision_note = False  # the note said why the line was as it was
        return self.env._(
            "%(changed)s companies changed by the bulk choice; %(kept)s decided one by one kept; "
            "%(suggested)s pre-selected suggestions kept (confirm or change them one by one); "
            "%(refused)s left as they were (no suggestion strong enough to link: see Note).",
            changed=changed,
            kept=kept,
            suggested=suggested,
            refused=refused,
        )

    def _decide_unattended(self, threshold=None, unmatched="create"):
        """Decisions without a person (the headless command): link what the one threshold
        rule links (matching.threshold_link: evidence against a suggestion, a rival as good,
        an archived company or a look-alike in the file keep it from being linked); never
        guess between companies found several times, nor unarchive; else ``unmatched``."""
        self.ensure_one()
        self._check_step("reference")
        matches = self._run_engine().matches
        for line in self.company_line_ids.filtered(lambda line: line.match_status != "matched"):
            verdict = matching.threshold_link(matches[line.key], threshold) if threshold is not None else None
            if verdict:
                line.write(
                    {"decision": "link", "company_id": verdict.candidate.company_id, "decision_by_user": True}
                )
            elif line.match_status in ("ambiguous", "archived"):
                line.write({"decision": "skip", "company_id": False, "decision_by_user": True})
            else:
                line.write({"decision": unmatched, "company_id": False, "decision_by_user": True})

    def action_apply_bulk(self):
        self.ensure_one()
        self._check_step("reference")
        self.bulk_message = self._apply_bulk()
        return self._reopen()

    def _decisions(self):
        decisions = {}
        for line in self.company_line_ids:
            if line.decision in ("link", "unarchive"):
                decisions[line.key] = engine_plan.Decision(
                    engine_plan.LINK, line.company_id.id or None, unarchive=line.decision == "unarchive"
                )
            elif line.decision == "merge":
                own = line.merge_into_id.wizard_id == self  # a line of this import only
                key = (line.merge_into_id.key if own else "") or line.merge_into_key or ""
                decisions[line.key] = engine_plan.Decision(
                    engine_plan.MERGE, into=key if key != line.key else ""
                )
            elif line.decision:
                # "Create" although a company of that name exists: the user's choice wins.
                forced = line.decision == "create" and line.match_status != "unmatched"
                decisions[line.key] = engine_plan.Decision(line.decision, forced=forced)
        return decisions

    def _check_decisions(self):
        """A company picked by id (to link, or to link and unarchive) must be one this
        user may read, and a company."""
        lines = self.company_line_ids.filtered(lambda line: line.decision in ("link", "unarchive"))
        companies = lines.company_id.with_context(active_test=False)
        companies.check_access("read")
        if companies.filtered(lambda p: not p.is_company):
            raise UserError(self.env._("Only companies can be linked in Reference Data."))
