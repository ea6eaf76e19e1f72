/* The public map: proposals as coloured dots over the grey dots of the communes, with no tile
   layer (the system runs without the internet). The same points are in the table below it. */
(function () {
  "use strict";
  var box = document.getElementById("od-map");
  if (!box || typeof L === "undefined") {
    return;
  }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent || "[]") : [];
  }
  // Leaflet puts a string tooltip in as HTML: text typed by citizens goes in as text nodes.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  var points = read("od-map-points");
  var communes = read("od-map-communes");
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  communes.forEach(function (c) {
    L.circleMarker([c.latitude, c.longitude], {
      radius: 3, stroke: false, fillColor: "#8a8f98", fillOpacity: 0.55
    }).bindTooltip(text(c.name)).addTo(map);
    bounds.push([c.latitude, c.longitude]);
  });
  points.forEach(function (f) {
    var p = f.properties;
    var lon = f.geometry.coordinates[0];
    var lat = f.geometry.coordinates[1];
    var marker = L.circleMarker([lat, lon], {
      radius: 8, color: "#333", weight: 1, fillColor: p.open ? "#c0392b" : "#2e7d32",
      fillOpacity: 0.85, className: "od-point"
    }).addTo(map);
    var popup = document.createElement("div");
    var code = document.createElement("strong");
    code.textContent = p.code;
    var summary = document.createElement("div");
    summary.textContent = p.summary;
    var where = document.createElement("div");
    where.className = "muted";
    where.textContent = [p.category_label, p.commune, p.status_label].filter(Boolean).join(" · ");
    popup.appendChild(code);
    popup.appendChild(summary);
    popup.appendChild(where);
    marker.bindPopup(popup);
    marker.bindTooltip(text(p.code + " · " + p.summary));
    bounds.push([lat, lon]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 12);
  } else if (bounds.length) {
    map.fitBounds(bounds, { padding: [20, 20] });
  } else {
    map.setView([16.0, 106.0], 5);
  }
  box.setAttribute("data-ready", "1");
}());
