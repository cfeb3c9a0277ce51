//! A DynamoDB that enforces IAM: a moto server of the test's own (moto's
//! authorization switch is process-wide), where the test creates the table
//! and IAM users first and then turns enforcement on
//! (`/moto-api/reset-auth`). From then on every request must be signed by
//! one of those users and is checked against the user's policy: moto checks
//! the actions, not the resource ARNs (its own table ARNs do not match
//! CloudFormation's), so the users' statements carry `Resource: "*"`.

use malgomo::store::DynamoStore;
use serde_json::json;

use crate::moto::Moto;

/// One moto server, stopped on drop.
pub struct IamDynamo {
    pub endpoint: String,
    http: reqwest::Client,
    _moto: Moto,
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
        let moto = tokio::task::spawn_blocking(Moto::start)
            .await
            .expect("moto starts");
        IamDynamo {
            endpoint: moto.endpoint.clone(),
            http: reqwest::Client::new(),
            _moto: moto,
        }
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
