//! `ping`: an empty result, to prove the connection is alive.

use crate::protocol::result::EmptyResult;

pub fn result() -> EmptyResult {
    EmptyResult {}
}
