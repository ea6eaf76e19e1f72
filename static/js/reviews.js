/* Map of project reviews in sensitive areas. The points come from JSON blocks on the page.
   There is no tile layer (the system runs without the internet): the communes of the province
   are drawn as grey dots to give the reviews a place. */
(function () {
  "use strict";
  var box = document.getElementById("review-map");
  if (!box || typeof L === "undefined") {
    return;
  }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent || "[]") : [];
  }
  var points = read("review-map-points");
  var context = read("review-map-context");
  if (!points.length && !context.length) {
    var empty = document.createElement("p");
    empty.className = "map-empty";
    empty.textContent = box.getAttribute("data-empty") || "";
    box.appendChild(empty);
    return;
  }
  // Leaflet puts a string tooltip in as HTML: names typed by users go in as text nodes.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  context.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], {
      radius: 3, stroke: false, fillColor: "#8a8f98", fillOpacity: 0.55, interactive: true
    }).bindTooltip(text(c.name)).addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  points.forEach(function (p) {
    var colour = p.status === "refused" ? "#b3261e" : (p.status === "approved" ? "#1e7d3a" : "#d98e04");
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 10, color: "#7a1010", weight: 2, fillColor: colour, fillOpacity: 0.9,
      className: "review-point"
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
    marker.bindTooltip(text(p.code + " · " + p.project));
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 11);
  } else {
    map.fitBounds(bounds, { padding: [30, 30] });
  }
  L.control.scale({ imperial: false }).addTo(map);
})();
