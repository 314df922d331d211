// kassa hosted checkout: progressive enhancement only. Without this file the page works the
// same; with it, the countdown ticks live, the error summary takes focus, and a form cannot be
// sent twice by a double click.
(function () {
  "use strict";

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function countdown() {
    var box = document.querySelector("[data-seconds]");
    if (!box) return;
    var left = box.querySelector(".countdown-left");
    var template = box.getAttribute("data-live") || "{time}";
    var expiredHref = box.getAttribute("data-expired-href");
    var seconds = parseInt(box.getAttribute("data-seconds"), 10);
    if (!left || isNaN(seconds)) return;
    // Counted from the server's figure, not the device clock, which may be wrong.
    var end = Date.now() + seconds * 1000;
    var timer = null;
    function tick() {
      var secs = Math.max(0, Math.round((end - Date.now()) / 1000));
      left.textContent = template.replace("{time}", Math.floor(secs / 60) + ":" + pad(secs % 60));
      if (secs === 0) {
        window.clearInterval(timer);
        if (expiredHref) window.location.assign(expiredHref);
      }
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }

  function focusErrors() {
    var summary = document.getElementById("form-errors");
    if (summary && summary.textContent.trim() !== "") summary.focus();
  }

  function oneSubmitPerForm() {
    var forms = document.querySelectorAll("form");
    Array.prototype.forEach.call(forms, function (form) {
      var sent = false;
      form.addEventListener("submit", function (event) {
        if (sent) {
          event.preventDefault();
          return;
        }
        sent = true;
        form.setAttribute("aria-busy", "true");
      });
    });
  }

  countdown();
  focusErrors();
  oneSubmitPerForm();
})();
