"""Reference Data as a user meets it: remembered decisions, archived and duplicated
companies, look-alikes that are never linked by themselves, strong suggestions
pre-selected, bulk choices that respect what the user decided, and the merges."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..wizards import contact_import_wizard_reference as reference_module
from .common import ContactImportCase


@tagged("post_install", "-at_install")
class TestReferenceData(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create(
            {"name": "Acme International Ltd", "is_company": True, "website": "https://acme-intl.example"}
        )
        cls.mueller = Partner.create(
            {"name": "Müller Bau GmbH", "is_company": True, "website": "https://mueller-bau.de"}
        )
        cls.logistics = Partner.create(
            {"name": "Acme Logistics", "is_company": True, "website": "https://acmelogistics.example"}
        )

    def reference(self, data, name="ref.csv", user=None):
        wizard = self.upload(data.encode(), name, user).save()
        for _step in range(3):
            wizard.action_next()
        self.assertEqual(wizard.state, "reference")
        return wizard

    def line(self, wizard, name):
        return wizard.company_line_ids.filtered(lambda line: line.name == name)

    def finish(self, wizard):
        wizard.action_next()
        return self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

    def test_a_link_chosen_once_is_followed_by_the_next_import(self):
        wizard = self.reference("Name,Email,Company\nAnn,ann@acme-intl.example,ACME Intl\n")
        line = self.line(wizard, "ACME Intl")
        self.assertEqual(line.match_status, "unmatched")
        with Form(wizard) as form, form.unmatched_line_ids.edit(0) as edit:
            edit.decision = "link"
            edit.company_id = self.acme
        self.finish(wizard)
        alias = self.env["contact.import.company.alias"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(
            (alias.name, alias.key, alias.negative, alias.user_id),
            ("ACME Intl", "acme intl", False, self.manager_user),
        )
        # next import, another user: linked by itself, and says why
        again = self.reference(
            "Name,Email,Company\nBob,bob@acme-intl.example,Acme Intl.\n", user=self.manager_user
        )
        line = self.line(again, "Acme Intl.")
        self.assertEqual((line.match_status, line.company_id, line.decision), ("matched", self.acme, "link"))
        self.assertIn("Alias saved by Partner Manager on", line.match_reason)
        log = self.finish(again)
        self.assertEqual(log.line_ids.partner_id.parent_id, self.acme)

    def test_a_rejected_suggestion_is_not_proposed_again(self):
        wizard = self.reference("Name,Email,Company\nAnn,ann@gmail.com,Acme Logistcs\n")
        line = self.line(wizard, "Acme Logistcs")
        rejected = line.suggestion_ids.filtered(lambda s: s.company_id == self.logistics)
        self.assertTrue(rejected)
        action = rejected.action_reject()
        self.assertEqual((action["res_model"], action["res_id"]), (line._name, line.id))  # back to its dialog
        self.assertIn(self.logistics, line.rejected_company_ids)
        self.assertNotIn(self.logistics, line.suggestion_ids.company_id)
        line.action_back_to_wizard()
        self.finish(wizard)
        alias = self.env["contact.import.company.alias"].search([("partner_id", "=", self.logistics.id)])
        self.assertTrue(alias.negative)
        again = self.reference("Name,Email,Company\nBo,bo@gmail.com,Acme Logistcs\n")
        self.assertNotIn(self.logistics, self.line(again, "Acme Logistcs").suggestion_ids.company_id)

    def test_an_archived_company_is_linked_and_unarchived_and_a_revert_archives_it_again(self):
        old = self.env["res.partner"].create({"name": "Old Corp", "is_company": True, "active": False})
        wizard = self.reference("Name,Email,Company\nAnn,ann@old.example,Old Corp\n")
        line = self.line(wizard, "Old Corp")
        self.assertEqual((line.match_status, line.decision, line.company_id), ("archived", "unarchive", old))
        log = self.finish(wizard)
        self.assertTrue(old.active)
        self.assertEqual(log.line_ids.partner_id.parent_id, old)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Old Corp")]), 1)
        manager = self.env.ref("base.user_admin")
        log.with_user(manager)._revert()
        self.assertFalse(old.active)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "ann@old.example")]))

    def test_companies_found_twice_wait_for_a_choice_or_a_merge_in_odoo(self):
        Partner = self.env["res.partner"]
        twins = Partner.create(
            [{"name": "Twin Co", "is_company": True}, {"name": "Twin Co.", "is_company": True}]
        )
        wizard = self.reference("Name,Email,Company\nAnn,ann@twin.example,Twin Co\n")
        line = self.line(wizard, "Twin Co")
        self.assertEqual(
            (line.match_status, line.decision, line.tied_company_ids), ("ambiguous", False, twins)
        )
        self.assertEqual(wizard.undecided_count, 1)
        with self.assertRaisesRegex(
            UserError, "Choose what to do with these companies of the file first.*Twin Co"
        ):
            wizard.action_next()
        # merged with Odoo's own wizard, then back to Reference Data, matched once
        action = line.action_merge_in_odoo()
        merge = self.env[action["res_model"]].browse(action["res_id"]).with_context(action["context"])
        back = merge.action_merge()
        self.assertEqual((back["res_model"], back["res_id"]), (wizard._name, wizard.id))
        line = self.line(wizard, "Twin Co")
        self.assertEqual(line.match_status, "matched")
        self.assertEqual(len(twins.exists()), 1)
        self.assertEqual(line.company_id, twins.exists())

    def test_a_look_alike_with_other_domains_is_never_linked_by_itself(self):
        data = (
            "Name,Email,Company\n"
            "Ola,ola@moeller-bau.de,Möller Bau GmbH\n"
            "Pia,pia@moeller-bau.de,Möller Bau GmbH\n"
        )
        wizard = self.reference(data)
        line = self.line(wizard, "Möller Bau GmbH")
        self.assertEqual((line.match_status, line.decision, line.preselected), ("unmatched", "create", False))
        suggestion = line.suggestion_ids.filtered(lambda s: s.company_id == self.mueller)
        self.assertTrue(suggestion.opposed)
        self.assertIn("moeller-bau.de", suggestion.reason)
        self.assertIn("mueller-bau.de", suggestion.reason)
        # the bulk "link to the best suggestion" refuses it too, and says so
        wizard.bulk_decision = "link"
        wizard.action_apply_bulk()
        self.assertEqual(line.decision, "create")
        self.assertIn("Not linked by the bulk choice", line.decision_note)
        self.assertIn("1 left as they were", wizard.bulk_message)
        log = self.finish(wizard)
        self.assertNotEqual(log.line_ids.partner_id.parent_id, self.mueller)

    def test_a_strong_suggestion_is_preselected_for_the_user_to_confirm(self):
        wizard = self.reference("Name,Email,Company\nAnn,ann@acmelogistics.example,Acme Logistcs\n")
        line = self.line(wizard, "Acme Logistcs")
        self.assertEqual((line.decision, line.company_id, line.preselected), ("link", self.logistics, True))
        self.assertIn("Suggestion to confirm", line.decision_note)
        # a bare similar name is never pre-selected
        bare = self.reference("Name,Email,Company\nBo,bo@gmail.com,Acme Logistcs\n", name="bare.csv")
        self.assertEqual(self.line(bare, "Acme Logistcs").decision, "create")

    def test_the_bulk_choice_keeps_what_the_user_decided_one_by_one(self):
        data = "Name,Company\nAnn,Zeta One\nBob,Zeta Two Labs\nCid,Omega Three Works\n"
        wizard = self.reference(data)
        with Form(wizard) as form:
            with form.unmatched_line_ids.edit(0) as edit:
                edit.decision = "create"  # decided by the user, the same as the default
            form.bulk_apply = True
            form.bulk_decision = "skip"
            self.assertIn(
                "2 companies changed by the bulk choice; 1 decided one by one kept", form.bulk_message
            )
        decisions = {line.name: line.decision for line in wizard.company_line_ids}
        first = wizard.unmatched_line_ids[0].name
        self.assertEqual(decisions[first], "create")
        self.assertEqual([d for n, d in decisions.items() if n != first], ["skip", "skip"])

    def test_company_lines_written_a_slice_at_a_time_keep_the_users_decisions(self):
        self.patch(reference_module, "LINES_PER_WRITE", 2)
        data = (
            "Name,Company\nAnn,Zeta One\nBob,Zeta Two Labs\nCid,Omega Three\nDan,Acme Intl\nEve,Mueller Bau\n"
        )

        def lines(wizard):
            return {
                line.name: (
                    line.decision,
                    line.decision_by_user,
                    line.match_status,
                    line.suggestion_ids.company_id,
                )
                for line in wizard.company_line_ids
            }

        wizard = self.reference(data)
        with Form(wizard) as form, form.unmatched_line_ids.edit(0) as edit:
            edit.decision = "skip"
        before = lines(wizard)
        self.assertEqual(len(before), 5)
        self.assertIn(("skip", True), [decision[:2] for decision in before.values()])
        self.assertTrue(any(decision[3] for decision in before.values()))  # suggestions too
        wizard.action_back()
        wizard.action_back()  # the mapping: Next writes the lines again, over the old ones
        wizard.action_next()
        wizard.action_next()
        self.assertEqual(lines(wizard), before)
        self.assertEqual(len(wizard.company_line_ids), 5)
        log = self.finish(wizard)
        self.assertEqual((log.contacts_created + log.rows_ignored, log.rows_ignored), (5, 1))

    def test_look_alikes_of_the_file_can_be_merged_into_one_company(self):
        data = "Name,Company\nAnn,Zephyr Analytics\nBob,Zephir Analytics\n"
        wizard = self.reference(data)
        zephir = self.line(wizard, "Zephir Analytics")
        self.assertTrue(zephir.look_alike_key)
        self.assertIn("Zephyr Analytics", zephir.look_alike_reason)
        zephir.action_merge_look_alike()
        self.assertEqual(zephir.decision, "merge")
        log = self.finish(wizard)
        self.assertEqual(log.companies_created, 1)
        self.assertEqual(len(log.line_ids.partner_id.parent_id), 1)

    def test_the_suggestions_dialog_returns_to_the_wizard(self):
        wizard = self.reference("Name,Email,Company\nAnn,ann@gmail.com,Acme Logistcs\n")
        line = self.line(wizard, "Acme Logistcs")
        opened = line.action_open()
        self.assertEqual((opened["res_model"], opened["target"]), (line._name, "new"))
        back = line.action_back_to_wizard()
        self.assertEqual((back["res_model"], back["res_id"]), (wizard._name, wizard.id))
        self.assertEqual(wizard.state, "reference")
        picked = line.suggestion_ids[:1]
        back = picked.action_pick()
        self.assertEqual(
            (back["res_id"], line.decision, line.company_id), (wizard.id, "link", picked.company_id)
        )
