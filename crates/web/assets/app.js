// daihoi: small progressive enhancements. Every page works without this script.
"use strict";

(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  // htmx requests carry the CSRF token in a header (the server checks it on every change).
  document.addEventListener("htmx:configRequest", function (event) {
    if (token) event.detail.headers["X-CSRF-Token"] = token;
  });
  // Move focus to an error summary so screen readers and keyboards land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
  // Buttons that must be confirmed carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
  // Tree nodes: the button folds and unfolds the list it controls. The first unfolding also
  // fetches the units under the node (htmx, hx-trigger="click once").
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".tree-toggle");
    if (!button) return;
    var list = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var sign = button.querySelector(".tree-sign");
    if (sign) sign.textContent = open ? "\u2212" : "+";
    if (list) list.hidden = !open;
  });
  // Enter in a unit-picker search box searches (htmx) instead of submitting the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var input = event.target;
    if (!input.classList || !input.classList.contains("picker-search")) return;
    event.preventDefault();
    if (window.htmx) window.htmx.trigger(input, "search");
  });
})();
