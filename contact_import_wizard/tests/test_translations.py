"""Every message a user reads goes through the translation layer: the .pot is the one the
code makes, and French is complete and used, in the wizard's steps and the engine's
messages alike."""

import io
import pathlib
import re

from odoo.tests import tagged
from odoo.tools.translate import trans_export, translation_file_reader

from .common import ContactImportCase

I18N = pathlib.Path(__file__).parent.parent / "i18n"


def entries(data):
    """The entries of a .po/.pot file's content (bytes), as Odoo reads them."""
    source = io.BytesIO(data)
    # Odoo's reader merges a file named *.po with its module's .pot: this content is read alone.
    source.name = "content.pot"
    return list(translation_file_reader(source, fileformat="po"))


def msgids(data):
    """The msgids of a .po/.pot file's content (bytes)."""
    return {entry["src"] for entry in entries(data)}


@tagged("post_install", "-at_install")
class TestTranslations(ContactImportCase):
    def test_the_pot_file_is_the_one_the_code_makes(self):
        buffer = io.BytesIO()
        trans_export(None, ["contact_import_wizard"], buffer, "po", self.env)
        made = msgids(buffer.getvalue())
        committed = msgids((I18N / "contact_import_wizard.pot").read_bytes())
        missing, stale = sorted(made - committed), sorted(committed - made)
        self.assertFalse(
            missing or stale,
            f"i18n/contact_import_wizard.pot is stale: regenerate it (README, Development). "
            f"Missing: {missing[:10]}; no longer in the code: {stale[:10]}",
        )

    def test_french_is_complete(self):
        data = (I18N / "fr.po").read_bytes()
        french = entries(data)
        pot = msgids((I18N / "contact_import_wizard.pot").read_bytes())
        self.assertEqual({e["src"] for e in french}, pot)
        untranslated = [e["src"] for e in french if not e["value"]]
        self.assertFalse(untranslated, f"untranslated: {untranslated[:10]}")
        # placeholders survive translation
        for entry in french:
            wanted = sorted(re.findall(r"%\(\w+\)[sdr]", entry["src"]))
            self.assertEqual(sorted(re.findall(r"%\(\w+\)[sdr]", entry["value"])), wanted, entry["src"])

    def test_a_french_user_reads_the_wizard_and_the_engine_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["contact_import_wizard"], ["fr_FR"], overwrite=True)
        self.manager_user.lang = "fr_FR"
        # The web client sends the user's language in the context of every call.
        self.env = self.env(context=dict(self.env.context, lang=self.manager_user.lang))
        data = b"Name,Email,Company\nAnn,not-an-email,Acme\n,,\n"
        wizard = self.upload(data, "fr.csv").save()
        wizard.action_next()
        wizard.action_next()
        problem = wizard.problem_ids.filtered(lambda p: p.code == "invalid_email")
        self.assertNotIn("is not a valid email address", problem.message)
        self.assertIn("'not-an-email'", problem.message)
        states = dict(wizard._fields["state"]._description_selection(wizard.with_user(self.manager_user).env))
        self.assertNotEqual(states["reference"], "Reference Data")
        # and what they read is the French of i18n/fr.po
        french = {entry["src"]: entry["value"] for entry in entries((I18N / "fr.po").read_bytes())}
        self.assertEqual(states["reference"], french["Reference Data"])
        template = french["%(value)r in column %(column)s is not a valid email address."]
        self.assertEqual(problem.message, template % {"value": "not-an-email", "column": "Email"})
