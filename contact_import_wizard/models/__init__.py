from . import contact_import_log
from . import contact_import_log_line
