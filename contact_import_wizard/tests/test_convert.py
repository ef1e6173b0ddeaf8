"""Convert to Customer, as a partner manager meets it: the confirmation, what it writes,
the log, the revert, and the customer rank where Invoicing is installed."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .convert_common import ConvertCase


@tagged("post_install", "-at_install")
class TestConvert(ConvertCase):
    def open_convert(self, partners, user=None):
        action = partners.with_user(user or self.manager).action_contact_import_convert()
        self.assertEqual((action["res_model"], action["target"]), ("contact.convert.wizard", "new"))
        return self.env["contact.convert.wizard"].with_user(user or self.manager).browse(action["res_id"])

    def line(self, wizard, name):
        line = wizard.line_ids.filtered(lambda line: line.name == name)
        self.assertEqual(len(line), 1, f"one line for {name}")
        return line

    def confirm(self, wizard):
        action = wizard.action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"})
        log = self.env["contact.import.log"].search([("kind", "=", "conversion")], order="id desc", limit=1)
        self.assertIn(log.name, action["params"]["message"])
        return log

    def test_a_contact_becomes_a_contact_of_a_new_customer_company_with_its_data(self):
        ann = self.contact(
            "Ann Lee",
            company_name="Blue River Foods",
            email="ann@blueriver.example",
            phone="+49 30 1234567",
            street="Flussweg 5",
            zip="10115",
            city="Berlin",
            country_id=self.germany.id,
            vat="DE123456789",
        )
        wizard = self.open_convert(ann)
        line = self.line(wizard, "Blue River Foods")
        self.assertEqual(
            (line.match_status, line.decision, line.company_id.id), ("unmatched", "create", False)
        )
        self.assertEqual(line.contact_names, "Ann Lee")
        self.assertIn("No company in Odoo resembles 'Blue River Foods'", line.reason)
        self.assertIn("Companies to create: 1. Companies in Odoo to link to: 0.", wizard.summary_html)
        self.assertIn("Blue River Foods will be created for Ann Lee", wizard.summary_html)
        log = self.confirm(wizard)

        company = ann.parent_id
        self.assertEqual(
            (company.name, company.is_company, company.phone, company.website, company.vat),
            ("Blue River Foods", True, "+49 30 1234567", "https://blueriver.example", "DE123456789"),
        )
        self.assertEqual(
            (company.street, company.zip, company.city, company.country_id),
            ("Flussweg 5", "10115", "Berlin", self.germany),
        )
        self.assertEqual((ann.type, ann.company_name, ann.email), ("contact", False, "ann@blueriver.example"))
        self.assertEqual(company.contact_import_log_id, log)
        self.assertEqual(
            (log.kind, log.state, log.user_id, log.contacts_updated, log.companies_created),
            ("conversion", "done", self.manager, 1, 1),
        )
        (row,) = log.line_ids
        self.assertEqual(
            (row.row_number, row.status, row.partner_id, row.company_partner_id), (1, "updated", ann, company)
        )
        self.assertEqual(row.message, "Company Blue River Foods created from the contacts' data.")
        self.assertEqual(row.values, ["Ann Lee", "Blue River Foods", "ann@blueriver.example"])
        self.assertEqual(row.previous_values["parent_id"], False)
        self.assertEqual(row.previous_values["company_name"], "Blue River Foods")
        if self.has_customer_rank():
            self.assertEqual(company.customer_rank, 1)

    def test_a_person_without_company_name_becomes_their_own_business(self):
        eve = self.contact("Eve Solo", email="eve@gmail.com", phone="+33 1 23 45 67 89")
        log = self.confirm(self.open_convert(eve))
        company = eve.parent_id
        self.assertEqual((company.name, company.phone), ("Eve Solo", "+33 1 23 45 67 89"))
        self.assertFalse(company.website, "a free-mail domain is never a company's website")
        self.assertEqual(log.companies_created, 1)

    def test_several_contacts_naming_one_company_become_contacts_of_one_company(self):
        people = (
            self.contact("Ann", company_name="Blue River Foods Inc.", email="ann@blueriver.example")
            | self.contact("Bob", company_name="blue river foods", email="bob@blueriver.example")
            | self.contact("Cid", company_name="Blue River Foods, Inc", email="cid@blueriver.example")
        )
        wizard = self.open_convert(people)
        line = self.line(wizard, "Blue River Foods Inc.")
        self.assertEqual((line.row_count, line.contact_names), (3, "Ann\nBob\nCid"))
        log = self.confirm(wizard)
        company = people.parent_id
        self.assertEqual(len(company), 1)
        self.assertEqual(company.child_ids, people)
        self.assertEqual(len(self.companies_named("Blue River Foods Inc.")), 1)
        self.assertEqual((log.contacts_updated, log.companies_created), (3, 1))

    def test_an_existing_company_is_linked_not_created_again(self):
        cid = self.contact("Cid", company_name="ACME", street="Elbchaussee 9", city="Hamburg")
        wizard = self.open_convert(cid)
        line = self.line(wizard, "ACME")
        self.assertEqual((line.match_status, line.decision, line.company_id), ("matched", "link", self.acme))
        self.assertIn("Same name once case, accents, punctuation and legal form are ignored", line.reason)
        self.assertIn("Cid will join Acme GmbH", wizard.summary_html)
        log = self.confirm(wizard)
        self.assertEqual(cid.parent_id, self.acme)
        self.assertFalse(self.companies_named("ACME"))
        self.assertEqual((cid.city, cid.street), ("Berlin", "Hauptstraße 1"))  # Odoo's own sync
        self.assertEqual(log.companies_created, 0)
        self.assertEqual(
            log.line_ids.message,
            "Linked to Acme GmbH: Same name once case, accents, punctuation and legal form "
            "are ignored (acme) Its own address was replaced by its company's, as Odoo does for a "
            "Contact of a company; the previous one is kept in this line, and a revert gives it back.",
        )
        # what Odoo's sync overwrote is kept for a revert
        self.assertEqual(log.line_ids.previous_values["city"], "Hamburg")

    def test_a_suggestion_is_linked_only_when_accepted(self):
        ida = self.contact("Ida", company_name="Stark Industires")
        wizard = self.open_convert(ida)
        line = self.line(wizard, "Stark Industires")
        self.assertEqual(
            (line.decision, line.suggestion_id, line.accept_suggestion), ("create", self.stark, False)
        )
        self.assertIn("Similar name", line.suggestion_reason)
        self.assertIn("Only the name of Stark Industries is alike", line.reason)
        with Form(wizard) as form, form.line_ids.edit(0) as edit:
            edit.accept_suggestion = True
            self.assertEqual((edit.decision, edit.company_id), ("link", self.stark))
        log = self.confirm(wizard)
        self.assertEqual(ida.parent_id, self.stark)
        self.assertFalse(self.companies_named("Stark Industires"))
        self.assertIn("Linked to Stark Industries: Similar name", log.line_ids.message)

    def test_a_suggestion_the_evidence_confirms_is_pre_accepted_and_can_be_refused(self):
        ann = self.contact("Ann", company_name="Zephir Analytics", email="ann@zephyr.example")
        bob = self.contact("Bob", company_name="Zephir Analytics", email="bob@zephyr.example")
        wizard = self.open_convert(ann)
        line = self.line(wizard, "Zephir Analytics")
        self.assertEqual(
            (line.decision, line.company_id, line.accept_suggestion), ("link", self.zephyr, True)
        )
        self.assertIn("zephyr.example", line.suggestion_reason)
        self.confirm(wizard)
        self.assertEqual(ann.parent_id, self.zephyr)

        wizard = self.open_convert(bob)
        with Form(wizard) as form, form.line_ids.edit(0) as edit:
            edit.accept_suggestion = False
            self.assertEqual((edit.decision, edit.company_id.id), ("create", False))
        self.confirm(wizard)
        self.assertEqual(bob.parent_id.name, "Zephir Analytics")
        self.assertNotEqual(bob.parent_id, self.zephyr)

    def test_companies_found_twice_wait_for_a_choice(self):
        gus = self.contact("Gus", company_name="Umbrella")
        wizard = self.open_convert(gus)
        line = self.line(wizard, "Umbrella")
        self.assertEqual((line.match_status, line.decision, line.company_id.id), ("ambiguous", "link", False))
        self.assertIn("2 companies in Odoo match 'Umbrella' equally", line.reason)
        self.assertIn("Umbrella: choose the company to link to.", wizard.summary_html)
        with self.assertRaisesRegex(UserError, "Choose the company Umbrella is linked to, or create it."):
            wizard.action_confirm()
        self.assertFalse(gus.parent_id)
        self.assertFalse(self.logs("conversion"))
        with Form(wizard) as form, form.line_ids.edit(0) as edit:
            edit.company_id = self.umbrella[1]
        self.confirm(wizard)
        self.assertEqual(gus.parent_id, self.umbrella[1])

    def test_nothing_is_written_when_the_dialog_is_cancelled(self):
        ann = self.contact("Ann", company_name="Blue River Foods", city="Lyon")
        cid = self.contact("Cid", company_name="ACME")
        partners_before = self.env["res.partner"].search_count([])
        wizard = self.open_convert(ann | cid)
        self.assertEqual(len(wizard.line_ids), 2)
        # the user closes the dialog: nothing else is called
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertFalse(ann.parent_id | cid.parent_id)
        self.assertEqual((ann.company_name, ann.city, cid.company_name), ("Blue River Foods", "Lyon", "ACME"))
        self.assertFalse(self.logs("conversion"))

    def test_companies_and_contacts_of_a_company_are_left_as_they_are_and_logged(self):
        ann = self.contact("Ann", company_name="Blue River Foods")
        bob = self.contact("Bob", parent_id=self.acme.id)
        wizard = self.open_convert(ann | self.stark | bob)
        self.assertEqual(
            wizard.left_out,
            "Stark Industries is a company, not an individual contact: left as it is.\n"
            "Bob already belongs to the company Acme GmbH: left as it is.",
        )
        log = self.confirm(wizard)
        self.assertEqual(bob.parent_id, self.acme)
        self.assertFalse(self.stark.parent_id)
        by_row = {line.row_number: line for line in log.line_ids}
        self.assertEqual(
            {row: line.status for row, line in by_row.items()}, {1: "updated", 2: "ignored", 3: "ignored"}
        )
        self.assertIn("Bob already belongs", by_row[3].message)
        self.assertEqual(log.state, "done")

    def test_only_companies_are_refused_when_nothing_can_be_converted(self):
        with self.assertRaisesRegex(UserError, "Stark Industries is a company"):
            self.stark.with_user(self.manager).action_contact_import_convert()

    def test_revert_removes_created_companies_and_gives_the_contacts_back_what_they_had(self):
        ann = self.contact("Ann", company_name="Blue River Foods", email="ann@blueriver.example", city="Lyon")
        cid = self.contact("Cid", company_name="ACME", street="Elbchaussee 9", city="Hamburg", vat="DE999")
        empty = self.env["res.partner"].create({"name": "Empty Co", "is_company": True})
        dan = self.contact("Dan", company_name="Empty Co", city="Munich", vat="DE555")
        wizard = self.open_convert(ann | cid | dan)
        log = self.confirm(wizard)
        created = ann.parent_id
        self.assertEqual((cid.parent_id, dan.parent_id), (self.acme, empty))
        self.assertEqual((empty.city, empty.vat), ("Munich", "DE555"))  # logged fills, not Odoo's silent push
        if self.has_customer_rank():
            self.assertEqual((created.customer_rank, self.acme.customer_rank, empty.customer_rank), (1, 1, 1))

        action = log.with_user(self.import_admin).action_revert()
        revert = self.env["contact.import.revert"].with_user(self.import_admin).browse(action["res_id"])
        self.assertIn("0 contacts and 1 companies created by this import will be deleted", revert.summary)
        self.assertIn("3 updated contacts and 2 completed companies restored", revert.summary)
        revert.action_confirm()

        self.assertFalse(created.exists())
        self.assertEqual(log.state, "reverted")
        for partner, company_name, city in (
            (ann, "Blue River Foods", "Lyon"),
            (cid, "ACME", "Hamburg"),
            (dan, "Empty Co", "Munich"),
        ):
            self.assertFalse(partner.parent_id)
            self.assertEqual(
                (partner.company_name, partner.city, partner.type), (company_name, city, "contact")
            )
        self.assertEqual((cid.street, cid.vat, dan.vat), ("Elbchaussee 9", "DE999", "DE555"))
        self.assertEqual((self.acme.city, self.acme.street), ("Berlin", "Hauptstraße 1"))
        self.assertEqual((empty.city, empty.vat), (False, False))
        if self.has_customer_rank():
            self.assertEqual((self.acme.customer_rank, empty.customer_rank), (0, 0))

    def test_customer_rank_only_where_invoicing_is_installed(self):
        ann = self.contact("Ann", company_name="Rank Test Co")
        log = self.confirm(self.open_convert(ann))
        self.assertEqual(log.state, "done")
        if self.has_customer_rank():
            self.assertEqual(ann.parent_id.customer_rank, 1)
            # a company already a customer counts one more conversion; not a revert's business
            bob = self.contact("Bob", company_name="Rank Test Co")
            log = self.confirm(self.open_convert(bob))
            self.assertEqual(bob.parent_id, ann.parent_id)
            self.assertNotIn(str(ann.parent_id.id), log.company_fills or {})
        else:
            self.assertNotIn("customer_rank", self.env["res.partner"]._fields)
            self.assertFalse(log.company_fills)
