// The view's two choices — which section (one data tool each) and which
// period (the four every data tool takes) — and what the model is told the
// user is looking at (ui/update-model-context) after a switch.

import { isEarnings } from "./earnings.js";
import { isFans } from "./fans.js";
import { isKpis } from "./kpis.js";
import { count, money } from "./format.js";

export const SECTIONS = [
  { id: "revenue", name: "Revenue", tool: "malgomo_get_kpis" },
  { id: "fans", name: "Fans", tool: "malgomo_get_fans" },
  { id: "earnings", name: "Earnings", tool: "malgomo_get_earnings" },
];

export const PERIODS = [
  { id: "today", name: "Today" },
  { id: "yesterday", name: "Yesterday" },
  { id: "7d", name: "7 days" },
  { id: "30d", name: "30 days" },
];

/** The backend's names for the windows, as the tools' period values. */
const PERIOD_ALIASES = { this_week: "7d", this_month: "30d" };

export function sectionById(id) {
  return SECTIONS.find((s) => s.id === id);
}

export function periodById(id) {
  return PERIODS.find((p) => p.id === id);
}

/** Which section a result's data belongs to; undefined for none. */
export function sectionOf(data) {
  if (isKpis(data)) return "revenue";
  if (isFans(data)) return "fans";
  if (isEarnings(data)) return "earnings";
  return undefined;
}

/** The period of a call: its arguments', else the one its data names. */
export function periodOf(args, data) {
  const asked = args?.period ?? data?.mobile_period ?? data?.period;
  const id = PERIOD_ALIASES[asked] ?? asked;
  return periodById(id) ? id : "today";
}

/** The headline figures of a section's data, by name. */
export function headline(section, data) {
  if (!data) return {};
  switch (section) {
    case "revenue":
      return { net_revenue_eur: data.hero_net_eur, creators: data.creator_count };
    case "fans":
      return {
        fans: data.totals?.total,
        new_in_period: data.new_in_period?.total,
        new_today: data.new_today_total,
      };
    case "earnings":
      return {
        net_eur: data.period_totals?.net,
        gross_eur: data.period_totals?.gross,
        month_net_eur: data.month?.net,
      };
    default:
      return {};
  }
}

const FIGURE_NAMES = {
  net_revenue_eur: ["net revenue", money],
  creators: ["creators", count],
  fans: ["fans", count],
  new_in_period: ["new fans in the period", count],
  new_today: ["new fans today", count],
  net_eur: ["net earnings", money],
  gross_eur: ["gross earnings", money],
  month_net_eur: ["net earnings this month", money],
};

/**
 * What the model is told after a switch: prose for any host, the same as
 * structured content. `shown` is [{ section, data?, error? }].
 */
export function modelContext(period, shown, fullscreen) {
  const periodName = periodById(period)?.name ?? period;
  const parts = shown.map(({ section, data, error }) => {
    const name = sectionById(section)?.name ?? section;
    if (error) return `${name}: not shown (${error})`;
    const figures = Object.entries(headline(section, data))
      .filter(([, value]) => typeof value === "number")
      .map(([key, value]) => `${FIGURE_NAMES[key][0]} ${FIGURE_NAMES[key][1](value)}`);
    return `${name}: ${figures.join(", ")}`;
  });
  const where = fullscreen ? "in fullscreen, all sections" : "the MalGomo dashboard view";
  return {
    content: [
      {
        type: "text",
        text: `The user is looking at ${where}, period ${periodName} (${period}). ${parts.join(". ")}.`,
      },
    ],
    structuredContent: {
      period,
      section: shown.length === 1 ? shown[0].section : "all",
      displayMode: fullscreen ? "fullscreen" : "inline",
      sections: shown.map(({ section, data, error }) =>
        error ? { section, error } : { section, figures: headline(section, data) },
      ),
    },
  };
}
