//! Where and as whom the server reaches DynamoDB, read from the process
//! environment — the variables Lambda sets for a function (and any shell
//! can): `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, and the endpoint override
//! `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`).
//!
//! Deliberately not the SDK's whole configuration chain (`aws-config`:
//! profiles, SSO, web identity, instance metadata): a Lambda function never
//! needs it, it would add megabytes to every bootstrap and file reads to
//! every cold start, and one path is one path to test. With a profile, export
//! it first: `eval "$(aws configure export-credentials --format env)"`.

use aws_sdk_dynamodb::config::{Credentials, Region};

use crate::store::StoreError;

/// A region, credentials and an optional endpoint override.
#[derive(Clone, Debug)]
pub struct Connection {
    pub region: Region,
    pub credentials: Credentials,
    /// `None`: the regional DynamoDB endpoint.
    pub endpoint: Option<String>,
}

impl Connection {
    /// From the process environment.
    pub fn from_env() -> Result<Self, StoreError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// From variables read through `lookup` (empty counts as unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, StoreError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let missing = |what: &str| {
            StoreError::Unavailable(format!(
                "{what} is not set; the server reads AWS settings from the environment only (with a profile: eval \"$(aws configure export-credentials --format env)\")"
            ))
        };
        let region = get("AWS_REGION")
            .or_else(|| get("AWS_DEFAULT_REGION"))
            .ok_or_else(|| missing("AWS_REGION"))?;
        let key = get("AWS_ACCESS_KEY_ID").ok_or_else(|| missing("AWS_ACCESS_KEY_ID"))?;
        let secret =
            get("AWS_SECRET_ACCESS_KEY").ok_or_else(|| missing("AWS_SECRET_ACCESS_KEY"))?;
        Ok(Self {
            region: Region::new(region.trim().to_owned()),
            credentials: Credentials::new(
                key,
                secret,
                get("AWS_SESSION_TOKEN"),
                None,
                "environment",
            ),
            endpoint: get("AWS_ENDPOINT_URL_DYNAMODB").or_else(|| get("AWS_ENDPOINT_URL")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::config::ProvideCredentials;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[tokio::test]
    async fn reads_what_lambda_sets() {
        let c = Connection::from_lookup(lookup(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:2"),
        ]))
        .unwrap();
        assert_eq!(c.region.as_ref(), "eu-west-1");
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:2"));
        let credentials = c.credentials.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKIAEXAMPLE");
        assert_eq!(credentials.session_token(), Some("token"));
    }

    #[test]
    fn falls_back_and_names_what_is_missing() {
        let c = Connection::from_lookup(lookup(&[
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "k"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ]))
        .unwrap();
        assert_eq!(c.region.as_ref(), "us-east-1");
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:1"));
        for (absent, vars) in [
            (
                "AWS_REGION",
                vec![("AWS_ACCESS_KEY_ID", "k"), ("AWS_SECRET_ACCESS_KEY", "s")],
            ),
            (
                "AWS_ACCESS_KEY_ID",
                vec![("AWS_REGION", "r"), ("AWS_SECRET_ACCESS_KEY", "s")],
            ),
            (
                "AWS_SECRET_ACCESS_KEY",
                vec![
                    ("AWS_REGION", "r"),
                    ("AWS_ACCESS_KEY_ID", "k"),
                    ("AWS_SECRET_ACCESS_KEY", " "),
                ],
            ),
        ] {
            let err = Connection::from_lookup(lookup(&vars))
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("{absent} is not set")), "{err}");
        }
    }
}
