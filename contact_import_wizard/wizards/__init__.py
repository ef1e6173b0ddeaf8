from . import contact_import_wizard
