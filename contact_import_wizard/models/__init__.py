from . import contact_import_log
from . import contact_import_log_line
from . import contact_import_mapping
from . import contact_import_company_key
from . import res_partner
from . import res_config_settings
