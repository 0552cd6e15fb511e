// The second accessibility engine: pa11y with the runners tests/pa11y.yml
// names (HTML_CodeSniffer), on Debian's Chromium, in one process and one
// browser for every page.
//
// Input (stdin, JSON):
//   {executable, args: [chromium flags], urls: [absolute URLs],
//    standard: "WCAG2AA", runners: ["htmlcs"], ignore: [codes]}
// Output (stdout, JSON):
//   {url: [{runner, code, type, message, selector, context, needsFurtherReview}]}
// Run by tests/browser/test_pa11y.py, which reads the ignored codes, each
// with its reason, from tests/pa11y.yml.
import { readFileSync } from "node:fs";
import pa11y from "pa11y";
import puppeteer from "puppeteer-core";

const job = JSON.parse(readFileSync(0, "utf8"));
const browser = await puppeteer.launch({
  executablePath: job.executable,
  args: job.args || [],
  headless: true,
});
const out = {};
try {
  for (const url of job.urls) {
    const page = await browser.newPage();
    const result = await pa11y(url, {
      browser,
      page,
      runners: job.runners,
      standard: job.standard || "WCAG2AA",
      ignore: job.ignore || [],
      viewport: { width: 1280, height: 900 },
      timeout: 120000,
      // The site is served with its real CSP; pa11y injects its runners
      // through the DevTools protocol, which the policy does not govern.
    });
    out[url] = result.issues.map((i) => ({
      runner: i.runner, code: i.code, type: i.type, message: i.message,
      selector: i.selector, context: (i.context || "").slice(0, 200),
      needsFurtherReview: Boolean(i.runnerExtras && i.runnerExtras.needsFurtherReview),
    }));
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
