from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ContactImportCase


@tagged("post_install", "-at_install")
class TestUploadStep(ContactImportCase):
    def test_csv_with_bom_and_semicolons_shows_columns_and_rows(self):
        form = self.upload(self.sample("bom_semicolon.csv"), "bom_semicolon.csv")
        self.assertEqual(form.file_format, "CSV")
        self.assertEqual(form.detected_encoding, "utf-8-sig")
        self.assertEqual(form.detected_delimiter, "Semicolon (;)")
        self.assertEqual(form.column_names, ["Name", "Email", "Company", "City"])
        self.assertEqual(form.column_count, 4)
        self.assertEqual(form.row_count, 2)
        self.assertFalse(form.read_error)
        self.assertIn("<th>Company</th>", form.preview_html)
        self.assertIn("Jürgen Müller", form.preview_html)
        self.assertIn("Acme; Inc", form.preview_html)
        wizard = form.save()
        self.assertEqual(wizard.state, "upload")
        self.assertEqual(wizard.create_uid, self.manager_user)

    def test_separator_and_encoding_override(self):
        data = "Name;Notes\nJosé;a,b\n".encode("latin-1")
        form = self.upload(data, "people.csv")
        self.assertEqual(form.detected_encoding, "cp1252")
        form.encoding_override = "latin-1"
        form.delimiter_override = ","
        # Read with a comma, the row splits differently: the preview follows the override.
        self.assertEqual(form.column_names, ["Name;Notes"])
        self.assertIn("José;a", form.preview_html)
        form.delimiter_override = ";"
        self.assertEqual(form.column_names, ["Name", "Notes"])

    def test_xlsx_shows_sheet_and_typed_cells(self):
        form = self.upload(self.sample("phones_phantom.xlsx"), "phones_phantom.xlsx")
        self.assertEqual(form.file_format, "XLSX")
        self.assertEqual(form.detected_sheet, "Contacts")
        self.assertEqual(form.sheet_names, "Empty, Contacts")
        self.assertEqual(form.row_count, 2)
        self.assertIn("4915112345678", form.preview_html)
        self.assertIn("01067", form.preview_html)

    def test_header_only_file_explains_itself(self):
        form = self.upload(b"Name,Email\n", "header.csv")
        self.assertEqual(form.read_error, "header.csv has a header row but no data rows.")
        self.assertFalse(form.column_names)
        self.assertFalse(form.preview_html)

    def test_markup_in_cells_stays_inert(self):
        data = b"Name,Company\n<script>alert(1)</script>,<b>Bold</b> Inc\n"
        form = self.upload(data, "evil.csv")
        self.assertNotIn("<script>", form.preview_html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", form.preview_html)
        self.assertIn("&lt;b&gt;Bold&lt;/b&gt; Inc", form.preview_html)

    def test_user_without_contact_rights_cannot_open_the_wizard(self):
        with self.assertRaises(AccessError):
            self.env["contact.import.wizard"].with_user(self.plain_user).create({})
        self.assertFalse(self.plain_user.has_group("contact_import_wizard.group_contact_import"))
        menus = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("contact_import_wizard.contact_import_wizard_menu").id, menus)

    def test_partner_manager_sees_the_import_menu(self):
        self.assertTrue(self.manager_user.has_group("contact_import_wizard.group_contact_import"))
        menus = self.env["ir.ui.menu"].with_user(self.manager_user)._visible_menu_ids()
        self.assertIn(self.env.ref("contact_import_wizard.contact_import_wizard_menu").id, menus)
        self.assertIn(self.env.ref("contact_import_wizard.contact_import_log_menu").id, menus)
        plain_menus = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("contact_import_wizard.contact_import_log_menu").id, plain_menus)
