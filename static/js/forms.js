// Enhancements only: every page works without this file.
(function () {
  "use strict";
  // After a refused submit, start at the first field to fix (its error is read with it), or
  // at the summary when the problem belongs to no single field.
  var firstInvalid = document.querySelector("[aria-invalid='true']");
  var summary = document.querySelector("[data-error-summary]");
  if (firstInvalid) {
    firstInvalid.focus();
  } else if (summary) {
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
