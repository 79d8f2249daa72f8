// Dashboard charts (Apache ECharts, served from this site) and the sortable sub-region table.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const label = (key) => data.labels[key] || key;
  // Printing wants white backgrounds and no animation.
  const base = { animation: false, backgroundColor: "transparent", tooltip: { trigger: "axis" } };

  function chart(id, option) {
    const element = document.getElementById(id);
    if (!element || !window.echarts) return;
    const instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption(Object.assign({}, base, option));
    window.addEventListener("resize", () => instance.resize());
  }

  function bars(id, title, entries) {
    chart(id, {
      title: { text: title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item" },
      // Six level names side by side overlap: slant them, and keep them inside the chart.
      grid: { containLabel: true, left: 8, right: 8, bottom: 8 },
      xAxis: { type: "category", data: entries.map((e) => e[0]), axisLabel: { interval: 0, rotate: entries.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: entries.map((e) => e[1]), label: { show: true, position: "top" } }],
    });
  }

  // Drawn only when the user may read one of the trend's figures (the page leaves it out).
  if (document.getElementById("chart-trend")) {
    const trend = data.trend || { years: [], series: {} };
    chart("chart-trend", {
      title: { text: document.getElementById("chart-trend").getAttribute("aria-label"), textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { top: 70 },
      xAxis: { type: "category", data: trend.years },
      yAxis: { type: "value" },
      series: Object.keys(trend.series).map((key) => ({ name: label(key), type: "line", data: trend.series[key] })),
    });
  }

  const breakdowns = data.breakdowns || {};
  // The page draws a chart only for a breakdown the user may read (its whole's records).
  for (const element of document.querySelectorAll("[data-breakdown]")) {
    const values = breakdowns[element.dataset.breakdown] || {};
    bars(element.id, element.getAttribute("aria-label"), Object.keys(values).map((k) => [label(k), values[k]]));
  }

  const children = data.children || [];
  // The figures the user may read among those compared (the page draws the chart only then).
  const compared = data.compared || [];
  if (children.length && compared.length) {
    chart("chart-children", {
      title: { text: document.getElementById("chart-children").getAttribute("aria-label"), textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { top: 70, bottom: 60 },
      xAxis: { type: "category", data: children.map((c) => c.name), axisLabel: { interval: 0, rotate: children.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: compared.map((key) => ({ name: label(key), type: "bar", data: children.map((c) => c.indicators[key] || 0) })),
    });
  }

  const table = document.getElementById("children-table");
  if (table) {
    table.querySelectorAll("th[data-sort]").forEach((header, column) => {
      header.addEventListener("click", () => {
        const numeric = header.dataset.sort === "number";
        const descending = header.dataset.direction !== "desc";
        header.dataset.direction = descending ? "desc" : "asc";
        // 本级 is not a sub-region: it stays last, under the sorted sub-regions.
        const rows = Array.from(table.tBodies[0].rows).filter((row) => !row.classList.contains("own-level"));
        const own = table.tBodies[0].querySelector("tr.own-level");
        const key = (row) => {
          const cell = row.cells[column];
          const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent;
          if (!numeric) return raw.trim();
          const text = raw.replace(/[^\d.\-万亿]/g, "");
          let number = parseFloat(text);
          if (isNaN(number)) return -Infinity;
          if (text.includes("亿")) number *= 1e8; else if (text.includes("万")) number *= 1e4;
          return number;
        };
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach((row) => table.tBodies[0].appendChild(row));
        if (own) table.tBodies[0].appendChild(own);
      });
    });
  }
})();
