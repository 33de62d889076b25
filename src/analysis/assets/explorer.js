/* multisee explorer: map, chart, table, two-year comparison and sources of the adoption panel
   and the Multi-SEE index. Reads window.MULTISEE_EXPLORER (data.js: states, labels and colours
   come from analysis.vocab through it, never from this file) and renders with the shared local
   Vega bundle (window.vegaEmbed). No network: everything it needs is on the page or beside it.

   Redraws are coalesced: an input only records the state; one redraw per animation frame draws
   the visible view alone, and a year change on the map swaps its data in the live view instead
   of rebuilding it. ``?redraw=every`` restores the old behaviour (every input rebuilds the map
   and the chart), the baseline of bench/bench_explorer.py. */
(function () {
  "use strict";
  const D = window.MULTISEE_EXPLORER;
  const MECH = {};
  D.mechanisms.forEach(function (m) { MECH[m.id] = m; });
  const COUNTRY = {};
  D.countries.forEach(function (c) { COUNTRY[c.code] = c; });
  const CODES = D.countries.map(function (c) { return c.code; });
  const INDEX = "index";
  const FIRST = D.years[0], LAST = D.years[1];
  const DEFAULT_COUNTRIES = ["RS", "XK", "HR", "MK", "BG"].filter(function (c) { return COUNTRY[c]; });
  const VIEWS = ["map", "chart", "table", "compare", "sources"];
  const UNKNOWN = D.unknown;
  const BASELINE = new URLSearchParams(location.search).get("redraw") === "every";
  const views = {};
  const state = {
    year: D.default_year, mechanism: "cctld", countries: DEFAULT_COUNTRIES.slice(), view: "map",
    compare: [Math.max(FIRST, D.default_year - 10), D.default_year], selected: "",
  };

  function displayName(code) {
    const c = COUNTRY[code];
    const name = c ? c.name : code;
    return code === "XK" && name.slice(-1) !== "*" ? name + "*" : name;
  }

  // ------------------------------------------------------------------ data access
  function cell(mech, code, year) {
    const runs = (D.cells[mech] || {})[code] || [];
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i];
      if (r[0] <= year && year <= r[1]) {
        return { state: r[2], confidence: r[3], evidence: r[4], sources: r[5] };
      }
    }
    return null;
  }
  function indexRow(code, year) {
    const rows = D.index[code] || [];
    for (let i = 0; i < rows.length; i++) {
      if (rows[i][0] === year) {
        const o = {};
        D.index_columns.forEach(function (k, j) { o[k] = rows[i][j]; });
        return o;
      }
    }
    return null;
  }
  function stateInfo(mech, s) {
    const st = MECH[mech].states.filter(function (x) { return x.id === s; })[0];
    return st || { id: s, legend: s, label: s, colour: "#999999" };
  }
  function isWeak(c) { return !c || c.state === UNKNOWN || c.evidence !== "strong"; }

  /** The rows of one year (every jurisdiction): what the table shows and the CSVs carry. */
  function rowsFor(year, mech, codes) {
    const out = [];
    (codes || CODES).forEach(function (code) {
      const base = { code: code, country: displayName(code), year: year };
      if (mech === INDEX) {
        const r = indexRow(code, year);
        if (!r) return;
        out.push(Object.assign(base, {
          score: r.score, low: r.low, high: r.high,
          rank: r.rank, rank_best: r.rank_best, rank_worst: r.rank_worst,
        }));
      } else {
        const c = cell(mech, code, year);
        if (!c) return;
        out.push(Object.assign(base, {
          mechanism: mech, state: c.state, state_label: stateInfo(mech, c.state).legend,
          confidence: c.confidence, evidence: c.evidence, sources: c.sources,
        }));
      }
    });
    return out;
  }
  function columnsFor(mech) {
    return mech === INDEX
      ? ["code", "country", "year", "score", "low", "high", "rank", "rank_best", "rank_worst"]
      : ["code", "country", "year", "mechanism", "state", "state_label", "confidence", "evidence", "sources"];
  }
  function seriesRows(mech, codes) {
    let out = [];
    for (let y = FIRST; y <= LAST; y++) out = out.concat(rowsFor(y, mech, codes));
    return out;
  }

  // ------------------------------------------------------------------ URL (the view is shareable)
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    const y = parseInt(p.get("year"), 10);
    if (y >= FIRST && y <= LAST) state.year = y;
    const m = p.get("mechanism");
    if (m && (m === INDEX || MECH[m])) state.mechanism = m;
    if (p.has("countries")) {
      state.countries = p.get("countries").split(",").map(function (s) { return s.trim().toUpperCase(); })
        .filter(function (c) { return COUNTRY[c]; });
    }
    const v = p.get("view");
    if (VIEWS.indexOf(v) >= 0) state.view = v;
    if (p.has("compare")) {
      const ys = p.get("compare").split(",").map(function (s) { return parseInt(s, 10); });
      if (ys.length === 2 && ys.every(function (x) { return x >= FIRST && x <= LAST; })) state.compare = ys;
    }
  }
  function writeHash() {
    const p = new URLSearchParams();
    p.set("year", String(state.year));
    p.set("mechanism", state.mechanism);
    p.set("countries", state.countries.join(","));
    p.set("view", state.view);
    if (state.view === "compare") p.set("compare", state.compare.join(","));
    const h = "#" + p.toString().replace(/%2C/g, ",");
    if (location.hash !== h) history.replaceState(null, "", h);
    const code = document.getElementById("embed-code");
    if (code) code.value = embedCode();
  }
  function embedCode() {
    const title = "multisee explorer: " + title_();
    return "<iframe src=\"" + location.href.replace(/"/g, "%22") + "\" width=\"100%\" height=\"720\""
      + " style=\"border:0\" loading=\"lazy\" title=\"" + title.replace(/"/g, "&quot;") + "\"></iframe>";
  }


  // ------------------------------------------------------------------ words
  function title_() {
    if (state.view === "compare") {
      return (state.mechanism === INDEX ? "Multi-SEE index" : MECH[state.mechanism].name)
        + ", " + state.compare[0] + " and " + state.compare[1];
    }
    return state.mechanism === INDEX
      ? "Multi-SEE index, " + state.year
      : MECH[state.mechanism].name + ", " + state.year;
  }
  const title = title_;
  /** The lines every download carries: the citation, the source, the Kosovo* footnote and, for
   *  maps, the boundary note (the same words as the site's pages, from data.js). */
  function footerLines(what, isMap) {
    const lines = [D.cite.replace("Cite this page", "Cite this " + what).replace("{title}", title()),
                   "Source: " + D.source_line + ".", D.kosovo_footnote];
    if (isMap) lines.push(D.boundary_note);
    return lines;
  }
  function wrap(text, width) {
    const out = [];
    let line = "";
    text.split(" ").forEach(function (w) {
      if (line && (line + " " + w).length > width) { out.push(line); line = w; } else line = line ? line + " " + w : w;
    });
    if (line) out.push(line);
    return out;
  }

  // ------------------------------------------------------------------ the map
  /** Diagonal hatch lines clipped to a feature (even-odd scanlines in lon/lat), drawn over the
   *  cells whose state is unknown, so they never look like the grey of the context countries. */
  const HATCH_STEP = 0.3;
  const hatchCache = {};
  function hatchLines(f) {
    const code = f.properties.code;
    if (hatchCache[code]) return hatchCache[code];
    const edges = [];
    let lo = Infinity, hi = -Infinity;
    f.geometry.coordinates.forEach(function (poly) {
      poly.forEach(function (ring) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i], b = ring[i + 1];
          const ua = a[1] - a[0], ub = b[1] - b[0];
          edges.push([ua, a[0] + a[1], ub, b[0] + b[1]]);
          lo = Math.min(lo, ua); hi = Math.max(hi, ua);
        }
      });
    });
    const lines = [];
    for (let c = Math.ceil(lo / HATCH_STEP) * HATCH_STEP; c <= hi; c += HATCH_STEP) {
      const vs = [];
      edges.forEach(function (e) {
        if ((e[0] <= c) !== (e[2] <= c)) vs.push(e[1] + (c - e[0]) / (e[2] - e[0]) * (e[3] - e[1]));
      });
      vs.sort(function (a, b) { return a - b; });
      for (let i = 0; i + 1 < vs.length; i += 2) {
        lines.push([[(vs[i] - c) / 2, (vs[i] + c) / 2], [(vs[i + 1] - c) / 2, (vs[i + 1] + c) / 2]]);
      }
    }
    hatchCache[code] = lines;
    return lines;
  }
  /** One row per shape the map draws: context countries, the jurisdictions with their value of
   *  the year, and the hatching of the unknown ones (all in one data set, swapped on a year change). */
  function mapRows() {
    const mech = state.mechanism, year = state.year;
    const rows = [];
    D.features.forEach(function (f) {
      const p = f.properties;
      const props = { code: p.code, kind: "context", lx: p.label[0], ly: p.label[1] };
      if (p.in_scope && COUNTRY[p.code]) {
        props.name = displayName(p.code);
        props.label = COUNTRY[p.code].label;
        if (mech === INDEX) {
          const r = indexRow(p.code, year);
          if (r) {
            Object.assign(props, {
              kind: "country", score: r.score, interval: r.low.toFixed(2) + " to " + r.high.toFixed(2),
              rank: r.rank == null ? "not ranked (reference jurisdiction)"
                : r.rank_best === r.rank_worst ? String(r.rank) : r.rank + " (" + r.rank_best + " to " + r.rank_worst + ")",
              weak: false, unknown: false,
            });
            props.aria = props.name + ": Multi-SEE index " + r.score.toFixed(2) + ", interval " + props.interval;
          }
        } else {
          const c = cell(mech, p.code, year);
          if (c) {
            Object.assign(props, {
              kind: "country", state: stateInfo(mech, c.state).legend, state_id: c.state,
              confidence: c.confidence || "n/a",
              evidence: c.state === UNKNOWN ? "n/a" : (c.evidence === "weak" ? "WEAK" : c.evidence || "n/a"),
              sources: c.sources || "(none)", unknown: c.state === UNKNOWN,
              weak: c.state !== UNKNOWN && isWeak(c),
            });
            props.aria = props.name + ": " + props.state + ", confidence " + props.confidence;
            if (props.unknown) {
              rows.push({ type: "Feature", properties: { code: p.code, kind: "hatch" },
                          geometry: { type: "MultiLineString", coordinates: hatchLines(f) } });
            }
          }
        }
      }
      if (props.kind !== "context") rows.unshift({ type: "Feature", geometry: f.geometry, properties: props });
    });
    return rows;
  }
  /** The context countries (and a jurisdiction without a value): drawn grey, never swapped on a
   *  year change unless the set changes. */
  function contextRows() {
    const shown = {};
    mapRows().forEach(function (r) { shown[r.properties.code] = true; });
    return D.features.filter(function (f) { return !shown[f.properties.code]; }).map(function (f) {
      return { type: "Feature", geometry: f.geometry, properties: { code: f.properties.code, kind: "context" } };
    });
  }
  function mapSpec(forExport) {
    const mech = state.mechanism;
    const tooltip = mech === INDEX
      ? [{ field: "properties.name", title: "country" },
         { field: "properties.score", title: "index", format: ".2f" },
         { field: "properties.interval", title: "interval" },
         { field: "properties.rank", title: "rank" }]
      : [{ field: "properties.name", title: "country" },
         { field: "properties.state", title: "state" },
         { field: "properties.confidence", title: "confidence" },
         { field: "properties.evidence", title: "evidence" },
         { field: "properties.sources", title: "sources" }];
    const legend = forExport
      ? { orient: "right", title: mech === INDEX ? "Multi-SEE index" : MECH[mech].label, labelFontSize: 12,
          titleFontSize: 13, symbolSize: 220, labelLimit: 320 }
      : null;
    if (forExport && mech !== INDEX) {  // the image's legend says which fill is hatched
      const unknown = JSON.stringify(stateInfo(mech, UNKNOWN).legend);
      legend.labelExpr = "datum.label === " + unknown + " ? datum.label + ' (hatched)' : datum.label";
    }
    const color = mech === INDEX
      ? { field: "properties.score", type: "quantitative", title: "Multi-SEE index",
          scale: { domain: [0, 1], scheme: "blues" }, legend: legend }
      : { field: "properties.state", type: "nominal", title: MECH[mech].label,
          scale: { domain: MECH[mech].states.map(function (s) { return s.legend; }),
                   range: MECH[mech].states.map(function (s) { return s.colour; }) },
          legend: legend };
    const only = function (test) { return [{ filter: test }]; };
    const layers = [
      { data: { name: "context", values: contextRows() },
        mark: { type: "geoshape", fill: CONTEXT_FILL, stroke: "#ffffff", strokeWidth: 0.6, aria: false } },
      { transform: only("datum.properties.kind === 'country'"),
        mark: { type: "geoshape", strokeWidth: 0.8, cursor: "pointer" },
        encoding: {
          color: color,
          fillOpacity: { condition: { test: "datum.properties.weak", value: WEAK_OPACITY }, value: 1 },
          strokeDash: { condition: { test: "datum.properties.weak", value: [3, 2] }, value: [1, 0] },
          stroke: { condition: { test: "datum.properties.weak", value: "#333333" }, value: "#ffffff" },
          tooltip: tooltip,
          description: { field: "properties.aria" },
        } },
      { transform: only("datum.properties.kind === 'hatch'"),
        mark: { type: "geoshape", filled: false, stroke: HATCH_INK, strokeWidth: 0.9, aria: false, tooltip: null } },
      labelLayer({ stroke: "#ffffff", strokeWidth: 3, strokeOpacity: 0.9 }),  // a halo under the label
      labelLayer({}),
    ];
    if (!forExport) {
      layers.push({ transform: only("datum.properties.kind === 'country' && datum.properties.code === sel"),
                    mark: { type: "geoshape", filled: false, stroke: "#000000", strokeWidth: 3, aria: false, tooltip: null } });
    }
    return {
      width: 760, height: 560,
      description: mapDescription(),
      params: forExport ? [] : [{ name: "sel", value: state.selected }],
      data: { name: "geo", values: mapRows() },
      // EPSG:3035 on the sphere, as the static maps; fitted to every shape once (not to the data
      // of the year, so a new year never refits the projection and redraws the context)
      projection: { type: "azimuthalEqualArea", rotate: [-10, -52], fit: FIT },
      layer: layers,
      config: { view: { stroke: null } },
    };
  }
  function mapDescription() {
    return title() + ": map of SEE+, one shape per jurisdiction coloured by "
      + (state.mechanism === INDEX ? "its Multi-SEE index score" : "its state") + "; unknown values are hatched.";
  }
  /** The country codes at their label points (a white halo layer, then the text). */
  function labelLayer(extra) {
    return { transform: [{ filter: "datum.properties.kind === 'country'" }],
             mark: Object.assign({ type: "text", fontSize: 11, fontWeight: "bold", aria: false, tooltip: null, fill: "#111111" }, extra),
             encoding: { longitude: { field: "properties.lx", type: "quantitative" },
                         latitude: { field: "properties.ly", type: "quantitative" },
                         text: { field: "properties.label" } } };
  }
  const FIT = { type: "FeatureCollection", features: D.features.map(function (f) {
    return { type: "Feature", properties: {}, geometry: f.geometry };
  }) };
  const CONTEXT_FILL = "#eeeeee", HATCH_INK = "#1a1a1a", WEAK_OPACITY = 0.45;
  /** The legend beside the map, drawn from the same states, colours and scheme as the fill. */
  function renderLegend() {
    const box = document.getElementById("map-legend");
    const mech = state.mechanism;
    let html = "<strong>" + esc(mech === INDEX ? "Multi-SEE index" : MECH[mech].label) + "</strong><ul>";
    if (mech === INDEX) {
      // the colours of the map's own scale, so the ramp is the fill
      const fill = views.map && drawnSpec.map === INDEX ? views.map.scale("color") : function () { return "#ffffff"; };
      const stops = [0, 0.25, 0.5, 0.75, 1].map(function (t) { return fill(t) + " " + (t * 100) + "%"; });
      html += "<li style=\"display:block\"><div class=\"ramp\" style=\"background:linear-gradient(to right," + stops.join(",")
        + ")\"></div><div class=\"ramp-labels\"><span>0 (none)</span><span>1 (all three)</span></div></li>";
    } else {
      MECH[mech].states.forEach(function (s) {
        const fill = s.id === UNKNOWN
          ? "repeating-linear-gradient(-45deg," + HATCH_INK + " 0 1px," + s.colour + " 1px 5px)"
          : s.colour;
        html += "<li data-state=\"" + esc(s.id) + "\"><span class=\"swatch\" style=\"background:" + fill + "\"></span>"
          + esc(s.legend + (s.id === UNKNOWN ? " (hatched)" : "")) + "</li>";
      });
      const weakFill = MECH[mech].states[0].colour;
      html += "<li data-state=\"weak\"><span class=\"swatch\" style=\"background:" + weakFill + ";opacity:" + WEAK_OPACITY
        + ";border:1px dashed #333\"></span>" + esc("lighter fill, dashed outline: " + D.weak_label) + "</li>";
    }
    html += "<li data-state=\"context\"><span class=\"swatch\" style=\"background:" + CONTEXT_FILL
      + "\"></span>outside SEE+ (not covered)</li></ul>";
    box.innerHTML = html;
  }
  function esc(t) {
    return String(t).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
    });
  }
  /** What the side box says of the selected country. */
  function renderInfo() {
    const box = document.getElementById("map-info");
    const code = state.selected;
    if (!code || !COUNTRY[code]) return;
    const mech = state.mechanism;
    let html = "<strong>" + esc(displayName(code)) + "</strong>, " + state.year + ": ";
    if (mech === INDEX) {
      const r = indexRow(code, state.year);
      html += r ? "Multi-SEE index " + r.score.toFixed(2) + " (interval " + r.low.toFixed(2) + " to " + r.high.toFixed(2) + ")" : "no value";
    } else {
      const c = cell(mech, code, state.year);
      html += c ? esc(stateInfo(mech, c.state).legend) + "; confidence " + esc(c.confidence || "n/a")
        + (c.state !== UNKNOWN && isWeak(c) ? "; weak evidence" : "")
        + (c.sources ? "; sources: " + c.sources.split(";").map(function (s) { return sourceLink(s.trim()); }).join(", ") : "")
        : "no value";
    }
    html += ". <a href=\"../countries/" + encodeURIComponent(code) + ".html\">Country page</a>";
    box.innerHTML = html;
  }
  function sourceLink(id) {
    return "<a href=\"../sources.html#src-" + esc(id.replace(/[^A-Za-z0-9._-]/g, "-")) + "\"><code>" + esc(id) + "</code></a>";
  }
  function select(code) {
    state.selected = code;
    renderInfo();
    if (views.map && !BASELINE) views.map.signal("sel", code).runAsync();
  }
  /** Keyboard: every jurisdiction's shape is focusable; focus selects it, Enter opens its page. */
  function wireMapKeys() {
    document.querySelectorAll("#map path[aria-label]").forEach(function (el) {
      const item = el.__data__;
      const code = item && item.datum && item.datum.properties && item.datum.properties.code;
      if (!code) return;
      el.setAttribute("tabindex", "0");
      el.dataset.code = code;
      if (!el.dataset.wired) {
        el.dataset.wired = "1";
        // a click goes to the country page (Vega's click listener); only keyboard focus selects
        el.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        el.addEventListener("focus", function () { select(el.dataset.code); });
        el.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            location.href = "../countries/" + el.dataset.code + ".html";
          }
        });
      }
    });
  }

  // ------------------------------------------------------------------ the chart
  /** One step line per country through its states, and a point per year on its state's band:
   *  y is the band's position (most multistakeholder on top), plus a small per-country offset so
   *  that countries in the same state stay apart. */
  function chartRows() {
    const mech = state.mechanism;
    const rows = seriesRows(mech, state.countries);
    if (mech === INDEX) return rows;
    const states = MECH[mech].states, n = states.length, k = state.countries.length;
    const band = {};
    states.forEach(function (s, i) { band[s.id] = n - 1 - i; });
    rows.forEach(function (r) {
      const j = state.countries.indexOf(r.code);
      r.band = band[r.state];
      r.y = r.band + (k > 1 ? (j / (k - 1) - 0.5) * 0.36 : 0);
      r.weak = r.state === UNKNOWN || r.evidence !== "strong";
      r.evidence_mark = r.state === UNKNOWN ? UNKNOWN : (r.evidence === "strong" ? "strong" : "weak");
    });
    return rows;
  }
  function chartSpec() {
    const mech = state.mechanism;
    const x = { field: "year", type: "quantitative", title: null,
                scale: { domain: [FIRST, LAST], nice: false }, axis: { format: "d" } };
    const colour = { field: "country", type: "nominal", title: "country",
                     sort: state.countries.map(displayName) };
    const rule = { data: { name: "now", values: [{ year: state.year }] },
                   mark: { type: "rule", strokeDash: [4, 3], color: "#444", aria: false },
                   encoding: { x: { field: "year", type: "quantitative" } } };
    let layers, desc;
    if (mech === INDEX) {
      desc = "Multi-SEE index of " + state.countries.map(displayName).join(", ") + " by year, " + FIRST + " to " + LAST
        + ", with the interval the unknown values allow";
      layers = [
        { mark: { type: "area", opacity: 0.15, aria: false },
          encoding: { x: x, y: { field: "low", type: "quantitative" }, y2: { field: "high" }, color: colour } },
        { name: "points", mark: { type: "line", point: true },
          encoding: { x: x, y: { field: "score", type: "quantitative", title: "Multi-SEE index (band: interval)", scale: { domain: [0, 1] } },
                      color: colour,
                      tooltip: [{ field: "country" }, { field: "year" }, { field: "score", format: ".2f" },
                                { field: "low", format: ".2f" }, { field: "high", format: ".2f" }, { field: "rank" }] } },
        rule,
      ];
    } else {
      const states = MECH[mech].states, n = states.length;
      const labels = states.map(function (s) { return s.legend; }).reverse();
      desc = MECH[mech].name + " of " + state.countries.map(displayName).join(", ") + " by year, " + FIRST + " to " + LAST
        + ": one step line per country through its states (" + states.map(function (s) { return s.legend; }).join(", ") + ")";
      const y = { field: "y", type: "quantitative", title: null,
                  scale: { domain: [-0.5, n - 0.5], nice: false, zero: false },
                  axis: { values: labels.map(function (_, i) { return i; }), labelExpr: JSON.stringify(labels) + "[datum.value]",
                          labelLimit: 320, labelFontSize: 12, grid: true, tickCount: n } };
      layers = [
        { name: "steps", mark: { type: "line", interpolate: "step-after", aria: false },
          encoding: { x: x, y: y, color: colour, order: { field: "year", type: "quantitative" } } },
        { name: "points", mark: { type: "point", filled: true, size: 45 },
          encoding: { x: x, y: y, color: colour,
                      opacity: { condition: { test: "datum.weak", value: 0.35 }, value: 1 },
                      shape: { field: "evidence_mark", type: "nominal", title: "evidence",
                               scale: { domain: ["strong", "weak", UNKNOWN], range: ["circle", "triangle-up", "cross"] } },
                      tooltip: [{ field: "country" }, { field: "year" }, { field: "state_label", title: "state" },
                                { field: "confidence" }, { field: "evidence" }, { field: "sources" }] } },
        rule,
      ];
    }
    return {
      width: 740, height: mech === INDEX ? 360 : 70 * MECH[mech].states.length,
      description: desc,
      title: { text: (mech === INDEX ? "Multi-SEE index" : MECH[mech].name) + ", " + FIRST + "-" + LAST },
      data: { values: chartRows() },
      layer: layers,
    };
  }

  // ------------------------------------------------------------------ tables
  function fillTable(id, cols, rows, cellFn, rowClass) {
    const table = document.getElementById(id);
    table.tHead.innerHTML = "<tr>" + cols.map(function (c) { return "<th scope=\"col\">" + esc(c[1]) + "</th>"; }).join("") + "</tr>";
    const tb = table.tBodies[0];
    tb.innerHTML = "";
    rows.forEach(function (r) {
      const tr = document.createElement("tr");
      tr.dataset.code = r.code;
      const cls = rowClass(r);
      if (cls) tr.className = cls;
      cols.forEach(function (c) {
        const td = document.createElement("td");
        td.dataset.col = c[0];
        cellFn(td, c[0], r);
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
  }
  function countryCell(td, r) {
    const a = document.createElement("a");
    a.href = "../countries/" + r.code + ".html";
    a.textContent = r.country;
    td.appendChild(a);
  }
  function stateCell(td, mech, s, text) {
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = stateInfo(mech, s).colour;
    td.appendChild(sw);
    td.appendChild(document.createTextNode(text));
  }
  function renderTable() {
    const mech = state.mechanism;
    const rows = rowsFor(state.year, mech);
    if (mech === INDEX) rows.sort(function (a, b) {
      return (a.rank == null ? 999 : a.rank) - (b.rank == null ? 999 : b.rank) || a.country.localeCompare(b.country);
    });
    const cols = mech === INDEX
      ? [["country", "country"], ["score", "index"], ["low", "low"], ["high", "high"], ["rank", "rank"], ["rank_range", "rank range"]]
      : [["country", "country"], ["state_label", "state"], ["confidence", "confidence"], ["evidence", "evidence"], ["sources", "sources"]];
    fillTable("table", cols, rows, function (td, col, r) {
      if (col === "country") countryCell(td, r);
      else if (col === "state_label") stateCell(td, mech, r.state, r.state_label);
      else if (col === "rank_range") { td.textContent = r.rank == null ? "reference" : r.rank_best + "-" + r.rank_worst; td.className = "num"; }
      else if (col === "evidence") td.textContent = r.state === UNKNOWN ? "" : (r.evidence === "weak" ? "weak ⚑" : r.evidence);
      else {
        const v = r[col];
        td.textContent = typeof v === "number" && col !== "rank" ? v.toFixed(2) : (v == null ? "" : String(v));
        if (typeof v === "number") td.className = "num";
      }
    }, function (r) { return mech !== INDEX && (r.state === UNKNOWN || r.evidence !== "strong") ? "weak" : ""; });
    document.getElementById("table-title").textContent = title();
  }
  /** Two chosen years side by side: each jurisdiction's state (or index) in both, and what changed. */
  function compareRows() {
    const mech = state.mechanism, a = state.compare[0], b = state.compare[1];
    const ra = {}, rb = {};
    rowsFor(a, mech).forEach(function (r) { ra[r.code] = r; });
    rowsFor(b, mech).forEach(function (r) { rb[r.code] = r; });
    return CODES.filter(function (c) { return ra[c] || rb[c]; }).map(function (c) {
      const x = ra[c], y = rb[c];
      const row = { code: c, country: displayName(c), year_a: a, year_b: b };
      if (mech === INDEX) {
        row.score_a = x ? x.score : null; row.score_b = y ? y.score : null;
        row.change = x && y ? Math.round((y.score - x.score) * 100) / 100 : null;
        row.changed = row.change !== null && row.change !== 0;
      } else {
        row.state_a = x ? x.state : ""; row.state_b = y ? y.state : "";
        row.state_label_a = x ? x.state_label : ""; row.state_label_b = y ? y.state_label : "";
        row.changed = row.state_a !== row.state_b;
        row.change = row.changed ? "changed" : "same";
      }
      return row;
    });
  }
  function compareColumns(mech) {
    return mech === INDEX
      ? ["code", "country", "year_a", "score_a", "year_b", "score_b", "change"]
      : ["code", "country", "year_a", "state_a", "state_label_a", "year_b", "state_b", "state_label_b", "change"];
  }
  function renderCompare() {
    const mech = state.mechanism, a = state.compare[0], b = state.compare[1];
    const rows = compareRows();
    const cols = mech === INDEX
      ? [["country", "country"], ["score_a", "index " + a], ["score_b", "index " + b], ["change", "change"]]
      : [["country", "country"], ["state_label_a", "state " + a], ["state_label_b", "state " + b], ["change", "change"]];
    fillTable("compare", cols, rows, function (td, col, r) {
      if (col === "country") countryCell(td, r);
      else if (col === "state_label_a") stateCell(td, mech, r.state_a, r.state_label_a);
      else if (col === "state_label_b") stateCell(td, mech, r.state_b, r.state_label_b);
      else if (mech === INDEX) {
        const v = r[col];
        td.textContent = v == null ? "" : (col === "change" && v > 0 ? "+" : "") + v.toFixed(2);
        td.className = "num";
      } else td.textContent = r.changed ? "changed" : "";
    }, function (r) { return r.changed ? "changed" : ""; });
    document.getElementById("compare-title").textContent = title();
    const n = rows.filter(function (r) { return r.changed; }).length;
    document.getElementById("compare-count").textContent = n + " of " + rows.length + " jurisdictions changed.";
  }
  /** The sources the cells of the view cite (the index: all three mechanisms), with who cites them. */
  function sourceRows() {
    const mechs = state.mechanism === INDEX ? D.mechanisms.map(function (m) { return m.id; }) : [state.mechanism];
    const cited = {};
    mechs.forEach(function (m) {
      CODES.forEach(function (code) {
        const c = cell(m, code, state.year);
        if (!c || !c.sources) return;
        c.sources.split(";").forEach(function (s) {
          const id = s.trim();
          if (!id) return;
          (cited[id] = cited[id] || []).push(displayName(code) + (mechs.length > 1 ? " (" + MECH[m].label + ")" : ""));
        });
      });
    });
    return Object.keys(cited).sort().map(function (id) {
      const s = D.sources[id] || ["", "", "", "", ""];
      return { id: id, title: s[0], publisher: s[1], kind: s[2], reliability: s[3], url: s[4], cited_for: cited[id].join("; ") };
    });
  }
  function renderSources() {
    const rows = sourceRows();
    const tb = document.getElementById("sources").tBodies[0];
    tb.innerHTML = "";
    rows.forEach(function (r) {
      const tr = document.createElement("tr");
      tr.dataset.id = r.id;
      tr.innerHTML = "<td>" + sourceLink(r.id) + "</td><td>" + (r.url ? "<a href=\"" + esc(r.url) + "\">" + esc(r.title || r.url) + "</a>" : esc(r.title))
        + "</td><td>" + esc(r.publisher) + "</td><td>" + esc(r.kind) + "</td><td>" + esc(r.reliability) + "</td><td>" + esc(r.cited_for) + "</td>";
      tb.appendChild(tr);
    });
    document.getElementById("sources-title").textContent = "Sources of the view: " + title();
    document.getElementById("sources-count").textContent = rows.length + " sources cited by the cells shown; "
      + "each links to its entry on the sources page.";
  }
  function renderCountries() {
    const box = document.getElementById("countries");
    if (!box.childElementCount) {
      D.countries.forEach(function (c) {
        const lab = document.createElement("label");
        const cb = document.createElement("input");
        cb.type = "checkbox"; cb.value = c.code; cb.name = "country";
        cb.addEventListener("change", function () {
          state.countries = Array.prototype.filter.call(box.querySelectorAll("input"), function (i) { return i.checked; })
            .map(function (i) { return i.value; });
          update();
        });
        lab.appendChild(cb);
        lab.appendChild(document.createTextNode(" " + displayName(c.code)));
        box.appendChild(lab);
      });
    }
    box.querySelectorAll("input").forEach(function (i) { i.checked = state.countries.indexOf(i.value) >= 0; });
  }
  function renderControls() {
    document.getElementById("year").value = String(state.year);
    document.getElementById("year-value").textContent = String(state.year);
    document.getElementById("mechanism").value = state.mechanism;
    document.getElementById("year-a").value = String(state.compare[0]);
    document.getElementById("year-b").value = String(state.compare[1]);
    document.querySelectorAll(".tabs button").forEach(function (b) {
      const on = b.dataset.view === state.view;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      document.getElementById("view-" + b.dataset.view).hidden = !on;
    });
    // the sentence of selection.year_note, for the year shown
    document.getElementById("year-note").textContent = state.year === D.default_year
      ? D.year_note
      : "Data year " + state.year + " (chosen; the default is the latest complete data year, " + D.default_year + ").";
    document.getElementById("map-title").textContent = title();
    document.getElementById("chart-title").textContent =
      (state.mechanism === INDEX ? "Multi-SEE index" : MECH[state.mechanism].label) + " over time";
    document.getElementById("weak-note").textContent = state.mechanism === INDEX
      ? "The index band is the interval the unknown cells allow (low: all unknown absent; high: all present)."
      : "Hatched: unknown. Lighter fill, dashed outline, italic row or ⚑: " + D.weak_label + ".";
  }

  // ------------------------------------------------------------------ rendering
  function onMapClick(ev, item) {
    const p = item && item.datum && item.datum.properties;
    if (p && p.kind === "country" && COUNTRY[p.code]) location.href = "../countries/" + p.code + ".html";
  }
  const stats = { draws: 0, embeds: 0 };
  function embed(id, spec) {
    stats.embeds += 1;
    if (views[id]) { views[id].finalize(); delete views[id]; }
    return window.vegaEmbed("#" + id, spec, { mode: "vega-lite", actions: false, renderer: "svg", tooltip: { theme: "light" } })
      .then(function (res) {
        views[id] = res.view;
        if (id === "map") { res.view.addEventListener("click", onMapClick); wireMapKeys(); }
        return res.view;
      });
  }
  /** What each view shows depends on: a view is redrawn only when its key changed. */
  function keyOf(view) {
    if (view === "map") return state.mechanism + "|" + state.year;
    if (view === "chart") return state.mechanism + "|" + state.countries.join(",") + "|" + state.year;
    if (view === "compare") return state.mechanism + "|" + state.compare.join(",");
    return state.mechanism + "|" + state.year;
  }
  const drawnKey = {}, drawnSpec = {};
  let contextCount = -1;
  /** Draw one view for the current state: the map and the chart keep their live Vega view when
   *  only the year changed (new data in, no new spec); the tables are plain DOM. */
  function draw(view) {
    const key = keyOf(view);
    if (drawnKey[view] === key) return Promise.resolve();
    drawnKey[view] = key;
    stats.draws += 1;
    if (view === "table") { renderTable(); return Promise.resolve(); }
    if (view === "compare") { renderCompare(); return Promise.resolve(); }
    if (view === "sources") { renderSources(); return Promise.resolve(); }
    if (view === "map") {
      renderLegend();
      renderInfo();
      if (views.map && drawnSpec.map === state.mechanism) {
        document.getElementById("map").setAttribute("aria-label", mapDescription());
        return swapYear(views.map).then(wireMapKeys);
      }
      drawnSpec.map = state.mechanism;
      contextCount = D.features.length - mapRows().filter(function (r) { return r.properties.kind === "country"; }).length;
      return embed("map", mapSpec(false)).then(renderLegend);
    }
    const structure = state.mechanism + "|" + state.countries.join(",");
    if (views.chart && drawnSpec.chart === structure) {
      return views.chart.data("now", [{ year: state.year }]).runAsync();
    }
    drawnSpec.chart = structure;
    return embed("chart", chartSpec());
  }
  /** A new year on the live map: the jurisdictions' tuples keep their identity (their
   *  properties are modified, so Vega updates their shapes in place instead of rebuilding them);
   *  hatching comes and goes with the unknown cells; a change in which jurisdictions have a value
   *  replaces the data. */
  function swapYear(view) {
    const rows = mapRows();
    const ctx = D.features.length - rows.filter(function (r) { return r.properties.kind === "country"; }).length;
    if (ctx !== contextCount) {
      contextCount = ctx;
      return view.data("geo", rows).data("context", contextRows()).runAsync();
    }
    const now = {};
    rows.forEach(function (r) { now[r.properties.kind + ":" + r.properties.code] = r; });
    const cs = view.changeset();
    view.data("geo").forEach(function (t) {
      const key = t.properties.kind + ":" + t.properties.code;
      const r = now[key];
      if (!r) cs.remove(t);
      // only the jurisdictions whose value changed are re-encoded (most keep theirs from year to year)
      else if (t.properties.kind === "country" && JSON.stringify(t.properties) !== JSON.stringify(r.properties)) {
        cs.modify(t, "properties", r.properties);
      }
      delete now[key];
    });
    Object.keys(now).forEach(function (k) { cs.insert(now[k]); });
    return view.change("geo", cs).runAsync();
  }
  function stateKey() {
    return state.view + "|" + keyOf(state.view) + "|" + state.countries.join(",");
  }
  let frame = 0, busy = null, again = false;
  function done(key) {
    if (!frame && !busy && key === stateKey()) document.body.dataset.rendered = key;
  }
  /** One redraw per animation frame, of the visible view only, one at a time: inputs that come
   *  while a redraw runs are folded into the next one. */
  function flush() {
    frame = 0;
    if (busy) { again = true; return; }
    const key = stateKey();
    busy = draw(state.view).then(function () {
      busy = null;
      if (again) { again = false; schedule(); } else done(key);
    }, function (err) { busy = null; throw err; });
  }
  function schedule() { if (!frame) frame = requestAnimationFrame(flush); }
  /** The behaviour before coalescing (``?redraw=every``): rebuild the map and the chart on every
   *  input, visible or not. */
  let pending = null;
  function redrawEvery() {
    renderTable();
    renderLegend();
    drawnSpec.map = drawnSpec.chart = null;
    const key = stateKey();
    const p = Promise.all([embed("map", mapSpec(false)), embed("chart", chartSpec())]).then(function () {
      if (p === pending) document.body.dataset.rendered = key;
    });
    pending = p;
    VIEWS.forEach(function (v) { drawnKey[v] = null; });
    if (state.view === "compare") renderCompare();
    if (state.view === "sources") renderSources();
    return p;
  }
  function update() {
    writeHash();
    renderControls();
    renderCountries();
    document.body.dataset.rendered = "";
    if (BASELINE) return redrawEvery();
    schedule();
  }

  // ------------------------------------------------------------------ downloads
  function csvText(cols, rows, footer) {
    function q(v) {
      const s = v == null ? "" : String(v);
      return /[",\n#]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
    }
    const lines = [cols.join(",")].concat(rows.map(function (r) { return cols.map(function (c) { return q(r[c]); }).join(","); }));
    // the citation and footnotes as comment lines after the data (pandas: read_csv(comment="#"))
    return lines.concat((footer || []).map(function (l) { return "# " + l; })).join("\n") + "\n";
  }
  function save(href, name) {
    const a = document.createElement("a");
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }
  /** The downloadable image: the view's spec with a legend and, under it, the citation, the
   *  source, the Kosovo* footnote and (maps) the boundary note. */
  function exportSpec(chart) {
    const isMap = chart === "map";
    const main = isMap ? mapSpec(true) : chartSpec();
    if (isMap) {
      main.title = { text: title(), fontSize: 16, subtitleFontSize: 11, subtitle: state.mechanism === INDEX
        ? "colour: the Multi-SEE index score"
        : "hatched: unknown; lighter fill, dashed outline: " + D.weak_label };
    }
    delete main.config;
    const lines = [];
    footerLines(isMap ? "map" : "chart", isMap).forEach(function (l) { wrap(l, 130).forEach(function (w) { lines.push(w); }); });
    const foot = {
      width: main.width, height: 14 * lines.length,
      data: { values: lines.map(function (t, i) { return { i: i, t: t }; }) },
      mark: { type: "text", align: "left", baseline: "top", fontSize: 10, color: "#333333" },
      encoding: { x: { value: 0 }, y: { field: "i", type: "quantitative", scale: { domain: [0, lines.length], range: [0, 14 * lines.length] }, axis: null },
                  text: { field: "t" } },
    };
    if (main.data && main.data.name) delete main.data.name;
    return { vconcat: [main, foot], config: { view: { stroke: null } }, background: "white" };
  }
  function download(kind, chart) {
    const stem = "multisee-" + chart + "-" + state.mechanism
      + (chart === "chart" ? "-" + FIRST + "-" + LAST : chart === "compare" ? "-" + state.compare.join("-") : "-" + state.year);
    if (kind === "csv") {
      let cols, rows;
      if (chart === "compare") { cols = compareColumns(state.mechanism); rows = compareRows(); }
      else if (chart === "sources") { cols = ["id", "title", "publisher", "kind", "reliability", "url", "cited_for"]; rows = sourceRows(); }
      else {
        cols = columnsFor(state.mechanism);
        rows = chart === "chart" ? seriesRows(state.mechanism, state.countries) : rowsFor(state.year, state.mechanism);
      }
      const url = URL.createObjectURL(new Blob([csvText(cols, rows, footerLines("table", false))], { type: "text/csv" }));
      save(url, stem + ".csv");
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      return;
    }
    // drawn off screen by the same bundle (it exposes vegaEmbed only), then saved
    const box = document.createElement("div");
    box.style.position = "absolute"; box.style.left = "-10000px"; box.setAttribute("aria-hidden", "true");
    document.body.appendChild(box);
    window.vegaEmbed(box, exportSpec(chart), { mode: "vega-lite", actions: false, renderer: "svg" }).then(function (res) {
      const out = kind === "svg"
        ? res.view.toSVG().then(function (svg) { return URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })); })
        : res.view.toImageURL("png", 2);
      return out.then(function (url) { save(url, stem + "." + kind); res.finalize(); box.remove(); });
    });
  }

  // ------------------------------------------------------------------ play
  let timer = null;
  function play(on) {
    const b = document.getElementById("play");
    if (timer) { clearInterval(timer); timer = null; }
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.textContent = on ? "❚❚ Pause" : "▶ Play";
    b.setAttribute("aria-label", on ? "pause" : "play the years");
    if (!on) return;
    if (state.year >= LAST) { state.year = FIRST; update(); }
    timer = setInterval(function () {
      if (state.year >= LAST) { play(false); return; }
      state.year += 1;
      update();
    }, PLAY_MS);
  }
  const PLAY_MS = 600;

  // ------------------------------------------------------------------ wiring
  function findCountry(q) {
    q = q.trim().toLowerCase();
    if (!q) return null;
    const exact = D.countries.filter(function (c) {
      return displayName(c.code).toLowerCase() === q || c.code.toLowerCase() === q || c.name.toLowerCase() === q;
    });
    const starts = D.countries.filter(function (c) { return displayName(c.code).toLowerCase().indexOf(q) === 0; });
    const within = D.countries.filter(function (c) { return displayName(c.code).toLowerCase().indexOf(q) >= 0; });
    const hit = exact[0] || starts[0] || within[0];
    return hit ? hit.code : null;
  }
  function init() {
    const y = document.getElementById("year");
    y.min = String(FIRST); y.max = String(LAST);
    const sel = document.getElementById("mechanism");
    D.mechanisms.forEach(function (m) { sel.add(new Option(m.label, m.id)); });
    sel.add(new Option("Multi-SEE index", INDEX));
    ["year-a", "year-b"].forEach(function (id, i) {
      const s = document.getElementById(id);
      for (let yr = FIRST; yr <= LAST; yr++) s.add(new Option(String(yr), String(yr)));
      s.addEventListener("change", function () { state.compare[i] = parseInt(s.value, 10); update(); });
    });
    const names = document.getElementById("country-names");
    D.countries.forEach(function (c) { names.appendChild(new Option(displayName(c.code))); });
    readHash();
    y.addEventListener("input", function () { state.year = parseInt(y.value, 10); update(); });
    sel.addEventListener("change", function () { state.mechanism = sel.value; update(); });
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.addEventListener("click", function () { state.view = b.dataset.view; update(); });
      b.addEventListener("keydown", function (ev) {  // arrow keys move between tabs
        const i = VIEWS.indexOf(b.dataset.view);
        const j = ev.key === "ArrowRight" ? (i + 1) % VIEWS.length : ev.key === "ArrowLeft" ? (i + VIEWS.length - 1) % VIEWS.length : -1;
        if (j < 0) return;
        state.view = VIEWS[j]; update();
        document.getElementById("tab-" + VIEWS[j]).focus();
      });
    });
    document.querySelectorAll("button[data-download]").forEach(function (b) {
      b.addEventListener("click", function () { download(b.dataset.download, b.dataset.chart); });
    });
    document.getElementById("play").addEventListener("click", function () { play(!timer); });
    const search = document.getElementById("search");
    function find() {
      const code = findCountry(search.value);
      search.setAttribute("aria-invalid", code || !search.value ? "false" : "true");
      if (!code) return;
      if (state.view === "chart" && state.countries.indexOf(code) < 0) { state.countries.push(code); update(); }
      if (state.view !== "map" && state.view !== "chart") { state.view = "map"; update(); }
      select(code);
      const el = document.querySelector("#map path[data-code=\"" + code + "\"]");
      if (el && state.view === "map") el.focus();
    }
    search.addEventListener("change", find);
    search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") find(); });
    document.getElementById("copy-embed").addEventListener("click", function () {
      const t = document.getElementById("embed-code");
      t.select();
      if (navigator.clipboard) navigator.clipboard.writeText(t.value).catch(function () { document.execCommand("copy"); });
      else document.execCommand("copy");
    });
    window.addEventListener("hashchange", function () { readHash(); update(); });
    update();
  }
  // the explorer's state and rows, for tests and the curious (console)
  window.multiseeExplorer = {
    state: state, rowsFor: rowsFor, seriesRows: seriesRows, chartRows: chartRows, compareRows: compareRows,
    sourceRows: sourceRows, csvText: csvText, views: views, exportSpec: exportSpec, baseline: BASELINE, stats: stats,
  };
  init();
})();
