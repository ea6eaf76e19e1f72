// The briefing map of a plan: one point per target commune, coloured by whether and when it
// held its briefing. No tile layer: the system runs on networks without the Internet.
(function () {
  "use strict";
  var COLOURS = { held: "#1e7d3a", late: "#b26a00", missing: "#f2c14e", missing_overdue: "#b3261e" };
  function draw() {
    var box = document.getElementById("briefing-map");
    var data = document.getElementById("briefing-points");
    if (!box || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
    // Leaflet puts a string tooltip in as HTML: names go in as text nodes.
    function text(value) {
      var span = document.createElement("span");
      span.textContent = value;
      return span;
    }
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {
        radius: 7, weight: 1, color: "#333", fillColor: COLOURS[p.state] || "#999", fillOpacity: 0.9
      }).bindTooltip(text(p.name + " (" + p.code + ")")).addTo(layer);
    });
    map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 12 });
    L.control.scale({ imperial: false }).addTo(map);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
