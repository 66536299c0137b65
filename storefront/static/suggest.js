// Search-as-you-type suggestions for every search box (input[name="q"]).
// Progressive enhancement: without this script the box is a plain GET form to
// /search. It asks /api/v1/suggest?q= (초성 and 한/영 aware) and shows product
// names and categories in a list under the box (ARIA combobox): arrow keys
// move, Enter opens the highlighted entry (or submits the form as typed when
// none is), Escape closes the list and keeps the text. No inline code or
// styles in markup (CSP self-only): styles are set through the CSSOM.
(function () {
  "use strict";
  var DELAY = 120; // ms after the last keystroke
  var MAX = 100;   // the server's limit on q
  var seq = 0;

  function enhance(input) {
    if (input.dataset.suggest === "on") return;
    input.dataset.suggest = "on";
    var id = "suggest-" + (++seq);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var s = list.style;
    s.position = "absolute"; s.zIndex = "50"; s.margin = "0"; s.padding = "4px 0"; s.listStyle = "none";
    s.background = "#fff"; s.border = "1px solid #ccc"; s.borderRadius = "6px";
    s.boxShadow = "0 4px 12px rgba(0,0,0,.12)"; s.maxHeight = "320px"; s.overflowY = "auto";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    var wrap = input.parentNode;
    if (getComputedStyle(wrap).position === "static") wrap.style.position = "relative";
    wrap.appendChild(list);

    var timer = 0, ctrl = null, items = [], active = -1, last = "";

    function close() {
      list.hidden = true; active = -1; items = [];
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      for (var k = 0; k < items.length; k++) {
        var on = k === i;
        items[k].setAttribute("aria-selected", on ? "true" : "false");
        items[k].style.background = on ? "#eef4ff" : "";
      }
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", items[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function render(data) {
      list.textContent = "";
      items = [];
      data.forEach(function (d, i) {
        if (!d || typeof d.url !== "string" || d.url.charAt(0) !== "/") return; // same-site links only
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.style.padding = "6px 12px"; li.style.cursor = "pointer";
        var text = document.createElement("span");
        text.textContent = d.text; // never innerHTML: names are data
        li.appendChild(text);
        if (d.type === "category") {
          var tag = document.createElement("span");
          tag.textContent = " 카테고리";
          tag.style.color = "#777"; tag.style.fontSize = "0.85em";
          li.appendChild(tag);
        }
        li.dataset.url = d.url;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = d.url; });
        list.appendChild(li);
        items.push(li);
      });
      if (!items.length) { close(); return; }
      s.top = (input.offsetTop + input.offsetHeight + 2) + "px";
      s.left = input.offsetLeft + "px";
      s.minWidth = input.offsetWidth + "px";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark(-1);
    }
    function ask() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (ctrl) ctrl.abort();
      if (!q || q.length > MAX || !window.fetch) { close(); return; }
      ctrl = window.AbortController ? new AbortController() : null;
      fetch("/api/v1/suggest?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: ctrl ? ctrl.signal : undefined
      }).then(function (r) { return r.ok ? r.json() : { data: [] }; })
        .then(function (body) { if (input.value.trim() === q) render(body.data || []); })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Escape") {
        // A type="search" box clears itself on Escape; with the list open,
        // Escape only closes the list and keeps what was typed. A pending
        // answer must not open it again.
        e.preventDefault();
        clearTimeout(timer);
        if (ctrl) ctrl.abort();
        close();
      }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); location.href = items[active].dataset.url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    // Enter on a marked entry opens it even where the browser submits the
    // form anyway (a key event that skips keydown's preventDefault).
    if (input.form) input.form.addEventListener("submit", function (e) {
      if (!list.hidden && active >= 0) { e.preventDefault(); location.href = items[active].dataset.url; }
    });
  }

  function init() {
    var inputs = document.querySelectorAll('input[name="q"]');
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
