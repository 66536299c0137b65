// Progressive enhancement only: every form and link works without this file.
(function () {
  "use strict";
  // Submit the sort select as soon as it changes, and hide its button.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { if (sel.form) sel.form.submit(); });
  });
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
  // On small screens start with the filter panel folded.
  if (window.matchMedia && window.matchMedia("(max-width: 59.99em)").matches) {
    document.querySelectorAll("details.facets-box").forEach(function (d) { d.open = false; });
  }
})();
