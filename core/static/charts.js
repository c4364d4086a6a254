// The site's charts, for core's pages and plugins' pages: Chart.js (vendored; the page loads
// vendor/chart.js/chart.umd.min.js first, as a classic script) with the site's colours and options.
// `drawChart` draws numbers given to it; `drawTableCharts` draws each <figure class="chart"> from the table in it
// (the statistics page), so the chart and its accessible table always show one set of numbers.
export const COLOURS = ["#c2571a", "#2f7d5b", "#d9a43a", "#8f3d0f", "#5f6b73", "#a11d1d"];

function axisTitle(text) {
  return text ? { display: true, text } : { display: false };
}

// kind: "bar" or "line" (x is categories: days, labels) or "xy" (x is numbers on a linear axis; points joined in
// the given order). series: [{name, values}], one value per x. names (optional): one name per point, for tooltips.
export function drawChart(canvas, { kind, x, series, stacked = false, xTitle = "", yTitle = "", names = null }) {
  const xy = kind === "xy";
  const datasets = series.map((line, i) => ({
    label: line.name,
    data: xy ? line.values.map((y, j) => ({ x: x[j], y })) : line.values,
    backgroundColor: COLOURS[i % COLOURS.length],
    borderColor: COLOURS[i % COLOURS.length],
    ...(xy ? { showLine: true, pointRadius: 4, pointHoverRadius: 6 } : {}),
  }));
  const tooltip = names ? { callbacks: { title: (items) => items.map((item) => names[item.dataIndex]) } } : {};
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, {
    type: xy ? "scatter" : kind === "line" ? "line" : "bar",
    data: xy ? { datasets } : { labels: x, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        // xy: room beyond the largest x and y, so that a point there (a single one: both) is not cut by the edge
        x: { stacked, title: axisTitle(xTitle), ...(xy ? { type: "linear", beginAtZero: true, grace: "10%" } : {}) },
        y: { stacked, beginAtZero: true, title: axisTitle(yTitle), ...(xy ? { grace: "10%" } : { ticks: { precision: 0 } }) },
      },
      plugins: { legend: { position: "bottom" }, tooltip },
    },
  });
}

// The chart a table describes: <table data-chart="kind" data-stacked data-x-title data-y-title>, a header row
// (the x column, then one column per series) and one row per x (<th> x, then the series' values).
export function tableChart(table) {
  const names = [...table.querySelectorAll("thead th")].slice(1).map((cell) => cell.textContent);
  const rows = [...table.querySelectorAll("tbody tr")];
  const xy = table.dataset.chart === "xy";
  const x = rows.map((row) => (xy ? Number(row.querySelector("th").textContent) : row.querySelector("th").textContent));
  return {
    kind: table.dataset.chart,
    x,
    series: names.map((name, i) => ({ name, values: rows.map((row) => Number(row.querySelectorAll("td")[i].textContent)) })),
    stacked: table.dataset.stacked === "true",
    xTitle: table.dataset.xTitle || "",
    yTitle: table.dataset.yTitle || "",
  };
}

// Draw every <figure class="chart"> under root from its table; each figure's data-drawn says how many series.
export function drawTableCharts(root = document) {
  for (const figure of root.querySelectorAll("figure.chart")) {
    const chart = drawChart(figure.querySelector("canvas"), tableChart(figure.querySelector("table")));
    figure.dataset.drawn = String(chart.data.datasets.length);
  }
}
