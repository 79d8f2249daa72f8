// Django's autocomplete fields (Select2) name their combobox after the chosen value only, and mark
// that value's text as a nameless read-only textbox, so an empty one has no accessible name for a
// screen reader: name the combobox by the field's label (or, in a tabular inline row, its column
// heading) followed by the value, and let the value be plain text again.
(function () {
  "use strict";
  function headingFor(select) {
    const cell = select.closest("td[class*='field-']");
    const table = cell && cell.closest("table");
    if (!table) return null;
    const field = Array.from(cell.classList).find((name) => name.startsWith("field-"));
    return table.querySelector("thead th.column-" + field.slice(6));
  }
  function name() {
    document.querySelectorAll(".select2-selection[role='combobox']").forEach((box) => {
      const container = box.closest(".select2");
      const select = container && container.previousElementSibling;
      if (!select || !select.id) return;
      box.querySelectorAll(".select2-selection__rendered[role='textbox']").forEach((value) => {
        value.removeAttribute("role");
        value.removeAttribute("aria-readonly");
      });
      const label = document.querySelector("label[for='" + select.id + "']") || headingFor(select);
      if (!label) return;
      if (!label.id) label.id = select.id + "-name";
      const current = box.getAttribute("aria-labelledby") || "";
      if (!current.split(" ").includes(label.id)) {
        box.setAttribute("aria-labelledby", (label.id + " " + current).trim());
      }
    });
  }
  // Select2 builds its widgets after the page is ready and again for each added inline row.
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    window.setTimeout(() => {
      pending = false;
      name();
    }, 0);
  });
  document.addEventListener("DOMContentLoaded", () => {
    name();
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
