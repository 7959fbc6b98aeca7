/* corridors map pages: the reach comparison routes over the corridor network (today's
 * operating links against the network once planned corridors are built) and their table. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  var COLORS = { operating: "#1a1a1a", all: "#6a3d9a" };

  function km(value) {
    return value === null || value === undefined ? "no route" : CM.km(value);
  }

  /* A table row of `tag` cells; a cell is an element, or text ("—" when empty). */
  function tableRow(tag, cells) {
    var tr = CM.el("tr");
    cells.forEach(function (cell) {
      var node = tr.appendChild(CM.el(tag));
      if (cell && cell.nodeType) node.appendChild(cell);
      else node.textContent = cell === null || cell === undefined ? "—" : String(cell);
    });
    return tr;
  }

  function table(head, rows) {
    var t = CM.el("table", "cm-panel-table cm-route-table");
    t.appendChild(CM.el("thead")).appendChild(tableRow("th", head));
    var body = t.appendChild(CM.el("tbody"));
    rows.forEach(function (row) { body.appendChild(tableRow("td", row)); });
    return t;
  }

  function routeLayer(ctx, route, legs) {
    var group = L.featureGroup();
    legs.forEach(function (feature) {
      var p = feature.properties;
      var deep = feature.geometry.type === "MultiLineString" ? 1 : 0;
      var line = L.polyline(L.GeoJSON.coordsToLatLngs(feature.geometry.coordinates, deep), {
        pane: "cm-routes",
        color: COLORS[route.links] || COLORS.all,
        weight: 4,
        opacity: 0.9,
        dashArray: p.built ? null : "8 6",
        className: "cm-route",
      });
      var tip = CM.el("div", "cm-tip");
      CM.append(tip, [
        CM.el("strong", null, route.label),
        CM.el("div", "cm-tip-detail", CM.km(p.km) + (p.built ? " built" : " not built yet")),
      ]);
      line.bindTooltip(tip, { sticky: true });
      group.addLayer(line);
    });
    return group;
  }

  /* A button that shows or hides route `entries`; `name` says what it draws (its visible
   * `label` is one word of the table), aria-pressed whether it is shown. */
  function toggleButton(ctx, entries, label, name) {
    if (!entries.length) return null;
    var button = CM.el("button", null, label);
    button.type = "button";
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var on = !button.classList.contains("cm-on");
      button.classList.toggle("cm-on", on);
      button.setAttribute("aria-pressed", String(on));
      entries.forEach(function (entry) {
        if (on) ctx.routes.shown.addLayer(entry.layer());
        else ctx.routes.shown.removeLayer(entry.layer());
      });
      if (on) {
        // The layer control's checkbox follows (controls.js listens to layeradd).
        ctx.map.addLayer(ctx.routes.shown);
        var bounds = L.latLngBounds([]);
        entries.forEach(function (entry) { bounds.extend(entry.layer().getBounds()); });
        ctx.map.fitBounds(bounds, { padding: [30, 30] });
      }
    });
    return button;
  }

  /* Hours and USD per 20-t load of a reach cell ("141 (82–204)"), "" without the model. */
  function timeCost(r, key) {
    var hours = r[key + "_hours"];
    var usd = r[key + "_usd"];
    if (hours === null || hours === undefined) return "";
    return "; " + hours + " h, " + usd + " USD";
  }

  function reachRows(ctx, data, byLabel) {
    var rows = [];
    data.reach.forEach(function (r) {
      data.ports.forEach(function (port) {
        var key = port[0];
        var name = port[1];
        if (!(key + "_planned_km" in r)) return;
        var route = r.capital + " → " + name;
        if (r.from && r.from !== r.capital) route += " (from " + r.from + ")";
        var saved = r[key + "_saved_km"];
        var shows = CM.el("span");
        var spoken = "Show " + r.capital + " to " + name;
        CM.append(shows, [
          toggleButton(ctx, byLabel(r.capital + " → " + name + ", today"), "today",
            spoken + " over today's links"),
          toggleButton(ctx, byLabel(r.capital + " → " + name + ", planned"), "planned",
            spoken + " with planned links"),
        ]);
        rows.push([
          route,
          km(r[key + "_today_km"]) + timeCost(r, key + "_today"),
          km(r[key + "_planned_km"]) + (r[key + "_planned_unbuilt"] ? ", " + r[key + "_planned_unbuilt"] + " unbuilt" : "") +
            timeCost(r, key + "_planned"),
          saved === null || saved === undefined ? "—" : CM.km(saved) + timeCost(r, key + "_saved"),
          shows,
        ]);
      });
    });
    return rows;
  }

  function railRoadRows(ctx, data, byLabel) {
    return data.rail_road.map(function (r) {
      var label = "Termez → Peshawar, " + r.mode + ", " + r.links;
      return [
        r.mode + (r.links === "all" ? " (with planned)" : " (operating)"),
        km(r.km) + (r.hours ? "; " + r.hours + " h, " + r.usd + " USD" : ""),
        r.unbuilt,
        r.border_crossings,
        toggleButton(ctx, byLabel(label), "show", "Show Termez to Peshawar by " + r.mode +
          (r.links === "all" ? " with planned links" : " over operating links")),
      ];
    });
  }

  function section(ctx) {
    return CM.panelSection(ctx, "Routes to the sea", "cm-routes-panel");
  }

  /* Made just after the first frame: the routes (their lines when first shown), the overlay
   * that holds those chosen in the panel's tables, and the tables. */
  CM.layer("routes", function (ctx, data) {
    if (!ctx.map.getPane("cm-routes")) ctx.map.createPane("cm-routes").style.zIndex = "405";
    var legsOf = data.routes.map(function () { return []; });
    data.legs.features.forEach(function (f) { legsOf[f.properties.route_index].push(f); });
    var entries = data.routes.map(function (route, i) {
      var layer = null;
      return {
        label: route.label,
        layer: function () { return layer || (layer = routeLayer(ctx, route, legsOf[i])); },
      };
    });
    var shown = L.featureGroup();
    ctx.routes = { entries: entries, shown: shown };
    CM.addOverlay(ctx, { key: "routes", title: "Network" }, { label: "Routes chosen in the panel", layer: shown });
    function byLabel(label) {
      return entries.filter(function (e) { return e.label === label; });
    }
    routesPanel(ctx, data, byLabel);
    searchPlaces(ctx, data);
  }, { later: true, setup: function (ctx) { CM.sidePanel(ctx); } });

  function lineEnds(geometry) {
    var parts = geometry.type === "MultiLineString" ? geometry.coordinates : [geometry.coordinates];
    var last = parts[parts.length - 1];
    return [parts[0][0], last[last.length - 1]];
  }

  /* The places the routes pass, the ports among them, for the search (those the page does
   * not already name): each route's legs run from one of its places to the next. */
  function searchPlaces(ctx, data) {
    var named = {};
    ctx.search.forEach(function (item) { named[CM.fold(item.label)] = true; });
    var ports = {};
    data.ports.forEach(function (port) { ports[port[1]] = true; });
    data.routes.forEach(function (route, i) {
      var legs = data.legs.features.filter(function (f) { return f.properties.route_index === i; });
      if (!route.places || legs.length !== route.places.length - 1) return;
      route.places.forEach(function (place, k) {
        if (named[CM.fold(place)]) return;
        named[CM.fold(place)] = true;
        var coords = k < legs.length ? lineEnds(legs[k].geometry)[0] : lineEnds(legs[k - 1].geometry)[1];
        var at = [coords[1], coords[0]];
        var port = !!ports[place];
        ctx.search.push({
          kind: port ? "port" : "place",
          label: place,
          terms: "route to the sea",
          latlng: at,
          open: function () {
            var tip = CM.el("div", "cm-tip");
            CM.append(tip, [
              CM.el("strong", null, place),
              CM.el("div", "cm-tip-detail", port ? "Port: routes from the partner capitals end here (Routes to the sea)" :
                "On the route " + route.label + " (Routes to the sea)"),
            ]);
            L.popup({ maxWidth: 340 }).setLatLng(at).setContent(tip).openOn(ctx.map);
          },
        });
      });
    });
  }

  function routesPanel(ctx, data, byLabel) {
    var panel = section(ctx);
    panel.appendChild(CM.el("p", "cm-notes",
      "Shortest routes from each partner capital to the ports over the corridor network (rail, road, " +
      "ferry), in geodesic km along the mapped lines: today over operating links, and once the " +
      "planned corridors are built. Mapped lines are sparse, so the km are lower bounds. Hours and " +
      "USD per 20-t load are central (low–high) from the CAREC CPMM parameters (see corridors route); " +
      "planned is the shortest route in km, not the fastest, and no seasonal closure is applied."));
    var key = CM.el("div", "cm-route-key");
    var today = CM.el("span", null, "today");
    today.style.color = COLORS.operating;
    var planned = CM.el("span", null, "with planned links");
    planned.style.color = COLORS.all;
    var unbuilt = CM.el("span", "cm-key-unbuilt", "not built yet");
    CM.append(key, [today, planned, unbuilt]);
    panel.appendChild(key);
    panel.appendChild(table(
      ["Route", "Today", "With planned", "Saved", "Show"],
      reachRows(ctx, data, byLabel)
    ));
    data.reach.forEach(function (r) {
      if (r.note) panel.appendChild(CM.el("p", "cm-notes", r.capital + ": " + r.note));
    });
    panel.appendChild(CM.el("h2", null, "Termez to Peshawar: rail against road"));
    panel.appendChild(table(["Mode", "km; hours, USD per 20-t load", "Unbuilt", "Borders", "Show"],
      railRoadRows(ctx, data, byLabel)));
  }
})();
