"""Zip-based spreadsheets (.xlsx, .ods): the checks made before anything is expanded, and
the XML parser their parts are streamed through."""

import pyexpat
import zipfile
import zlib

from ..messages import EngineError, _lt

# A workbook's parts may expand to this much (declared sizes), and at most this many times
# its compressed size once above 10 MB: more is a zip bomb.
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
MAX_EXPANSION_RATIO = 100
# Parts held in memory whole (workbook, relations, styles, manifest) may not be larger.
MAX_SMALL_PART_BYTES = 32 * 1024 * 1024
CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATIONS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le")
) + tuple("<!DOCTYPE".encode(e) for e in ("utf-16-be",))


# What reading a damaged or unusual archive member raises (bad CRC, broken deflate data,
# a truncated member, offsets that point outside the file, an unsupported compression
# method, an encrypted member).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


class BadArchive(Exception):
    """The file is not a readable zip archive (the caller words the message)."""


def open_archive(binary):
    try:
        return zipfile.ZipFile(binary)
    except ZIP_ERRORS as exc:
        raise BadArchive(str(exc) or exc.__class__.__name__) from None


def check_archive(archive, name, max_expanded=MAX_EXPANDED_BYTES, max_ratio=MAX_EXPANSION_RATIO):
    """Refuse an archive whose declared uncompressed size is out of proportion (a zip bomb)
    before anything is expanded, and one whose XML parts declare a document type (entity
    expansion, external entities): spreadsheets never need one."""
    members = archive.infolist()
    expanded = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if expanded > max_expanded or (expanded > 10 * 1024 * 1024 and expanded / packed > max_ratio):
        raise EngineError(
            "zip_bomb",
            _lt(
                "%(name)s would expand to %(size)s MB, %(ratio)s times its own size; the limit is "
                "%(limit)s MB and %(max_ratio)s times. It is refused."
            ),
            name=name,
            size=expanded // (1024 * 1024),
            ratio=int(expanded / packed),
            limit=max_expanded // (1024 * 1024),
            max_ratio=max_ratio,
        )
    for member in members:
        if member.filename.endswith(XML_SUFFIXES):
            with archive.open(member) as stream:
                check_declarations(stream.read(CHUNK), name, member.filename)


def check_declarations(head, name, part):
    """Refuse a part whose head declares a document type or an entity."""
    if any(marker in head for marker in _DECLARATIONS):
        refuse_declaration(name, part)


def refuse_declaration(name, part):
    raise EngineError(
        "xml_declaration",
        _lt(
            "%(name)s declares a document type or entities in %(part)s, which spreadsheets never need "
            "and attacks on servers use. It is refused."
        ),
        name=name,
        part=part,
    )


def member_size(archive, path):
    try:
        return archive.getinfo(path).file_size
    except KeyError:
        return None


def xml_parser(name, part, namespaces=False):
    """An expat parser that refuses a document type or entity declaration as it meets one."""
    parser = pyexpat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.buffer_text = True
    parser.buffer_size = CHUNK

    def refuse(*_args):
        refuse_declaration(name, part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def feed(parser, stream):
    """Feed ``stream`` to ``parser`` chunk by chunk, yielding after each chunk so that the
    caller can hand on what the handlers collected (memory stays one chunk's worth)."""
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def parse_small(archive, path, name, handlers, namespaces=False):
    """Parse a small part whole with ``handlers`` (attribute name -> function)."""
    size = member_size(archive, path)
    if size is None:
        return False
    if size > MAX_SMALL_PART_BYTES:
        raise EngineError(
            "part_too_large",
            _lt("The part %(part)s of %(name)s expands to %(size)s MB; the limit is %(limit)s MB."),
            part=path,
            name=name,
            size=size // (1024 * 1024),
            limit=MAX_SMALL_PART_BYTES // (1024 * 1024),
        )
    parser = xml_parser(name, path, namespaces)
    for attribute, handler in handlers.items():
        setattr(parser, attribute, handler)
    with archive.open(path) as stream:
        for _ in feed(parser, stream):
            pass
    return True
