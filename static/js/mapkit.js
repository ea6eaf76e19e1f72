// Maps without a tile server (government networks have no Internet): each place is a point a
// person can see, name and reach. Shared by the dashboard, the review map and the plan map.
//   ddMap.point(latlng, {name, colour, radius, ring, popup, keyboard}) -> a Leaflet marker that
//     is focusable (Tab; keyboard: false for mere background places), opens its details on Enter or a click (not only on hover) and shows
//     its name beside the dot;
//   ddMap.names(map, box, zoom) shows the names from that zoom on (all names at once would
//     cover each other when the whole province is in view);
//   ddMap.empty(box, message) puts a message where there is nothing to draw.
(function () {
  "use strict";
  function point(latlng, o) {
    var pin = document.createElement("span");
    pin.className = "dd-pin";
    var dot = document.createElement("span");
    dot.className = "dd-dot" + (o.ring ? " dd-ring" : "");
    var r = o.radius || 6;
    // Set through the CSSOM, which the CSP allows (a style attribute it would refuse).
    dot.style.width = dot.style.height = 2 * r + "px";
    dot.style.background = o.colour || "#8a8f98";
    var name = document.createElement("span");
    name.className = "dd-name";
    name.textContent = o.name;
    pin.appendChild(dot);
    pin.appendChild(name);
    var marker = L.marker(latlng, {
      icon: L.divIcon({ className: "dd-marker", html: pin, iconSize: [2 * r, 2 * r], iconAnchor: [r, r] }),
      keyboard: o.keyboard !== false,
      title: o.title || o.name,
      riseOnHover: true
    });
    var popup = o.popup;
    if (!popup) {
      popup = document.createElement("div");
      popup.textContent = o.title || o.name;
    }
    marker.bindPopup(popup);
    return marker;
  }
  function names(map, box, zoom) {
    function toggle() { box.classList.toggle("dd-show-names", map.getZoom() >= zoom); }
    map.on("zoomend", toggle);
    toggle();
  }
  function empty(box, message) {
    box.classList.add("dd-map-empty");
    box.removeAttribute("role");
    var p = document.createElement("p");
    p.className = "map-empty";
    p.textContent = message || "";
    box.appendChild(p);
  }
  window.ddMap = { point: point, names: names, empty: empty };
})();
