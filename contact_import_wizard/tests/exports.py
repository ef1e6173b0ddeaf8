"""The people of the exporters' sample files, as the file's own cells say they are: what a
test expects of an import of them (no Odoo here: used by the wizard's and the headless
command's tests alike)."""

import pathlib

from ..engine import normalize, reader, validation
from .test_engine_mapping_exports import EXPECTED

EXPORTS = pathlib.Path(__file__).parent / "samples" / "exports"

__all__ = ["EXPECTED", "EXPORTS", "expected_people"]


def expected_people(name, columns):
    """(row number, expected values) of each person of sample ``name``, read from its
    cells under the headers ``columns`` (target -> header) says the exporter uses."""
    table = reader.open_table((EXPORTS / name).read_bytes(), name)
    index = {header: position for position, header in enumerate(table.headers)}

    def cell(row, target):
        header = columns.get(target)
        return normalize.clean_text(row.values[index[header]]) if header else ""

    people = []
    flag = index.get("Is a Company")
    for row in table.rows():
        if flag is not None and validation.is_truthy(row.values[flag]):
            continue  # a company, not a person
        if "first_name" in columns:
            full = " ".join(part for part in (cell(row, "first_name"), cell(row, "last_name")) if part)
        else:
            full = cell(row, "name")
        if not full:
            continue
        people.append(
            (
                row.number,
                {
                    "name": full,
                    "email": normalize.normalize_email(cell(row, "email")),
                    "phone": cell(row, "phone") or cell(row, "mobile"),
                    "function": cell(row, "function"),
                    "company": cell(row, "company"),
                    "street": cell(row, "street"),
                    "city": cell(row, "city"),
                    "zip": cell(row, "zip"),
                    "country": cell(row, "country"),
                },
            )
        )
    return people
