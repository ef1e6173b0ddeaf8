"""What an import does to contacts already in Odoo: found however the file spells their
email, updated by adding (tags, notes), never moved out of their company's address, and a
user's explicit choice to create a company kept."""

from odoo.tests import tagged

from .common import ContactImportCase


@tagged("post_install", "-at_install")
class TestImportRules(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.fair = cls.env["res.partner.category"].create({"name": "Fair 2025"})
        cls.acme = Partner.create(
            {"name": "Acme Rules GmbH", "is_company": True, "city": "Munich", "zip": "80331"}
        )
        cls.known = Partner.create(
            {
                "name": "Ann Known",
                "email": "ann@rules.example",
                "parent_id": cls.acme.id,
                "category_id": [(6, 0, cls.fair.ids)],
                "comment": "<p>Met in 2024</p>",
            }
        )

    def run_import(self, data, policy="skip", **review):
        wizard = self.upload(data.encode(), "rules.csv").save()
        wizard.action_next()
        wizard.duplicate_policy = policy
        for _step in range(3):
            wizard.action_next()
        if review:
            wizard.write(review)
        return self.env["contact.import.log"].browse(wizard.action_import()["res_id"]), wizard

    def test_an_existing_contact_is_found_however_the_file_writes_its_email(self):
        data = "Name,Email\nAnn One,<ann@rules.example>\nAnn Two,mailto:ANN@Rules.example\n"
        log, _wizard = self.run_import(data)
        self.assertEqual(log.line_ids.mapped("status"), ["skipped", "ignored"])
        self.assertEqual(self.env["res.partner"].search_count([("email", "ilike", "ann@rules.example")]), 1)

    def test_two_people_of_one_name_at_one_company_are_two_contacts(self):
        data = (
            "Name,Email,Company\n"
            "John Smith,john.a@rules.example,Acme Rules\n"
            "John Smith,john.b@rules.example,Acme Rules\n"
        )
        log, _wizard = self.run_import(data)
        self.assertEqual(log.contacts_created, 2)
        self.assertEqual(len(self.acme.child_ids.filtered(lambda c: c.name == "John Smith")), 2)
        # the same person twice (same name, one without email) is still one
        data = "Name,Email,Company\nJane Doe,jane@rules.example,Acme Rules\nJane Doe,,Acme Rules\n"
        log, _wizard = self.run_import(data)
        self.assertEqual(log.line_ids.mapped("status"), ["linked", "ignored"])

    def test_tags_are_found_whatever_their_case(self):
        tags = self.env["res.partner.category"].search_count([])
        log, _wizard = self.run_import("Name,Email,Tags\nBo Tag,bo@rules.example,vip; fair 2025\n")
        bo = log.line_ids.partner_id
        self.assertEqual(bo.category_id, self.vip | self.fair)
        self.assertEqual(self.env["res.partner.category"].search_count([]), tags)

    def test_an_update_adds_tags_and_notes_and_keeps_the_contact_in_its_company(self):
        data = "Name,Email,Tags,Notes,City\nAnn Known,ann@rules.example,VIP,Called in 2025,Berlin\n"
        log, _wizard = self.run_import(data, policy="update", address_policy="keep")
        self.assertEqual(log.contacts_updated, 1)
        self.assertEqual(self.known.category_id, self.vip | self.fair)
        self.assertIn("Met in 2024", self.known.comment)
        self.assertIn("Called in 2025", self.known.comment)
        # still a contact of Acme sharing its address; Acme's address untouched
        self.assertEqual(
            (self.known.type, self.known.parent_id, self.known.city), ("contact", self.acme, "Munich")
        )
        self.assertEqual(self.acme.city, "Munich")
        line = log.line_ids
        self.assertIn("Address not updated", line.message)
        self.assertEqual(line.values[-1], "Berlin")  # the row's address stays in the log

    def test_an_explicit_create_wins_over_a_company_of_the_same_name(self):
        wizard = self.upload(
            b"Name,Email,Company\nNew Hire,new@other-acme.example,Acme Rules\n", "x.csv"
        ).save()
        for _step in range(3):
            wizard.action_next()
        line = wizard.company_line_ids
        self.assertEqual((line.match_status, line.company_id), ("matched", self.acme))
        line.write({"decision": "create", "company_id": False, "decision_by_user": True})
        wizard.action_next()
        self.assertEqual(wizard.review_companies, 1)
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        new_hire = log.line_ids.partner_id
        self.assertNotEqual(new_hire.parent_id, self.acme)
        self.assertEqual(new_hire.parent_id.name, "Acme Rules")
        self.assertEqual(log.companies_created, 1)
