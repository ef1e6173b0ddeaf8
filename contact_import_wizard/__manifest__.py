# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Contact Import Wizard",
    "summary": "Guided import of contacts and their companies from CSV, Excel, OpenDocument and vCard "
    "files, "
    "with fuzzy company matching, validation and an import log",
    "version": "19.0.2.1.0",
    "category": "Contacts",
    "license": "LGPL-3",
    "author": "contact_import_wizard developers",
    "depends": ["contacts"],
    "external_dependencies": {"python": ["openpyxl", "rapidfuzz"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "data/server_actions.xml",
        "views/contact_import_log_views.xml",
        "views/contact_import_mapping_views.xml",
        "views/contact_import_company_alias_views.xml",
        "views/res_partner_views.xml",
        "views/base_partner_merge_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/contact_import_wizard_views.xml",
        "wizards/contact_import_revert_views.xml",
        "wizards/contact_import_wizard_partners_views.xml",
        "wizards/contact_convert_wizard_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "contact_import_wizard/static/src/js/*.js",
            "contact_import_wizard/static/src/scss/*.scss",
        ],
        "web.assets_tests": ["contact_import_wizard/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
