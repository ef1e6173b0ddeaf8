"""Convert to Customer and Link to companies over XML-RPC, as a script would send them:
the server refuses a plain internal user, private methods, and a selection changed after
it was opened; nothing moves."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestConvertRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="cim_conv_rpc",
            groups="base.group_user,base.group_partner_manager",
            name="Rpc Manager",
        )
        cls.plain = new_test_user(
            cls.env, login="cim_conv_rpc_plain", groups="base.group_user", name="Rpc Plain"
        )
        cls.ann = cls.env["res.partner"].create({"name": "Ann Rpc", "company_name": "Rpc Blue Co"})
        cls.bystander = cls.env["res.partner"].create({"name": "Bystander", "company_name": "Other Co"})

    def call(self, user, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args)
        )

    def assertRefused(self, expected, user, model, method, *args):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.call(user, model, method, *args)
        self.assertRegex(refused.exception.faultString, expected)

    def test_a_plain_user_is_refused_and_nothing_moves(self):
        for method in ("action_contact_import_convert", "action_contact_import_link"):
            self.assertRefused(
                "Only partner managers can convert contacts", self.plain, "res.partner", method, [self.ann.id]
            )
        # a private method is not callable over RPC at all
        self.assertRefused(
            "cannot be called remotely",
            self.manager,
            "res.partner",
            "_contact_import_auto_link",
            [self.ann.id],
        )
        self.assertRefused(
            "not allowed to create",
            self.plain,
            "contact.convert.wizard",
            "create",
            {"partner_ids": [(6, 0, [self.ann.id])]},
        )
        self.ann.invalidate_recordset()
        self.assertFalse(self.ann.parent_id)
        self.assertFalse(self.env["contact.import.log"].search([("kind", "!=", "import")]))

    def test_the_selection_cannot_be_changed_once_opened(self):
        action = self.call(self.manager, "res.partner", "action_contact_import_convert", [self.ann.id])
        wizard_id = action["res_id"]
        for vals in ({"partner_ids": [(4, self.bystander.id)]}, {"partner_order": [self.bystander.id]}):
            self.assertRefused(
                "contacts of a conversion", self.manager, "contact.convert.wizard", "write", [wizard_id], vals
            )
        action = self.call(self.manager, "res.partner", "action_contact_import_link", [self.ann.id])
        self.assertRefused(
            "set by the import wizard's steps",
            self.manager,
            "contact.import.wizard",
            "write",
            [action["res_id"]],
            {"partner_ids": [(4, self.bystander.id)]},
        )
        # confirming converts the contact opened on, and only it
        self.call(self.manager, "contact.convert.wizard", "action_confirm", [wizard_id])
        self.ann.invalidate_recordset()
        self.bystander.invalidate_recordset()
        self.assertEqual(self.ann.parent_id.name, "Rpc Blue Co")
        self.assertFalse(self.bystander.parent_id)
