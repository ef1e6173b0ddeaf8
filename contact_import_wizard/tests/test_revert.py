from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ContactImportCase

FILE = """Name,Email,Company
Ann Lee,ann@rev.example,Revert Co
Bob Roe,bob@rev.example,Revert Co
Cid Diaz,cid@rev.example,Kept Co
Dan Kim,known@rev.example,
"""


@tagged("post_install", "-at_install")
class TestRevert(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.import_manager = new_test_user(
            cls.env,
            login="cim_revert_admin",
            groups="base.group_user,base.group_partner_manager,contact_import_wizard.group_contact_import_manager",
            name="Revert Admin",
        )
        cls.known = cls.env["res.partner"].create({"name": "Dan Old", "email": "known@rev.example"})

    def run_import(self):
        wizard = self.upload(FILE.encode(), "rev.csv", self.import_manager).save()
        wizard.action_next()
        wizard.duplicate_policy = "update"
        for _step in range(3):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.contacts_created, log.contacts_updated, log.companies_created), (3, 1, 2))
        return log

    def touch(self, partner):
        """Someone edits a record after the import: a value the import wrote is gone."""
        partner.with_user(self.manager_user).function = "Changed by hand"

    def partner(self, email):
        return self.env["res.partner"].with_context(active_test=False).search([("email", "=", email)])

    def test_revert_removes_created_restores_updated_and_spares_changed_records(self):
        log = self.run_import()
        cid = self.partner("cid@rev.example")
        self.touch(cid)
        action = log.with_user(self.import_manager).action_revert()
        form = Form(self.env["contact.import.revert"].with_user(self.import_manager).browse(action["res_id"]))
        self.assertIn("3 contacts and 2 companies created by this import will be deleted", form.summary)
        self.assertIn("1 updated contacts and 0 completed companies restored", form.summary)
        self.assertEqual(form.changed_ids[:], cid)
        form.save().action_confirm()
        self.assertFalse(self.partner("ann@rev.example") | self.partner("bob@rev.example"))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Revert Co")]))
        self.assertTrue(cid.exists())
        self.assertTrue(cid.parent_id.exists())  # Kept Co still has its contact: left alone
        self.assertEqual(self.known.name, "Dan Old")
        self.assertEqual(log.state, "reverted")
        self.assertIn(
            "left alone: 1 changed since the import, 1 companies that still have contacts", log.message
        )
        self.assertIn("Reverted:", log.message_ids[:1].body)

    def test_force_reverts_changed_records_and_archives_what_is_referenced(self):
        log = self.run_import()
        cid = self.partner("cid@rev.example")
        self.touch(cid)
        ann = self.partner("ann@rev.example")
        # other records now point to Ann: the database refuses her deletion
        Partner = self.env.registry["res.partner"]
        original_unlink = Partner.unlink

        def unlink(records):
            if ann in records:
                raise UserError("Ann is still referenced by an invoice.")
            return original_unlink(records)

        self.patch(Partner, "unlink", unlink)
        wizard = (
            self.env["contact.import.revert"]
            .with_user(self.import_manager)
            .create({"log_id": log.id, "force": True})
        )
        wizard.action_confirm()
        self.assertFalse(cid.exists())
        self.assertTrue(ann.exists())
        self.assertFalse(ann.active)
        self.assertIn("1 archived", log.message)

    def test_only_import_managers_revert(self):
        log = self.run_import()
        with self.assertRaises(AccessError):
            log.with_user(self.manager_user).action_revert()


@tagged("post_install", "-at_install")
class TestRevertRightAway(ContactImportCase):
    """What the import wrote is compared with what is there, not clocks: a revert right
    after an import (the same second, the background job's OdooBot as last writer) undoes
    it, and the counters follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.import_manager = new_test_user(
            cls.env,
            login="cim_revert_now",
            groups="base.group_user,base.group_partner_manager,contact_import_wizard.group_contact_import_manager",
            name="Revert Now",
        )

    def import_file(self, data, background=False):
        if background:
            self.patch(type(self.env["contact.import.log"]), "_use_queue_job", lambda self: False)
            self.patch(type(self.env["contact.import.log"]), "_cron_commit", lambda self, done: True)
            self.env["ir.config_parameter"].sudo().set_param(
                "contact_import_wizard.background_threshold", "0"
            )
        wizard = self.upload(data.encode(), "now.csv", self.import_manager).save()
        for _step in range(4):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        if background:
            self.assertEqual(log.state, "queued")
            self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "done")
        return log

    def test_a_revert_right_after_a_small_import_deletes_what_it_created(self):
        log = self.import_file(
            "Name,Email,Company\nAnn Now,ann@now.example,Now Co\nBob Now,bob@now.example,Now Co\n"
        )
        self.assertEqual((log.contacts_created, log.companies_created), (2, 1))
        wizard = self.env["contact.import.revert"].with_user(self.import_manager).create({"log_id": log.id})
        self.assertFalse(wizard.changed_ids)
        wizard.action_confirm()
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertFalse(Partner.search([("email", "like", "@now.example")]))
        self.assertFalse(Partner.search([("name", "=", "Now Co")]))
        self.assertEqual(log.state, "reverted")
        self.assertEqual((log.contacts_created, log.companies_created, log.rows_reverted), (0, 0, 2))
        self.assertFalse(log.action_view_created_contacts()["domain"][0][2])

    def test_a_revert_of_a_background_import_deletes_what_it_created(self):
        log = self.import_file("Name,Email,Company\nCid Bg,cid@bgrev.example,Bg Rev Co\n", background=True)
        scope = log.with_user(self.import_manager)._revert_scope()
        self.assertEqual((len(scope.contacts), len(scope.companies), len(scope.changed)), (1, 1, 0))
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.background_threshold", "100")
        log.with_user(self.import_manager)._start_revert()
        self.assertFalse(self.env["res.partner"].search([("email", "=", "cid@bgrev.example")]))
        self.assertEqual(log.state, "reverted")

    def test_a_large_revert_runs_in_the_background_with_the_managers_rights(self):
        rows = "".join(f"P{i},p{i}@bigrev.example,Big Rev Co\n" for i in range(6))
        log = self.import_file("Name,Email,Company\n" + rows)
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.background_threshold", "3")
        self.patch(type(log), "_use_queue_job", lambda self: False)
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        wizard = self.env["contact.import.revert"].with_user(self.import_manager).create({"log_id": log.id})
        wizard.action_confirm()
        self.assertEqual(
            (log.state, log.revert_user_id, log.runner), ("reverting", self.import_manager, "cron")
        )
        self.assertEqual(self.env["res.partner"].search_count([("email", "like", "@bigrev.example")]), 6)
        # its progress is the revert's own: 6 contacts to undo, none yet (not the import's rows)
        self.assertEqual((log.rows_reverted, log.rows_to_revert, log.progress), (0, 6, 0.0))
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual(log.state, "reverted")
        self.assertFalse(self.env["res.partner"].search([("email", "like", "@bigrev.example")]))
        self.assertEqual(log.rows_reverted, 6)

    def test_what_others_attached_since_is_never_deleted_by_a_revert(self):
        """A bank account, a document, a message, a contact of its own added after the
        import: the record counts as changed, is left alone, and a forced revert archives
        it instead of deleting what points to it."""
        log = self.import_file(
            "Name,Email,Company\nRev One,one@att.example,Attach Co\nRev Two,two@att.example,Other Attach Co\n"
        )
        Partner = self.env["res.partner"]
        one, two = (Partner.search([("email", "=", e)]) for e in ("one@att.example", "two@att.example"))
        company = one.parent_id
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": one.id}
        )
        document = self.env["ir.attachment"].create(
            {"name": "contract.pdf", "raw": b"%PDF", "res_model": "res.partner", "res_id": two.id}
        )
        invoice_address = Partner.create({"name": "Invoicing", "type": "invoice", "parent_id": company.id})
        wizard = self.env["contact.import.revert"].with_user(self.import_manager).create({"log_id": log.id})
        self.assertEqual(wizard.changed_ids, one | two | company)
        wizard.action_confirm()
        self.assertTrue(one.exists() and two.exists() and company.exists())
        self.assertTrue(bank.exists() and document.exists())
        # forced: what others point to is archived, never deleted
        log.sudo().state = "done"
        self.env["contact.import.revert"].with_user(self.import_manager).create(
            {"log_id": log.id, "force": True}
        ).action_confirm()
        self.assertTrue(one.exists() and not one.active)
        self.assertTrue(bank.exists() and document.exists() and invoice_address.parent_id == company)


@tagged("post_install", "-at_install")
class TestMergeImportedPartners(ContactImportCase):
    def test_odoo_merge_keeps_working_on_imported_partners(self):
        wizard = self.upload(b"Name,Email\nDup Lee,dup@merge.example\n", "merge.csv").save()
        for _step in range(4):
            wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        imported = log.line_ids.partner_id
        older = self.env["res.partner"].create({"name": "Dup Lee (old)", "email": "dup@merge.example"})
        merge = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.manager_user)
            .create(
                {
                    "partner_ids": [(6, 0, (imported | older).ids)],
                    "dst_partner_id": older.id,
                    "state": "selection",
                }
            )
        )
        merge.action_merge()
        self.assertFalse(imported.exists())
        self.assertEqual(older.sudo().contact_import_log_id, log)
