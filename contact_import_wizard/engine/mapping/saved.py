"""Saved mappings: re-applied to a file with the same or similar headers."""

from rapidfuzz import fuzz, process

from ..normalize import simple_key
from .reasons import REASON_TEMPLATE, REASON_TEMPLATE_FUZZY
from .suggest import suggest

TEMPLATE_THRESHOLD = 90


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
