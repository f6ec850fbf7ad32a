// "Print" buttons (data-print): a static file, so the Content-Security-Policy needs no inline script.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
