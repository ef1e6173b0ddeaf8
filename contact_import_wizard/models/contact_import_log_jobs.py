# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Background imports: queued above a row threshold and run, chunk by chunk, by queue_job
(each chunk its own job, so several workers share one file) or by the addon's cron;
resume, cancel and the end-of-import notification.

Every job runs with the rights of the user who started the import (``user_id``, which
only the server writes), and writes the log with ``sudo()`` once it checked that."""

import hashlib
import logging
import threading
from collections import OrderedDict
from contextlib import closing

import psycopg2

from odoo import api, fields, models, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, config

from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION

from .contact_import_executor import ImportExecutor, friendly_error

_logger = logging.getLogger(__name__)

QUEUE_JOB_CHANNEL = "root.contact_import"
CRON_XMLID = "contact_import_wizard.ir_cron_contact_import"

# A background import runs chunk after chunk, each in a job or a cron slice of its own, and
# each needs the plan: 100,000 rows take a second and ~150 MB to read. The plan of the
# import being run is kept by the process (by database, log and checksum of the stored
# plan), read once, not once per chunk. One only: a second import replaces it.
_PLAN_CACHE = OrderedDict()
_PLAN_CACHE_LOCK = threading.Lock()
_PLAN_CACHE_SIZE = 1
# Seconds after a registry is loaded at which its cron workers are woken (see
# ContactImportLog._wake_cron_workers): a worker that starts late (a loaded machine) is
# woken by a later one. Waking a worker that has nothing to do costs it one look.
WAKE_CRON_AFTER = (2, 5, 10, 20, 40)


def _notify_cron_workers(dbname):
    """What ir.cron._notifydb does: wake the cron workers of every server for ``dbname``.

    On a connection of its own, not one of the pool: a prefork server's main process,
    where this runs after loading the registry, closes the pool's connections when it
    spawns a worker."""
    try:
        _name, params = sql_db.connection_info_for("postgres")
        query = SQL("SELECT %s('cron_trigger', %s)", SQL.identifier(ODOO_NOTIFY_FUNCTION), dbname)
        with closing(psycopg2.connect(**params)) as connection, connection.cursor() as cr:
            connection.autocommit = True
            cr.execute(query.code, query.params)
    except Exception:  # a missed wake-up only waits for the workers' next poll
        _logger.warning("Could not wake the cron workers of %s", dbname, exc_info=True)


class ContactImportLog(models.Model):
    _inherit = "contact.import.log"

    runner = fields.Selection(
        [
            ("request", "Web request"),
            ("cron", "Scheduled action"),
            ("queue_job", "Job queue"),
            ("command", "Command"),
        ],
        readonly=True,
        help="What runs this import: the cron resumes only the imports it runs itself.",
    )

    # -- what every run checks first -------------------------------------------------------
    def _check_file_and_limits(self):
        """The file a job is about to import must be the one validated, within the limits."""
        self.ensure_one()
        data = self.sudo().attachment_id.raw or b""
        if self.file_checksum and self._checksum(data) != self.file_checksum:
            raise UserError(self.env._("The file of this import changed since it was validated."))
        self.env["contact.import.engine"]._check_limits(data, self.file_name or "", self.rows_total)

    @staticmethod
    def _checksum(data):
        return hashlib.sha1(data).hexdigest()

    def _executor(self):
        self.ensure_one()
        plan = self._cached_plan()
        if plan is None:
            raise UserError(self.env._("This import has no reviewed plan to execute."))
        return ImportExecutor(self, plan, self.options or {})

    def _cached_plan(self):
        """The reviewed plan, read once per process (see _PLAN_CACHE), keyed by the
        checksum kept on the log. The executor only reads it."""
        self.ensure_one()
        checksum = self.sudo().plan_checksum
        if not checksum:
            return None
        key = (self.env.cr.dbname, self.id, checksum)
        with _PLAN_CACHE_LOCK:
            plan = _PLAN_CACHE.get(key)
            if plan is not None:
                _PLAN_CACHE.move_to_end(key)
                return plan
        plan = self._load_plan()
        if plan is not None:
            with _PLAN_CACHE_LOCK:
                _PLAN_CACHE[key] = plan
                while len(_PLAN_CACHE) > _PLAN_CACHE_SIZE:
                    _PLAN_CACHE.popitem(last=False)
        return plan

    def _execute_plan(self, plan, commit=None, chunk_size=None):
        """Write ``plan`` for this log now (in this transaction unless ``commit`` commits)."""
        return ImportExecutor(self, plan, self.options or {}).execute(commit=commit, chunk_size=chunk_size)

    def _dry_run(self, plan):
        """Run the plan in a savepoint rolled back: the log says what an import would do."""
        self.sudo().runner = "request"
        ImportExecutor(self, plan, self.options or {}).dry_run()

    def _execute_or_fail(self, plan):
        """Execute in the request; if the import breaks down as a whole (not one row), it
        is rolled back to before its first write and the log says so, row by row."""
        self.sudo().runner = "request"
        try:
            with self.env.cr.savepoint():
                self._execute_plan(plan)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # a concurrent import: Odoo runs the request again
        except Exception as exc:
            _logger.exception("Contact import %s stopped", self.id)
            self.env.invalidate_all()
            self._mark_failed(exc)

    # -- queueing ------------------------------------------------------------------------
    def _enqueue(self):
        """Hand the import to background jobs: queue_job when installed, else the cron."""
        self.ensure_one()
        if self._use_queue_job():
            self.sudo().write({"state": "queued", "runner": "queue_job"})
            self._enqueue_queue_jobs()
        else:
            self.sudo().write({"state": "queued", "runner": "cron"})
            self.env.ref(CRON_XMLID).sudo()._trigger()

    @api.model
    def _use_queue_job(self):
        """queue_job is optional: used when it is installed in the database."""
        return "queue.job" in self.env and hasattr(self, "delayable")

    def _enqueue_queue_jobs(self):
        """One job creates the companies, then one job per chunk of rows (several workers
        run them at once), then one closes the log. Queued as the importing user."""
        from odoo.addons.queue_job.delay import chain, group  # optional dependency

        log = self.with_user(self.user_id)
        size = self.env["contact.import.engine"]._chunk_size()
        rows = log._executor().rows_to_do()
        chunks = [rows[start : start + size] for start in range(0, len(rows), size)]

        def job(description):
            return log.delayable(channel=QUEUE_JOB_CHANNEL, description=description)

        steps = [job(self.env._("%(log)s: companies", log=self.name))._job_prepare()]
        if chunks:
            steps.append(
                group(
                    *(
                        job(
                            self.env._(
                                "%(log)s: rows %(first)s-%(last)s", log=self.name, first=c[0], last=c[-1]
                            )
                        )._job_chunk(c)
                        for c in chunks
                    )
                )
            )
        steps.append(job(self.env._("%(log)s: end", log=self.name))._job_finish())
        chain(*steps).delay()

    def _job_prepare(self):
        if self._job_cancelled():
            return
        self._check_file_and_limits()
        self._executor().prepare()

    def _job_chunk(self, rows):
        if self._job_cancelled() or self.state != "running":
            return
        try:
            self._executor().write_rows(rows)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # queue_job retries the chunk on a fresh snapshot
        except Exception as exc:
            _logger.exception("Contact import %s stopped", self.id)
            self.env.cr.rollback()
            self._mark_failed(exc)
            self.env.cr.commit()
            raise

    def _job_finish(self):
        if self._job_cancelled() or self.state != "running":
            return
        self._executor().finish()
        self._notify_end()

    def _job_cancelled(self):
        if self.state == "cancelled":
            return True
        if self.cancel_requested:
            self._set_cancelled()
            return True
        return False

    # -- the cron ----------------------------------------------------------------------------
    def _register_hook(self):
        super()._register_hook()
        self._wake_cron_workers()

    def _wake_cron_workers(self):
        """After a server stopped in the middle of an import (killed, crashed), its cron
        import is left running, and due (its triggers were not consumed): but Odoo's cron
        workers, once started, sleep up to a minute before they first look for due jobs.
        When this registry is loaded (the server starting again), wake them as soon as they
        listen, so that the import goes on at once."""
        if config["test_enable"] or config["stop_after_init"]:
            return
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM contact_import_log WHERE runner = 'cron' AND state IN %s LIMIT 1",
                ("queued", "running", "reverting"),
            )
        )
        if not self.env.cr.fetchone():
            return
        for delay in WAKE_CRON_AFTER:
            timer = threading.Timer(delay, _notify_cron_workers, args=(self.env.cr.dbname,))
            timer.daemon = True
            timer.start()

    @api.model
    def _cron_process_queue(self):
        """Run the imports (and reverts) queued for the cron, and resume those a stopped
        worker left running. Tells Odoo how many rows are left after each chunk, so that it
        keeps the job going and runs it again at once when its time is up."""
        logs = self.sudo().search(
            [("state", "in", ("queued", "running", "reverting")), ("runner", "=", "cron")], order="id"
        )
        if not logs:
            return
        # While rows are left, the job is due again at once: after a run that ran out of
        # time, or a worker that died in the middle of one, the next cron poll takes it up
        # (Odoo's own "again as soon as possible" waits for the workers' next poll, up to
        # a minute; the trigger's notification, sent at the run's first commit, wakes them
        # as soon as this run ends).
        self.env.ref(CRON_XMLID).sudo()._trigger()
        for log in logs:
            try:
                if log.state == "reverting":
                    # A revert runs with the rights of the manager who asked for it.
                    finished = (
                        log.with_user(log.revert_user_id)._revert(
                            force=log.revert_force, commit=lambda log=log: log._cron_commit(1)
                        )
                        is not None
                    )
                else:
                    # Each import runs with the rights of the user who started it.
                    finished = log.with_user(log.user_id)._run_in_background()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # A concurrent import created one of its companies: start again from the
                # last committed chunk, on a snapshot where that company exists.
                _logger.info("Contact import %s met a concurrent transaction, retrying", log.id)
                self.env.cr.rollback()
                self.env.ref(CRON_XMLID).sudo()._trigger()
                self.env.cr.commit()
                continue
            except Exception as exc:
                _logger.exception("Contact import %s stopped", log.id)
                self.env.cr.rollback()  # back to its last committed chunk
                if log.state == "reverting":
                    log.sudo().write({"state": "failed", "message": friendly_error(self.env, exc)})
                else:
                    log.with_user(log.user_id)._mark_failed(exc)
                self.env.cr.commit()
                continue
            if not finished:
                break  # out of time: Odoo runs the job again at once for the rest

    @api.model
    def _rows_left(self):
        """Rows the cron still has to write (or revert), over every log it runs."""
        logs = self.sudo().search(
            [("state", "in", ("queued", "running", "reverting")), ("runner", "=", "cron")]
        )
        left = 0
        for log in logs:
            if log.state == "reverting":
                left += log.contacts_created + log.contacts_updated or 1
            else:
                left += max(log.rows_total - log.rows_done, 0)
        return left

    def _enqueue_revert(self):
        """Run a large revert in the background, with the rights of who asked for it."""
        self.ensure_one()
        if self._use_queue_job():
            self.sudo().runner = "queue_job"
            self.with_user(self.revert_user_id).delayable(
                channel=QUEUE_JOB_CHANNEL, description=self.env._("%(log)s: revert", log=self.name)
            )._job_revert().delay()
        else:
            self.sudo().runner = "cron"
            self.env.ref(CRON_XMLID).sudo()._trigger()

    def _job_revert(self):
        if self.state == "reverting":
            self._revert(force=self.revert_force)

    def _cron_commit(self, done):
        """Commit a chunk through the cron's progress; returns whether time is left."""
        time_left = self.env["ir.cron"].sudo()._commit_progress(done, remaining=self._rows_left())
        self.invalidate_recordset(["cancel_requested", "state"])
        return time_left > 0

    def _run_in_background(self, commit=None):
        """Execute this queued (or interrupted) import chunk by chunk, committing each.

        Returns False when it stopped before the end (out of time); True otherwise."""
        self.ensure_one()
        commit = commit or self._cron_commit
        try:
            self._check_file_and_limits()
            executor = self._executor()
        except UserError as exc:
            self.sudo().write(
                {"state": "failed", "message": str(exc.args[0]), "date_end": fields.Datetime.now()}
            )
            self._notify_end()
            commit(0)
            return True

        def checkpoint(done):
            time_left = commit(done)
            if self.cancel_requested:
                self._set_cancelled()
                commit(0)
                return False
            # Out of time, a run stops after a chunk, never before its first one: each run
            # moves the import on, however short the time it was given.
            return bool(time_left) or not done

        chunk_size = self.env["contact.import.engine"]._chunk_size()
        finished = executor.execute(commit=checkpoint, chunk_size=chunk_size)
        if finished:
            self._notify_end()
            commit(0)
        return finished or self.state == "cancelled"

    # -- failure, cancel, resume ---------------------------------------------------------------
    def _run_seconds(self):
        """Seconds since this run of the import started (a resume starts a new run): the
        time its user waited, chunks and the waits between them."""
        self.ensure_one()
        if not self.date_start or self.date_end:
            return 0.0
        return max((fields.Datetime.now() - self.date_start).total_seconds(), 0.0)

    def _mark_failed(self, exc):
        self.sudo().write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "duration": (self.duration or 0) + self._run_seconds(),
                "message": self.env._(
                    "The import stopped after %(done)s of %(total)s rows: %(error)s "
                    "What was written is logged; Resume continues with the other rows.",
                    done=self.rows_done,
                    total=self.rows_total,
                    error=friendly_error(self.env, exc),
                ),
            }
        )
        self._log_rows_not_done()
        self._notify_end()

    def _log_rows_not_done(self):
        """Log every row the import did not reach as not done, so that the log says, row by
        row, what was written and what was not."""
        plan = self._load_plan()
        if plan is None:
            return
        done = set(self.line_ids.mapped("row_number"))
        message = self.env._("Not done: the import stopped before this row.")
        rows = [(c.row, c.raw) for c in plan.contacts] + [(i.row, i.raw) for i in plan.ignored]
        self.env["contact.import.log.line"].sudo().create(
            [
                {
                    "log_id": self.id,
                    "row_number": row,
                    "status": "not_done",
                    "message": message,
                    "values": list(raw),
                }
                for row, raw in sorted(rows)
                if row not in done
            ]
        )

    def _set_cancelled(self):
        self.sudo().write(
            {
                "state": "cancelled",
                "date_end": fields.Datetime.now(),
                "duration": (self.duration or 0) + self._run_seconds(),
                "message": self.env._(
                    "Cancelled: %(done)s of %(total)s rows were processed and are logged.",
                    done=self.rows_done,
                    total=self.rows_total,
                ),
            }
        )
        self._notify_end()

    def _check_owner_or_manager(self):
        for log in self:
            if log.user_id != self.env.user and not self.env.su and not self._is_manager():
                raise AccessError(
                    self.env._("Only who started an import, or an import manager, can do this.")
                )

    def action_cancel(self):
        """Stop a background import after its current chunk (its owner or a manager)."""
        self.check_access("read")
        self._check_owner_or_manager()
        for log in self:
            if log.state == "queued":
                log.sudo().write(
                    {"state": "cancelled", "message": self.env._("Cancelled before it started.")}
                )
            elif log.state == "running":
                log.sudo().cancel_requested = True
            # a finished import has nothing left to cancel (the click raced its end)
        return True

    def action_resume(self):
        """Queue a failed or cancelled import again: it continues with the rows not done.
        Only who started it may, with the file and limits checked again."""
        self.check_access("read")
        for log in self:
            if log.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only who started an import can resume it."))
            if log.state not in ("failed", "cancelled") or log.dry_run or not log.plan_checksum:
                raise UserError(self.env._("Only a failed or cancelled import can be resumed."))
            log._check_file_and_limits()
            # The log's own "not done" placeholders, replaced by the rows' real outcome.
            log.line_ids.filtered(lambda line: line.status == "not_done").sudo().unlink()
            log.sudo().write(
                {
                    "cancel_requested": False,
                    "message": False,
                    "date_end": False,
                    "date_start": False,  # this run's start, for its rate
                    "rows_at_start": log.rows_done,
                }
            )
            log._enqueue()

    def _notify_end(self):
        message = self.env._(
            "Import of %(file)s: %(state)s. %(created)s contacts created, %(updated)s updated, "
            "%(companies)s companies created, %(ignored)s rows ignored, %(errors)s errors.",
            file=self.file_name,
            state=dict(self._fields["state"]._description_selection(self.env))[self.state],
            created=self.contacts_created,
            updated=self.contacts_updated,
            companies=self.companies_created,
            ignored=self.rows_ignored,
            errors=self.rows_error,
        )
        self.sudo().message_post(body=message)
        self.user_id._bus_send(
            "simple_notification",
            {
                "title": self.env._("Contact import"),
                "message": message,
                "sticky": True,
                "type": "success" if self.state == "done" else "warning",
            },
        )
