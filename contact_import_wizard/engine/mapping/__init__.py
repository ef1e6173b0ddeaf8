"""Column mapping: which contact field each column of the file fills.

:func:`suggest` proposes a target per header, each with its reason, its confidence and
what the column's sampled values say; :func:`recognise` names the exporter that wrote a
file ("Recognised: Outlook CSV export"); :func:`apply_template` re-applies a saved mapping
to a file with the same or similar headers; :func:`check_mapping` says what is wrong with
a mapping the user edited.

How a header is read on its own is in :mod:`.headers`, what values look like in
:mod:`.samples`, the exporters' header sets in :mod:`.presets`, the targets in
:mod:`.targets`. This module chooses: one column per single-valued target, the
business/work/first column that has values in this file, one address never mixed from
two, first and last name over any other name-like column, and never a vague or
value-contradicted guess for a name, an e-mail or a company.
"""

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..messages import ERROR, WARNING, Problem, _lt, render
from ..normalize import simple_key
from . import samples as value_kinds
from .headers import (
    ADDRESS_TARGETS,
    COMPANY_SIDE,
    DESCRIBES,
    FIELD,
    FORMATTED,
    NO_FIELD,
    OTHER_PERSON,
    OTHER_RECORD,
    QUALIFIER_RANKS,
    QUALIFIERS,
    RECORD,
    RELATED_ID,
    Reading,
    family,
    read_header,
)
from .presets import PRESETS, PRESETS_BY_KEY, Preset, PresetMatch, Skip, recognise
from .targets import LABELS, PROTECTED, SECONDARY, SYNONYMS, TARGETS, TARGETS_BY_KEY, Target

__all__ = [
    "PRESETS",
    "PRESETS_BY_KEY",
    "SYNONYMS",
    "TARGETS",
    "TARGETS_BY_KEY",
    "Preset",
    "PresetMatch",
    "Suggestion",
    "Target",
    "apply_template",
    "check_mapping",
    "recognise",
    "suggest",
    "template_fit",
]

FUZZY_THRESHOLD = 80
TEMPLATE_THRESHOLD = 90

HIGH, MEDIUM, LOW = "high", "medium", "low"
_LEVELS = (HIGH, MEDIUM, LOW)

REASON_TEMPLATE = _lt("Same header as in the saved mapping %(template)s")
REASON_TEMPLATE_FUZZY = _lt("Header close to %(header)r of the saved mapping %(template)s")
REASON_LABEL = _lt("Header is the field's name")
REASON_SYNONYM = _lt("Header %(header)r is a usual name of this field")
REASON_FUZZY = _lt("Header looks like %(synonym)r (%(score)s%% alike)")
REASON_TAKEN = _lt("Looks like %(target)s, but column %(other)r fills it already")
REASON_NONE = _lt("No field looks like this header")
REASON_PRESET = _lt("Known column of the %(preset)s")
REASON_PRESET_UNUSED = _lt("Known column of the %(preset)s; no contact field takes it")
REASON_EMPTY = _lt("Looks like %(target)s, but it is empty in this file; column %(other)r is used")
REASON_OTHER_ADDRESS = _lt(
    "Part of another address than column %(other)r, which is used: two addresses are never mixed"
)
REASON_NAME_PARTS = _lt("First name and last name columns give the name; this column is not used for it")
REASON_TITLE_AS_FUNCTION = _lt("Header %(header)r holds job positions here, not courtesy titles")
REASON_FUNCTION_AS_TITLE = _lt("Header %(header)r holds courtesy titles here (Mr, Dr...), not job positions")
REASON_LABELLED_MOBILE = _lt("Column %(label)r says most of these numbers are mobile numbers")
REASON_CONTRADICTED = _lt("The header says %(target)s, but the values do not look like it: check this column")
REASON_CONTRADICTED_PROTECTED = _lt(
    "The header says %(target)s, but the values do not look like it; %(target)s is never guessed "
    "against the values: choose it yourself if it is right"
)
REASON_VAGUE_PROTECTED = _lt(
    "Header only looks like %(synonym)r (%(score)s%% alike); %(target)s is never guessed from a "
    "vague header: choose it yourself if it is right"
)
REASON_VALUES_ONLY = _lt("The header is not a known field, but the values look like %(target)s")
REASON_VALUES_ONLY_PROTECTED = _lt(
    "The header is not a known field; the values look like %(target)s, which is never guessed "
    "from values alone: choose it yourself if it is right"
)
KIND_REASONS = {
    DESCRIBES: _lt(
        "%(header)r only describes another column (its label, type or display name); it is not data"
    ),
    FORMATTED: _lt("%(header)r repeats the address that the other address columns give in parts"),
    RECORD: _lt("%(header)r is about the record (owner, dates, source, status...), not about the person"),
    RELATED_ID: _lt("%(header)r is the identifier of another record, not data of this contact"),
    OTHER_PERSON: _lt("%(header)r is about another person (assistant, manager, spouse...)"),
    NO_FIELD: _lt("Odoo contacts have no field for %(header)r"),
    COMPANY_SIDE: _lt("%(header)r describes the company, not this contact"),
    OTHER_RECORD: _lt("%(header)r belongs to another record (a deal, a lead...), not to this contact"),
}

# Value kinds that make a text column something else when most of its values are of it.
_TEXT_VETOES = {
    value_kinds.EMAIL,
    value_kinds.URL,
    value_kinds.PHONE,
    value_kinds.DATE,
    value_kinds.NUMBER,
    value_kinds.ZIP,
}
_TEXT_CHECKED = frozenset(
    {"name", "first_name", "last_name", "company", "function", "city", "street", "state"}
)
# What a column nobody names may be, from its values alone.
_VALUE_GUESSES = {
    value_kinds.EMAIL: "email",
    value_kinds.PHONE: "phone",
    value_kinds.URL: "website",
    value_kinds.COUNTRY: "country",
    value_kinds.TITLE: "title",
}
_MOBILE_LABELS = frozenset({"mobile", "cell", "cellular", "handy", "mobil", "movil", "portable", "celular"})
_SYNONYM_KEYS = list(SYNONYMS)


@dataclass
class Suggestion:
    """The target proposed for one column, and why.

    ``template``/``params`` say why (translatable); ``evidence_template``/``evidence_params``
    what the sampled values say, when there were samples. ``confidence`` is "high",
    "medium" or "low" for a mapped column (None when it is left unmapped);
    ``contradicted`` is set when the values contradict what the header says.
    """

    column: str
    target: str | None
    score: int
    template: str
    params: dict
    confidence: str | None = None
    contradicted: bool = False
    evidence_template: str | None = None
    evidence_params: dict = field(default_factory=dict)

    def reason(self, translate=None):
        return render(self.template, self.params, translate)

    def evidence(self, translate=None):
        """What the values say ("12 of 12 sampled values are e-mail addresses"), or ""."""
        if not self.evidence_template:
            return ""
        return render(self.evidence_template, self.evidence_params, translate)

    def explanation(self, translate=None):
        """The reason, and what the values say on a second line when they said something."""
        return "\n".join(text for text in (self.reason(translate), self.evidence(translate)) if text)


@dataclass
class _Column:
    """A column while the suggestion is being made."""

    position: int
    header: str
    reading: Reading | None
    target: str | None = None
    kind: str | None = None
    score: int = 0
    template: str = REASON_NONE
    params: dict = field(default_factory=dict)
    fixed: bool = False
    preset: bool = False
    values_only: bool = False
    filled: int = -1  # non-empty sampled values; -1 when no samples were given
    evidence: object = None
    evidence_template: str | None = None
    evidence_params: dict = field(default_factory=dict)
    confidence: str | None = None
    contradicted: bool = False

    def drop(self, template, params):
        self.target, self.template, self.params, self.confidence = None, template, params, None

    @property
    def qualifier(self):
        return self.reading.qualifier if self.reading else ""

    @property
    def has_values(self):
        return self.filled != 0

    def order(self):
        """Sort key among columns offering one target: values, sureness, qualifier, name, number."""
        reading = self.reading or Reading(self.target)
        ranks = QUALIFIER_RANKS[family(self.target)]
        return (
            not self.has_values,
            _LEVELS.index(self.confidence or LOW),
            ranks.get(reading.qualifier, len(ranks)),
            reading.rank,
            reading.index,
            -self.score,
            self.position,
        )


def _fuzzy(header):
    key = simple_key(header)
    found = process.extractOne(key, _SYNONYM_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if not found:
        return None
    synonym, score, _index = found
    return Reading(SYNONYMS[synonym], score=int(score), synonym=synonym, rank=SECONDARY.get(synonym, 0))


def _read(position, header, fixed, match):
    """A column's target and reason from its header: saved mapping, preset, reading, fuzzy."""
    reading = read_header(header)
    column = _Column(position, header, reading)
    if header in fixed:
        target, template, params = fixed[header]
        column.target, column.template, column.params = target, template, params
        column.fixed, column.score, column.kind = True, 101, FIELD
        return column
    spec = match.preset.spec(header) if match else None
    if isinstance(spec, Skip):
        kind = spec.kind or (reading.kind if reading and reading.kind != FIELD else None)
        column.kind, column.preset = kind, True
        if spec.template:
            column.template, column.params = spec.template, {"header": header}
        elif kind:
            column.template, column.params = KIND_REASONS[kind], {"header": header}
        else:
            column.template, column.params = REASON_PRESET_UNUSED, {"preset": match.preset.name}
        return column
    if spec is not None:
        target, rank = spec if isinstance(spec, tuple) else (spec, None)
        base = reading if reading is not None else Reading(target)
        if rank is None:
            rank = base.rank if base.target == target else 0
        column.reading = Reading(
            target, qualifier=base.qualifier, index=base.index, group=base.group, rank=rank
        )
        column.target, column.kind, column.score, column.preset = target, FIELD, 100, True
        column.template, column.params = REASON_PRESET, {"preset": match.preset.name}
        return column
    if reading is None:
        reading = _fuzzy(header)
        column.reading = reading
        if reading is None:
            return column
        column.target, column.kind, column.score = reading.target, FIELD, reading.score
        column.template, column.params = REASON_FUZZY, {"synonym": reading.synonym, "score": reading.score}
        return column
    column.kind = reading.kind
    if reading.kind != FIELD:
        column.template, column.params = KIND_REASONS[reading.kind], {"header": header}
        return column
    column.target = reading.target
    if simple_key(header) in LABELS:
        column.score, column.template, column.params = 100, REASON_LABEL, {}
    else:
        column.score, column.template, column.params = 99, REASON_SYNONYM, {"header": header}
    return column


def _route_labels(columns, samples):
    """Numbered groups with a label column ("Phone 1 - Label"): the label most rows give
    says what the group is (a work address, a mobile number)."""
    labels = {}
    for column in columns:
        reading = column.reading
        if column.kind == DESCRIBES and reading and reading.group:
            labels.setdefault(reading.group, column)
    for column in columns:
        reading = column.reading
        if (
            column.fixed
            or not column.target
            or not reading
            or reading.qualifier
            or reading.group not in labels
        ):
            continue
        label = labels[reading.group]
        said = value_kinds.majority(samples.get(label.header))
        if not said:
            continue
        if said in _MOBILE_LABELS and column.target == "phone":
            column.target = "mobile"
            column.reading = Reading("mobile", index=reading.index, group=reading.group)
            column.template, column.params = REASON_LABELLED_MOBILE, {"label": label.header}
        elif said in QUALIFIERS:
            column.reading = Reading(
                reading.target,
                qualifier=QUALIFIERS[said],
                index=reading.index,
                group=reading.group,
                rank=reading.rank,
            )


def _weigh(column, values):
    """What the sampled values say about the column's target (or, unnamed, what it may be)."""
    evidence = value_kinds.evidence(values)
    column.evidence, column.filled = evidence, evidence.filled
    if not evidence.filled:
        column.evidence_template, column.evidence_params = value_kinds.NO_VALUES, {}
        return
    if not evidence.judged:
        return
    if column.target is None:
        dominant = evidence.dominant()
        if column.kind is None and dominant and dominant[0] in _VALUE_GUESSES:
            column.target, column.kind, column.values_only, column.score = (
                _VALUE_GUESSES[dominant[0]],
                FIELD,
                True,
                50,
            )
            column.template, column.params = (
                REASON_VALUES_ONLY,
                {"target": TARGETS_BY_KEY[column.target].label},
            )
            column.evidence_template, column.evidence_params = evidence.says(dominant[0])
        return
    if column.fixed:
        return
    titles = evidence.share(value_kinds.TITLE)
    if column.target == "title" and titles < 0.5 and evidence.share(value_kinds.TEXT) >= 0.5:
        column.target = "function"
        column.template, column.params = REASON_TITLE_AS_FUNCTION, {"header": column.header}
        column.evidence_template, column.evidence_params = evidence.says(value_kinds.TEXT)
        return
    if column.target == "function" and titles >= value_kinds.SUPPORT:
        column.target = "title"
        column.template, column.params = REASON_FUNCTION_AS_TITLE, {"header": column.header}
        column.evidence_template, column.evidence_params = evidence.says(value_kinds.TITLE)
        return
    expected = TARGETS_BY_KEY[column.target].values
    if expected != value_kinds.TEXT:
        share = evidence.share(expected)
        column.evidence_template, column.evidence_params = evidence.says(expected, only=share < 0.5)
        column.contradicted = share < value_kinds.CONTRADICT
    elif column.target in _TEXT_CHECKED:
        dominant = evidence.dominant()
        if dominant and dominant[0] in _TEXT_VETOES:
            column.contradicted = True
            column.evidence_template, column.evidence_params = evidence.says(dominant[0])


def _rate(column):
    """The confidence of a mapped column, from its header and its values."""
    if column.fixed:
        return HIGH
    if column.values_only or column.contradicted:
        return LOW
    if column.score >= 99:
        level = 0
    elif column.score >= 90:
        level = 1
    else:
        level = 2
    evidence = column.evidence
    expected = TARGETS_BY_KEY[column.target].values
    if evidence is not None and evidence.judged and expected != value_kinds.TEXT:
        share = evidence.share(expected)
        if share >= value_kinds.SUPPORT:
            level -= 1
        elif share < 0.5:
            level += 1
    return _LEVELS[max(0, min(level, 2))]


def _protect(column):
    """A name, an e-mail or a company is never filled by a vague or contradicted guess."""
    if column.fixed or column.target not in PROTECTED or column.confidence != LOW:
        return
    label = TARGETS_BY_KEY[column.target].label
    if column.values_only:
        column.drop(REASON_VALUES_ONLY_PROTECTED, {"target": label})
    elif column.contradicted:
        column.drop(REASON_CONTRADICTED_PROTECTED, {"target": label})
    else:
        synonym = column.reading.synonym if column.reading and column.reading.synonym else column.header
        column.drop(REASON_VAGUE_PROTECTED, {"target": label, "synonym": synonym, "score": column.score})


def _address_group(column):
    reading = column.reading or Reading(column.target)
    return (reading.qualifier, reading.group)


def _choose_address(columns, taken):
    """One address group for all address fields: the best-qualified one with values."""
    offered = [c for c in columns if c.target in ADDRESS_TARGETS and c.target not in taken]
    if not offered:
        return
    groups = {}
    for column in offered:
        groups.setdefault(_address_group(column), []).append(column)
    ranks = QUALIFIER_RANKS["address"]

    def group_order(item):
        key, members = item
        reading = members[0].reading or Reading(None)
        filled = sum(max(c.filled, 0) for c in members)
        return (
            not any(c.has_values for c in members),
            min(_LEVELS.index(c.confidence or LOW) for c in members),
            ranks.get(key[0], len(ranks)),
            reading.index,
            -filled,
            min(c.position for c in members),
        )

    chosen_key, chosen = min(groups.items(), key=group_order)
    used = {}
    for column in sorted(chosen, key=_Column.order):
        if column.target in used:
            column.drop(REASON_TAKEN, {"target": _label(column), "other": used[column.target].header})
        else:
            used[column.target] = column
    plain = groups.get(("", ""), [])
    # Unqualified columns may complete the chosen address ("Country" beside "Business
    # City") unless they form an address of their own.
    completes = chosen_key != ("", "") and not any(c.target == "street" for c in plain)
    anchor = min(used.values(), key=lambda c: c.position)
    for key, members in groups.items():
        if key == chosen_key:
            continue
        for column in sorted(members, key=_Column.order):
            if completes and key == ("", "") and column.target not in used:
                used[column.target] = column
            else:
                column.drop(REASON_OTHER_ADDRESS, {"other": anchor.header})
    taken.update({target: column.header for target, column in used.items()})


def _label(column):
    return TARGETS_BY_KEY[column.target].label


def _choose(columns, samples_given):
    """One column per single-valued target; first and last name over any name-like column."""
    taken = {
        c.target: c.header for c in columns if c.fixed and c.target and not TARGETS_BY_KEY[c.target].multiple
    }
    mapped = [c for c in columns if c.target and not c.fixed]
    for column in mapped:
        if column.target in taken and not TARGETS_BY_KEY[column.target].multiple:
            column.drop(REASON_TAKEN, {"target": _label(column), "other": taken[column.target]})
    parts = {c.target for c in columns if c.target in ("first_name", "last_name") and c.has_values}
    if parts == {"first_name", "last_name"}:
        for column in columns:
            if column.target == "name" and not column.fixed:
                column.drop(REASON_NAME_PARTS, {})
    _choose_address([c for c in columns if c.target and not c.fixed], taken)
    by_target = {}
    for column in columns:
        if column.target and not column.fixed and column.target not in ADDRESS_TARGETS:
            by_target.setdefault(column.target, []).append(column)
    for target, offered in by_target.items():
        if TARGETS_BY_KEY[target].multiple:
            continue
        offered.sort(key=_Column.order)
        winner = offered[0]
        for column in offered[1:]:
            template = REASON_EMPTY if samples_given and not column.has_values else REASON_TAKEN
            column.drop(template, {"target": _label(column), "other": winner.header})


def suggest(headers, samples=None, fixed=None, presets=True):
    """Suggest a target per header; never two columns on one single-valued target.

    ``samples`` maps headers to their non-empty sampled values (the caller passes up to
    ~1,000 sampled rows): values support, veto or (for an unknown header) suggest a
    target, and decide between columns offering the same field (the business/work/first
    one that has values wins). ``fixed`` maps headers to (target, template, params)
    already decided (a saved mapping); they win over guesses. With ``presets``, a file
    recognised as an exporter's (see :func:`recognise`) is read with that exporter's
    header set first. Returns one :class:`Suggestion` per header, in header order.
    """
    fixed = fixed or {}
    match = recognise(headers) if presets else None
    columns = [_read(position, header, fixed, match) for position, header in enumerate(headers)]
    if samples is not None:
        _route_labels(columns, samples)
        for column in columns:
            _weigh(column, samples.get(column.header))
    for column in columns:
        if column.target:
            column.confidence = _rate(column)
            _protect(column)
            if column.target and column.contradicted and not column.fixed:
                column.template, column.params = REASON_CONTRADICTED, {"target": _label(column)}
    _choose(columns, samples is not None)
    return [
        Suggestion(
            c.header,
            c.target,
            min(c.score, 100) if c.target else 0,
            c.template,
            c.params,
            c.confidence if c.target else None,
            c.contradicted,
            c.evidence_template,
            c.evidence_params,
        )
        for c in columns
    ]


def _saved_headers(headers, template_mapping):
    """header -> (saved header, target, exact) for the headers a saved mapping knows."""
    saved = {simple_key(h): (h, t) for h, t in template_mapping.items()}
    found = {}
    for header in headers:
        key = simple_key(header)
        if key in saved:
            found[header] = (*saved[key], True)
            continue
        close = process.extractOne(key, list(saved), scorer=fuzz.ratio, score_cutoff=TEMPLATE_THRESHOLD)
        if close:
            found[header] = (*saved[close[0]], False)
    return found


def apply_template(headers, template_mapping, template_name, samples=None):
    """Suggestions for ``headers`` starting from a saved mapping (header -> target).

    A header equal to a saved one (ignoring case, accents, punctuation) takes its
    target; a similar one (>= 90% alike) too; the other headers are guessed.
    """
    fixed = {}
    for header, (original, target, exact) in _saved_headers(headers, template_mapping).items():
        if exact:
            fixed[header] = (target, REASON_TEMPLATE, {"template": template_name})
        else:
            fixed[header] = (target, REASON_TEMPLATE_FUZZY, {"header": original, "template": template_name})
    return suggest(headers, samples, fixed=fixed)


def template_fit(headers, template_mapping):
    """Share (0-1) of a saved mapping's headers that ``headers`` have, exactly or nearly."""
    if not template_mapping:
        return 0.0
    found = {original for original, _target, _exact in _saved_headers(headers, template_mapping).values()}
    return len(found) / len(template_mapping)


def check_mapping(mapping):
    """Problems of a mapping (header -> target or None) chosen by the user."""
    problems = []
    by_target = {}
    for header, target in mapping.items():
        if target:
            by_target.setdefault(target, []).append(header)
    for target, headers in by_target.items():
        if target not in TARGETS_BY_KEY:
            problems.append(
                Problem(
                    None,
                    headers[0],
                    "unknown_target",
                    ERROR,
                    _lt("Unknown field %(target)s."),
                    {"target": target},
                    "mapping",
                )
            )
        elif len(headers) > 1 and not TARGETS_BY_KEY[target].multiple:
            problems.append(
                Problem(
                    None,
                    headers[1],
                    "same_target",
                    ERROR,
                    _lt("Columns %(columns)s are all mapped to %(target)s; keep only one."),
                    {"columns": ", ".join(repr(h) for h in headers), "target": TARGETS_BY_KEY[target].label},
                    "mapping",
                )
            )
    has_name = "name" in by_target or "first_name" in by_target or "last_name" in by_target
    if not has_name:
        problems.append(
            Problem(
                None,
                None,
                "no_name_column",
                ERROR,
                _lt("No column is mapped to Name (or First name / Last name): contacts need a name."),
                {},
                "mapping",
            )
        )
    if "company" not in by_target:
        problems.append(
            Problem(
                None,
                None,
                "no_company_column",
                WARNING,
                _lt("No column is mapped to Company: contacts will be imported without a company."),
                {},
                "mapping",
            )
        )
    return problems
