// Picks the view for a tool result by the shape of its structuredContent
// (the three data tools' outputs differ), or explains an error result.

import { h, svg } from "./dom.js";
import { earnings, isEarnings } from "./earnings.js";
import { fans, isFans } from "./fans.js";
import { isKpis, kpis } from "./kpis.js";

/** The nodes showing one CallToolResult. */
export function render(result) {
  const text = textOf(result);
  if (result?.isError) return failure(text);
  const data = result?.structuredContent ?? parseJson(text);
  if (isKpis(data)) return kpis(data);
  if (isFans(data)) return fans(data);
  if (isEarnings(data)) return earnings(data);
  return failure("This result has no dashboard data to show.");
}

/** A clear message instead of empty charts. */
export function failure(text) {
  const denied = /^forbidden\b/i.test(text);
  const loggedOut = /malgomo_login|not logged in|log in/i.test(text);
  const title = denied
    ? "No access to the dashboard"
    : loggedOut
      ? "Sign in to see the dashboard"
      : "The dashboard could not be loaded";
  const hint = denied
    ? "Dashboard data is for agency owners and admins. Ask an owner for access."
    : null;
  return [
    h("section", { class: "card problem", role: "alert", "data-state": "error" },
      h("div", { class: "icon", "aria-hidden": "true" }, denied ? lock() : "!"),
      h("div", {},
        h("h1", { text: title }),
        h("p", { class: "message", "data-figure": "error", text: text || "The tool reported an error." }),
        hint ? h("p", { class: "hint", text: hint }) : null,
      ),
    ),
  ];
}

/** A padlock, drawn (emoji fonts are not everywhere). */
function lock() {
  return svg("svg", { viewBox: "0 0 16 16", width: 16, height: 16 },
    svg("rect", { x: 3, y: 7, width: 10, height: 7, rx: 1.5, fill: "currentColor" }),
    svg("path", { d: "M5.5 7V5a2.5 2.5 0 0 1 5 0v2", fill: "none", stroke: "currentColor", "stroke-width": 1.6 }));
}

export function textOf(result) {
  const block = (result?.content ?? []).find((c) => c?.type === "text");
  return block?.text ?? "";
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
