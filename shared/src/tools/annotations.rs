//! The three kinds of tool this server has, as the hints clients read.

use crate::protocol::tool::ToolAnnotations;

/// Reads only what this server already knows (who is signed in): nothing
/// changes, so nothing is destroyed and a repeat answers the same, and
/// nothing outside is asked. Every hint is explicit, as the hosts'
/// directories require.
pub const fn local_read(title: &'static str) -> ToolAnnotations {
    ToolAnnotations {
        title: Some(title),
        read_only_hint: Some(true),
        destructive_hint: Some(false),
        idempotent_hint: Some(true),
        open_world_hint: Some(false),
    }
}

/// Reads the MalGomo backend: nothing changes, the answer comes from outside.
pub const fn upstream_read(title: &'static str) -> ToolAnnotations {
    ToolAnnotations {
        title: Some(title),
        read_only_hint: Some(true),
        destructive_hint: Some(false),
        idempotent_hint: Some(true),
        open_world_hint: Some(true),
    }
}

/// Changes the connection's sign-in, upstream too (login, logout):
/// repeating it changes nothing more (a second logout has nothing to end),
/// and no data is lost, so it is not destructive.
pub const fn sign_in_change(title: &'static str) -> ToolAnnotations {
    ToolAnnotations {
        read_only_hint: Some(false),
        ..upstream_read(title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_states_all_four_hints() {
        for hints in [local_read("t"), upstream_read("t"), sign_in_change("t")] {
            assert_eq!(hints.title, Some("t"));
            assert!(hints.read_only_hint.is_some());
            assert_eq!(hints.destructive_hint, Some(false));
            assert_eq!(hints.idempotent_hint, Some(true));
            assert!(hints.open_world_hint.is_some());
        }
        assert_eq!(sign_in_change("t").read_only_hint, Some(false));
        assert_eq!(local_read("t").open_world_hint, Some(false));
    }
}
