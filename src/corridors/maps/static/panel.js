/* corridors map pages: the side panel of facts on a corridor's own page. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  function section(panel, title) {
    var node = CM.el("section", "cm-panel-section");
    node.appendChild(CM.el("h2", null, title));
    panel.appendChild(node);
    return node;
  }

  function table(ctx, head, rows) {
    var t = CM.el("table", "cm-panel-table");
    var tr = CM.el("tr");
    head.forEach(function (h) { tr.appendChild(CM.el("th", null, h)); });
    t.appendChild(CM.el("thead")).appendChild(tr);
    var body = t.appendChild(CM.el("tbody"));
    rows.forEach(function (row) {
      var r = CM.el("tr");
      row.forEach(function (cell) {
        var td = CM.el("td");
        if (cell && cell.nodeType) td.appendChild(cell);
        else td.textContent = cell === null || cell === undefined ? "" : String(cell);
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    return t;
  }

  function sourced(ctx, parent, text, note, sources) {
    var item = CM.el("div", "cm-fact");
    item.appendChild(CM.el("div", "cm-fact-value", text));
    if (note) item.appendChild(CM.el("div", "cm-notes", note));
    if (sources && sources.length) item.appendChild(CM.sourceList(ctx, sources, 0));
    parent.appendChild(item);
  }

  CM.layer("facts", function (ctx, facts) {
    var style = ctx.style;
    document.body.classList.add("cm-with-panel");
    var panel = CM.el("aside", "cm-panel");
    panel.id = "cm-panel";
    panel.appendChild(CM.pageLink("../index.html", "\u2190 All corridors")).className = "cm-back";
    // A complementary landmark named by its title (the map is the page's main region).
    panel.appendChild(CM.el("h1", null, facts.name)).id = "cm-panel-title";
    panel.setAttribute("aria-labelledby", "cm-panel-title");
    if (facts.long_name && facts.long_name !== facts.name) {
      panel.appendChild(CM.el("div", "cm-subtitle", facts.long_name));
    }
    panel.appendChild(CM.el("p", "cm-summary", facts.summary));

    var key = section(panel, "Key facts");
    var dl = CM.el("dl", "cm-facts");
    [
      ["Mode", facts.modes.map(function (m) { return CM.label(style.mode, m); }).join(", ")],
      ["Status", CM.label(style.status, facts.status)],
      ["Parties", facts.parties.join(", ")],
      ["Countries", facts.countries.join(" – ")],
      ["Measured", CM.km(facts.measured_km) + " (main route, geodesic)"],
    ].forEach(function (row) {
      CM.append(dl, [CM.el("dt", null, row[0]), CM.el("dd", null, row[1])]);
    });
    key.appendChild(dl);
    if (facts.status_note) key.appendChild(CM.el("p", "cm-notes", facts.status_note));

    document.body.appendChild(panel);
    CM.panelSheet(ctx, panel, "Corridor facts and sources");
    // The first screenful goes into the first frame; the rest of the panel is made just
    // after it, in order, below what is already shown.
    var lengths = section(panel, "Length: measured vs official");
    function lengthItem(row) {
      var item = CM.el("div", "cm-length");
      item.appendChild(CM.el("div", "cm-length-scope", row.scope));
      var figures = CM.el("div", "cm-length-figures");
      CM.append(figures, [
        CM.el("span", "cm-official", "Official " + row.official),
        CM.el("span", "cm-measured", "measured " + CM.km(row.measured_km)),
      ]);
      item.appendChild(figures);
      if (row.flag) item.appendChild(CM.el("div", "cm-flag", row.flag));
      if (row.note) item.appendChild(CM.el("div", "cm-notes", row.note));
      item.appendChild(CM.sourceList(ctx, row.sources, 0));
      lengths.appendChild(item);
    }
    facts.lengths.slice(0, FIRST_LENGTHS).forEach(lengthItem);
    CM.later(function () { rest(ctx, facts, panel, lengths, lengthItem); });
  }, { early: true });

  /* How many length figures the first frame shows (about what fits under the key facts). */
  var FIRST_LENGTHS = 3;

  function rest(ctx, facts, panel, lengths, lengthItem) {
    var style = ctx.style;
    facts.lengths.slice(FIRST_LENGTHS).forEach(lengthItem);
    var countries = section(panel, "Measured km per country");
    countries.appendChild(
      table(ctx, ["Country", "km", "Share"], facts.per_country.map(function (row) {
        return [row.name, CM.km(row.km).replace(" km", ""), row.share];
      }))
    );

    // Each segment's name is a button that opens its facts on the map (layers.js).
    var segments = section(panel, "Segments");
    var ids = {};
    Object.keys(ctx.segments).forEach(function (id) { ids[ctx.segments[id].properties.name] = id; });
    segments.appendChild(
      table(ctx, ["Segment", "Status", "km"], facts.segments.map(function (row) {
        var name = ids[row.name] && CM.segmentButton ? CM.segmentButton(ctx, ids[row.name], row.name) : row.name;
        return [name, CM.label(style.status, row.status) + (row.role === "main" ? "" : " (" + row.role + ")"), CM.km(row.length_km).replace(" km", "")];
      }))
    );

    if (facts.capacity.length) {
      var capacity = section(panel, "Capacity");
      facts.capacity.forEach(function (c) { sourced(ctx, capacity, c.text, c.note, c.sources); });
    }
    if (facts.cost.length) {
      var cost = section(panel, "Cost");
      facts.cost.forEach(function (c) { sourced(ctx, cost, c.text, c.note, c.sources); });
    }
    if (facts.milestones.length) {
      var milestones = section(panel, "Milestones");
      var list = CM.el("ol", "cm-milestones");
      facts.milestones.forEach(function (m) {
        var li = CM.el("li");
        CM.append(li, [CM.el("time", null, m.date), CM.el("span", null, m.event)]);
        if (m.sources.length) li.appendChild(CM.sourceList(ctx, m.sources, 2));
        list.appendChild(li);
      });
      milestones.appendChild(list);
    }
    if (facts.conflicts.length) {
      var conflicts = section(panel, "Figures that disagree");
      var ul = CM.el("ul", "cm-conflicts");
      facts.conflicts.forEach(function (c) { ul.appendChild(CM.el("li", null, c)); });
      conflicts.appendChild(ul);
    }
  }
})();
