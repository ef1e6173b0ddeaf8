"""What is wrong with a mapping the user edited."""

from ..messages import ERROR, WARNING, Problem, _lt
from .targets import TARGETS_BY_KEY


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
