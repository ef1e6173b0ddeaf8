// Screenshots of each wizard step for README.md, taken in headless Chromium against a
// running `tools/run.sh` (demo file: tools/screenshots-sample.csv).
//
//   npm install --no-save playwright-core
//   BASE_URL=http://127.0.0.1:8069 node tools/screenshots.mjs
import { chromium } from "playwright-core";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "docs", "screenshots");
const base = process.env.BASE_URL || "http://127.0.0.1:8069";
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 1050 } });
await page.goto(`${base}/web/login`);
await page.fill("input[name=login]", process.env.LOGIN || "admin");
await page.fill("input[name=password]", process.env.PASSWORD || "admin");
await page.click("button[type=submit]");
await page.waitForURL(/\/odoo/);
await page.goto(`${base}/odoo/action-contact_import_wizard.contact_import_wizard_action`);
await page.setInputFiles(".modal .o_field_binary input[type=file]", path.join(here, "screenshots-sample.csv"));
await page.waitForSelector(".modal .o_cim_preview");
const shot = async (name) => {
    await page.waitForTimeout(600);
    await page.locator(".modal .modal-content").screenshot({ path: path.join(out, `${name}.png`) });
};
await shot("1-upload");
const next = async (selector) => {
    await page.click(".modal footer button[name=action_next]");
    await page.waitForSelector(selector);
};
await next(".modal div[name=step_mapping]:visible");
await shot("2-mapping");
await next(".modal div[name=step_validation]:visible");
await shot("3-validation");
await next(".modal div[name=step_reference]:visible");
await shot("4-reference-data");
await next(".modal div[name=step_review]:visible");
await shot("5-review");
await page.click(".modal footer button[name=action_import]");
await page.waitForSelector(".o_form_view .o_field_widget[name=line_ids]");
await page.waitForTimeout(600);
await page.screenshot({ path: path.join(out, "6-import-log.png") });
await browser.close();
