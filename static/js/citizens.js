/* The filing form: the commune search box (suggestions from the JSON endpoint as one types),
   the map where a tap or the phone's position marks the place (no tile layer: the commune's
   centre is drawn as a grey dot for orientation), and the similar open reports nearby. The
   form works without this script: the latitude and longitude can be typed, the commune
   written in full. */
(function () {
  "use strict";
  var form = document.getElementById("cz-form");
  if (!form) {
    return;
  }
  var nameInput = form.querySelector("[name=area_name]");
  var codeInput = form.querySelector("[name=area]");
  var list = document.getElementById("cz-commune-list");
  var latInput = form.querySelector("[name=lat]");
  var lonInput = form.querySelector("[name=lon]");
  var categoryInput = form.querySelector("[name=category]");
  var nearbyBox = document.getElementById("cz-nearby");
  var timer = null;
  var map = null;
  var marker = null;
  var centre = null;

  function clearList() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    list.hidden = true;
  }

  function choose(item) {
    nameInput.value = item.name + (item.province ? ", " + item.province : "");
    codeInput.value = item.code;
    clearList();
    if (map && item.lat != null && item.lon != null) {
      if (centre) {
        map.removeLayer(centre);
      }
      centre = L.circleMarker([item.lat, item.lon], { radius: 5, stroke: false, fillColor: "#8a8f98", fillOpacity: 0.7 }).addTo(map);
      if (!marker) {
        map.setView([item.lat, item.lon], 13);
      }
    }
  }

  function search() {
    var q = nameInput.value.trim();
    codeInput.value = "";
    if (q.length < 2) {
      clearList();
      return;
    }
    fetch(form.getAttribute("data-communes") + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        clearList();
        rows.forEach(function (row) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = row.name + (row.province ? ", " + row.province : "");
          button.addEventListener("click", function () { choose(row); });
          li.appendChild(button);
          list.appendChild(li);
        });
        list.hidden = rows.length === 0;
      })
      .catch(function () { clearList(); });
  }

  nameInput.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });

  function nearby() {
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (isNaN(lat) || isNaN(lon) || !nearbyBox) {
      return;
    }
    var url = form.getAttribute("data-nearby") + "?lat=" + lat + "&lon=" + lon + "&category=" + encodeURIComponent(categoryInput.value || "");
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        var ul = nearbyBox.querySelector("ul");
        while (ul.firstChild) {
          ul.removeChild(ul.firstChild);
        }
        rows.forEach(function (row) {
          var li = document.createElement("li");
          var code = document.createElement("code");
          code.textContent = row.code;
          li.appendChild(code);
          li.appendChild(document.createTextNode(" " + row.summary + " (" + row.distance_m + " m)"));
          ul.appendChild(li);
        });
        nearbyBox.hidden = rows.length === 0;
      })
      .catch(function () { nearbyBox.hidden = true; });
  }

  function place(lat, lon) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (map) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { keyboard: false }).addTo(map);
      }
      map.setView([lat, lon], Math.max(map.getZoom(), 15));
    }
    nearby();
  }

  var box = document.getElementById("cz-map");
  if (box && typeof L !== "undefined") {
    L.Icon.Default.imagePath = box.getAttribute("data-images") || "/static/vendor/leaflet/images/";
    map = L.map(box, { attributionControl: false }).setView([16.0, 106.0], 5);
    L.control.scale({ imperial: false }).addTo(map);
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
  }
  var here = document.getElementById("cz-here");
  if (here) {
    if (!navigator.geolocation) {
      here.hidden = true;
    }
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        place(pos.coords.latitude, pos.coords.longitude);
      });
    });
  }
  [latInput, lonInput, categoryInput].forEach(function (input) {
    input.addEventListener("change", nearby);
  });
  // The page came back (a code sent, an error shown): put the marker where it was.
  var lat0 = parseFloat(latInput.value);
  var lon0 = parseFloat(lonInput.value);
  if (!isNaN(lat0) && !isNaN(lon0)) {
    place(lat0, lon0);
  }
})();
