/* Links for briefings (self-hosted, no third-party requests).
 * 1. "Cite this page": fills in the reader's access date (without script the
 *    citation says "[the date you read it]").
 * 2. Moved anchors: if the address names an id that no longer exists here
 *    and data/redirects.yml says where it went, go there.
 * 3. Tooltips for footnote markers and abbreviations, drawn only when a
 *    reader points at or focuses one: one shared element, filled on demand.
 *    (Material's content.footnote.tooltips and content.tooltips build one
 *    per marker and per title at start-up: hundreds on the timeline, the
 *    largest main-thread cost of a page load. Both are off in mkdocs.yml.)
 * 4. Escape closes an open key-fact menu or state label (native <details>,
 *    which open without script) and puts focus back on its summary.
 * Copying (links and citations) is done by Material's own clipboard code,
 * through the data-clipboard-* attributes. Nothing here walks the page at
 * load: 3 and 4 are delegated listeners on the document. */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  function accessDate() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var iso = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    // Formatted here rather than with toLocaleDateString, whose first call
    // loads locale data and blocks the main thread for tens of milliseconds.
    var text = now.getDate() + " " + MONTHS[now.getMonth()] + " " + now.getFullYear();
    document.querySelectorAll(".cite-accessed").forEach(function (el) {
      var time = document.createElement("time");
      time.dateTime = iso;
      time.textContent = text;
      el.replaceChildren(time);
    });
  }

  function followMovedAnchor() {
    var data = document.getElementById("__anchor-moves");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!data || !id || document.getElementById(id)) return;
    var moves;
    try { moves = JSON.parse(data.textContent); } catch (e) { return; }
    if (Object.prototype.hasOwnProperty.call(moves, id)) {
      window.location.replace(new URL(moves[id], window.location.href).href);
    }
  }

  function run() {
    accessDate();
    followMovedAnchor();
  }

  // ---- 3. Tooltips on demand ------------------------------------------
  var TIP_TARGETS = "a.footnote-ref, abbr[title], abbr[data-tip-title]";
  var tip = null, owner = null, hideTimer = 0;

  function tipContent(el) {
    if (el.matches("abbr")) {
      var title = el.getAttribute("title");
      if (title !== null) {  // the browser's own tooltip would repeat it
        el.setAttribute("data-tip-title", title);
        el.removeAttribute("title");
      }
      var span = document.createElement("span");
      span.textContent = el.getAttribute("data-tip-title");
      return [span];
    }
    var note = document.getElementById(decodeURIComponent(el.hash.slice(1)));
    if (!note) return null;
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".footnote-backref").forEach(function (a) { a.remove(); });
    copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    return Array.prototype.slice.call(copy.childNodes);
  }

  function showTip(el) {
    clearTimeout(hideTimer);
    if (owner === el) return;
    hideTip();
    var content = tipContent(el);
    if (!content) return;
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "__explainer-tip";
      tip.className = "explainer-tip md-typeset";
      tip.setAttribute("role", "tooltip");
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(tip);
    }
    tip.replaceChildren.apply(tip, content);
    tip.hidden = false;
    var box = el.getBoundingClientRect(), width = tip.offsetWidth;
    var left = Math.max(8, Math.min(box.left + window.scrollX - width / 2 + box.width / 2,
      document.documentElement.clientWidth - width - 8 + window.scrollX));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    el.setAttribute("aria-describedby", tip.id);
    owner = el;
  }

  function hideTip() {
    clearTimeout(hideTimer);
    if (!owner) return;
    owner.removeAttribute("aria-describedby");
    if (owner.hasAttribute("data-tip-title")) owner.setAttribute("title", owner.getAttribute("data-tip-title"));
    owner = null;
    tip.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideTip, 300);
  }

  function tipTarget(event) {
    return event.target instanceof Element ? event.target.closest(TIP_TARGETS) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var el = tipTarget(event);
    if (el) showTip(el);
  });
  document.addEventListener("focusin", function (event) {
    var el = tipTarget(event);
    if (el) showTip(el); else if (owner && !(tip && tip.contains(event.target))) hideTip();
  });
  document.addEventListener("mouseout", function (event) {
    if (owner && tipTarget(event) === owner) scheduleHide();
  });
  document.addEventListener("focusout", function (event) {
    if (owner && tipTarget(event) === owner) scheduleHide();
  });

  // ---- 4. Escape ---------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (owner) { hideTip(); return; }
    var open = event.target instanceof Element &&
      event.target.closest("details.fact-actions[open], details.state-label[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  window.addEventListener("hashchange", followMovedAnchor);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
