// Removes from the site's joined stylesheets the rules that no page can use,
// with PurgeCSS (npm, pinned in package.json). Called by explainer/postbuild/assets.py
// after the build; not meant to be run by hand.
//
//   node explainer/postbuild/purge_css.mjs SITE_DIR FILE.css [FILE.css ...]
//
// A selector is kept when its class names, ids, tags and attribute values
// occur anywhere in the built site's HTML or JavaScript (Material's bundle
// and search worker included, since they add classes such as
// md-search-result__item at run time). Each file is rewritten in place and a
// JSON summary of sizes goes to standard output. Any error exits non-zero.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PurgeCSS } from "purgecss";

const [site, ...files] = process.argv.slice(2);
if (!site || files.length === 0) {
  console.error("usage: node explainer/postbuild/purge_css.mjs SITE_DIR FILE.css [FILE.css ...]");
  process.exit(2);
}

const results = await new PurgeCSS().purge({
  content: [path.join(site, "**/*.html"), path.join(site, "**/*.js")],
  // The lunr language files are search code, full of words that would keep
  // unrelated rules.
  skippedContentGlobs: [path.join(site, "assets/javascripts/lunr/**")],
  css: files,
  // Kept whatever the pages say: the states Material sets on <html>/<body>
  // and the palette attributes it copies from the reader's choice.
  safelist: {
    standard: ["js", "no-js", "focus-visible"],
    greedy: [/^data-md-/],
  },
  // @font-face and @keyframes stay (the defaults); CSS variables stay.
});

const summary = [];
for (const result of results) {
  const before = (await readFile(result.file, "utf8")).length;
  await writeFile(result.file, result.css, "utf8");
  summary.push({ file: result.file, before, after: result.css.length });
}
process.stdout.write(JSON.stringify(summary));
