# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from markupsafe import Markup

from odoo import api, fields, models

from ..engine import reader
from ..engine.messages import EngineError

PREVIEW_ROWS = 10
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


class ContactImportWizard(models.TransientModel):
    _name = "contact.import.wizard"
    _description = "Contact Import Wizard"

    state = fields.Selection(
        [
            ("upload", "Upload"),
            ("mapping", "Mapping"),
            ("validation", "Validation"),
            ("reference", "Reference Data"),
            ("review", "Review"),
        ],
        default="upload",
        required=True,
    )
    file = fields.Binary(string="File", attachment=False, help="A CSV or XLSX file, one contact per row.")
    file_name = fields.Char()
    encoding_override = fields.Selection(ENCODINGS, string="Encoding", help="Leave empty to detect it.")
    delimiter_override = fields.Selection(DELIMITERS, string="Separator", help="Leave empty to detect it.")
    sheet_override = fields.Char(string="Sheet", help="Leave empty to read the first sheet with data.")

    file_format = fields.Char(compute="_compute_file_info", store=True)
    detected_encoding = fields.Char(string="Detected encoding", compute="_compute_file_info", store=True)
    detected_delimiter = fields.Char(string="Detected separator", compute="_compute_file_info", store=True)
    detected_sheet = fields.Char(string="Sheet read", compute="_compute_file_info", store=True)
    sheet_names = fields.Char(string="Sheets", compute="_compute_file_info", store=True)
    column_names = fields.Json(compute="_compute_file_info", store=True)
    column_count = fields.Integer(string="Columns", compute="_compute_file_info", store=True)
    row_count = fields.Integer(string="Data rows", compute="_compute_file_info", store=True)
    read_error = fields.Char(compute="_compute_file_info", store=True)
    read_warnings = fields.Text(compute="_compute_file_info", store=True)
    preview_html = fields.Html(string="Preview", compute="_compute_file_info", store=True, sanitize=False)

    # -- reading -------------------------------------------------------------------
    def _file_bytes(self):
        self.ensure_one()
        return base64.b64decode(self.file) if self.file else b""

    def _open_table(self):
        """The uploaded file opened by the engine with the user's overrides."""
        self.ensure_one()
        delimiter = "\t" if self.delimiter_override == "tab" else self.delimiter_override
        return reader.open_table(
            self._file_bytes(),
            self.file_name or "",
            encoding=self.encoding_override or None,
            delimiter=delimiter or None,
            sheet=self.sheet_override or None,
        )

    def _translate(self, template):
        return self.env._(template)  # pylint: disable=translation-required

    @api.depends("file", "file_name", "encoding_override", "delimiter_override", "sheet_override")
    def _compute_file_info(self):
        empty = {
            "file_format": False,
            "detected_encoding": False,
            "detected_delimiter": False,
            "detected_sheet": False,
            "sheet_names": False,
            "column_names": [],
            "column_count": 0,
            "row_count": 0,
            "read_error": False,
            "read_warnings": False,
            "preview_html": False,
        }
        for wizard in self:
            wizard.update(empty)
            if not wizard.file:
                continue
            try:
                table = wizard._open_table()
                rows = reader.preview(table, PREVIEW_ROWS)
                row_count = reader.count_rows(table)
            except EngineError as exc:
                wizard.read_error = exc.message(wizard._translate)
                continue
            delimiter_labels = dict(DELIMITERS)
            wizard.update(
                {
                    "file_format": table.format.upper(),
                    "detected_encoding": table.encoding or False,
                    "detected_delimiter": delimiter_labels.get(
                        "tab" if table.delimiter == "\t" else table.delimiter, False
                    ),
                    "detected_sheet": table.sheet or False,
                    "sheet_names": ", ".join(table.sheets) or False,
                    "column_names": table.headers,
                    "column_count": len(table.headers),
                    "row_count": row_count,
                    "read_warnings": "\n".join(p.message(wizard._translate) for p in table.problems) or False,
                    "preview_html": wizard._preview_table(table.headers, rows),
                }
            )

    @staticmethod
    def _preview_table(headers, rows):
        """An HTML table of the first rows; every value is escaped (file content is untrusted)."""
        head = Markup("").join(Markup("<th>%s</th>") % h for h in [""] + list(headers))
        body = Markup("").join(
            Markup("<tr><td class='text-muted'>%s</td>%s</tr>")
            % (row.number, Markup("").join(Markup("<td>%s</td>") % v for v in row.values))
            for row in rows
        )
        return Markup(
            "<div class='o_cim_preview table-responsive'><table class='table table-sm table-bordered'>"
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table></div>"
        ) % (head, body)

    # -- buttons -------------------------------------------------------------------
    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Contacts"),
        }

    def action_reload(self):
        """Read the file again with the chosen encoding, separator or sheet."""
        self.ensure_one()
        self._compute_file_info()
        return self._reopen()
