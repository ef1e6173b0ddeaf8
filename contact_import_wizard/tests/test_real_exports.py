"""Real export files through the wizard, defaults only: every person comes out right.

One sample per exporter people migrate from (tests/samples/exports/, each with the
exporter's full header set), plus vCard, .xls and .ods files. The expected value of each
field is read from the file's own cells, under the header the exporter puts it in
(EXPECTED of the engine's mapping tests): a wrong guess of the wizard writes another
column's value, and the test says which.
"""

import contextlib

from odoo.tests import tagged

from ..engine import normalize
from ..engine.mapping import PRESETS_BY_KEY
from .common import SAMPLES, ContactImportCase
from .exports import EXPECTED, expected_people


@tagged("post_install", "-at_install")
class TestRealExports(ContactImportCase):
    def import_file(self, data, name):
        """Upload, then Next through every step with what the wizard proposes, then Import."""
        wizard = self.upload(data, name).save()
        for _step in range(4):
            wizard.action_next()
        self.assertEqual(wizard.state, "review")
        return wizard, self.env["contact.import.log"].browse(wizard.action_import()["res_id"])

    @contextlib.contextmanager
    def rolled_back(self):
        savepoint = self.env.cr.savepoint()
        try:
            yield
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def country(self, text):
        if not text:
            return self.env["res.country"]
        code = normalize.clean_text(text)
        from ..engine import countries

        iso = countries.country_code(code) or code.upper()
        return self.env["res.country"].search([("code", "=", iso)], limit=1)

    def check_people(self, log, people, sample):
        by_row = {line.row_number: line for line in log.line_ids}
        for row, expected in people:
            with self.subTest(sample=sample, row=row, name=expected["name"]):
                line = by_row[row]
                self.assertIn(line.status, ("created", "linked"), line.message)
                partner = line.partner_id
                self.assertEqual(partner.name, expected["name"])
                self.assertEqual(partner.email or "", expected["email"])
                self.assertEqual(partner.phone or "", expected["phone"])
                self.assertEqual(partner.function or "", expected["function"])
                if expected["company"]:
                    self.assertEqual(
                        normalize.company_key(partner.parent_id.name),
                        normalize.company_key(expected["company"]),
                    )
                    self.assertTrue(partner.parent_id.is_company)
                    # a contact of a company shares its address (the company's, or its rows')
                    if partner.type == "contact":
                        self.assertEqual(
                            (partner.street, partner.city, partner.zip, partner.country_id),
                            (
                                partner.parent_id.street,
                                partner.parent_id.city,
                                partner.parent_id.zip,
                                partner.parent_id.country_id,
                            ),
                        )
                else:
                    self.assertFalse(partner.parent_id)
                    self.assertEqual(partner.street or "", expected["street"])
                    self.assertEqual(partner.city or "", expected["city"])
                    self.assertEqual(partner.zip or "", expected["zip"])
                    self.assertEqual(partner.country_id, self.country(expected["country"]))

    def test_each_exporters_file_imports_right_with_no_hand_mapping(self):
        for sample, (preset, columns) in EXPECTED.items():
            # each file on a database without the others' contacts (several share people)
            with self.subTest(sample=sample), self.rolled_back():
                wizard, log = self.import_file((SAMPLES / "exports" / sample).read_bytes(), sample)
                self.assertIn(PRESETS_BY_KEY[preset].name, wizard.preset_message or "")
                self.assertEqual(
                    log.state, "done", log.line_ids.filtered(lambda x: x.status == "error").mapped("message")
                )
                people = expected_people(sample, columns)
                self.assertTrue(people)
                self.check_people(log, people, sample)
                # the record's owner is never anybody's name
                names = set(log.line_ids.partner_id.mapped("name"))
                for owner in ("Sarah Sales", "Kenji Owner", "Mitchell Admin"):
                    self.assertNotIn(owner, names)

    def test_an_odoo_export_makes_its_companies_once_with_their_own_data(self):
        _wizard, log = self.import_file((SAMPLES / "exports" / "odoo_contacts.csv").read_bytes(), "odoo.csv")
        Partner = self.env["res.partner"]
        deco = Partner.search([("name", "=", "Deco Addict"), ("is_company", "=", True)])
        self.assertEqual(len(deco), 1)
        self.assertEqual(
            (deco.email, deco.phone, deco.vat, deco.city, deco.country_id.code, deco.state_id.code),
            ("info@decoaddict.example", "(603)-996-3829", "US12345671", "Pleasant Hill", "US", "CA"),
        )
        self.assertEqual(deco.website, "http://www.deco-addict.example")
        self.assertEqual(set(deco.category_id.mapped("name")), {"Customer", "VIP"})
        company_line = log.line_ids.filtered(lambda line: line.row_number == 2)
        self.assertEqual((company_line.status, company_line.partner_id), ("company", deco))
        self.assertFalse(Partner.search([("name", "=", "Deco Addict"), ("is_company", "=", False)]))
        self.assertEqual(set(deco.child_ids.mapped("name")), {"Marc Demo", "Sandra Neal"})

    def test_vcard_xls_and_ods_files_import_too(self):
        _wizard, log = self.import_file((SAMPLES / "contacts.vcf").read_bytes(), "contacts.vcf")
        self.assertEqual(log.state, "done")
        ann = log.line_ids.partner_id.filtered(lambda p: p.name == "Ann Lee")
        self.assertEqual((ann.function, ann.parent_id.name), ("CTO", "Acme GmbH"))
        self.assertTrue(ann.email)
        for sample, names in (
            ("contacts.xls", {"Ann Lee", "Zoë Ōkubo"}),
            ("contacts.ods", {"Ann Lee", "Bob"}),
        ):
            with self.subTest(sample=sample):
                _wizard, log = self.import_file((SAMPLES / sample).read_bytes(), sample)
                self.assertEqual(log.state, "done")
                self.assertEqual(set(log.line_ids.partner_id.mapped("name")), names)

    def test_notes_above_the_header_are_skipped_and_the_header_row_can_be_changed(self):
        data = (SAMPLES / "exports" / "linkedin_connections.csv").read_bytes()
        form = self.upload(data, "Connections.csv")
        self.assertEqual(form.detected_header_row, data[: data.index(b"First Name")].count(b"\n") + 1)
        self.assertIn("was taken as the header", form.read_warnings)
        self.assertIn("First Name", form.column_names)
        form.header_row_override = "1"
        self.assertEqual(form.column_names[0], "Notes:")

    def test_files_that_cannot_be_read_say_why_and_write_nothing(self):
        before = self.env["res.partner"].search_count([])
        for sample, words in (
            ("hostile_not_vcard.vcf", "is not a vCard file"),
            ("hostile_broken.xls", "Excel 97-2003"),
            ("hostile_broken.ods", "OpenDocument"),
        ):
            with self.subTest(sample=sample):
                form = self.upload((SAMPLES / sample).read_bytes(), sample)
                self.assertIn(words, form.read_error)
        self.assertEqual(self.env["res.partner"].search_count([]), before)
        self.assertFalse(self.env["contact.import.log"].search([]))
