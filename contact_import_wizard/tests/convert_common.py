"""Users and companies for the tests of contacts converted or linked (no test here)."""

import os

from odoo.tests import TransactionCase, new_test_user

# tools/test.sh runs test_convert.py a second time on a database with Invoicing installed,
# with this set: there, the customer-rank path must run, not be skipped.
EXPECT_ACCOUNT = os.environ.get("CIM_EXPECT_ACCOUNT") == "1"


class ConvertCase(TransactionCase):
    """Least rights: a partner manager (the import's user), a plain internal user, and an
    import manager (who reverts). Companies already in Odoo, as plain records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="cim_conv_manager",
            groups="base.group_user,base.group_partner_manager",
            name="Conv Manager",
        )
        cls.plain = new_test_user(
            cls.env, login="cim_conv_plain", groups="base.group_user", name="Conv Plain"
        )
        cls.import_admin = new_test_user(
            cls.env,
            login="cim_conv_admin",
            groups="base.group_user,base.group_partner_manager,contact_import_wizard.group_contact_import_manager",
            name="Conv Admin",
        )
        Partner = cls.env["res.partner"]
        cls.germany = cls.env.ref("base.de")
        cls.acme = Partner.create(
            {
                "name": "Acme GmbH",
                "is_company": True,
                "website": "https://acme.example",
                "street": "Hauptstraße 1",
                "city": "Berlin",
                "country_id": cls.germany.id,
            }
        )
        cls.stark = Partner.create({"name": "Stark Industries", "is_company": True})
        cls.zephyr = Partner.create(
            {"name": "Zephyr Analytics", "is_company": True, "website": "https://zephyr.example"}
        )
        cls.wayne = Partner.create(
            {"name": "Wayne Enterprises", "is_company": True, "website": "https://wayne.example"}
        )
        cls.umbrella = Partner.create([{"name": "Umbrella Ltd", "is_company": True}])
        cls.umbrella |= Partner.create({"name": "Umbrella Limited", "is_company": True})

    def contact(self, name, **values):
        return self.env["res.partner"].create({"name": name, **values})

    def companies_named(self, name):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("name", "=", name), ("is_company", "=", True)])
        )

    def logs(self, kind):
        return self.env["contact.import.log"].search([("kind", "=", kind)])

    def has_customer_rank(self):
        has = "customer_rank" in self.env["res.partner"]._fields
        if EXPECT_ACCOUNT:
            self.assertTrue(has, "this run expects Invoicing (account) installed")
        return has
