/* corridors map pages: registry of layer builders and controls, safe DOM helpers.
 *
 * Data arrives in <script type="application/json" id="cm-data-NAME"> blocks and is
 * only ever written into the page as text (textContent, text nodes, attribute values
 * checked here). No data string is passed to innerHTML or to Leaflet's string
 * content (which Leaflet would parse as HTML): popups, tooltips and icons get DOM
 * elements.
 *
 * A page's config block lists its layers and controls in order. A layer module
 * calls CorridorsMap.layer(name, builder); builder(ctx, data) draws the data block
 * of the same name. A control module calls CorridorsMap.control(name, fn).
 */
(function () {
  "use strict";
  var CM = (window.CorridorsMap = window.CorridorsMap || {});
  var layers = {};
  var controls = {};

  /* A layer with { early: true } changes the page layout (a side panel): it runs before
   * the map is fitted to the region. Other layers draw on the fitted map. A layer may
   * also pass { setup: fn }: fn(ctx, data) runs in the early phase, for the part of the
   * layer that takes room beside or over the map (its own control, a panel section) or
   * widens the initial view (ctx.bounds), while the builder draws after the fit. A layer
   * with { later: true } (a panel below the map's own controls) is built just after the
   * first frame and its data block read only then; its setup gets no data. */
  CM.layer = function (name, builder, options) {
    layers[name] = builder;
    builder.early = !!(options && options.early);
    builder.later = !!(options && options.later);
    builder.setup = (options && options.setup) || null;
  };
  /* Controls take room over the map, so all are added before the map is fitted, those with
   * { early: true } (which read only the config) first; a control that needs what the
   * layers make reads it when it is used or in CM.later. */
  CM.control = function (name, builder, options) {
    controls[name] = builder;
    builder.early = !!(options && options.early);
  };

  /* A data block, parsed once; blocks are read-only for the layers that share them. */
  var blocks = {};
  CM.readBlock = function (name) {
    if (!Object.prototype.hasOwnProperty.call(blocks, name)) {
      var node = document.getElementById("cm-data-" + name);
      blocks[name] = node ? JSON.parse(node.textContent) : null;
    }
    return blocks[name];
  };

  /* Work that can wait until the map is on screen (the tail of a long list, the minimap):
   * run in order after the first frame, in slices of a few milliseconds so that the page
   * stays responsive. A task that returns true is run again (one chunk per call). The page
   * is marked ready (data-cm-ready) when all are done. */
  var deferred = [];
  CM.later = function (task) {
    deferred.push(task);
  };
  var SLICE_MS = 8;
  function runDeferred() {
    var until = performance.now() + SLICE_MS;
    do {
      if (deferred.length && !deferred[0]()) deferred.shift();
    } while (deferred.length && performance.now() < until);
    if (deferred.length) {
      setTimeout(runDeferred, 0);
      return;
    }
    CM.doneAt = performance.now();
    document.documentElement.setAttribute("data-cm-ready", "1");
  }

  /* An element with a class and text; never parses markup. */
  CM.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  CM.append = function (parent, children) {
    children.forEach(function (child) {
      if (child) parent.appendChild(child);
    });
    return parent;
  };

  /* A link only for http(s) URLs; any other value is shown as text. */
  CM.link = function (url, text) {
    var safe = null;
    try {
      var parsed = new URL(String(url));
      if (parsed.protocol === "http:" || parsed.protocol === "https:") safe = parsed.href;
    } catch (error) {
      safe = null;
    }
    if (!safe) return CM.el("span", "cm-source-text", text);
    var a = CM.el("a", null, text);
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  };

  /* A link to another page of the atlas; only plain relative paths are accepted. */
  CM.pageLink = function (path, text) {
    if (!/^(\.\.\/)?([a-z0-9_]+\/)?[a-z0-9_]+\.html$/.test(String(path))) {
      return CM.el("span", null, text);
    }
    var a = CM.el("a", null, text);
    a.setAttribute("href", path);
    return a;
  };

  /* A number as en-GB writes it, with thousands separators and at most `digits` (default 1)
   * decimals: 1234.56 → "1,234.6". Written out because Intl's first use costs tens of ms. */
  CM.number = function (value, digits) {
    var fixed = Math.abs(value).toFixed(digits === undefined ? 1 : digits).split(".");
    var whole = fixed[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var decimals = fixed[1] ? fixed[1].replace(/0+$/, "") : "";
    var zero = /^[0.]*$/.test(fixed.join("."));
    return (value < 0 && !zero ? "-" : "") + whole + (decimals ? "." + decimals : "");
  };

  CM.km = function (value) {
    if (value === null || value === undefined) return "not measured";
    return CM.number(value, 1) + " km";
  };

  CM.label = function (table, key) {
    return table[key] ? table[key].label : String(key);
  };

  /* A country or a line drawn by an SVG renderer from path data the build wrote: the
   * feature's `path` (a country's rings, filled together by the even-odd rule, or a
   * feature's lines) in whole Web Mercator pixels at zoom PATH_ZOOM measured from an origin
   * (the feature's `origin`, or one its block gives), with its `bbox` in degrees (west,
   * south, east, north). The path is set once; each zoom only changes its transform (a
   * scale and a shift), with the stroke kept at its width on screen: no JavaScript runs a
   * vertex, where Leaflet's own polylines and polygons make a LatLng and three Points per
   * vertex and project, clip, simplify and write out every line again at each move. The
   * browser draws the path off the page's main thread. Popups, tooltips, setStyle and
   * bringToFront work as on any Leaflet path. Web Mercator maps only (Leaflet's default). */
  var PATH_WORLD = 256 * Math.pow(2, 17); // PATH_ZOOM = 17 in corridors.map_data

  CM.Shape = L.Path.extend({
    initialize: function (feature, options, origin) {
      L.setOptions(this, options);
      this.feature = feature;
      this._origin = origin || feature.origin;
      var box = feature.bbox;
      this._bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
    },

    getBounds: function () {
      return this._bounds;
    },

    onAdd: function (map) {
      if (map.options.crs !== L.CRS.EPSG3857) throw new Error("shapes are drawn on Web Mercator maps only");
      L.Path.prototype.onAdd.call(this, map);
    },

    /* pixel = scale * (origin + p) - pixel origin; the pixel bounds from the bbox. */
    _project: function () {
      var map = this._map;
      var scale = map.options.crs.scale(map.getZoom()) / PATH_WORLD;
      var at = map.getPixelOrigin(), origin = this._origin;
      this._transform = "matrix(" + [scale, 0, 0, scale, scale * origin[0] - at.x, scale * origin[1] - at.y].join(" ") + ")";
      var pad = Math.ceil(this.options.weight / 2) + 1;
      var nw = map.latLngToLayerPoint(this._bounds.getNorthWest());
      var se = map.latLngToLayerPoint(this._bounds.getSouthEast());
      this._pxBounds = L.bounds([nw.x - pad, nw.y - pad], [se.x + pad, se.y + pad]);
    },

    _update: function () {
      if (this._map) this._updatePath();
    },

    _updateBounds: function () {},

    _updatePath: function () {
      var path = this._path;
      if (!path.hasAttribute("d")) {
        path.setAttribute("d", this.feature.path);
        path.setAttribute("vector-effect", "non-scaling-stroke");
      }
      path.setAttribute("transform", this._transform);
    },

    _empty: function () {
      return !this.feature.path;
    },
  });

  /* A country: a filled shape. */
  CM.Country = CM.Shape.extend({ options: { fill: true } });

  /* A feature group of CM.Country layers, one per feature; `style` (options, or a function
   * of the feature) and `each(feature, layer)` as for L.geoJSON, `base` options for all. */
  CM.polygons = function (features, options) {
    var group = L.featureGroup();
    features.forEach(function (feature) {
      var style = typeof options.style === "function" ? options.style(feature) : options.style;
      var layer = new CM.Country(feature, L.extend({}, options.base, style));
      if (options.each) options.each(feature, layer);
      group.addLayer(layer);
    });
    return group;
  };

  /* Leaflet path options for a segment, from the page's style table. */
  CM.lineStyle = function (style, props) {
    var mode = style.mode[props.mode];
    var status = style.status[props.status];
    var dash = style.accuracy[props.route_accuracy].dash;
    return {
      color: mode.color,
      weight: status.weight,
      opacity: status.opacity,
      dashArray: dash || null,
      lineCap: dash ? "butt" : "round",
      className: "cm-line",
    };
  };

  /* Sources as a list of links (http/https) or text, at most `limit` shown. */
  CM.sourceList = function (ctx, keys, limit) {
    var list = CM.el("ul", "cm-sources");
    var shown = limit ? keys.slice(0, limit) : keys;
    shown.forEach(function (key) {
      var entry = ctx.sources[key];
      var item = CM.el("li");
      var ref = entry ? CM.link(entry.url, key) : CM.el("span", null, key);
      if (entry) ref.title = entry.text;
      item.appendChild(ref);
      list.appendChild(item);
    });
    if (shown.length < keys.length) {
      list.appendChild(CM.el("li", "cm-more", "and " + (keys.length - shown.length) + " more"));
    }
    return list;
  };

  /* Register a layer in the layer control and in the search index. */
  CM.addOverlay = function (ctx, group, entry) {
    if (!ctx.groups[group.key]) {
      ctx.groups[group.key] = { title: group.title, color: group.color || null, entries: [] };
      ctx.groupOrder.push(group.key);
    }
    ctx.groups[group.key].entries.push(entry);
    if (entry.checked !== false) entry.layer.addTo(ctx.map);
  };

  /* Accessibility: map shapes are no Tab stops. Leaflet puts focus listeners on every shape
   * with a tooltip, which makes each SVG path a Tab stop (in Chromium) with no name and a
   * focus box when clicked; the panel's list and the search reach every shape instead. */
  var addFocusListeners = L.Layer.prototype._addFocusListenersOnLayer;
  L.Layer.prototype._addFocusListenersOnLayer = function (layer) {
    if (!(layer instanceof L.Path)) addFocusListeners.call(this, layer);
  };

  /* Popups as dialogs: an open popup is named by its title, takes the focus, closes on
   * Escape while the focus is in it, and gives the focus back to what had it before (a
   * panel button, the search box) when it closes. */
  CM.popupFocus = function (map) {
    // Whether the last input was a pointer: a popup opened by a click takes the focus too,
    // but shows no focus ring (map.css); one opened from the keyboard shows it.
    var pointer = false;
    document.addEventListener("pointerdown", function () { pointer = true; }, true);
    document.addEventListener("keydown", function () { pointer = false; }, true);
    map.on("popupopen", function (event) {
      var popup = event.popup;
      var node = popup.getElement();
      if (!node) return;
      var box = node.querySelector(".leaflet-popup-content-wrapper") || node;
      var had = document.activeElement;
      popup._cmOpener = had && had !== document.body && !node.contains(had) ? had : null;
      var title = node.querySelector(".cm-popup-title, .cm-tip strong, h3");
      box.setAttribute("role", "dialog");
      if (title) box.setAttribute("aria-label", title.textContent);
      box.tabIndex = -1;
      box.classList.toggle("cm-pointer-focus", pointer);
      if (!popup._cmEscape) {
        popup._cmEscape = true;
        node.addEventListener("keydown", function (e) {
          if (e.key !== "Escape") return;
          e.preventDefault();
          e.stopPropagation();
          map.closePopup(popup);
        });
      }
      box.focus({ preventScroll: true });
    });
    map.on("popupclose", function (event) {
      var popup = event.popup;
      var opener = popup._cmOpener;
      var node = popup.getElement();
      var at = document.activeElement;
      popup._cmOpener = null;
      if (!opener || !document.body.contains(opener)) return;
      if (!at || at === document.body || at === map.getContainer() || (node && node.contains(at))) {
        opener.focus({ preventScroll: true });
      }
    });
  };

  /* Narrow screens (below 760 px wide, on screen only: a printed page is narrower) show the
   * side panel as a bottom sheet; map.css's "Responsive layout" uses the same query. */
  CM.NARROW_QUERY = "screen and (max-width: 759.98px)";
  CM.isNarrow = function () {
    return !!(window.matchMedia && window.matchMedia(CM.NARROW_QUERY).matches);
  };

  /* The part of the map hidden by what lies over it (the bottom sheet, the controls), as
   * Leaflet fit padding in pixels: {topLeft: [x, y], bottomRight: [x, y]}. Each covering
   * box is counted on the side of the map where it costs the least room; a map too small
   * to keep a usable area after that gets the padding scaled down (never negative room). */
  CM.visiblePadding = function (ctx) {
    var container = ctx.map.getContainer();
    var box = container.getBoundingClientRect();
    var width = box.width, height = box.height;
    var pad = { left: 0, top: 0, right: 0, bottom: 0 };
    if (width < 1 || height < 1) return { topLeft: [0, 0], bottomRight: [0, 0] };
    function cover(r) {
      var left = Math.max(r.left, box.left), right = Math.min(r.right, box.right);
      var top = Math.max(r.top, box.top), bottom = Math.min(r.bottom, box.bottom);
      if (right - left < 1 || bottom - top < 1) return;
      var sides = [
        ["left", right - box.left, width],
        ["right", box.right - left, width],
        ["top", bottom - box.top, height],
        ["bottom", box.bottom - top, height],
      ];
      var best = sides[0];
      sides.forEach(function (side) { if (side[1] / side[2] < best[1] / best[2]) best = side; });
      pad[best[0]] = Math.max(pad[best[0]], best[1]);
    }
    // The controls of a corner, stacked, are one box; so are the sheet and its handle.
    function union(nodes) {
      var all = null;
      Array.prototype.forEach.call(nodes, function (node) {
        var r = node.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) return;
        all = all ? {
          left: Math.min(all.left, r.left), top: Math.min(all.top, r.top),
          right: Math.max(all.right, r.right), bottom: Math.max(all.bottom, r.bottom),
        } : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
      if (all) cover(all);
    }
    // The attribution, a line of small print, is a box of its own.
    Array.prototype.forEach.call(container.querySelectorAll(".leaflet-control-container > div"), function (corner) {
      union(corner.querySelectorAll(".leaflet-control:not(.leaflet-control-attribution)"));
    });
    union(container.querySelectorAll(".leaflet-control-attribution"));
    union(document.querySelectorAll(".cm-covers-map, #cm-panel"));
    // Keep at least 40 % of each dimension.
    var x = pad.left + pad.right, y = pad.top + pad.bottom;
    var kx = x > 0.6 * width ? (0.6 * width) / x : 1;
    var ky = y > 0.6 * height ? (0.6 * height) / y : 1;
    return {
      topLeft: [Math.round(pad.left * kx), Math.round(pad.top * ky)],
      bottomRight: [Math.round(pad.right * kx), Math.round(pad.bottom * ky)],
    };
  };

  /* Fit `bounds` (a LatLngBounds or [[south, west], [north, east]]) inside the visible part
   * of the map, with options.padding ([x, y], default [24, 24]) of margin and any
   * paddingTopLeft / paddingBottomRight added to it; other options go to fitBounds
   * (maxZoom, animate: false by default). A map of zero size, or bounds that are not
   * valid, are left alone; returns whether the map was fitted. The last fit is kept in
   * ctx.fitted and made again when the window is resized, unless the view moved since. */
  CM.fitVisible = function (ctx, bounds, options) {
    var map = ctx.map;
    options = options || {};
    bounds = L.latLngBounds(bounds);
    if (!bounds.isValid()) return false;
    map.invalidateSize({ pan: false });
    var size = map.getSize();
    if (!(size.x > 8 && size.y > 8)) return false;
    var visible = CM.visiblePadding(ctx);
    var margin = L.point(options.padding || [24, 24]);
    var extraTL = L.point(options.paddingTopLeft || [0, 0]);
    var extraBR = L.point(options.paddingBottomRight || [0, 0]);
    var topLeft = L.point(visible.topLeft).add(margin).add(extraTL);
    var bottomRight = L.point(visible.bottomRight).add(margin).add(extraBR);
    // Never pad away more than 80 % of the map: a tiny map keeps a small margin instead.
    var room = size.subtract(topLeft).subtract(bottomRight);
    if (room.x < 0.2 * size.x) {
      var kx = (0.8 * size.x) / (topLeft.x + bottomRight.x);
      topLeft.x *= kx;
      bottomRight.x *= kx;
    }
    if (room.y < 0.2 * size.y) {
      var ky = (0.8 * size.y) / (topLeft.y + bottomRight.y);
      topLeft.y *= ky;
      bottomRight.y *= ky;
    }
    var zoom = map.getBoundsZoom(bounds, false, topLeft.add(bottomRight));
    if (!isFinite(zoom)) return false;
    var fitOptions = L.extend({ animate: false }, options);
    delete fitOptions.padding;
    fitOptions.paddingTopLeft = topLeft;
    fitOptions.paddingBottomRight = bottomRight;
    ctx.fitting = true;
    try {
      map.fitBounds(bounds, fitOptions);
    } finally {
      ctx.fitting = false;
    }
    ctx.fitted = { bounds: bounds, options: options };
    ctx.viewMoved = false;
    return true;
  };

  /* Compact controls on a small map (a narrow screen, or a map under 700 x 560 px beside the
   * panel): the map container gets the class cm-compact and the map fires "cmcompact"
   * ({compact: bool}) when that changes, so that the legend can fold to its button. */
  CM.compactControls = function (ctx) {
    var container = ctx.map.getContainer();
    var compact = CM.isNarrow() || container.clientWidth < 700 || container.clientHeight < 560;
    container.classList.toggle("cm-compact", compact);
    document.documentElement.setAttribute("data-cm-layout", CM.isNarrow() ? "narrow" : "wide");
    if (ctx.compact !== compact) {
      ctx.compact = compact;
      ctx.map.fire("cmcompact", { compact: compact });
    }
    return compact;
  };

  /* Follow the window: on a resize or a rotation, let Leaflet take the new size, fold or
   * unfold the controls and, if the view has not been moved since the last CM.fitVisible,
   * fit it again for the new shape. A map of zero size (hidden, or being laid out) is
   * skipped until it has one. ctx.layoutFor is "WIDTHxHEIGHT" of the window last handled. */
  CM.watchSize = function (ctx) {
    var map = ctx.map;
    var timer = null;
    map.on("movestart zoomstart", function () {
      if (!ctx.fitting) ctx.viewMoved = true;
    });
    function follow() {
      timer = null;
      map.invalidateSize({ pan: true });
      var size = map.getSize();
      if (size.x > 8 && size.y > 8) {
        CM.compactControls(ctx);
        if (ctx.fitted && !ctx.viewMoved) {
          if (ctx.fitted.bounds === ctx.bounds && ctx.initialFit) ctx.initialFit();
          else CM.fitVisible(ctx, ctx.fitted.bounds, ctx.fitted.options);
        }
      }
      ctx.layoutFor = window.innerWidth + "x" + window.innerHeight;
      map.fire("cmresize");
    }
    window.addEventListener("resize", function () {
      if (timer === null) timer = setTimeout(follow, 60);
    });
    ctx.layoutFor = window.innerWidth + "x" + window.innerHeight;
  };

  /* Printing: body.cm-printing gives the map its size on paper (map.css, "Print") also on
   * screen, so that Leaflet measures it, and the map is fitted to the region as it opens;
   * after printing the size and the view are put back. Both beforeprint and a
   * matchMedia("print") listener call it (browsers fire one or the other). */
  CM.watchPrint = function (ctx) {
    var map = ctx.map;
    var saved = null;
    function before() {
      if (saved) return;
      saved = { center: map.getCenter(), zoom: map.getZoom(), fitted: ctx.fitted, moved: ctx.viewMoved };
      document.body.classList.add("cm-printing");
      if (ctx.initialFit) ctx.initialFit();
    }
    function after() {
      if (!saved) return;
      document.body.classList.remove("cm-printing");
      map.invalidateSize({ pan: false });
      CM.compactControls(ctx);
      ctx.fitting = true;
      try {
        map.setView(saved.center, saved.zoom, { animate: false });
      } finally {
        ctx.fitting = false;
      }
      ctx.fitted = saved.fitted;
      ctx.viewMoved = saved.moved;
      saved = null;
    }
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    var query = window.matchMedia ? window.matchMedia("print") : null;
    if (!query) return;
    var change = function (event) {
      if (event.matches) before();
      else after();
    };
    if (query.addEventListener) query.addEventListener("change", change);
    else if (query.addListener) query.addListener(change);
  };

  CM.start = function () {
    CM.startedAt = performance.now();
    var config = CM.readBlock("config");
    var map = window[config.map_var];
    var ctx = {
      map: map,
      config: config,
      style: config.style,
      sources: CM.readBlock("sources") || {},
      groups: {},
      groupOrder: [],
      search: [],
      segments: {},
      errors: [],
      bounds: L.latLngBounds(config.bounds),
    };
    CM.ctx = ctx;
    CM.popupFocus(map);
    CM.timings = {};
    function timed(name, run) {
      var started = performance.now();
      run();
      CM.timings[name] = (CM.timings[name] || 0) + performance.now() - started;
    }
    function addControl(name) {
      if (!controls[name]) throw new Error("no control named " + name);
      timed(name, function () { controls[name](ctx); });
    }
    function addLayer(name) {
      var layer = layers[name];
      if (!layer) throw new Error("no layer builder named " + name);
      if (layer.later) CM.later(function () { layer(ctx, CM.readBlock(name)); });
      else timed(name, function () { layer(ctx, CM.readBlock(name)); });
    }
    function setupLayer(name) {
      var layer = layers[name];
      if (!layer) throw new Error("no layer builder named " + name);
      if (layer.setup) timed(name, function () { layer.setup(ctx, layer.later ? null : CM.readBlock(name)); });
    }
    function isEarly(table) {
      return function (name) { return table[name] && table[name].early; };
    }
    var earlyLayers = config.layers.filter(isEarly(layers));
    var earlyControls = config.controls.filter(isEarly(controls));
    earlyLayers.forEach(addLayer);
    config.layers.forEach(setupLayer);
    earlyControls.forEach(addControl);
    config.controls.filter(function (n) { return earlyControls.indexOf(n) === -1; }).forEach(addControl);
    // Quarter zoom steps let the region fill the map (tiles, if any, stay on whole zooms).
    if (!config.tiles) map.options.zoomSnap = 0.25;
    // Fit the region into the part of the map the panel and controls do not cover, before
    // the layers are drawn, so that nothing is projected twice.
    function fit() {
      map.invalidateSize({ pan: false });
      CM.compactControls(ctx);
      var width = map.getContainer().clientWidth;
      // Waypoint labels on corridor pages extend to the right of their points, into the
      // margin and whatever room the controls on the right already take.
      var labels = config.page === "corridor" ? Math.min(140, Math.round(width / 3)) : 0;
      labels = Math.max(0, labels - CM.visiblePadding(ctx).bottomRight[0]);
      var margin = width < 500 ? 12 : 24;
      if (!CM.fitVisible(ctx, ctx.bounds, { padding: [margin, margin], paddingBottomRight: [labels, 0] })) {
        map.setView(ctx.bounds.getCenter(), 3, { animate: false }); // a map with no size yet
        ctx.fitted = { bounds: ctx.bounds, options: {} }; // fitted when it gets one
        ctx.viewMoved = false;
      }
    }
    ctx.initialFit = fit;
    timed("fit", fit);
    CM.watchSize(ctx);
    CM.watchPrint(ctx);
    config.layers.filter(function (n) { return earlyLayers.indexOf(n) === -1; }).forEach(addLayer);
    CM.readyAt = performance.now();
    // Deferred work starts after the first frame, so that it never delays it: a message
    // posted from the frame's animation callback is handled after the frame is painted,
    // behind any other message posted the same way before it.
    var started = false;
    var channel = new MessageChannel();
    channel.port1.onmessage = function () { runDeferred(); };
    function kick() {
      if (started) return;
      started = true;
      channel.port2.postMessage(0);
    }
    requestAnimationFrame(kick);
    setTimeout(kick, 250); // a page in the background gets no frames
  };
})();
