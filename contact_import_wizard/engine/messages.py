"""Structured, translatable messages shared by every engine stage.

The engine cannot call Odoo's translation machinery, so each message is an English
template with named placeholders, marked with :func:`_lt` so that Odoo's ``.pot``
extractor finds it. The Odoo layer translates the template and then fills it in.
"""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


class LazyText(str):
    """A text marked for translation: translated where it is shown, also when it is the
    parameter of another message (a field's label in a reason, say)."""

    __slots__ = ()


# One LazyText per template: a template marked inside a loop (a problem of each row, say)
# is one string, not a copy per row (16 MB for the 200,000 marks of a 100,000-row file).
_MARKED = {}


def _lt(message):
    """Mark ``message`` for translation; it is translated where it is shown."""
    marked = _MARKED.get(message)
    if marked is None:
        marked = _MARKED[message] = LazyText(message)
    return marked


def nested(template, params=None):
    """A message used as the parameter of another one, kept translatable (and JSON-ready,
    so that a stored plan keeps it so): rendered, in the reader's language, with it."""
    return {"__template__": str(template), "__params__": dict(params or {})}


def _param(value, translate):
    if isinstance(value, LazyText):
        return translate(value) if translate else str(value)
    if isinstance(value, dict) and "__template__" in value:
        return render(value["__template__"], value["__params__"], translate)
    return value


def render(template, params, translate=None):
    """Fill ``template`` with ``params`` after passing it through ``translate``; the
    parameters that are texts marked for translation, or nested messages, are translated
    too."""
    text = translate(template) if translate else template
    if not params:
        return text
    return text % {key: _param(value, translate) for key, value in params.items()}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file, as the user must see it.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1) or
    None for a file-level problem; ``column`` is the file's column header or None.
    """

    row: int | None
    column: str | None
    code: str
    severity: str
    template: str
    params: dict = field(default_factory=dict)
    stage: str = "read"

    @property
    def blocking(self):
        return self.severity == ERROR

    def message(self, translate=None):
        return render(self.template, self.params, translate)


class EngineError(Exception):
    """A problem that stops the whole file (unreadable, empty, unsupported...)."""

    def __init__(self, code, template, **params):
        self.code = code
        self.template = template
        self.params = params
        super().__init__(render(template, params))

    def message(self, translate=None):
        return render(self.template, self.params, translate)
