/* Runs a list of queries through the real search box of the open page, in any
 * engine, and reports what a reader sees. Shared by tests/browser/test_search.py
 * (Chromium, Playwright), tests/browser/firefox.mjs (Debian's Firefox,
 * puppeteer-core) and scripts/bench_search.py, so that both engines are judged
 * by the same code.
 *
 * Text enters the box with NO key events at all: the box's text is selected
 * and replaced by document.execCommand("insertText"), which fires the same
 * "input" event (inputType insertText) that a paste, dictation or an input
 * method fires. No key is pressed afterwards.
 *
 * Called as an async function expression with one argument, the list of
 * query strings; returns one entry per query:
 *   {query, ms, groups: [{page, links: [anchor, ...]}, ...]}
 * where ms is the time from the input event to the rendered results (the
 * mutation that shows them, plus one animation frame), or -1 on a timeout. */
async (queries) => {
  const box = document.querySelector("input.md-search__input");
  const meta = document.querySelector(".md-search-result__meta");
  const list = document.querySelector(".md-search-result__list");
  const shown = () => /matching/i.test(meta.textContent);
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

  function waitFor(test, timeout) {
    return new Promise((resolve) => {
      if (test()) return resolve(true);
      const observer = new MutationObserver(() => {
        if (test()) {
          observer.disconnect();
          clearTimeout(timer);
          resolve(true);
        }
      });
      observer.observe(meta.parentNode, { childList: true, subtree: true, characterData: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve(test());
      }, timeout);
    });
  }

  function enter(text) {
    box.focus();
    box.select();
    if (text) document.execCommand("insertText", false, text);
    else document.execCommand("delete", false);
  }

  function groups() {
    return [...list.querySelectorAll(".md-search-result__item")].map((item) => ({
      page: new URL(item.querySelector("a").href).pathname,
      links: [...item.querySelectorAll("a")].map((a) => new URL(a.href).hash.slice(1)),
    }));
  }

  const out = [];
  for (const query of queries) {
    if (box.value) {
      enter("");
      await waitFor(() => !shown(), 5000);
    }
    const t0 = performance.now();
    enter(query);
    const ok = await waitFor(shown, 10000);
    await frame();
    const ms = ok ? performance.now() - t0 : -1;
    // Let any later batch of the same results settle before reading them.
    await new Promise((resolve) => setTimeout(resolve, 30));
    out.push({ query, value: box.value, ms, groups: groups() });
  }
  return out;
}
