"""Attacks by the lowest group that reaches the import (Contacts / Creation, which implies
Contact Import / User), written as the attacker's own calls, then the victim's action;
each asserts the refusal and that nothing moved."""

import base64
import gzip
import json

from psycopg2.errors import LockNotAvailable

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.contact_import_log_jobs import _PLAN_CACHE
from .common import ContactImportCase

FILE = b"Name,Email,Company\nAnn Lee,ann@atk.example,Attack Co\nBob Roe,bob@atk.example,Attack Co\n"


@tagged("post_install", "-at_install")
class TestAttacks(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attacker = cls.manager_user
        cls.victim = new_test_user(
            cls.env, login="cim_victim", groups="base.group_user,base.group_partner_manager", name="Victim"
        )
        cls.import_manager = new_test_user(
            cls.env,
            login="cim_atk_manager",
            groups="base.group_user,base.group_partner_manager,contact_import_wizard.group_contact_import_manager",
            name="Import Manager",
        )
        cls.bystander = cls.env["res.partner"].create(
            {"name": "Innocent Bystander", "email": "by@stander.example"}
        )
        cls.admin_partner = cls.env.ref("base.partner_admin")

    def wizard(self, user, data=FILE, name="atk.csv"):
        return (
            self.env["contact.import.wizard"]
            .with_user(user)
            .create({"file": base64.b64encode(data), "file_name": name})
        )

    def run_import(self, user, data=FILE):
        wizard = self.wizard(user, data)
        for _step in range(4):
            wizard.action_next()
        return self.env["contact.import.log"].browse(wizard.with_user(user).action_import()["res_id"])

    def log_values(self, log):
        log.invalidate_recordset()
        return log.read(["user_id", "state", "created_company_ids", "date_end", "attachment_id", "runner"])[0]

    # -- hole 1: run an import with someone else's rights ----------------------------------
    def test_an_import_user_cannot_make_the_cron_run_an_import_as_someone_else(self):
        log = self.run_import(self.attacker)
        before = self.log_values(log)
        admin = self.env.ref("base.user_admin")
        for vals in ({"user_id": admin.id}, {"state": "queued"}, {"runner": "cron", "state": "queued"}):
            with self.assertRaises(AccessError):
                log.with_user(self.attacker).write(vals)
        with self.assertRaises(AccessError):
            self.env["contact.import.log"].with_user(self.attacker).create(
                {"user_id": admin.id, "state": "queued", "runner": "cron", "file_name": "x.csv"}
            )
        self.assertEqual(self.log_values(log), before)
        partners = self.env["res.partner"].search_count([])
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    # -- hole 2: forge what a manager's Revert does -----------------------------------------
    def test_forged_log_lines_and_partner_links_never_reach_a_revert(self):
        log = self.run_import(self.attacker)
        Line = self.env["contact.import.log.line"].with_user(self.attacker)
        with self.assertRaises(AccessError):
            Line.create(
                {"log_id": log.id, "row_number": 9, "status": "created", "partner_id": self.bystander.id}
            )
        with self.assertRaises(AccessError):
            log.line_ids[:1].with_user(self.attacker).write(
                {"partner_id": self.bystander.id, "previous_values": {"email": "evil@atk.example"}}
            )
        with self.assertRaises(AccessError):
            log.with_user(self.attacker).write(
                {"created_company_ids": {"x": self.env.ref("base.main_partner").id}, "date_end": "2999-01-01"}
            )
        # the partner's own link to its import is set by the import only
        with self.assertRaises(AccessError):
            self.bystander.with_user(self.attacker).write({"contact_import_log_id": log.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.attacker).create(
                {"name": "Planted", "contact_import_log_id": log.id}
            )
        # a line the database holds for a partner the import did not create (a fault): spared
        self.env["contact.import.log.line"].sudo().create(
            {"log_id": log.id, "row_number": 99, "status": "created", "partner_id": self.admin_partner.id}
        )
        email = self.admin_partner.email
        log.with_user(self.import_manager)._revert()
        self.assertTrue(self.bystander.exists() and self.admin_partner.exists())
        self.assertEqual(self.admin_partner.email, email)
        self.assertFalse(
            self.env["res.partner"].search([("email", "in", ["ann@atk.example", "bob@atk.example"])])
        )
        self.assertEqual(log.state, "reverted")

    def test_only_the_server_writes_the_log_after_checking_who_asks(self):
        log = self.run_import(self.attacker)
        # resume and cancel are the owner's (cancel: a manager's too); revert a manager's
        with self.assertRaises(AccessError):
            log.with_user(self.victim).action_cancel()
        with self.assertRaises(AccessError):
            log.with_user(self.attacker)._revert()
        with self.assertRaises(AccessError):
            log.with_user(self.attacker).action_revert()
        with self.assertRaises(UserError):
            log.with_user(self.attacker).action_resume()  # done: nothing to resume
        self.assertEqual(log.state, "done")

    # -- hole 3: other users' wizards ----------------------------------------------------------
    def test_wizards_are_private_across_users_and_companies(self):
        mine = self.wizard(self.victim, name="secret.csv")
        for _step in range(2):
            mine.action_next()
        Wizard = self.env["contact.import.wizard"].with_user(self.attacker)
        self.assertFalse(Wizard.search([("id", "=", mine.id)]))
        with self.assertRaises(AccessError):
            Wizard.browse(mine.id).read(["file", "file_name"])
        with self.assertRaises(AccessError):
            Wizard.browse(mine.id).write({"file": base64.b64encode(b"Name\nEvil\n")})
        for model, records in (
            ("contact.import.wizard.column", mine.column_ids),
            ("contact.import.wizard.problem", mine.problem_ids),
            ("contact.import.wizard.company", mine.company_line_ids),
            ("contact.import.wizard.suggestion", mine.company_line_ids.suggestion_ids),
        ):
            self.assertFalse(
                self.env[model].with_user(self.attacker).search([("id", "in", records.ids)]), model
            )
            if records:
                with self.assertRaises(AccessError):
                    records.with_user(self.attacker).read(["id"])
        # an import manager does not see another user's wizard either
        self.assertFalse(
            self.env["contact.import.wizard"].with_user(self.import_manager).search([("id", "=", mine.id)])
        )
        # the problems download goes with the wizard
        download = mine.with_user(self.victim).action_download_problems()
        attachment = self.downloaded(download)
        with self.assertRaises(AccessError):
            attachment.with_user(self.attacker).read(["raw"])
        # the owner, in another company, no longer sees it there
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.victim.write({"company_ids": [(4, company_b.id)]})
        in_b = self.env["contact.import.wizard"].with_user(self.victim).with_company(company_b)
        self.assertFalse(in_b.search([("id", "=", mine.id)]))
        self.assertEqual(
            self.env["contact.import.wizard"].with_user(self.victim).search([("id", "=", mine.id)]), mine
        )

    # -- hole 4: steps and limits -----------------------------------------------------------------
    def test_a_wizard_starts_at_upload_and_moves_only_through_its_steps(self):
        Wizard = self.env["contact.import.wizard"].with_user(self.attacker)
        with self.assertRaises(AccessError):
            Wizard.create({"file": base64.b64encode(FILE), "file_name": "x.csv", "state": "review"})
        wizard = self.wizard(self.attacker)
        with self.assertRaises(AccessError):
            wizard.write({"state": "review"})
        with self.assertRaisesRegex(UserError, "Upload step"):
            wizard.action_import()
        with self.assertRaisesRegex(UserError, "Upload step"):
            wizard.action_download_problems()
        wizard.action_next()
        with self.assertRaisesRegex(UserError, "Mapping step"):
            wizard.action_import()
        for _step in range(3):
            wizard.action_next()
        with self.assertRaisesRegex(UserError, "last step"):
            wizard.action_next()
        # the file is fixed once validated: a new one cannot slip in between Review and Import
        with self.assertRaisesRegex(UserError, "only be changed at the Upload step"):
            wizard.write({"file": base64.b64encode(b"Name,Email\nEvil,evil@atk.example\n")})
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.contacts_created, 2)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "evil@atk.example")]))

    def test_the_file_cannot_be_swapped_behind_the_wizards_steps(self):
        wizard = self.wizard(self.attacker)
        for _step in range(3):
            wizard.action_next()  # Reference Data: the file was read and validated
        Attachment = self.env["ir.attachment"].with_user(self.attacker)
        own = Attachment.sudo().search(
            [("res_model", "=", wizard._name), ("res_field", "=", "file"), ("res_id", "=", wizard.id)]
        )
        self.assertEqual(own.raw, FILE)
        evil = b"Name,Email\nEvil,evil@atk.example\n"
        forged = {"name": "atk.csv", "raw": evil, "res_model": wizard._name, "res_id": wizard.id}
        with self.assertRaisesRegex(AccessError, "written by the import only"):
            Attachment.create(dict(forged, res_field="file"))
        with self.assertRaisesRegex(AccessError, "written by the import only"):
            own.with_user(self.attacker).unlink()
        with self.assertRaisesRegex(AccessError, "written by the import only"):
            own.with_user(self.attacker).write({"raw": evil})
        loose = Attachment.create(forged)  # an attachment of the wizard, not its file
        with self.assertRaisesRegex(AccessError, "written by the import only"):
            loose.write({"res_field": "file"})
        # changed behind the ORM's back, then read by a worker that did not keep the result
        own.sudo().raw = evil
        wizard.invalidate_recordset(["file"])
        wizard._forget_engine_result()
        with self.assertRaisesRegex(UserError, "changed since it was read"):
            wizard.action_next()
        own.sudo().raw = FILE
        wizard.invalidate_recordset(["file"])
        wizard.action_next()
        self.assertEqual(wizard.state, "review")
        own.sudo().raw = evil
        wizard.invalidate_recordset(["file"])
        wizard._forget_engine_result()
        with self.assertRaisesRegex(UserError, "changed since it was read"):
            wizard.action_import()
        self.assertFalse(self.env["res.partner"].search([("email", "=", "evil@atk.example")]))

    def test_what_review_shows_is_what_import_does(self):
        wizard = self.wizard(self.attacker, FILE + b"Cid Poe,cid@atk.example,Other Co\n")
        for _step in range(4):
            wizard.action_next()
        self.assertEqual(wizard.state, "review")
        column = wizard.column_ids.filtered(lambda c: c.header == "Email")
        with self.assertRaisesRegex(UserError, "made at the Mapping step"):
            column.with_user(self.attacker).write({"target": "ignore"})
        line = wizard.company_line_ids.filtered(lambda line: line.name == "Attack Co")
        with self.assertRaisesRegex(UserError, "made at the Reference Data step"):
            line.with_user(self.attacker).write({"decision": "link", "company_id": self.bystander.id})
        # nor by dropping lines (a column no longer read), nor a Mapping choice made late
        with self.assertRaisesRegex(AccessError, "removed by its steps only"):
            column.with_user(self.attacker).unlink()
        with self.assertRaisesRegex(AccessError, "removed by its steps only"):
            wizard.with_user(self.attacker).write({"column_ids": [(2, column.id)]})
        with self.assertRaisesRegex(UserError, "chosen at the Mapping step"):
            wizard.with_user(self.attacker).write({"duplicate_policy": "update"})
        with self.assertRaises(AccessError):  # Review's counts are the server's
            wizard.with_user(self.attacker).write({"review_creates": 0, "review_companies": 0})
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.contacts_created, log.companies_created), (3, 2))

    def test_the_file_a_log_keeps_cannot_be_posted_and_deleted_with_a_message(self):
        log = self.run_import(self.attacker)
        kept = log.attachment_id
        with self.assertRaisesRegex(AccessError, "Only files can be attached"):
            log.with_user(self.attacker).message_post(body="x", attachment_ids=kept.ids)
        # posted elsewhere (her own contact), then the message edited without it: mail
        # deletes a message's attachments in sudo, not this one
        partner = self.attacker.partner_id.with_user(self.attacker)
        message = partner.message_post(body="x", attachment_ids=kept.ids, message_type="comment")
        with self.assertRaisesRegex(AccessError, "deleted with its import log only"):
            partner._message_update_content(message, body="y", attachment_ids=[])
        self.assertEqual(log.attachment_id.raw, FILE)
        # the log deleted (by the server), its file goes with it
        log.sudo().unlink()
        self.assertFalse(kept.exists())

    def test_limits_are_checked_again_at_import_and_resume(self):
        wizard = self.wizard(self.attacker, b"Name\nA\nB\nC\n")
        for _step in range(4):
            wizard.action_next()
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.max_rows", "2")
        with self.assertRaisesRegex(UserError, "more than 2 data rows"):
            wizard.action_import()
        self.assertFalse(self.env["contact.import.log"].search([("create_uid", "=", self.attacker.id)]))
        # a failed import resumed with a file above the limits: refused
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.max_rows", "100")
        log = self.run_import(self.attacker)
        log.sudo().state = "failed"
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.attacker).create(
                {"name": "big.csv", "raw": b"Name\n" + b"X\n" * 500, "res_model": log._name, "res_id": log.id}
            )
        with self.assertRaises(AccessError):
            log.attachment_id.with_user(self.attacker).write({"raw": b"Name\n" + b"X\n" * 500})
        # the file the job would read is not the one validated (changed behind the ORM's back)
        log.attachment_id.sudo().raw = b"Name\n" + b"X\n" * 500
        with self.assertRaisesRegex(UserError, "changed since it was validated"):
            log.with_user(self.attacker).action_resume()
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.max_file_mb", "0")
        log.attachment_id.sudo().raw = FILE
        with self.assertRaisesRegex(UserError, "largest file an import takes is 0 MB"):
            log.with_user(self.attacker).action_resume()
        self.assertEqual(log.state, "failed")

    def test_only_the_reviewed_plan_is_executed(self):
        """A plan written by the user, attached to their own queued import as a second
        value of its plan (an attachment made for the composer, given the plan's field, then
        posted on the log): refused, and never what the job executes."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("contact_import_wizard.background_threshold", "1")
        Log = type(self.env["contact.import.log"])
        self.patch(Log, "_use_queue_job", lambda self: False)
        self.patch(Log, "_cron_commit", lambda self, done: True)
        earlier = self.run_import(self.attacker)
        forged = earlier._load_plan().to_json()
        for contact in forged["contacts"]:
            contact["values"]["name"] = "INJECTED"
        forged_data = gzip.compress(json.dumps(forged).encode())
        # made before the victim's plan: the field's reader would take it first
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.attacker)
            .create({"name": "plan", "raw": forged_data, "res_model": "mail.compose.message", "res_id": 0})
        )
        try:
            attachment.with_user(self.attacker).write({"res_field": "plan_data"})
        except AccessError:
            attachment.sudo().res_field = "plan_data"  # the rest of the attack does not depend on it
        log = self.run_import(self.attacker, FILE.replace(b"atk.example", b"atk2.example"))
        self.assertEqual(log.state, "queued")
        with self.assertRaises(AccessError):
            log.with_user(self.attacker).message_post(body="x", attachment_ids=[attachment.id])
        # even there behind the server's back, the job executes the plan stored at Import
        attachment.sudo().write({"res_model": log._name, "res_id": log.id})
        self.assertLess(attachment.id, log._plan_attachment().id)
        _PLAN_CACHE.clear()
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "done")
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("name", "=", "INJECTED")]))
        self.assertEqual(len(Partner.search([("email", "like", "@atk2.example")])), 2)


@tagged("post_install", "-at_install")
class TestConcurrencyErrorsAreRetried(ContactImportCase):
    def test_a_lock_timeout_reaches_the_retry_instead_of_becoming_a_row_error(self):
        """A real second transaction holds the row of a country; the import's insert of a
        contact in that country waits for it and times out: the error must reach Odoo's
        retry of the request, not be logged as a row that failed."""
        france = self.env.ref("base.fr")
        wizard = self.upload(b"Name,Email,Country\nAnn Lock,ann@lock.example,France\n", "lock.csv").save()
        for _step in range(4):
            wizard.action_next()
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM res_country WHERE id = %s FOR UPDATE NOWAIT", [france.id])
            self.env.cr.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(LockNotAvailable):
                wizard.action_import()
            other.rollback()
        self.env.cr.execute("SET LOCAL lock_timeout = 0")
        lines = self.env["contact.import.log.line"].search([("log_id.file_name", "=", "lock.csv")])
        self.assertFalse(lines)  # nothing logged as a failed row: the whole request is retried
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])  # Odoo's retry
        ann = self.env["res.partner"].search([("email", "=", "ann@lock.example")])
        self.assertEqual((log.state, log.contacts_created, ann.country_id), ("done", 1, france))


@tagged("post_install", "-at_install")
class TestAttacksOnLines(ContactImportCase):
    """Found by an attacker over RPC: a line of one's own wizard moved into someone else's
    (record rules check a record before a write, not the parent it is given), fields the
    form shows read-only written to poison what is shared (aliases), and more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attacker = cls.manager_user
        cls.victim = new_test_user(
            cls.env,
            login="cim_line_victim",
            groups="base.group_user,base.group_partner_manager",
            name="Victim",
        )
        cls.evil = cls.env["res.partner"].create({"name": "Evil Shell Company", "is_company": True})
        cls.acme = cls.env["res.partner"].create({"name": "Acme Corp", "is_company": True})

    def reference(self, user, data):
        wizard = (
            self.env["contact.import.wizard"]
            .with_user(user)
            .create({"file": base64.b64encode(data), "file_name": "lines.csv"})
        )
        for _step in range(3):
            wizard.action_next()
        return wizard

    def test_a_line_cannot_be_moved_into_another_users_wizard(self):
        theirs = self.reference(self.victim, b"Name,Company\nPending Person,Pending Co\n")
        mine = self.reference(self.attacker, b"Name,Company\nMe,Mine Co\n")
        for records, field_name in (
            (mine.company_line_ids, "wizard_id"),
            (mine.column_ids, "wizard_id"),
            (mine.problem_ids, "wizard_id"),
            (mine.company_line_ids.suggestion_ids, "line_id"),
        ):
            if not records:
                continue
            target = theirs.company_line_ids[:1].id if field_name == "line_id" else theirs.id
            with self.assertRaises(AccessError):
                records.with_user(self.attacker).write({field_name: target})
        with self.assertRaises(AccessError):
            self.env["contact.import.wizard.company"].with_user(self.attacker).create(
                {"wizard_id": mine.id, "key": "pending", "name": "Pending Co", "decision": "link"}
            )
        # what the form shows read-only cannot be written either
        with self.assertRaises(AccessError):
            mine.company_line_ids.with_user(self.attacker).write(
                {"match_status": "matched", "key": "acme corp"}
            )
        self.assertEqual(theirs.company_line_ids.mapped("name"), ["Pending Co"])

    def test_a_link_forged_on_a_found_company_saves_no_alias(self):
        wizard = self.reference(self.attacker, b"Name,Company\nAnn,Acme Corp\n")
        line = wizard.company_line_ids
        self.assertEqual((line.match_status, line.company_id), ("matched", self.acme))
        # the user may change the decision of a found company: linked elsewhere, not remembered
        line.with_user(self.attacker).write(
            {"decision": "link", "company_id": self.evil.id, "decision_by_user": True}
        )
        wizard.action_next()
        wizard.with_user(self.attacker).action_import()
        self.assertFalse(self.env["contact.import.company.alias"].search([("partner_id", "=", self.evil.id)]))

    def test_unarchive_is_checked_like_a_link(self):
        person = self.env["res.partner"].create({"name": "Not A Company", "active": False})
        wizard = self.reference(self.attacker, b"Name,Company\nAnn,Person Parent Co\n")
        wizard.company_line_ids.with_user(self.attacker).write(
            {"decision": "unarchive", "company_id": person.id, "decision_by_user": True}
        )
        with self.assertRaisesRegex(UserError, "Only companies can be linked"):
            wizard.with_user(self.attacker).action_next()

    def test_company_keys_are_the_servers(self):
        self.reference(self.attacker, b"Name,Company\nAnn,Keyed Co\n")
        with self.assertRaises(AccessError):
            self.env["contact.import.company.key"].with_user(self.attacker).search_read([], ["key"])

    def test_mapping_templates_cannot_break_or_reach_others(self):
        Mapping = self.env["contact.import.mapping"].with_user(self.attacker)
        for column_map in (["Name", "Email"], {"Email": "contact_import_log_id"}, {"Email": 3}):
            with self.assertRaises(ValidationError):
                Mapping.create({"name": "Evil", "company_id": False, "column_map": column_map})
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = Mapping.create({"name": "Mine", "column_map": {"Email": "email"}})
        with self.assertRaises(ValidationError):
            mine.write({"company_id": other.id})
        theirs = (
            self.env["contact.import.mapping"]
            .with_user(self.victim)
            .create({"name": "Theirs", "company_id": False, "column_map": {"Email": "email"}})
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.attacker).write({"duplicate_policy": "update"})
        with self.assertRaises(AccessError):
            theirs.with_user(self.attacker).write({"active": False})
        # the wizard still works for everyone
        self.reference(self.victim, b"Name,Email\nAnn,ann@map.example\n")

    def test_a_wizard_is_created_with_what_a_user_may_write_only(self):
        with self.assertRaises(AccessError):
            self.env["contact.import.wizard"].with_user(self.attacker).create(
                {
                    "file": base64.b64encode(FILE),
                    "file_name": "x.csv",
                    "review_html": "<img src=x onerror=alert(1)>",
                }
            )

    def test_downloads_replace_the_previous_one_and_cancel_answers(self):
        wizard = self.reference(self.attacker, b"Name,Email\nBad,not-an-email\n")
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        for _click in range(3):
            log.with_user(self.attacker).action_download_ignored_csv()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", log._name), ("res_id", "=", log.id)]
        )
        self.assertEqual(
            len(attachments.filtered(lambda a: a.name.endswith(".csv") and a != log.attachment_id)), 1
        )
        self.assertIs(log.with_user(self.attacker).action_cancel(), True)
