import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

function writeLog(values) {
    const id = Number(new URL(window.location.href).pathname.split("/").pop());
    return rpc("/web/dataset/call_kw/contact.import.log/write", {
        model: "contact.import.log",
        method: "write",
        args: [[id], values],
        kwargs: {},
    });
}

registry.category("web_tour.tours").add("contact_import_progress_tour", {
    steps: () => [
        { content: "A running import", trigger: ".o_form_view .o_field_widget[name=rows_done]:contains(1)" },
        {
            content: "The background job writes a chunk",
            trigger: ".o_form_view .o_field_widget[name=rows_done]",
            run: () => writeLog({ rows_done: 7 }),
        },
        { content: "The form shows it by itself", trigger: ".o_form_view .o_field_widget[name=rows_done]:contains(7)" },
        {
            content: "The job ends",
            trigger: ".o_form_view .o_field_widget[name=rows_done]:contains(7)",
            run: () => writeLog({ state: "done", rows_done: 10 }),
        },
        {
            content: "The outcome shows up without a reload",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});
