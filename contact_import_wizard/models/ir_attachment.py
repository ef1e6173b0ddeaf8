from odoo import models


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
