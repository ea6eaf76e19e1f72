// Petition pages: state tabs of the inbox filter through htmx; a suggested action opens its
// form; the intake form follows the kind of petition.
(function () {
  "use strict";

  function onTabClick(event) {
    var link = event.target.closest(".pt-tabs a[data-state]");
    var form = document.getElementById("inbox-filters");
    if (!link || !form || !window.htmx) return;
    event.preventDefault();
    document.getElementById("state-field").value = link.dataset.state;
    window.htmx.trigger(form, "change");
  }

  function onSuggestClick(event) {
    var link = event.target.closest("a.pt-suggest");
    if (!link) return;
    var box = document.getElementById("action-" + link.dataset.action);
    if (!box) return;
    event.preventDefault();
    box.open = true;
    box.classList.add("pt-flash");
    box.scrollIntoView({ behavior: "smooth", block: "center" });
    window.setTimeout(function () { box.classList.remove("pt-flash"); }, 1500);
  }

  // The intake form follows the kind of petition: what only a complaint has is hidden for
  // the others, and the people are called complainants, denouncers or petitioners.
  function showForKind(kind) {
    document.querySelectorAll(".pt-intake [data-kinds]").forEach(function (el) {
      el.hidden = el.dataset.kinds.split(" ").indexOf(kind) < 0;
      // What does not apply is not sent either.
      el.querySelectorAll("input, select, textarea").forEach(function (control) {
        control.disabled = el.hidden;
      });
    });
  }

  function onKindChange(event) {
    if (event.target.matches(".pt-intake select[name=kind]")) showForKind(event.target.value);
  }

  document.addEventListener("change", onKindChange);
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector(".pt-intake select[name=kind]");
    if (select) showForKind(select.value);
  });
  document.addEventListener("click", onTabClick);
  document.addEventListener("click", onSuggestClick);
})();
