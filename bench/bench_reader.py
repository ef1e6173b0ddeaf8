#!/usr/bin/env python3
"""Benchmark of the reader: time and peak RSS of reading workbooks, each case in a fresh
subprocess (peak RSS from resource.getrusage, so one case does not inherit another's).

Cases (files generated in a temporary folder):
  hostile   an ~8 MB .xlsx with 2 data rows whose sharedStrings.xml holds 3,000,000 strings
            (~200 MB expanded): must be refused in well under a second and 200 MB;
  xlsx-100k 100,000 rows x 10 columns, every cell a shared string (as Excel writes them;
            openpyxl 3.0 writes inline strings), read by this reader and by the openpyxl-based reader of
            `main` (git show main:contact_import_wizard/engine/reader.py);
  xlsx-10k  the same with 10,000 rows: memory is flat when it is about the same as 100k;
  ods-100k  a 100,000-row .ods (10 columns, the trailing empty row repeated ~1,048,000
            times, as LibreOffice writes it) read by this reader, and loaded by odfpy (what
            Odoo's base_import uses) when it can be imported (--odfpy-path DIR adds DIR to
            sys.path for that case only; odfpy is not a dependency).

    python bench/bench_reader.py
    python bench/bench_reader.py --rows 100000 --odfpy-path /tmp/odfpy --old-hostile
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

FIRST = "Ann Bob Cid Dan Eve Fay Gus Hal Ida Jo Kim Lea Max Ned Ola Pia Raj Sam Tea Uma Vic Wen".split()
LAST = "Lee Roe Diaz Kim Chen Singh Novak Rossi Muller Dubois Silva Ito Berg Costa Wolf Hahn".split()
CITIES = "Paris Lyon Berlin Munich Madrid Rome Oslo Lisbon Vienna Prague Dublin Ghent".split()
HEADERS = [
    "First Name",
    "Last Name",
    "Email",
    "Company",
    "Job Title",
    "Phone",
    "Street",
    "City",
    "ZIP",
    "Notes",
]


def contact_rows(count, seed=7):
    rng = random.Random(seed)
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield [
            first,
            last,
            f"{first}.{last}{index}@example.com".lower(),
            f"Company {rng.randint(1, 5000)} Ltd",
            rng.choice(["CEO", "CTO", "Sales", "Buyer", "Engineer"]),
            f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {index % 100:02d}",
            f"{rng.randint(1, 200)} Main Street",
            rng.choice(CITIES),
            f"{rng.randint(1000, 99999):05d}",
            f"Met at fair {rng.randint(1, 50)}",
        ]


# -- generators -------------------------------------------------------------------------
def write_hostile(path, strings=3_000_000):
    """Two data rows, and a shared-strings table that holds (and declares) ``strings``."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_parts(archive)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(
                (
                    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    f'spreadsheetml/2006/main" count="{strings}" uniqueCount="{strings}">'
                ).encode()
            )
            chunk = []
            for index in range(strings):
                chunk.append(f"<si><t>Imported contact {index:07d} of the list of names kept</t></si>")
                if len(chunk) == 10000:
                    stream.write("".join(chunk).encode())
                    chunk.clear()
            stream.write(("".join(chunk) + "</sst>").encode())


def _workbook_parts(archive):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    archive.writestr(
        "[Content_Types].xml",
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/></Types>',
    )
    archive.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )


def write_xlsx(path, rows):
    """A workbook as Excel writes one: every text a shared string (openpyxl 3.0 would write
    inline strings), the table deduplicated, its counts declared."""
    from xml.sax.saxutils import escape

    index, strings, total = {}, [], 0
    sheet = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:J{rows + 1}"/><sheetData>'
    ]
    for number, values in enumerate([HEADERS, *contact_rows(rows)], start=1):
        cells = []
        for column, value in enumerate(values):
            if value not in index:
                index[value] = len(strings)
                strings.append(value)
            total += 1
            cells.append(f'<c r="{chr(65 + column)}{number}" t="s"><v>{index[value]}</v></c>')
        sheet.append(f'<row r="{number}" spans="1:10">{"".join(cells)}</row>')
    sheet.append("</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_parts(archive)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{total}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(value)}</t></si>" for value in strings)
            + "</sst>",
        )
    return len(strings)


def write_ods(path, rows):
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"

    def row_xml(values):
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in values
        )
        empty = '<table:table-cell table:number-columns-repeated="1014"/>'
        return f"<table:table-row>{cells}{empty}</table:table-row>"

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        with archive.open("content.xml", "w", force_zip64=True) as stream:
            stream.write(
                (
                    f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
                    f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body>'
                    '<office:spreadsheet><table:table table:name="Contacts">'
                    '<table:table-column table:number-columns-repeated="1024"/>'
                ).encode()
            )
            stream.write(row_xml(HEADERS).encode())
            chunk = []
            for values in contact_rows(rows):
                chunk.append(row_xml(values))
                if len(chunk) == 5000:
                    stream.write("".join(chunk).encode())
                    chunk.clear()
            chunk.append(
                f'<table:table-row table:number-rows-repeated="{1_048_575 - rows}">'
                '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
            )
            stream.write(("".join(chunk) + "</table:table></office:spreadsheet></office:body>").encode())
            stream.write(b"</office:document-content>")


# -- one measured case (in a child process) ----------------------------------------------
def _old_reader():
    """The openpyxl-based reader of `main`, loaded as a module of its own."""
    import importlib.util

    source = subprocess.run(
        ["git", "-C", ROOT, "show", "main:contact_import_wizard/engine/reader.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "old_reader.py")
    with open(path, "w") as handle:
        # Its relative imports become imports of this checkout's engine modules.
        handle.write(source.replace("from .", "from contact_import_wizard.engine."))
    spec = importlib.util.spec_from_file_location("old_reader", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_case(kind, path):
    from contact_import_wizard.engine import reader
    from contact_import_wizard.engine.messages import EngineError

    module = _old_reader() if kind == "old" else reader
    started = time.perf_counter()
    result = {}
    try:
        if kind == "odfpy":
            from odf import opendocument, table

            document = opendocument.load(path)
            result["rows"] = len(document.spreadsheet.getElementsByType(table.TableRow))
        else:
            opened = module.open_table(path, os.path.basename(path))
            result["rows"] = module.count_rows(opened)
    except EngineError as exc:
        result["refused"] = exc.message()
    result["seconds"] = round(time.perf_counter() - started, 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["vm_hwm_mb"] = _vm_hwm()
    print(json.dumps(result))


def _vm_hwm():
    """Linux's own peak RSS of this process image (a cross-check of getrusage)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def generate(kind, path, rows):
    """Write one file (in a child process: the parent stays small, and a child's peak RSS
    starts from its parent's on Linux)."""
    done = subprocess.run(
        [sys.executable, __file__, "--generate", kind, "--file", path, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def measure(kind, path, extra_path=None):
    env = dict(os.environ)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra_path, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, __file__, "--case", kind, "--file", path],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label, figures):
    size = figures.pop("size_mb", None)
    line = f"{label:<34}"
    if size is not None:
        line += f" file {size:>6.1f} MB"
    if "error" in figures:
        print(line, "ERROR", figures["error"])
        return
    line += f"  {figures['seconds']:>7.2f} s  peak RSS {figures['peak_rss_mb']:>7.1f} MB"
    if figures.get("vm_hwm_mb") is not None:
        line += f" (VmHWM {figures['vm_hwm_mb']:.1f})"
    if "rows" in figures:
        line += f"  rows {figures['rows']:,}"
    if "refused" in figures:
        line += f"  refused: {figures['refused'][:120]}"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small-rows", type=int, default=10_000)
    parser.add_argument("--odfpy-path", help="a folder where odfpy is installed (pip install --target)")
    parser.add_argument(
        "--old-hostile",
        action="store_true",
        help="also let main's reader load the hostile file (~1 min, ~1 GB)",
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        run_case(args.case, args.file)
        return
    if args.generate:
        writer = {"hostile": write_hostile, "xlsx": write_xlsx, "ods": write_ods}[args.generate]
        print(writer(args.file) if args.generate == "hostile" else writer(args.file, args.rows) or "")
        return
    folder = tempfile.mkdtemp(prefix="bench_reader_")
    mb = 1024 * 1024

    hostile = os.path.join(folder, "hostile.xlsx")
    generate("hostile", hostile, 0)
    with zipfile.ZipFile(hostile) as archive:
        expanded = archive.getinfo("xl/sharedStrings.xml").file_size
    print(
        f"(a) hostile workbook: {os.path.getsize(hostile) / mb:.1f} MB, sharedStrings.xml "
        f"{expanded / mb:.0f} MB expanded, 3,000,000 strings, 2 data rows"
    )
    report("    new reader", measure("new", hostile))
    if args.old_hostile:
        report("    main's openpyxl reader", measure("old", hostile))

    print("(b)/(c) workbooks of contacts, every cell a shared string (as Excel writes them)")
    for rows in (args.small_rows, args.rows):
        path = os.path.join(folder, f"contacts_{rows}.xlsx")
        unique = int(generate("xlsx", path, rows))
        with zipfile.ZipFile(path) as archive:
            expanded = archive.getinfo("xl/sharedStrings.xml").file_size
        print(
            f"    {rows:,} rows: {unique:,} distinct shared strings, sharedStrings.xml {expanded / mb:.1f} MB"
        )
        for kind in ("new", "old"):
            figures = measure(kind, path)
            figures["size_mb"] = os.path.getsize(path) / mb
            report(f"    {rows:>7,} rows, {kind} reader", figures)

    print("(d) OpenDocument spreadsheet, trailing empty row repeated to row 1,048,576")
    path = os.path.join(folder, f"contacts_{args.rows}.ods")
    generate("ods", path, args.rows)
    figures = measure("new", path)
    figures["size_mb"] = os.path.getsize(path) / mb
    report(f"    {args.rows:>7,} rows, new reader", figures)
    if args.odfpy_path:
        figures = measure("odfpy", path, args.odfpy_path)
        figures["size_mb"] = os.path.getsize(path) / mb
        report(f"    {args.rows:>7,} rows, odfpy load", figures)


if __name__ == "__main__":
    main()
