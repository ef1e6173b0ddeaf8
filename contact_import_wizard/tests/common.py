import base64
import pathlib

from odoo.tests import Form, TransactionCase, new_test_user

SAMPLES = pathlib.Path(__file__).parent / "samples"


class ContactImportCase(TransactionCase):
    """Users with the least rights each test needs, and helpers to drive the wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager_user = new_test_user(
            cls.env,
            login="cim_partner_manager",
            groups="base.group_user,base.group_partner_manager",
            name="Partner Manager",
        )
        cls.plain_user = new_test_user(
            cls.env, login="cim_plain_user", groups="base.group_user", name="Plain User"
        )

    @staticmethod
    def encode(data):
        return base64.b64encode(data)

    @classmethod
    def sample(cls, name):
        return (SAMPLES / name).read_bytes()

    def downloaded(self, action):
        """The attachment a download action (/web/content/<id>?download=true) serves."""
        return self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))

    def upload(self, data, file_name, user=None):
        """Open the wizard as ``user`` and upload ``data``; returns the saved Form."""
        # The web client's binary widget fills the (invisible) file name field itself.
        wizard_model = self.env["contact.import.wizard"].with_user(user or self.manager_user)
        form = Form(wizard_model.with_context(default_file_name=file_name))
        form.file = self.encode(data)
        return form
