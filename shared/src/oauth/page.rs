//! The sign-in page and the error page of the authorization endpoint: our
//! own HTML, everything escaped, no script, framing forbidden, and the
//! password never echoed.

use http::{HeaderValue, StatusCode, header};

use crate::web::html::escape;
use crate::web::{Response, reply};

/// What the sign-in form shows.
pub struct SignIn<'a> {
    /// Who is asking, as far as we know it.
    pub client: &'a ClientShown,
    /// Where the code goes: scheme, host and path, in full.
    pub redirect_target: &'a str,
    pub request_id: &'a str,
    pub csrf: &'a str,
    pub email: &'a str,
    pub message: Option<&'a str>,
}

/// How the page names the client: by what is proven, never by a bare
/// claim. A metadata-document client is named by the host serving its
/// `client_id` (only that host could have put the document there); a
/// registered client by the name it chose, marked as not verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientShown {
    pub label: String,
    pub verified: bool,
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f6f8;color:#1d2430;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}main{background:#fff;border:1px solid #dde1e7;border-radius:12px;padding:32px;max-width:380px;width:100%;box-shadow:0 4px 18px rgba(0,0,0,.06)}h1{font-size:1.3rem;margin:0 0 8px}p{line-height:1.45}.client{font-weight:600}label{display:block;margin:14px 0 4px;font-weight:600;font-size:.9rem}input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c5ccd6;border-radius:8px;font-size:1rem}button{margin-top:20px;width:100%;padding:11px;border:0;border-radius:8px;background:#3b5bdb;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}.error{background:#fdecec;border:1px solid #f3b7b7;color:#8a1f1f;padding:10px;border-radius:8px}.fine{color:#5b6573;font-size:.85rem}.unverified{color:#8a5a00;font-weight:400}code{word-break:break-all}@media(prefers-color-scheme:dark){body{background:#14171c;color:#e3e6eb}main{background:#1c2027;border-color:#2c323c}input[type=email],input[type=password]{background:#14171c;color:#e3e6eb;border-color:#3a414d}.fine{color:#9aa3b0}.unverified{color:#e0a84a}}";

/// CSP of these pages. No `form-action`: after the sign-in POST the browser
/// follows our redirect to the client, which `form-action` would block.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

pub fn sign_in(status: StatusCode, page: &SignIn<'_>) -> Response {
    let message = page
        .message
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(m)))
        .unwrap_or_default();
    let client = escape(&page.client.label);
    let who = if page.client.verified {
        format!("<span class=\"client\">{client}</span>")
    } else {
        format!(
            "<span class=\"client\">{client}</span> <span class=\"unverified\">(name not verified)</span>"
        )
    };
    let body = format!(
        "<h1>Sign in to MalGomo</h1>\
<p>{who} wants to read your MalGomo dashboard (revenue, fans, earnings) on your behalf.</p>\
<p>After you sign in, access is sent to <code class=\"target\">{target}</code>.</p>\
{message}\
<form method=\"post\" action=\"/oauth/login\">\
<input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\
<input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\">\
<label for=\"email\">Email</label><input id=\"email\" type=\"email\" name=\"email\" autocomplete=\"username\" required value=\"{email}\">\
<label for=\"password\">Password</label><input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\">Sign in and allow access</button></form>\
<p class=\"fine\">Use your MalGomo CRM email and password. Your password goes only to MalGomo's sign-in service; the app never sees it. Only sign in if you started this yourself and the address above is your app's.</p>",
        target = escape(page.redirect_target),
        request_id = escape(page.request_id),
        csrf = escape(page.csrf),
        email = escape(page.email),
    );
    html(status, "Sign in — MalGomo", &body)
}

/// An error shown on our page, because the redirect URI is not trusted.
pub fn error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<h1>This sign-in cannot continue</h1><p class=\"error\" role=\"alert\">{}</p><p class=\"fine\">Go back to the app you came from and connect again.</p>",
        escape(message)
    );
    html(status, "Sign-in error — MalGomo", &body)
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"same-origin\"><title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    );
    let mut response = reply::html(status, page);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // `no-referrer` would make browsers send `Origin: null` with the form
    // POST, which the origin guard refuses; `same-origin` sends our origin
    // with the POST and still no Referer to the client after the redirect.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}
