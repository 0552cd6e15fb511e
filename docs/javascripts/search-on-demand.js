/* Search on demand: nothing that only search needs is downloaded or started
 * until a reader shows they are about to search; and once they search,
 * results follow every way text reaches the box.
 *
 * Material 9.8.2, left to itself, starts its search worker
 * (assets/javascripts/workers/search.*.min.js) and requests
 * search/search_index.json as soon as a page loads, and the worker then
 * fetches the lunr language files. Most readers of a page never search, so
 * this script, which runs just before Material's bundle (overrides/main.html),
 * holds all of that back until the first sign of intent:
 *
 * - focus moves into the search box (click, tap, or Material's "/", "s" and
 *   "f" shortcuts, which focus it);
 * - the pointer rests on, or a finger touches, the header's search button,
 *   so that the index is usually ready by the time the box opens;
 * - the address carries a shared search (?q=...), which Material opens on
 *   load.
 *
 * How, without patching Material's bundle file:
 *
 * - The index request (an XMLHttpRequest) is opened as usual but only sent
 *   at intent.
 * - The worker: Material calls `new Worker(url)` once, at start-up, and then
 *   only listens for "message" events and calls postMessage. Until intent,
 *   `new Worker` for the search worker returns a stand-in (LazyWorker) that
 *   queues the messages; at intent it creates the real worker with the
 *   browser's own constructor (or, in the offline copy on file://, the
 *   iframe-worker shim, which is installed before this script runs), replays
 *   the queue in order and passes the worker's events on. Every other worker
 *   is created at once, untouched.
 * - The lunr language files that the worker imports once the index has
 *   arrived (listed in #__search-prefetch by explainer/search/index.py)
 *   are fetched at the same moment as the index, so that the worker finds
 *   them in the browser's cache instead of fetching them one after another.
 *
 * Until then Material shows "Initializing search" in the results area, as it
 * does while any index loads. Without JavaScript there is no search at all,
 * as before.
 *
 * Results for text that arrives without key events: Material 9.8.2 reads
 * the box on "keyup" only, so text pasted with the mouse, dictated, inserted
 * by an input method (Cyrillic, for instance) or filled in by the browser
 * found nothing until another key was pressed. Every "input" event outside
 * an input-method composition, the end of a composition and "change" are
 * passed to Material as the keyup it listens for; it ignores a value it has
 * already searched for, so typed text is not searched twice. */
(function () {
  "use strict";

  var INDEX = /(^|\/)search\/search_index\.json$/;
  var WORKER = /(^|\/)assets\/javascripts\/workers\/search\.[0-9a-f]+\.min\.js$/;
  var BOX = "input.md-search__input";
  var wanted = false;
  var onWant = [];

  function pathIs(pattern, url) {
    try {
      return pattern.test(new URL(String(url), document.baseURI).pathname);
    } catch (e) {
      return false;
    }
  }

  function whenWanted(fn) {
    if (wanted) fn();
    else onWant.push(fn);
  }

  function want() {
    if (wanted) return;
    wanted = true;
    onWant.splice(0).forEach(function (fn) {
      fn();
    });
  }

  // --- The index request ----------------------------------------------------
  var proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (proto) {
    var open = proto.open;
    var send = proto.send;
    proto.open = function (method, url) {
      this.__searchIndex = pathIs(INDEX, url);
      return open.apply(this, arguments);
    };
    proto.send = function () {
      var xhr = this;
      var args = arguments;
      if (xhr.__searchIndex && !wanted) {
        whenWanted(function () {
          send.apply(xhr, args);
        });
        return undefined;
      }
      return send.apply(xhr, args);
    };
  }

  // --- The search worker ----------------------------------------------------
  // Material's message types (src/.../search/worker/message): a query and
  // its result.
  var QUERY = 2;
  var RESULT = 3;

  // What the worker is asked for a reader's query, in order, each tried
  // when the one before finds nothing:
  // 1. the query sharpened (sharpen below), when that changes it;
  // 2. the query as typed;
  // 3. every word allowed a typing slip or two (lunr's "~1"): "Goldshtein"
  //    finds Goldstein, "Garantx" Garantex.
  function attempts(query) {
    var out = [];
    [sharpen(query), query, slips(query)].forEach(function (q) {
      if (q !== null && out.indexOf(q) < 0) out.push(q);
    });
    return out;
  }

  function hasSyntax(query) {
    return /[~^*:+"]/.test(query) || /(^|\s)-/.test(query);
  }

  // "Goldshtein Uiba" -> "Goldshtein~1 Uiba~1": one slip in a word of four
  // to seven letters, two in a longer one ("Garanteks" -> Garantex),
  // outside any lunr syntax the reader typed; null when none.
  function slips(query) {
    if (hasSyntax(query)) return null;
    var changed = false;
    var out = query.trim().split(/\s+/).map(function (word) {
      if (word.length < 4 || !/^[\p{L}\p{N}]+$/u.test(word)) return word;
      changed = true;
      return word + (word.length >= 8 ? "~2" : "~1");
    });
    return changed ? out.join(" ") : null;
  }

  // The specific part of a query must be present in a result: a law's
  // number, however it is written (223-FZ, 223 FZ, 223FZ, ФЗ-223, No. 223,
  // № 223), and a full date (17 September 2024). Without this the words
  // around them ("Federal Law", "September 2024") match section titles
  // about other laws and dates, which Material ranks far higher than text.
  var END = "(?![\\p{L}\\p{N}])";
  var LAW = new RegExp(
    "(?<![\\p{L}\\p{N}])(?:(?:No\\.?|N|№)\\s*(\\d{1,3})(?:\\s*-?\\s*(?:FZ|ФЗ))?" +
    "|(\\d{1,3})\\s*-?\\s*(?:FZ|ФЗ)" +
    "|(?:FZ|ФЗ)\\s*-?\\s*(\\d{1,3}))" + END, "giu");
  var DATE = new RegExp("(?<![\\p{L}\\p{N}])(\\d{1,2})\\s+(January|February|March|April|May|June|July|" +
    "August|September|October|November|December)\\s+(\\d{4})" + END, "giu");

  var GENERIC = new RegExp("(?<![\\p{L}\\p{N}])(?:federal|law|закона?|федеральный|фз)" + END, "giu");

  function sharpen(query) {
    if (hasSyntax(query)) return null;
    var law = false;
    var out = query
      .replace(LAW, function (match, a, b, c) {
        law = true;
        return "+" + (a || b || c);
      })
      .replace(DATE, function (match, day, month, year) {
        return "+" + day + " +" + month + " +" + year;
      });
    // With a law's number, the words that only say it is a law add nothing.
    if (law) out = out.replace(GENERIC, " ").replace(/\s+/g, " ").trim();
    return out === query ? null : out;
  }

  var RealWorker = window.Worker;
  if (typeof RealWorker === "function" && typeof window.EventTarget === "function") {
    var create = function (args) {
      return args.length > 1 ? new RealWorker(args[0], args[1]) : new RealWorker(args[0]);
    };

    var LazyWorker = class extends EventTarget {
      constructor(args) {
        super();
        this.onmessage = null;
        this.onmessageerror = null;
        this.onerror = null;
        this._queue = [];
        this._asked = [];
        this._real = null;
        this._ended = false;
        var self = this;
        whenWanted(function () {
          self._start(args);
        });
      }

      _start(args) {
        if (this._ended || this._real) return;
        var self = this;
        var real = this._real = create(args);
        ["message", "messageerror", "error"].forEach(function (type) {
          real.addEventListener(type, function (event) {
            if (type === "message" && self._retry(event.data)) return;
            var copy = type === "error"
              ? new ErrorEvent("error", {
                message: event.message, filename: event.filename,
                lineno: event.lineno, colno: event.colno, error: event.error
              })
              : new MessageEvent(type, { data: event.data });
            self.dispatchEvent(copy);
            var handler = self["on" + type];
            if (typeof handler === "function") handler.call(self, copy);
          });
        });
        this._queue.splice(0).forEach(function (message) {
          real.postMessage.apply(real, message);
        });
      }

      postMessage(message) {
        if (message && message.type === QUERY && typeof message.data === "string") {
          var tries = attempts(message.data);
          this._asked.push(tries);
          this._send([{ type: QUERY, data: tries.shift() }]);
          return;
        }
        this._send(arguments);
      }

      _send(args) {
        if (this._real) this._real.postMessage.apply(this._real, args);
        else this._queue.push(args);
      }

      // An answer with no results is replaced by the next attempt's
      // (attempts() below), unless a newer query is already waiting.
      // Returns true when the answer is held back for a retry.
      _retry(message) {
        if (!message || message.type !== RESULT) return false;
        var tries = this._asked.shift();
        if (!tries || !tries.length || this._asked.length) return false;
        if (!message.data || !Array.isArray(message.data.items) || message.data.items.length) return false;
        this._asked.push(tries);
        this._send([{ type: QUERY, data: tries.shift() }]);
        return true;
      }

      terminate() {
        this._ended = true;
        this._queue.length = 0;
        if (this._real) this._real.terminate();
      }
    };

    var Worker = function Worker(url) {
      if (!new.target) throw new TypeError("Worker constructor: 'new' is required");
      if (pathIs(WORKER, url)) return new LazyWorker(arguments);
      return create(arguments);
    };
    Worker.prototype = RealWorker.prototype;
    window.Worker = Worker;
  }

  // --- The lunr language files ----------------------------------------------
  // Resolved now, against the page that loaded this script.
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

  whenWanted(function () {
    // The offline copy (file://) cannot fetch; its search loads differently.
    if (!window.fetch || window.location.protocol === "file:") return;
    languageFiles.forEach(function (url) {
      // Only for the cache: errors are the worker's to report.
      window.fetch(url, { credentials: "same-origin" }).catch(function () {});
    });
  });

  // --- Intent -----------------------------------------------------------------
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

  // --- Text that arrives without key events -----------------------------------
  function passOn(event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.matches(BOX)) return;
    if (event.type === "input" && event.isComposing) return;
    want();
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  ["input", "compositionend", "change"].forEach(function (type) {
    document.addEventListener(type, passOn, { capture: true });
  });
})();
