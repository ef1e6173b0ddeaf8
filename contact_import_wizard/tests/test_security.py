import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ContactImportCase


@tagged("post_install", "-at_install")
class TestSecurity(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.other_manager = new_test_user(
            cls.env, login="cim_other", groups="base.group_user,base.group_partner_manager", name="Other"
        )
        cls.import_admin = new_test_user(
            cls.env,
            login="cim_import_admin",
            groups="base.group_user,contact_import_wizard.group_contact_import_manager",
            name="Import Admin",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )

    def run_import(self, user, data=b"Name,Email\nAnn,ann@sec.example\n", company=None):
        wizard_model = self.env["contact.import.wizard"].with_user(user)
        if company:
            wizard_model = wizard_model.with_company(company)
        wizard = wizard_model.with_context(default_file_name="sec.csv").create(
            {"file": base64.b64encode(data)}
        )
        for _step in range(4):
            wizard.action_next()
        return self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

    def company_b_partner(self, name):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "company_id": self.company_b.id}
        )

    def wizard_in_company_a(self, data):
        """A wizard of the partner manager, who is allowed in company A only."""
        self.manager_user.write(
            {"company_ids": [(6, 0, self.company_a.ids)], "company_id": self.company_a.id}
        )
        wizard_model = self.env["contact.import.wizard"].with_user(self.manager_user)
        return wizard_model.with_context(default_file_name="f.csv").create({"file": base64.b64encode(data)})

    def test_users_see_their_own_logs_managers_all_of_their_companies(self):
        mine = self.run_import(self.manager_user)
        theirs = self.run_import(self.other_manager)
        Log = self.env["contact.import.log"]
        self.assertEqual(Log.with_user(self.manager_user).search([]), mine)
        self.assertEqual(Log.with_user(self.other_manager).search([]), theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.manager_user).read(["file_name"])
        self.assertEqual(Log.with_user(self.import_admin).search([]), mine | theirs)
        # a log of another company stays out of sight of an import manager not in it
        self.other_manager.write({"company_ids": [(4, self.company_b.id)]})
        elsewhere = self.run_import(self.other_manager, company=self.company_b)
        self.assertEqual(elsewhere.company_id, self.company_b)
        self.assertNotIn(elsewhere, Log.with_user(self.import_admin).search([]))

    def test_another_users_file_and_downloads_cannot_be_fetched_by_id(self):
        theirs = self.run_import(self.other_manager, b"Name,Email\nBad,not-an-email\n")
        download = theirs.with_user(self.other_manager).action_download_ignored_csv()
        for attachment in (theirs.attachment_id, self.downloaded(download)):
            with self.assertRaises(AccessError):
                attachment.with_user(self.manager_user).read(["raw"])
            self.assertTrue(attachment.with_user(self.other_manager).read(["raw"]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.manager_user).action_download_ignored_csv()

    def test_deleting_a_log_keeps_its_contacts(self):
        log = self.run_import(self.manager_user)
        partner = self.env["res.partner"].search([("email", "=", "ann@sec.example")])
        self.assertTrue(partner)
        # an audit record: no import user or manager deletes it; the database's owner may
        for user in (self.manager_user, self.import_admin):
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
        log.unlink()
        self.assertTrue(partner.exists())
        self.assertFalse(partner.contact_import_log_id)

    def test_plain_users_cannot_import(self):
        with self.assertRaises(AccessError) as error:
            self.run_import(self.plain_user)
        self.assertIn("You are not allowed to create 'Contact Import Wizard'", str(error.exception))
        self.assertIn("Contact Import/User", str(error.exception))

    def test_companies_the_user_cannot_read_are_never_matched_nor_suggested(self):
        self.company_b_partner("Secret Corp")
        wizard = self.wizard_in_company_a(b"Name,Company\nAnn,Secret Corp\nBob,Secret Corpp\n")
        for _step in range(3):
            wizard.action_next()
        lines = wizard.company_line_ids
        self.assertEqual(len(lines), 2)
        self.assertEqual(set(lines.mapped("match_status")), {"unmatched"})
        self.assertFalse(lines.suggestion_ids)

    def test_a_company_of_another_company_cannot_be_forced_as_link_target(self):
        hidden = self.company_b_partner("Hidden Co")
        wizard = self.wizard_in_company_a(b"Name,Company\nAnn,Brand New Co\n")
        wizard.action_next()
        wizard.action_next()
        wizard.action_next()
        self.assertEqual(wizard.state, "reference")
        line = wizard.company_line_ids
        line.write({"decision": "link", "company_id": hidden.id})
        with self.assertRaises(AccessError):
            wizard.action_next()

    def test_size_and_row_limits_from_settings(self):
        settings = self.env["res.config.settings"].create(
            {"contact_import_max_file_mb": 1, "contact_import_max_rows": 2}
        )
        settings.execute()
        big = self.upload(b"Name\n" + b"x" * (1024 * 1024 + 10) + b"\n", "big.csv")
        self.assertEqual(
            big.read_error,
            "big.csv is 1.0 MB; the largest file an import takes is 1 MB. "
            "Split it, or ask an administrator to raise the limit in Settings.",
        )
        rows = self.upload(b"Name\nA\nB\nC\n", "rows.csv")
        self.assertTrue(rows.read_error.startswith("The file has more than 2 data rows"))
        self.assertEqual(self.upload(b"Name\nA\nB\n", "ok.csv").read_error, False)
