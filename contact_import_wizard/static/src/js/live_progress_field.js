import { registry } from "@web/core/registry";
import { ProgressBarField, progressBarField } from "@web/views/fields/progress_bar/progress_bar_field";
import { onWillUnmount } from "@odoo/owl";

const REFRESH_MS = 2000;

/**
 * The progress bar of a background import: while the import is queued or running, the
 * log is read again every two seconds, so that its counters, rate and expected end move
 * while the user watches, and the final outcome shows up by itself.
 */
export class LiveProgressField extends ProgressBarField {
    setup() {
        super.setup();
        const timer = setInterval(() => {
            const record = this.props.record;
            if (["queued", "running", "reverting"].includes(record.data.state) && !record.dirty) {
                record.load();
            }
        }, REFRESH_MS);
        onWillUnmount(() => clearInterval(timer));
    }
}

registry.category("fields").add("cim_live_progress", { ...progressBarField, component: LiveProgressField });
