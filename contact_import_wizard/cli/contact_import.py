# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Headless contact import for administrators.

    odoo-bin --addons-path=... contact_import -c odoo.conf -d DB --file contacts.csv \\
        [--mapping NAME] [--unmatched create|skip] [--link-threshold 0-100] \\
        [--duplicates skip|update|create] [--dry-run] [--background] [--login USER]
    odoo-bin --addons-path=... contact_import -c odoo.conf -d DB --resume LOG_ID

It drives the same wizard, engine and executor as the web client and writes the same
import log, then runs the import to its end in this process, whatever the file's size,
committing chunk by chunk like the background job (an interrupted run continues with
``--resume LOG_ID``), with its progress on stderr. ``--background`` queues it for the
server's jobs instead. Prints exactly one JSON object on stdout, which always says the
log's ``state``; on failure, exits 2 with one line on stderr.
"""

import base64
import json
import optparse
import os
import sys
import time

from odoo import api
from odoo.cli.command import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import config

MAX_ATTEMPTS = 5


class ContactImportFailed(Exception):
    pass


class Progress:
    """Progress on stderr: a bar on a terminal, one line per chunk otherwise."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.shown = None

    def show(self, done, total):
        if done == self.shown or (not done and total):
            return  # once per committed chunk that wrote rows
        self.shown = done
        rate = done / max(time.monotonic() - self.started, 1e-6)
        share = done / total if total else 1.0
        if self.tty:
            bar = "#" * int(share * 30)
            self.stream.write(f"\r[{bar:<30}] {share:6.1%} {done:,}/{total:,} rows, {rate:,.0f} rows/s")
        else:
            self.stream.write(f"contact_import: {done:,}/{total:,} rows ({share:.0%}), {rate:,.0f} rows/s\n")
        self.stream.flush()

    def end(self):
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class ContactImport(Command):
    """Import contacts from a CSV or XLSX file, like Contacts > Import Contacts."""

    name = "contact_import"

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = self.prog
        group = optparse.OptionGroup(parser, "Contact import")
        group.add_option("--file", dest="cim_file", help="CSV or XLSX file to import")
        group.add_option("--mapping", dest="cim_mapping", help="name of a saved mapping template")
        group.add_option(
            "--unmatched",
            dest="cim_unmatched",
            choices=["create", "skip"],
            help="companies not found in Odoo: create them (default) or skip their contacts",
        )
        group.add_option(
            "--link-threshold",
            dest="cim_threshold",
            type="int",
            help="link a company not found exactly to its best suggestion scoring at least this (0-100)",
        )
        group.add_option(
            "--duplicates",
            dest="cim_duplicates",
            choices=["skip", "update", "create"],
            help="contacts already in Odoo (same email): skip, update or create anyway "
            "(default: the mapping's, else skip)",
        )
        group.add_option(
            "--dry-run", dest="cim_dry_run", action="store_true", help="write nothing but the log"
        )
        group.add_option(
            "--background",
            dest="cim_background",
            action="store_true",
            help="queue the import for the server's background jobs instead of running it here",
        )
        group.add_option(
            "--resume", dest="cim_resume", type="int", help="continue the interrupted import of this log"
        )
        group.add_option("--login", dest="cim_login", help="run with this user's rights (default: admin)")
        parser.add_option_group(group)
        options = config.parse_config(cmdargs, setup_logging=True)
        # Defaults set here: Odoo's option parser takes none of its own for a command's options.
        options.cim_login = options.cim_login or "admin"
        options.cim_unmatched = options.cim_unmatched or "create"
        try:
            summary = self._run(options)
        except ContactImportFailed as exc:
            sys.stderr.write(f"contact_import: {exc}\n")
            sys.exit(2)
        sys.stdout.write(json.dumps(summary) + "\n")
        sys.stdout.flush()

    def _run(self, options):
        started = time.monotonic()
        databases = config["db_name"]
        if not databases or len(databases) != 1:
            raise ContactImportFailed("give exactly one database with -d")
        if options.cim_resume is None and (not options.cim_file or not os.path.isfile(options.cim_file)):
            raise ContactImportFailed(f"file not found: {options.cim_file}")
        if options.cim_threshold is not None and not 0 <= options.cim_threshold <= 100:
            raise ContactImportFailed("--link-threshold takes a number from 0 to 100")
        registry = Registry(databases[0])
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            user = env["res.users"].search([("login", "=", options.cim_login)], limit=1)
            if not user:
                raise ContactImportFailed(f"no user with login {options.cim_login!r}")
            env = env(user=user.id, context=dict(user.context_get()))
            if not user.has_group("contact_import_wizard.group_contact_import"):
                raise ContactImportFailed(f"user {options.cim_login!r} is not allowed to import contacts")
            if options.cim_resume is not None:
                log = self._resumable(env, options.cim_resume)
            else:
                with open(options.cim_file, "rb") as handle:
                    data = handle.read()
                log = self._attempts(cr, env, lambda: self._run_wizard(env, options, data))
            if log.state == "queued" and log.runner == "command":
                self._execute(cr, env, log)
            env.invalidate_all()
            return {
                "log_id": log.id,
                "state": log.state,
                "rows": log.rows_total,
                "rows_done": log.rows_done,
                "contacts_created": log.contacts_created,
                "contacts_updated": log.contacts_updated,
                "companies_created": log.companies_created,
                "linked": log.contacts_linked,
                "ignored": log.rows_ignored,
                "errors": log.rows_error,
                "seconds": round(time.monotonic() - started, 3),
            }

    def _attempts(self, cr, env, step):
        """Run ``step`` and commit; on a concurrent import's conflict run it again, on a
        snapshot where the other's companies exist (as Odoo does for a web request)."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                value = step()
                cr.commit()
                return value
            except (UserError, AccessError) as exc:
                cr.rollback()
                raise ContactImportFailed(" ".join(str(exc.args[0] if exc.args else exc).split())) from None
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                cr.rollback()
                env.invalidate_all()
                if attempt == MAX_ATTEMPTS:
                    raise ContactImportFailed("concurrent imports kept conflicting; try again") from None
        return None

    def _resumable(self, env, log_id):
        log = env["contact.import.log"].browse(log_id).exists()
        if not log or not log.has_access("read"):
            raise ContactImportFailed(f"no import log {log_id} readable by this user")
        if log.user_id != env.user:
            raise ContactImportFailed(
                f"import log {log_id} was started by another user; resume it with --login"
            )
        if log.state in ("failed", "cancelled"):
            log.line_ids.filtered(lambda line: line.status == "not_done").sudo().unlink()
            log.sudo().write({"cancel_requested": False, "message": False, "date_end": False})
        elif log.state not in ("queued", "running"):
            raise ContactImportFailed(f"import log {log_id} is {log.state}: there is nothing to resume")
        log.sudo().write({"state": "queued", "runner": "command"})
        env.cr.commit()
        return log

    def _execute(self, cr, env, log):
        """Run the import to its end here, a committed chunk at a time."""
        progress = Progress()
        log = log.with_env(env)

        def commit(done):
            cr.commit()
            log.invalidate_recordset()
            progress.show(log.rows_done, log.rows_total)
            return True

        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                log._run_in_background(commit=commit)
                break
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                cr.rollback()  # back to the last committed chunk; go on from there
                env.invalidate_all()
                if attempt == MAX_ATTEMPTS:
                    raise ContactImportFailed(
                        f"concurrent imports kept conflicting; run again with --resume {log.id}"
                    ) from None
            except Exception as exc:  # noqa: BLE001 - the log says it failed and why
                cr.rollback()
                env.invalidate_all()
                log._mark_failed(exc)
                cr.commit()
                break
        progress.end()

    def _run_wizard(self, env, options, data):
        wizard = env["contact.import.wizard"].create(
            {"file": base64.b64encode(data), "file_name": os.path.basename(options.cim_file)}
        )
        if options.cim_mapping:
            template = env["contact.import.mapping"].search([("name", "=", options.cim_mapping)], limit=1)
            if not template:
                raise ContactImportFailed(f"no mapping template named {options.cim_mapping!r}")
            wizard.mapping_template_id = template
        wizard.action_next()  # upload -> mapping
        if options.cim_duplicates:
            wizard.duplicate_policy = options.cim_duplicates
        wizard.action_next()  # mapping -> validation
        wizard.action_next()  # validation -> reference
        wizard._decide_unattended(options.cim_threshold, options.cim_unmatched)
        wizard.action_next()  # reference -> review
        if options.cim_dry_run:
            return wizard._import(dry_run=True)
        if options.cim_background:
            return wizard._import(background=True)
        return wizard._import(defer=True)
