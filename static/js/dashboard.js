/* The leaders' dashboard: charts (Chart.js) and the map of communes (Leaflet), drawn from the
   JSON data island #dash-data that the server renders with the page (no inline script: CSP).
   After htmx swaps and settles #dash the island is new, and everything is drawn again. */
(function () {
  "use strict";
  var charts = [];
  var map = null;
  var COLORS = { opened: "#7a1010", onTime: "#1e7d3a", late: "#b3261e", soon: "#b26a00", inTime: "#6d8fb3" };

  function readData() {
    var node = document.getElementById("dash-data");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function label(id) {
    var canvas = document.getElementById(id);
    return canvas ? canvas.getAttribute("aria-label") : "";
  }

  function t(key) {
    var words = document.getElementById("dash-words");
    var table = words ? JSON.parse(words.textContent) : {};
    return table[key] || key;
  }

  function destroy() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    if (map) { map.remove(); map = null; }
  }

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts.push(new window.Chart(canvas, config));
  }

  function drawCharts(data) {
    chart("chart-trend", {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: [
          { type: "line", label: t("received"), data: data.trend.opened, borderColor: COLORS.opened, backgroundColor: COLORS.opened, tension: 0.25, pointRadius: 2 },
          { label: t("done_on_time"), data: data.trend.done_on_time, backgroundColor: COLORS.onTime, stack: "closed" },
          { label: t("done_late"), data: data.trend.done_late, backgroundColor: COLORS.late, stack: "closed" }
        ]
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { position: "bottom" } } }
    });
    chart("chart-kind", {
      type: "bar",
      data: {
        labels: data.by_kind.map(function (r) { return r.label; }),
        datasets: [
          { label: t("overdue"), data: data.by_kind.map(function (r) { return r.overdue; }), backgroundColor: COLORS.late },
          { label: t("due_soon"), data: data.by_kind.map(function (r) { return r.due_soon; }), backgroundColor: COLORS.soon },
          { label: t("in_time"), data: data.by_kind.map(function (r) { return r.in_time; }), backgroundColor: COLORS.inTime }
        ]
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } }, plugins: { legend: { position: "bottom" } } }
    });
    var cats = data.by_category.filter(function (r) { return r.open > 0; }).slice(0, 12);
    chart("chart-category", {
      type: "bar",
      data: {
        labels: cats.map(function (r) { return r.label; }),
        datasets: [
          { label: t("overdue"), data: cats.map(function (r) { return r.overdue; }), backgroundColor: COLORS.late },
          { label: t("open_not_overdue"), data: cats.map(function (r) { return r.open - r.overdue; }), backgroundColor: COLORS.inTime }
        ]
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } }, plugins: { legend: { position: "bottom" } } }
    });
  }

  function colour(share) {
    // green (0% overdue) to amber to red (50% and more overdue)
    var x = Math.max(0, Math.min(1, share * 2));
    var r = Math.round(30 + x * (179 - 30));
    var g = Math.round(125 - x * (125 - 38));
    var b = Math.round(58 - x * (58 - 30));
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  function drawMap(data) {
    var box = document.getElementById("dash-map");
    if (!box || !window.L) { return; }
    var points = data.by_area.filter(function (a) { return a.kind === "commune" && a.lat !== null && a.lon !== null; });
    if (!points.length) {
      // Nothing to place (an official whose units have no commune with coordinates): say so
      // rather than show an empty grey box.
      if (!box.querySelector(".map-empty")) { ddMap.empty(box, box.getAttribute("data-empty")); }
      return;
    }
    map = window.L.map(box, { zoomControl: true, attributionControl: false });
    var most = Math.max.apply(null, points.map(function (a) { return a.open; })) || 1;
    var bounds = [];
    points.forEach(function (a) {
      var share = a.open ? a.overdue / a.open : 0;
      var radius = 3 + 8 * Math.sqrt(a.open / most);
      var detail = a.name + ": " + a.open + " " + t("open") + ", " + a.overdue + " " + t("overdue") +
        (a.alerts ? ", " + a.alerts + " " + t("alerts") : "");
      ddMap.point([a.lat, a.lon], {
        name: a.name, title: detail, colour: colour(share), radius: radius, ring: a.alerts > 0
      }).addTo(map);
      bounds.push([a.lat, a.lon]);
    });
    ddMap.names(map, box, 11);
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  }

  function draw() {
    destroy();
    var data = readData();
    if (!data) { return; }
    drawCharts(data);
    drawMap(data);
    document.documentElement.setAttribute("data-dashboard", "ready");
  }

  document.addEventListener("DOMContentLoaded", draw);
  // After settling, not after swapping: htmx puts the server's attributes back on elements
  // with ids during the settle, which would strip what Leaflet and Chart.js set on them.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "dash") { draw(); }
  });
})();
