// Enhancements only: every page works without this file.
(function () {
  "use strict";
  // After a failed submit, move focus to the error summary so screen readers hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Ask before an action that is hard to undo.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Select the whole link when someone taps a box meant for copying.
  document.querySelectorAll(".copy-source").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
