/* The statement form: the periodic duty field only matters for a periodic statement, the
   petition code only for a petition forwarded by the press. */
(function () {
  "use strict";
  var trigger = document.querySelector("select[name=trigger]");
  if (!trigger) {
    return;
  }
  function row(name) {
    var input = document.querySelector("[name=" + name + "]");
    return input ? input.closest("label") : null;
  }
  function sync() {
    var value = trigger.value;
    var duty = row("duty");
    var petition = row("petition");
    if (duty) {
      duty.hidden = value !== "periodic";
    }
    if (petition) {
      petition.hidden = value !== "forwarded_petition" && value !== "forwarded_conclusion";
    }
  }
  trigger.addEventListener("change", sync);
  sync();
})();
