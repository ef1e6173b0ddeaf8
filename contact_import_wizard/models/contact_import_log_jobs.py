# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Background imports: queued above a row threshold, run by queue_job or the addon's
cron in committed chunks; resume, cancel and the end-of-import notification."""

import logging

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.plan import Decision, build_plan
from .contact_import_executor import ImportExecutor, friendly_error

_logger = logging.getLogger(__name__)


class ContactImportLog(models.Model):
    _inherit = "contact.import.log"

    def _rebuild_plan(self):
        """The plan of this log, from its own file, mapping, decisions and options."""
        self.ensure_one()
        options = self.options or {}
        _table, result = self.env["contact.import.engine"]._validate_file(
            self.attachment_id.raw,
            self.file_name or "",
            options.get("reading") or {},
            self.mapping_used or {},
        )
        decisions = {
            key: Decision(value["decision"], value.get("company_id"))
            for key, value in (self.decisions or {}).items()
        }
        return result, build_plan(result, decisions, options.get("duplicate_policy", "skip"))

    def _enqueue(self):
        """Hand the import to a background job: queue_job when installed, else the cron."""
        self.write({"state": "queued"})
        if self._use_queue_job():
            self.with_delay(description=self.name)._run_in_background()
        else:
            self.env.ref("contact_import_wizard.ir_cron_contact_import").sudo()._trigger()

    @api.model
    def _use_queue_job(self):
        """queue_job is optional: used when it is installed in the database."""
        return "queue.job" in self.env and hasattr(self, "with_delay")

    @api.model
    def _cron_process_queue(self):
        """Run the queued imports, and resume those a stopped worker left running."""
        if self._use_queue_job():
            return  # queue_job runs them, and requeues the jobs of a stopped worker
        for log in self.search([("state", "in", ("queued", "running"))], order="id"):
            try:
                # Each import runs with the rights of the user who started it.
                finished = log.with_user(log.user_id)._run_in_background()
            except SerializationFailure:
                # A concurrent import created one of its companies: start again from the
                # last committed chunk, on a snapshot where that company exists.
                _logger.info("Contact import %s met a concurrent import, retrying", log.id)
                self.env.cr.rollback()
                self.env.ref("contact_import_wizard.ir_cron_contact_import").sudo()._trigger()
                self.env.cr.commit()
                continue
            except Exception as exc:
                _logger.exception("Contact import %s stopped", log.id)
                self.env.cr.rollback()  # back to its last committed chunk
                log._mark_failed(exc)
                self.env.cr.commit()
                continue
            if not finished:
                break  # out of time: the cron is triggered again for the rest

    def _execute(self, result, plan, options, commit=None, chunk_size=None):
        """Write ``plan`` (engine Plan for engine Result ``result``) and log every row; see
        ImportExecutor.execute."""
        return ImportExecutor(self, result, plan, options).execute(commit=commit, chunk_size=chunk_size)

    def _dry_run(self, result, plan, options):
        ImportExecutor(self, result, plan, options).dry_run()

    def _execute_or_fail(self, result, plan, options):
        """Execute in the request; if the import breaks down as a whole (not one row), it
        is rolled back to before its first write and the log says so, row by row."""
        try:
            with self.env.cr.savepoint():
                self._execute(result, plan, options)
        except SerializationFailure:
            raise  # a concurrent import: Odoo runs the request again
        except Exception as exc:
            _logger.exception("Contact import %s stopped", self.id)
            self.env.invalidate_all()
            self._mark_failed(exc)

    def _mark_failed(self, exc):
        self.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
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
        try:
            result, _plan = self._rebuild_plan()
        except UserError:
            return  # the file itself cannot be read: no row was done, the message says why
        done = set(self.line_ids.mapped("row_number"))
        message = self.env._("Not done: the import stopped before this row.")
        self.env["contact.import.log.line"].create(
            [
                {
                    "log_id": self.id,
                    "row_number": record.row,
                    "status": "not_done",
                    "message": message,
                    "values": list(record.raw),
                }
                for record in result.records
                if record.row not in done
            ]
        )

    def action_resume(self):
        """Queue a failed or cancelled import again: it continues with the rows not done."""
        self.check_access("write")
        for log in self.filtered(lambda log: log.state in ("failed", "cancelled")):
            # The log's own "not done" placeholders, replaced by the rows' real outcome;
            # import users may not delete log lines otherwise.
            log.line_ids.filtered(lambda line: line.status == "not_done").sudo().unlink()
            log.write({"cancel_requested": False, "message": False, "date_end": False})
            log._enqueue()

    def _cron_commit(self, done):
        """Commit a chunk (through the cron's progress, when run by the cron)."""
        time_left = self.env["ir.cron"].sudo()._commit_progress(done)
        self.invalidate_recordset(["cancel_requested"])
        return time_left > 0

    def _run_in_background(self, commit=None):
        """Execute this queued (or interrupted) import chunk by chunk, committing each.

        Returns False when it stopped before the end (out of time); True otherwise."""
        self.ensure_one()
        commit = commit or self._cron_commit
        try:
            result, plan = self._rebuild_plan()
        except UserError as exc:
            self.write({"state": "failed", "message": str(exc.args[0]), "date_end": fields.Datetime.now()})
            self._notify_end()
            commit(0)
            return True

        def checkpoint(done):
            if not commit(done):
                return False
            if self.cancel_requested:
                self.write(
                    {
                        "state": "cancelled",
                        "date_end": fields.Datetime.now(),
                        "message": self.env._(
                            "Cancelled: %(done)s of %(total)s rows were processed and are logged.",
                            done=self.rows_done,
                            total=self.rows_total,
                        ),
                    }
                )
                self._notify_end()
                commit(0)
                return False
            return True

        finished = self._execute(
            result,
            plan,
            self.options or {},
            commit=checkpoint,
            chunk_size=self.env["contact.import.engine"]._chunk_size(),
        )
        if finished:
            self._notify_end()
            commit(0)
        return finished or self.state == "cancelled"

    def action_cancel(self):
        """Stop a background import after its current chunk."""
        for log in self:
            if log.state == "queued":
                log.write({"state": "cancelled", "message": self.env._("Cancelled before it started.")})
            elif log.state == "running":
                log.cancel_requested = True

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
        self.message_post(body=message)
        self.user_id._bus_send(
            "simple_notification",
            {
                "title": self.env._("Contact import"),
                "message": message,
                "sticky": True,
                "type": "success" if self.state == "done" else "warning",
            },
        )
