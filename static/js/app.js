// Every page: lists become cards on a phone. Each cell of a list table gets its column's
// name (data-label) so the card can say what each value is (static/css/app.css).
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll(".content table").forEach(function (table) {
      if (table.classList.contains("keep-table")) return;
      const heads = Array.from(table.querySelectorAll("thead tr:last-child th")).map(function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) return;
      table.classList.add("cards-on-phone");
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        let col = 0;
        Array.from(tr.children).forEach(function (cell) {
          if (heads[col] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[col]);
          col += cell.colSpan || 1;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSettle", function (event) { label(event.target); });
})();
