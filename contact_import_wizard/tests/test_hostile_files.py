from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ContactImportCase

# sample -> the message the Upload step shows; nothing is written.
REFUSED = {
    "hostile_shared_strings_declared.xlsx": "hostile_shared_strings_declared.xlsx holds 1,000,000 shared "
    "texts, more than its sheets can use: the limit is 6 (its 6 text cells, and at most 256 per row for "
    "1,048,576 rows). It is refused.",
    "hostile_shared_strings_lying.xlsx": "hostile_shared_strings_lying.xlsx holds more shared texts than its "
    "sheets can use: the limit is 6 (its 6 text cells, and at most 256 per row for 1,048,576 rows). "
    "It is refused.",
    "hostile_shared_strings.xls": "hostile_shared_strings.xls declares 3,000,000 shared texts, more than its "
    "sheets can use: the limit is 28 (the cells its sheets declare, at most 256 per row). It is refused.",
    "hostile_entities.ods": "hostile_entities.ods declares a document type or entities in content.xml, which "
    "spreadsheets never need and attacks on servers use. It is refused.",
    "hostile_empty.csv": "The file hostile_empty.csv is empty.",
    "hostile_header_only.csv": "hostile_header_only.csv has a header row but no data rows.",
    "hostile_garbage.csv": "hostile_garbage.csv is not a text file "
    "and cannot be read as CSV. "
    "Supported formats are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), "
    "OpenDocument spreadsheets (.ods) and vCard contacts (.vcf).",
    "hostile_not_zip.xlsx": "hostile_not_zip.xlsx is named like an Excel workbook "
    "but is not a valid .xlsx file. "
    "Supported formats are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), "
    "OpenDocument spreadsheets (.ods) and vCard contacts (.vcf).",
    "hostile_protected.xlsx": "hostile_protected.xlsx is password-protected (encrypted), so it cannot be "
    "read. Save it again without a password, as .xlsx or CSV.",
    "hostile_zip_bomb.xlsx": "hostile_zip_bomb.xlsx would expand to 20 MB, "
    "868 times its own size; the limit is "
    "1024 MB and 100 times. It is refused.",
    "hostile_mixed_encoding.csv": "The file mixes UTF-8 text with another encoding (row 3 is not UTF-8). "
    "Save it again in a single encoding, UTF-8 preferably.",
}


@tagged("post_install", "-at_install")
class TestHostileFiles(ContactImportCase):
    def counts(self):
        return (self.env["res.partner"].search_count([]), self.env["contact.import.log"].search_count([]))

    def import_sample(self, name):
        wizard = self.upload(self.sample(name), name).save()
        for _step in range(4):
            wizard.action_next()
        return wizard, self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

    def test_refused_files_say_why_and_write_nothing(self):
        for name, message in REFUSED.items():
            with self.subTest(name=name):
                before = self.counts()
                form = self.upload(self.sample(name), name)
                self.assertEqual(form.read_error, message)
                wizard = form.save()
                with self.assertRaisesRegex(
                    Exception, "^" + message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
                ):
                    wizard.action_next()
                self.assertEqual(self.counts(), before)

    def test_formula_without_value_is_reported_and_imported_empty(self):
        wizard = self.upload(self.sample("hostile_formula.xlsx"), "hostile_formula.xlsx").save()
        wizard.action_next()
        wizard.column_ids.filtered(lambda c: c.header == "Score").target = "comment"
        wizard.action_next()
        problem = wizard.problem_ids.filtered(lambda p: p.code == "formula_without_value")
        self.assertEqual((problem.row_number, problem.column, problem.severity), (2, "Score", "warning"))
        self.assertTrue(problem.message.startswith("Cell C2 holds the formula =1+1 but no computed value"))

    def test_control_characters_removed_long_cells_and_line_endings_kept(self):
        _wizard, log = self.import_sample("hostile_controls.csv")
        self.assertEqual(
            self.env["res.partner"].search([("email", "=", "ann@controls.example")]).name, "Ann Lee"
        )
        wizard = self.upload(self.sample("hostile_long_cell.csv"), "hostile_long_cell.csv").save()
        wizard.action_next()
        wizard.column_ids.filtered(lambda c: c.header == "Notes").target = "comment"
        for _step in range(3):
            wizard.action_next()
        wizard.action_import()
        partner = self.env["res.partner"].search([("email", "=", "long@cell.example")])
        self.assertEqual(partner.comment.count("y"), 100_000)
        _wizard, log = self.import_sample("hostile_mixed_endings.csv")
        self.assertEqual(log.contacts_created, 3)

    def test_duplicate_and_empty_headers(self):
        form = self.upload(self.sample("hostile_headers.csv"), "hostile_headers.csv")
        self.assertEqual(form.column_names, ["Name", "Email", "Column 3", "Email (2)"])
        self.assertIn(
            "Header 'Email' appears more than once; column 4 is called 'Email (2)'.", form.read_warnings
        )
        self.assertIn("Column 3 has no header; it is called 'Column 3'.", form.read_warnings)
        wizard = form.save()
        wizard.action_next()
        targets = {c.header: c.target for c in wizard.column_ids}
        self.assertEqual((targets["Email"], targets["Email (2)"]), ("email", "ignore"))

    def test_right_to_left_and_emoji_kept_exactly(self):
        _wizard, log = self.import_sample("hostile_rtl_emoji.csv")
        partner = self.env["res.partner"].search([("email", "=", "mohamed@rtl.example")])
        self.assertEqual(partner.name, "محمد العلي 🎉")
        self.assertEqual(partner.parent_id.name, "شركة النور")

    def test_markup_stays_inert_in_views_and_exports(self):
        wizard = self.upload(self.sample("hostile_markup.csv"), "hostile_markup.csv").save()
        self.assertNotIn("<script>", wizard.preview_html)
        for _step in range(4):
            wizard.action_next()
        self.assertNotIn("<i>Italic</i>", wizard.review_html)
        self.assertIn("&lt;i&gt;Italic&lt;/i&gt; Co", wizard.review_html)
        log = self.env["contact.import.log"].browse(wizard.action_import()["res_id"])
        # stored as text, exactly as typed; Odoo's views escape text fields
        partner = self.env["res.partner"].search([("email", "=", "img@markup.example")])
        self.assertEqual(partner.name, "<img src=x onerror=alert(2)>")
        self.assertEqual(partner.parent_id.name, "<i>Italic</i> Co")
        line = log.line_ids.filtered(lambda line: line.row_number == 2)
        self.assertIn("Name: <script>alert(1)</script>", line.values_display)
        action = log.action_download_ignored_csv()
        attachment = self.downloaded(action)
        self.assertIn("<script>alert(1)</script>", attachment.raw.decode("utf-8-sig"))
        self.assertEqual(attachment.mimetype, "text/csv")  # served as a download, not as a page


@tagged("post_install", "-at_install")
class TestReadingTimeBudget(ContactImportCase):
    def test_a_file_too_long_to_read_in_a_request_stops_with_a_message(self):
        """Past its time budget (a share of Odoo's own request limit, or the
        read_seconds parameter), reading stops with a message instead of a worker killed."""
        self.env["ir.config_parameter"].sudo().set_param("contact_import_wizard.read_seconds", "0.05")
        data = b"Name,Email\n" + b"".join(b"P%d,p%d@slow.example\n" % (i, i) for i in range(200_000))
        form = self.upload(data, "slow.csv")  # above 2 MB: counted at Next, not here
        self.assertFalse(form.row_count_exact)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "took longer than"):
            wizard.action_next()
        self.assertEqual(wizard.state, "upload")
