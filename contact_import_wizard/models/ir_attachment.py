from odoo import api, models
from odoo.exceptions import AccessError

# Models whose files (binary fields kept as attachments) only their own code writes, as
# the ORM does, in sudo: the wizard's upload, fixed once validated, and a log's plan.
GUARDED_MODELS = ("contact.import.wizard", "contact.import.log")


def _guarded(res_model, res_field):
    return bool(res_field) and res_model in GUARDED_MODELS


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _index(self, bin_data, file_type, checksum=None):
        # The files of an import (the upload, the log's copy) are read by the import and
        # downloaded, never searched. Indexed, a text file would be copied whole into
        # index_content: a second copy in the database, and some 70 MB of work in memory
        # for a 12 MB CSV.
        if self.env.context.get("contact_import_no_index"):
            return None
        return super()._index(bin_data, file_type, checksum=checksum)

    def _check_import_files(self, vals=None):
        """Refuse a user's own create, write or unlink of an import's field files: they
        would change the file of a wizard behind its steps, or a log's plan."""
        if self.env.su:
            return
        touched = any(_guarded(a.res_model, a.res_field) for a in self.sudo())
        if vals is not None and not touched:
            touched = any(
                _guarded(vals.get("res_model", a.res_model), vals.get("res_field", a.res_field))
                for a in self.sudo()
            )
        if touched:
            raise self._import_files_refused()

    def _import_files_refused(self):
        return AccessError(self.env._("The files of an import are written by the import only."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(_guarded(v.get("res_model"), v.get("res_field")) for v in vals_list):
            raise self._import_files_refused()
        return super().create(vals_list)

    def write(self, vals):
        self._check_import_files(vals)
        return super().write(vals)

    def unlink(self):
        self._check_import_files()
        # Not even in sudo (mail deletes the attachments of a message it edits so): the file
        # an import log keeps goes with its log, which is deleted first.
        if self.env["contact.import.log"]._keeps_any_file(self.ids):
            raise AccessError(self.env._("The file an import keeps is deleted with its import log only."))
        return super().unlink()
