"""What a new user met in Chromium, fixed and kept fixed: names found against the evidence,
one name for two legal entities, bulk choices, merges of the file's companies, the errors
of a long file, notes imported twice, doubtful guesses."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..wizards import contact_import_wizard as wizard_module
from .common import ContactImportCase


@tagged("post_install", "-at_install")
class TestUserFindings(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        us = cls.env.ref("base.us")
        cls.globex = Partner.create(
            {
                "name": "Globex Corporation",
                "is_company": True,
                "website": "https://globex.example",
                "country_id": us.id,
            }
        )
        cls.acme = Partner.create(
            {"name": "Acme GmbH", "is_company": True, "website": "https://acme.example"}
        )
        cls.schmidt = Partner.create(
            {
                "name": "Bäckerei Schmidt KG",
                "is_company": True,
                "website": "https://baeckerei-schmidt.example",
            }
        )

    def reference(self, data, name="findings.csv"):
        wizard = self.upload(data.encode(), name).save()
        for _step in range(3):
            wizard.action_next()
        return wizard

    def line(self, wizard, name):
        return wizard.company_line_ids.filtered(lambda line: line.name == name)

    def test_a_name_found_against_the_evidence_waits_for_the_user(self):
        data = (
            "Name,Email,Company,City,Country\n"
            "Lee Wong,lee.wong@globexcorp-asia.example,Globex Corp,Singapore,SG\n"
        )
        wizard = self.upload(data.encode(), "globex.csv").save()
        wizard.action_next()
        wizard.action_next()
        warning = wizard.problem_ids.filtered(lambda p: p.code == "company_contested")
        self.assertIn("globexcorp-asia.example", warning.message)
        self.assertEqual((warning.column, warning.value), ("Company", "Globex Corp"))
        wizard.action_next()
        line = self.line(wizard, "Globex Corp")
        self.assertEqual(
            (line.match_status, line.decision, line.company_id, line.preselected),
            ("contested", "link", self.globex, True),
        )
        self.assertIn(line, wizard.unmatched_line_ids)  # shown with what needs a look
        self.assertIn("Confirm the link, or create a new company", line.decision_note)

    def test_one_name_for_two_legal_entities_is_two_companies(self):
        rows = "".join(f"P{i},p{i}@acme.example,Acme GmbH,Berlin\n" for i in range(3))
        rows += "".join(f"Q{i},q{i}@acme.example,ACME,Berlin\n" for i in range(3))
        rows += "".join(f"R{i},r{i}@acme-inc.example,Acme Inc,Phoenix\n" for i in range(2))
        wizard = self.reference("Name,Email,Company,City\n" + rows)
        german = self.line(wizard, "ACME") | self.line(wizard, "Acme GmbH")
        american = self.line(wizard, "Acme Inc")
        self.assertEqual(
            (len(german), german.row_count, german.match_status, german.company_id),
            (1, 6, "matched", self.acme),
        )
        self.assertEqual(
            (american.row_count, american.match_status, american.decision), (2, "unmatched", "create")
        )
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        parents = log.line_ids.partner_id.parent_id
        self.assertEqual(len(parents), 2)
        self.assertIn(self.acme, parents)

    def test_the_bulk_choice_keeps_pre_selected_suggestions(self):
        data = (
            "Name,Email,Company\n"
            "Ann,ann@baeckerei-schmidt.example,Baeckerei Schmidt\n"
            "Bob,bob@new.example,Brand New Ltd\n"
        )
        wizard = self.reference(data)
        schmidt = self.line(wizard, "Baeckerei Schmidt")
        self.assertEqual(
            (schmidt.decision, schmidt.company_id, schmidt.preselected), ("link", self.schmidt, True)
        )
        wizard.bulk_decision = "skip"
        wizard.action_apply_bulk()
        self.assertEqual((schmidt.decision, schmidt.company_id), ("link", self.schmidt))
        self.assertEqual(self.line(wizard, "Brand New Ltd").decision, "skip")
        self.assertIn("1 pre-selected suggestions kept", wizard.bulk_message)

    def test_same_company_as_another_of_the_file_by_hand(self):
        data = "Name,Email,Company\nAnn,ann@f.example,Ferretti & Figli S.p.A.\n"
        data += "Bob,bob@g.example,Ferreti e Figli\n"
        wizard = self.reference(data)
        typo, right = self.line(wizard, "Ferreti e Figli"), self.line(wizard, "Ferretti & Figli S.p.A.")
        with Form(wizard) as form:
            for index, line in enumerate(wizard.unmatched_line_ids):
                if line == typo:
                    with form.unmatched_line_ids.edit(index) as edit:
                        edit.decision = "merge"
                        edit.merge_into_id = right
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.companies_created, 1)
        self.assertEqual(log.line_ids.partner_id.parent_id.name, "Ferretti & Figli S.p.A.")

    def test_past_the_shown_problems_the_errors_come_first(self):
        rows = "".join(f"P{i},p{i}@x.example,Unknown {i} Ltd\n" for i in range(1100))
        rows += "Bad One,not-an-email,\n"
        wizard = self.upload(("Name,Email,Company\n" + rows).encode(), "long.csv").save()
        wizard.action_next()
        wizard.action_next()
        self.assertGreater(wizard.problem_total, 1000)
        self.assertEqual(len(wizard.problem_ids), 1000)
        # and the step says that the list stops there
        self.assertIn(f"The first 1000 of {wizard.problem_total} problems", wizard.problems_not_listed)
        form = Form(wizard)
        form.problem_filter = "error"
        self.assertEqual([p.value for p in form.shown_problem_ids], ["not-an-email"])
        # and the list shows them first, as it says
        self.assertEqual(wizard.problem_ids[0].value, "not-an-email")

    def test_create_or_skip_chosen_on_a_suggested_company_stays_chosen(self):
        data = "Name,Email,Company\nAnn,ann@baeckerei-schmidt.example,Baeckerei Schmidt\n"
        wizard = self.reference(data)
        schmidt = self.line(wizard, "Baeckerei Schmidt")
        self.assertEqual(schmidt.company_id, self.schmidt)
        for decision in ("create", "skip"):
            with Form(wizard) as form, form.unmatched_line_ids.edit(0) as edit:
                edit.decision = decision
                self.assertEqual((edit.decision, edit.company_id), (decision, self.env["res.partner"]))
            self.assertEqual((schmidt.decision, schmidt.company_id), (decision, self.env["res.partner"]))
        with Form(wizard) as form, form.unmatched_line_ids.edit(0) as edit:
            edit.decision = "link"
            edit.company_id = self.globex
        self.assertEqual((schmidt.decision, schmidt.company_id), ("link", self.globex))

    def test_the_bulk_choice_counts_only_what_it_changes(self):
        wizard = self.reference("Name,Company\nAnn,New One Ltd\nBob,New Two Ltd\n")
        self.assertEqual(wizard.company_line_ids.mapped("decision"), ["create", "create"])
        noted = wizard.company_line_ids[0]
        noted.sudo().decision_note = "Acme not pre-selected: only the name is alike"
        wizard.bulk_decision = "create"
        wizard.action_apply_bulk()
        self.assertIn("0 companies changed by the bulk choice", wizard.bulk_message)
        self.assertEqual(noted.decision_note, "Acme not pre-selected: only the name is alike")  # unchanged
        wizard.bulk_decision = "skip"
        wizard.action_apply_bulk()
        self.assertIn("2 companies changed by the bulk choice", wizard.bulk_message)

    def test_review_says_how_many_it_does_not_list(self):
        self.patch(wizard_module, "REVIEW_COMPANIES", 1)
        wizard = self.reference("Name,Company\nAnn,New One Ltd\nBob,New Two Ltd\nCid,New Three Ltd\n")
        wizard.action_next()
        self.assertEqual(wizard.review_companies, 3)
        self.assertIn("... and 2 more", wizard.review_html)

    def test_the_original_file_is_downloaded_and_the_revert_asks_only_what_applies(self):
        data = "Name,Company\nAnn,New One Ltd\n"
        wizard = self.reference(data)
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        action = log.action_download_file()
        self.assertEqual(self.downloaded(action).raw, data.encode())
        revert = self.env["contact.import.revert"].create({"log_id": log.id})
        self.assertIn("1 contacts and 1 companies", revert.summary)
        self.assertNotIn("tick the box", revert.summary)
        log.line_ids.partner_id.write({"phone": "+1 555 0100"})  # changed since the import
        revert = self.env["contact.import.revert"].create({"log_id": log.id})
        self.assertIn("tick the box", revert.summary)

    def test_a_merge_odoo_would_refuse_is_refused_before_leaving_the_import(self):
        Partner = self.env["res.partner"]
        Partner.create(
            [
                {"name": "Duplo Widgets GmbH", "is_company": True, "email": "a@duplo.example"},
                {"name": "Duplo Widgets GmbH", "is_company": True, "email": "b@duplo.example"},
            ]
        )
        wizard = self.reference("Name,Company\nAnn,Duplo Widgets GmbH\n")
        line = self.line(wizard, "Duplo Widgets GmbH").with_user(self.manager_user)
        with self.assertRaisesRegex(UserError, "only an administrator can merge them"):
            line.action_merge_in_odoo()

    def test_an_update_does_not_add_its_notes_twice(self):
        Partner = self.env["res.partner"]
        known = Partner.create({"name": "Ann Known", "email": "ann@twice.example"})
        data = "Name,Email,Notes\nAnn Known,ann@twice.example,Prefers email\n"
        for _run in range(2):
            wizard = self.upload(data.encode(), "twice.csv").save()
            wizard.action_next()
            wizard.duplicate_policy = "update"
            for _step in range(3):
                wizard.action_next()
            wizard.action_import()
        self.assertEqual(known.comment.count("Prefers email"), 1)

    def test_a_doubtful_guess_is_proposed_not_applied(self):
        wizard = self.upload(b"Name,At\nAnn,2023-01-02 09:30:00\n", "at.csv").save()
        wizard.action_next()
        column = wizard.column_ids.filtered(lambda c: c.header == "At")
        self.assertTrue(column.review)
        self.assertEqual(column.target, "ignore")
        self.assertNotEqual(column.suggested_target, "ignore")
