/* corridors map pages: the basemap, corridor segments, places and border crossings. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  function pane(map, name, zIndex) {
    if (!map.getPane(name)) map.createPane(name).style.zIndex = String(zIndex);
    return name;
  }

  function countryName(ctx, iso3) {
    return ctx.config.country_names[iso3] || iso3;
  }

  /* Tooltips and popups get an element, never a string (Leaflet parses strings as HTML). */
  function textTip(title, detail) {
    var node = CM.el("div", "cm-tip");
    node.appendChild(CM.el("strong", null, title));
    if (detail) node.appendChild(CM.el("div", "cm-tip-detail", detail));
    return node;
  }

  CM.layer("tiles", function (ctx, data) {
    if (!data) return;
    var layer = L.tileLayer(data.url, {
      attribution: data.attribution,
      maxZoom: data.max_zoom,
      opacity: 0.85,
    });
    CM.addOverlay(ctx, { key: "base", title: "Base map" }, { label: data.name, layer: layer });
  });

  CM.layer("countries", function (ctx, data) {
    var map = ctx.map;
    // The map is the page's main landmark, named (the side panel is a complementary one).
    map.getContainer().setAttribute("role", "main");
    map.getContainer().setAttribute("aria-label", "Map: " + document.title);
    pane(map, "cm-countries", 250);
    pane(map, "cm-labels", 450);
    var tiles = !!ctx.config.tiles;
    // One SVG renderer draws the countries, each one path; the partners' choropleth
    // (bilateral.js) shares it.
    var renderer = L.svg({ pane: "cm-countries", padding: 0.25 });
    ctx.basemapRenderer = renderer;
    var polygons = CM.polygons(data.features, {
      base: { pane: "cm-countries", renderer: renderer, interactive: false },
      style: function (feature) {
        var p = feature.properties;
        return {
          color: "#6b7079",
          weight: p.disputed ? 1 : 0.8,
          dashArray: p.disputed ? "4 3" : null,
          fillColor: p.on_route ? "#fbf8ef" : "#eceae4",
          fillOpacity: tiles ? 0.25 : 1,
        };
      },
    });
    // The names are placed just after the first frame, and thinned out in the same step.
    var labels = L.layerGroup();
    function placeLabels() {
      data.features.forEach(function (feature) {
        var p = feature.properties;
        if (!p.label || p.disputed) return;
        var span = CM.el("span", "cm-country-label", p.name);
        span.setAttribute("data-rank", p.on_route ? "0" : "1");
        var icon = L.divIcon({ className: "cm-country-icon", html: span, iconSize: null });
        L.marker([p.label[1], p.label[0]], {
          icon: icon,
          pane: "cm-labels",
          interactive: false,
          keyboard: false,
        }).addTo(labels);
      });
    }
    // The renderer draws in the order layers were added: keep the countries under the choropleth.
    polygons.on("add", function () { polygons.bringToBack(); });
    var group = L.layerGroup([polygons, labels]);
    CM.addOverlay(ctx, { key: "base", title: "Base map" }, { label: "Countries", layer: group });
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    // The search finds the countries the map names; a chosen one lists the corridors in it.
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (!p.label || p.disputed) return;
      var box = feature.bbox;
      ctx.search.push({
        kind: "country",
        label: p.name,
        iso3: p.iso3,
        bounds: function () { return L.latLngBounds([box[1], box[0]], [box[3], box[2]]); },
        open: function () {
          var names = [];
          Object.keys(ctx.segments).forEach(function (id) {
            var s = ctx.segments[id].properties;
            var name = ctx.config.corridors[s.corridor_id].name;
            if (s.countries.indexOf(p.iso3) !== -1 && names.indexOf(name) === -1) names.push(name);
          });
          var detail = names.length ? "Corridors: " + names.join(", ") : "No corridor of this page crosses it";
          CM.pointPopup(ctx, [p.label[1], p.label[0]], textTip(p.name, detail));
        },
      });
    });
    // Names of countries on a route first; a name that would overlap one placed before it,
    // or a control, is hidden (after the first frame, then after each move).
    function tidy() {
      var container = map.getContainer();
      declutter(".cm-country-label", container.querySelectorAll(".leaflet-control"), container);
    }
    CM.later(function () {
      placeLabels();
      tidy();
    });
    var pending = null;
    map.on("moveend", function () {
      // After the frame that shows the new view, not in it.
      clearTimeout(pending);
      pending = setTimeout(tidy, 50);
    });
  });

  /* The status row of a popup: today's, or, when the timeline's slider is on an earlier
   * year, the status at the end of that year (timeline.js) with today's beside it. */
  function statusRow(ctx, props) {
    var today = CM.label(ctx.style.status, props.status);
    var segment = ctx.segments[props.segment_id];
    var step = segment && segment.asOf;
    if (!ctx.timeline || ctx.timeline.today || !step) return ["Status", today + " (today)"];
    var then = { not_yet: "not yet on record", unknown: "date unknown" }[step.status] ||
      CM.label(ctx.style.status, step.status);
    var when = step.status === "unknown" ? "" : " at the end of the year";
    return ["Status in " + ctx.timeline.year, then + when + "; today " + today, step.why];
  }

  // Hours and USD per 20-t load end to end, central with the low-high range (CPMM model).
  function travelRow(travel) {
    if (!travel) return null;
    var range = function (lo, mid, hi, unit) {
      return CM.number(mid, 0) + " " + unit + " (" + CM.number(lo, 0) + "\u2013" + CM.number(hi, 0) + ")";
    };
    return [
      "Time, cost",
      range(travel[0], travel[1], travel[2], "h") + ", " + range(travel[3], travel[4], travel[5], "USD"),
      "per 20-t load, end to end; CAREC CPMM speeds, border and transshipment figures",
    ];
  }

  function segmentPopup(ctx, props) {
    var corridor = ctx.config.corridors[props.corridor_id];
    var node = CM.el("div", "cm-popup");
    var head = CM.el("div", "cm-popup-corridor");
    if (ctx.config.page === "atlas") {
      head.appendChild(CM.pageLink(corridor.page, corridor.name));
    } else {
      head.textContent = corridor.name;
    }
    node.appendChild(head);
    node.appendChild(CM.el("div", "cm-popup-title", props.name));
    var style = ctx.style;
    node.appendChild(
      CM.el(
        "div",
        "cm-popup-meta",
        [
          CM.label(style.mode, props.mode),
          CM.label(style.accuracy, props.route_accuracy),
          props.role === "main" ? null : props.role + " alignment",
        ]
          .filter(Boolean)
          .join(" · ")
      )
    );
    var facts = CM.el("dl", "cm-facts");
    var rows = [
      statusRow(ctx, props),
      ["Measured", CM.km(props.length_km) + " (this segment, geodesic)"],
      travelRow(props.travel),
      ["Corridor", CM.km(corridor.measured_km) + " measured, main route"],
      ["Official", corridor.official || "no official length"],
      ["Countries", props.countries.map(function (c) { return countryName(ctx, c); }).join(" – ")],
    ];
    rows.filter(Boolean).forEach(function (row) {
      var value = CM.el("dd", null, row[1]);
      if (row[2]) value.appendChild(CM.el("div", "cm-tip-detail", row[2]));
      CM.append(facts, [CM.el("dt", null, row[0]), value]);
    });
    node.appendChild(facts);
    if (props.notes) node.appendChild(CM.el("p", "cm-notes", props.notes));
    node.appendChild(CM.el("div", "cm-sources-title", "Sources"));
    node.appendChild(CM.sourceList(ctx, props.sources, 4));
    return node;
  }

  /* Distance in pixels from container point `at` to a polyline's `latlngs` (nested for a
   * MultiLineString), as drawn on the map now. */
  function pixelDistance(map, latlngs, at) {
    if (!latlngs.length) return Infinity;
    if (!(latlngs[0] instanceof L.LatLng)) {
      return Math.min.apply(null, latlngs.map(function (part) { return pixelDistance(map, part, at); }));
    }
    var best = Infinity;
    var previous = map.latLngToContainerPoint(latlngs[0]);
    for (var i = 1; i < latlngs.length; i++) {
      var point = map.latLngToContainerPoint(latlngs[i]);
      best = Math.min(best, L.LineUtil.pointToSegmentDistance(at, previous, point));
      previous = point;
    }
    return best;
  }

  /* The segments on the map whose line passes within the hit tolerance (half the hit line's
   * width) of container point `at`, nearest first: a geometric test, so that lines drawn over
   * each other are all found, whichever hit path lies on top. */
  CM.segmentsAt = function (ctx, at) {
    var map = ctx.map;
    var reach = ctx.style.hit_weight / 2;
    var found = [];
    Object.keys(ctx.segments).forEach(function (id) {
      var segment = ctx.segments[id];
      if (!segment.hit || !map.hasLayer(segment.hit)) return;
      var box = segment.hit.getBounds();
      var nw = map.latLngToContainerPoint(box.getNorthWest());
      var se = map.latLngToContainerPoint(box.getSouthEast());
      if (at.x < nw.x - reach || at.x > se.x + reach || at.y < nw.y - reach || at.y > se.y + reach) return;
      var distance = pixelDistance(map, segment.hit.getLatLngs(), at);
      if (distance <= reach) found.push({ segment: segment, distance: distance, id: id });
    });
    found.sort(function (a, b) { return a.distance - b.distance || (a.id < b.id ? -1 : 1); });
    return found.map(function (f) { return f.segment; });
  };

  /* A click on segment `clicked`'s hit line: its popup, or, when other lines lie under the
   * pointer too, a popup listing them all (a button per segment, naming it and its corridor);
   * choosing one opens that segment's popup at the same place. */
  CM.chooseAmong = function (ctx, event, clicked) {
    L.DomEvent.stop(event);
    var here = CM.segmentsAt(ctx, event.containerPoint);
    if (here.indexOf(clicked) === -1) here.unshift(clicked);
    if (here.length < 2) {
      clicked.hit.openPopup(event.latlng);
      return;
    }
    var node = CM.el("div", "cm-popup cm-choose");
    node.appendChild(CM.el("div", "cm-popup-title", here.length + " lines here: choose one"));
    var list = CM.el("ul", "cm-choose-list");
    list.style.listStyle = "none";
    list.style.padding = "0";
    list.style.margin = "6px 0 0";
    var chooser = L.popup({ maxWidth: 340, className: "cm-choose-popup" });
    here.forEach(function (segment) {
      var p = segment.properties;
      var corridor = ctx.config.corridors[p.corridor_id];
      var button = CM.el("button", "cm-choose-option");
      button.type = "button";
      button.setAttribute("data-segment", p.segment_id);
      button.style.display = "block";
      button.style.width = "100%";
      button.style.textAlign = "left";
      button.style.margin = "0 0 4px";
      button.style.cursor = "pointer";
      var detail = CM.el("span", "cm-tip-detail", (corridor ? corridor.name : p.corridor_id) + " · " +
        CM.label(ctx.style.mode, p.mode));
      detail.style.display = "block";
      CM.append(button, [CM.el("strong", null, p.name), detail]);
      button.addEventListener("click", function () {
        ctx.map.closePopup(chooser);
        segment.hit.openPopup(event.latlng);
      });
      list.appendChild(CM.append(CM.el("li"), [button]));
    });
    node.appendChild(list);
    chooser.setLatLng(event.latlng).setContent(node).openOn(ctx.map);
  };

  CM.layer("segments", function (ctx, data) {
    var map = ctx.map;
    pane(map, "cm-casings", 390);
    pane(map, "cm-hits", 410);
    var groups = {};
    var order = [];
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var style = CM.lineStyle(ctx.style, p);
      var line = new CM.Shape(feature, L.extend({ interactive: false }, style), data.origin);
      var segment = { line: line, hit: null, properties: p };
      function makeHit() {
        var deep = feature.geometry.type === "MultiLineString" ? 1 : 0;
        var latlngs = L.GeoJSON.coordsToLatLngs(feature.geometry.coordinates, deep);
        var hit = L.polyline(latlngs, {
          color: style.color,
          weight: ctx.style.hit_weight,
          opacity: 0,
          pane: "cm-hits",
          className: "cm-hit",
        });
        hit.bindTooltip(function () { return textTip(p.name, CM.label(ctx.style.mode, p.mode)); }, {
          sticky: true,
        });
        hit.bindPopup(function () { return segmentPopup(ctx, p); }, { maxWidth: 340 });
        // A click asks which line is meant when others lie under the pointer too (CM.chooseAmong).
        hit.off("click", hit._openPopup, hit);
        hit.on("click", function (e) { CM.chooseAmong(ctx, e, segment); });
        hit.on("mouseover", function () {
          line.setStyle({ weight: style.weight + 3, opacity: 1 });
          line.bringToFront();
        });
        hit.on("mouseout", function () {
          line.setStyle({ weight: style.weight, opacity: style.opacity });
        });
        segment.hit = hit;
        return hit;
      }
      var key = p.mode + "/" + p.corridor_id;
      if (!groups[key]) {
        groups[key] = { mode: p.mode, corridor: p.corridor_id, lines: L.featureGroup(), hits: [], casings: {} };
        order.push(key);
      }
      var casings = groups[key].casings;
      (casings[style.weight] = casings[style.weight] || []).push(feature);
      groups[key].lines.addLayer(line);
      groups[key].hits.push(makeHit);
      ctx.segments[p.segment_id] = segment;
    });
    // A white casing lies under the lines, one path for the lines of a group drawn at the
    // same weight; the wide hit lines lie above them (panes). The hit lines, invisible, are
    // made and join their groups just after the first frame (ctx.segments[id].hit is null
    // until then).
    order.forEach(function (key) {
      var g = groups[key];
      Object.keys(g.casings).sort().forEach(function (weight) {
        var features = g.casings[weight];
        var box = features.reduce(function (b, f) {
          return [Math.min(b[0], f.bbox[0]), Math.min(b[1], f.bbox[1]), Math.max(b[2], f.bbox[2]), Math.max(b[3], f.bbox[3])];
        }, features[0].bbox);
        var joined = { path: features.map(function (f) { return f.path; }).join(""), bbox: box };
        g.lines.addLayer(new CM.Shape(joined, {
          color: "#ffffff",
          weight: Number(weight) + 3,
          opacity: 0.85,
          fill: false,
          interactive: false,
          pane: "cm-casings",
          className: "cm-casing",
        }, data.origin));
      });
      var mode = ctx.style.mode[g.mode];
      var corridor = ctx.config.corridors[g.corridor];
      CM.addOverlay(
        ctx,
        { key: "mode:" + g.mode, title: mode.label, color: mode.color },
        { label: corridor.name, layer: g.lines }
      );
    });
    CM.later(function () {
      order.forEach(function (key) {
        groups[key].hits.forEach(function (makeHit) { groups[key].lines.addLayer(makeHit()); });
      });
    });
    data.features.forEach(function (feature) {
      ctx.segments[feature.properties.segment_id].anchor = anchorOf(feature);
    });
    var ids = Object.keys(ctx.config.corridors).filter(function (id) {
      return order.some(function (k) { return groups[k].corridor === id; });
    });
    ids.forEach(function (id) {
      ctx.search.push({
        kind: "corridor",
        label: ctx.config.corridors[id].name,
        bounds: function () { return corridorBounds(ctx, id); },
        open: function () { openCorridorPopup(ctx, id); },
      });
    });
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var corridor = ctx.config.corridors[p.corridor_id];
      ctx.search.push({
        kind: "segment",
        label: p.name,
        terms: [corridor ? corridor.name : "", CM.label(ctx.style.mode, p.mode)].join(" "),
        bounds: function () { return ctx.segments[p.segment_id].line.getBounds(); },
        maxZoom: 9,
        open: function () { openSegmentPopup(ctx, p.segment_id); },
      });
    });
    // The atlas's panel lists every corridor and its segments (corridor pages list their
    // segments in the panel's own table, panel.js).
    if (ctx.config.page === "atlas") CM.later(function () { featureList(ctx, ids); });
  }, { setup: function (ctx) { if (ctx.config.page === "atlas" && CM.sidePanel) CM.sidePanel(ctx); } });

  /* Accessibility: every corridor and segment can be reached without a pointer, from a list
   * of buttons in the panel (and from the search); a button fits the map to its shape and
   * opens the same facts as a click on the line, in a popup that takes the focus. */

  /* A point on the line, where its popup opens: the middle vertex of its longest part. */
  function anchorOf(feature) {
    var g = feature.geometry;
    var parts = g.type === "MultiLineString" ? g.coordinates : [g.coordinates];
    var part = parts.reduce(function (a, b) { return b.length > a.length ? b : a; }, parts[0]);
    var c = part[Math.floor(part.length / 2)];
    return L.latLng(c[1], c[0]);
  }

  function segmentsOf(ctx, corridorId) {
    return Object.keys(ctx.segments)
      .map(function (id) { return ctx.segments[id]; })
      .filter(function (s) { return s.properties.corridor_id === corridorId; });
  }

  function corridorBounds(ctx, corridorId) {
    var bounds = L.latLngBounds([]);
    segmentsOf(ctx, corridorId).forEach(function (s) { bounds.extend(s.line.getBounds()); });
    return bounds;
  }

  function openSegmentPopup(ctx, id) {
    var segment = ctx.segments[id];
    if (segment.hit && ctx.map.hasLayer(segment.hit)) {
      segment.hit.openPopup(segment.anchor);
      return;
    }
    L.popup({ maxWidth: 340 }).setLatLng(segment.anchor)
      .setContent(segmentPopup(ctx, segment.properties)).openOn(ctx.map);
  }

  /* A corridor's popup: what the config says of it and what its segments add up to. */
  function corridorPopup(ctx, corridorId) {
    var corridor = ctx.config.corridors[corridorId];
    var segments = segmentsOf(ctx, corridorId);
    var modes = [], countries = [];
    segments.forEach(function (s) {
      var label = CM.label(ctx.style.mode, s.properties.mode);
      if (modes.indexOf(label) === -1) modes.push(label);
      s.properties.countries.forEach(function (c) {
        var name = countryName(ctx, c);
        if (countries.indexOf(name) === -1) countries.push(name);
      });
    });
    var node = CM.el("div", "cm-popup");
    node.appendChild(CM.el("div", "cm-popup-corridor", "Corridor"));
    node.appendChild(CM.el("div", "cm-popup-title", corridor.name));
    node.appendChild(CM.el("div", "cm-popup-meta", modes.join(" · ")));
    var facts = CM.el("dl", "cm-facts");
    [
      ["Measured", CM.km(corridor.measured_km) + " measured, main route"],
      ["Official", corridor.official || "no official length"],
      ["Segments", String(segments.length)],
      ["Countries", countries.join(", ")],
    ].forEach(function (row) {
      CM.append(facts, [CM.el("dt", null, row[0]), CM.el("dd", null, row[1])]);
    });
    node.appendChild(facts);
    if (ctx.config.page === "atlas") {
      node.appendChild(CM.pageLink(corridor.page, "Open the page of " + corridor.name));
    }
    return node;
  }

  function openCorridorPopup(ctx, corridorId) {
    var segments = segmentsOf(ctx, corridorId);
    var main = segments.filter(function (s) { return s.properties.role === "main"; });
    var pick = (main.length ? main : segments)[Math.floor((main.length || segments.length) / 2)];
    L.popup({ maxWidth: 340 }).setLatLng(pick.anchor).setContent(corridorPopup(ctx, corridorId)).openOn(ctx.map);
  }

  /* A button that fits the map to segment `id` and opens its facts. */
  CM.segmentButton = function (ctx, id, text, detail) {
    var segment = ctx.segments[id];
    var button = CM.el("button", "cm-list-button", text);
    button.type = "button";
    button.setAttribute("aria-haspopup", "dialog");
    if (detail) button.appendChild(CM.el("span", "cm-list-detail", " " + detail));
    button.addEventListener("click", function () {
      CM.fitVisible(ctx, segment.line.getBounds(), { maxZoom: 9 });
      openSegmentPopup(ctx, id);
    });
    return button;
  };

  function featureList(ctx, ids) {
    var panel = document.getElementById("cm-panel");
    if (!panel) return;
    var section = CM.el("section", "cm-panel-section cm-feature-list");
    section.id = "cm-features";
    section.appendChild(CM.el("h2", null, "Corridors and segments"));
    var list = CM.el("ul", "cm-list");
    ids.forEach(function (id) {
      var corridor = ctx.config.corridors[id];
      var item = CM.el("li");
      var button = CM.el("button", "cm-list-button cm-list-corridor", corridor.name);
      button.type = "button";
      button.setAttribute("aria-haspopup", "dialog");
      button.addEventListener("click", function () {
        CM.fitVisible(ctx, corridorBounds(ctx, id), {});
        openCorridorPopup(ctx, id);
      });
      item.appendChild(button);
      // Its segments fold under a disclosure (a native <details>), so the list stays short.
      var segments = segmentsOf(ctx, id);
      var more = CM.el("details", "cm-list-segments");
      more.appendChild(CM.el("summary", null, segments.length + (segments.length === 1 ? " segment" : " segments")));
      var sub = more.appendChild(CM.el("ul", "cm-list"));
      segments.forEach(function (s) {
        var p = s.properties;
        var detail = CM.label(ctx.style.mode, p.mode) + " · " + CM.label(ctx.style.status, p.status);
        sub.appendChild(CM.el("li")).appendChild(CM.segmentButton(ctx, p.segment_id, p.name, detail));
      });
      item.appendChild(more);
      list.appendChild(item);
    });
    section.appendChild(list);
    var title = panel.querySelector("h1");
    panel.insertBefore(section, title ? title.nextSibling : panel.firstChild);
  }

  function placeTip(ctx, p) {
    var detail = [p.kind.replace(/_/g, " "), countryName(ctx, p.iso3)].join(", ");
    var tip = textTip(p.name, detail);
    (p.chainage || []).forEach(function (c) {
      var at = "km " + CM.km(c.km).replace(" km", "") + " of " + c.segment;
      if (c.corridor_km !== null) at += " (km " + CM.km(c.corridor_km).replace(" km", "") + " of the main route)";
      tip.appendChild(CM.el("div", "cm-tip-detail", at));
    });
    return tip;
  }

  CM.layer("places", function (ctx, data) {
    var map = ctx.map;
    pane(map, "cm-points", 620);
    var group = L.layerGroup();
    var labelled = ctx.config.page === "corridor";
    // The markers (one SVG node, tooltip and label each) are made just after the first
    // frame; the search entries keep their order and get their marker then.
    var entries = data.features.map(function (feature) {
      var p = feature.properties;
      var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var entry = { kind: "place", label: p.name, latlng: ll, marker: null };
      entry.terms = [p.kind.replace(/_/g, " "), countryName(ctx, p.iso3)].join(" ");
      entry.open = function () { CM.pointPopup(ctx, ll, placeTip(ctx, p)); };
      ctx.search.push(entry);
      return entry;
    });
    CM.addOverlay(ctx, { key: "points", title: "Points" }, { label: "Places", layer: group });
    CM.later(function () { data.features.forEach(function (feature, i) {
      var p = feature.properties;
      var ll = entries[i].latlng;
      var style = ctx.style.place[p.kind === "capital" ? "capital" : "place"];
      var marker = L.circleMarker(ll, {
        pane: "cm-points",
        radius: style.radius,
        color: "#222222",
        weight: 1.5,
        fillColor: style.fill,
        fillOpacity: 1,
        className: "cm-place",
      });
      marker.bindTooltip(function () { return placeTip(ctx, p); }, { direction: "top", offset: [0, -4] });
      if (labelled) {
        var text = p.name;
        var along = (p.chainage || []).filter(function (c) { return c.corridor_km !== null; });
        if (along.length) text += " · km " + CM.km(along[0].corridor_km).replace(" km", "");
        marker.bindPopup(function () { return placeTip(ctx, p); });
        var label = CM.el("span", "cm-waypoint-label", text);
        label.setAttribute("data-rank", p.kind === "capital" ? "0" : along.length ? "1" : "2");
        L.marker(ll, {
          pane: "cm-labels",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "cm-waypoint-icon",
            html: label,
            iconSize: null,
          }),
        }).addTo(group);
      }
      marker.addTo(group);
      entries[i].marker = marker;
    }); });
    if (labelled) {
      var tidy = function () { declutter(".cm-waypoint-label"); };
      map.on("zoomend", tidy);
      CM.later(function () { tidy(); });
    }
  });

  /* Hide labels matching `selector` that would overlap one placed before them (by rank,
   * then in order) or one of the `obstacles`; with `frame`, also those not wholly inside it. */
  function declutter(selector, obstacles, frame) {
    var placed = Array.prototype.map.call(obstacles || [], function (node) {
      return node.getBoundingClientRect();
    });
    var outer = frame ? frame.getBoundingClientRect() : null;
    var labels = Array.prototype.slice.call(document.querySelectorAll(selector));
    labels.sort(function (a, b) { return a.getAttribute("data-rank") - b.getAttribute("data-rank"); });
    labels.forEach(function (label) {
      label.style.visibility = "";
      var box = label.getBoundingClientRect();
      var clash = placed.some(function (b) {
        return box.left < b.right && box.right > b.left && box.top < b.bottom && box.bottom > b.top;
      }) || (outer && (box.left < outer.left || box.right > outer.right ||
        box.top < outer.top || box.bottom > outer.bottom));
      if (clash) label.style.visibility = "hidden";
      else placed.push(box);
    });
  }

  /* A circle marker drawn as a diamond (SVG renderer), so crossings differ from places. */
  var Diamond = L.CircleMarker.extend({
    _updatePath: function () {
      var p = this._point, r = this._radius;
      var d = "M" + p.x + "," + (p.y - r) + "L" + (p.x + r) + "," + p.y + "L" + p.x + "," +
        (p.y + r) + "L" + (p.x - r) + "," + p.y + "Z";
      this._renderer._setPath(this, d);
    },
  });

  CM.layer("crossings", function (ctx, data) {
    if (!data || !data.features.length) return;
    pane(ctx.map, "cm-points", 620);
    var group = L.layerGroup();
    CM.addOverlay(ctx, { key: "points", title: "Points" }, { label: "Border crossings", layer: group });
    // Drawn just after the first frame, like the segments' hit lines.
    CM.later(function () { data.features.forEach(function (feature) {
      var p = feature.properties;
      var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var style = ctx.style.place.crossing;
      var marker = new Diamond(ll, {
        pane: "cm-points",
        radius: style.radius,
        color: "#ffffff",
        weight: 1.5,
        fillColor: style.fill,
        fillOpacity: 1,
        className: "cm-crossing",
      });
      var title = countryName(ctx, p.from_iso3) + " → " + countryName(ctx, p.to_iso3);
      var detail = p.segment + ", km " + CM.km(p.km_from_start).replace(" km", "");
      marker.bindTooltip(function () { return textTip(title, detail); }, { direction: "top", offset: [0, -4] });
      marker.addTo(group);
    }); });
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var title = countryName(ctx, p.from_iso3) + " → " + countryName(ctx, p.to_iso3);
      var detail = p.segment + ", km " + CM.km(p.km_from_start).replace(" km", "");
      ctx.search.push({
        kind: "crossing",
        label: title,
        terms: p.segment + " border",
        latlng: ll,
        open: function () { CM.pointPopup(ctx, ll, textTip(title, detail)); },
      });
    });
  });

  /* A popup at `latlng` with `content` (an element): a chosen search result's facts. */
  CM.pointPopup = function (ctx, latlng, content) {
    return L.popup({ maxWidth: 340, offset: [0, -2] }).setLatLng(latlng).setContent(content).openOn(ctx.map);
  };
})();
