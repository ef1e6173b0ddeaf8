import base64
import csv
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.contact_import_executor import ImportExecutor
from ..wizards import contact_import_wizard as wizard_module
from .common import ContactImportCase

MIXED = """Name,E-mail,Company,City,Phone
Ann Lee,ann@acme.example,Acme GmbH,Berlin,+49 30 1234567
Bob Roe,bob@acme.example,ACME,,
Cid Diaz,cid@blue.example,Blue River Foods Inc.,Lyon,
Dan Kim,dan@blue.example,blue river foods,Lyon,
Eve Chen,eve@blue.example,"Blue River Foods, Inc",Lyon,
Fay Ito,fay@free.example,,Paris,
Gus Berg,known@old.example,Acme GmbH,,
Hal Wolf,not-an-email,Nowhere Ltd,,
Ida Hahn,ida@stark.example,Stark Industires,,
"""


@tagged("post_install", "-at_install")
class TestWizardFlow(ContactImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "ACME GmbH", "is_company": True, "city": "Munich"})
        cls.stark = Partner.create({"name": "Stark Industries", "is_company": True})
        cls.known = Partner.create({"name": "Gus Old", "email": "known@old.example", "function": "Intern"})

    def next_step(self, wizard):
        wizard.action_next()
        return wizard

    def start(self, data=MIXED, name="people.csv", user=None):
        form = self.upload(data.encode() if isinstance(data, str) else data, name, user)
        return self.next_step(form.save())

    def lines_by_name(self, wizard):
        return {line.name: line for line in wizard.company_line_ids}

    def test_one_engine_pass_per_user_decision(self):
        Engine = type(self.env["contact.import.engine"])
        validate = Engine._validate_file
        passes = []

        def counted(engine, *args, **kwargs):
            passes.append(1)
            return validate(engine, *args, **kwargs)

        self.patch(Engine, "_validate_file", counted)
        wizard = self.start()
        self.next_step(self.next_step(self.next_step(wizard)))
        self.assertEqual((wizard.state, len(passes)), ("review", 1))  # validation, reference, review
        wizard.action_back()
        wizard.action_back()
        wizard.action_back()  # back at the mapping: a decision that changes the result
        wizard.column_ids.filtered(lambda c: c.header == "Phone").target = "ignore"
        self.next_step(self.next_step(self.next_step(wizard)))
        self.assertEqual(len(passes), 2)
        wizard.action_import()
        self.assertEqual(len(passes), 2)  # the import works from the same result

    def test_the_file_kept_with_a_log_is_not_indexed_for_search(self):
        wizard = self.start()
        self.next_step(self.next_step(self.next_step(wizard)))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.attachment_id.mimetype, "text/csv")
        self.assertEqual(log.attachment_id.raw, MIXED.encode())
        self.assertFalse(log.attachment_id.index_content)
        # any other text file is indexed as Odoo indexes it
        other = self.env["ir.attachment"].create({"name": "notes.csv", "raw": MIXED.encode()})
        self.assertIn("Blue River Foods", other.index_content)

    def test_a_worker_keeps_few_large_engine_results(self):
        self.patch(wizard_module, "_ENGINE_CACHE_ROWS", 12)
        wizard_module._ENGINE_CACHE.clear()
        first, second = self.start(), self.start()
        self.next_step(first)
        self.assertEqual(len(wizard_module._ENGINE_CACHE), 1)
        self.next_step(second)  # 9 + 9 rows: more than 12, the older one is let go
        self.assertEqual(len(wizard_module._ENGINE_CACHE), 1)
        self.assertEqual(next(iter(wizard_module._ENGINE_CACHE))[1], second.id)

    def test_full_flow_with_decisions(self):
        wizard = self.start()
        self.assertEqual(wizard.state, "mapping")
        targets = {c.header: c.target for c in wizard.column_ids}
        self.assertEqual(
            targets,
            {"Name": "name", "E-mail": "email", "Company": "company", "City": "city", "Phone": "phone"},
        )
        self.assertTrue(all(c.reason for c in wizard.column_ids))
        self.assertIn("Berlin", wizard.column_ids.filtered(lambda c: c.header == "City").samples)

        self.next_step(wizard)
        self.assertEqual(wizard.state, "validation")
        self.assertEqual(wizard.count_format, 1)  # not-an-email
        self.assertEqual(wizard.count_duplicate, 1)  # known@old.example
        self.assertEqual(wizard.rows_blocked, 1)
        form = Form(wizard)
        form.problem_filter = "error"
        self.assertEqual(len(form.shown_problem_ids), 1)
        form.problem_filter = "duplicate"
        self.assertEqual(form.shown_problem_ids[0].code, "exists_in_odoo")
        form.problem_filter = False
        self.assertEqual(len(form.shown_problem_ids), wizard.problem_total)
        action = wizard.action_download_problems()
        attachment = self.downloaded(action)
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Row", "Column", "Value", "Stage", "Severity", "Message"])
        self.assertIn(
            [
                "9",
                "E-mail",
                "not-an-email",
                "Formats",
                "Error",
                "'not-an-email' in column E-mail is not a valid email address.",
            ],
            rows,
        )
        self.assertEqual(len(rows) - 1, wizard.problem_total)
        problem = wizard.problem_ids.filtered(lambda p: p.code == "invalid_email")
        self.assertEqual((problem.row_number, problem.column, problem.value), (9, "E-mail", "not-an-email"))
        self.assertEqual(problem.message, "'not-an-email' in column E-mail is not a valid email address.")
        # a reference-data warning names its column and value too
        unmatched = wizard.problem_ids.filtered(lambda p: p.code == "company_unmatched" and p.row_number == 4)
        self.assertEqual((unmatched.column, unmatched.value), ("Company", "Blue River Foods Inc."))

        self.next_step(wizard)
        self.assertEqual(wizard.state, "reference")
        lines = self.lines_by_name(wizard)
        self.assertEqual(lines["Acme GmbH"].match_status, "matched")
        self.assertEqual(lines["Acme GmbH"].company_id, self.acme)
        self.assertEqual(lines["Acme GmbH"].row_count, 3)
        self.assertIn("Same name", lines["Acme GmbH"].match_reason)
        blue = lines["Blue River Foods Inc."]
        self.assertEqual((blue.match_status, blue.row_count, blue.decision), ("unmatched", 3, "create"))
        stark = lines["Stark Industires"]
        self.assertEqual(stark.match_status, "unmatched")
        self.assertEqual(stark.suggestion_ids[:1].company_id, self.stark)
        self.assertIn("alike", stark.suggestion_ids[:1].reason)
        self.assertNotIn("Nowhere Ltd", lines)  # its only row has a blocking error
        # one click on the suggestion links Stark
        stark.suggestion_ids[:1].action_pick()
        self.assertEqual((stark.decision, stark.company_id), ("link", self.stark))

        self.next_step(wizard)
        self.assertEqual(wizard.state, "review")
        self.assertEqual(
            (
                wizard.review_companies,
                wizard.review_creates,
                wizard.review_updates,
                wizard.review_linked,
                wizard.review_ignored,
            ),
            (1, 7, 0, 3, 2),
        )
        action = wizard.action_import()
        log = self.env["contact.import.log"].browse(action["res_id"])
        self.assertEqual(
            log.state, "done", log.line_ids.filtered(lambda line: line.status == "error").mapped("message")
        )
        self.assertEqual(
            (
                log.contacts_created,
                log.contacts_linked,
                log.companies_created,
                log.rows_ignored,
                log.rows_error,
            ),
            (7, 3, 1, 2, 0),
        )
        self.assertEqual(log.user_id, self.manager_user)
        self.assertEqual(base64.b64decode(log.attachment_id.datas), MIXED.encode())
        # fields, decisions and options by their labels, not their keys
        self.assertIn("E-mail → Email", log.details)
        self.assertIn("Stark Industires: Link to existing company #%s" % self.stark.id, log.details)
        self.assertIn("Blue River Foods Inc.: Create new company", log.details)
        self.assertIn(
            "Contacts already in Odoo: Skip them; addresses: Use the company's address", log.details
        )
        Partner = self.env["res.partner"]
        blue_company = Partner.search([("name", "=", "Blue River Foods Inc."), ("is_company", "=", True)])
        self.assertEqual(len(blue_company), 1)
        self.assertEqual(blue_company.contact_import_log_id, log)
        self.assertEqual(sorted(blue_company.child_ids.mapped("name")), ["Cid Diaz", "Dan Kim", "Eve Chen"])
        ann = Partner.search([("email", "=", "ann@acme.example")])
        self.assertEqual(ann.parent_id, self.acme)
        self.assertEqual(ann.phone, "+49 30 1234567")
        self.assertEqual(blue_company.city, "Lyon")
        self.assertEqual(set(blue_company.child_ids.mapped("city")), {"Lyon"})
        self.assertEqual(Partner.search([("email", "=", "ida@stark.example")]).parent_id, self.stark)
        fay = Partner.search([("email", "=", "fay@free.example")])
        self.assertFalse(fay.parent_id)
        self.assertEqual(fay.city, "Paris")
        # existing contact skipped, untouched
        self.assertEqual(self.known.function, "Intern")
        statuses = {line.row_number: line.status for line in log.line_ids}
        self.assertEqual(
            statuses,
            {
                2: "linked",
                3: "linked",
                4: "created",
                5: "created",
                6: "created",
                7: "created",
                8: "skipped",
                9: "ignored",
                10: "linked",
            },
        )
        error = log.line_ids.filtered(lambda line: line.row_number == 9)
        self.assertIn("not a valid email address", error.message)
        self.assertEqual(error.values, ["Hal Wolf", "not-an-email", "Nowhere Ltd", "", ""])
        # existing company never modified: Ann's Berlin address is not pushed to ACME
        self.assertEqual(self.acme.city, "Munich")
        self.assertEqual(ann.city, "Munich")
        ann_line = log.line_ids.filtered(lambda line: line.row_number == 2)
        self.assertIn("company's address is used", ann_line.message)

    def test_bulk_skip_all_unmatched(self):
        wizard = self.next_step(self.next_step(self.start()))
        form = Form(wizard)
        form.bulk_apply = True
        form.bulk_decision = "skip"
        wizard = form.save()
        unmatched = wizard.company_line_ids.filtered(lambda line: line.match_status != "matched")
        self.assertEqual(set(unmatched.mapped("decision")), {"skip"})
        self.next_step(wizard)
        self.assertEqual(wizard.review_companies, 0)
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.companies_created, 0)
        skipped = log.line_ids.filtered(lambda line: line.status == "skipped")
        self.assertIn("Company 'Stark Industires' is skipped in Reference Data.", skipped.mapped("message"))
        self.assertFalse(self.env["res.partner"].search([("email", "=", "cid@blue.example")]))

    def test_bulk_link_best_suggestion_and_create(self):
        wizard = self.next_step(self.next_step(self.start()))
        wizard.bulk_decision = "link"
        wizard.action_apply_bulk()
        lines = self.lines_by_name(wizard)
        self.assertEqual(lines["Stark Industires"].company_id, self.stark)
        self.assertEqual(lines["Blue River Foods Inc."].decision, "create")  # nothing to link to

    def test_link_to_chosen_company_and_back_keeps_choices(self):
        wizard = self.next_step(self.next_step(self.start()))
        form = Form(wizard)
        with form.unmatched_line_ids.edit(0) as line:
            self.assertEqual(line.name, "Blue River Foods Inc.")
            line.decision = "link"
            line.company_id = self.acme
        wizard = form.save()
        wizard.action_back()
        wizard.action_back()
        self.assertEqual(wizard.state, "mapping")
        self.next_step(self.next_step(wizard))
        blue = self.lines_by_name(wizard)["Blue River Foods Inc."]
        self.assertEqual((blue.decision, blue.company_id), ("link", self.acme))
        self.next_step(wizard)
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(
            self.env["res.partner"].search([("email", "=", "dan@blue.example")]).parent_id, self.acme
        )
        created = self.env["res.partner"].search(
            [("contact_import_log_id", "=", log.id), ("is_company", "=", True)]
        )
        self.assertEqual(created.mapped("name"), ["Stark Industires"])  # still "create" by default

    def test_link_requires_a_company_the_user_can_read_and_a_company(self):
        wizard = self.next_step(self.next_step(self.start()))
        line = self.lines_by_name(wizard)["Blue River Foods Inc."]
        line.write({"decision": "link", "company_id": self.known.id})
        with self.assertRaisesRegex(UserError, "Only companies can be linked"):
            wizard.action_next()

    def test_update_policy_updates_existing_contact(self):
        wizard = self.start()
        wizard.duplicate_policy = "update"
        self.next_step(self.next_step(self.next_step(wizard)))
        self.assertEqual(wizard.review_updates, 1)
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.contacts_updated, 1)
        self.assertEqual(self.known.name, "Gus Berg")
        self.assertEqual(self.known.parent_id, self.acme)
        line = log.line_ids.filtered(lambda line: line.status == "updated")
        self.assertEqual(line.partner_id, self.known)
        self.assertEqual(line.previous_values["name"], "Gus Old")

    def test_mapping_errors_block_next(self):
        wizard = self.start()
        wizard.column_ids.filtered(lambda c: c.header == "Name").target = False
        with self.assertRaisesRegex(UserError, "No column is mapped to Name"):
            wizard.action_next()
        wizard.column_ids.filtered(lambda c: c.header == "Name").target = "email"
        with self.assertRaisesRegex(UserError, "are all mapped to Email; keep only one"):
            wizard.action_next()

    def test_upload_errors_block_next(self):
        wizard = self.upload(b"Name\n", "empty.csv").save()
        with self.assertRaisesRegex(UserError, "empty.csv has a header row but no data rows"):
            wizard.action_next()

    def test_keep_address_policy(self):
        wizard = self.next_step(self.next_step(self.next_step(self.start())))
        # Ann's Berlin differs from ACME's Munich; the 3 Lyon rows agree: their new company takes Lyon.
        self.assertEqual(wizard.review_address_conflicts, 1)
        wizard.address_policy = "keep"
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        ann = self.env["res.partner"].search([("email", "=", "ann@acme.example")])
        self.assertEqual((ann.parent_id, ann.type, ann.city), (self.acme, "other", "Berlin"))
        self.assertEqual(self.acme.city, "Munich")
        self.assertEqual(
            log.state, "done", log.line_ids.filtered(lambda line: line.status == "error").mapped("message")
        )

    def test_fill_empty_company_fields_opt_in(self):
        data = (
            "Name,Email,Company,City,Company website\n"
            "Ann,ann@s.example,Stark Industries,Malibu,stark.example\n"
        )
        wizard = self.next_step(self.next_step(self.next_step(self.start(data))))
        wizard.fill_company_fields = True
        wizard.action_import()
        self.assertEqual(self.stark.website, "https://stark.example")
        self.assertEqual(self.stark.city, "Malibu")

    def test_template_save_and_ignored_rows_round_trip(self):
        wizard = self.start()
        wizard.column_ids.filtered(lambda c: c.header == "City").target = False  # ignore City
        wizard.template_name = "Sales export"
        wizard.action_save_template()
        template = wizard.mapping_template_id
        self.assertEqual(template.column_map["City"], None)
        self.assertEqual(template.column_map["E-mail"], "email")
        self.next_step(self.next_step(self.next_step(wizard)))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

        action = log.action_download_ignored_csv()
        attachment = self.downloaded(action)
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig"))))
        self.assertEqual(
            rows[0], ["Name", "E-mail", "Company", "City", "Phone", "Reason", "Row in the original file"]
        )
        self.assertEqual([r[0] for r in rows[1:]], ["Gus Berg", "Hal Wolf"])
        self.assertIn("not a valid email address", rows[2][5])
        # fix the bad email and import the file again: the saved mapping is recognised
        rows[2][1] = "hal@nowhere.example"
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        again = self.start(buffer.getvalue(), "fixed.csv")
        self.assertEqual(again.mapping_template_id, template)
        self.assertEqual(again.column_ids.filtered(lambda c: c.header == "City").target, "ignore")
        self.assertEqual(again.column_ids.filtered(lambda c: c.header == "Reason").target, "ignore")
        self.next_step(self.next_step(self.next_step(again)))
        log2 = self.env["contact.import.log"].browse(again.action_import()["res_id"])
        self.assertEqual(log2.contacts_created, 1)  # Hal; Gus still exists in Odoo and is skipped
        self.assertTrue(self.env["res.partner"].search([("email", "=", "hal@nowhere.example")]))

    def test_ignored_rows_xlsx_is_inert(self):
        data = 'Name,Email,Company\n=HYPERLINK("http://x"),bad,Acme\n'
        wizard = self.next_step(self.next_step(self.next_step(self.start(data))))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        action = log.action_download_ignored_xlsx()
        attachment = self.downloaded(action)
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        # typed text: shown as it is, never run, and imported again as it was
        self.assertEqual(sheet["A2"].value, '=HYPERLINK("http://x")')
        self.assertEqual(sheet["A2"].data_type, "s")
        csv_action = log.action_download_ignored_csv()
        csv_file = self.downloaded(csv_action)
        self.assertIn("'=HYPERLINK", csv_file.raw.decode("utf-8-sig"))

    def test_a_row_failing_at_write_time_is_isolated(self):
        Partner = self.env.registry["res.partner"]
        original_create = Partner.create

        def create(records, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(vals.get("name") == "Boom Boom" for vals in vals_list):
                raise ValidationError("Boom Boom is not welcome here.")
            return original_create(records, vals_list)

        self.patch(Partner, "create", create)
        data = (
            "Name,Email,Company\n"
            "Ann Lee,ann@ok.example,Okay Corp\n"
            "Boom Boom,boom@ko.example,Boom Corp\n"
            "Cid Diaz,cid@ok.example,Okay Corp\n"
        )
        wizard = self.next_step(self.next_step(self.next_step(self.start(data))))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.state, "done_errors")
        self.assertEqual((log.contacts_created, log.rows_error, log.companies_created), (2, 1, 1))
        error = log.line_ids.filtered(lambda line: line.status == "error")
        self.assertEqual((error.row_number, error.message), (3, "Boom Boom is not welcome here."))
        # Boom Corp was created for its only contact, which failed: it is removed again.
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Boom Corp")]))
        okay = self.env["res.partner"].search([("name", "=", "Okay Corp")])
        self.assertEqual(sorted(okay.child_ids.mapped("name")), ["Ann Lee", "Cid Diaz"])

    def test_an_update_failing_at_write_time_is_isolated(self):
        other = self.env["res.partner"].create({"name": "Other Old", "email": "other@old.example"})
        Partner = self.env.registry["res.partner"]
        original_write = Partner.write

        def write(records, vals):
            if vals.get("name") == "Boom Update":
                raise ValidationError("This contact is locked.")
            return original_write(records, vals)

        self.patch(Partner, "write", write)
        data = "Name,Email\nBoom Update,known@old.example\nNew Name,other@old.example\n"
        wizard = self.start(data)
        wizard.duplicate_policy = "update"
        self.next_step(self.next_step(self.next_step(wizard)))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.contacts_updated, log.rows_error, log.state), (1, 1, "done_errors"))
        self.assertEqual(self.known.name, "Gus Old")
        self.assertEqual(other.name, "New Name")
        error = log.line_ids.filtered(lambda line: line.status == "error")
        self.assertEqual(
            (error.row_number, error.message, error.partner_id), (2, "This contact is locked.", self.known)
        )
        updated = log.line_ids.filtered(lambda line: line.status == "updated")
        self.assertEqual(updated.previous_values, {"name": "Other Old", "email": "other@old.example"})

    def test_an_import_breaking_down_as_a_whole_is_logged_as_failed_and_resumable(self):
        original = ImportExecutor._create_partners
        broken = []

        def create_partners(executor, vals_list, labels, sync=False):
            if not broken:
                broken.append(1)
                original(executor, vals_list, labels, sync)  # written, then rolled back with the rest
                raise OSError("disk full")
            return original(executor, vals_list, labels, sync)

        self.patch(ImportExecutor, "_create_partners", create_partners)
        wizard = self.next_step(self.next_step(self.next_step(self.start())))
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual(log.state, "failed")
        self.assertIn("disk full", log.message)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Blue River Foods Inc.")]))
        self.assertFalse(self.env["res.partner"].search([("email", "=", "ann@acme.example")]))
        self.assertEqual(set(log.line_ids.mapped("status")), {"not_done"})
        self.assertEqual(len(log.line_ids), 9)  # every row of the file says it was not done
        self.patch(type(log), "_use_queue_job", lambda self: False)
        log.with_user(self.manager_user).action_resume()
        self.assertEqual(log.state, "queued")
        self.patch(type(log), "_cron_commit", lambda self, done: True)
        self.env["contact.import.log"]._cron_process_queue()
        self.assertEqual((log.state, log.contacts_created, log.companies_created), ("done", 7, 2))
