// Formats citation records (CSL-JSON) in CSL styles with citeproc-js, the
// processor Zotero and Mendeley use (npm "citeproc", pinned in package.json).
// Called by explainer/render/cite.py during the build; not meant to be run by hand.
//
//   node explainer/render/citeproc.mjs < request.json > answer.json
//
// request: {"items": [CSL-JSON item, ...], "locales": DIR,
//           "styles": [{"key": "apa", "file": "/path/apa.csl"}, ...]}
// answer:  {"<item id>": {"<style key>": {"html": "...", "text": "..."}}}
// Each item is formatted alone (its own bibliography of one entry). Any
// error exits non-zero with the message on standard error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const CSL = require("citeproc");

const request = JSON.parse(readFileSync(0, "utf8"));
const answer = {};
const byId = Object.fromEntries(request.items.map((item) => [item.id, item]));
const sys = {
  retrieveLocale: (lang) => {
    try {
      return readFileSync(path.join(request.locales, `locales-${lang}.xml`), "utf8");
    } catch {
      return false;
    }
  },
  retrieveItem: (id) => byId[id],
};
for (const style of request.styles) {
  // One engine per style (reading a style is the slow part); one entry at a time.
  const engine = new CSL.Engine(sys, readFileSync(style.file, "utf8"));
  for (const item of request.items) {
    engine.updateItems([item.id]);
    const out = {};
    for (const format of ["html", "text"]) {
      engine.setOutputFormat(format);
      const [meta, entries] = engine.makeBibliography();
      if (meta.bibliography_errors && meta.bibliography_errors.length) {
        throw new Error(`${style.key}: ${JSON.stringify(meta.bibliography_errors)}`);
      }
      out[format] = entries.join("").trim();
    }
    (answer[item.id] ??= {})[style.key] = out;
  }
}
process.stdout.write(JSON.stringify(answer));
