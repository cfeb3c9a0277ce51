//! The key every per-address limit counts under. One address is one key,
//! except that an IPv6 host usually owns a whole /64 (it can pick any of
//! its 2^64 addresses per request), so IPv6 is keyed by its /64 prefix; an
//! IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how dual-stack sockets report
//! IPv4 peers) is the IPv4 address it carries.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::domain::ClientIp;

/// Whom a per-address limit counts: an IPv4 address, an IPv6 /64, or — when
/// the host could not say where a request came from — one shared bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressKey {
    V4(Ipv4Addr),
    /// The first 64 bits of the address.
    V6Prefix([u16; 4]),
    Unknown,
}

impl AddressKey {
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4),
                None => Self::v6(v6),
            },
        }
    }

    fn v6(v6: Ipv6Addr) -> Self {
        let [a, b, c, d, ..] = v6.segments();
        Self::V6Prefix([a, b, c, d])
    }

    /// An address standing for the key: the IPv4 address, the first
    /// address of the /64; none when unknown. What is told to an upstream
    /// that limits per end-user address.
    pub fn ip(self) -> Option<IpAddr> {
        match self {
            Self::V4(v4) => Some(IpAddr::V4(v4)),
            Self::V6Prefix([a, b, c, d]) => Some(IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))),
            Self::Unknown => None,
        }
    }

    /// The key of a request, from the client address its host recorded.
    pub fn of_request<B>(request: &http::Request<B>) -> Self {
        request
            .extensions()
            .get::<ClientIp>()
            .map_or(Self::Unknown, |ip| Self::of(ip.0))
    }
}

impl fmt::Display for AddressKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::V4(v4) => write!(f, "{v4}"),
            Self::V6Prefix([a, b, c, d]) => write!(f, "{a:x}:{b:x}:{c:x}:{d:x}::/64"),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ip: &str) -> String {
        AddressKey::of(ip.parse().unwrap()).to_string()
    }

    #[test]
    fn ipv4_is_itself() {
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
    }

    #[test]
    fn ipv6_is_its_64() {
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2::ffff"), key("2001:db8:1:2:aaaa::1"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    #[test]
    fn mapped_ipv4_is_judged_as_ipv4() {
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        // Every mapped address shares the prefix ::ffff:0:0/96; keyed by
        // /64 they would all fall into one bucket.
        assert_ne!(key("::ffff:203.0.113.7"), key("::ffff:198.51.100.1"));
    }

    #[test]
    fn the_key_stands_as_an_address() {
        let ip = |raw: &str| {
            AddressKey::of(raw.parse().unwrap())
                .ip()
                .unwrap()
                .to_string()
        };
        assert_eq!(ip("203.0.113.7"), "203.0.113.7");
        assert_eq!(ip("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::");
        assert_eq!(AddressKey::Unknown.ip(), None);
    }

    #[test]
    fn a_request_without_a_recorded_address_is_unknown() {
        let request = http::Request::new(());
        assert_eq!(AddressKey::of_request(&request), AddressKey::Unknown);
        let mut request = http::Request::new(());
        request
            .extensions_mut()
            .insert(ClientIp("2001:db8::1".parse().unwrap()));
        assert_eq!(
            AddressKey::of_request(&request).to_string(),
            "2001:db8:0:0::/64"
        );
    }
}
