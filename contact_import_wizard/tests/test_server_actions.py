"""The contacts list's server actions (Link to companies, Convert to Customer), the
unattended link of automation rules, and who may run them."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .convert_common import ConvertCase


@tagged("post_install", "-at_install")
class TestServerActions(ConvertCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.link_action = cls.env.ref("contact_import_wizard.action_server_partner_link")
        cls.convert_action = cls.env.ref("contact_import_wizard.action_server_partner_convert")
        cls.auto_action = cls.env.ref("contact_import_wizard.action_server_partner_auto_link")

    def run_action(self, action, partners, user=None):
        """Run a server action on a selection, as the list's Actions menu does."""
        return (
            action.with_user(user or self.manager)
            .with_context(active_model="res.partner", active_ids=partners.ids, active_id=partners[:1].id)
            .run()
        )

    def line(self, wizard, name):
        return wizard.company_line_ids.filtered(lambda line: line.name == name)

    # -- Link to companies -------------------------------------------------------------------
    def web_form_contacts(self):
        return (
            self.contact("Ann", company_name="ACME", email="ann@acme.example")
            | self.contact("Bob", company_name="Blue River Foods", email="bob@blueriver.example", city="Lyon")
            | self.contact("Cid", company_name="blue river foods", email="cid@blueriver.example", city="Lyon")
            | self.contact("Dan", email="dan@nowhere.example")
            | self.contact("Eve", company_name="Stark Industires")
        )

    def test_link_opens_reference_data_with_the_contacts_companies(self):
        people = self.web_form_contacts()
        action = self.run_action(self.link_action, people)
        self.assertEqual((action["res_model"], action["target"]), ("contact.import.wizard", "new"))
        wizard = self.env["contact.import.wizard"].with_user(self.manager).browse(action["res_id"])
        self.assertEqual((wizard.state, wizard.source, wizard.partner_ids), ("reference", "partners", people))
        self.assertEqual(
            {
                line.name: (line.match_status, line.decision, line.company_id)
                for line in wizard.company_line_ids
            },
            {
                "ACME": ("matched", "link", self.acme),
                "Blue River Foods": ("unmatched", "create", self.env["res.partner"]),
                "Stark Industires": ("unmatched", "create", self.env["res.partner"]),
            },
        )
        blue = self.line(wizard, "Blue River Foods")
        self.assertEqual((blue.row_count, blue.contacts), (2, "Row 2: Bob\nRow 3: Cid"))
        stark = self.line(wizard, "Stark Industires")
        self.assertEqual(stark.suggestion_ids[:1].company_id, self.stark)
        self.assertIn("Similar name", stark.suggestion_ids[:1].reason)
        # the user picks the suggestion, reviews, links
        stark.suggestion_ids[:1].action_pick()
        wizard.action_next()
        self.assertEqual(wizard.state, "review")
        self.assertEqual((wizard.review_companies, wizard.review_updates, wizard.review_ignored), (1, 4, 1))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

        self.assertEqual(
            (log.kind, log.state, log.contacts_updated, log.companies_created), ("linking", "done", 4, 1)
        )
        blue_company = self.companies_named("Blue River Foods")
        self.assertEqual(blue_company.city, "Lyon")
        self.assertEqual(
            [p.parent_id for p in people],
            [self.acme, blue_company, blue_company, self.env["res.partner"], self.stark],
        )
        dan_line = log.line_ids.filtered(lambda line: line.row_number == 4)
        self.assertEqual(dan_line.status, "ignored")
        self.assertEqual(dan_line.message, "Dan has no company name: there is no company to link it to.")
        self.assertEqual(log.headers, ["Contact", "Company name", "Email"])

        # revert as for an import
        revert = self.env["contact.import.revert"].with_user(self.import_admin).create({"log_id": log.id})
        revert.action_confirm()
        self.assertFalse(blue_company.exists())
        self.assertFalse(people.parent_id)
        self.assertEqual(
            people.mapped("company_name"),
            ["ACME", "Blue River Foods", "blue river foods", False, "Stark Industires"],
        )

    def test_many_contacts_are_linked_in_the_background(self):
        # (the cron path, as test_background; queue_job takes the same log when installed)
        self.patch(type(self.env["contact.import.log"]), "_use_queue_job", lambda self: False)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("contact_import_wizard.background_threshold", "3")
        params.set_param("contact_import_wizard.chunk_size", "2")
        people = self.web_form_contacts()
        wizard = (
            self.env["contact.import.wizard"]
            .with_user(self.manager)
            .browse(self.run_action(self.link_action, people)["res_id"])
        )
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.kind, log.state, log.runner), ("linking", "queued", "cron"))
        self.assertFalse(people.parent_id)  # nothing written in the request
        self.patch(type(log), "_cron_commit", lambda self, done: True)  # tests cannot commit
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual((log.state, log.contacts_updated, log.companies_created), ("done", 4, 2))
        self.assertEqual(people[0].parent_id, self.acme)
        self.assertEqual(people[1].parent_id, people[2].parent_id)
        self.assertEqual(log.rows_done, 5)

    def test_link_skips_what_the_user_skips_and_cannot_go_back_before_reference_data(self):
        people = self.web_form_contacts()
        wizard = (
            self.env["contact.import.wizard"]
            .with_user(self.manager)
            .browse(self.run_action(self.link_action, people)["res_id"])
        )
        with self.assertRaisesRegex(UserError, "Reference Data is the first step"):
            wizard.action_back()
        with Form(wizard) as form:
            form.bulk_apply = True
            form.bulk_decision = "skip"
        wizard.action_next()
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(people.filtered("parent_id"), people[:1])  # ACME was found: linked
        skipped = log.line_ids.filtered(lambda line: line.status == "skipped")
        self.assertEqual(skipped.mapped("row_number"), [2, 3, 5])
        self.assertFalse(self.companies_named("Blue River Foods"))

    def test_link_refuses_a_selection_without_company_names(self):
        dan = self.contact("Dan")
        with self.assertRaisesRegex(UserError, "Dan has no company name"):
            self.run_action(self.link_action, dan)
        self.assertFalse(self.env["contact.import.wizard"].search([("source", "=", "partners")]))

    def test_a_link_wizard_takes_no_other_contacts_than_its_selection(self):
        people = self.web_form_contacts()
        wizard = (
            self.env["contact.import.wizard"]
            .with_user(self.manager)
            .browse(self.run_action(self.link_action, people)["res_id"])
        )
        other = self.contact("Zed", company_name="Other Co")
        with self.assertRaises(AccessError):
            wizard.write({"partner_ids": [(4, other.id)]})
        with self.assertRaises(UserError):
            self.env["contact.import.wizard"].with_user(self.manager).create({"source": "partners"})

    # -- Convert to Customer from the list ----------------------------------------------------
    def test_convert_from_the_actions_menu_opens_the_confirmation(self):
        people = self.contact("Ann", company_name="ACME") | self.contact("Bob", company_name="New Horizons")
        action = self.run_action(self.convert_action, people)
        wizard = self.env["contact.convert.wizard"].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(
            {line.name: line.decision for line in wizard.line_ids}, {"ACME": "link", "New Horizons": "create"}
        )
        wizard.action_confirm()
        self.assertEqual(people[0].parent_id, self.acme)
        self.assertEqual(people[1].parent_id.name, "New Horizons")

    # -- the unattended link (automation rules) ---------------------------------------------------
    def test_unattended_link_links_unopposed_matches_and_never_creates(self):
        people = (
            self.contact("Ann", company_name="Acme", email="ann@acme.example")  # exact name
            | self.contact(
                "Bob", company_name="Zephir Analytics", email="bob@zephyr.example"
            )  # typo + domain
            | self.contact(
                "Cid", company_name="Wayne Enterprise", email="cid@wayne-holding.example"
            )  # opposed
            | self.contact("Dan", company_name="Nothing Alike Yet")  # nothing
            | self.contact("Eve", company_name="Umbrella")  # found twice
            | self.contact("Fay", company_name="Stark Indust")  # only the name, and not enough
            | self.contact("Gil", company_name="Stark Industires")  # a typo, 93% alike: the threshold links
        )
        companies_before = self.env["res.partner"].search_count([("is_company", "=", True)])
        self.run_action(self.auto_action, people)
        self.assertEqual(self.env["res.partner"].search_count([("is_company", "=", True)]), companies_before)
        self.assertEqual(
            [p.parent_id for p in people],
            [self.acme, self.zephyr] + [self.env["res.partner"]] * 4 + [self.stark],
        )
        log = self.logs("automation")
        self.assertEqual(
            (log.state, log.user_id, log.contacts_updated, log.rows_ignored), ("done", self.manager, 3, 4)
        )
        messages = {line.row_number: (line.status, line.message) for line in log.line_ids}
        self.assertEqual(messages[1][0], "updated")
        self.assertIn("Linked to Acme GmbH: Same name", messages[1][1])
        self.assertIn("Linked to Zephyr Analytics", messages[2][1])
        self.assertEqual(messages[3][0], "skipped")
        self.assertIn(
            "Contacts use wayne-holding.example while this company uses wayne.example", messages[3][1]
        )
        self.assertEqual(messages[4], ("skipped", "No company in Odoo resembles 'Nothing Alike Yet'."))
        self.assertIn("2 companies in Odoo match 'Umbrella' equally", messages[5][1])
        self.assertIn("Stark Industries, scores 85, below the threshold of 90", messages[6][1])
        self.assertIn("Linked to Stark Industries: Similar name: 93% alike", messages[7][1])
        self.assertEqual(log.decisions["acme"]["decision"], "link")
        self.assertEqual(log.decisions["nothing alike yet"]["decision"], "skip")

    def test_unattended_link_as_an_automation_rule_runs_it_and_on_contacts_it_does_not_concern(self):
        # An automation rule's action "Multi Actions" runs the server action as its child.
        multi = self.env["ir.actions.server"].create(
            {
                "name": "When a contact is created",
                "model_id": self.env.ref("base.model_res_partner").id,
                "state": "multi",
                "child_ids": [(4, self.auto_action.id)],
            }
        )
        ann = self.contact("Ann", company_name="ACME")
        self.run_action(multi, ann)
        self.assertEqual(ann.parent_id, self.acme)
        # a contact without company name (or already in a company): nothing done, nothing logged
        bob = self.contact("Bob")
        self.run_action(multi, bob | ann)
        self.assertFalse(bob.parent_id)
        self.assertEqual(len(self.logs("automation")), 1)

    def test_unattended_link_from_a_website_form_runs_as_superuser(self):
        # Website forms create contacts with sudo(): the rule runs in that environment.
        public = self.env.ref("base.public_user")
        ann = self.env["res.partner"].with_user(public).sudo().create({"name": "Ann", "company_name": "ACME"})
        log = ann._contact_import_auto_link()
        self.assertEqual(ann.parent_id, self.acme)
        self.assertEqual((log.kind, log.user_id), ("automation", public))

    def test_threshold_is_a_system_parameter(self):
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.auto_link_threshold", "100")
        bob = self.contact("Bob", company_name="Zephir Analytics", email="bob@zephyr.example")
        log = bob.with_user(self.manager)._contact_import_auto_link()
        self.assertFalse(bob.parent_id)
        self.assertIn("below the threshold of 100", log.line_ids.message)

    # -- access -------------------------------------------------------------------------------------------
    def test_a_plain_internal_user_can_run_none_of_them_and_nothing_is_written(self):
        people = self.contact("Ann", company_name="ACME") | self.contact("Bob", company_name="New Horizons")
        companies_before = self.env["res.partner"].search_count([("is_company", "=", True)])
        for action in (self.link_action, self.convert_action, self.auto_action):
            with self.assertRaises(AccessError, msg=action.name):
                self.run_action(action, people, user=self.plain)
        for method in (
            "action_contact_import_convert",
            "action_contact_import_link",
            "_contact_import_auto_link",
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(people.with_user(self.plain), method)()
        self.assertFalse(people.parent_id)
        self.assertEqual(self.env["res.partner"].search_count([("is_company", "=", True)]), companies_before)
        self.assertFalse(self.env["contact.import.log"].search([("kind", "!=", "import")]))
        self.assertFalse(self.env["contact.convert.wizard"].search([]))

    def test_the_server_actions_show_to_partner_managers_only(self):
        def bound(user):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("res.partner")
            return {action["name"] for action in bindings.get("action", [])}

        names = {"Convert to Customer", "Link to companies"}
        self.assertLessEqual(names, bound(self.manager))
        self.assertFalse(names & bound(self.plain))
        self.assertNotIn(self.auto_action.name, bound(self.manager))

    def test_a_confirmation_is_its_users_only(self):
        ann = self.contact("Ann", company_name="ACME")
        action = ann.with_user(self.manager).action_contact_import_convert()
        other = new_test_user(
            self.env,
            login="cim_conv_other",
            groups="base.group_user,base.group_partner_manager",
            name="Other",
        )
        wizard = self.env["contact.convert.wizard"].with_user(other).browse(action["res_id"])
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            wizard.with_user(self.manager).write({"partner_ids": [(6, 0, [self.stark.id])]})
        self.assertFalse(ann.parent_id)
