# Odoo's test loader imports this package to find the Odoo test modules. Plain pytest of
# the engine imports it too, without Odoo: the Odoo tests are only imported under Odoo.
if __name__.startswith("odoo.addons."):
    from . import test_upload
    from . import test_wizard_flow
    from . import test_tour
    from . import test_background
    from . import test_security
    from . import test_revert
    from . import test_hostile_files
    from . import test_security_attacks
    from . import test_security_rpc
    from . import test_import_rules
    from . import test_real_exports
    from . import test_reference_data
    from . import test_address_rules
    from . import test_convert
    from . import test_server_actions
    from . import test_convert_tour
    from . import test_convert_rpc
    from . import test_translations
    from . import test_user_findings
    from . import test_cron_runner
    from . import test_executor_writes
