// Charts that print: ECharts draws its SVG at the screen's size without a viewBox, so paper
// (static/dashboards/print.css) could only cut it. Each chart's SVG gets a viewBox matching the
// size it was drawn at, kept up when a chart redraws, so print.css can scale it to the page.
(function () {
  "use strict";
  function fit(svg) {
    const width = svg.getAttribute("width"), height = svg.getAttribute("height");
    const box = "0 0 " + width + " " + height;
    if (width && height && svg.getAttribute("viewBox") !== box) svg.setAttribute("viewBox", box);
  }
  function fitAll(root) {
    root.querySelectorAll(".chart svg").forEach(fit);
  }
  const observer = new MutationObserver(() => fitAll(document));
  function start() {
    fitAll(document);
    document.querySelectorAll(".chart").forEach((chart) => {
      observer.observe(chart, { childList: true, subtree: true, attributes: true, attributeFilter: ["width", "height"] });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
