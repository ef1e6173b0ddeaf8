import { registry } from "@web/core/registry";

// A contact's form: Convert to Customer, confirm, and the form shows its new company.
registry.category("web_tour.tours").add("contact_convert_tour", {
    steps: () => [
        {
            content: "The contact's free-text company name",
            trigger: ".o_form_view .o_field_widget[name=company_name] input:value(Tour Convert Ltd)",
        },
        {
            content: "Convert to Customer",
            trigger: ".o_form_view button[name=action_contact_import_convert]",
            run: "click",
        },
        {
            content: "The confirmation says the company will be created",
            trigger: ".modal .o_field_widget[name=summary_html]:contains(Tour Convert Ltd will be created for Tina Tour)",
        },
        {
            content: "Its line: not found in Odoo, to create",
            trigger: ".modal .o_field_widget[name=line_ids] tr:contains(Tour Convert Ltd):contains(Create the company)",
        },
        { content: "Confirm", trigger: ".modal footer button[name=action_confirm]", run: "click" },
        { content: "The outcome is notified", trigger: ".o_notification:contains(1 contacts converted)" },
        {
            content: "The form shows the contact's company",
            trigger: ".o_form_view .o_field_widget[name=parent_id] input:value(Tour Convert Ltd)",
        },
    ],
});
