# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import hashlib
import json
import threading
from collections import OrderedDict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import matching, reader
from ..engine import plan as engine_plan
from ..engine.messages import EngineError

PREVIEW_ROWS = 10
# Up to this size the Upload step counts the rows as soon as a file is chosen; a larger
# file is counted when the user leaves the step (never in an onchange).
COUNT_ON_UPLOAD_BYTES = 2 * 1024 * 1024
# What Review lists by name: the first companies to create and rows ignored.
REVIEW_COMPANIES = 50
REVIEW_IGNORED = 100
# The engine's result for a wizard, kept between its steps in this process (see
# ContactImportWizard._run_engine): a few at a time, the newest ones.
_ENGINE_CACHE = OrderedDict()
_ENGINE_CACHE_SIZE = 4
# ...and rows: a result costs about 2.5 KB per row, so a worker keeps a second result only
# while both hold fewer rows than this (a 100,000-row file's result stays alone).
_ENGINE_CACHE_ROWS = 150_000
_ENGINE_CACHE_LOCK = threading.Lock()
# Written by the wizard's own methods only; a user's write (RPC) cannot move them.
SERVER_FIELDS = frozenset(
    {
        "state",
        "review_html",
        "review_companies",
        "review_creates",
        "review_updates",
        "review_linked",
        "review_ignored",
        "review_address_conflicts",
        "review_fills",
        "preview_html",
        "mapping_problems",
        "row_count",
        "read_error",
        "file_checksum",
        "preset_message",
    }
)
# What the file is and how it is read: fixed once the user leaves the Upload step.
UPLOAD_FIELDS = frozenset(
    {"file", "file_name", "encoding_override", "delimiter_override", "sheet_override", "header_row_override"}
)
# Review's own choices: Review's counts are worked out again when they change.
REVIEW_CHOICES = frozenset({"fill_empty_addresses", "address_policy", "fill_company_fields"})
# Choices made at one step (besides the file's, above): written at another, Import would
# do what Review did not show.
STEP_FIELDS = {
    "mapping_template_id": ("upload", "mapping"),
    "duplicate_policy": ("upload", "mapping"),
    "bulk_apply": ("reference",),
    "bulk_decision": ("reference",),
}
ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252 (Western Europe)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-15", "ISO-8859-15 (Latin-9)"),
    ("cp1250", "Windows-1250 (Central Europe)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("mac_roman", "Mac Roman"),
]
DELIMITERS = [(",", "Comma (,)"), (";", "Semicolon (;)"), ("tab", "Tab"), ("|", "Pipe (|)")]
STATES = [
    ("upload", "Upload"),
    ("mapping", "Mapping"),
    ("validation", "Validation"),
    ("reference", "Reference Data"),
    ("review", "Review"),
]
ADDRESS_POLICIES = [
    ("company", "Use the company's address"),
    ("keep", "Keep the file's address (as an 'Other address' of the company)"),
]


class ContactImportWizard(models.TransientModel):
    _name = "contact.import.wizard"
    _inherit = ["contact.import.download.mixin"]
    _description = "Contact Import Wizard"

    state = fields.Selection(STATES, default="upload", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    # In the filestore: kept in a column, a 12 MB upload went to PostgreSQL as a 32 MB
    # escaped literal, some 170 MB of memory the worker that took the upload kept.
    file = fields.Binary(
        string="File",
        attachment=True,
        help="A CSV, Excel (.xlsx, .xls), OpenDocument (.ods) or vCard (.vcf) file: one contact per row.",
    )
    file_checksum = fields.Char(readonly=True)
    file_name = fields.Char()
    encoding_override = fields.Selection(ENCODINGS, string="Encoding", help="Leave empty to detect it.")
    delimiter_override = fields.Selection(DELIMITERS, string="Separator", help="Leave empty to detect it.")
    sheet_override = fields.Char(string="Sheet", help="Leave empty to read the first sheet with data.")
    header_row_override = fields.Char(
        string="Header row", help="The number of the row that holds the column names; leave empty to find it."
    )
    detected_header_row = fields.Integer(
        string="Header found on row", compute="_compute_file_info", store=True
    )

    file_format = fields.Char(compute="_compute_file_info", store=True)
    detected_encoding = fields.Char(string="Detected encoding", compute="_compute_file_info", store=True)
    detected_delimiter = fields.Char(string="Detected separator", compute="_compute_file_info", store=True)
    detected_sheet = fields.Char(string="Sheet read", compute="_compute_file_info", store=True)
    sheet_names = fields.Char(string="Sheets", compute="_compute_file_info", store=True)
    column_names = fields.Json(compute="_compute_file_info", store=True)
    column_count = fields.Integer(string="Columns", compute="_compute_file_info", store=True)
    row_count = fields.Integer(string="Data rows", compute="_compute_file_info", store=True)
    row_count_exact = fields.Boolean(compute="_compute_file_info", store=True)
    read_error = fields.Char(compute="_compute_file_info", store=True)
    read_warnings = fields.Text(compute="_compute_file_info", store=True)
    preview_html = fields.Html(string="Preview", compute="_compute_file_info", store=True, sanitize=False)

    # -- review ----------------------------------------------------------------------------
    address_policy = fields.Selection(
        ADDRESS_POLICIES,
        string="Contacts whose address differs from their company's",
        default="company",
        required=True,
    )
    fill_company_fields = fields.Boolean(
        string="Fill empty company fields from the file",
        help="Existing companies are never changed, unless this is ticked: then their empty website "
        "and Tax ID are filled from their contacts' rows when those agree.",
    )
    fill_empty_addresses = fields.Boolean(
        string="Give companies without address the one of their rows",
        default=True,
        help="An existing company that has no address at all takes the most common address of its "
        "contacts' rows. Logged, and undone by a revert. A company that has an address is never changed.",
    )
    review_companies = fields.Integer(string="Companies to create", readonly=True)
    review_creates = fields.Integer(string="Contacts to create", readonly=True)
    review_updates = fields.Integer(string="Contacts to update", readonly=True)
    review_linked = fields.Integer(string="Contacts linked to existing companies", readonly=True)
    review_ignored = fields.Integer(string="Rows ignored", readonly=True)
    review_address_conflicts = fields.Integer(
        string="Addresses that differ from the company's", readonly=True
    )
    review_fills = fields.Integer(string="Companies without address that get one", readonly=True)
    review_html = fields.Html(readonly=True, sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A wizard starts at Upload, in the user's company; its steps move it on.
            if vals.get("state", "upload") != "upload":
                raise AccessError(self.env._("An import starts at the Upload step."))
            if SERVER_FIELDS & (vals.keys() - {"state"}):
                raise AccessError(
                    self.env._("This is set by the import wizard's steps, not written directly.")
                )
            if vals.get("company_id") and vals["company_id"] not in self.env.companies.ids:
                raise AccessError(self.env._("An import runs in one of your companies."))
        # the uploaded file is not indexed for search (see models/ir_attachment.py)
        unindexed = self.with_context(contact_import_no_index=True)
        return super(ContactImportWizard, unindexed).create(vals_list).with_env(self.env)

    def write(self, vals):
        if not self.env.su:
            if SERVER_FIELDS & vals.keys() or "company_id" in vals:
                raise AccessError(
                    self.env._("This is set by the import wizard's steps, not written directly.")
                )
            if UPLOAD_FIELDS & vals.keys() and any(wizard.state != "upload" for wizard in self):
                raise UserError(self.env._("The file can only be changed at the Upload step: go back to it."))
            for name in STEP_FIELDS.keys() & vals.keys():
                if any(wizard.state not in STEP_FIELDS[name] for wizard in self):
                    raise UserError(
                        self.env._(
                            "%(field)s is chosen at the %(step)s step: go back to it.",
                            field=self._fields[name]._description_string(self.env),
                            step=self._step_label(STEP_FIELDS[name][-1]),
                        )
                    )
        # the uploaded file is not indexed for search (see models/ir_attachment.py)
        records = self.with_context(contact_import_no_index=True) if "file" in vals else self
        result = super(ContactImportWizard, records).write(vals)
        if not self.env.su and REVIEW_CHOICES & vals.keys():
            for wizard in self.filtered(lambda wizard: wizard.state == "review"):
                _result, plan = wizard._build_plan()
                wizard._store_review(plan)
        return result

    def _set(self, vals):
        """Write what only the wizard's steps write (see SERVER_FIELDS)."""
        return self.sudo().write(vals)

    # -- reading -------------------------------------------------------------------------
    def _file_bytes(self):
        self.ensure_one()
        # The web client reads binaries with bin_size (their size instead of content).
        content = self.with_context(bin_size=False, bin_size_file=False).file
        return base64.b64decode(content) if content else b""

    def _checked_file_bytes(self):
        """The file, refused unless it is the one Upload read (its checksum noted then)."""
        data = self._file_bytes()
        if self.file_checksum and hashlib.sha1(data).hexdigest() != self.file_checksum:
            raise UserError(self.env._("The file changed since it was read: go back to the Upload step."))
        return data

    def _open_table(self):
        """The uploaded file opened by the engine with the user's overrides."""
        self.ensure_one()
        engine = self.env["contact.import.engine"]
        return reader.open_table(
            self._file_bytes(),
            self.file_name or "",
            deadline=engine._read_deadline(),
            **self._reading_options(),
        )

    def _translate(self, template):
        return self.env._(template)  # pylint: disable=translation-required

    @api.depends(
        "file",
        "file_name",
        "encoding_override",
        "delimiter_override",
        "sheet_override",
        "header_row_override",
    )
    def _compute_file_info(self):
        """What the Upload step shows of a file: read from its head only (a large file's
        rows are counted when the user leaves the step)."""
        empty = {
            "file_format": False,
            "detected_encoding": False,
            "detected_delimiter": False,
            "detected_sheet": False,
            "sheet_names": False,
            "column_names": [],
            "column_count": 0,
            "row_count": 0,
            "row_count_exact": False,
            "read_error": False,
            "read_warnings": False,
            "preview_html": False,
            "detected_header_row": 0,
        }
        for wizard in self:
            wizard.update(empty)
            if not wizard.file and not wizard.file_name:
                continue  # nothing uploaded yet (a 0-byte file still has its name)
            data = wizard._file_bytes()
            max_bytes, max_rows = self.env["contact.import.engine"]._limits()
            try:
                reader.check_size(len(data), max_bytes, wizard.file_name or "")
                table = wizard._open_table()
                rows = reader.preview(table, PREVIEW_ROWS)
                if len(data) <= COUNT_ON_UPLOAD_BYTES:
                    row_count, exact = reader.count_rows(table, limit=max_rows), True
                else:
                    row_count, exact = wizard._estimate_rows(data, rows), False
            except EngineError as exc:
                wizard.read_error = exc.message(wizard._translate)
                continue
            # The separator is named as the Separator field names it, in the user's language.
            delimiters = dict(wizard._fields["delimiter_override"]._description_selection(wizard.env))
            wizard.update(
                {
                    "file_format": table.format.upper(),
                    "detected_encoding": table.encoding or False,
                    "detected_delimiter": delimiters.get(
                        "tab" if table.delimiter == "\t" else table.delimiter, False
                    ),
                    "detected_sheet": table.sheet or False,
                    "sheet_names": ", ".join(table.sheets) or False,
                    "column_names": table.headers,
                    "column_count": len(table.headers),
                    "row_count": row_count,
                    "row_count_exact": exact,
                    "detected_header_row": table.header_row or 0,
                    "read_warnings": "\n".join(p.message(wizard._translate) for p in table.problems) or False,
                    "preview_html": wizard._preview_table(table.headers, rows),
                }
            )

    @staticmethod
    def _estimate_rows(data, rows):
        """About how many rows a large file holds, from the size of its first rows."""
        if not rows:
            return 0
        sample = sum(len(",".join(row.values).encode()) + 2 for row in rows)
        return max(len(rows), int(len(data) * len(rows) / max(sample, 1)))

    @staticmethod
    def _preview_table(headers, rows):
        """An HTML table of the first rows; every value is escaped (file content is untrusted)."""
        head = Markup("").join(Markup("<th>%s</th>") % h for h in ["", *headers])
        body = Markup("").join(
            Markup("<tr><td class='text-muted'>%s</td>%s</tr>")
            % (row.number, Markup("").join(Markup("<td>%s</td>") % v for v in row.values))
            for row in rows
        )
        return Markup(
            "<div class='o_cim_preview table-responsive'><table class='table table-sm table-bordered'>"
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table></div>"
        ) % (head, body)

    # -- navigation ------------------------------------------------------------------------
    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Contacts"),
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    def action_reload(self):
        """Read the file again with the chosen encoding, separator or sheet."""
        self.ensure_one()
        self._check_step("upload")
        self.sudo()._compute_file_info()
        return self._reopen()

    def _check_step(self, *states):
        """Every step's server method checks the wizard is at that step (the steps, their
        checks and their limits are not skipped by calling a method out of order)."""
        self.ensure_one()
        if self.state not in states:
            raise UserError(
                self.env._(
                    "This import is at the %(step)s step; that action belongs to another step.",
                    step=self._step_label(self.state),
                )
            )

    @api.model
    def _step_label(self, state):
        """A step's name as the user reads it."""
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def action_back(self):
        self.ensure_one()
        order = [key for key, _label in STATES]
        self._set({"state": order[max(order.index(self.state) - 1, 0)]})
        return self._reopen()

    def action_next(self):
        self.ensure_one()
        step = {
            "upload": self._leave_upload,
            "mapping": self._leave_mapping,
            "validation": self._leave_validation,
            "reference": self._leave_reference,
        }.get(self.state)
        if step is None:
            raise UserError(self.env._("This is the last step: import, or go back."))
        step()
        return self._reopen()

    # -- step 1 -> 2 -----------------------------------------------------------------------
    def _leave_upload(self):
        if not self.file and not self.file_name:
            raise UserError(
                self.env._(
                    "Choose a file to import: CSV, Excel (.xlsx, .xls), OpenDocument (.ods) or vCard (.vcf)."
                )
            )
        if self.read_error:
            raise UserError(self.read_error)
        data = self._file_bytes()
        max_bytes, max_rows = self.env["contact.import.engine"]._limits()
        try:
            reader.check_size(len(data), max_bytes, self.file_name or "")
            row_count = reader.count_rows(self._open_table(), limit=max_rows)
        except EngineError as exc:
            raise UserError(exc.message(self._translate)) from None
        headers = list(self.column_names or [])
        known = self.column_ids.mapped("header")
        if known != headers:
            template = self.mapping_template_id or self._best_template(headers)
            self.mapping_template_id = template
            self._set_columns(headers, template)
        self._set(
            {
                "state": "mapping",
                "row_count": row_count,
                "row_count_exact": True,
                "file_checksum": hashlib.sha1(data).hexdigest(),
            }
        )

    # -- step 2 -> 3: validate ------------------------------------------------------------------
    def _header_row(self):
        text = (self.header_row_override or "").strip()
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            raise UserError(self.env._("The header row is a row number: 1, 2, 3..."))
        return int(text)

    def _reading_options(self):
        return {
            "encoding": self.encoding_override or None,
            "delimiter": "\t" if self.delimiter_override == "tab" else self.delimiter_override or None,
            "sheet": self.sheet_override or None,
            "header_row": self._header_row(),
        }

    def _forget_engine_result(self):
        """Drop the kept engine result: what is in Odoo changed (companies merged...)."""
        with _ENGINE_CACHE_LOCK:
            _ENGINE_CACHE.pop((self.env.cr.dbname, self.id, self.env.uid), None)

    def _run_engine(self):
        """Read, map and validate the file: the engine's result. Nothing is written.

        One engine pass per user decision: the result is kept for this wizard and reused
        until the file, the mapping or the reading options change."""
        self.ensure_one()
        # the file cannot change after Upload, which notes its checksum: a result kept is
        # found without reading the file again
        checksum = self.file_checksum or hashlib.sha1(self._file_bytes()).hexdigest()
        key = (
            checksum,
            json.dumps(self._column_map(), sort_keys=True),
            json.dumps(self._reading_options(), sort_keys=True),
        )
        slot = (self.env.cr.dbname, self.id, self.env.uid)
        with _ENGINE_CACHE_LOCK:
            cached = _ENGINE_CACHE.get(slot)
            if cached and cached[0] == key:
                _ENGINE_CACHE.move_to_end(slot)
                return cached[1]
        data = self._checked_file_bytes()
        engine = self.env["contact.import.engine"]
        result = engine._validate_file(
            data,
            self.file_name or "",
            self._reading_options(),
            self._column_map(),
            engine._read_deadline(),
        )
        with _ENGINE_CACHE_LOCK:
            _ENGINE_CACHE[slot] = (key, result)
            _ENGINE_CACHE.move_to_end(slot)
            while len(_ENGINE_CACHE) > 1 and (
                len(_ENGINE_CACHE) > _ENGINE_CACHE_SIZE
                or sum(len(kept.records) for _key, kept in _ENGINE_CACHE.values()) > _ENGINE_CACHE_ROWS
            ):
                _ENGINE_CACHE.popitem(last=False)
        return result

    def _build_plan(self, fill_empty_addresses=None):
        self._check_decisions()
        result = self._run_engine()
        decisions = self._decisions()
        linked = {d.company_id for d in decisions.values() if d.company_id}
        plan = engine_plan.build_plan(
            result,
            decisions,
            self.duplicate_policy,
            company_addresses=self.env["contact.import.engine"]._company_addresses(linked),
            address_policy=self.address_policy,
            fill_empty_addresses=self.fill_empty_addresses
            if fill_empty_addresses is None
            else fill_empty_addresses,
        )
        return result, plan

    def _leave_reference(self):
        self._check_all_decided()
        _result, plan = self._build_plan()
        self._store_review(plan)
        self._set({"state": "review"})

    @api.onchange("fill_empty_addresses")
    def _onchange_fill_empty_addresses(self):
        """Review's counts follow the toggle as the user changes it."""
        if self.state == "review" and self._origin.id:
            _result, plan = self._origin._build_plan(fill_empty_addresses=self.fill_empty_addresses)
            counts = self._review_counts(plan.summary())
            self.review_address_conflicts = counts["review_address_conflicts"]
            self.review_fills = counts["review_fills"]

    @staticmethod
    def _review_counts(summary):
        """Review's counts, from a plan's summary."""
        return {
            "review_companies": summary["companies_to_create"],
            "review_creates": summary["contacts_to_create"],
            "review_updates": summary["contacts_to_update"],
            "review_linked": summary["contacts_linked"],
            "review_ignored": summary["rows_ignored"],
            "review_address_conflicts": summary["addresses_dropped"] + summary["addresses_kept"],
            "review_fills": summary["companies_to_fill_address"],
        }

    def _store_review(self, plan):
        companies = Markup("").join(Markup("<li>%s</li>") % c.name for c in plan.companies[:REVIEW_COMPANIES])
        companies += self._more_items(len(plan.companies) - REVIEW_COMPANIES)
        ignored = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._("Row %(row)s: %(reason)s", row=i.row, reason=i.reason(self._translate))
            for i in plan.ignored[:REVIEW_IGNORED]
        )
        ignored += self._more_items(len(plan.ignored) - REVIEW_IGNORED)
        self._set(
            dict(
                self._review_counts(plan.summary()),
                review_html=Markup("<h5>%s</h5><ul>%s</ul><h5>%s</h5><ul>%s</ul>")
                % (self.env._("Companies to create"), companies, self.env._("Rows ignored"), ignored),
            )
        )

    def _more_items(self, count):
        """The line that ends a list Review cuts short."""
        if count <= 0:
            return Markup("")
        return Markup("<li><em>%s</em></li>") % self.env._("... and %(count)s more", count=count)

    # -- step 5 -> import ----------------------------------------------------------------------
    def action_import(self):
        self.ensure_one()
        return self._import()._form_action()

    def _import(self, dry_run=False, background=None, defer=False):
        """Build the plan from the current choices, store it with the file on a new log,
        and execute it now, in the background, or as a dry run. Returns the log.

        Checks again what the steps checked: the step, the file (the one validated, within
        the limits), and the user's right to read each company chosen. ``defer``: only
        queue the log for its caller to run (the headless command runs it in its process)."""
        self.ensure_one()
        self._check_step("review")
        data = self._checked_file_bytes()
        # its base64 need not stay in the cache while the plan is built and stored
        self.invalidate_recordset(["file"])
        result, plan = self._build_plan()
        rows, headers = len(result.records), result.headers
        self.env["contact.import.engine"]._check_limits(data, self.file_name or "", rows)
        options = self._options()
        # The log is the server's record of the import: users read it, never write it.
        log = (
            self.env["contact.import.log"]
            .sudo()
            .create(
                {
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "file_name": self.file_name,
                    "headers": headers,
                    "mapping_used": self._column_map(),
                    "mapping_id": self.mapping_template_id.id,
                    "decisions": {
                        line.key: {
                            "name": line.name,
                            "decision": line.decision,
                            "company_id": line.company_id.id or None,
                        }
                        for line in self.company_line_ids
                    },
                    "options": options,
                }
            )
            .sudo(False)
        )
        if not dry_run:
            self._remember_decisions(result)
            # The wizard is done with the file: its engine result need not stay in this
            # worker, nor be held while the file and the plan are stored (the peak memory
            # of the Import click).
            self._forget_engine_result()
        del result
        log._attach_file(data, self.file_name)
        log._store_plan(plan)
        if background is None:
            background = rows > self.env["contact.import.engine"]._background_threshold()
        if defer:
            log.sudo().write({"state": "queued", "runner": "command"})
        elif dry_run:
            log._dry_run(plan)
        elif background:
            log._enqueue()
        else:
            log._execute_or_fail(plan)
        return log

    def _remember_decisions(self, result):
        """Keep the links the user chose to companies the engine did not find by itself,
        and the suggestions they rejected, as aliases the next imports follow. What is
        remembered is checked against the engine's own ``result`` (the one the plan was
        built from), not the lines' fields: an alias is shared by every import of the
        company."""
        Alias = self.env["contact.import.company.alias"]
        for line in self.company_line_ids:
            cluster, match = result.clusters.get(line.key), result.matches.get(line.key)
            if cluster is None or match is None:
                continue
            chosen = line.decision in ("link", "unarchive") and line.decision_by_user and line.company_id
            if chosen and match.status != matching.MATCHED and line.company_id.is_company:
                line.company_id.check_access("read")
                Alias._remember(cluster.name, line.company_id)
            offered = line.rejected_company_ids.browse([c.company_id for c in match.candidates])
            for company in line.rejected_company_ids & offered:
                company.check_access("read")
                Alias._remember(cluster.name, company, negative=True)

    def _options(self):
        return {
            "reading": self._reading_options(),
            "duplicate_policy": self.duplicate_policy,
            "address_policy": self.address_policy,
            "fill_company_fields": self.fill_company_fields,
            "fill_empty_addresses": self.fill_empty_addresses,
        }
