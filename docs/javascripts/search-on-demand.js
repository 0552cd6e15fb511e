/* Search on demand: the search index is downloaded when a reader shows they
 * are about to search, not on every page view.
 *
 * Material 9.8.2 requests search/search_index.json (about 42 KB gzip here)
 * as soon as a page loads, and its search worker then fetches the lunr
 * language files (3 more requests). Most readers of a page never search, so
 * this script, which runs just before Material's bundle (overrides/main.html),
 * holds that one request back until the first sign of intent:
 *
 * - focus moves into the search box (click, tap, or Material's "/", "s" and
 *   "f" shortcuts, which focus it);
 * - the pointer rests on, or a finger touches, the header's search button,
 *   so that the index is usually ready by the time the box opens;
 * - the address carries a shared search (?q=...), which Material opens on
 *   load.
 *
 * Until then Material shows "Initializing search" in the results area, as it
 * does while any index loads. Nothing else changes: the same request, sent a
 * little later. Without JavaScript there is no search at all, as before.
 *
 * At the same moment the lunr language files that the search worker imports
 * once the index has arrived (listed in #__search-prefetch by
 * scripts/hooks_search.py) are fetched too, so that the worker finds them in
 * the browser's cache instead of fetching them one after another. */
(function () {
  "use strict";

  var INDEX = /(^|\/)search\/search_index\.json$/;
  var proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (!proto) return;
  var open = proto.open;
  var send = proto.send;
  var held = [];
  var wanted = false;

  function isIndex(url) {
    try {
      return INDEX.test(new URL(String(url), document.baseURI).pathname);
    } catch (e) {
      return false;
    }
  }

  // Resolved now, against the page that loaded this script: after instant
  // navigation the relative addresses in the list would point elsewhere.
  var languageFiles = (function () {
    var list = document.getElementById("__search-prefetch");
    try {
      var urls = list ? JSON.parse(list.textContent) : [];
      return Array.isArray(urls) ? urls.map(function (url) {
        return new URL(url, document.baseURI).href;
      }) : [];
    } catch (e) {
      return [];
    }
  })();

  function prefetchLanguages() {
    // The offline copy (file://) cannot fetch; its search loads differently.
    if (!window.fetch || window.location.protocol === "file:") return;
    languageFiles.forEach(function (url) {
      // Only for the cache: errors are the worker's to report.
      window.fetch(url, { credentials: "same-origin" }).catch(function () {});
    });
  }

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (call) {
      send.apply(call.xhr, call.args);
    });
    prefetchLanguages();
  }

  proto.open = function (method, url) {
    this.__searchIndex = isIndex(url);
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (this.__searchIndex && !wanted) {
      held.push({ xhr: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function inSearch(target) {
    return target instanceof Element &&
      target.closest(".md-search, label[for='__search'], #__search") !== null;
  }

  function onIntent(event) {
    if (inSearch(event.target)) want();
  }

  ["focusin", "pointerover", "touchstart", "change"].forEach(function (type) {
    document.addEventListener(type, onIntent, { capture: true, passive: true });
  });

  // A shared search link (search.share) opens the search on load.
  if (new URLSearchParams(window.location.search).has("q")) want();
})();
