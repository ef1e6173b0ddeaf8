"""Suggesting a target per column: header, preset, values, then the choice among columns.

A column is read from its header (a saved mapping first, then the recognised exporter's
preset, then :func:`.headers.read_header`, then a fuzzy match); its sampled values then
support it, contradict it or, for an unknown header, suggest a target; its confidence
follows; a name, an e-mail or a company is never filled by a low-confidence guess; and
:mod:`.choose` keeps one column per field.
"""

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..messages import render
from . import samples as value_kinds
from .choose import choose
from .headers import DESCRIBES, FIELD, NO_FIELD, QUALIFIER_RANKS, QUALIFIERS, Reading, family, read_header
from .presets import Skip, recognise
from .reasons import (
    KIND_REASONS,
    REASON_CONTRADICTED,
    REASON_CONTRADICTED_PROTECTED,
    REASON_FUNCTION_AS_TITLE,
    REASON_FUZZY,
    REASON_LABEL,
    REASON_LABELLED_MOBILE,
    REASON_NONE,
    REASON_PRESET,
    REASON_PRESET_UNUSED,
    REASON_SYNONYM,
    REASON_TITLE_AS_FUNCTION,
    REASON_VAGUE_PROTECTED,
    REASON_VALUES_ONLY,
    REASON_VALUES_ONLY_PROTECTED,
)
from .targets import LABELS, PROTECTED, SECONDARY, SYNONYMS, TARGETS_BY_KEY, header_key

FUZZY_THRESHOLD = 80

HIGH, MEDIUM, LOW = "high", "medium", "low"
_LEVELS = (HIGH, MEDIUM, LOW)

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
# Reasons of a name, e-mail or company left unmapped because the guess was weak.
_LEFT_FOR_REVIEW = frozenset(
    {REASON_VAGUE_PROTECTED, REASON_VALUES_ONLY_PROTECTED, REASON_CONTRADICTED_PROTECTED}
)


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

    @property
    def review(self):
        """Whether a person should look at this column: a low-confidence or contradicted
        guess, or a name, e-mail or company left unmapped because it was one."""
        return self.confidence == LOW or self.contradicted or self.template in _LEFT_FOR_REVIEW


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
    key = header_key(header)
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
        # Known to fill nothing: never guessed from its values either.
        column.kind = kind or NO_FIELD
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
        column.target, column.kind, column.score = target, FIELD, 100
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
    if header_key(header) in LABELS:
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


def suggest(headers, samples=None, fixed=None, presets=True):
    """Suggest a target per header; never two columns on one single-valued target.

    ``samples`` maps headers to their non-empty sampled values (the caller passes up to
    ~1,000 sampled rows): values support, veto or (for an unknown header) suggest a
    target, and decide between columns offering the same field (the business/work/first
    one that has values wins); a header missing from ``samples`` is judged by its name
    only. ``fixed`` maps headers to (target, template, params) already decided (a saved
    mapping); they win over guesses. With ``presets``, a file
    recognised as an exporter's (see :func:`recognise`) is read with that exporter's
    header set first. Returns one :class:`Suggestion` per header, in header order.
    """
    fixed = fixed or {}
    match = recognise(headers) if presets else None
    columns = [_read(position, header, fixed, match) for position, header in enumerate(headers)]
    if samples is not None:
        _route_labels(columns, samples)
        for column in columns:
            if column.header in samples:
                _weigh(column, samples[column.header])
    for column in columns:
        if column.target:
            column.confidence = _rate(column)
            _protect(column)
            if column.target and column.contradicted and not column.fixed:
                label = TARGETS_BY_KEY[column.target].label
                column.template, column.params = REASON_CONTRADICTED, {"target": label}
    choose(columns, samples is not None)
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
