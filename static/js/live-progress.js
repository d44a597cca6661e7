// Live progress: keeps "N of T units", the bar, the counts and the "Who took part" list current
// without a reload. Enhancement only: the page is complete without it. It polls the drive's JSON with
// If-None-Match (an unchanged drive costs a 304 and no body), waits longer each time
// nothing changes, pauses while the tab is hidden, and tells screen readers politely.
(function () {
  "use strict";
  var BASE_DELAY = 15000;
  var MAX_DELAY = 300000;
  var BACKOFF = 1.5;

  var root = document.querySelector("[data-live-progress]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-live-progress");
  var announcer = root.querySelector("[data-live-announcer]") || document.querySelector("[data-live-announcer]");
  var people = document.querySelector("[data-live-names]");
  var etag = null;
  var delay = BASE_DELAY;
  var timer = null;
  var inFlight = false;

  function plural(count, one, many) {
    return count === 1 ? one : many;
  }

  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function shownUnits() {
    var number = root.querySelector(".progress__number");
    var match = number && /^(\d+)/.exec(number.textContent);
    return match ? parseInt(match[1], 10) : null;
  }

  function render(drive) {
    var box = root.querySelector(".progress");
    if (!box) {
      return;
    }
    var target = drive.target_units;
    setText(box.querySelector(".progress__number"),
      drive.units_donated + " of " + target + " " + plural(target, "unit", "units"));
    var count = box.querySelector(".progress__count");
    var badge = box.querySelector(".progress__badge");
    var badgeText = drive.units_donated > target ? "— target exceeded" :
      (drive.target_reached ? "— target reached" : "");
    if (badgeText && !badge && count) {
      count.appendChild(document.createTextNode(" "));
      badge = document.createElement("span");
      badge.className = "progress__badge";
      count.appendChild(badge);
    }
    if (badge) {
      setText(badge, badgeText);
    }
    box.classList.toggle("progress--reached", drive.target_reached);
    var bar = box.querySelector("progress");
    if (bar) {
      bar.max = target;
      bar.value = Math.min(drive.units_donated, target);
      setText(bar, drive.percent + "%");
    }
    setText(box.querySelector(".progress__meta"),
      drive.percent + "% of the target · " + drive.units_pledged + " " +
      plural(drive.units_pledged, "unit", "units") + " pledged · " + drive.participant_count + " " +
      plural(drive.participant_count, "person", "people") + " signed up");
  }

  function listedNames() {
    var items = people ? people.querySelectorAll("ul.names > li") : [];
    var names = [];
    for (var i = 0; i < items.length; i++) {
      names.push(items[i].textContent);
    }
    return names;
  }

  function sameNames(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  // Names in `after` that `before` lacked, repeats counted: two friends may share a first name.
  function newNames(before, after) {
    var left = before.slice();
    return after.filter(function (name) {
      var at = left.indexOf(name);
      if (at === -1) {
        return true;
      }
      left.splice(at, 1);
      return false;
    });
  }

  // Worded exactly as templates/public/progress.html words it.
  function othersText(participants, listed) {
    if (participants === 0) {
      return "Nobody has signed up yet.";
    }
    var others = participants - listed;
    if (others <= 0) {
      return "";
    }
    return (listed ? "and " : "") + others + " " + plural(others, "person", "people") +
      " who chose not to be named.";
  }

  function renderList(names) {
    var list = people.querySelector("ul.names");
    if (!names.length) {
      if (list) {
        list.parentNode.removeChild(list);
      }
      return;
    }
    if (!list) {
      list = document.createElement("ul");
      list.className = "names";
      var heading = people.querySelector("h2");
      people.insertBefore(list, heading ? heading.nextSibling : people.firstChild);
    }
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    names.forEach(function (name) {
      var item = document.createElement("li");
      item.textContent = name;  // what someone typed: always text, never markup
      list.appendChild(item);
    });
  }

  // Updates "Who took part" from the JSON's shown_names; returns the names newly listed.
  function renderNames(drive) {
    var names = drive.shown_names;
    if (!people || !Array.isArray(names)) {
      return [];
    }
    var before = listedNames();
    if (!sameNames(before, names)) {
      renderList(names);
    }
    var others = people.querySelector("[data-live-others]");
    var text = othersText(drive.participant_count, names.length);
    if (text && !others) {
      others = document.createElement("p");
      others.setAttribute("data-live-others", "");
      people.appendChild(others);
    }
    if (others && text) {
      setText(others, text);
    } else if (others) {
      others.parentNode.removeChild(others);
    }
    return newNames(before, names);
  }

  function namesInWords(names) {
    var first = names.slice(0, 3).join(", ");
    return names.length > 3 ? first + " and " + (names.length - 3) + " more" : first;
  }

  // One polite message in the one live region, so a screen reader hears each change once.
  function announce(drive, unitsChanged, listed) {
    var parts = [];
    if (unitsChanged) {
      parts.push("Updated: " + drive.summary + ".");
    }
    if (listed.length) {
      parts.push("Who took part now includes " + namesInWords(listed) + ".");
    }
    if (announcer && parts.length) {
      announcer.textContent = parts.join(" ");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = document.hidden ? null : window.setTimeout(poll, delay);
  }

  function poll() {
    if (inFlight || document.hidden) {
      return;
    }
    inFlight = true;
    var headers = { "Accept": "application/json" };
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
        return response.json();
      })
      .then(function (drive) {
        if (drive === null) {
          delay = Math.min(delay * BACKOFF, MAX_DELAY);
          return;
        }
        var before = shownUnits();
        render(drive);
        var listed = renderNames(drive);
        var unitsChanged = before !== null && before !== drive.units_donated;
        if (unitsChanged || listed.length) {
          announce(drive, unitsChanged, listed);
          delay = BASE_DELAY;
        } else {
          delay = Math.min(delay * BACKOFF, MAX_DELAY);
        }
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
    } else {
      // Back on the tab: look once now, then at the quick pace again.
      delay = BASE_DELAY;
      poll();
    }
  });
  var custom = parseInt(root.getAttribute("data-live-interval") || "", 10);
  if (custom > 0) {
    delay = BASE_DELAY = custom;
  }
  schedule();
})();
