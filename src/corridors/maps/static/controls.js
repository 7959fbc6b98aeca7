/* corridors map pages: grouped layer control, legend, search, measure, fullscreen, minimap. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  function control(position, className, build) {
    var Control = L.Control.extend({
      onAdd: function (map) {
        var node = CM.el("div", "leaflet-bar cm-control " + className);
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        build(node, map);
        return node;
      },
    });
    return new Control({ position: position }).addTo(CM.ctx.map);
  }

  function checkbox(checked, onChange) {
    var box = CM.el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    return box;
  }

  /* A button with a small stroked SVG icon drawn from one path. */
  function iconButton(d, title) {
    var button = CM.el("button", "cm-button");
    button.type = "button";
    button.title = title;
    button.setAttribute("aria-label", title);
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "1.6");
    svg.appendChild(path);
    button.appendChild(svg);
    return button;
  }

  function swatchLine(entry) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "12");
    svg.setAttribute("class", "cm-swatch");
    var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("x1", "2");
    line.setAttribute("y1", "6");
    line.setAttribute("x2", "24");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", entry.color);
    line.setAttribute("stroke-width", String(entry.weight));
    line.setAttribute("stroke-opacity", String(entry.opacity === undefined ? 1 : entry.opacity));
    if (entry.dash) line.setAttribute("stroke-dasharray", entry.dash);
    svg.appendChild(line);
    return svg;
  }

  /* Layer control: one group per mode (a checkbox for the group and one per corridor),
   * then points and the base map. The boxes follow the map: a layer added or removed
   * elsewhere (a route button in the panel) ticks or clears its box. The control opens
   * collapsed; its boxes are made just after the first frame (so they also list overlays
   * that layers add then), or at once if it is opened before. */
  CM.control("layers", function (ctx) {
    control("topright", "cm-layers cm-collapsed", function (node, map) {
      var toggle = CM.el("button", "cm-toggle", "Layers");
      toggle.type = "button";
      var body = CM.el("div", "cm-layers-body");
      var built = false;
      function build() {
        if (!built) fill(ctx, map, body);
        built = true;
      }
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", function () {
        build();
        node.classList.toggle("cm-collapsed");
        toggle.setAttribute("aria-expanded", String(!node.classList.contains("cm-collapsed")));
      });
      // Folded again when the map becomes small (core.js fires cmcompact).
      map.on("cmcompact", function (event) {
        if (!event.compact) return;
        node.classList.add("cm-collapsed");
        toggle.setAttribute("aria-expanded", "false");
      });
      node.appendChild(toggle);
      node.appendChild(body);
      // Queued again from the first deferred task, so that it runs after the deferred work
      // of the layers (added after the controls) and lists the overlays that adds.
      CM.later(function () { CM.later(build); });
    });
  });

  function fill(ctx, map, body) {
    var sync = {};
    ctx.groupOrder.forEach(function (key) {
      var group = ctx.groups[key];
      var section = CM.el("div", "cm-group");
      var boxes = [];
      var head = CM.el("label", "cm-group-title");
      var all = checkbox(true, function (on) {
        group.entries.forEach(function (entry) {
          if (on) map.addLayer(entry.layer);
          else map.removeLayer(entry.layer);
        });
      });
      function update() {
        all.checked = boxes.some(function (b) { return b.checked; });
      }
      head.appendChild(all);
      if (group.color) head.appendChild(swatchLine({ color: group.color, weight: 4 }));
      head.appendChild(CM.el("span", null, group.title));
      section.appendChild(head);
      group.entries.forEach(function (entry) {
        var row = CM.el("label", "cm-group-entry");
        var box = checkbox(map.hasLayer(entry.layer), function (on) {
          if (on) map.addLayer(entry.layer);
          else map.removeLayer(entry.layer);
        });
        boxes.push(box);
        sync[L.stamp(entry.layer)] = function () {
          box.checked = map.hasLayer(entry.layer);
          update();
        };
        CM.append(row, [box, CM.el("span", null, entry.label)]);
        section.appendChild(row);
      });
      update();
      body.appendChild(section);
    });
    map.on("layeradd layerremove", function (event) {
      var follow = sync[L.stamp(event.layer)];
      if (follow) follow();
    });
  }

  CM.control("legend", function (ctx) {
    control("bottomleft", "cm-legend", function (node) {
      var toggle = CM.el("button", "cm-toggle", "Legend");
      toggle.type = "button";
      function fold(collapsed) {
        node.classList.toggle("cm-collapsed", collapsed);
        toggle.setAttribute("aria-expanded", String(!collapsed));
      }
      toggle.addEventListener("click", function () { fold(!node.classList.contains("cm-collapsed")); });
      // On a small map (a phone, a tablet beside the panel) the legend folds to its button,
      // and opens again when the map grows (core.js fires cmcompact).
      fold(!!ctx.compact);
      ctx.map.on("cmcompact", function (event) { fold(event.compact); });
      var body = CM.el("div", "cm-legend-body");
      CM.append(node, [toggle, body]);
      ctx.config.legend.forEach(function (section) {
        if (!section.entries.length) return;
        body.appendChild(CM.el("div", "cm-legend-title", section.title));
        var rows = CM.el("div", "cm-legend-section" + (section.title === "Mode" ? " cm-legend-grid" : ""));
        body.appendChild(rows);
        section.entries.forEach(function (entry) {
          var row = CM.el("div", "cm-legend-row cm-legend-" + entry.kind);
          var swatch;
          if (entry.kind === "line") {
            swatch = swatchLine(entry);
          } else {
            swatch = CM.el("span", "cm-swatch cm-swatch-" + entry.kind);
            swatch.style.width = swatch.style.height = 2 * entry.radius + "px";
            swatch.style.background = entry.fill;
          }
          CM.append(row, [swatch, CM.el("span", "cm-legend-label", entry.label)]);
          rows.appendChild(row);
        });
      });
    });
  }, { early: true });

  /* Text as the search compares it: no accents (NFD, combining marks dropped), lower case. */
  CM.fold = function (text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };

  var SHOWN_HITS = 12;

  /* The entries of ctx.search that match `query`: those named so, those whose name starts
   * with it, holds it, then those whose other words (terms) do, each group in page order. */
  function searchHits(ctx, query) {
    var q = CM.fold(query.trim());
    if (!q) return [];
    var found = [];
    ctx.search.forEach(function (item, i) {
      var label = CM.fold(item.label);
      var rank = label === q ? 0 : label.indexOf(q) === 0 ? 1 : label.indexOf(q) !== -1 ? 2 :
        CM.fold(item.terms).indexOf(q) !== -1 ? 3 : -1;
      if (rank !== -1) found.push({ item: item, rank: rank, i: i });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.i - b.i; });
    return found.map(function (f) { return f.item; });
  }

  /* Search over everything the page names (corridors, segments, places, crossings, countries,
   * partners, capitals, ports), a search landmark: the count of results or "No match" is
   * announced (aria-live), ArrowDown/ArrowUp move through the results, Enter chooses. A chosen
   * result is fitted into the visible part of the map and its facts open in a popup, which
   * stays open until closed and gives the focus back to the search box. */
  CM.control("search", function (ctx) {
    control("topleft", "cm-search", function (node, map) {
      node.setAttribute("role", "search");
      node.setAttribute("aria-label", "Search the map");
      var input = CM.el("input");
      input.type = "search";
      input.id = "cm-search-input";
      input.placeholder = "Search corridors and places";
      input.autocomplete = "off";
      input.setAttribute("aria-label", "Search corridors, segments, places, crossings and partners");
      input.setAttribute("aria-controls", "cm-search-results");
      input.setAttribute("aria-describedby", "cm-search-status");
      var status = CM.el("div", "cm-search-status");
      status.id = "cm-search-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      var results = CM.el("ul", "cm-search-results");
      results.id = "cm-search-results";
      results.setAttribute("aria-label", "Search results");
      CM.append(node, [input, status, results]);
      function choose(item) {
        results.textContent = "";
        status.textContent = "";
        input.value = item.label;
        input.focus();
        var bounds = item.bounds ? item.bounds() : L.latLng(item.latlng).toBounds(100000);
        CM.fitVisible(ctx, bounds, { maxZoom: item.bounds ? item.maxZoom || 12 : 9 });
        if (item.open) item.open();
        else if (item.marker) item.marker.openTooltip();
      }
      function show() {
        results.textContent = "";
        var query = input.value.trim();
        if (!query) {
          status.textContent = "";
          return;
        }
        var hits = searchHits(ctx, query);
        if (!hits.length) {
          status.textContent = "No match for \"" + query + "\"";
          return;
        }
        status.textContent = hits.length + (hits.length === 1 ? " result" : " results") +
          (hits.length > SHOWN_HITS ? ", the first " + SHOWN_HITS + " shown" : "");
        hits.slice(0, SHOWN_HITS).forEach(function (item) {
          var button = CM.el("button", "cm-search-hit", item.label);
          button.type = "button";
          button.appendChild(CM.el("span", "cm-search-kind", " " + item.kind));
          // The list is emptied by the choice, so Leaflet could no longer tell that the click
          // came from a control, and would close the popup it opens as a click on the map.
          button.addEventListener("click", function (event) {
            event.stopPropagation();
            choose(item);
          });
          results.appendChild(CM.el("li")).appendChild(button);
        });
      }
      function hitButtons() {
        return Array.prototype.slice.call(results.querySelectorAll("button"));
      }
      input.addEventListener("input", show);
      input.addEventListener("keydown", function (event) {
        var buttons = hitButtons();
        if (event.key === "ArrowDown" && buttons.length) {
          event.preventDefault();
          buttons[0].focus();
        } else if (event.key === "Enter" && buttons.length) {
          event.preventDefault();
          buttons[0].click();
        }
      });
      results.addEventListener("keydown", function (event) {
        var buttons = hitButtons();
        var i = buttons.indexOf(document.activeElement);
        if (i === -1) return;
        var next = {
          ArrowDown: buttons[Math.min(i + 1, buttons.length - 1)],
          ArrowUp: i === 0 ? input : buttons[i - 1],
          Home: buttons[0],
          End: buttons[buttons.length - 1],
          Escape: input,
        }[event.key];
        if (!next) return;
        event.preventDefault();
        next.focus();
      });
    });
  });

  /* Geodesic distance on the WGS 84 ellipsoid (Vincenty's inverse formula), in metres. */
  CM.geodesicM = function (a, b) {
    var f = 1 / 298.257223563, A = 6378137, B = A * (1 - f);
    var rad = Math.PI / 180;
    var L0 = (b.lng - a.lng) * rad;
    var U1 = Math.atan((1 - f) * Math.tan(a.lat * rad));
    var U2 = Math.atan((1 - f) * Math.tan(b.lat * rad));
    var sU1 = Math.sin(U1), cU1 = Math.cos(U1), sU2 = Math.sin(U2), cU2 = Math.cos(U2);
    var lambda = L0, prev, sS, cS, sigma, cos2a, c2sm;
    for (var i = 0; i < 200; i++) {
      var sL = Math.sin(lambda), cL = Math.cos(lambda);
      sS = Math.sqrt(Math.pow(cU2 * sL, 2) + Math.pow(cU1 * sU2 - sU1 * cU2 * cL, 2));
      if (sS === 0) return 0;
      cS = sU1 * sU2 + cU1 * cU2 * cL;
      sigma = Math.atan2(sS, cS);
      var sAlpha = (cU1 * cU2 * sL) / sS;
      cos2a = 1 - sAlpha * sAlpha;
      c2sm = cos2a ? cS - (2 * sU1 * sU2) / cos2a : 0;
      var C = (f / 16) * cos2a * (4 + f * (4 - 3 * cos2a));
      prev = lambda;
      lambda = L0 + (1 - C) * f * sAlpha * (sigma + C * sS * (c2sm + C * cS * (-1 + 2 * c2sm * c2sm)));
      if (Math.abs(lambda - prev) < 1e-12) break;
    }
    if (Math.abs(lambda - prev) >= 1e-12) return a.distanceTo ? L.latLng(a).distanceTo(b) : NaN;
    var u2 = (cos2a * (A * A - B * B)) / (B * B);
    var K = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var K2 = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dS = K2 * sS * (c2sm + (K2 / 4) * (cS * (-1 + 2 * c2sm * c2sm) -
      (K2 / 6) * c2sm * (-3 + 4 * sS * sS) * (-3 + 4 * c2sm * c2sm)));
    return B * K * (sigma - dS);
  };

  CM.control("measure", function (ctx) {
    control("topleft", "cm-measure", function (node, map) {
      var button = iconButton(
        "M2.5 13.5 13.5 2.5l4 4-11 11z M6 10l1.8 1.8 M8.5 7.5l1.8 1.8 M11 5l1.8 1.8",
        "Measure a distance: click points on the map; click here again to stop"
      );
      node.appendChild(button);
      var points = [];
      var line = L.polyline([], { color: "#111111", weight: 2, dashArray: "6 4", interactive: false });
      var marks = L.layerGroup();
      var readout = L.tooltip({ permanent: true, direction: "right", className: "cm-measure-tip" });
      var active = false;
      function total() {
        var m = 0;
        for (var i = 1; i < points.length; i++) m += CM.geodesicM(points[i - 1], points[i]);
        return m / 1000;
      }
      function onClick(event) {
        points.push(event.latlng);
        line.setLatLngs(points);
        L.circleMarker(event.latlng, { radius: 3, color: "#111111", interactive: false }).addTo(marks);
        readout.setLatLng(event.latlng).setContent(CM.el("span", null, CM.km(total())));
        if (!map.hasLayer(readout)) readout.addTo(map);
      }
      button.addEventListener("click", function () {
        active = !active;
        node.classList.toggle("cm-active", active);
        map.getContainer().classList.toggle("cm-measuring", active);
        if (active) {
          points = [];
          line.setLatLngs([]).addTo(map);
          marks.clearLayers().addTo(map);
          map.on("click", onClick);
          map.doubleClickZoom.disable();
        } else {
          map.off("click", onClick);
          map.doubleClickZoom.enable();
          map.removeLayer(line);
          map.removeLayer(marks);
          map.removeLayer(readout);
        }
      });
      ctx.measure = { total: total, points: function () { return points; } };
    });
  });

  CM.control("fullscreen", function () {
    control("topleft", "cm-fullscreen", function (node) {
      var button = iconButton("M3 8V3h5 M12 3h5v5 M17 12v5h-5 M8 17H3v-5", "Full screen");
      button.addEventListener("click", function () {
        if (document.fullscreenElement) document.exitFullscreen();
        else document.documentElement.requestFullscreen();
      });
      node.appendChild(button);
    });
  });

  /* An overview map, drawn after the first frame: the countries and the view. */
  CM.control("minimap", function (ctx) {
    control("bottomright", "cm-minimap", function (node, map) {
      CM.later(function () {
        var mini = L.map(node, {
          attributionControl: false,
          zoomControl: false,
          dragging: false,
          scrollWheelZoom: false,
          doubleClickZoom: false,
          boxZoom: false,
          keyboard: false,
          touchZoom: false,
          renderer: L.svg({ padding: 0 }),
        });
        mini.setView(map.getCenter(), Math.max(map.getZoom() - 4, 0), { animate: false });
        CM.polygons(CM.readBlock("countries").features, {
          base: { interactive: false },
          style: { color: "#9aa0a6", weight: 0.5, fillColor: "#f4f2ec", fillOpacity: 1 },
        }).addTo(mini);
        var view = L.rectangle(map.getBounds(), { color: "#d55e00", weight: 1.5, fillOpacity: 0.1, interactive: false }).addTo(mini);
        function sync() {
          mini.setView(map.getCenter(), Math.max(map.getZoom() - 4, 0), { animate: false });
          view.setBounds(map.getBounds());
        }
        mini.on("click", function (event) { map.panTo(event.latlng); });
        map.on("moveend zoomend", sync);
        sync();
        ctx.minimap = mini;
      });
    });
  });
})();
