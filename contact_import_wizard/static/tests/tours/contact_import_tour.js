import { registry } from "@web/core/registry";

const CSV = [
    "Name,Email,Company",
    "Ann Tour,ann@tour.example,Tour Company Inc.",
    "Bob Tour,bob@tour.example,tour company",
].join("\n");

function clickButton(name) {
    return { trigger: `.modal footer button[name=${name}]`, run: "click" };
}

registry.category("web_tour.tours").add("contact_import_wizard_tour", {
    steps: () => [
        {
            content: "Upload a CSV file",
            trigger: ".modal .o_field_binary",
            run: async () => {
                const input = document.querySelector(".modal .o_field_binary input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CSV], "tour.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { content: "The preview shows the rows", trigger: ".modal .o_cim_preview td:contains(Ann Tour)" },
        { content: "Two data rows", trigger: ".modal .o_field_widget[name=row_count]:contains(2)" },
        clickButton("action_next"),
        {
            content: "Mapping: Company column suggested",
            trigger: ".modal div[name=step_mapping] td:contains(Company)",
        },
        clickButton("action_next"),
        { content: "Validation step", trigger: ".modal .o_arrow_button_current:contains(Validation)" },
        clickButton("action_next"),
        {
            content: "Reference Data: the two spellings are one company",
            trigger: ".modal div[name=step_reference] td:contains(Tour Company Inc.)",
        },
        clickButton("action_next"),
        {
            content: "Review: two contacts to create",
            trigger: ".modal .o_field_widget[name=review_creates]:contains(2)",
        },
        clickButton("action_import"),
        { content: "The log opens", trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains(Done)" },
        { content: "Its rows are listed", trigger: ".o_form_view .o_field_widget[name=line_ids] td:contains(Ann Tour)" },
    ],
});
