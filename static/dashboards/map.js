// The map of a province's cities or a city's counties (Apache ECharts, boundaries served from
// this site): each child coloured by the chosen indicator, a click opens its dashboard, the
// service stations as dots. Regions meet their shapes by administrative code.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-map");
  const element = document.getElementById("map");
  const select = document.getElementById("map-indicator");
  if (!source || !element || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const byCode = {};
  data.children.forEach((child) => { byCode[child.code] = child; });
  const units = {};
  data.indicators.forEach((indicator) => { units[indicator.key] = indicator.unit; });

  fetch(data.url, { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error("map boundaries: HTTP " + response.status);
      return response.json();
    })
    .then((boundaries) => {
      const mapName = "region-" + data.url;
      window.echarts.registerMap(mapName, boundaries);
      // Divisions newer than the boundaries have no shape: a marked point at their seat.
      const points = boundaries.points || [];
      const chart = window.echarts.init(element, null, { renderer: "svg" });
      element.dataset.features = String(boundaries.features.length);

      function draw() {
        const key = select ? select.value : data.indicators[0].key;
        const value = (child) => (child && child.values[key] !== undefined ? child.values[key] : null);
        const values = data.children.map(value).filter((v) => v !== null);
        const unit = units[key] || "";
        const tooltip = (name, number) => name + "：" + (number === null || number === undefined ? "—" : number.toLocaleString("zh-CN") + unit);
        chart.setOption({
          animation: false,
          tooltip: {
            trigger: "item",
            formatter: (params) => {
              if (params.seriesType === "effectScatter" || params.seriesName === "stations") return params.name;
              const child = byCode[params.name] || (params.data && byCode[params.data.code]);
              return child ? tooltip(child.name, value(child)) : params.name;
            },
          },
          visualMap: {
            type: "continuous",
            min: 0,
            max: Math.max(1, ...values),
            calculable: true,
            left: 8,
            bottom: 8,
            text: [unit, ""],
            seriesIndex: [0, 1],
            inRange: { color: ["#e0f3f8", "#4575b4"] },
          },
          geo: {
            map: mapName,
            nameProperty: "code",
            roam: false,
            selectedMode: false,
            label: { show: true, fontSize: 11, formatter: (params) => (byCode[params.name] ? byCode[params.name].name : "") },
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#fdae61" } },
            itemStyle: { borderColor: "#777", areaColor: "#f4f4f4" },
          },
          series: [
            {
              type: "map",
              geoIndex: 0,
              data: data.children.map((child) => ({ name: child.code, value: value(child) })),
            },
            {
              name: "divisions",
              type: "scatter",
              coordinateSystem: "geo",
              symbolSize: 18,
              label: { show: true, position: "right", formatter: (params) => params.data.regionName },
              data: points.map((point) => ({
                name: point.code,
                code: point.code,
                regionName: point.name,
                value: point.cp.concat([value(byCode[point.code])]),
              })),
            },
            {
              name: "stations",
              type: "scatter",
              coordinateSystem: "geo",
              symbolSize: 5,
              itemStyle: { color: "#d73027" },
              data: data.stations || [],
            },
          ],
        }, true);
      }

      chart.on("click", (params) => {
        const code = params.data && params.data.code ? params.data.code : params.name;
        const child = byCode[code];
        if (child && params.seriesName !== "stations") window.location.href = child.url;
      });
      if (select) select.addEventListener("change", draw);
      window.addEventListener("resize", () => chart.resize());
      draw();
      element.dataset.ready = "true";
    });
})();
