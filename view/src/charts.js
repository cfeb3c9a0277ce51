// Inline SVG charts. Bars are drawn in a stretchable viewBox so the chart
// fills any width (320 px phone to wide panel); every text stays HTML, so it
// never scales. Each chart names itself for screen readers (role="img" with
// a summary) and carries its numbers as a table under "Show data".

import { h, svg, uid } from "./dom.js";

/**
 * A column chart over labelled slots.
 * series: [{ name, key, values: number[] }] (1 or 2 series)
 * mode: "single" | "stack" (series add up) | "overlay" (second drawn inside the first)
 */
export function columns({ title, labels, series, mode = "single", format, summary, figure }) {
  // Few points (a week so far) would make slabs: keep room for at least
  // seven, and centre the bars.
  const n = Math.max(labels.length, 7);
  const offset = ((n - labels.length) * 10) / 2;
  const totals = labels.map((_, i) =>
    mode === "stack" ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(...series.map((s) => s.values[i] ?? 0)),
  );
  const max = Math.max(...totals, 0) || 1;
  const slot = 10;
  const bars = [];
  labels.forEach((label, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      const height = (value / max) * 100;
      const inset = mode === "overlay" && k > 0 ? 2.6 : 1.4;
      const y = mode === "stack" ? 100 - base - height : 100 - height;
      bars.push(
        svg("rect", {
          class: `bar ${s.key}`,
          x: offset + i * slot + inset,
          y: y.toFixed(3),
          width: slot - 2 * inset,
          height: Math.max(height, value > 0 ? 0.6 : 0).toFixed(3),
        }, svg("title", { text: `${label} · ${s.name}: ${format(value)}` })),
      );
      if (mode === "stack") base += height;
    });
  });
  const titleId = uid("chart");
  const descId = uid("desc");
  const grid = [25, 50, 75].map((y) =>
    svg("line", { class: "grid", x1: 0, x2: n * slot, y1: y, y2: y, "vector-effect": "non-scaling-stroke" }),
  );
  const chart = svg("svg", {
    class: "columns",
    viewBox: `0 0 ${n * slot} 100`,
    preserveAspectRatio: "none",
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
  }, svg("desc", { id: descId, text: summary }), grid, bars);
  // Tick labels sit under their bars, as a share of the chart's width.
  const ticks = tickIndexes(labels.length).map((i) =>
    h("span", { style: `left:${(((offset + (i + 0.5) * slot) / (n * slot)) * 100).toFixed(2)}%`, text: labels[i] }));
  return h("figure", { class: "card chart", "data-chart": figure, "data-points": labels.length },
    h("figcaption", {},
      h("span", { id: titleId, class: "card-title", text: title }),
      series.length > 1 ? legend(series) : null,
    ),
    h("div", { class: "plot" },
      h("span", { class: "axis-max", "aria-hidden": "true", text: format(max) }),
      chart,
    ),
    h("div", { class: "ticks", "aria-hidden": "true" }, ticks),
    dataTable(labels, series, format),
  );
}

/** First, middle and last points: enough to read the axis at any width. */
function tickIndexes(count) {
  if (count <= 3) return [...Array(count).keys()];
  return [0, Math.floor((count - 1) / 2), count - 1];
}

function legend(series) {
  return h("span", { class: "legend" },
    series.map((s) => h("span", { class: "key" }, h("i", { class: `swatch ${s.key}` }), s.name)));
}

function dataTable(labels, series, format) {
  return h("details", { class: "data" },
    h("summary", { text: "Show data" }),
    h("div", { class: "scroll" },
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "" }), series.map((s) => h("th", { scope: "col", text: s.name })))),
        h("tbody", {}, labels.map((label, i) =>
          h("tr", {}, h("th", { scope: "row", text: label }), series.map((s) => h("td", { class: "num", text: format(s.values[i] ?? 0) }))))),
      ),
    ),
  );
}

/**
 * One horizontal bar split into shares, with a legend that lists every
 * part's value and share (the legend is the text alternative).
 * parts: [{ name, key (colour), id?, value, text }]
 */
export function shares({ title, parts, total, percentOf, figure }) {
  const sum = parts.reduce((acc, p) => acc + p.value, 0) || 1;
  let x = 0;
  const segments = parts.map((p) => {
    const width = (p.value / sum) * 100;
    const rect = svg("rect", { class: `seg ${p.key}`, x: x.toFixed(3), y: 0, width: width.toFixed(3), height: 10 },
      svg("title", { text: `${p.name}: ${p.text}` }));
    x += width;
    return rect;
  });
  const titleId = uid("share");
  return h("section", { class: "card shares", "data-chart": figure, "aria-labelledby": titleId },
    h("h2", { id: titleId, class: "card-title", text: title }),
    svg("svg", { class: "sharebar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" }, segments),
    h("ul", { class: "share-list" }, parts.map((p) =>
      h("li", { "data-part": p.id ?? p.key, "data-value": p.value },
        h("i", { class: `swatch ${p.key}` }),
        h("span", { class: "name", text: p.name }),
        h("span", { class: "num", text: p.text }),
        h("span", { class: "pct", text: percentOf(p.value, total) }),
      ))),
  );
}

/** A horizontal meter for a table cell: value relative to the largest. */
export function meter(value, max) {
  const width = max > 0 ? Math.max((value / max) * 100, value > 0 ? 1 : 0) : 0;
  return h("span", { class: "meter", "aria-hidden": "true" }, h("span", { style: `width:${width.toFixed(1)}%` }));
}
