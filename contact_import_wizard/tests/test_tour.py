import base64
import threading
import time

from odoo import api
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

    def test_an_ignored_column_is_not_imported(self):
        new_test_user(
            self.env,
            login="cim_tour_ignore",
            groups="base.group_user,base.group_partner_manager",
            name="Ignorer",
        )
        self.start_tour(
            "/odoo/action-contact_import_wizard.contact_import_wizard_action",
            "contact_import_ignore_column_tour",
            login="cim_tour_ignore",
        )
        partner = self.env["res.partner"].search([("email", "=", "city@tour.example")])
        self.assertEqual((partner.name, partner.city), ("Ignored City", False))
        log = self.env["contact.import.log"].search([("file_name", "=", "ignore.csv")])
        self.assertEqual(log.mapping_used["City"], None)

    def test_the_suggestions_dialog_comes_back_to_the_wizard(self):
        new_test_user(
            self.env,
            login="cim_tour_dialog",
            groups="base.group_user,base.group_partner_manager",
            name="Dialoguer",
        )
        company = self.env["res.partner"].create({"name": "Dialog Systems", "is_company": True})
        self.start_tour(
            "/odoo/action-contact_import_wizard.contact_import_wizard_action",
            "contact_import_dialog_round_trip_tour",
            login="cim_tour_dialog",
        )
        partner = self.env["res.partner"].search([("email", "=", "dia@gmail.com")])
        self.assertEqual(partner.parent_id, company)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Dialog Sytems")]))

    def test_background_progress_refreshes_by_itself(self):
        """The background job writes its chunks while the user watches the log: the form
        shows each chunk, then the outcome, without a reload."""
        user = new_test_user(
            self.env, login="cim_watch", groups="base.group_user,base.group_partner_manager", name="Watcher"
        )
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("contact_import_wizard.background_threshold", "3")
        params.set_param("contact_import_wizard.chunk_size", "2")
        self.patch(type(self.env["contact.import.log"]), "_use_queue_job", lambda self: False)
        data = "Name,Email\n" + "".join(f"Person {i},p{i}@watch.example\n" for i in range(5))
        wizard = (
            self.env["contact.import.wizard"]
            .with_user(user)
            .create({"file": base64.b64encode(data.encode()), "file_name": "big.csv"})
        )
        for _step in range(4):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.state, "queued")

        def job():
            """The cron's job, one chunk per transaction, a few seconds apart."""
            time.sleep(4)
            for _chunk in range(6):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user.id, {})
                    if (
                        env["contact.import.log"]
                        .browse(log.id)
                        ._run_in_background(commit=lambda done: done == 0)
                    ):
                        return
                time.sleep(3)

        worker = threading.Thread(target=job)
        worker.start()
        try:
            self.start_tour(
                f"/odoo/contact-import-logs/{log.id}", "contact_import_progress_tour", login="cim_watch"
            )
        finally:
            worker.join(60)
        self.assertEqual((log.state, log.rows_done, log.contacts_created), ("done", 5, 5))
