// Old addresses and codes (before 1 July 2025): as an official types one into a field marked
// data-area-convert="<name of the area select>", ask /api/v1/areas/convert and say what it
// is now; a certain answer is filled into the select when the select offers it. The
// messages come translated from the field's data-msg-* attributes.
(function () {
  "use strict";

  function isoDate(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    if (!m) return "";
    return m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2);
  }

  function hintFor(input) {
    var id = input.id + "-hint";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("small");
      box.id = id;
      box.className = "area-hint";
      box.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", box);
      input.setAttribute("aria-describedby", id);
    }
    return box;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] || ""; });
  }

  function named(area) { return area.name + " (" + area.code + ")"; }

  function convert(input) {
    var box = hintFor(input);
    var q = input.value.trim();
    if (!q) { box.textContent = ""; return; }
    var form = input.form;
    var select = form ? form.elements[input.dataset.areaConvert] : null;
    var day = form && form.elements.received_on ? isoDate(form.elements.received_on.value) : "";
    var url = "/api/v1/areas/convert?q=" + encodeURIComponent(q) + (day ? "&on=" + day : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { box.textContent = input.dataset.msgUnknown || ""; return null; }
        return response.json();
      })
      .then(function (body) {
        if (!body) return;
        if (body.certain && body.new.length === 1) {
          box.textContent = fill(input.dataset.msgCertain || "", { area: named(body.new[0]) });
          if (select && select.querySelector('option[value="' + body.new[0].code + '"]')) {
            select.value = body.new[0].code;
          }
        } else {
          box.textContent = fill(input.dataset.msgSplit || "", {
            choices: body.new.map(named).join(", "),
          });
          if (select) select.value = "";
        }
      })
      .catch(function () { box.textContent = ""; });
  }

  document.addEventListener("change", function (event) {
    var input = event.target.closest("input[data-area-convert]");
    if (input) convert(input);
  });
})();
