// Enhancement only: without it the address is made from the title when left empty.
// As the organiser types the title, the web address field follows it, until they type an
// address of their own. Made as drives/slugs.py slugify makes it (the server checks it).
(function () {
  "use strict";
  var address = document.querySelector("[data-address-from]");
  var title = address && document.getElementById(address.getAttribute("data-address-from"));
  if (!title) {
    return;
  }
  var longest = parseInt(address.getAttribute("maxlength"), 10) || 72;

  function fromTitle() {
    var words = title.value.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    return words.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, longest).replace(/-+$/, "");
  }

  // Following while empty or still what the title gives: an address the organiser typed stays.
  var following = address.value === "" || address.value === fromTitle();
  address.addEventListener("input", function () {
    following = address.value === "" || address.value === fromTitle();
  });
  title.addEventListener("input", function () {
    if (following) {
      address.value = fromTitle();
    }
  });
})();
