// Fills kneeguide's exported FHIR Questionnaire in LHC-Forms as a person would, for
// tests/test_lforms.py: the system Chromium (puppeteer-core), the page and LHC-Forms
// served from 127.0.0.1 only, no other network.
//
//   node drive.js JOB.json  →  prints one JSON object on stdout
//
// JOB: {"questionnaire": {...}, "response": {...}, "steps": [STEP, ...], "width": 1000}
// "response" (optional): a QuestionnaireResponse loaded into the form first, as a forms
// client opens saved answers (LForms.Util.mergeFHIRDataIntoLForms).
// STEP: {"choose": linkId, "code": "yes"}   clicks the radio button of that answer
//       {"type": linkId, "text": "64"}      types into the number field, then Tab
//       {"visible": true}                   records the question items shown now
//       {"messages": true}                  records the validation messages shown now
//       {"screenshot": "file.png"}          the whole page as it is now
// Output: {"errors": [console errors and page errors], "visible": [[linkId, ...] per
// "visible" step], "messages": [["question: message", ...] per "messages" step],
// "response": the QuestionnaireResponse (R4) at the end, "missing": [steps whose field
// was not on the page], "failed": the driver's own error, if any}.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const puppeteer = require("puppeteer-core");

const LFORMS = path.join(__dirname, "node_modules", "lforms", "dist", "lforms");
const TYPES = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json" };
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>kneeguide in LHC-Forms</title>
<link rel="stylesheet" href="/lforms/webcomponent/styles.css">
</head><body><div id="form"></div>
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js"></script>
<script src="/lforms/webcomponent/polyfills.js"></script>
<script src="/lforms/webcomponent/main.js"></script>
<script src="/lforms/fhir/R4/lformsFHIR.min.js"></script>
</body></html>`;

const notFound = [];

function serve() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split("?")[0]);
    if (url === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url === "/" || url === "/index.html") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(PAGE);
      return;
    }
    const file = path.normalize(path.join(LFORMS, url.replace(/^\/lforms\//, "")));
    if (!url.startsWith("/lforms/") || !file.startsWith(LFORMS) || !fs.existsSync(file)) {
      notFound.push(url);
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// The question and group items on the page, by linkId: LHC-Forms leaves disabled items out.
function shownItems() {
  return Array.from(document.querySelectorAll("lhc-item.lhc-item-question, lhc-item.lhc-item-group"))
    .map((el) => el.id.replace(/^item-/, "").split("/")[0]);
}

async function act(page, step, out) {
  if (step.screenshot) {
    await page.screenshot({ path: step.screenshot, fullPage: true });
    return;
  }
  if (step.messages) {
    out.messages.push(await page.evaluate(() =>
      Array.from(document.querySelectorAll("lhc-validate .validation-error"), (el) =>
        el.querySelector(".lhc-error-item").textContent.trim() + ": " + el.querySelector(".lhc-error-msg").textContent.trim())));
    return;
  }
  if (step.visible) {
    out.visible.push(await page.evaluate(shownItems));
    return;
  }
  if (step.choose) {
    const selector = `label[id^="${step.choose}/"][id$="|urn:kneeguide:answer|${step.code}"]`;
    const target = await page.$(selector);
    if (!target) {
      out.missing.push(step);
      return;
    }
    await target.click();
  } else if (step.type) {
    const target = await page.$(`input[id^="${step.type}/"]`);
    if (!target) {
      out.missing.push(step);
      return;
    }
    await target.click({ clickCount: 3 });
    await target.type(String(step.text));
    await page.keyboard.press("Tab");
  }
  await new Promise((r) => setTimeout(r, 20));
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const server = await serve();
  const port = server.address().port;
  const profile = fs.mkdtempSync(path.join(require("os").tmpdir(), "kneeguide-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const out = { errors: [], visible: [], messages: [], response: null, missing: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: job.width || 1000, height: 900 });
    page.on("console", (msg) => {
      if (msg.type() === "error") out.errors.push(msg.text());
    });
    page.on("pageerror", (err) => out.errors.push(String(err)));
    page.on("requestfailed", (req) => out.errors.push("request failed: " + req.url()));
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
    await page.waitForFunction(() => window.LForms && window.LForms.Util && window.LForms.Util.addFormToPage, { timeout: 20000 })

    await page.evaluate(async (q, r) => {
      if (r) {
        const form = LForms.Util.convertFHIRQuestionnaireToLForms(q, "R4");
        await LForms.Util.addFormToPage(LForms.Util.mergeFHIRDataIntoLForms("QuestionnaireResponse", r, form, "R4"), "form");
      } else {
        await LForms.Util.addFormToPage(q, "form", { fhirVersion: "R4" });
      }
    }, job.questionnaire, job.response || null);
    await page.waitForSelector("wc-lhc-form lhc-item");
    for (const step of job.steps || []) await act(page, step, out);
    out.notFound = notFound;
    out.response = await page.evaluate(() => LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4"));
  } catch (err) {
    out.failed = String(err && err.stack ? err.stack : err);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
