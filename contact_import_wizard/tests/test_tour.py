from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestImportTour(HttpCase):
    def test_import_in_the_browser(self):
        new_test_user(
            self.env, login="cim_tour", groups="base.group_user,base.group_partner_manager", name="Tour User"
        )
        self.start_tour(
            "/odoo/action-contact_import_wizard.contact_import_wizard_action",
            "contact_import_wizard_tour",
            login="cim_tour",
        )
        company = self.env["res.partner"].search(
            [("name", "=", "Tour Company Inc."), ("is_company", "=", True)]
        )
        self.assertEqual(sorted(company.child_ids.mapped("email")), ["ann@tour.example", "bob@tour.example"])
        log = self.env["contact.import.log"].search([("file_name", "=", "tour.csv")])
        self.assertEqual((log.state, log.contacts_created, log.companies_created), ("done", 2, 1))
