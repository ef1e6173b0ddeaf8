"""The executor's fast path writes what plain res.partner.create writes.

The executor creates a company's new contacts with what Odoo would copy onto each of them
after its creation (commercial fields, the company's address, its language), skips the
resizing of images nobody gave, and inserts its log lines in one statement. These tests
compare, field by field, a contact the import creates with one created by plain
``res.partner.create`` for the same values under the same company, and log lines inserted
by the executor with lines created by the ORM.
"""

from odoo.tests import tagged

from ..models.contact_import_executor import ImportExecutor
from .common import ContactImportCase

# What the import and plain create must agree on (the contact's own fields and every
# field Odoo derives or copies from its company).
COMPARED = [
    "name",
    "email",
    "phone",
    "function",
    "type",
    "is_company",
    "parent_id",
    "commercial_partner_id",
    "commercial_company_name",
    "complete_name",
    "display_name",
    "lang",
    "user_id",
    "vat",
    "company_registry",
    "industry_id",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "email_normalized",
    "phone_sanitized",
    "partner_share",
    "active",
    "company_id",
    "image_128",
    "image_1920",
]


@tagged("post_install", "-at_install")
class TestExecutorWrites(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The import runs as users run it, tracking included.
        cls.env = cls.env(context={k: v for k, v in cls.env.context.items() if k != "tracking_disable"})
        cls.env["res.lang"]._activate_lang("fr_FR")
        belgium = cls.env.ref("base.be")
        cls.salesperson = cls.env["res.users"].search([("share", "=", False)], limit=1)
        cls.company = cls.env["res.partner"].create(
            {
                "name": "Brasserie Lambiek SA",
                "is_company": True,
                "vat": "BE0477472701",
                "company_registry": "0477.472.701",
                "industry_id": cls.env["res.partner.industry"].create({"name": "Brewing"}).id,
                "street": "Rue des Brasseurs 12",
                "street2": "Bâtiment B",
                "city": "Bruxelles",
                "zip": "1000",
                "state_id": cls.env["res.country.state"].search([("country_id", "=", belgium.id)], limit=1).id
                or False,
                "country_id": belgium.id,
                "lang": "fr_FR",
                "user_id": cls.salesperson.id,
            }
        )

    def import_rows(self, rows, address_policy=None):
        """Import ``rows`` (CSV text under a header) through the wizard, as the manager."""
        header = "Name,Email,Phone,Job Position,Company,Street,City,Zip\n"
        wizard = self.upload((header + rows).encode(), "people.csv").save()
        for _step in range(3):
            wizard.action_next()
        if address_policy:
            wizard.address_policy = address_policy
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.state, "done", log.line_ids.mapped("message"))
        return log

    def plain_create(self, vals):
        return self.env["res.partner"].with_user(self.manager_user).create(vals)

    def assert_same(self, imported, plain):
        self.assertTrue(imported and plain)
        for name in COMPARED:
            with self.subTest(field=name):
                self.assertEqual(imported[name], plain[name])

    def test_a_contact_of_an_existing_company_is_what_plain_create_makes(self):
        self.import_rows("Ann Peeters,ann@lambiek.example,+32 2 555 12 34,Brewer,Brasserie Lambiek SA,,,\n")
        imported = self.env["res.partner"].search([("email", "=", "ann@lambiek.example")])
        plain = self.plain_create(
            {
                "name": "Ann Peeters",
                "email": "ann@lambiek.example",
                "phone": "+32 2 555 12 34",
                "function": "Brewer",
                "parent_id": self.company.id,
            }
        )
        self.assert_same(imported, plain)
        # what it took from its company, as plain create copies it
        self.assertEqual(
            (imported.lang, imported.vat, imported.city, imported.user_id),
            ("fr_FR", "BE0477472701", "Bruxelles", self.salesperson),
        )
        self.assertEqual(imported.display_name, "Brasserie Lambiek SA, Ann Peeters")

    def test_a_contact_whose_row_gives_its_company_address_is_what_plain_create_makes(self):
        self.import_rows(
            "Bob Janssen,bob@lambiek.example,,,Brasserie Lambiek SA,Rue des Brasseurs 12,Bruxelles,1000\n"
        )
        imported = self.env["res.partner"].search([("email", "=", "bob@lambiek.example")])
        plain = self.plain_create(
            {
                "name": "Bob Janssen",
                "email": "bob@lambiek.example",
                "parent_id": self.company.id,
                "street": "Rue des Brasseurs 12",
                "city": "Bruxelles",
                "zip": "1000",
            }
        )
        self.assert_same(imported, plain)

    def test_a_contact_keeping_its_own_address_is_what_plain_create_makes(self):
        self.import_rows(
            "Cid Lambert,cid@lambiek.example,,,Brasserie Lambiek SA,Kerkstraat 3,Gent,9000\n",
            address_policy="keep",
        )
        imported = self.env["res.partner"].search([("email", "=", "cid@lambiek.example")])
        plain = self.plain_create(
            {
                "name": "Cid Lambert",
                "email": "cid@lambiek.example",
                "parent_id": self.company.id,
                "type": "other",
                "street": "Kerkstraat 3",
                "city": "Gent",
                "zip": "9000",
            }
        )
        self.assertEqual((imported.type, imported.city), ("other", "Gent"))
        self.assert_same(imported, plain)

    def test_a_contact_of_a_company_the_import_creates_is_what_plain_create_makes(self):
        self.import_rows("Dan Romano,dan@ricci.example,,,Birrificio Ricci,Via Roma 1,Parma,43121\n")
        imported = self.env["res.partner"].search([("email", "=", "dan@ricci.example")])
        company = imported.parent_id
        self.assertEqual(
            (company.name, company.city, company.is_company), ("Birrificio Ricci", "Parma", True)
        )
        plain = self.plain_create(
            {"name": "Dan Romano", "email": "dan@ricci.example", "parent_id": company.id}
        )
        self.assert_same(imported, plain)

    def test_log_lines_inserted_at_once_are_what_the_orm_creates(self):
        log = self.import_rows("Eve Berg,eve@lambiek.example,,,Brasserie Lambiek SA,,,\n")
        line = log.line_ids
        vals_list = [
            {
                "log_id": log.id,
                "row_number": 90,
                "status": "created",
                "message": "A message",
                "partner_id": line.partner_id.id,
                "company_partner_id": self.company.id,
                "values": ["Eve", 'é ü ß "quoted"', ""],
                "previous_values": {"city": "Gent", "category_id": [1, 2]},
                "written_values": {"city": False, "name": "Eve"},
            },
            {
                "log_id": log.id,
                "row_number": 91,
                "status": "error",
                "message": False,
                "partner_id": False,
                "company_partner_id": False,
                "values": [],
                "previous_values": None,
                "written_values": {},
            },
        ]
        ImportExecutor(log, log._load_plan(), {})._insert_lines([dict(vals) for vals in vals_list])
        inserted = log.line_ids.filtered(lambda line: line.row_number in (90, 91)).sorted("row_number")
        created = (
            self.env["contact.import.log.line"]
            .sudo()
            .create([dict(vals, row_number=vals["row_number"] + 10) for vals in vals_list])
        )
        self.env.flush_all()
        self.env.invalidate_all()
        fields_ = [
            "log_id",
            "status",
            "message",
            "partner_id",
            "company_partner_id",
            "values",
            "previous_values",
            "written_values",
            "reverted",
            "create_uid",
            "write_uid",
        ]
        self.assertEqual(len(inserted), 2)
        for ours, orms in zip(inserted, created, strict=True):
            self.assertEqual(ours.row_number + 10, orms.row_number)
            for name in fields_:
                with self.subTest(field=name, row=ours.row_number):
                    self.assertEqual(ours[name], orms[name])
        # the columns themselves, NULLs included
        self.env.cr.execute(
            """SELECT row_number, message, partner_id, company_partner_id, "values", previous_values,
                      written_values, reverted
                 FROM contact_import_log_line WHERE id IN %s ORDER BY row_number""",
            [tuple((inserted | created).ids)],
        )
        rows = self.env.cr.fetchall()
        self.assertEqual([row[1:] for row in rows[:2]], [row[1:] for row in rows[2:]])
