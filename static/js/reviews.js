/* Map of project reviews in sensitive areas. The points come from a JSON block on the page;
   there is no tile layer (the system runs without the internet), only the points. */
(function () {
  "use strict";
  var box = document.getElementById("review-map");
  var source = document.getElementById("review-map-points");
  if (!box || !source || typeof L === "undefined") {
    return;
  }
  var points = JSON.parse(source.textContent || "[]");
  if (!points.length) {
    var empty = document.createElement("p");
    empty.className = "map-empty";
    empty.textContent = box.getAttribute("data-empty") || "";
    box.appendChild(empty);
    return;
  }
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  points.forEach(function (p) {
    var colour = p.status === "refused" ? "#b3261e" : (p.status === "approved" ? "#1e7d3a" : "#b26a00");
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 9, color: "#7a1010", weight: 2, fillColor: colour, fillOpacity: 0.85
    }).addTo(map);
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.code;
    var title = document.createElement("div");
    title.textContent = p.project;
    var where = document.createElement("div");
    where.className = "muted";
    where.textContent = p.area_name + (p.source === "area" ? " *" : "");
    popup.appendChild(link);
    popup.appendChild(title);
    popup.appendChild(where);
    marker.bindPopup(popup);
    marker.bindTooltip(p.code);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 11);
  } else {
    map.fitBounds(bounds, { padding: [40, 40] });
  }
  L.control.scale({ imperial: false }).addTo(map);
})();
