"""Which format a file is in: by its first bytes, then by its name."""

import codecs

from ..messages import EngineError, _lt

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument."
ODF_SPREADSHEET = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
ENCRYPTED_PACKAGE = "EncryptedPackage"
XLS_STREAMS = ("Workbook", "Book")
VCARD_START = "BEGIN:VCARD"
# OLE2 containers that are other Office documents.
OTHER_OLE2 = (".doc", ".dot", ".ppt", ".pps", ".msg", ".pub", ".vsd")


def _ole2_has(head, stream_name):
    # Directory entries name their streams in UTF-16-LE.
    return stream_name.encode("utf-16-le") in head or stream_name.encode("ascii") in head


def is_encrypted_ole2(data):
    """An OLE2 container holding an encrypted Office document (what Excel writes for a
    password-protected .xlsx)."""
    return _ole2_has(data, ENCRYPTED_PACKAGE)


def password_protected(name):
    return EngineError(
        "password_protected",
        _lt(
            "%(name)s is password-protected (encrypted), so it cannot be read. Save it again without a "
            "password, as .xlsx or CSV."
        ),
        name=name,
    )


def _looks_like_vcard(head):
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, "ignore")
            break
    else:
        if head.startswith(codecs.BOM_UTF16_BE):
            head = head[2:].decode("utf-16-be", "ignore")
        else:
            head = head[:4096].decode("latin-1")
    return head.lstrip().upper().startswith(VCARD_START)


def detect_format(head, name=""):
    """Return "csv", "xlsx", "xls", "ods" or "vcf" from the first bytes of a file (then its
    name); refuse what cannot be read (an encrypted workbook, another kind of document)."""
    lower = name.lower()
    if head.startswith(OLE2_MAGIC):
        if is_encrypted_ole2(head):
            raise password_protected(name)
        if not any(_ole2_has(head, stream) for stream in XLS_STREAMS) and lower.endswith(OTHER_OLE2):
            raise _unsupported(name)
        # The directory may lie beyond the head: the .xls reader looks at the whole file.
        return "xls"
    if head.startswith(ZIP_MAGIC):
        if ODF_MIMETYPE in head[:200]:
            if ODF_SPREADSHEET in head[:200]:
                return "ods"
            raise _unsupported(name)
        if lower.endswith((".ods", ".ots")):
            return "ods"
        return "xlsx"
    if _looks_like_vcard(head):
        return "vcf"
    if lower.endswith((".vcf", ".vcard")):
        return "vcf"  # the vCard reader says why it is not one
    if lower.endswith((".xlsx", ".xlsm")):
        raise EngineError(
            "bad_xlsx",
            _lt(
                "%(name)s is named like an Excel workbook but is not a valid .xlsx file. Supported formats "
                "are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), OpenDocument spreadsheets (.ods) and "
                "vCard contacts (.vcf)."
            ),
            name=name,
        )
    if lower.endswith((".xls", ".ods", ".numbers")):
        raise _unsupported(name)
    return "csv"


def _unsupported(name):
    return EngineError(
        "unsupported_format",
        _lt(
            "%(name)s cannot be read. Supported formats are CSV (.csv, .txt), Excel workbooks (.xlsx, .xls), "
            "OpenDocument spreadsheets (.ods) and vCard contacts (.vcf)."
        ),
        name=name,
    )
