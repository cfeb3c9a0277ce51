//! Resources on the wire: `resources/list`, `resources/read`,
//! `resources/templates/list`, and the MCP Apps `_meta` of a view.

use serde::Serialize;

/// One `resources/list` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub uri: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub mime_type: &'static str,
    /// Bytes of the contents, so hosts can decide before reading.
    pub size: usize,
    #[serde(rename = "_meta", skip_serializing_if = "Option::is_none")]
    pub meta: Option<ResourceMeta>,
}

/// One `resources/read` contents entry of a text resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextResourceContents {
    pub uri: &'static str,
    pub mime_type: &'static str,
    pub text: &'static str,
    #[serde(rename = "_meta", skip_serializing_if = "Option::is_none")]
    pub meta: Option<ResourceMeta>,
}

/// The result of `resources/list` (one page: no `nextCursor`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListResourcesResult {
    pub resources: Vec<Resource>,
}

/// The result of `resources/read`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadResourceResult {
    pub contents: Vec<TextResourceContents>,
}

/// A parameterised resource (`resources/templates/list`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceTemplate {
    pub uri_template: &'static str,
    pub name: &'static str,
}

/// The result of `resources/templates/list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResourceTemplatesResult {
    pub resource_templates: Vec<ResourceTemplate>,
}

/// A view's `_meta`: the MCP Apps extension's `ui`, and the keys ChatGPT
/// reads instead (its Apps SDK predates the extension and still takes the
/// view's CSP only from `openai/widgetCSP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceMeta {
    pub ui: ViewMeta,
    #[serde(flatten)]
    pub openai: WidgetMeta,
}

/// `_meta.ui` of a view: what it may load, and how the host frames it. No
/// `domain`: the view needs no stable origin (it calls nothing), and
/// Claude refuses any value but its own hash of the connector URL, which
/// only the person adding the connector knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewMeta {
    pub csp: ViewCsp,
    pub prefers_border: bool,
}

/// The origins a view may reach, per kind; empty lists say "none"
/// explicitly (hosts then apply their strictest policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewCsp {
    pub connect_domains: &'static [&'static str],
    pub resource_domains: &'static [&'static str],
    pub frame_domains: &'static [&'static str],
    pub base_uri_domains: &'static [&'static str],
}

impl ViewCsp {
    /// A view that loads nothing.
    pub const NOTHING: Self = Self {
        connect_domains: &[],
        resource_domains: &[],
        frame_domains: &[],
        base_uri_domains: &[],
    };
}

/// ChatGPT's spelling of the same facts (Apps SDK `openai/widget*` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WidgetMeta {
    #[serde(rename = "openai/widgetCSP")]
    pub csp: WidgetCsp,
    /// The origin ChatGPT associates with the view ("open in app", links);
    /// its app submission asks for one.
    #[serde(rename = "openai/widgetDomain")]
    pub domain: &'static str,
    /// What the view shows, so the model need not repeat it.
    #[serde(rename = "openai/widgetDescription")]
    pub description: &'static str,
    #[serde(rename = "openai/widgetPrefersBorder")]
    pub prefers_border: bool,
}

/// `openai/widgetCSP`: the origins of [`ViewCsp`], snake_case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WidgetCsp {
    pub connect_domains: &'static [&'static str],
    pub resource_domains: &'static [&'static str],
    pub frame_domains: &'static [&'static str],
}

impl WidgetCsp {
    /// ChatGPT's form of `csp`: the same origins.
    pub const fn of(csp: ViewCsp) -> Self {
        Self {
            connect_domains: csp.connect_domains,
            resource_domains: csp.resource_domains,
            frame_domains: csp.frame_domains,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_view_meta_serialises_as_the_extension_and_chatgpt_spell_it() {
        let meta = ResourceMeta {
            ui: ViewMeta {
                csp: ViewCsp::NOTHING,
                prefers_border: true,
            },
            openai: WidgetMeta {
                csp: WidgetCsp::of(ViewCsp::NOTHING),
                domain: "https://example.test",
                description: "d",
                prefers_border: true,
            },
        };
        assert_eq!(
            serde_json::to_value(meta).unwrap(),
            json!({
                "ui": {
                    "csp": { "connectDomains": [], "resourceDomains": [], "frameDomains": [], "baseUriDomains": [] },
                    "prefersBorder": true
                },
                "openai/widgetCSP": { "connect_domains": [], "resource_domains": [], "frame_domains": [] },
                "openai/widgetDomain": "https://example.test",
                "openai/widgetDescription": "d",
                "openai/widgetPrefersBorder": true
            })
        );
    }

    #[test]
    fn no_templates_is_an_empty_list() {
        let result = ListResourceTemplatesResult {
            resource_templates: Vec::new(),
        };
        assert_eq!(
            serde_json::to_value(result).unwrap(),
            json!({ "resourceTemplates": [] })
        );
    }
}
