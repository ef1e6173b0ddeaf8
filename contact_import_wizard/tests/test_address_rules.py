"""Addresses from the file survive, and respect Odoo 19's model (a person of type Contact
shares the company's address): new companies take the most common address of their rows,
companies without any address are filled (a toggle in Review, undone by a revert), and a
person whose address still differs keeps it as an Other address or uses the company's, as
the user chose, the log line saying which."""

from odoo.tests import new_test_user, tagged

from .common import ContactImportCase

FILE = """Name,Email,Company,City,Country
Ann Uk,ann@uk.example,Brit Co,London,United Kingdom
Bob Uk,bob@uk.example,Brit Co,London,United Kingdom
Cid Uk,cid@uk.example,Brit Co,Leeds,United Kingdom
Dan Bare,dan@bare.example,Bare Ltd,Leeds,United Kingdom
Eve Bare,eve@bare.example,Bare Ltd,Leeds,United Kingdom
Fay Full,fay@full.example,Full Ltd,Berlin,Germany
"""


@tagged("post_install", "-at_install")
class TestAddressRules(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.bare = Partner.create({"name": "Bare Ltd", "is_company": True})
        cls.munich = Partner.create({"name": "Full Ltd", "is_company": True, "city": "Munich"})
        cls.uk = cls.env.ref("base.uk")

    def run_import(self, **review):
        wizard = self.upload(FILE.encode(), "addresses.csv").save()
        for _step in range(4):
            wizard.action_next()
        if review:
            wizard.write(review)
        return wizard, self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

    def person(self, email):
        return self.env["res.partner"].search([("email", "=", email)])

    def line(self, log, email):
        return log.line_ids.filtered(lambda line: line.partner_id == self.person(email))

    def test_by_default_addresses_land_on_companies_and_differences_are_logged(self):
        wizard, log = self.run_import()
        self.assertEqual((wizard.review_fills, wizard.review_address_conflicts), (1, 2))
        brit = self.person("ann@uk.example").parent_id
        # a new company takes the most common address of its rows, and the country they share
        self.assertEqual((brit.city, brit.country_id), ("London", self.uk))
        # an existing company without any address takes its rows' address
        self.assertEqual((self.bare.city, self.bare.country_id), ("Leeds", self.uk))
        # a company that has an address is never changed
        self.assertEqual((self.munich.city, self.munich.country_id.code), ("Munich", False))
        for email in ("ann@uk.example", "dan@bare.example"):
            person = self.person(email)
            self.assertEqual((person.type, person.city), ("contact", person.parent_id.city))
            self.assertFalse(self.line(log, email).message)
        # the rows whose address differs: the company's is used, the line says so
        for email, city in (("cid@uk.example", "London"), ("fay@full.example", "Munich")):
            person = self.person(email)
            self.assertEqual((person.type, person.city), ("contact", city))
            self.assertIn("row's own address differs", self.line(log, email).message)
        self.assertIn(
            "Contacts using their company's address although their row gives another one", log.address_summary
        )
        self.assertIn("(kept in their log line): 2.", log.address_summary)
        self.assertIn("Companies without address given the one of their rows: 1.", log.address_summary)
        # and a revert gives the company back its empty address
        admin = new_test_user(
            self.env,
            login="cim_addr_admin",
            groups="base.group_user,base.group_partner_manager,contact_import_wizard.group_contact_import_manager",
        )
        log.with_user(admin)._revert()
        self.assertEqual((self.bare.city, self.bare.country_id.id), (False, False))

    def test_keeping_the_files_address_makes_other_addresses(self):
        _wizard, log = self.run_import(address_policy="keep")
        cid = self.person("cid@uk.example")
        self.assertEqual((cid.type, cid.city, cid.parent_id.city), ("other", "Leeds", "London"))
        self.assertIn("kept as the contact's own", self.line(log, "cid@uk.example").message)
        ann = self.person("ann@uk.example")
        self.assertEqual(ann.type, "contact")  # the same address as the company's: a Contact

    def test_companies_without_address_can_be_left_alone(self):
        wizard = self.upload(FILE.encode(), "addresses.csv").save()
        for _step in range(4):
            wizard.action_next()
        with self.subTest("Review's counts follow the toggle"):
            from odoo.tests import Form

            form = Form(wizard)
            form.fill_empty_addresses = False
            self.assertEqual((form.review_fills, form.review_address_conflicts), (0, 4))
            form.save()
            # and so do the counts kept for the step (what it shows when opened again)
            self.assertEqual((wizard.review_fills, wizard.review_address_conflicts), (0, 4))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertFalse(self.bare.city)
        self.assertIn("row's own address differs", self.line(log, "dan@bare.example").message)
