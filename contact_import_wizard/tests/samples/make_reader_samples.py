#!/usr/bin/env python3
"""Regenerate the reader's binary samples in this folder (they are committed; run this only
to change them). The .xls samples need xlwt, which is not a dependency of the addon:

    pip install --target /tmp/xlwt xlwt && PYTHONPATH=/tmp/xlwt python make_reader_samples.py
"""

import datetime
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(sheet_xml, shared_xml=None, extra=None):
    """A minimal .xlsx holding one sheet (and a shared-strings part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_xml}</sheetData></worksheet>',
        )
        if shared_xml is not None:
            archive.writestr("xl/sharedStrings.xml", shared_xml)
        for path, content in (extra or {}).items():
            archive.writestr(path, content)
    return buffer.getvalue()


def string_rows(rows, columns=2):
    """Sheet XML of ``rows`` rows of ``columns`` shared-string cells (indexes 0, 1, ...)."""
    xml, index = [], 0
    for number in range(1, rows + 1):
        cells = []
        for column in range(columns):
            cells.append(f'<c r="{chr(65 + column)}{number}" t="s"><v>{index}</v></c>')
            index += 1
        xml.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(xml)


def shared(strings, declared=None):
    declared = len(strings) if declared is None else declared
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<sst xmlns="{MAIN}" count="{declared}" uniqueCount="{declared}">{items}</sst>'


def labels(rows, columns=2):
    names = ["Name", "Email"] + [f"Column {i}" for i in range(2, columns)]
    out = list(names[:columns])
    for number in range(2, rows + 1):
        out += [f"Contact {number}", f"c{number}@example.com"][:columns]
    return out


def xlsx_samples():
    # The sheet has 3 rows of 2 text cells (6); the table declares a million strings.
    write(
        "hostile_shared_strings_declared.xlsx",
        workbook(string_rows(3), shared(labels(3), declared=1_000_000)),
    )
    # Exactly as many strings as text cells: read.
    write("shared_strings_at_limit.xlsx", workbook(string_rows(3), shared(labels(3))))
    # Declares 6 (what the sheet can use) but holds 5,000: stopped while it is read.
    lying = shared(labels(3) + [f"padding {i}" for i in range(4994)], declared=6)
    write("hostile_shared_strings_lying.xlsx", workbook(string_rows(3), lying))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)


# -- .ods -------------------------------------------------------------------------------
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def ods(content):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def cell(value_type=None, text=None, repeat=None, **attributes):
    attrs = "".join(
        f' {key.replace("__", "-").replace("_", ":", 1)}="{value}"' for key, value in attributes.items()
    )
    if value_type:
        attrs = f' office:value-type="{value_type}"' + attrs
    if repeat:
        attrs += f' table:number-columns-repeated="{repeat}"'
    if text is None:
        return f"<table:table-cell{attrs}/>"
    return f"<table:table-cell{attrs}>{text}</table:table-cell>"


def row(*cells, repeat=None):
    attrs = f' table:number-rows-repeated="{repeat}"' if repeat else ""
    return f"<table:table-row{attrs}>{''.join(cells)}</table:table-row>"


def p(text):
    return f"<text:p>{text}</text:p>"


def ods_samples():
    contacts = "".join(
        [
            row(
                cell("string", p("Name")),
                cell("string", p("Zip")),
                cell("string", p("Since")),
                cell("string", p("Met at")),
                cell("string", p("Active")),
                cell("string", p("Score")),
                cell("string", p("Notes")),
                cell("string", p("Tag")),
                cell("string", p("Tag")),
                cell(repeat=1015),
            ),
            row(
                cell("string", p('Ann<text:s text:c="2"/>Lee')),
                cell("float", p("01067"), office_value="1067"),
                cell("date", p("01/03/24"), office_date__value="2024-03-01"),
                cell("date", p("02/01/23 09:30"), office_date__value="2023-01-02T09:30:00"),
                cell("boolean", p("TRUE"), office_boolean__value="true"),
                cell("percentage", p("12.5%"), office_value="0.125"),
                cell(
                    "string",
                    p("first line")
                    + p("second<text:line-break/>third")
                    + "<office:annotation><text:p>a comment, not the value</text:p></office:annotation>",
                ),
                cell("string", p("vip"), repeat=2),
                cell(repeat=1014),
            ),
            row(cell(repeat=1024), repeat=3),
            row(
                cell("string", p("Bob")),
                cell(),
                cell("time", p("09:30:00"), office_time__value="PT09H30M00S"),
                cell(repeat=3),
                cell("currency", p("3,00 €"), office_value="3", office_currency="EUR"),
                cell(repeat=1017),
            ),
            row(cell(repeat=1024), repeat=1_048_570),
        ]
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        "<office:body><office:spreadsheet>"
        '<table:table table:name="Empty"><table:table-column/>'
        + row(cell(repeat=1024), repeat=1_048_576)
        + "</table:table>"
        '<table:table table:name="Contacts &amp; friends">'
        '<table:table-column table:number-columns-repeated="1024"/>' + contacts + "</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    write("contacts.ods", ods(content))
    # Cut in the middle of the Contacts sheet, as an interrupted upload or copy leaves it.
    write("hostile_broken.ods", ods(content[: content.index("Bob")]))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f"<office:document-content {ODS_NS}><office:body><office:spreadsheet>"
        '<table:table table:name="S">' + row(cell("string", p("&lol2;"))) + "</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    write("hostile_entities.ods", ods(laughs))


# -- .xls -------------------------------------------------------------------------------
def xls_samples():
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Empty")
    sheet = book.add_sheet("Contacts")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    moment = xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm:ss")
    clock = xlwt.easyxf(num_format_str="hh:mm:ss")
    for column, header in enumerate(["Name", "Phone", "Since", "At", "Active", "Score", "Time"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, "Ann Lee")
    sheet.write(1, 1, 4915112345678)
    sheet.write(1, 2, datetime.date(2024, 3, 1), date)
    sheet.write(1, 3, datetime.datetime(2023, 1, 2, 9, 30), moment)
    sheet.write(1, 4, True)
    sheet.write(1, 5, 0.1)
    sheet.write(1, 6, datetime.time(9, 30), clock)
    sheet.write(3, 0, "Zoë Ōkubo")
    sheet.write(3, 4, False)
    sheet.write(3, 5, 3)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    write("contacts.xls", data)
    # Cut short: the container's sectors are missing.
    write("hostile_broken.xls", data[:1536])
    # The shared-string table declares three million strings.
    position = _sst_position(data)
    patched = bytearray(data)
    struct.pack_into("<ii", patched, position + 4, 3_000_000, 3_000_000)
    write("hostile_shared_strings.xls", bytes(patched))


def _sst_position(data):
    """Offset in the file of the SST record's data (the stream is contiguous in xlwt's files)."""
    marker = struct.pack("<H", 0x00FC)
    position = data.find(marker)
    while position != -1:
        length = struct.unpack_from("<H", data, position + 2)[0]
        total, unique = struct.unpack_from("<ii", data, position + 4)
        if 0 < unique <= total < 1000 and length > 8:
            return position
        position = data.find(marker, position + 1)
    raise ValueError("no SST record")


if __name__ == "__main__":
    xlsx_samples()
    ods_samples()
    try:
        xls_samples()
    except ImportError:
        print("xlwt is not installed: the .xls samples are left as they are")
