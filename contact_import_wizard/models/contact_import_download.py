# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ContactImportDownloadMixin(models.AbstractModel):
    _name = "contact.import.download.mixin"
    _description = "Contact Import Downloads"

    def _download_action(self, name, data, mimetype):
        """An action downloading ``data`` as a file attached to this record, so that only
        who can read the record can fetch it."""
        self.ensure_one()
        self.check_access("read")
        # A log is read-only for its readers: the server attaches the file they download,
        # in place of the one of the same name it attached before.
        Attachment = self.env["ir.attachment"].sudo()
        previous = [("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "=", name)]
        Attachment.search(previous).unlink()
        attachment = Attachment.create(
            {"name": name, "raw": data, "mimetype": mimetype, "res_model": self._name, "res_id": self.id}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
