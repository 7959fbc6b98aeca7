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
  /* A control with { early: true } reads only the config; it is added before the layers. */
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
    // Quarter zoom steps let the region fill the map (tiles, if any, stay on whole zooms).
    if (!config.tiles) map.options.zoomSnap = 0.25;
    // Fit the region into the part of the map the controls on the left do not cover,
    // before the layers are drawn, so that nothing is projected twice.
    function fit() {
      var left = map.getContainer().querySelectorAll(".leaflet-bottom.leaflet-left .cm-control");
      var width = 0;
      Array.prototype.forEach.call(left, function (node) { width = Math.max(width, node.offsetWidth); });
      map.invalidateSize({ pan: false });
      map.fitBounds(ctx.bounds, {
        paddingTopLeft: [24 + width, 24],
        // Waypoint labels on corridor pages extend to the right of their points.
        paddingBottomRight: [config.page === "corridor" ? 130 : 24, 24],
        animate: false,
      });
    }
    timed("fit", fit);
    config.layers.filter(function (n) { return earlyLayers.indexOf(n) === -1; }).forEach(addLayer);
    config.controls.filter(function (n) { return earlyControls.indexOf(n) === -1; }).forEach(addControl);
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
