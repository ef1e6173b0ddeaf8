"""Pure-Python import engine: no ``odoo`` import anywhere below this package.

bytes -> rows (reader) -> mapped records (mapping) -> problems + company matches
(validation, matching) -> user decisions -> plan (plan).
"""
