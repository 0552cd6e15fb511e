// The second browser engine: Debian's Firefox ESR, driven over WebDriver BiDi
// by puppeteer-core (Playwright cannot download its own Firefox here).
// One Firefox for the whole run: every page is loaded once (console errors,
// page errors, requests to other origins), then the query sets go through the
// real search box with tests/browser/search_probe.js, the same probe
// Chromium uses, and optionally the first search is timed (bench).
//
// Input (stdin, JSON):
//   {executable, origin, pages: [paths], queries: {part: [strings]},
//    probe: "<search_probe.js source>", firstSearch: 0}
// Output (stdout, JSON):
//   {version, pages: {path: {errors: [], foreign: []}},
//    queries: {part: [probe results]}, firstSearchMs: [numbers]}
// Run by tests/browser/test_firefox.py and scripts/bench_search.py.
import { readFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const job = JSON.parse(readFileSync(0, "utf8"));
const origin = new URL(job.origin).origin;

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: job.executable,
  headless: true,
  extraPrefsFirefox: {
    // No first-run pages, updates or telemetry requests of its own.
    "browser.shell.checkDefaultBrowser": false,
    "app.update.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
  },
});

async function watched(url) {
  const page = await browser.newPage();
  const record = { errors: [], foreign: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") record.errors.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => record.errors.push(`pageerror: ${err.message || err}`));
  page.on("request", (req) => {
    const u = req.url();
    if (!u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin) {
      record.foreign.push(u);
    }
  });
  page.on("requestfailed", (req) => {
    record.errors.push(`request failed: ${req.url()} ${req.failure()?.errorText || ""}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) record.errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: "networkidle0" });
  return { page, record };
}

const out = { version: await browser.version(), pages: {}, queries: {}, firstSearchMs: [] };
try {
  for (const path of job.pages || []) {
    const { page, record } = await watched(new URL(path, job.origin).href);
    out.pages[path] = record;
    await page.close();
  }
  if (job.queries && Object.keys(job.queries).length) {
    const { page, record } = await watched(new URL("/", job.origin).href);
    await page.click("input.md-search__input");
    for (const [part, queries] of Object.entries(job.queries)) {
      out.queries[part] = await page.evaluate(`(${job.probe})(${JSON.stringify(queries)})`);
    }
    out.pages["/ (searching)"] = record;
    await page.close();
  }
  for (let i = 0; i < (job.firstSearch || 0); i++) {
    // A fresh, empty-cache window each time (bench only).
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(new URL(job.firstSearchPath || "/focus-group/", job.origin).href,
      { waitUntil: "networkidle0" });
    const t0 = Date.now();
    await page.click("input.md-search__input");
    await page.evaluate(`(${job.probe})(["ruble"])`);
    await page.waitForSelector(".md-search-result__item", { timeout: 60000 });
    out.firstSearchMs.push(Date.now() - t0);
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
