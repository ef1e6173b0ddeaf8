"""Helpers for files the addon gives back to users (rows not imported, problems)."""

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell inert for spreadsheets: prefix a quote to formula-like text.

    :func:`unneutralise` undoes it when such a file is imported again.
    """
    value = value if isinstance(value, str) else ("" if value is None else str(value))
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unneutralise(value):
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
