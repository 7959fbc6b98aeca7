/* corridors map pages: the atlas's side panel and the styles of the bilateral, timeline and
 * routes layers (this page's own CSS, never data). */
(function () {
  "use strict";
  var CM = window.CorridorsMap;

  var CSS = [
        ".cm-card { font-size: 12px; }",
    ".cm-card h3 { font-size: 13px; font-weight: 600; margin: 0 0 2px; }",
    ".cm-card h4 { font-size: 12px; font-weight: 600; margin: 8px 0 2px; color: #444; text-transform: uppercase; letter-spacing: 0.04em; }",
    ".cm-card ul { margin: 2px 0; padding-left: 16px; }",
    ".cm-card li { margin-bottom: 3px; }",
    ".cm-card .cm-sources { display: inline-flex; flex-wrap: wrap; gap: 0 6px; list-style: none; padding: 0; margin: 0 0 0 4px; font-size: 12px; }",
    ".cm-card-sub { color: #555; }",
    ".cm-flag-text { color: #8a4b00; }",
    ".cm-partner-popup { max-height: 380px; overflow-y: auto; min-width: 280px; }",
    ".cm-trade { padding: 8px 10px; width: 250px; }",
    ".cm-trade-title { font-weight: 600; margin-bottom: 4px; }",
    ".cm-trade label { display: block; }",
    ".cm-colorbar { display: flex; margin-top: 6px; }",
    ".cm-colorbar-class { flex: 1; text-align: center; font-size: 12px; color: #333; }",
    ".cm-colorbar-swatch { height: 12px; border: 1px solid #767676; margin: 0 -1px 2px 0; }",
    ".cm-trade-note { color: #555; margin-top: 4px; }",
    ".cm-capital-icon { background: none; border: 0; }",
    ".cm-capital-mark { display: block; width: 100%; height: 100%; box-sizing: border-box; background: #7a0177; border: 2px solid #fff; outline: 1px solid #7a0177; }",
    ".cm-slider { width: 100%; }",
    ".cm-year { font-weight: 600; font-size: 17px; }",
    ".cm-events { list-style: none; padding: 0; margin: 6px 0; max-height: 360px; overflow-y: auto; }",
    ".cm-events li { margin-bottom: 5px; padding-left: 6px; border-left: 3px solid #ccc; }",
    ".cm-events li.cm-future { color: #595959; border-left-style: dotted; }",
    ".cm-events time { font-weight: 600; margin-right: 4px; }",
    ".cm-event-kind { color: #595959; margin-right: 4px; }",
    ".cm-events .cm-sources { display: inline-flex; gap: 0 6px; list-style: none; padding: 0; margin: 0 0 0 4px; font-size: 12px; }",
    ".cm-kind-relations { border-left-color: #7a0177 !important; }",
    ".cm-kind-milestone { border-left-color: #0072b2 !important; }",
    ".cm-kind-visit { border-left-color: #009e73 !important; }",
    ".cm-kind-agreement { border-left-color: #e69f00 !important; }",
    ".cm-atlas-panel { overflow-x: hidden; }",
    ".cm-panel-table.cm-route-table td { white-space: normal; }",
    ".cm-route-table button { font: inherit; padding: 0 4px; cursor: pointer; }",
    ".cm-route-table button.cm-on { background: #222; color: #fff; }",
    ".cm-route-key { display: flex; gap: 10px; font-size: 12px; margin: 4px 0; }",
    ".cm-route-key span::before { content: ''; display: inline-block; width: 22px; height: 0; margin-right: 4px; vertical-align: middle; border-top: 3px solid currentColor; }",
    ".cm-route-key .cm-key-unbuilt::before { border-top-style: dashed; }",
  ].join("\n");

  CM.layer("sidebar", function () {
    var style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);
  }, { early: true });

  /* The page's side panel: the corridor page's own, or one made for the atlas. It narrows
   * the map, so a layer asks for it in its setup (before the map is fitted). */
  CM.sidePanel = function (ctx) {
    var panel = document.getElementById("cm-panel");
    if (panel) return panel;
    document.body.classList.add("cm-with-panel");
    panel = CM.el("aside", "cm-panel cm-atlas-panel");
    panel.id = "cm-panel";
    panel.appendChild(CM.el("h1", null, "Corridors atlas")).id = "cm-panel-title";
    panel.setAttribute("aria-labelledby", "cm-panel-title"); // a named complementary landmark
    document.body.appendChild(panel);
    CM.panelSheet(ctx, panel, "Corridors, timeline and routes");
    return panel;
  };

  /* On a narrow screen (CM.NARROW_QUERY) the panel is a bottom sheet over the map, closed
   * at first: a full-width handle button at the bottom (aria-expanded, aria-controls the
   * panel) opens and closes it, as does Escape inside it. On a wide screen the handle is
   * hidden and the panel is the column beside the map (map.css, "Responsive layout"). */
  CM.panelSheet = function (ctx, panel, label) {
    var handle = CM.el("button", "cm-sheet-handle cm-covers-map");
    handle.type = "button";
    handle.id = "cm-sheet-handle";
    handle.setAttribute("aria-controls", panel.id);
    CM.append(handle, [CM.el("span", "cm-sheet-label", label), CM.el("span", "cm-sheet-chevron")]);
    function show(open) {
      document.body.classList.toggle("cm-sheet-open", open);
      handle.setAttribute("aria-expanded", String(open));
    }
    show(false);
    handle.addEventListener("click", function () {
      show(!document.body.classList.contains("cm-sheet-open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !CM.isNarrow() || !document.body.classList.contains("cm-sheet-open")) return;
      if (event.target !== handle && !panel.contains(event.target)) return;
      show(false);
      handle.focus();
    });
    document.body.insertBefore(handle, panel);
    ctx.sheet = { handle: handle, show: show };
    return handle;
  };

  /* The panel's section `id`, made (with its heading) on the first call. */
  CM.panelSection = function (ctx, title, id) {
    var existing = document.getElementById(id);
    if (existing) return existing;
    var node = CM.el("section", "cm-panel-section");
    node.id = id;
    node.appendChild(CM.el("h2", null, title));
    CM.sidePanel(ctx).appendChild(node);
    return node;
  };

  /* Add a layer's own source entries to the page's, keeping those already there. */
  CM.addSources = function (ctx, entries) {
    Object.keys(entries || {}).forEach(function (key) {
      if (!ctx.sources[key]) ctx.sources[key] = entries[key];
    });
  };

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /* A partial ISO date as words: "1992-02-24" → "24 February 1992", "2024-07" → "July 2024". */
  CM.dateText = function (date) {
    var parts = String(date || "").split("-");
    if (!/^\d{4}$/.test(parts[0])) return String(date || "date not stated");
    if (parts.length === 1) return parts[0];
    var month = MONTHS[Number(parts[1]) - 1] || parts[1];
    if (parts.length === 2) return month + " " + parts[0];
    return Number(parts[2]) + " " + month + " " + parts[0];
  };
})();
