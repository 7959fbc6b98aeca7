/* corridors map pages: the milestone timeline and a year slider that restyles every segment
 * by its status at the end of the chosen year (rule in corridors.map_timeline). Text only. */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  var KINDS = {
    relations: "Relations",
    milestone: "Corridor",
    visit: "Visit",
    mechanism_session: "Session",
    agreement: "Agreement",
  };
  var NOT_YET = { opacity: 0.18, dashArray: "2 7", weight: 2 };
  /* A segment no source dates, before today: thin, grey and dotted, in no mode's colour. */
  var UNKNOWN = { color: "#6b7079", opacity: 0.9, dashArray: "1 5", weight: 1.5, lineCap: "round" };
  var KEY = [
    { status: "not_yet", label: "Not yet on record (no milestone of its corridor yet)" },
    { status: "unknown", label: "Date unknown (no source dates when it began)" },
  ];

  /* The step in force at the end of `year`: the last whose start is unset or not later. */
  function stepAt(steps, year) {
    var found = steps[0];
    steps.forEach(function (step) {
      if (step.from === null || step.from <= year) found = step;
    });
    return found;
  }

  function eventItem(ctx, e) {
    var li = CM.el("li", "cm-kind-" + (KINDS[e.kind] ? e.kind : "other"));
    li.setAttribute("data-year", String(e.year));
    CM.append(li, [
      CM.el("time", null, CM.dateText(e.date)),
      CM.el("span", "cm-event-kind", KINDS[e.kind] || e.kind),
    ]);
    var who = e.partners.join(", ");
    if (e.corridor_name) who = who ? who + " · " + e.corridor_name : e.corridor_name;
    if (who) li.appendChild(CM.el("span", "cm-card-sub", who + ": "));
    li.appendChild(document.createTextNode(e.event));
    li.appendChild(CM.sourceList(ctx, e.sources, 2));
    return li;
  }

  function summaryText(counts, year, last) {
    var parts = [];
    if (counts.milestone) parts.push(counts.milestone + " dated by milestones that name them");
    if (counts.corridor) parts.push(counts.corridor + " by their corridor's milestones");
    if (counts.kept) parts.push(counts.kept + " show today's status, which no milestone dates");
    if (counts.unknown) parts.push(counts.unknown + " date unknown: no source dates when they began (drawn thin, grey and dotted)");
    if (counts.not_yet) parts.push(counts.not_yet + " not yet on record (drawn faint and dotted)");
    var head = year === last ? "Today's statuses" : "Status at the end of " + year;
    return head + ". Of the segments, " + parts.join("; ") + ".";
  }

  /* Events in the first step (a screenful of the list); the rest follow in idle time. */
  var FIRST_EVENTS = 12;
  var MORE_EVENTS = 30;

  /* The key of the two drawings that are no status: a sample line (SVG, no data) and a label. */
  function key() {
    var list = CM.el("ul", "cm-timeline-key");
    list.style.listStyle = "none";
    list.style.padding = "0";
    list.style.margin = "4px 0";
    KEY.forEach(function (entry) {
      var style = entry.status === "unknown" ? UNKNOWN : L.extend({ color: "#333333" }, NOT_YET);
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", "28");
      svg.style.flex = "none";
      svg.setAttribute("height", "10");
      svg.setAttribute("aria-hidden", "true");
      svg.style.marginRight = "6px";
      var line = document.createElementNS(ns, "line");
      [["x1", "2"], ["y1", "5"], ["x2", "26"], ["y2", "5"], ["stroke", style.color],
        ["stroke-width", String(style.weight)], ["stroke-opacity", String(Math.max(style.opacity, 0.4))],
        ["stroke-dasharray", style.dashArray], ["stroke-linecap", style.lineCap || "butt"]].forEach(function (a) {
        line.setAttribute(a[0], a[1]);
      });
      svg.appendChild(line);
      var item = CM.el("li", "cm-timeline-key-" + entry.status);
      item.style.display = "flex";
      item.style.alignItems = "center";
      CM.append(item, [svg, CM.el("span", "cm-timeline-key-label", entry.label)]);
      list.appendChild(item);
    });
    return list;
  }

  function section(ctx) {
    return CM.panelSection(ctx, "Timeline", "cm-timeline");
  }

  /* The panel's timeline and its slider: made just after the first frame, which draws the
   * map first (until then popups give today's status, as the slider would). */
  CM.layer("timeline", function (ctx, data) {
    CM.addSources(ctx, data.sources);
    var label = CM.el("label", null, "Corridors as of ");
    var year = CM.el("span", "cm-year", data.last_year);
    label.appendChild(year);
    var slider = CM.el("input", "cm-slider");
    slider.type = "range";
    slider.min = String(data.first_year);
    slider.max = String(data.last_year);
    slider.step = "1";
    slider.value = String(data.last_year);
    slider.setAttribute("aria-label", "Year");
    var summary = CM.el("p", "cm-notes");
    var list = CM.el("ol", "cm-events");
    var items = [];
    CM.append(section(ctx), [label, slider, key(), summary, list]);

    /* Add the next `count` events to the list; tell whether any are left. */
    function more(count) {
      var end = Math.min(items.length + count, data.events.length);
      var fragment = document.createDocumentFragment();
      for (var i = items.length; i < end; i++) {
        var li = eventItem(ctx, data.events[i]);
        if (data.events[i].year > ctx.timeline.year) li.className += " cm-future";
        items.push(fragment.appendChild(li));
      }
      list.appendChild(fragment);
      return items.length < data.events.length;
    }

    function styleSegment(id, y) {
      var segment = ctx.segments[id];
      if (!segment) return null;
      var step = stepAt(data.steps[id], y);
      if (step.status === "not_yet" || step.status === "unknown") {
        var base = CM.lineStyle(ctx.style, segment.properties);
        segment.line.setStyle(L.extend(base, step.status === "unknown" ? UNKNOWN : NOT_YET));
      } else {
        var props = L.extend({}, segment.properties, { status: step.status });
        segment.line.setStyle(CM.lineStyle(ctx.style, props));
      }
      segment.asOf = step;
      return step;
    }

    function apply(y) {
      var counts = {};
      ctx.timeline.year = y;
      ctx.timeline.today = y === data.last_year;
      Object.keys(data.steps).forEach(function (id) {
        var step = styleSegment(id, y);
        if (step) counts[step.basis] = (counts[step.basis] || 0) + 1;
        // An open popup says the status as of the year: draw it again.
        var segment = ctx.segments[id];
        if (segment && segment.hit && segment.hit.isPopupOpen()) segment.hit.getPopup().update();
      });
      items.forEach(function (li, i) { li.classList.toggle("cm-future", data.events[i].year > y); });
      year.textContent = String(y);
      summary.textContent = summaryText(counts, y, data.last_year);
    }

    // Hovering a segment restores its style of today (layers.js); put back the chosen year's.
    // The hit lines are made after the first frame (layers.js), before this runs.
    CM.later(function () {
      Object.keys(data.steps).forEach(function (id) {
        var segment = ctx.segments[id];
        if (segment) segment.hit.on("mouseout", function () { styleSegment(id, ctx.timeline.year); });
      });
    });
    slider.addEventListener("input", function () { apply(Number(slider.value)); });
    ctx.timeline = { apply: apply, slider: slider, year: data.last_year, today: true, last_year: data.last_year };
    more(FIRST_EVENTS);
    apply(data.last_year);
    CM.later(function () { return more(MORE_EVENTS); });
  }, { later: true, setup: function (ctx) { CM.sidePanel(ctx); } });
})();
