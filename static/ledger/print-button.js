// A button that prints the page (the inline onclick it would need is refused by the CSP).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
