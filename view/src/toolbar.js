// The view's controls: a section switch (revenue / fans / earnings), a
// period switch (today / yesterday / 7 days / 30 days) and, where the host
// offers it, fullscreen. Each button says what it selects (data-section,
// data-period) and whether it is the current one (aria-pressed).

import { h } from "./dom.js";
import { PERIODS, SECTIONS } from "./sections.js";

/**
 * state: { section, period, busy, fullscreen, canFullscreen }
 * on: { section(id), period(id), fullscreen(wanted) }
 */
export function toolbar(state, on) {
  const choice = (label, items, current, key, pick, hidden) =>
    hidden
      ? null
      : h("div", { class: "switch", role: "group", "aria-label": label },
        items.map((item) => {
          const button = h("button", {
            type: "button",
            [`data-${key}`]: item.id,
            "aria-pressed": String(item.id === current),
            disabled: state.busy,
            text: item.name,
          });
          button.addEventListener("click", () => {
            if (item.id !== current) pick(item.id);
          });
          return button;
        }));
  const wide = state.canFullscreen
    ? h("button", {
      type: "button",
      class: "mode",
      "data-action": state.fullscreen ? "exit-fullscreen" : "fullscreen",
      disabled: state.busy,
      text: state.fullscreen ? "Exit fullscreen" : "Fullscreen",
    })
    : null;
  wide?.addEventListener("click", () => on.fullscreen(!state.fullscreen));
  return h("nav", { class: "toolbar", "aria-label": "Dashboard" },
    choice("Section", SECTIONS, state.section, "section", on.section, state.fullscreen),
    choice("Period", PERIODS, state.period, "period", on.period, false),
    wide,
  );
}
