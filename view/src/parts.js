// Building blocks every view shares: the header, figure cards and tables.
// Figures carry data-figure (what it is) and data-value (the raw number
// from the tool result) so a test can check them against structuredContent.

import { h } from "./dom.js";
import { day, instant } from "./format.js";

const PERIODS = {
  today: "Today",
  yesterday: "Yesterday",
  "7d": "This week",
  this_week: "This week",
  "30d": "This month",
  this_month: "This month",
};

export function periodName(period) {
  return PERIODS[period] ?? period;
}

export function header(title, period, range, updated) {
  return h("header", { class: "head" },
    h("div", {},
      h("p", { class: "eyebrow", text: "MalGomo" }),
      h("h1", { text: title }),
    ),
    h("div", { class: "meta" },
      h("span", { class: "badge", "data-figure": "period", text: periodName(period) }),
      range ? h("span", { class: "range", text: dayRange(range) }) : null,
      updated ? h("span", { class: "updated", text: `Updated ${instant(updated)}` }) : null,
    ),
  );
}

/** "2026-11-30..2026-12-01" as "Nov 30 – Dec 1"; one day as "Dec 1". */
function dayRange(range) {
  const [from, to] = String(range).split("..");
  return to && to !== from ? `${day(from)} – ${day(to)}` : day(from);
}

/** A headline number. */
export function stat(label, figure, value, text, { hero = false, sub } = {}) {
  return h("div", { class: hero ? "card stat hero" : "card stat" },
    h("p", { class: "label", text: label }),
    h("p", { class: "value", "data-figure": figure, "data-value": value, text }),
    sub ? h("p", { class: "sub", text: sub }) : null,
  );
}

/**
 * A table of rows. columns: [{ name, cell(row) -> string | Node, num?: bool,
 * bar?: bool (a meter), wide?: bool (both dropped on narrow screens), figure?: string,
 * value?(row) -> number }]. Rows past `shown` wait behind a "Show all" button.
 */
export function table(title, name, columns, rows, caption, shown = Infinity) {
  const cls = (c) =>
    [c.num ? "num" : null, c.bar ? "bar-col" : null, c.wide ? "wide-col" : null].filter(Boolean).join(" ") || null;
  const more = rows.length - shown;
  const button = more > 0
    ? h("button", { type: "button", class: "more", text: `Show all ${rows.length}` })
    : null;
  const body = h("tbody", {}, rows.map((row, r) =>
    h("tr", { class: r >= shown ? "later" : null }, columns.map((c, i) => {
      const content = c.cell(row);
      return h(i === 0 ? "th" : "td", {
        scope: i === 0 ? "row" : null,
        class: cls(c),
        "data-col": c.figure,
        "data-value": c.value ? c.value(row) : null,
      }, content);
    }))));
  button?.addEventListener("click", () => {
    body.classList.add("all");
    button.remove();
  });
  return h("section", { class: "card list", "data-table": name, "data-rows": rows.length },
    h("h2", { class: "card-title", text: title }),
    caption ? h("p", { class: "note", text: caption }) : null,
    h("div", { class: "scroll" },
      h("table", {},
        h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: cls(c), text: c.name })))),
        body,
      ),
    ),
    button,
  );
}

export function grid(cls, ...children) {
  return h("div", { class: `grid ${cls}` }, ...children);
}
