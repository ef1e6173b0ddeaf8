"""The same attacks over XML-RPC, as a partner manager would send them from a script: the
server refuses what the forms only show read-only."""

import base64
import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

FILE = b"Name,Email\nAnn Rpc,ann@rpc.example\n"
# The words of Odoo's access errors and of the addon's own refusals.
REFUSED = (
    r"not allowed to (modify|create|delete)|doesn't have '(read|write)' access|"
    r"An import starts at the Upload step|set by the import wizard's steps|Only a contact import sets"
)


@tagged("post_install", "-at_install")
class TestRpcAttacks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,base.group_partner_manager"
        cls.attacker = new_test_user(cls.env, login="cim_rpc_attacker", groups=groups, name="RPC Attacker")
        cls.victim = new_test_user(cls.env, login="cim_rpc_victim", groups=groups, name="RPC Victim")

    def call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def assertRefused(self, user, model, method, *args, expected=REFUSED, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.call(user, model, method, *args, **kwargs)
        self.assertRegex(refused.exception.faultString, expected)

    def import_as(self, user):
        wizard = self.call(
            user,
            "contact.import.wizard",
            "create",
            {"file": base64.b64encode(FILE).decode(), "file_name": f"{user.login}.csv"},
        )
        for _step in range(4):
            self.call(user, "contact.import.wizard", "action_next", [wizard])
        return wizard, self.call(user, "contact.import.wizard", "action_import", [wizard])["res_id"]

    def test_logs_and_lines_are_read_only_over_rpc(self):
        _wizard, log_id = self.import_as(self.attacker)
        admin = self.env.ref("base.user_admin")
        log = self.env["contact.import.log"].browse(log_id)
        before = (log.user_id, log.state, log.line_ids.partner_id)
        self.assertRefused(self.attacker, "contact.import.log", "write", [log_id], {"user_id": admin.id})
        self.assertRefused(self.attacker, "contact.import.log", "write", [log_id], {"state": "queued"})
        self.assertRefused(self.attacker, "contact.import.log", "unlink", [log_id])
        bystander = self.env["res.partner"].create({"name": "Bystander"})
        self.assertRefused(
            self.attacker,
            "contact.import.log.line",
            "create",
            {"log_id": log_id, "row_number": 5, "status": "created", "partner_id": bystander.id},
        )
        self.assertRefused(
            self.attacker, "contact.import.log.line", "write", log.line_ids.ids, {"partner_id": bystander.id}
        )
        self.assertRefused(
            self.attacker, "res.partner", "write", [bystander.id], {"contact_import_log_id": log_id}
        )
        log.invalidate_recordset()
        self.assertEqual((log.user_id, log.state, log.line_ids.partner_id), before)
        # what users may do: read their log, comment in its chatter
        self.assertEqual(
            self.call(self.attacker, "contact.import.log", "read", [log_id], ["state"])[0]["state"], "done"
        )
        self.call(self.attacker, "contact.import.log", "message_post", [log_id], body="Looks right")

    def test_another_users_wizard_cannot_be_read_or_changed_over_rpc(self):
        theirs = self.call(
            self.victim,
            "contact.import.wizard",
            "create",
            {"file": base64.b64encode(FILE).decode(), "file_name": "theirs.csv"},
        )
        self.assertEqual(
            self.call(self.attacker, "contact.import.wizard", "search", [("id", "=", theirs)]), []
        )
        self.assertRefused(self.attacker, "contact.import.wizard", "read", [theirs], ["file"])
        self.assertRefused(
            self.attacker,
            "contact.import.wizard",
            "write",
            [theirs],
            {"file": base64.b64encode(b"Name\nEvil\n").decode()},
        )
        self.assertRefused(self.attacker, "contact.import.wizard", "action_next", [theirs])
        wizard = self.env["contact.import.wizard"].browse(theirs)
        self.assertEqual(base64.b64decode(wizard.file), FILE)

    def test_steps_cannot_be_skipped_over_rpc(self):
        self.assertRefused(
            self.attacker,
            "contact.import.wizard",
            "create",
            {"file": base64.b64encode(FILE).decode(), "file_name": "x.csv", "state": "review"},
        )
        wizard = self.call(
            self.attacker,
            "contact.import.wizard",
            "create",
            {"file": base64.b64encode(FILE).decode(), "file_name": "y.csv"},
        )
        self.assertRefused(self.attacker, "contact.import.wizard", "write", [wizard], {"state": "review"})
        self.assertRefused(
            self.attacker, "contact.import.wizard", "action_import", [wizard], expected="at the Upload step"
        )
        self.assertFalse(self.env["contact.import.log"].search([("file_name", "=", "y.csv")]))
