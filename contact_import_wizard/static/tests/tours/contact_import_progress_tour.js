import { registry } from "@web/core/registry";

// The log of a queued import, while its background job writes chunks of 2 rows (the test
// runs the real job beside the browser): the form follows it without a reload.
registry.category("web_tour.tours").add("contact_import_progress_tour", {
    steps: () => [
        { content: "The log of a background import", trigger: ".o_form_view .o_field_widget[name=progress]" },
        { content: "Its first chunk shows up", trigger: ".o_form_view .o_field_widget[name=rows_done]:contains(2)" },
        { content: "Then the next one", trigger: ".o_form_view .o_field_widget[name=rows_done]:contains(4)" },
        {
            content: "The outcome shows up by itself",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        { content: "With its counters", trigger: ".o_form_view button[name=action_view_created_contacts] .o_stat_value:contains(5)" },
    ],
});
