// Live progress: swaps in the parts of the page that move as people take part ([data-live-part]),
// rendered by the server from the page's own partials, so no wording lives here. Enhancement only:
// the page is complete without it. It polls the fragment with If-None-Match (an unchanged drive
// costs a 304 and no body), waits longer each time nothing changes, pauses while the tab is
// hidden, and tells screen readers politely what a swapped part asks to be told.
(function () {
  "use strict";
  var BASE_DELAY = 15000;
  var MAX_DELAY = 300000;
  var BACKOFF = 1.5;
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  var root = document.querySelector("[data-live-progress]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = root.getAttribute("data-live-progress");
  var announcer = document.querySelector("[data-live-announcer]");
  var seen = {};  // each part's HTML as the server last sent it, before any other script enhanced it
  var etag = null;
  var delay = BASE_DELAY;
  var timer = null;
  var inFlight = false;

  // Where focus is inside `part`: null when outside, else the index of the focused control (-1: the part).
  function focusIn(part) {
    var active = document.activeElement;
    return part.contains(active) ? Array.prototype.indexOf.call(part.querySelectorAll(FOCUSABLE), active) : null;
  }

  // A keyboard user keeps their place: the same control of the new part, or the part itself.
  function refocus(part, index) {
    var control = index === null ? null : part.querySelectorAll(FOCUSABLE)[index];
    if (index !== null && !control) {
      part.setAttribute("tabindex", "-1");
      control = part;
    }
    if (control) {
      control.focus({ preventScroll: true });
    }
  }

  // Puts a part of the fragment in place of the page's when its HTML changed; says whether it did.
  function swap(part) {
    var name = part.getAttribute("data-live-part");
    var old = document.querySelector('[data-live-part="' + name + '"]');
    if (!old || seen[name] === part.outerHTML) {
      return false;
    }
    seen[name] = part.outerHTML;
    var focus = focusIn(old);
    var fresh = document.importNode(part, true);
    old.replaceWith(fresh);
    fresh.dispatchEvent(new CustomEvent("live-part-swapped", { bubbles: true }));  // share.js enhances it anew
    refocus(fresh, focus);
    var words = fresh.getAttribute("data-live-announce");
    if (announcer && words && words !== old.getAttribute("data-live-announce")) {
      announcer.textContent = words;
    }
    return true;
  }

  function swapAll(html) {
    var parts = new DOMParser().parseFromString(html, "text/html").querySelectorAll("[data-live-part]");
    return Array.prototype.map.call(parts, swap).indexOf(true) !== -1;
  }

  // "polling", "waiting" (the next look is scheduled) or "paused" (hidden tab), on the element:
  // the browser tests wait for it rather than for a length of time.
  function showState(state) {
    root.setAttribute("data-live-state", state);
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = document.hidden ? null : window.setTimeout(poll, delay);
    showState(timer === null ? "paused" : "waiting");
  }

  function poll() {
    if (inFlight || document.hidden) {
      return;
    }
    inFlight = true;
    showState("polling");
    var headers = { "Accept": "text/html" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    // no-store: we revalidate ourselves, so a 304 reaches us instead of the browser's cache.
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        var changed = html !== null && swapAll(html);
        delay = changed ? BASE_DELAY : Math.min(delay * BACKOFF, MAX_DELAY);
      })
      .catch(function () {
        delay = Math.min(delay * 2, MAX_DELAY);
      })
      .then(function () {
        inFlight = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
      if (!inFlight) {
        showState("paused");
      }
    } else {
      // Back on the tab: look once now, then at the quick pace again.
      delay = BASE_DELAY;
      poll();
    }
  });
  document.querySelectorAll("[data-live-part]").forEach(function (part) {
    seen[part.getAttribute("data-live-part")] = part.outerHTML;
  });
  var custom = parseInt(root.getAttribute("data-live-interval") || "", 10);
  if (custom > 0) {
    delay = BASE_DELAY = custom;
  }
  schedule();
})();
