//! End-to-end tests of the server: the app and the simulator on loopback,
//! real HTTP, a real DynamoDB wire server. One test binary for the crate
//! (one link, one process per run); each module is one subject. `logs.rs`
//! stays a binary of its own: it installs a process-wide log subscriber.

mod connections;
mod faults;
mod golden_answers;
mod instances;
mod malgomo_status;
mod mcp_abuse;
mod oauth_abuse;
mod oauth_chatgpt_https;
mod oauth_clients;
mod oauth_cors;
mod oauth_flow;
mod oauth_instances;
mod oauth_negative;
mod oauth_private_key_jwt;
mod oauth_renewal;
mod oauth_spoofing;
mod origins;
mod password_guessing;
mod renewal;
mod resources;
mod sessions;
mod stateless;
mod storage_cost;
mod store;
mod store_contract;
mod store_model;
mod tools_flow;
mod transport;
