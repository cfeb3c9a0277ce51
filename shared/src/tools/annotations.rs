//! The three kinds of tool this server has, as the hints clients read.

use crate::protocol::tool::ToolAnnotations;

/// Reads only what this server already knows (who is signed in): nothing
/// changes, nothing outside is asked.
pub const fn local_read(title: &'static str) -> ToolAnnotations {
    ToolAnnotations {
        title: Some(title),
        read_only_hint: Some(true),
        destructive_hint: None,
        idempotent_hint: None,
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

/// Changes the connection's sign-in, upstream too; repeating it changes
/// nothing more, and nothing is lost.
pub const fn sign_in_change(title: &'static str) -> ToolAnnotations {
    ToolAnnotations {
        read_only_hint: Some(false),
        ..upstream_read(title)
    }
}
