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

from .check import check_mapping
from .presets import PRESETS, PRESETS_BY_KEY, Preset, PresetMatch, recognise
from .reasons import (
    KIND_REASONS,
    REASON_CONTRADICTED,
    REASON_CONTRADICTED_PROTECTED,
    REASON_EMPTY,
    REASON_FUNCTION_AS_TITLE,
    REASON_FUZZY,
    REASON_LABEL,
    REASON_LABELLED_MOBILE,
    REASON_NAME_PARTS,
    REASON_NONE,
    REASON_OTHER_ADDRESS,
    REASON_PRESET,
    REASON_PRESET_UNUSED,
    REASON_SYNONYM,
    REASON_TAKEN,
    REASON_TEMPLATE,
    REASON_TEMPLATE_FUZZY,
    REASON_TITLE_AS_FUNCTION,
    REASON_VAGUE_PROTECTED,
    REASON_VALUES_ONLY,
    REASON_VALUES_ONLY_PROTECTED,
)
from .saved import apply_template, template_fit
from .suggest import HIGH, LOW, MEDIUM, Suggestion, suggest
from .targets import PROTECTED, SYNONYMS, TARGETS, TARGETS_BY_KEY, Target

__all__ = [
    "KIND_REASONS",
    "REASON_CONTRADICTED",
    "REASON_CONTRADICTED_PROTECTED",
    "REASON_EMPTY",
    "REASON_FUNCTION_AS_TITLE",
    "REASON_FUZZY",
    "REASON_LABEL",
    "REASON_LABELLED_MOBILE",
    "REASON_NAME_PARTS",
    "REASON_NONE",
    "REASON_OTHER_ADDRESS",
    "REASON_PRESET",
    "REASON_PRESET_UNUSED",
    "REASON_SYNONYM",
    "REASON_TAKEN",
    "REASON_TEMPLATE",
    "REASON_TEMPLATE_FUZZY",
    "REASON_TITLE_AS_FUNCTION",
    "REASON_VAGUE_PROTECTED",
    "REASON_VALUES_ONLY",
    "REASON_VALUES_ONLY_PROTECTED",
    "HIGH",
    "LOW",
    "MEDIUM",
    "PRESETS",
    "PRESETS_BY_KEY",
    "PROTECTED",
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
