// The home page's live counts: refreshed from /api/v1/statistics every 30 s (a static file, for the CSP).
const counts = document.querySelector("[data-statistics-url]");

async function refresh() {
  try {
    const stats = await (await fetch(counts.dataset.statisticsUrl)).json();
    document.getElementById("count-images").textContent = stats.images.by_status.public || 0;
    document.getElementById("count-labels").textContent = stats.labels.image_labels;
  } catch (err) { /* keep the server-rendered counts */ }
}

if (counts) setInterval(refresh, 30000);

// Without a configured public URL the page names the address the browser used (never the Host header).
const address = document.getElementById("server-address");
if (address && !address.textContent.startsWith("http")) address.textContent = window.location.origin;
