// Petition pages: state tabs of the inbox filter through htmx; a suggested action opens its form.
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

  document.addEventListener("click", onTabClick);
  document.addEventListener("click", onSuggestClick);
})();
