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

// Long lists of checkboxes (plans' units): a filter box narrows the list as a name is typed,
// accents ignored. Only the labels shown change; every ticked box is still posted.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function start() {
    document.querySelectorAll("[data-checklist-filter]").forEach(function (input) {
      const box = input.parentElement.querySelector(".checklist-box");
      if (!box) return;
      input.hidden = false;
      input.addEventListener("input", function () {
        const wanted = fold(input.value.trim());
        box.querySelectorAll("label").forEach(function (label) {
          const row = label.parentElement;
          row.hidden = wanted !== "" && fold(label.textContent).indexOf(wanted) < 0 && !label.querySelector("input:checked");
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
