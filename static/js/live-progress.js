// Live progress: keeps "N of T units", the bar, and every other figure the page restates (donated,
// booked and pledged, deferrals, milestones, "Who took part", the ripple, the share message) current
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

  // "5 of 7 units — target reached", as the JSON's summary says it.
  function shownSummary() {
    var count = root.querySelector(".progress__count");
    return count ? count.textContent.replace(/\s+/g, " ").trim() : null;
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

  // Each worded as templates/public/_stages.html words it: [one, many, what happened].
  var STAGES = {
    units_donated: ["unit", "units", "donated"],
    people_booked: ["person", "people", "booked"],
    units_pledged: ["unit", "units", "pledged"]
  };

  function renderStages(drive) {
    var items = document.querySelectorAll("[data-live-stage]");
    for (var i = 0; i < items.length; i++) {
      var field = items[i].getAttribute("data-live-stage");
      var words = STAGES[field];
      var count = drive[field];
      if (!words || typeof count !== "number") {
        continue;
      }
      var strong = items[i].querySelector("strong");
      setText(strong, String(count));
      if (strong && strong.nextSibling) {
        strong.nextSibling.textContent = " " + plural(count, words[0], words[1]) + " " + words[2];
      }
    }
    renderDeferred(drive.attempts_deferred);
  }

  function renderDeferred(deferred) {
    var stages = document.querySelector("ul.stages");
    var thanks = document.querySelector(".stages__thanks");
    if (!stages || typeof deferred !== "number") {
      return;
    }
    if (!deferred) {
      if (thanks) {
        thanks.parentNode.removeChild(thanks);
      }
      return;
    }
    if (!thanks) {
      thanks = document.createElement("p");
      thanks.className = "stages__thanks";
      stages.parentNode.insertBefore(thanks, stages.nextSibling);
    }
    setText(thanks, "Thank you to the " + deferred + " " + plural(deferred, "person", "people") +
      " who went to donate and " + plural(deferred, "was", "were") + " deferred: trying counts too.");
  }

  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  // "2026-11-27" -> "Friday 27 November 2026", as the long_date filter says it.
  function longDate(iso) {
    var parts = iso.split("-");
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    return DAYS[day.getUTCDay()] + " " + day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + " " +
      day.getUTCFullYear();
  }

  // Worded as milestones.label words it.
  function milestoneLabel(milestone) {
    return milestone.target_exceeded ? "Target exceeded" : milestone.percent + " % of the target";
  }

  // The section as templates/public/_milestones.html makes it, for the first milestone reached.
  function milestonesSection(place) {
    var section = document.createElement("section");
    section.setAttribute("aria-labelledby", "milestones-heading");
    var heading = document.createElement("h2");
    heading.id = "milestones-heading";
    heading.textContent = "Milestones";
    var list = document.createElement("ol");
    list.className = "timeline";
    section.appendChild(heading);
    section.appendChild(list);
    place.appendChild(section);
    return section;
  }

  function renderMilestones(milestones) {
    var place = document.querySelector("[data-live-milestones]");
    if (!place || !Array.isArray(milestones)) {
      return;
    }
    var section = place.querySelector("section");
    if (!milestones.length) {
      if (section) {
        place.removeChild(section);
      }
      return;
    }
    var list = (section || milestonesSection(place)).querySelector("ol");
    var shown = Array.prototype.map.call(list.children, function (item) { return item.textContent; });
    var wanted = milestones.map(function (m) { return milestoneLabel(m) + " — " + longDate(m.reached_on); });
    if (sameTexts(shown, wanted)) {
      return;
    }
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    milestones.forEach(function (milestone) {
      var item = document.createElement("li");
      item.className = "timeline__item";
      var label = document.createElement("strong");
      label.textContent = milestoneLabel(milestone);
      var when = document.createElement("time");
      when.setAttribute("datetime", milestone.reached_on);
      when.textContent = longDate(milestone.reached_on);
      item.appendChild(label);
      item.appendChild(document.createTextNode(" — "));
      item.appendChild(when);
      list.appendChild(item);
    });
  }

  // Only the figures: a ripple that starts while the page is open shows after a reload.
  function renderRipple(ripple) {
    if (!ripple) {
      return;
    }
    setText(document.querySelector("[data-live-ripple-drives]"),
      ripple.inspired_count + " " + plural(ripple.inspired_count, "drive", "drives"));
    setText(document.querySelector("[data-live-ripple-units]"),
      ripple.units_total + " " + plural(ripple.units_total, "unit", "units"));
  }

  // The share message says the count too ("…: 5 of 7 units. Join…"): swap in the new one, in the
  // text the phone's share sheet gets and in each link, encoded as the server encoded it.
  function renderShare(before, after) {
    var share = document.querySelector(".share[data-share-text]");
    if (!share || !before || !after || before === after) {
      return;
    }
    var was = ": " + before + ".";
    var now = ": " + after + ".";
    share.setAttribute("data-share-text", share.getAttribute("data-share-text").split(was).join(now));
    var links = share.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      links[i].setAttribute("href", href.split(encodeURIComponent(was)).join(encodeURIComponent(now)));
    }
  }

  function listedNames() {
    var items = people ? people.querySelectorAll("ul.names > li") : [];
    var names = [];
    for (var i = 0; i < items.length; i++) {
      names.push(items[i].textContent);
    }
    return names;
  }

  function sameTexts(a, b) {
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

  // Worded exactly as progress.people_not_listed words it for templates/public/progress.html.
  function othersText(listed, shown, anonymous) {
    if (shown + anonymous === 0) {
      return "Nobody has signed up yet.";
    }
    var more = shown - listed;
    var unnamed = anonymous + " " + plural(anonymous, "person", "people") + " who chose not to be named";
    if (more > 0 && anonymous > 0) {
      return "and " + more + " more, plus " + unnamed + ".";
    }
    if (more > 0) {
      return "and " + more + " more.";
    }
    if (anonymous > 0) {
      return (listed ? "and " : "") + unnamed + ".";
    }
    return "";
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
    if (!sameTexts(before, names)) {
      renderList(names);
    }
    if (typeof drive.people_shown !== "number" || typeof drive.people_anonymous !== "number") {
      return newNames(before, names);
    }
    var others = people.querySelector("[data-live-others]");
    var text = othersText(names.length, drive.people_shown, drive.people_anonymous);
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
        var summaryBefore = shownSummary();
        render(drive);
        renderStages(drive);
        renderMilestones(drive.milestones);
        renderRipple(drive.ripple);
        renderShare(summaryBefore, drive.summary);
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
      if (!inFlight) {
        showState("paused");
      }
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
