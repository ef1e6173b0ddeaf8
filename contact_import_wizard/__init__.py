# The engine (``engine/``) is pure Python and is imported on its own by plain pytest and
# the benchmark scripts, as ``contact_import_wizard.engine``; only when Odoo loads the
# addon (as ``odoo.addons.contact_import_wizard``) are the Odoo models registered.
if __name__.startswith("odoo.addons."):
    from . import models
    from . import wizards
