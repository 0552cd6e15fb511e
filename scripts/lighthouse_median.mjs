// Picks the median of several Lighthouse runs of one page with Lighthouse's
// own computeMedianRun (the run closest to the median first contentful paint
// and time to interactive), as Lighthouse's documentation advises for
// variable results. Called by scripts/bench.py.
//
//   node scripts/lighthouse_median.mjs RUN1.json RUN2.json ...
//
// Prints the 0-based index of the median run.
import { readFile } from "node:fs/promises";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/lighthouse_median.mjs RUN.json [RUN.json ...]");
  process.exit(2);
}
const runs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, "utf8"))));
process.stdout.write(String(runs.indexOf(computeMedianRun(runs))));
