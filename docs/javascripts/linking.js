/* Links for briefings (self-hosted, no third-party requests).
 * 1. "Cite this page": fills in the reader's access date (without script the
 *    citation says "[the date you read it]").
 * 2. Moved anchors: if the address names an id that no longer exists here
 *    and data/redirects.yml says where it went, go there.
 * Copying (links and citations) is done by Material's own clipboard code,
 * through the data-clipboard-* attributes. Runs on every page view,
 * including instant navigation (Material's document$). */
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

  window.addEventListener("hashchange", followMovedAnchor);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
