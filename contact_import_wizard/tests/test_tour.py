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

    def test_background_progress_refreshes_by_itself(self):
        user = new_test_user(
            self.env, login="cim_watch", groups="base.group_user,base.group_partner_manager", name="Watcher"
        )
        log = self.env["contact.import.log"].create(
            {"file_name": "big.csv", "user_id": user.id, "state": "running", "rows_total": 10, "rows_done": 1}
        )
        self.start_tour(
            f"/odoo/contact-import-logs/{log.id}", "contact_import_progress_tour", login="cim_watch"
        )
        self.assertEqual((log.state, log.rows_done), ("done", 10))
