from . import contact_import_wizard
from . import contact_import_wizard_mapping
from . import contact_import_wizard_reference
from . import contact_import_wizard_column
from . import contact_import_wizard_problem
from . import contact_import_wizard_company
from . import contact_import_wizard_suggestion
from . import contact_import_revert
