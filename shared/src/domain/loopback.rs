//! Which hosts are this machine: one rule for the settings (plain `http`
//! only on loopback), the origin guard (loopback origins on a loopback
//! bind) and OAuth (loopback redirect URIs, no metadata fetch from
//! loopback). A fact about a URL, not about any one layer, so it sits with
//! the values every layer uses.

use url::Url;

/// True for `localhost`, 127.0.0.0/8 and `::1`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
