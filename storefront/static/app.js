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

  // A refused form: move the focus to its first wrong field (issue 14).
  var refused = document.querySelector("form[data-focus-error]");
  if (refused) {
    var first = refused.querySelector("[aria-invalid=\"true\"]");
    if (first) { first.focus(); if (first.scrollIntoView) first.scrollIntoView({ block: "center" }); }
  }

  // 주문자 정보와 동일: copy the buyer's name and phone to the recipient's
  // while ticked (the server does the same when the form is sent).
  var same = document.getElementById("same_as_buyer");
  if (same) {
    var pairs = [["buyer_name", "recipient"], ["buyer_phone", "phone"]];
    var sync = function () {
      pairs.forEach(function (p) {
        var from = document.getElementById(p[0]), to = document.getElementById(p[1]);
        if (!from || !to) return;
        if (same.checked) to.value = from.value;
        to.readOnly = same.checked;
      });
    };
    same.addEventListener("change", sync);
    pairs.forEach(function (p) {
      var from = document.getElementById(p[0]);
      if (from) from.addEventListener("input", function () { if (same.checked) sync(); });
    });
    sync();
  }

  // Saved addresses at checkout: a link fills the recipient's fields in
  // place, so what was typed elsewhere on the form stays; without
  // JavaScript it reloads the form with ?address=.
  var savedStatus = document.getElementById("saved-status");
  document.querySelectorAll("a[data-fill-address]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      var d = a.dataset;
      ev.preventDefault();
      if (same && same.checked) { same.checked = false; same.dispatchEvent(new Event("change")); }
      [["recipient", d.recipient], ["phone", d.phone], ["postcode", d.postcode], ["road", d.road], ["detail", d.detail]].forEach(function (f) {
        var el = document.getElementById(f[0]);
        if (el) el.value = f[1] || "";
      });
      document.querySelectorAll(".saved-used").forEach(function (el) { el.remove(); });
      document.querySelectorAll("a[data-fill-address][aria-current]").forEach(function (el) { el.removeAttribute("aria-current"); });
      a.setAttribute("aria-current", "true");
      var used = document.createElement("span");
      used.className = "saved-used";
      used.textContent = " — 사용 중";
      a.appendChild(used);
      if (savedStatus) savedStatus.textContent = "'" + a.querySelector("strong").textContent + "' 배송지로 채웠습니다.";
      var first = document.getElementById("recipient");
      if (first) first.focus();
    });
  });

  // 장바구니 담기 stays on the page: the form is sent in the background and
  // the answer shown beside it with a link to the cart. 바로 구매, and any
  // answer that is not the expected JSON, fall back to the plain form post.
  document.querySelectorAll("form[data-stay]").forEach(function (form) {
    var status = form.querySelector(".add-cart-status");
    if (!status || !window.fetch || !window.URLSearchParams) return;
    form.addEventListener("submit", function (ev) {
      var by = ev.submitter;
      if (by && by.name === "buy") return;
      if (!form.checkValidity()) return; // the browser says what is missing
      ev.preventDefault();
      var plain = function () { form.removeAttribute("data-stay"); HTMLFormElement.prototype.submit.call(form); };
      fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "X-Dure-Stay": "1", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)).toString()
      }).then(function (r) {
        var type = r.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) { plain(); return null; }
        return r.json();
      }).then(function (a) {
        if (!a) return;
        status.hidden = false;
        status.textContent = a.message + " ";
        status.classList.toggle("field-error", !a.ok);
        if (a.ok) {
          var link = document.createElement("a");
          link.href = "/cart";
          link.textContent = "장바구니 보기";
          status.appendChild(link);
          var count = document.querySelector(".cart-link .cart-count");
          if (count && a.count >= 0) {
            count.textContent = a.count;
            count.setAttribute("aria-label", "담긴 상품 " + a.count + "종");
          }
        }
      }).catch(plain);
    });
  });
})();
