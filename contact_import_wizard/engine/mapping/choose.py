"""Choosing among the columns that offer one field.

One column per single-valued target: the best-qualified (business/work/first) one that has
values in this file; one address group for every address field, never two mixed; first
and last name over any other name-like column.
"""

from .headers import ADDRESS_TARGETS, QUALIFIER_RANKS, Reading
from .reasons import REASON_EMPTY, REASON_NAME_PARTS, REASON_OTHER_ADDRESS, REASON_TAKEN
from .targets import TARGETS_BY_KEY

LEVELS = ("high", "medium", "low")


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
            min(LEVELS.index(c.confidence or LEVELS[-1]) for c in members),
            ranks.get(key[0], len(ranks)),
            reading.index,
            -filled,
            min(c.position for c in members),
        )

    chosen_key, chosen = min(groups.items(), key=group_order)
    used = {}
    for column in sorted(chosen, key=_order):
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
        for column in sorted(members, key=_order):
            if completes and key == ("", "") and column.target not in used:
                used[column.target] = column
            else:
                column.drop(REASON_OTHER_ADDRESS, {"other": anchor.header})
    taken.update({target: column.header for target, column in used.items()})


def _label(column):
    return TARGETS_BY_KEY[column.target].label


def choose(columns, samples_given):
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
        offered.sort(key=_order)
        winner = offered[0]
        for column in offered[1:]:
            template = REASON_EMPTY if samples_given and not column.has_values else REASON_TAKEN
            column.drop(template, {"target": _label(column), "other": winner.header})


def _order(column):
    return column.order()
