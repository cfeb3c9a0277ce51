//! The dashboard view: one self-contained HTML document (script, styles and
//! the MCP Apps SDK inlined, built from `view/` by `scripts/build-view`) that
//! renders whichever of the KPIs, fans or earnings results the host hands it.

use super::{MCP_APP_MIME, Resource};
use crate::domain::PRODUCT_WEBSITE;
use crate::protocol::resource::{
    self as wire, ResourceMeta, ViewCsp, ViewMeta, WidgetCsp, WidgetMeta,
};

const TEXT: &str = include_str!("dashboard.html");

pub static DASHBOARD: Resource = Resource {
    listing: wire::Resource {
        uri: "ui://malgomo/dashboard",
        name: "dashboard",
        title: "MalGomo dashboard",
        description: "Interactive view of the dashboard tools' results (revenue KPIs, fan growth, earnings): headline figures, charts and per-creator tables, in the host's theme.",
        mime_type: MCP_APP_MIME,
        size: TEXT.len(),
        // The view loads nothing: no connect, resource, frame or base-URI
        // origins (hosts then apply their strictest CSP), said in both the
        // extension's and ChatGPT's keys.
        meta: Some(ResourceMeta {
            ui: ViewMeta {
                csp: ViewCsp::NOTHING,
                prefers_border: true,
            },
            openai: WidgetMeta {
                csp: WidgetCsp::of(ViewCsp::NOTHING),
                domain: PRODUCT_WEBSITE,
                description: "The MalGomo dashboard for the period asked: headline figures, charts and per-creator tables of revenue, fans or earnings; the user can switch section and period in the view, so do not repeat its figures.",
                prefers_border: true,
            },
        }),
    },
    text: TEXT,
};
