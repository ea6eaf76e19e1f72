// Draws an alert's weekly counts with the threshold line and the alarm weeks marked.
(function () {
  const data = document.getElementById("alert-series");
  const canvas = document.getElementById("alert-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  const s = JSON.parse(data.textContent);
  new Chart(canvas, {
    data: {
      labels: s.weeks,
      datasets: [
        {
          type: "bar", label: "Số việc", data: s.observed,
          backgroundColor: s.alarm.map((a) => (a ? "#b3261e" : "#8aa4c8")),
        },
        { type: "line", label: "Ngưỡng", data: s.upperbound, borderColor: "#b26a00", pointRadius: 0, borderDash: [6, 4], spanGaps: true },
        { type: "line", label: "Kỳ vọng", data: s.expected, borderColor: "#1e7d3a", pointRadius: 0, spanGaps: true },
      ],
    },
    options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
