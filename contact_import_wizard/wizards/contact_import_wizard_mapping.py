# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The Mapping step of the import wizard: which contact field each column fills."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import mapping as engine_mapping
from ..engine import reader, validation
from ..engine.messages import EngineError

SAMPLE_VALUES = 3  # shown per column
SAMPLED_ROWS = 1000  # read to judge the columns by their values
PREVIEW_CONTACTS = 3  # shown under the mapping, as the import would make them
POLICIES = [("skip", "Skip them"), ("update", "Update them"), ("create", "Create anyway")]


class ContactImportWizard(models.TransientModel):
    _inherit = "contact.import.wizard"

    # -- mapping -------------------------------------------------------------------------
    column_ids = fields.One2many("contact.import.wizard.column", "wizard_id", string="Columns of the file")
    mapping_template_id = fields.Many2one("contact.import.mapping", string="Mapping template")
    template_name = fields.Char(string="Save mapping as")
    duplicate_policy = fields.Selection(
        POLICIES, string="Contacts already in Odoo", default="skip", required=True
    )
    mapping_problems = fields.Text(readonly=True)
    preset_message = fields.Char(string="Recognised export", readonly=True)
    mapping_review_count = fields.Integer(compute="_compute_mapping_preview")
    mapping_preview_html = fields.Html(
        string="The first contacts, as they will be imported",
        compute="_compute_mapping_preview",
        sanitize=False,
    )

    @api.depends("column_ids.target")
    def _compute_mapping_preview(self):
        """The first contacts as the current mapping makes them (name, email, company,
        city): "Maria Keller, Maria Keller, Maria Keller" is seen before, not after."""
        for wizard in self:
            wizard.mapping_review_count = len(wizard.column_ids.filtered("review"))
            wizard.mapping_preview_html = False
            if wizard.state != "mapping" or not wizard.column_ids:
                continue
            try:
                table = wizard._open_table()
                rows = reader.preview(table, PREVIEW_CONTACTS)
            except EngineError:
                continue
            column_map = wizard._column_map()
            columns = validation._columns(table.headers, column_map)
            resolver = validation._Resolver(validation.Lookups())
            records = [validation.map_record(row, table.headers, columns, resolver) for row in rows]
            labels = [
                self.env._("Row"),
                self.env._("Name"),
                self.env._("Email"),
                self.env._("Company"),
                self.env._("City"),
            ]
            head = Markup("").join(Markup("<th>%s</th>") % label for label in labels)
            body = Markup("").join(
                Markup(
                    "<tr><td class='text-muted'>%s</td><td>%s%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                )
                % (
                    record.row,
                    record.values.get("name", ""),
                    Markup(" <span class='badge text-bg-info'>%s</span>") % self.env._("company")
                    if record.is_company
                    else "",
                    record.values.get("email", ""),
                    "" if record.is_company else record.company,
                    record.values.get("city", ""),
                )
                for record in records
            )
            wizard.mapping_preview_html = Markup(
                "<table class='table table-sm o_cim_mapping_preview'><thead><tr>%s</tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (head, body)

    def _best_template(self, headers):
        """The saved mapping that fits these headers best, if it fits well (>= 80%)."""
        best, best_fit = self.env["contact.import.mapping"], 0.8
        for template in self.env["contact.import.mapping"].search([]):
            fit = engine_mapping.template_fit(headers, template.column_map or {})
            if fit >= best_fit:
                best, best_fit = template, fit
        return best

    def _samples(self, headers):
        """Up to SAMPLED_ROWS rows' non-empty values per column: the mapping judges a
        column by its values as well as by its header."""
        samples = {h: [] for h in headers}
        try:
            for row in reader.preview(self._open_table(), SAMPLED_ROWS):
                for header, value in zip(headers, row.values, strict=False):
                    if value.strip():
                        samples[header].append(value.strip())
        except EngineError as exc:
            raise UserError(exc.message(self._translate)) from None
        return samples

    def _suggestions(self, headers, template, samples):
        if template:
            return engine_mapping.apply_template(headers, template.column_map or {}, template.name, samples)
        return engine_mapping.suggest(headers, samples)

    def _set_columns(self, headers, template=None):
        samples = self._samples(headers)
        suggestions = self._suggestions(headers, template, samples)
        recognised = engine_mapping.recognise(headers)
        columns = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "position": position,
                    "header": suggestion.column,
                    "samples": " | ".join(v[:40] for v in samples[suggestion.column][:SAMPLE_VALUES]),
                    # a doubtful guess is proposed, never applied by itself
                    "target": suggestion.target if suggestion.target and not suggestion.review else "ignore",
                    "suggested_target": suggestion.target or "ignore",
                    "reason": " — ".join(
                        text
                        for text in (suggestion.reason(self._translate), suggestion.evidence(self._translate))
                        if text
                    ),
                    "confidence": suggestion.confidence or False,
                    "contradicted": suggestion.contradicted,
                    "review": suggestion.review,
                },
            )
            for position, suggestion in enumerate(suggestions)
        ]
        self._set(
            {
                "column_ids": columns,
                "preset_message": recognised.message(self._translate) if recognised else False,
            }
        )
        if self.mapping_template_id:
            self.duplicate_policy = self.mapping_template_id.duplicate_policy

    def action_apply_template(self):
        self.ensure_one()
        if not self.mapping_template_id:
            raise UserError(self.env._("Choose a mapping template to apply."))
        self._check_step("mapping")
        self._set_columns(list(self.column_names or []), self.mapping_template_id)
        return self._reopen()

    def action_save_template(self):
        self.ensure_one()
        self._check_step("mapping")
        name = (self.template_name or "").strip()
        if not name:
            raise UserError(self.env._("Give the mapping a name to save it."))
        vals = {"name": name, "column_map": self._column_map(), "duplicate_policy": self.duplicate_policy}
        Mapping = self.env["contact.import.mapping"]
        template = Mapping.search(
            [("name", "=", name), ("company_id", "in", [self.env.company.id, False])], limit=1
        )
        if template and not template.has_access("write"):
            raise UserError(
                self.env._(
                    "A mapping named %(name)s was saved by someone else: choose another name.", name=name
                )
            )
        if template:
            template.write(vals)
        else:
            template = Mapping.create(vals)
        self.mapping_template_id = template
        return self._reopen()

    def _column_map(self):
        return {
            column.header: None if column.target in (False, "ignore") else column.target
            for column in self.column_ids.sorted("position")
        }

    def _leave_mapping(self):
        problems = engine_mapping.check_mapping(self._column_map())
        self._set({"mapping_problems": "\n".join(p.message(self._translate) for p in problems) or False})
        errors = [p for p in problems if p.blocking]
        if errors:
            raise UserError("\n".join(p.message(self._translate) for p in errors))
        result = self._run_engine()
        self._store_validation(result)
        self._store_companies(result)
        self._set({"state": "validation"})
