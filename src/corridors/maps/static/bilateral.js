/* corridors map pages: the partners' trade choropleth and profile cards (atlas), and the
 * bilateral context of the partners a corridor reaches (corridor pages). Text only. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  function usd(value) {
    if (value === null || value === undefined) return "not stated";
    return "US$ " + CM.number(value, 2) + " million";
  }

  function sourced(parent, ctx, text, keys, title) {
    var item = CM.el("li", null, text);
    var list = CM.sourceList(ctx, String(keys || "").split("; ").filter(Boolean), 0);
    if (title) item.title = title;
    item.appendChild(list);
    parent.appendChild(item);
    return item;
  }

  function heading(card, text) {
    card.appendChild(CM.el("h4", null, text));
    return card.appendChild(CM.el("ul"));
  }

  function tradeText(t) {
    var parts = [
      t.period === "unstated" ? "Period not stated" : t.period,
      "exports " + usd(t.exports_usd_m),
      "imports " + usd(t.imports_usd_m),
    ];
    if (t.total_usd_m !== null) parts.push("total stated " + usd(t.total_usd_m));
    if (t.sum_usd_m !== null) parts.push("exports + imports " + usd(t.sum_usd_m));
    if (t.balance_usd_m !== null) parts.push("balance " + usd(t.balance_usd_m));
    return parts.join("; ") + " (agency: " + t.agency + "; basis: " + t.basis + ")";
  }

  function mechanismText(m) {
    var parts = [];
    if (m.sessions_held !== null) parts.push(m.sessions_held + " sessions held");
    if (m.latest_date) {
      var latest = (m.latest_session !== null ? "session " + m.latest_session : "latest session") +
        " on " + CM.dateText(m.latest_date);
      if (m.latest_date_end) latest += " to " + CM.dateText(m.latest_date_end);
      if (m.latest_place) latest += " in " + m.latest_place;
      parts.push(latest);
    }
    return parts.length ? m.name + ": " + parts.join("; ") : m.name;
  }

  function visitText(v) {
    var text = CM.dateText(v.date_start) + ": " + v.visitor + " to " + v.to_place;
    if (v.purpose) text += " — " + v.purpose;
    if (v.signed) text += "; signed: " + v.signed;
    return text;
  }

  function agreementText(a) {
    var text = CM.dateText(a.date) + ": " + a.title;
    if (a.count !== null && a.count > 1 && a.title.indexOf(String(a.count)) === -1) text += " (" + a.count + ")";
    return text + (a.field ? " — " + a.field : "");
  }

  function notes(parent, text, className) {
    if (text) parent.appendChild(CM.el("div", className || "cm-notes", text));
  }

  /* A partner's profile card; `pagePrefix` leads to corridor pages ("corridors/" or ""). */
  CM.profileCard = function (ctx, p, pagePrefix, limit) {
    var card = CM.el("div", "cm-card");
    card.setAttribute("data-iso3", p.iso3);
    card.appendChild(CM.el("h3", null, p.name));
    notes(card, p.official_name + " · capital " + p.capital.name, "cm-card-sub");
    var rel = heading(card, "Relations");
    var since = "Diplomatic relations established " + CM.dateText(p.relations_established.date);
    sourced(rel, ctx, since, p.relations_established.source, p.relations_established.quote);
    if (p.recognition_notes) rel.appendChild(CM.el("li", null, p.recognition_notes));

    var trade = heading(card, "Trade with Pakistan");
    p.trade.forEach(function (t) {
      var item = sourced(trade, ctx, tradeText(t), t.source, t.quote);
      notes(item, t.notes);
      if (t.flag) notes(item, "Flagged: " + t.flag, "cm-flag-text");
    });
    if (!p.trade.length) trade.appendChild(CM.el("li", null, "No trade figures in the sources."));

    var mech = heading(card, "Mechanisms");
    p.mechanisms.forEach(function (m) {
      notes(sourced(mech, ctx, mechanismText(m), m.source, m.quote), m.notes);
    });
    var visits = heading(card, "Last visits");
    p.visits.slice(0, limit).forEach(function (v) { sourced(visits, ctx, visitText(v), v.source, v.quote); });
    if (p.visits.length > limit) visits.appendChild(CM.el("li", "cm-more", "and " + (p.visits.length - limit) + " earlier"));
    var agreements = heading(card, "Agreements");
    p.agreements.slice(0, limit).forEach(function (a) { sourced(agreements, ctx, agreementText(a), a.source, a.quote); });
    if (p.agreements.length > limit) agreements.appendChild(CM.el("li", "cm-more", "and " + (p.agreements.length - limit) + " earlier"));

    var corridors = heading(card, "Corridors that serve it");
    p.corridors.forEach(function (c) {
      var item = CM.el("li");
      item.appendChild(CM.pageLink(pagePrefix + c.id + ".html", c.name));
      item.appendChild(document.createTextNode(" (" + c.role + ")"));
      item.appendChild(CM.sourceList(ctx, [c.source], 0));
      corridors.appendChild(item);
    });
    return card;
  };

  function colorOf(measure, iso3) {
    var k = measure.partner[iso3];
    return k === null || k === undefined ? measure.no_data_color : measure.colors[k];
  }

  function colorBar(node, measure) {
    node.textContent = "";
    measure.colors.forEach(function (color, i) {
      var cls = CM.el("div", "cm-colorbar-class");
      var swatch = CM.el("div", "cm-colorbar-swatch");
      swatch.style.background = color;
      CM.append(cls, [swatch, CM.el("span", null, measure.labels[i])]);
      node.appendChild(cls);
    });
    var missing = Object.keys(measure.partner).some(function (k) { return measure.partner[k] === null; });
    if (missing) {
      var none = CM.el("div", "cm-colorbar-class");
      var sw = CM.el("div", "cm-colorbar-swatch");
      sw.style.background = measure.no_data_color;
      CM.append(none, [sw, CM.el("span", null, "no data")]);
      node.appendChild(none);
    }
  }

  function pane(map, name, zIndex) {
    if (!map.getPane(name)) map.createPane(name).style.zIndex = String(zIndex);
    return name;
  }

  function periods(partners) {
    var seen = {};
    partners.forEach(function (p) {
      var t = p.trade_latest;
      var key = t ? (t.period === "unstated" ? "period not stated (" + p.name + ")" : t.period) : "none (" + p.name + ")";
      seen[key] = true;
    });
    return Object.keys(seen).join(", ");
  }

  /* The radio group and colour bar, a control beside the legend; `restyle` is set once the
   * choropleth is drawn. */
  function tradeControl(ctx, state) {
    var Control = L.Control.extend({
      onAdd: function () {
        var node = CM.el("div", "leaflet-bar cm-control cm-trade");
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        node.appendChild(CM.el("div", "cm-trade-title", "Trade with Pakistan, US$ million"));
        var bar = CM.el("div", "cm-colorbar");
        state.measures.forEach(function (measure) {
          var label = CM.el("label");
          var radio = CM.el("input");
          radio.type = "radio";
          radio.name = "cm-trade-measure";
          radio.value = measure.key;
          radio.checked = measure.key === state.current.key;
          radio.addEventListener("change", function () {
            if (!radio.checked) return;
            state.current = measure;
            colorBar(bar, measure);
            if (state.restyle) state.restyle();
          });
          CM.append(label, [radio, document.createTextNode(" " + measure.label)]);
          node.appendChild(label);
        });
        colorBar(bar, state.current);
        node.appendChild(bar);
        node.appendChild(CM.el("div", "cm-trade-note",
          "Fisher–Jenks classes of the six partners; period: " + periods(state.partners) +
          ". Click a partner for its profile."));
        return node;
      },
    });
    return new Control({ position: "bottomleft" }).addTo(ctx.map);
  }

  /* Before the map is fitted: the trade control (it takes room on the left), and room for
   * the names of partners beside the corridors (a name is about 3° wide at the atlas's zoom). */
  function setup(ctx, data) {
    var state = { measures: data.measures, current: data.measures[0], partners: data.partners, restyle: null };
    ctx.bilateral = { state: state, paths: {}, layer: null };
    tradeControl(ctx, state);
    var partners = {};
    data.partners.forEach(function (p) { partners[p.iso3] = true; });
    var south = ctx.bounds.getSouth(), north = ctx.bounds.getNorth();
    CM.readBlock("countries").features.forEach(function (f) {
      var label = f.properties.label;
      if (!partners[f.properties.iso3] || !label || label[1] < south || label[1] > north) return;
      ctx.bounds.extend([[label[1], label[0] - 1.5], [label[1], label[0] + 1.5]]);
    });
  }

  CM.layer("bilateral", function (ctx, data) {
    CM.addSources(ctx, data.sources);
    var map = ctx.map;
    pane(map, "cm-points", 620);
    var byCode = {};
    data.partners.forEach(function (p) { byCode[p.iso3] = p; });
    var state = ctx.bilateral.state;
    var countries = CM.readBlock("countries");
    var features = countries.features.filter(function (f) { return byCode[f.properties.iso3]; });
    var paths = ctx.bilateral.paths;
    function popup(iso3) {
      return function () {
        var node = CM.el("div", "cm-partner-popup");
        node.appendChild(CM.profileCard(ctx, byCode[iso3], "corridors/", 3));
        return node;
      };
    }
    // Drawn by the basemap's renderer, above the countries (layers.js keeps them underneath).
    var choropleth = CM.polygons(features, {
      base: {
        pane: ctx.basemapRenderer ? ctx.basemapRenderer.options.pane : "overlayPane",
        renderer: ctx.basemapRenderer || L.svg(),
        color: "#555555",
        weight: 1,
        fillOpacity: 0.75,
      },
      style: function (feature) { return { fillColor: colorOf(state.current, feature.properties.iso3) }; },
      each: function (feature, layer) {
        var iso3 = feature.properties.iso3;
        paths[iso3] = layer;
        layer.bindTooltip(CM.el("strong", null, byCode[iso3].name), { sticky: true });
        layer.bindPopup(popup(iso3), { maxWidth: 380 });
      },
    });
    // The capitals' markers are made just after the first frame, like the other points.
    var capitals = L.layerGroup();
    CM.later(function () { data.partners.forEach(function (p) {
      var icon = L.divIcon({ className: "cm-capital-icon", html: CM.el("span", "cm-capital-mark"), iconSize: [12, 12] });
      var marker = L.marker([p.capital.lat, p.capital.lon], { icon: icon, pane: "cm-points", keyboard: false });
      var tip = CM.el("div", "cm-tip");
      CM.append(tip, [CM.el("strong", null, p.capital.name), CM.el("div", "cm-tip-detail", "Capital of " + p.name)]);
      marker.bindTooltip(tip, { direction: "top", offset: [0, -6] });
      marker.bindPopup(popup(p.iso3), { maxWidth: 380 });
      marker.addTo(capitals);
      ctx.search.push({
        kind: "capital",
        label: p.capital.name,
        terms: "capital of " + p.name,
        latlng: [p.capital.lat, p.capital.lon],
        marker: marker,
        open: function () { openPartner(p.iso3, marker, [p.capital.lat, p.capital.lon]); },
      });
    }); });
    // A partner is found by the search as itself, not as the country of the same name.
    function openPartner(iso3, layer, at) {
      if (map.hasLayer(layer)) layer.openPopup(at);
      else L.popup({ maxWidth: 380 }).setLatLng(at).setContent(popup(iso3)()).openOn(map);
    }
    data.partners.forEach(function (p) {
      var entry = { kind: "partner", label: p.name, terms: p.official_name + " " + p.capital.name };
      var labelAt = countries.features.filter(function (f) { return f.properties.iso3 === p.iso3; })
        .map(function (f) { return f.properties.label; })[0];
      var at = labelAt ? [labelAt[1], labelAt[0]] : [p.capital.lat, p.capital.lon];
      entry.bounds = function () { return paths[p.iso3] ? paths[p.iso3].getBounds() : L.latLngBounds([at, at]); };
      entry.open = function () { openPartner(p.iso3, paths[p.iso3], at); };
      var same = ctx.search.filter(function (e) { return e.kind === "country" && e.iso3 === p.iso3; })[0];
      if (same) ctx.search.splice(ctx.search.indexOf(same), 1, entry);
      else ctx.search.push(entry);
    });
    state.restyle = function () {
      choropleth.eachLayer(function (layer) {
        layer.setStyle({ fillColor: colorOf(state.current, layer.feature.properties.iso3) });
      });
    };
    var group = { key: "bilateral", title: "Partners of Pakistan" };
    CM.addOverlay(ctx, group, { label: "Trade with Pakistan", layer: choropleth });
    CM.addOverlay(ctx, group, { label: "Partner capitals", layer: capitals });
    ctx.bilateral.layer = choropleth;
  }, { setup: setup });

  CM.layer("bilateral_context", function (ctx, data) {
    CM.addSources(ctx, data.sources);
    // Below the facts, which the panel finishes just after the first frame (panel.js).
    CM.later(function () { contextSection(ctx, data); });
  });

  function contextSection(ctx, data) {
    var section = CM.panelSection(ctx, "Partners it serves", "cm-bilateral-context");
    if (!data.partners.length) {
      section.appendChild(CM.el("p", "cm-notes", "No partner in the bilateral tables is linked to this corridor."));
    }
    data.partners.forEach(function (p) {
      section.appendChild(CM.profileCard(ctx, p, "", 2));
    });
  }
})();
