// Enhancements for the share links; without this file every link still works. What it says is
// in the reader's language, on the share box: data-copied, data-copy-done and data-copy-failed.
(function () {
  "use strict";
  function enhance(box) {
    var url = box.getAttribute("data-share-url");
    var status = box.querySelector("[data-share-status]");
    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }
    // The phone's own share sheet (Web Share API), where the browser has one.
    var shareButton = box.querySelector("[data-web-share]");
    if (shareButton && navigator.share) {
      shareButton.hidden = false;
      shareButton.addEventListener("click", function () {
        navigator.share({
          title: box.getAttribute("data-share-title"),
          text: box.getAttribute("data-share-text"),
          url: url
        }).catch(function () { /* the person closed the sheet: nothing to do */ });
      });
    }
    // Copy the link, where the page may use the clipboard (HTTPS or localhost).
    var copyButton = box.querySelector("[data-copy-link]");
    if (copyButton && navigator.clipboard && window.isSecureContext) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          copyButton.textContent = box.getAttribute("data-copied");
          say(box.getAttribute("data-copy-done"));
        }, function () {
          say(box.getAttribute("data-copy-failed"));
        });
      });
    }
  }
  var box = document.querySelector(".share[data-share-url]");
  if (box) {
    enhance(box);
  }
  // live-progress.js swaps in a new box when the count its message says changes.
  document.addEventListener("live-part-swapped", function (event) {
    if (event.target.matches(".share[data-share-url]")) {
      enhance(event.target);
    }
  });
})();
