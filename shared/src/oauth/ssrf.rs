//! Which addresses a server-side fetch (a client metadata document) may
//! reach: global unicast only, by allowlist. Every block of the IANA
//! special-purpose registries (IPv4 and IPv6) counts as non-global, as do
//! multicast and the reserved 240.0.0.0/4; IPv6 outside 2000::/3 is never
//! global. IPv6 forms that carry an IPv4 address (mapped, compatible,
//! NAT64, 6to4, Teredo) are judged by the IPv4 address they lead to, so
//! `64:ff9b::a9fe:a9fe` is the metadata service it translates to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 blocks that are not global unicast: the special-purpose registry
/// (RFC 6890 and successors), multicast, and 240.0.0.0/4 (which holds the
/// limited broadcast address).
const V4_NOT_GLOBAL: [([u8; 4], u8); 20] = [
    ([0, 0, 0, 0], 8),          // "this network" (RFC 791)
    ([10, 0, 0, 0], 8),         // private (RFC 1918)
    ([100, 64, 0, 0], 10),      // shared address space, CGNAT (RFC 6598)
    ([127, 0, 0, 0], 8),        // loopback
    ([169, 254, 0, 0], 16),     // link-local, incl. the cloud metadata service
    ([172, 16, 0, 0], 12),      // private (RFC 1918)
    ([192, 0, 0, 0], 24),       // IETF protocol assignments (RFC 6890)
    ([192, 0, 2, 0], 24),       // documentation TEST-NET-1
    ([192, 31, 196, 0], 24),    // AS112-v4 (RFC 7535)
    ([192, 52, 193, 0], 24),    // AMT (RFC 7450)
    ([192, 88, 99, 0], 24),     // deprecated 6to4 relay anycast (RFC 7526)
    ([192, 168, 0, 0], 16),     // private (RFC 1918)
    ([192, 175, 48, 0], 24),    // direct delegation AS112 (RFC 7534)
    ([198, 18, 0, 0], 15),      // benchmarking (RFC 2544)
    ([198, 51, 100, 0], 24),    // documentation TEST-NET-2
    ([203, 0, 113, 0], 24),     // documentation TEST-NET-3
    ([224, 0, 0, 0], 4),        // multicast
    ([240, 0, 0, 0], 4),        // reserved (RFC 1112), incl. 255.255.255.255
    ([255, 255, 255, 255], 32), // limited broadcast (RFC 919)
    ([0, 0, 0, 0], 32),         // unspecified
];

/// IPv6 blocks inside 2000::/3 that are not global unicast (the rest of
/// the special-purpose registry lies outside 2000::/3, which is refused
/// whole). The embedding forms are decoded before this list is consulted.
const V6_NOT_GLOBAL: [([u16; 8], u8); 4] = [
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments (RFC 2928): ORCHID, AMT, AS112, benchmarking … (Teredo is decoded first)
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation (RFC 3849)
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation (RFC 9637)
    ([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0], 48), // direct delegation AS112 (RFC 7534)
];

/// True when a fetch may connect to `ip`.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => is_global_v6(v6),
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let bits = u32::from(ip);
    !V4_NOT_GLOBAL
        .iter()
        .any(|(net, len)| within(bits, u32::from(Ipv4Addr::from(*net)), *len, 32))
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let embedded = embedded_v4(ip);
    if !embedded.is_empty() {
        return embedded.into_iter().all(is_global_v4);
    }
    let bits = u128::from(ip);
    // Global unicast is 2000::/3; everything else (::/8, 64:ff9b:1::/48,
    // 100::/64, 5f00::/16, fc00::/7, fe80::/10, ff00::/8 …) is not.
    within(bits, 0x2000 << 112, 3, 128)
        && !V6_NOT_GLOBAL
            .iter()
            .any(|(net, len)| within(bits, u128::from(Ipv6Addr::from(*net)), *len, 128))
}

/// The IPv4 addresses an IPv6 address leads to, when it embeds any.
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let bits = u128::from(ip);
    let low32 = Ipv4Addr::from(bits as u32);
    // IPv4-mapped ::ffff:0:0/96: the socket talks IPv4 to it.
    if within(bits, 0xffff << 32, 96, 128) {
        return vec![low32];
    }
    // IPv4-compatible ::/96 (deprecated), but not :: and ::1 themselves.
    if within(bits, 0, 96, 128) && bits > 1 {
        return vec![low32];
    }
    // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
    if within(bits, 0x0064_ff9b << 96, 96, 128) {
        return vec![low32];
    }
    // 6to4 2002:AABB:CCDD::/48 (RFC 3056).
    if within(bits, 0x2002 << 112, 16, 128) {
        return vec![Ipv4Addr::from((bits >> 80) as u32)];
    }
    // Teredo 2001:0::/32 (RFC 4380): the server, and the client's address
    // stored inverted in the last 32 bits.
    if within(bits, 0x2001_0000 << 96, 32, 128) {
        return vec![
            Ipv4Addr::from((bits >> 64) as u32),
            Ipv4Addr::from(!(bits as u32)),
        ];
    }
    Vec::new()
}

/// Whether `bits` lies in `net`/`len` (both `width` bits wide, in a u128).
fn within<T: Into<u128>>(bits: T, net: T, len: u8, width: u32) -> bool {
    let shift = width - u32::from(len);
    let (bits, net) = (bits.into(), net.into());
    len == 0 || (bits >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One address inside each block of the IANA IPv4 special-purpose
    /// registry (and multicast / reserved), with the block it stands for.
    const V4_BLOCKS: [(&str, &str); 28] = [
        ("0.0.0.0", "0.0.0.0/32 unspecified"),
        ("0.1.2.3", "0.0.0.0/8 this network"),
        ("10.0.0.1", "10.0.0.0/8 private"),
        ("100.64.0.1", "100.64.0.0/10 shared"),
        ("100.127.255.254", "100.64.0.0/10 shared, last"),
        ("127.0.0.1", "127.0.0.0/8 loopback"),
        ("127.255.255.254", "127.0.0.0/8 loopback, last"),
        ("169.254.169.254", "169.254.0.0/16 link-local (metadata)"),
        ("172.16.0.1", "172.16.0.0/12 private"),
        ("172.31.255.254", "172.16.0.0/12 private, last"),
        ("192.0.0.1", "192.0.0.0/24 IETF (192.0.0.0/29 DS-Lite)"),
        ("192.0.0.8", "192.0.0.8/32 IPv4 dummy"),
        ("192.0.0.9", "192.0.0.9/32 PCP anycast"),
        ("192.0.0.10", "192.0.0.10/32 TURN anycast"),
        ("192.0.0.170", "192.0.0.170/32 NAT64 discovery"),
        ("192.0.0.192", "192.0.0.0/24 IETF (reported)"),
        ("192.0.2.1", "192.0.2.0/24 TEST-NET-1"),
        ("192.31.196.1", "192.31.196.0/24 AS112-v4"),
        ("192.52.193.1", "192.52.193.0/24 AMT"),
        ("192.88.99.1", "192.88.99.0/24 6to4 relay anycast"),
        ("192.168.1.1", "192.168.0.0/16 private"),
        ("192.175.48.1", "192.175.48.0/24 AS112 delegation"),
        ("198.18.0.1", "198.18.0.0/15 benchmarking"),
        ("198.19.255.254", "198.18.0.0/15 benchmarking, last"),
        ("198.51.100.1", "198.51.100.0/24 TEST-NET-2"),
        ("203.0.113.1", "203.0.113.0/24 TEST-NET-3"),
        ("224.0.0.1", "224.0.0.0/4 multicast"),
        ("240.0.0.1", "240.0.0.0/4 reserved"),
    ];

    /// The IPv6 special-purpose registry, plus what lies outside 2000::/3.
    const V6_BLOCKS: [(&str, &str); 27] = [
        ("::", "::/128 unspecified"),
        ("::1", "::1/128 loopback"),
        ("::ffff:127.0.0.1", "::ffff:0:0/96 mapped loopback"),
        ("::ffff:10.0.0.1", "::ffff:0:0/96 mapped private"),
        ("::ffff:169.254.169.254", "::ffff:0:0/96 mapped metadata"),
        ("::127.0.0.1", "::/96 compatible loopback"),
        ("::10.0.0.1", "::/96 compatible private"),
        ("64:ff9b::7f00:1", "64:ff9b::/96 NAT64 of 127.0.0.1"),
        (
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::/96 NAT64 of 169.254.169.254",
        ),
        ("64:ff9b::c612:1", "64:ff9b::/96 NAT64 of 198.18.0.1"),
        ("64:ff9b:1::8.8.8.8", "64:ff9b:1::/48 local-use translation"),
        ("100::1", "100::/64 discard-only"),
        ("100:0:0:1::1", "100:0:0:1::/64 dummy prefix"),
        ("2001::1", "2001::/32 Teredo (server 0.0.0.0)"),
        (
            "2001:0:808:808::f5ff:fffe",
            "2001::/32 Teredo, client 10.0.0.1",
        ),
        ("2001:1::1", "2001:1::1/128 port control anycast"),
        ("2001:2::1", "2001:2::/48 benchmarking"),
        ("2001:3::1", "2001:3::/32 AMT"),
        ("2001:4:112::1", "2001:4:112::/48 AS112-v6"),
        ("2001:20::1", "2001:20::/28 ORCHIDv2"),
        ("2001:db8::1", "2001:db8::/32 documentation"),
        ("2002:a00:1::", "2002::/16 6to4 of 10.0.0.1"),
        ("2002:7f00:1::", "2002::/16 6to4 of 127.0.0.1"),
        ("2620:4f:8000::1", "2620:4f:8000::/48 AS112 delegation"),
        ("3fff::1", "3fff::/20 documentation"),
        ("5f00::1", "5f00::/16 SRv6 SIDs"),
        ("fd00:ec2::254", "fc00::/7 unique local (EC2 metadata)"),
    ];

    const V6_OUTSIDE: [&str; 5] = [
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "4000::1",
        "::ffff:0:7f00:1",
    ];

    #[test]
    fn every_special_purpose_block_is_not_global() {
        for (ip, block) in V4_BLOCKS.iter().chain(V6_BLOCKS.iter()) {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!is_global(ip), "{ip} ({block}) was judged global");
        }
        for ip in V6_OUTSIDE {
            assert!(!is_global(ip.parse().unwrap()), "{ip} was judged global");
        }
    }

    #[test]
    fn global_unicast_is_global() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.215.14",
            "192.0.1.1",
            "192.0.3.1",
            "198.20.0.1",
            "223.255.255.254",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:0:808:808::f7f7:f7f7",
        ] {
            assert!(is_global(ip.parse().unwrap()), "{ip} was judged not global");
        }
    }

    #[test]
    fn embedded_ipv4_is_decoded() {
        let v6 = |s: &str| s.parse::<Ipv6Addr>().unwrap();
        let v4 = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(
            embedded_v4(v6("64:ff9b::a9fe:a9fe")),
            [v4("169.254.169.254")]
        );
        assert_eq!(embedded_v4(v6("2002:a00:1::")), [v4("10.0.0.1")]);
        assert_eq!(embedded_v4(v6("::ffff:192.0.0.192")), [v4("192.0.0.192")]);
        assert_eq!(embedded_v4(v6("::10.0.0.1")), [v4("10.0.0.1")]);
        assert_eq!(
            embedded_v4(v6("2001:0:4136:e378:8000:63bf:3fff:fdd2")),
            [v4("65.54.227.120"), v4("192.0.2.45")]
        );
        assert!(embedded_v4(v6("::1")).is_empty());
        assert!(embedded_v4(v6("2606:4700::1111")).is_empty());
    }
}
