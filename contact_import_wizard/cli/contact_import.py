# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Headless contact import for administrators.

    odoo-bin --addons-path=... contact_import -c odoo.conf -d DB --file contacts.csv \\
        [--mapping NAME] [--unmatched create|skip] [--link-threshold 0-100] \\
        [--duplicates skip|update|create] [--dry-run] [--login USER]

Prints exactly one JSON object on stdout; on failure, exits non-zero with one line on
stderr. It drives the same wizard, engine and executor as the web client and writes the
same import log.
"""

import base64
import json
import optparse
import os
import sys
import time

from psycopg2.errors import SerializationFailure

from odoo import api
from odoo.cli.command import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tools import config

MAX_ATTEMPTS = 5


class ContactImportFailed(Exception):
    pass


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
            default="create",
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
        group.add_option("--login", dest="cim_login", default="admin", help="run with this user's rights")
        parser.add_option_group(group)
        options = config.parse_config(cmdargs, setup_logging=True)
        try:
            summary = self._import(options)
        except ContactImportFailed as exc:
            sys.stderr.write(f"contact_import: {exc}\n")
            sys.exit(2)
        sys.stdout.write(json.dumps(summary) + "\n")
        sys.stdout.flush()

    def _import(self, options):
        started = time.monotonic()
        databases = config["db_name"]
        if not databases or len(databases) != 1:
            raise ContactImportFailed("give exactly one database with -d")
        if not options.cim_file or not os.path.isfile(options.cim_file):
            raise ContactImportFailed(f"file not found: {options.cim_file}")
        if options.cim_threshold is not None and not 0 <= options.cim_threshold <= 100:
            raise ContactImportFailed("--link-threshold takes a number from 0 to 100")
        with open(options.cim_file, "rb") as handle:
            data = handle.read()
        registry = Registry(databases[0])
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            user = env["res.users"].search([("login", "=", options.cim_login)], limit=1)
            if not user:
                raise ContactImportFailed(f"no user with login {options.cim_login!r}")
            env = env(user=user.id, context=dict(user.context_get()))
            if not user.has_group("contact_import_wizard.group_contact_import"):
                raise ContactImportFailed(f"user {options.cim_login!r} is not allowed to import contacts")
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    log = self._run_wizard(env, options, data)
                    cr.commit()
                    break
                except (UserError, AccessError) as exc:
                    cr.rollback()
                    raise ContactImportFailed(
                        " ".join(str(exc.args[0] if exc.args else exc).split())
                    ) from None
                except SerializationFailure:
                    # Another import created one of the same companies meanwhile: run again,
                    # on a snapshot where it exists (as Odoo does for a web request).
                    cr.rollback()
                    env.invalidate_all()
                    if attempt == MAX_ATTEMPTS:
                        raise ContactImportFailed("concurrent imports kept conflicting; try again") from None
            return {
                "log_id": log.id,
                "rows": log.rows_total,
                "contacts_created": log.contacts_created,
                "contacts_updated": log.contacts_updated,
                "companies_created": log.companies_created,
                "linked": log.contacts_linked,
                "ignored": log.rows_ignored,
                "errors": log.rows_error,
                "seconds": round(time.monotonic() - started, 3),
            }

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
        for line in wizard.company_line_ids.filtered(lambda line: line.match_status != "matched"):
            best = line.suggestion_ids.sorted("sequence")[:1]
            threshold = options.cim_threshold
            if threshold is not None and best and not best.archived and best.score >= threshold:
                line.write({"decision": "link", "company_id": best.company_id.id, "decision_by_user": True})
            elif line.match_status == "ambiguous":
                # Several companies share this name: never guess, never add one more.
                line.write({"decision": "skip", "decision_by_user": True})
            else:
                line.write({"decision": options.cim_unmatched, "decision_by_user": True})
        wizard.action_next()  # validation -> reference
        wizard.action_next()  # reference -> review
        return wizard._import(dry_run=bool(options.cim_dry_run))
