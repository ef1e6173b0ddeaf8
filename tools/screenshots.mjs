// The screenshots of README.md and of the Apps page, taken in headless Chromium by walking
// through the product as a user would. Run it with `bash tools/screenshots.sh`, which starts
// Odoo on a fresh database of its own and stops it afterwards; against an Odoo you started
// yourself (a CLEAN database: the script adds the companies of the story):
//
//   BASE_URL=http://127.0.0.1:8069 PLAYWRIGHT_DIR=<folder with node_modules/playwright-core> \
//       node tools/screenshots.mjs
//
// The story: a Google Contacts export (tools/screenshots-sample.csv) names companies
// that are already in Odoo under other spellings, one that only looks like one of them, and
// new ones. seed() creates the existing ones over JSON-RPC as admin before the steps.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR || here, "package.json"));
const { chromium } = require("playwright-core");

const base = process.env.BASE_URL || "http://127.0.0.1:8069";
const out = process.env.SCREENSHOTS_OUT || path.join(here, "..", "docs", "screenshots");
const sample = path.join(here, "screenshots-sample.csv");
const only = new Set((process.env.SCREENSHOTS_ONLY || "french,story,background,convert").split(","));
const WIDTH = 1440;
const HEIGHT = 1000;
const BIG_IMPORT_ROWS = 6000;

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // Headless, and kept from reaching out to the network or setting itself up.
    args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ],
});
const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    locale: "en-US",
    timezoneId: "Europe/Paris",
    acceptDownloads: true,
});
const page = await context.newPage();
page.setDefaultTimeout(60000);
const errors = [];
page.on("pageerror", (error) => errors.push(String(error)));

// -- helpers ------------------------------------------------------------------------------------
let rpcId = 0;
async function rpc(model, method, args = [], kwargs = {}) {
    const response = await context.request.post(`${base}/web/dataset/call_kw/${model}/${method}`, {
        data: { jsonrpc: "2.0", id: ++rpcId, method: "call", params: { model, method, args, kwargs } },
    });
    const body = await response.json();
    if (body.error) {
        throw new Error(`${model}.${method}: ${body.error.data?.message || body.error.message}`);
    }
    return body.result;
}

const modal = () => page.locator(".modal:visible .modal-content").last();

// Requests in flight, but for the bus's long-lived connection.
let inFlight = 0;
const counted = (request) => !/\/(websocket|longpolling)/.test(request.url());
page.on("request", (r) => counted(r) && inFlight++);
page.on("requestfinished", (r) => counted(r) && inFlight--);
page.on("requestfailed", (r) => counted(r) && inFlight--);

async function settle() {
    // No request in flight for a moment and no spinner: what is shown is what the server answered.
    const deadline = Date.now() + 60000;
    let quiet = 0;
    while (quiet < 4 && Date.now() < deadline) {
        await page.waitForTimeout(100);
        quiet = inFlight > 0 ? 0 : quiet + 1;
    }
    await page.locator(".o_blockUI").first().waitFor({ state: "hidden" }).catch(() => {});
    await page.waitForTimeout(300);
}

async function still() {
    // Nothing hovered or focused: no tooltip, no highlighted row, no selected text.
    await page.mouse.move(1, 1);
    await page.evaluate(() => document.activeElement?.blur());
    await page.waitForTimeout(300);
}

async function shotModal(name, { whole = true } = {}) {
    await settle();
    // The dialog's body scrolls inside the window: make the window tall enough to show all of
    // it (or, not ``whole``, show the dialog as the window shows it first).
    const hidden = await modal()
        .locator(".modal-body")
        .evaluate((body) => body.scrollHeight - body.clientHeight);
    if (whole && hidden > 0) {
        await page.setViewportSize({ width: WIDTH, height: HEIGHT + hidden + 20 });
        await settle();
    }
    await still();
    await modal().screenshot({ path: path.join(out, `${name}.png`) });
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    console.log(`  ${name}.png`);
}

async function shotPage(name, height = HEIGHT, width = WIDTH) {
    await page.setViewportSize({ width, height });
    await settle();
    await still();
    // The window down to the end of the form, without the empty part beside the chatter.
    const sheet = await page.locator(".o_form_sheet_bg").boundingBox();
    const clip = { x: 0, y: 0, width: Math.ceil(sheet.x + sheet.width), height: Math.min(height, Math.ceil(sheet.y + sheet.height)) };
    await page.screenshot({ path: path.join(out, `${name}.png`), clip });
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    console.log(`  ${name}.png`);
}

async function clickFooter(name) {
    await modal().locator(`.modal-footer button[name=${name}]`).click();
    await settle();
}

async function expectStep(step) {
    // The step's own block (language-independent, unlike its label in the status bar).
    await modal().locator(`div[name=step_${step}]`).waitFor({ state: "visible" });
}

async function login() {
    await page.goto(`${base}/web/login`);
    await page.fill("input[name=login]", process.env.LOGIN || "admin");
    await page.fill("input[name=password]", process.env.PASSWORD || "admin");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/odoo/);
}

async function openWizard() {
    await page.goto(`${base}/odoo/contacts`);
    await settle();
    await page.goto(`${base}/odoo/action-contact_import_wizard.contact_import_wizard_action`);
    await modal().locator(".o_field_binary input[type=file]").waitFor({ state: "attached" });
}

async function upload(file) {
    await modal().locator(".o_field_binary input[type=file]").setInputFiles(file);
    await modal().locator(".o_cim_preview").waitFor();
}

// -- the data of the story -------------------------------------------------------------------
async function seed() {
    const country = async (code) => (await rpc("res.country", "search", [[["code", "=", code]]]))[0];
    const [fr, us, de] = [await country("FR"), await country("US"), await country("DE")];
    const companies = [
        // Found under other spellings ("blue river foods", "Blue River Foods, Inc").
        {
            name: "Blue River Foods Inc.",
            website: "https://bluefoods.example",
            street: "40 Quai Rambaud",
            zip: "69002",
            city: "Lyon",
            country_id: fr,
            phone: "+33 4 72 00 10 00",
        },
        {
            name: "Azure Interior",
            website: "https://azure-interior.example",
            street: "4557 De Silva St",
            zip: "94538",
            city: "Fremont",
            country_id: us,
        },
        // In Odoo without an address: it takes the one its contacts' rows agree on.
        { name: "Deco Addict" },
        // The file writes "Gemini Furnitur": a suggestion the contacts' domain confirms.
        {
            name: "Gemini Furniture",
            website: "https://gemini-furniture.example",
            street: "317 Fairchild Dr",
            zip: "94043",
            city: "Mountain View",
            country_id: us,
        },
        // Looks like "Nordwind Traders" of the file, but another domain and country.
        {
            name: "Northwind Traders",
            website: "https://northwind.example",
            city: "Seattle",
            country_id: us,
        },
    ];
    const ids = {};
    for (const vals of companies) {
        ids[vals.name] = await rpc("res.partner", "create", [{ ...vals, is_company: true }]);
    }
    await rpc("res.partner", "create", [
        {
            // Already in Odoo: the file's row with this email is skipped as a duplicate.
            name: "Ben Carter",
            email: "ben.carter@azure-interior.example",
            parent_id: ids["Azure Interior"],
            function: "Installer",
        },
    ]);
    await rpc("res.partner", "create", [
        {
            // A contact typed in by hand, with a company name but no company: Convert to Customer.
            name: "Lucas Moreau",
            email: "lucas.moreau@bluefoods.example",
            company_name: "Blue Rivers Food",
            phone: "+33 6 98 76 54 32",
            city: "Lyon",
            country_id: fr,
        },
    ]);
    console.log(`seeded ${companies.length} companies and 2 contacts`);
}

// -- 1. the story: one file from Upload to its log --------------------------------------------------
async function story() {
    await openWizard();
    await upload(sample);
    await shotModal("01-upload", { whole: false });

    await clickFooter("action_next");
    await expectStep("mapping");
    await modal().locator(".o_cim_mapping_preview").waitFor();
    await shotModal("02-mapping");

    await clickFooter("action_next");
    await expectStep("validation");
    await modal().locator("div[name=step_validation] .o_data_row").first().waitFor();
    await shotModal("03-validation");

    await clickFooter("action_next");
    await expectStep("reference");
    const unmatched = modal().locator(".o_field_widget[name=unmatched_line_ids]");
    await unmatched.locator(".o_data_row").first().waitFor();
    // A company the user does not want: its contacts are skipped.
    const vortex = unmatched.locator(".o_data_row", { hasText: "Vortex Promotions" });
    await vortex.locator("td[name=decision]").click();
    await vortex.locator("td[name=decision] .o_select_menu_toggler").click();
    await page.locator(".o_select_menu_item", { hasText: "Skip these contacts" }).click();
    await modal().locator("h5", { hasText: "Companies not found in Odoo" }).click();
    await settle();
    const preselected = unmatched.locator(".o_data_row", { hasText: "Gemini Furnitur" });
    if (!(await preselected.locator("td[name=preselected] input:checked").count())) {
        throw new Error("Gemini Furnitur's suggestion is not pre-selected: did the seed or the matching change?");
    }
    await shotModal("04-reference-data");

    // The look-alike's dialog: its suggestion, refused, with the evidence against it.
    const nordwind = unmatched.locator(".o_data_row", { hasText: "Nordwind Traders" });
    await nordwind.locator("button[name=action_open]").click();
    await modal().locator(".o_field_widget[name=suggestion_ids] .o_data_row").first().waitFor();
    await shotModal("05-company-dialog");
    await clickFooter("action_back_to_wizard");
    await expectStep("reference");

    await clickFooter("action_next");
    await expectStep("review");
    await shotModal("06-review");

    await clickFooter("action_import");
    await page.locator(".o_form_view .o_field_widget[name=line_ids] .o_data_row").first().waitFor();
    // The log must tell the whole story, or its screenshot is worth nothing.
    const [log] = await rpc("contact.import.log", "search_read", [[["file_name", "=", path.basename(sample)]]], {
        fields: ["state", "contacts_created", "contacts_linked", "companies_created", "rows_ignored"],
        limit: 1,
    });
    for (const counter of ["contacts_created", "contacts_linked", "companies_created", "rows_ignored"]) {
        if (!log[counter]) throw new Error(`the sample's import has no ${counter}: ${JSON.stringify(log)}`);
    }
    await shotPage("07-import-log", 1800, 1920);

    // The rows that were not imported, as the user downloads them (CSV), shown as a table.
    const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator(".o_form_view button[name=action_download_ignored_csv]").click(),
    ]);
    const csvFile = path.join(os.tmpdir(), `cim-not-imported-${process.pid}.csv`);
    await download.saveAs(csvFile);
    await showCsv(download.suggestedFilename(), fs.readFileSync(csvFile, "utf-8"), "08-rows-not-imported");
    fs.unlinkSync(csvFile);
}

function parseCsv(text) {
    const rows = [];
    let row = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                cell += '"';
                i++;
            } else if (c === '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c === '"') {
            quoted = true;
        } else if (c === ",") {
            row.push(cell);
            cell = "";
        } else if (c === "\n" || c === "\r") {
            if (c === "\r" && text[i + 1] === "\n") i++;
            row.push(cell);
            rows.push(row);
            row = [];
            cell = "";
        } else {
            cell += c;
        }
    }
    if (cell || row.length) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

async function showCsv(name, text, shot) {
    const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    const [head, ...body] = parseCsv(text.replace(/^\ufeff/, ""));
    // A few columns of the file, and the Reason the download adds as its last column.
    const shown = ["First Name", "Last Name", "Organization Name", "E-mail 1 - Value", "Notes"];
    const keep = head.map((_h, i) => i).filter((i) => i === head.length - 1 || shown.includes(head[i]));
    const cells = (r, tag) => keep.map((i) => `<${tag}>${escape(r[i] || "")}</${tag}>`).join("");
    const sheet = await context.newPage();
    await sheet.setViewportSize({ width: WIDTH, height: 400 });
    await sheet.setContent(`<!doctype html><meta charset="utf-8"><style>
        body { font: 13px system-ui, sans-serif; margin: 16px; }
        caption { text-align: left; font-weight: 600; margin-bottom: 8px; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; white-space: nowrap; }
        td:last-child { white-space: normal; min-width: 360px; }
        th { background: #f2f2f2; } td:last-child { background: #fff8e1; }
    </style><table><caption>${escape(name)} (${keep.length - 1} of its ${head.length - 1} columns of the file shown, and its Reason)</caption>
    <thead><tr>${cells(head, "th")}</tr></thead><tbody>${body.map((r) => `<tr>${cells(r, "td")}</tr>`).join("")}</tbody></table>`);
    await sheet.locator("table").screenshot({ path: path.join(out, `${shot}.png`) });
    await sheet.close();
    console.log(`  ${shot}.png`);
}

// -- 2. a large file in the background ----------------------------------------------------------
function bigFile() {
    const header = "First Name,Last Name,Company,Email,City,Country\n";
    const first = ["Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Inès", "Jan"];
    const last = ["Schmidt", "Martin", "Rossi", "García", "Novak", "Jansen", "Kowalski", "Silva", "Dubois", "Berg"];
    const cities = [
        ["Berlin", "Germany"],
        ["Lyon", "France"],
        ["Milano", "Italy"],
        ["Madrid", "Spain"],
        ["Praha", "Czech Republic"],
    ];
    const lines = [];
    for (let i = 0; i < BIG_IMPORT_ROWS; i++) {
        const company = `Trade Partner ${String(Math.floor(i / 20) + 1).padStart(3, "0")}`;
        const [city, country] = cities[Math.floor(i / 20) % cities.length];
        const f = first[i % first.length];
        const l = last[Math.floor(i / first.length) % last.length];
        const local = `${f}.${l}.${i}`.normalize("NFD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
        lines.push(`${f},${l},${company},${local}@partner${Math.floor(i / 20) + 1}.example,${city},${country}`);
    }
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cim-screenshots-"));
    const file = path.join(folder, "trade-partners.csv");
    fs.writeFileSync(file, header + lines.join("\n") + "\n");
    return file;
}

async function background() {
    // Lowered for the demonstration: above 1,000 rows an import runs in the background,
    // 200 rows at a time, and its log shows the progress.
    await rpc("ir.config_parameter", "set_param", ["contact_import_wizard.background_threshold", "1000"]);
    await rpc("ir.config_parameter", "set_param", ["contact_import_wizard.chunk_size", "200"]);
    const file = bigFile();
    await openWizard();
    await upload(file);
    for (const step of ["mapping", "validation", "reference", "review"]) {
        await clickFooter("action_next");
        await expectStep(step);
    }
    await clickFooter("action_import");
    const form = page.locator(".o_form_view");
    await form.locator(".o_field_widget[name=state]").waitFor();
    // The log reads itself again every two seconds; wait for a moment well into the import.
    const deadline = Date.now() + 300000;
    let shown = false;
    while (Date.now() < deadline) {
        const text = await form.locator(".o_field_widget[name=progress]").innerText().catch(() => "");
        const percent = parseFloat((text.match(/([\d.]+)\s*%/) || [])[1] || "0");
        if (percent >= 20 && percent <= 80) {
            await shotPage("09-background-import", HEIGHT, 1920);
            shown = true;
            break;
        }
        await page.waitForTimeout(250);
    }
    fs.rmSync(path.dirname(file), { recursive: true });
    if (!shown) throw new Error("the background import's progress was never seen between 20% and 80%");
    // Let it end before anything else runs.
    await form
        .locator(".o_field_widget[name=state] .o_arrow_button_current", { hasText: /Done/ })
        .waitFor({ timeout: 600000 });
}

// -- 3. Convert to Customer, from a contact's form ----------------------------------------------
async function convert() {
    const [lucas] = await rpc("res.partner", "search", [[["name", "=", "Lucas Moreau"]]]);
    await page.goto(`${base}/odoo/contacts/${lucas}`);
    await page.locator(".o_form_view button[name=action_contact_import_convert]").click();
    await modal().locator(".o_field_widget[name=line_ids] .o_data_row").first().waitFor();
    await shotModal("10-convert-to-customer");
    await modal().locator(".modal-footer button.btn-secondary").click();
}

// -- 4. the wizard in French ----------------------------------------------------------------------
async function french() {
    // French is installed as Settings > Languages does it, which loads the module's fr.po.
    const [lang] = await rpc("res.lang", "search", [[["code", "=", "fr_FR"], ["active", "in", [true, false]]]]);
    const installer = await rpc("base.language.install", "create", [{ lang_ids: [[6, 0, [lang]]] }]);
    await rpc("base.language.install", "lang_install", [[installer]]);
    const [admin] = await rpc("res.users", "search", [[["login", "=", process.env.LOGIN || "admin"]]]);
    await rpc("res.users", "write", [[admin], { lang: "fr_FR" }]);
    try {
        await openWizard();
        await upload(sample);
        for (const step of ["mapping", "validation", "reference"]) {
            await clickFooter("action_next");
            await expectStep(step);
        }
        await modal().locator(".o_field_widget[name=unmatched_line_ids] .o_data_row").first().waitFor();
        const labels = await modal().locator(".o_field_widget[name=state]").innerText();
        if (labels.includes("Reference Data")) {
            throw new Error("the wizard is not translated into French: is contact_import_wizard/i18n/fr.po there?");
        }
        await shotModal("11-reference-data-fr");
        await modal().locator(".modal-footer button.btn-secondary").last().click();
    } finally {
        await rpc("res.users", "write", [[admin], { lang: "en_US" }]);
    }
}

await login();
await seed();
// French first, on the same data as the English Reference Data (the story then imports it).
if (only.has("french")) await french();
if (only.has("story")) await story();
if (only.has("background")) await background();
if (only.has("convert")) await convert();
await browser.close();
if (errors.length) {
    console.error(`errors in the page:\n${errors.join("\n")}`);
    process.exit(1);
}
