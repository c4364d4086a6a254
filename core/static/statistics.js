// The statistics page: each chart is drawn by Chart.js (vendored) from the table under it, so both show one set of numbers.
const COLOURS = ["#c2571a", "#2f7d5b", "#d9a43a", "#8f3d0f", "#5f6b73", "#a11d1d"];

function readTable(table) {
  const names = [...table.querySelectorAll("thead th")].slice(1).map((cell) => cell.textContent);
  const rows = [...table.querySelectorAll("tbody tr")];
  const labels = rows.map((row) => row.querySelector("th").textContent);
  const datasets = names.map((name, i) => ({
    label: name,
    data: rows.map((row) => Number(row.querySelectorAll("td")[i].textContent)),
    backgroundColor: COLOURS[i % COLOURS.length],
    borderColor: COLOURS[i % COLOURS.length],
  }));
  return { labels, datasets };
}

for (const figure of document.querySelectorAll("figure.chart")) {
  const table = figure.querySelector("table");
  const stacked = table.dataset.stacked === "true";
  const chart = new Chart(figure.querySelector("canvas"), {
    type: table.dataset.chart === "line" ? "line" : "bar",
    data: readTable(table),
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  figure.dataset.drawn = String(chart.data.datasets.length);
}
