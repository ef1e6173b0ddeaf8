from . import contact_import_wizard
from . import contact_import_revert
