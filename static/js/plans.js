// The briefing map of a plan: one point per target commune, coloured by whether and when it
// held its briefing. No tile layer: the system runs on networks without the Internet.
(function () {
  "use strict";
  var COLOURS = { held: "#1e7d3a", late: "#8a5200", missing: "#f2c14e", missing_overdue: "#b3261e" };
  function draw() {
    var box = document.getElementById("briefing-map");
    var data = document.getElementById("briefing-points");
    if (!box || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      ddMap.point([p.lat, p.lon], {
        name: p.name, title: p.name + " (" + p.code + ")", colour: COLOURS[p.state] || "#999", radius: 7
      }).addTo(layer);
    });
    ddMap.names(map, box, 10);
    map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 12 });
    L.control.scale({ imperial: false }).addTo(map);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
