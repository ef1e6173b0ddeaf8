"""Plain pytest: what the engine's messages say is translated where they are shown, the
details a message names included."""

import io
import pathlib
import zipfile

import pytest

from contact_import_wizard.engine import mapping, messages, reader
from contact_import_wizard.engine.mapping import presets
from contact_import_wizard.engine.messages import EngineError, LazyText, nested, render

SAMPLES = pathlib.Path(__file__).parent / "samples"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def marked(text):
    """A translation that shows which texts went through it."""
    return f"«{text}»"


@pytest.mark.parametrize(
    ("data", "name", "detail"),
    [
        ((SAMPLES / "hostile_not_vcard.vcf").read_bytes(), "hostile_not_vcard.vcf", "no BEGIN:VCARD line"),
        (zipped({"mimetype": ODS}), "hollow.ods", "no content.xml"),
        (zipped({"word/document.xml": "<w/>"}), "letter.xlsx", "no workbook part"),
    ],
    ids=["vcard", "ods", "xlsx"],
)
def test_a_broken_file_is_described_in_the_readers_language(data, name, detail):
    with pytest.raises(EngineError) as info:
        table = reader.open_table(data, name)
        list(table.rows())
    assert f"({detail})" in info.value.message()
    assert f"(«{detail}»)" in info.value.message(marked)


# LazyText(...) rather than _lt(...): Odoo's extractor reads the tests too, and these
# texts are no messages of the module.
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("plain", "plain"),
        (LazyText("label"), "«label»"),
        (nested(LazyText("nested %(n)s"), {"n": 3}), "«nested 3»"),
    ],
)
def test_only_marked_parameters_are_translated(value, shown):
    """Data (a name, a value) is shown as it is; a marked label or a nested message is
    translated with the message it is part of."""
    assert render(LazyText("Row %(what)s"), {"what": value}, marked) == f"«Row {shown}»"


def test_a_recognised_export_is_named_in_the_readers_language():
    """The exporter's name is a label of the engine, translated where the message that
    names it is shown: in the Mapping step's banner and in each column's reason."""
    headers = list(presets.LINKEDIN.headers)
    recognised = mapping.recognise(headers)
    assert recognised.message().startswith("Recognised: LinkedIn Connections export (")
    assert recognised.message(marked).startswith("«Recognised: «LinkedIn Connections export» (")
    reasons = [suggestion.reason(marked) for suggestion in mapping.suggest(headers, {})]
    known = [reason for reason in reasons if reason.startswith("«Known column of the ")]
    assert known and all("«LinkedIn Connections export»" in reason for reason in known), reasons


def test_a_template_marked_again_is_the_same_string():
    # a problem of each row marks its template again: one string for them all
    mark = messages._lt
    template = "Row %(row)s is kept."
    marked = mark(template)
    assert isinstance(marked, LazyText)
    assert marked == template
    assert mark("".join(["Row %(row)s ", "is kept."])) is marked
