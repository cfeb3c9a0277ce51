//! The MCP session id: a connection secret that authenticates itself.
//!
//! `initialize` stores nothing: the id carries what the server must know
//! about a session that has nothing else to remember — when it was issued
//! and the protocol version negotiated — under a MAC keyed by the
//! deployment's session key (the same on every instance) and bound to the
//! identity that initialized it. A session costs storage only once it
//! holds a login. The id is random, never logged whole, and stored only as
//! a hash.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::crypto;
use crate::domain::Secret;
use crate::protocol::ProtocolVersion;

type HmacSha256 = Hmac<Sha256>;

/// Random bytes per id: 128 bits, as many as a UUID v4 carries and more.
const RANDOM_LEN: usize = 16;
/// The MAC is cut to 128 bits: forging one still takes 2^128 tries.
const TAG_LEN: usize = 16;
/// Bytes of the owner's identity hash an id carries.
const OWNER_LEN: usize = 16;
/// Longest id we will try to verify (a version string is 10 bytes).
const MAX_ID_LEN: usize = 128;

/// A session id as issued: `<payload>.<tag>`, both base64url. The payload
/// is 16 random bytes, the issue time (Unix ms, big-endian), the owner (a
/// 0 byte for an anonymous connection, else 1 and 16 bytes of the hash of
/// the bearer's identity) and the negotiated protocol version; the tag is
/// HMAC-SHA256 over the payload. Only ids that verify exist as values.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

/// What a verified id says about its session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub id: SessionId,
    pub issued_at_ms: i64,
    pub version: ProtocolVersion,
    owner: Option<[u8; OWNER_LEN]>,
}

impl Issued {
    /// True when the session was initialized by `caller` (the same bearer
    /// identity, or both anonymous): a session is never the authentication.
    pub fn belongs_to(&self, caller: Option<&str>) -> bool {
        self.owner == caller.map(owner_tag)
    }
}

/// The deployment's key for session ids (`SESSION_KEY`). Every instance
/// must hold the same one, or an id issued by one is unknown to the other.
///
/// Held as the two keyed MACs it computes, each already past its key and
/// its domain prefix (done once, at start-up): a request clones one and
/// hashes only its own bytes.
#[derive(Clone)]
pub struct SessionKey {
    /// The MAC of session ids (prefix `mcp-session-id:v1\0`).
    ids: HmacSha256,
    /// The MAC of [`Self::keyed_hash`] (prefix `keyed-hash:v1\0`).
    hashes: HmacSha256,
}

impl SessionKey {
    /// The key from the configured secret.
    pub fn from_secret(secret: &Secret) -> Self {
        Self::from_key(&crypto::derive_key("session-id", secret.expose()))
    }

    /// A fresh random key: for a single process with the in-memory store,
    /// where no other instance needs to verify its ids.
    pub fn generate() -> Self {
        Self::from_key(&crypto::random_bytes())
    }

    fn from_key(key: &[u8; 32]) -> Self {
        // HMAC takes keys of any length; 32 bytes never fails.
        let keyed =
            <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC accepts a 32-byte key");
        Self {
            ids: keyed.clone().chain_update(b"mcp-session-id:v1\0"),
            // Its own prefix: never the input of a session id's tag.
            hashes: keyed.chain_update(b"keyed-hash:v1\0"),
        }
    }

    /// A new id for a session initialized at `issued_at_ms` by `owner`
    /// (the bearer's identity hash; `None` for an anonymous connection).
    /// A keyed hash (HMAC-SHA-256, hex) of `value` under this key,
    /// domain-separated by `label`: how other records name what only this
    /// deployment should be able to recognise (a trusted sign-in pair).
    pub fn keyed_hash(&self, label: &str, value: &str) -> String {
        let mac = self
            .hashes
            .clone()
            .chain_update(label.as_bytes())
            .chain_update(b"\0")
            .chain_update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn issue(
        &self,
        issued_at_ms: i64,
        version: ProtocolVersion,
        owner: Option<&str>,
    ) -> SessionId {
        let mut payload = crypto::random_bytes()[..RANDOM_LEN].to_vec();
        payload.extend_from_slice(&issued_at_ms.to_be_bytes());
        match owner {
            None => payload.push(0),
            Some(owner) => {
                payload.push(1);
                payload.extend_from_slice(&owner_tag(owner));
            }
        }
        payload.extend_from_slice(version.as_str().as_bytes());
        let tag = self.mac(&payload).finalize().into_bytes();
        SessionId(format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(&tag[..TAG_LEN])
        ))
    }

    /// The id's claims, when `raw` is an id this deployment issued; `None`
    /// for anything else (forged, damaged, another deployment's). Whose it
    /// is, is [`Issued::belongs_to`]. The tag compare is constant-time.
    pub fn verify(&self, raw: &str) -> Option<Issued> {
        let raw = raw.trim();
        if raw.len() > MAX_ID_LEN {
            return None;
        }
        let (payload_b64, tag_b64) = raw.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload_b64).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag_b64).ok()?;
        if tag.len() != TAG_LEN || payload.len() <= RANDOM_LEN + 9 {
            return None;
        }
        self.mac(&payload).verify_truncated_left(&tag).ok()?;
        // Authentic, so well-formed: we wrote it.
        let (issued, rest) = payload[RANDOM_LEN..].split_at(8);
        let (owner, version) = match rest.split_first()? {
            (0, version) => (None, version),
            (1, rest) if rest.len() > OWNER_LEN => {
                let (owner, version) = rest.split_at(OWNER_LEN);
                (Some(owner.try_into().ok()?), version)
            }
            _ => return None,
        };
        Some(Issued {
            id: SessionId(raw.to_owned()),
            issued_at_ms: i64::from_be_bytes(issued.try_into().ok()?),
            version: ProtocolVersion::parse(std::str::from_utf8(version).ok()?)?,
            owner,
        })
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        self.ids.clone().chain_update(payload)
    }
}

/// The owner as an id carries it: a hash of the identity (itself a hash),
/// so the id reveals nothing about who holds it.
fn owner_tag(identity: &str) -> [u8; OWNER_LEN] {
    let digest = Sha256::digest(format!("mcp-session-owner:{identity}"));
    let mut tag = [0u8; OWNER_LEN];
    tag.copy_from_slice(&digest[..OWNER_LEN]);
    tag
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(…)")
    }
}

impl SessionId {
    /// The value for the `Mcp-Session-Id` header: only the client gets it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// SHA-256 of the id, hex: the storage key. A table dump shows no id.
    pub fn storage_key(&self) -> String {
        hex::encode(Sha256::digest(format!("mcp-session:{}", self.0)))
    }

    /// A short tag for logs: the first 8 hex digits of the storage key, which
    /// correlates lines without revealing the id.
    pub fn log_tag(&self) -> String {
        self.storage_key()[..8].to_owned()
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", self.log_tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: ProtocolVersion = ProtocolVersion::V2025_06_18;

    #[test]
    fn issued_ids_verify_and_carry_their_claims() {
        let key = SessionKey::generate();
        let a = key.issue(1_234, V, None);
        let b = key.issue(1_234, V, None);
        assert_ne!(a, b, "ids are random");
        let issued = key.verify(a.expose()).expect("our own id verifies");
        assert_eq!(issued.id, a);
        assert_eq!(issued.issued_at_ms, 1_234);
        assert_eq!(issued.version, V);
        assert!(issued.belongs_to(None));
        assert!(a.expose().chars().all(|c| c.is_ascii_graphic()));
    }

    #[test]
    fn another_key_does_not_verify_and_the_owner_is_bound() {
        let key = SessionKey::generate();
        let mine = key.issue(0, V, Some("alice"));
        let issued = key.verify(mine.expose()).expect("verifies");
        assert!(issued.belongs_to(Some("alice")));
        assert!(!issued.belongs_to(Some("bob")));
        assert!(!issued.belongs_to(None));
        assert!(
            !key.verify(key.issue(0, V, None).expose())
                .unwrap()
                .belongs_to(Some("alice"))
        );
        assert!(SessionKey::generate().verify(mine.expose()).is_none());
        let shared = SessionKey::from_secret(&Secret::new("one deployment"));
        let id = shared.issue(0, V, None);
        let same = SessionKey::from_secret(&Secret::new("one deployment"));
        assert!(same.verify(id.expose()).is_some(), "same secret, same key");
    }

    /// The MACs kept past their key and prefix compute what keying them
    /// afresh per call computed: ids issued before still verify, and keyed
    /// hashes stay the same.
    #[test]
    fn the_prepared_macs_are_the_keyed_macs_of_before() {
        let secret = Secret::new("one deployment");
        let raw_key = crypto::derive_key("session-id", secret.expose());
        let fresh = |prefix: &[u8]| {
            <HmacSha256 as KeyInit>::new_from_slice(&raw_key)
                .unwrap()
                .chain_update(prefix)
        };
        let key = SessionKey::from_secret(&secret);
        let id = key.issue(7, V, Some("owner"));
        let (payload, tag) = id.expose().split_once('.').unwrap();
        let payload = URL_SAFE_NO_PAD.decode(payload).unwrap();
        let expected = fresh(b"mcp-session-id:v1\0")
            .chain_update(&payload)
            .finalize()
            .into_bytes();
        assert_eq!(URL_SAFE_NO_PAD.decode(tag).unwrap(), &expected[..TAG_LEN]);
        let hashed = fresh(b"keyed-hash:v1\0")
            .chain_update(b"label\0value")
            .finalize()
            .into_bytes();
        assert_eq!(key.keyed_hash("label", "value"), hex::encode(hashed));
    }

    #[test]
    fn forged_and_damaged_ids_are_refused() {
        let key = SessionKey::generate();
        let id = key.issue(0, V, None);
        let (payload, tag) = id.expose().split_once('.').unwrap();
        let mut flipped = payload.to_owned().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        let flipped = format!("{}.{tag}", String::from_utf8(flipped).unwrap());
        for bad in [
            "",
            "abc",
            "../../etc",
            "00000000-0000-0000-0000-000000000000",
            &format!("{payload}."),
            &format!("{payload}.{}", &tag[..10]),
            &flipped,
            &"A".repeat(500),
            "é.é",
        ] {
            assert_eq!(key.verify(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_and_key_hide_the_id() {
        let id = SessionKey::generate().issue(0, V, None);
        assert!(!format!("{id:?}").contains(id.expose()));
        assert!(!id.storage_key().contains(id.expose()));
        assert_eq!(id.storage_key().len(), 64);
        assert_eq!(format!("{:?}", SessionKey::generate()), "SessionKey(…)");
    }
}
