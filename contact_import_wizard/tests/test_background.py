import importlib.util

from odoo.tests import freeze_time, tagged

from ..models.contact_import_executor import ImportExecutor
from .common import ContactImportCase

FILE = """Name,Email,Company
Ann Lee,ann@bg.example,Background Co
Bob Roe,bob@bg.example,background co
Cid Diaz,cid@bg.example,Other Bg Inc
Dan Kim,not-an-email,Background Co
Eve Chen,eve@bg.example,
"""


class Interrupted(Exception):
    """A worker stopped between two chunks."""


@tagged("post_install", "-at_install")
class TestBackground(ContactImportCase):
    def setUp(self):
        super().setUp()
        # The cron path is always tested, whether queue_job is installed or not.
        self.patch(type(self.env["contact.import.log"]), "_use_queue_job", lambda self: False)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("contact_import_wizard.background_threshold", "3")
        params.set_param("contact_import_wizard.chunk_size", "2")

    def queue(self, data=FILE):
        wizard = self.upload(data.encode(), "big.csv").save()
        for _step in range(4):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.state, "queued")
        return log

    def partners(self):
        return self.env["res.partner"].search([("email", "like", "@bg.example")])

    def test_above_the_threshold_the_import_is_queued_for_the_cron(self):
        cron = self.env.ref("contact_import_wizard.ir_cron_contact_import")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        log = self.queue()
        self.assertFalse(self.partners())  # nothing written in the request
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers_before + 1
        )
        # the cron runs it (its commits replaced: tests cannot commit)
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "done")
        self.assertEqual((log.contacts_created, log.companies_created, log.rows_ignored), (4, 2, 1))
        self.assertEqual(log.rows_done, 5)
        self.assertEqual(log.progress, 100.0)
        self.assertEqual(self.partners().contact_import_log_id, log)
        self.assertIn("4 contacts created", log.message_ids[:1].body)

    def test_chunks_commit_with_their_log_lines(self):
        log = self.queue()
        seen = []

        def commit(done):
            seen.append((done, log.rows_done, len(log.line_ids), len(self.partners())))
            return True

        self.assertTrue(log._run_in_background(commit=commit))
        # companies first (0 rows), then chunks of 2 rows each with their lines, then the ignored row
        self.assertEqual(seen[:3], [(0, 0, 0, 0), (2, 2, 2, 2), (2, 4, 4, 4)])
        self.assertEqual(log.state, "done")

    def test_resume_after_interruption_creates_no_duplicate(self):
        log = self.queue()
        calls = []

        def dies_after_first_chunk(done):
            calls.append(done)
            if len(calls) == 2:
                raise Interrupted
            return True

        # Not assertRaises: Odoo's rolls back to a savepoint, a killed worker's commits stay.
        try:
            log._run_in_background(commit=dies_after_first_chunk)
        except Interrupted:
            pass
        else:
            self.fail("the worker was not interrupted")
        self.assertEqual(log.state, "running")
        self.assertEqual((log.rows_done, len(self.partners())), (2, 2))
        companies = self.env["res.partner"].search(
            [("contact_import_log_id", "=", log.id), ("is_company", "=", True)]
        )
        self.assertEqual(len(companies), 2)
        # the next run continues after the last committed chunk
        self.assertTrue(log._run_in_background(commit=lambda done: True))
        self.assertEqual(log.state, "done")
        self.assertEqual(len(self.partners()), 4)
        self.assertEqual(
            sorted(self.partners().mapped("name")), ["Ann Lee", "Bob Roe", "Cid Diaz", "Eve Chen"]
        )
        again = self.env["res.partner"].search(
            [("contact_import_log_id", "=", log.id), ("is_company", "=", True)]
        )
        self.assertEqual(again, companies)
        self.assertEqual(sorted(log.line_ids.mapped("row_number")), [2, 3, 4, 5, 6])
        self.assertEqual((log.contacts_created, log.companies_created), (4, 2))

    def test_cancel_stops_after_the_current_chunk(self):
        log = self.queue()

        def commit(done):
            if log.rows_done:
                log.action_cancel()
            return True

        self.assertTrue(log._run_in_background(commit=commit))
        self.assertEqual(log.state, "cancelled")
        self.assertEqual(log.message, "Cancelled: 2 of 5 rows were processed and are logged.")
        self.assertEqual(len(self.partners()), 2)

    def test_cancel_before_start(self):
        log = self.queue()
        log.action_cancel()
        self.assertEqual((log.state, log.message), ("cancelled", "Cancelled before it started."))
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        self.env["contact.import.log"]._cron_process_queue()
        self.assertFalse(self.partners())

    def test_a_failing_job_is_marked_failed_and_resumes_without_duplicates(self):
        log = self.queue()
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        self.patch(self.env.cr, "rollback", lambda: None)  # a real worker rolls back to its last commit
        self.patch(self.env.cr, "commit", lambda: None)
        original_execute = ImportExecutor.execute
        calls = []

        def execute(executor, commit=None, chunk_size=None):
            calls.append(1)
            if len(calls) == 1:
                executor.prepare()
                commit(0)  # the companies are committed, then the database goes away
                raise OSError("server closed the connection unexpectedly")
            return original_execute(executor, commit=commit, chunk_size=chunk_size)

        self.patch(ImportExecutor, "execute", execute)
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "failed")
        self.assertIn("server closed the connection unexpectedly", log.message)
        self.assertIn("Resume continues with the other rows.", log.message)
        # every row is logged: none was written (only the companies were), all are "not done"
        self.assertEqual(sorted(log.line_ids.mapped("status")), ["not_done"] * 5)
        self.assertEqual(log.line_ids[0].message, "Not done: the import stopped before this row.")
        log.action_resume()
        self.assertFalse(log.line_ids)
        self.assertEqual(log.state, "queued")
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "done")
        self.assertEqual((log.contacts_created, log.companies_created), (4, 2))
        self.assertEqual(len(self.partners()), 4)

    def test_the_duration_counts_every_slice_and_the_waits_between_them(self):
        log = self.queue()
        time_left = {"value": 0}  # Odoo's time for the first run is up after one chunk
        self.patch(type(log), "_cron_commit", lambda self, done: time_left["value"])
        with freeze_time("2026-03-02 10:00:00"):
            self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "running")
        self.assertEqual(log.rows_done, 2)
        time_left["value"] = 10
        with freeze_time("2026-03-02 10:00:42"):
            self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "done")
        # what its user waited, from the first slice to the end: not the last slice alone
        self.assertAlmostEqual(log.duration, 42, delta=1)

    def test_background_job_runs_with_the_importer_rights(self):
        log = self.queue()
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        users = []
        original = ImportExecutor.execute

        def execute(executor, *args, **kwargs):
            users.append(executor.env.user)
            return original(executor, *args, **kwargs)

        self.patch(ImportExecutor, "execute", execute)
        self.env["contact.import.log"].sudo()._cron_process_queue()
        self.assertEqual(users, [self.manager_user])
        self.assertEqual(log.state, "done")


if importlib.util.find_spec("odoo.addons.queue_job"):
    from odoo.addons.queue_job.tests.common import trap_jobs

    @tagged("post_install", "-at_install")
    class TestQueueJob(ContactImportCase):
        def test_queue_job_runs_the_import_when_installed(self):
            self.assertTrue(
                self.env["contact.import.log"]._use_queue_job(), "queue_job is importable: install it"
            )
            self.env["ir.config_parameter"].sudo().set_param(
                "contact_import_wizard.background_threshold", "3"
            )
            wizard = self.upload(FILE.encode(), "big.csv").save()
            for _step in range(4):
                wizard.action_next()
            self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.chunk_size", "2")
            with trap_jobs() as trap:
                log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
                # companies, then one job per chunk of 2 rows (run in parallel), then the end
                trap.assert_jobs_count(1, only=log._job_prepare)
                trap.assert_jobs_count(2, only=log._job_chunk)
                trap.assert_jobs_count(1, only=log._job_finish)
                self.assertEqual({job.channel for job in trap.enqueued_jobs}, {"root.contact_import"})
                self.assertEqual({job.user_id for job in trap.enqueued_jobs}, {self.manager_user.id})
                self.assertEqual(log.state, "queued")
                trap.perform_enqueued_jobs()
            self.assertEqual(log.state, "done")
            self.assertEqual((log.contacts_created, log.companies_created), (4, 2))
