/* Map of project reviews in sensitive areas. The points come from JSON blocks on the page.
   There is no tile layer (the system runs without the internet): the communes of the province
   are drawn as grey dots to give the reviews a place (static/js/mapkit.js). */
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
    ddMap.empty(box, box.getAttribute("data-empty"));
    return;
  }
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  context.forEach(function (c) {
    ddMap.point([c.lat, c.lon], { name: c.name, radius: 3, keyboard: false }).addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  points.forEach(function (p) {
    var colour = p.status === "refused" ? "#b3261e" : (p.status === "approved" ? "#1e7d3a" : "#d98e04");
    // Names typed by users go in as text nodes, never as HTML.
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
    ddMap.point([p.lat, p.lon], {
      name: p.code, title: p.code + " · " + p.project, colour: colour, radius: 9, popup: popup
    }).addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  ddMap.names(map, box, 11);
  if (bounds.length === 1) {
    map.setView(bounds[0], 12);
  } else {
    map.fitBounds(bounds, { padding: [30, 30] });
  }
  L.control.scale({ imperial: false }).addTo(map);
})();
