import { registry } from "@web/core/registry";

function upload(csv, name) {
    return {
        content: `Upload ${name}`,
        trigger: ".modal .o_field_binary",
        run: async () => {
            const input = document.querySelector(".modal .o_field_binary input[type=file]");
            const transfer = new DataTransfer();
            transfer.items.add(new File([csv], name, { type: "text/csv" }));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

function next(step) {
    return [
        { content: "Next", trigger: ".modal footer button[name=action_next]", run: "click" },
        { content: `${step} step`, trigger: `.modal .o_arrow_button_current:contains(${step})` },
    ];
}

// A column the user ignores is not imported, and the wizard says the choice is theirs.
registry.category("web_tour.tours").add("contact_import_ignore_column_tour", {
    steps: () => [
        upload("Name,Email,City\nIgnored City,city@tour.example,Lyon\n", "ignore.csv"),
        { content: "The preview shows the row", trigger: ".modal .o_cim_preview td:contains(Ignored City)" },
        ...next("Mapping"),
        {
            content: "City is suggested for the City column",
            trigger: ".modal div[name=column_ids] .o_data_row:contains(Lyon) td[name=target]:contains(City)",
            run: "click",
        },
        {
            content: "Open the choice of field",
            trigger: ".modal div[name=column_ids] .o_data_row:contains(Lyon) td[name=target] .o_select_menu_toggler",
            run: "click",
        },
        { content: "Ignore this column", trigger: ".o_select_menu_item:contains(Ignore this column)", run: "click" },
        {
            content: "The reason now says the choice is the user's",
            trigger: ".modal div[name=column_ids] .o_data_row:contains(Lyon) td[name=reason]:contains(Chosen by you)",
        },
        ...next("Validation"),
        ...next("Reference Data"),
        ...next("Review"),
        { content: "Import", trigger: ".modal footer button[name=action_import]", run: "click" },
        { content: "The log opens, done", trigger: ".o_form_view .o_arrow_button_current:contains(Done)" },
    ],
});

// The suggestions dialog of a company of the file comes back to the wizard, at Reference
// Data, with the choice made there.
registry.category("web_tour.tours").add("contact_import_dialog_round_trip_tour", {
    steps: () => [
        upload("Name,Email,Company\nDia Log,dia@gmail.com,Dialog Sytems\n", "dialog.csv"),
        ...next("Mapping"),
        ...next("Validation"),
        ...next("Reference Data"),
        {
            content: "Open the suggestions of Dialog Sytems",
            trigger: ".modal div[name=unmatched_line_ids] .o_data_row:contains(Dialog Sytems) button[name=action_open]",
            run: "click",
        },
        { content: "Its suggestions", trigger: ".modal div[name=suggestion_ids] td:contains(Dialog Systems)" },
        {
            content: "Pick the suggestion",
            trigger: ".modal div[name=suggestion_ids] .o_data_row:contains(Dialog Systems) button[name=action_pick]",
            run: "click",
        },
        {
            content: "Back in the wizard, at Reference Data, linked",
            trigger: ".modal .o_arrow_button_current:contains(Reference Data)",
        },
        {
            content: "The line says so",
            trigger: ".modal div[name=unmatched_line_ids] .o_data_row:contains(Dialog Sytems) td[name=decision]:contains(Link to existing company)",
        },
        {
            content: "Open the dialog again",
            trigger: ".modal div[name=unmatched_line_ids] .o_data_row:contains(Dialog Sytems) button[name=action_open]",
            run: "click",
        },
        { content: "Back to the import", trigger: ".modal footer button[name=action_back_to_wizard]", run: "click" },
        { content: "Still at Reference Data", trigger: ".modal .o_arrow_button_current:contains(Reference Data)" },
        ...next("Review"),
        { content: "Import", trigger: ".modal footer button[name=action_import]", run: "click" },
        { content: "The log opens, done", trigger: ".o_form_view .o_arrow_button_current:contains(Done)" },
    ],
});
