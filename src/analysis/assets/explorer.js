/* multisee explorer: map, chart and table of the adoption panel and the Multi-SEE index.
   Reads window.MULTISEE_EXPLORER (data.js) and renders with the shared local Vega bundle
   (window.vegaEmbed). No network: everything it needs is on the page or beside it. */
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
  const views = {};
  const state = { year: D.default_year, mechanism: "cctld", countries: DEFAULT_COUNTRIES.slice(), view: "map" };

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
  function isWeak(c) { return !c || c.state === "unknown" || c.evidence !== "strong"; }

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
    if (v === "map" || v === "chart" || v === "table") state.view = v;
  }
  function writeHash() {
    const p = new URLSearchParams();
    p.set("year", String(state.year));
    p.set("mechanism", state.mechanism);
    p.set("countries", state.countries.join(","));
    p.set("view", state.view);
    const h = "#" + p.toString().replace(/%2C/g, ",");
    if (location.hash !== h) history.replaceState(null, "", h);
  }

  // ------------------------------------------------------------------ specs
  function title() {
    return state.mechanism === INDEX
      ? "Multi-SEE index, " + state.year
      : MECH[state.mechanism].name + ", " + state.year;
  }
  function mapSpec() {
    const mech = state.mechanism, year = state.year;
    const inScope = [], context = [];
    D.features.forEach(function (f) {
      const p = f.properties;
      const known = p.in_scope && COUNTRY[p.code];
      if (!known) { context.push(f); return; }
      const props = { code: p.code, name: displayName(p.code), in_scope: true };
      if (mech === INDEX) {
        const r = indexRow(p.code, year);
        if (!r) { context.push(f); return; }
        Object.assign(props, {
          score: r.score, interval: r.low.toFixed(2) + " to " + r.high.toFixed(2),
          rank: r.rank == null ? "not ranked (reference jurisdiction)"
            : r.rank_best === r.rank_worst ? String(r.rank) : r.rank + " (" + r.rank_best + " to " + r.rank_worst + ")",
          weak: false,
        });
        props.aria = props.name + ": index " + r.score.toFixed(2);
      } else {
        const c = cell(mech, p.code, year);
        if (!c) { context.push(f); return; }
        const weak = isWeak(c);
        Object.assign(props, {
          state: stateInfo(mech, c.state).legend, confidence: c.confidence || "n/a",
          evidence: c.state === "unknown" ? "n/a" : (c.evidence === "weak" ? "WEAK" : c.evidence || "n/a"),
          sources: c.sources || "(none)", weak: weak,
        });
        props.aria = props.name + ": " + props.state;
      }
      inScope.push({ type: "Feature", geometry: f.geometry, properties: props });
    });
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
    const color = mech === INDEX
      ? { field: "properties.score", type: "quantitative", title: "Multi-SEE index",
          scale: { domain: [0, 1], scheme: "blues" } }
      : { field: "properties.state", type: "nominal", title: MECH[mech].label,
          scale: { domain: MECH[mech].states.map(function (s) { return s.legend; }),
                   range: MECH[mech].states.map(function (s) { return s.colour; }) },
          legend: { orient: "bottom", columns: 2, labelLimit: 360 } };
    return {
      width: 860, height: 600,
      title: { text: title(), subtitle: mech === INDEX
        ? "colour: the index score; hover for its interval and rank; click for the country page"
        : "lighter, dashed outline: " + D.weak_label },
      projection: { type: "azimuthalEqualArea", rotate: [-10, -52] },  // EPSG:3035 on the sphere, as the static maps
      layer: [
        { data: { values: context }, mark: { type: "geoshape", fill: "#eeeeee", stroke: "#ffffff", strokeWidth: 0.6 } },
        { data: { values: inScope },
          mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.8, cursor: "pointer" },
          encoding: {
            color: color,
            fillOpacity: { condition: { test: "datum.properties.weak", value: 0.45 }, value: 1 },
            strokeDash: { condition: { test: "datum.properties.weak", value: [3, 2] }, value: [1, 0] },
            stroke: { condition: { test: "datum.properties.weak", value: "#333333" }, value: "#ffffff" },
            tooltip: tooltip,
            description: { field: "properties.aria" },
          } },
      ],
      config: { view: { stroke: null } },
    };
  }
  function chartSpec() {
    const mech = state.mechanism;
    const rows = seriesRows(mech, state.countries);
    const x = { field: "year", type: "quantitative", title: null,
                scale: { domain: [FIRST, LAST], nice: false }, axis: { format: "d" } };
    const colour = { field: "country", type: "nominal", title: "country",
                     sort: state.countries.map(displayName) };
    const rule = { data: { values: [{ year: state.year }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#444" },
                   encoding: { x: { field: "year", type: "quantitative" } } };
    let layers;
    if (mech === INDEX) {
      layers = [
        { mark: { type: "area", opacity: 0.15 },
          encoding: { x: x, y: { field: "low", type: "quantitative" }, y2: { field: "high" }, color: colour } },
        { mark: { type: "line", point: true },
          encoding: { x: x, y: { field: "score", type: "quantitative", title: "Multi-SEE index (band: interval)", scale: { domain: [0, 1] } },
                      color: colour,
                      tooltip: [{ field: "country" }, { field: "year" }, { field: "score", format: ".2f" },
                                { field: "low", format: ".2f" }, { field: "high", format: ".2f" }, { field: "rank" }] } },
        rule,
      ];
    } else {
      rows.forEach(function (r) {
        r.weak = r.state === "unknown" || r.evidence !== "strong";
        r.evidence_mark = r.state === "unknown" ? "unknown" : (r.evidence === "strong" ? "strong" : "weak");
      });
      const offset = { field: "country", type: "nominal", sort: state.countries.map(displayName),
                       scale: { type: "point", range: [-9, 9] }, legend: null };
      const y = { field: "state_label", type: "ordinal", title: null,
                  sort: MECH[mech].states.map(function (s) { return s.legend; }),
                  scale: { domain: MECH[mech].states.map(function (s) { return s.legend; }) },
                  axis: { labelLimit: 320 } };
      layers = [
        { mark: { type: "line", interpolate: "step-after" }, encoding: { x: x, y: y, yOffset: offset, color: colour } },
        { mark: { type: "point", filled: true, size: 40 },
          encoding: { x: x, y: y, yOffset: offset, color: colour,
                      opacity: { condition: { test: "datum.weak", value: 0.3 }, value: 1 },
                      shape: { field: "evidence_mark", type: "nominal", title: "evidence",
                               scale: { domain: ["strong", "weak", "unknown"], range: ["circle", "triangle-up", "cross"] } },
                      tooltip: [{ field: "country" }, { field: "year" }, { field: "state_label", title: "state" },
                                { field: "confidence" }, { field: "evidence" }, { field: "sources" }] } },
        rule,
      ];
    }
    return {
      width: 740, height: mech === INDEX ? 360 : 280,
      title: { text: (mech === INDEX ? "Multi-SEE index" : MECH[mech].name) + ", " + FIRST + "-" + LAST },
      data: { values: rows },
      layer: layers,
    };
  }

  // ------------------------------------------------------------------ rendering
  function onMapClick(ev, item) {
    const p = item && item.datum && item.datum.properties;
    if (p && p.in_scope && COUNTRY[p.code]) location.href = "../countries/" + p.code + ".html";
  }
  function embed(id, spec) {
    if (views[id]) { views[id].finalize(); delete views[id]; }
    return window.vegaEmbed("#" + id, spec, { mode: "vega-lite", actions: false, renderer: "svg", tooltip: { theme: "light" } })
      .then(function (res) {
        views[id] = res.view;
        if (id === "map") res.view.addEventListener("click", onMapClick);
        return res.view;
      });
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
    const table = document.getElementById("table");
    table.tHead.innerHTML = "<tr>" + cols.map(function (c) { return "<th scope=\"col\">" + c[1] + "</th>"; }).join("") + "</tr>";
    const tb = table.tBodies[0];
    tb.innerHTML = "";
    rows.forEach(function (r) {
      const tr = document.createElement("tr");
      tr.dataset.code = r.code;
      if (mech !== INDEX && (r.state === "unknown" || r.evidence !== "strong")) tr.className = "weak";
      cols.forEach(function (c) {
        const td = document.createElement("td");
        td.dataset.col = c[0];
        if (c[0] === "country") {
          const a = document.createElement("a");
          a.href = "../countries/" + r.code + ".html";
          a.textContent = r.country;
          td.appendChild(a);
        } else if (c[0] === "state_label") {
          const sw = document.createElement("span");
          sw.className = "swatch";
          sw.style.background = stateInfo(mech, r.state).colour;
          td.appendChild(sw);
          td.appendChild(document.createTextNode(r.state_label));
        } else if (c[0] === "rank_range") {
          td.textContent = r.rank == null ? "reference" : r.rank_best + "-" + r.rank_worst;
          td.className = "num";
        } else if (c[0] === "evidence") {
          td.textContent = r.state === "unknown" ? "" : (r.evidence === "weak" ? "weak ⚑" : r.evidence);
        } else {
          const v = r[c[0]];
          td.textContent = typeof v === "number" && c[0] !== "rank" ? v.toFixed(2) : (v == null ? "" : String(v));
          if (typeof v === "number") td.className = "num";
        }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    document.getElementById("table-title").textContent = title();
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
    const y = document.getElementById("year");
    y.value = String(state.year);
    document.getElementById("year-value").textContent = String(state.year);
    document.getElementById("mechanism").value = state.mechanism;
    document.querySelectorAll(".tabs button").forEach(function (b) {
      const on = b.dataset.view === state.view;
      b.setAttribute("aria-selected", on ? "true" : "false");
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
      : "Lighter fill, dashed outline, italic row or ⚑: " + D.weak_label + ".";
  }
  let pending = null;
  function update() {
    writeHash();
    renderControls();
    renderCountries();
    renderTable();
    const key = state.year + "-" + state.mechanism + "-" + state.countries.join(",");
    document.body.dataset.rendered = "";
    const p = Promise.all([embed("map", mapSpec()), embed("chart", chartSpec())]).then(function () {
      if (p === pending) document.body.dataset.rendered = key;
    });
    pending = p;
    return p;
  }

  // ------------------------------------------------------------------ downloads
  function csvText(cols, rows) {
    function q(v) {
      const s = v == null ? "" : String(v);
      return /[",\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
    }
    return [cols.join(",")].concat(rows.map(function (r) { return cols.map(function (c) { return q(r[c]); }).join(","); }))
      .join("\n") + "\n";
  }
  function save(href, name) {
    const a = document.createElement("a");
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }
  function download(kind, chart) {
    const stem = "multisee-" + chart + "-" + state.mechanism + (chart === "chart" ? "-" + FIRST + "-" + LAST : "-" + state.year);
    if (kind === "csv") {
      const cols = columnsFor(state.mechanism);
      const rows = chart === "chart" ? seriesRows(state.mechanism, state.countries) : rowsFor(state.year, state.mechanism);
      const url = URL.createObjectURL(new Blob([csvText(cols, rows)], { type: "text/csv" }));
      save(url, stem + ".csv");
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      return;
    }
    views[chart].toImageURL(kind, kind === "png" ? 2 : 1).then(function (url) { save(url, stem + "." + kind); });
  }

  // ------------------------------------------------------------------ wiring
  function init() {
    const y = document.getElementById("year");
    y.min = String(FIRST); y.max = String(LAST);
    const sel = document.getElementById("mechanism");
    D.mechanisms.forEach(function (m) { sel.add(new Option(m.label, m.id)); });
    sel.add(new Option("Multi-SEE index", INDEX));
    readHash();
    y.addEventListener("input", function () { state.year = parseInt(y.value, 10); update(); });
    sel.addEventListener("change", function () { state.mechanism = sel.value; update(); });
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.addEventListener("click", function () { state.view = b.dataset.view; update(); });
    });
    document.querySelectorAll("button[data-download]").forEach(function (b) {
      b.addEventListener("click", function () { download(b.dataset.download, b.dataset.chart); });
    });
    window.addEventListener("hashchange", function () { readHash(); update(); });
    update();
  }
  // the explorer's state and rows, for tests and the curious (console)
  window.multiseeExplorer = { state: state, rowsFor: rowsFor, seriesRows: seriesRows, csvText: csvText, views: views };
  init();
})();
