"""The cron path run by Odoo's own job runner (ir.cron's _process_job), not by calling
the addon's method: what Odoo sees of the import's progress decides whether it runs the
job again at once or in a minute.

A TransactionCase cannot commit: like Odoo's own tests of ir.cron, the job runs in the
registry's test mode, where the job's commits are savepoints of the test's transaction.
"""

from odoo.tests import tagged

from odoo.addons.base.models import ir_cron

from .common import ContactImportCase

ROWS = [
    ("Ann Lee", "ann@cron.example", "Cron Foods"),
    ("Bob Roe", "bob@cron.example", "cron foods"),
    ("Cid Diaz", "cid@cron.example", "Runner Labs"),
    ("Dan Kim", "not-an-email", "Cron Foods"),
    ("Eve Chen", "eve@cron.example", ""),
    ("Fay Ito", "fay@cron.example", "Runner Labs"),
    ("Gus Berg", "gus@cron.example", "Cron Foods"),
]
CHUNK = 2


@tagged("post_install", "-at_install")
class TestCronRunner(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The import runs as the users run it: with tracking (only the job's env differs).
        cls.env = cls.env(context={k: v for k, v in cls.env.context.items() if k != "tracking_disable"})
        cls.cron = cls.env.ref("contact_import_wizard.ir_cron_contact_import")

    def setUp(self):
        super().setUp()
        # The cron path, whether queue_job is installed in this database or not.
        self.patch(type(self.env["contact.import.log"]), "_use_queue_job", lambda self: False)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("contact_import_wizard.background_threshold", "3")
        params.set_param("contact_import_wizard.chunk_size", str(CHUNK))
        # Each run of the job is given no time at all and is run once (Odoo gives it ten
        # seconds and at least ten runs): every run ends with rows left.
        self.patch(ir_cron, "MIN_TIME_PER_JOB", 0)
        self.patch(ir_cron, "MIN_RUNS_PER_JOB", 1)
        IrCron = type(self.env["ir.cron"])
        run_job = IrCron._run_job.__func__
        self.statuses = []

        def recording_run_job(cls, job):
            status = run_job(cls, job)
            self.statuses.append(status)
            return status

        self.patch(IrCron, "_run_job", classmethod(recording_run_job))

    def queue(self):
        content = "Name,Email,Company\n" + "".join(f"{n},{e},{c}\n" for n, e, c in ROWS)
        wizard = self.upload(content.encode(), "cron.csv").save()
        for _step in range(4):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.state, log.runner), ("queued", "cron"))
        return log

    def run_cron_once(self):
        """One run of the job, as a cron worker does it once the job is due."""
        self.env.flush_all()
        job = {**self.cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        with self.enter_registry_test_mode(), self.registry.cursor() as cron_cr:
            self.registry["ir.cron"]._process_job(cron_cr, job)
        self.env.invalidate_all()

    def last_progress(self):
        Progress = self.env["ir.cron.progress"].sudo()
        return Progress.search([("cron_id", "=", self.cron.id)], order="id desc", limit=1)

    def is_due(self):
        return self.cron.id in [job["id"] for job in self.env["ir.cron"]._get_all_ready_jobs(self.env.cr)]

    def test_each_run_moves_on_and_tells_odoo_rows_are_left_until_the_end(self):
        log = self.queue()
        self.assertTrue(self.is_due(), "the Import click makes the job due")
        contacts = len(ROWS) - 1  # one row has an invalid email: ignored, logged at the end
        done_seen = []
        for _run in range(10):
            self.run_cron_once()
            done_seen.append(log.rows_done)
            if log.state == "done":
                break
            progress = self.last_progress()
            # Odoo sees work done and work left: the job is partially done, due again at once.
            self.assertEqual(self.statuses[-1], ir_cron.CompletionStatus.PARTIALLY_DONE)
            self.assertGreater(progress.done, 0)
            self.assertEqual(progress.remaining, log.rows_total - log.rows_done)
            self.assertGreater(progress.remaining, 0)
            self.assertTrue(self.is_due(), "a partially done job is due again at once")
        self.assertEqual(log.state, "done")
        # a chunk per run, the ignored row logged with the last one
        self.assertEqual(done_seen, [2, 4, 6, 7])
        self.assertEqual(self.statuses[-1], ir_cron.CompletionStatus.FULLY_DONE)
        self.assertEqual(self.last_progress().remaining, 0)
        # every row logged once; every valid row a contact, once
        self.assertEqual(sorted(log.line_ids.mapped("row_number")), list(range(2, len(ROWS) + 2)))
        partners = self.env["res.partner"].search([("email", "like", "@cron.example")])
        self.assertEqual(len(partners), contacts)
        self.assertEqual(len(set(partners.mapped("email"))), contacts)
        self.assertEqual((log.contacts_created, log.companies_created, log.rows_ignored), (6, 2, 1))
