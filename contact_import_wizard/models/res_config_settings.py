# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .contact_import_engine import (
    DEFAULT_BACKGROUND_THRESHOLD,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_ROWS,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    contact_import_max_file_mb = fields.Integer(
        string="Largest import file (MB)",
        config_parameter="contact_import_wizard.max_file_mb",
        default=DEFAULT_MAX_FILE_MB,
    )
    contact_import_max_rows = fields.Integer(
        string="Most rows in an import file",
        config_parameter="contact_import_wizard.max_rows",
        default=DEFAULT_MAX_ROWS,
    )
    contact_import_background_threshold = fields.Integer(
        string="Import in the background above (rows)",
        config_parameter="contact_import_wizard.background_threshold",
        default=DEFAULT_BACKGROUND_THRESHOLD,
    )
    contact_import_chunk_size = fields.Integer(
        string="Rows committed together in the background",
        config_parameter="contact_import_wizard.chunk_size",
        default=DEFAULT_CHUNK_SIZE,
    )
