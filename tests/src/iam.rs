//! A DynamoDB that enforces IAM: a moto server of the test's own (moto's
//! authorization switch is process-wide), where the test creates the table
//! and IAM users first and then turns enforcement on
//! (`/moto-api/reset-auth`). From then on every request must be signed by
//! one of those users and is checked against the user's policy: moto checks
//! the actions, not the resource ARNs (its own table ARNs do not match
//! CloudFormation's), so the users' statements carry `Resource: "*"`.
//!
//! `MALGOMO_TEST_MOTO_SERVER` names the `moto_server` executable
//! (scripts/test sets it); otherwise it is looked up on PATH.

use std::process::Stdio;
use std::time::Duration;

use malgomo::store::DynamoStore;
use serde_json::json;
use tokio::process::{Child, Command};

/// One moto server, killed on drop.
pub struct IamDynamo {
    pub endpoint: String,
    http: reqwest::Client,
    _server: Child,
}

/// An IAM user's access key.
#[derive(Clone, Debug)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
}

impl AccessKey {
    /// The environment that makes the AWS SDK of a process sign with it.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.id.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret.clone()),
        ]
    }
}

impl IamDynamo {
    /// Starts moto (authorization off until [`IamDynamo::enforce`]).
    pub async fn start() -> IamDynamo {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let binary =
            std::env::var("MALGOMO_TEST_MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
        let server = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {binary}: {err}"));
        let endpoint = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let ready = format!("{endpoint}/moto-api/");
        for _ in 0..400 {
            if http.get(&ready).send().await.is_ok() {
                return IamDynamo {
                    endpoint,
                    http,
                    _server: server,
                };
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("moto_server did not start on {endpoint}");
    }

    /// Creates a table with TTL (before [`IamDynamo::enforce`]); returns its name.
    pub async fn create_table(&self) -> String {
        let table = format!("malgomo-iam-{}", crate::dynamo::uuid_like());
        DynamoStore::new(
            crate::dynamo::client_at(&self.endpoint, None).await,
            table.clone(),
        )
        .create_table()
        .await
        .expect("the table is created");
        table
    }

    /// Creates user `name` whose only policy allows exactly `actions`.
    pub async fn user(&self, name: &str, actions: &[String]) -> AccessKey {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }],
        })
        .to_string();
        self.iam(&[("Action", "CreateUser"), ("UserName", name)])
            .await;
        self.iam(&[
            ("Action", "PutUserPolicy"),
            ("UserName", name),
            ("PolicyName", "template"),
            ("PolicyDocument", &policy),
        ])
        .await;
        let created = self
            .iam(&[("Action", "CreateAccessKey"), ("UserName", name)])
            .await;
        AccessKey {
            id: xml_value(&created, "AccessKeyId"),
            secret: xml_value(&created, "SecretAccessKey"),
        }
    }

    /// From now on every request must be signed by a user and allowed by
    /// its policy.
    pub async fn enforce(&self) {
        let answer = self
            .http
            .post(format!("{}/moto-api/reset-auth", self.endpoint))
            .body("0")
            .send()
            .await
            .expect("moto answers");
        assert!(
            answer.status().is_success(),
            "reset-auth: {}",
            answer.status()
        );
    }

    /// One IAM query-API call (unsigned: only allowed before `enforce`;
    /// the credential scope routes it to moto's IAM).
    async fn iam(&self, params: &[(&str, &str)]) -> String {
        let answer = self
            .http
            .post(format!("{}/", self.endpoint))
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body(crate::oauth::form_body(
                &[params, &[("Version", "2010-05-08")]].concat(),
            ))
            .send()
            .await
            .expect("moto answers");
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        assert!(status.is_success(), "IAM {params:?}: {status} {body}");
        body
    }
}

fn xml_value(xml: &str, element: &str) -> String {
    let open = format!("<{element}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no <{element}> in {xml}"))
        + open.len();
    let end = xml[start..].find('<').expect("a closing tag") + start;
    xml[start..end].to_owned()
}
