//! What `template.yaml` deploys, asked of the file itself with parameters
//! left empty and set (`malgomo_tests::cfn` evaluates the intrinsic
//! functions): the guided deploy has no question whose default aborts it,
//! secrets are versioned, the time limits nest, the alarms watch the
//! metrics the functions and the app really publish, and the table, the
//! front door extras and the outputs behave as infra/README.md says.
//! scripts/check-template runs cfn-lint, `sam validate --lint` and
//! `sam build` on the same file; scripts/check-guided-deploy drives
//! `sam deploy --guided` through it in a terminal.

use malgomo::limits::{budget, password};
use malgomo::telemetry::metrics::{Metric, ToolOutcome, UpstreamOutcome, emf_line};
use malgomo_tests::cfn::{self, Deploy, text};
use serde_json::{Value, json};

const FUNCTIONS: [&str; 3] = ["McpFunction", "OauthFunction", "HealthFunction"];

fn resources(template: &Value) -> &serde_json::Map<String, Value> {
    template["Resources"].as_object().expect("Resources")
}

fn of_type<'t>(template: &'t Value, kind: &str) -> Vec<(&'t String, &'t Value)> {
    resources(template)
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .collect()
}

fn env(template: &Value, deploy: &Deploy, function: &str, var: &str) -> String {
    let own = &template["Resources"][function]["Properties"]["Environment"]["Variables"][var];
    let global = &template["Globals"]["Function"]["Environment"]["Variables"][var];
    let value = if own.is_null() { global } else { own };
    assert!(!value.is_null(), "{function} has no {var}");
    text(&deploy.resolve(value))
}

/// `sam deploy --guided` asks "<X> has no authentication. Is this okay?"
/// (default No, which aborts) for every SAM FunctionUrlConfig and every API
/// event whose API declares no Auth; and it re-asks a NoEcho parameter on
/// an empty answer. None of those may be left but the anon key.
#[test]
fn the_guided_deploy_has_no_question_whose_default_aborts() {
    let template = cfn::load();
    for (name, function) in of_type(&template, "AWS::Serverless::Function") {
        assert!(
            function["Properties"]["FunctionUrlConfig"].is_null(),
            "{name}: FunctionUrlConfig makes the guided deploy ask; use AWS::Lambda::Url"
        );
        for (event, spec) in function["Properties"]["Events"]
            .as_object()
            .expect("Events")
        {
            let api = spec["Properties"]["ApiId"]["Ref"]
                .as_str()
                .expect("an ApiId");
            let auth = &template["Resources"][api]["Properties"]["Auth"];
            assert!(
                auth["DefaultAuthorizer"] == "AWS_IAM" && auth["EnableIamAuthorizer"] == true,
                "{name}.{event}: its API needs an IAM default authorizer"
            );
        }
    }
    let secret_prompts: Vec<&String> = template["Parameters"]
        .as_object()
        .expect("Parameters")
        .iter()
        .filter(|(_, p)| p["NoEcho"] == true)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(secret_prompts, ["SupabaseAnonKey"]);
    // The API stays unreachable in AWS: only `sam local start-api` serves it.
    assert_eq!(
        template["Resources"]["LocalApi"]["Properties"]["DisableExecuteApiEndpoint"],
        true
    );
}

/// Each function has its public URL and both grants a public URL needs,
/// under the function's own condition.
#[test]
fn every_function_has_a_public_url_with_both_grants() {
    let template = cfn::load();
    for function in FUNCTIONS {
        let condition = &template["Resources"][function]["Condition"];
        let url = &template["Resources"][format!("{function}Url")];
        assert_eq!(url["Type"], "AWS::Lambda::Url", "{function}");
        assert_eq!(url["Properties"]["AuthType"], "NONE");
        assert_eq!(url["Properties"]["InvokeMode"], "BUFFERED");
        assert_eq!(
            url["Properties"]["TargetFunctionArn"]["Fn::GetAtt"],
            format!("{function}.Arn")
        );
        assert_eq!(&url["Condition"], condition, "{function}Url");
        let url_grant = &template["Resources"][format!("{function}UrlPublicPermissions")];
        assert_eq!(
            url_grant["Properties"]["Action"],
            "lambda:InvokeFunctionUrl"
        );
        assert_eq!(url_grant["Properties"]["FunctionUrlAuthType"], "NONE");
        let invoke_grant = &template["Resources"][format!("{function}URLInvokeAllowPublicAccess")];
        assert_eq!(
            invoke_grant["Properties"]["Action"],
            "lambda:InvokeFunction"
        );
        assert_eq!(invoke_grant["Properties"]["InvokedViaFunctionUrl"], true);
        for grant in [url_grant, invoke_grant] {
            assert_eq!(grant["Properties"]["FunctionName"]["Ref"], function);
            assert_eq!(grant["Properties"]["Principal"], "*");
            assert_eq!(&grant["Condition"], condition);
        }
    }
}

/// For every RequestTimeout: two upstream calls and the store's time (6 s
/// mcp, 3 s oauth) fit in each function's Lambda timeout, which ends before CloudFront's
/// origin read timeout; the p99 alarms sit at 80% of the Lambda timeouts.
#[test]
fn timeouts_nest_for_every_allowed_request_timeout() {
    let template = cfn::load();
    let allowed = template["Parameters"]["RequestTimeout"]["AllowedValues"]
        .as_array()
        .expect("AllowedValues");
    assert!(allowed.contains(&json!(60)));
    for value in allowed {
        let value = text(value);
        let deploy = Deploy::new(&template, "us-east-1", &[("RequestTimeout", &value)]);
        let origins = deploy.resolve(
            &template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"],
        );
        let origin_timeout = |id: &str| -> i64 {
            let origin = origins
                .as_array()
                .expect("Origins")
                .iter()
                .find(|o| o["Id"] == id)
                .unwrap_or_else(|| panic!("no origin {id}"));
            text(&origin["CustomOriginConfig"]["OriginReadTimeout"])
                .parse()
                .expect("seconds")
        };
        for (function, origin, alarm) in [
            ("McpFunction", "mcp", "McpDurationAlarm"),
            ("OauthFunction", "oauth", "OauthDurationAlarm"),
            ("HealthFunction", "health", "HealthDurationAlarm"),
        ] {
            let lambda: i64 =
                text(&deploy.resolve(&template["Resources"][function]["Properties"]["Timeout"]))
                    .parse()
                    .expect("a Timeout");
            let cloudfront = origin_timeout(origin);
            assert!(
                lambda < cloudfront,
                "{function} at {value}: {lambda} ≥ {cloudfront}"
            );
            if function != "HealthFunction" {
                let upstream: i64 = env(&template, &deploy, function, "UPSTREAM_TIMEOUT_MS")
                    .parse()
                    .expect("milliseconds");
                let store_ms = if function == "McpFunction" {
                    6000
                } else {
                    3000
                };
                assert!(
                    2 * upstream + store_ms <= lambda * 1000,
                    "{function} at {value}: upstream {upstream} ms in {lambda} s"
                );
                // The app takes the value (100 ms to 15 min).
                assert!(
                    malgomo::config::Config::from_lookup(|name| {
                        (name == "UPSTREAM_TIMEOUT_MS").then(|| upstream.to_string())
                    })
                    .is_ok()
                );
            }
            let threshold: i64 =
                text(&deploy.resolve(&template["Resources"][alarm]["Properties"]["Threshold"]))
                    .parse()
                    .expect("a threshold");
            assert_eq!(threshold, lambda * 800, "{alarm} at {value}");
        }
        assert_eq!(origin_timeout("mcp").to_string(), value);
    }
}

/// A dynamic reference is re-read only when its text changes: naming a
/// version does that. The functions accept the previous origin secret only
/// while OriginSecretPreviousVersion is set.
#[test]
fn secrets_are_read_at_the_version_named_and_the_previous_origin_secret_only_in_a_rotation() {
    let template = cfn::load();
    let plain = Deploy::new(&template, "us-east-1", &[]);
    let v1 = "11111111-2222-3333-4444-555555555555";
    let v2 = "66666666-7777-8888-9999-000000000000";
    let rotating = Deploy::new(
        &template,
        "us-east-1",
        &[
            ("OriginSecretVersion", v2),
            ("OriginSecretPreviousVersion", v1),
            ("SessionKeyVersion", v2),
        ],
    );
    let header = |deploy: &Deploy| -> Vec<String> {
        let origins = deploy.resolve(
            &template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"],
        );
        origins
            .as_array()
            .expect("Origins")
            .iter()
            .map(|o| text(&o["OriginCustomHeaders"][0]["HeaderValue"]))
            .collect()
    };
    let current = "{{resolve:secretsmanager:<OriginSecret>:SecretString}}";
    assert_eq!(
        env(&template, &plain, "McpFunction", "ORIGIN_SECRET"),
        current
    );
    assert_eq!(
        env(&template, &plain, "McpFunction", "ORIGIN_SECRET_PREVIOUS"),
        ""
    );
    assert!(header(&plain).iter().all(|h| h == current));
    let pinned = format!("{{{{resolve:secretsmanager:<OriginSecret>:SecretString:::{v2}}}}}");
    for function in FUNCTIONS {
        assert_eq!(env(&template, &rotating, function, "ORIGIN_SECRET"), pinned);
        assert_eq!(
            env(&template, &rotating, function, "ORIGIN_SECRET_PREVIOUS"),
            format!("{{{{resolve:secretsmanager:<OriginSecret>:SecretString:::{v1}}}}}")
        );
        assert_eq!(
            env(&template, &rotating, function, "SESSION_KEY"),
            format!("{{{{resolve:secretsmanager:<SessionKey>:SecretString:::{v2}}}}}")
        );
    }
    // CloudFront sends exactly the current version, which the functions take.
    assert!(header(&rotating).iter().all(|h| *h == pinned));
    // The optional token is a secret's name, resolved only when given.
    assert_eq!(
        env(&template, &plain, "McpFunction", "MALGOMO_API_TOKEN"),
        ""
    );
    let with_token = Deploy::new(
        &template,
        "us-east-1",
        &[("MalgomoApiTokenSecret", "malgomo/token")],
    );
    assert_eq!(
        env(&template, &with_token, "McpFunction", "MALGOMO_API_TOKEN"),
        "{{resolve:secretsmanager:malgomo/token:SecretString}}"
    );
}

/// A metric an alarm watches: namespace, name, dimensions (name, value).
type Watched = (String, String, Vec<(String, String)>);

fn metric_of(alarm: &Value) -> Vec<Watched> {
    let single = |m: &Value| -> Watched {
        let dims = m["Dimensions"]
            .as_array()
            .map(|d| {
                d.iter()
                    .map(|d| (text(&d["Name"]), text(&d["Value"])))
                    .collect()
            })
            .unwrap_or_default();
        (text(&m["Namespace"]), text(&m["MetricName"]), dims)
    };
    match alarm["Metrics"].as_array() {
        Some(queries) => queries
            .iter()
            .filter(|q| !q["MetricStat"].is_null())
            .map(|q| single(&q["MetricStat"]["Metric"]))
            .collect(),
        None => vec![single(alarm)],
    }
}

/// Every alarm notifies the topic and watches a metric that exists: the
/// Lambda metrics of each function (by its name, under its condition),
/// CloudFront's 5xx rate of this distribution, the table's throttles and
/// system errors, and the app's EMF metrics by the names and dimensions
/// the app prints (taken from the app's own encoder).
#[test]
fn alarms_watch_the_metrics_that_are_published() {
    let template = cfn::load();
    let deploy = Deploy::new(&template, "us-east-1", &[]);
    let alarm = |name: &str| -> Value {
        let resource = &template["Resources"][name];
        assert_eq!(resource["Type"], "AWS::CloudWatch::Alarm", "{name}");
        let properties = deploy.resolve(&resource["Properties"]);
        assert_eq!(
            properties["AlarmActions"],
            json!(["<AlarmTopic>"]),
            "{name}"
        );
        properties
    };
    for (function, prefix) in [
        ("McpFunction", "Mcp"),
        ("OauthFunction", "Oauth"),
        ("HealthFunction", "Health"),
    ] {
        for metric in ["Errors", "Throttles", "Duration"] {
            let name = format!("{prefix}{metric}Alarm");
            let watched = metric_of(&alarm(&name));
            assert_eq!(
                watched,
                [(
                    "AWS/Lambda".to_owned(),
                    metric.to_owned(),
                    vec![("FunctionName".to_owned(), format!("<{function}>"))]
                )],
                "{name}"
            );
            assert_eq!(
                template["Resources"][&name]["Condition"],
                template["Resources"][function]["Condition"],
                "{name} exists exactly when {function} does"
            );
        }
    }
    assert_eq!(alarm("McpDurationAlarm")["ExtendedStatistic"], "p99");
    assert_eq!(
        metric_of(&alarm("FrontDoor5xxAlarm")),
        [(
            "AWS/CloudFront".to_owned(),
            "5xxErrorRate".to_owned(),
            vec![
                ("DistributionId".to_owned(), "<Distribution>".to_owned()),
                ("Region".to_owned(), "Global".to_owned())
            ]
        )]
    );
    for (name, metric) in [
        ("TableThrottlesAlarm", "ThrottledRequests"),
        ("TableSystemErrorsAlarm", "SystemErrors"),
    ] {
        let watched = metric_of(&alarm(name));
        let mut operations: Vec<String> = watched
            .iter()
            .map(|(namespace, m, dims)| {
                assert_eq!((namespace.as_str(), m.as_str()), ("AWS/DynamoDB", metric));
                assert_eq!(
                    dims[0],
                    ("TableName".to_owned(), "<SessionsTable>".to_owned())
                );
                dims[1].1.clone()
            })
            .collect();
        operations.sort();
        // The four the functions call (SessionTableAccess).
        assert_eq!(
            operations,
            ["DeleteItem", "GetItem", "PutItem", "UpdateItem"]
        );
    }

    // The app's metrics, as the app encodes them.
    let namespace = env(&template, &deploy, "McpFunction", "METRICS_NAMESPACE");
    let emf = |metric: Metric| -> Value {
        serde_json::from_str(&emf_line(&namespace, metric, 0)).unwrap()
    };
    let refusal = emf(Metric::Refusal {
        limit: password::PER_PAIR.name,
    });
    let login = metric_of(&alarm("LoginThrottleAlarm"));
    let mut limits: Vec<String> = login
        .iter()
        .map(|(ns, m, dims)| {
            assert_eq!(ns, &namespace);
            assert!(!refusal[m.as_str()].is_null(), "the app prints no {m}");
            assert!(
                !refusal[dims[0].0.as_str()].is_null(),
                "no dimension {}",
                dims[0].0
            );
            dims[0].1.clone()
        })
        .collect();
    limits.sort();
    let mut password_limits: Vec<String> = [
        password::PER_PAIR,
        password::PER_ADDRESS,
        password::PER_EMAIL,
        password::SLOWED,
    ]
    .iter()
    .map(|l| l.name.to_owned())
    .collect();
    password_limits.sort();
    assert_eq!(limits, password_limits);
    let upstream = emf(Metric::Upstream {
        outcome: UpstreamOutcome::Failed,
        elapsed: std::time::Duration::ZERO,
    });
    let ok = emf(Metric::Upstream {
        outcome: UpstreamOutcome::Ok,
        elapsed: std::time::Duration::ZERO,
    });
    let watched = metric_of(&alarm("UpstreamFailureAlarm"));
    assert_eq!(
        watched,
        [
            (
                namespace.clone(),
                "UpstreamLatency".to_owned(),
                vec![("Outcome".to_owned(), text(&upstream["Outcome"]))]
            ),
            (
                namespace.clone(),
                "UpstreamLatency".to_owned(),
                vec![("Outcome".to_owned(), text(&ok["Outcome"]))]
            ),
        ]
    );
    assert!(!upstream["UpstreamLatency"].is_null());
    // The dashboard's search names the tool-call metric the app prints.
    let tool = emf(Metric::ToolCall {
        tool: "t",
        outcome: ToolOutcome::Ok,
    });
    let dashboard =
        text(&deploy.resolve(&template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]));
    let body: Value = serde_json::from_str(&dashboard).expect("the dashboard body is JSON");
    assert!(body["widgets"].as_array().is_some_and(|w| w.len() == 7));
    assert!(dashboard.contains(&format!(
        "{{{namespace},Outcome,Tool}} MetricName=\\\"ToolCalls\\\""
    )));
    assert!(!tool["ToolCalls"].is_null());
}

/// The dashboard is valid JSON with the oauth/health/CloudFront widgets
/// only when those exist.
#[test]
fn the_dashboard_follows_the_front_door() {
    let template = cfn::load();
    let deploy = Deploy::new(&template, "eu-west-1", &[("FrontDoor", "FunctionUrl")]);
    let body: Value = serde_json::from_str(&text(
        &deploy.resolve(&template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]),
    ))
    .expect("JSON");
    assert_eq!(body["widgets"].as_array().map(Vec::len), Some(5));
    assert!(!body.to_string().contains("OauthFunction"));
    assert!(!deploy.creates("FrontDoor5xxAlarm") && !deploy.creates("OauthErrorsAlarm"));
    assert!(deploy.creates("McpErrorsAlarm") && deploy.creates("TableThrottlesAlarm"));
    // CloudFront publishes in us-east-1 only: elsewhere its alarm is not made.
    let elsewhere = Deploy::new(&template, "eu-west-1", &[]);
    assert!(!elsewhere.creates("FrontDoor5xxAlarm"));
    assert!(Deploy::new(&template, "us-east-1", &[]).creates("FrontDoor5xxAlarm"));
}

/// Every function logs JSON (platform lines too) at LogLevel.
#[test]
fn every_function_logs_json_at_the_chosen_level() {
    let template = cfn::load();
    let deploy = Deploy::new(&template, "us-east-1", &[("LogLevel", "ERROR")]);
    for function in FUNCTIONS {
        let logging =
            deploy.resolve(&template["Resources"][function]["Properties"]["LoggingConfig"]);
        assert_eq!(logging["LogFormat"], "JSON", "{function}");
        assert_eq!(logging["ApplicationLogLevel"], "ERROR", "{function}");
        assert_eq!(logging["SystemLogLevel"], "WARN", "{function}");
    }
}

/// Defaults: the stack makes its table with point-in-time recovery and no
/// throughput cap. ExistingTableName: no table made; the functions, their
/// policies and the alarms use the named one.
#[test]
fn the_table_is_backed_up_capped_on_request_and_adoptable() {
    let template = cfn::load();
    let table = &template["Resources"]["SessionsTable"];
    assert_eq!(table["DeletionPolicy"], "Retain");
    let fresh = Deploy::new(&template, "us-east-1", &[]);
    assert!(fresh.creates("SessionsTable"));
    let properties = fresh.resolve(&table["Properties"]);
    assert_eq!(
        text(&properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]),
        "true"
    );
    assert!(properties["OnDemandThroughput"].is_null());
    assert_eq!(
        env(&template, &fresh, "McpFunction", "DYNAMODB_TABLE"),
        "<SessionsTable>"
    );

    let capped = Deploy::new(
        &template,
        "us-east-1",
        &[
            ("TableMaxRequestUnits", "200"),
            ("PointInTimeRecovery", "false"),
        ],
    );
    let properties = capped.resolve(&table["Properties"]);
    assert_eq!(
        properties["OnDemandThroughput"],
        json!({"MaxReadRequestUnits": "200", "MaxWriteRequestUnits": "200"})
    );
    assert_eq!(
        text(&properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]),
        "false"
    );

    let adopted = Deploy::new(
        &template,
        "us-east-1",
        &[("ExistingTableName", "malgomo-mcp-SessionsTable-OLD")],
    );
    assert!(!adopted.creates("SessionsTable"));
    let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/malgomo-mcp-SessionsTable-OLD";
    for function in ["McpFunction", "OauthFunction", "HealthFunction"] {
        assert_eq!(
            env(&template, &adopted, function, "DYNAMODB_TABLE"),
            "malgomo-mcp-SessionsTable-OLD"
        );
    }
    let policy = adopted
        .resolve(&template["Resources"]["SessionTableAccess"]["Properties"]["PolicyDocument"]);
    assert_eq!(policy["Statement"][0]["Resource"], arn);
    let health =
        adopted.resolve(&template["Resources"]["HealthFunction"]["Properties"]["Policies"]);
    assert_eq!(health[0]["Statement"][0]["Resource"], arn);
    let alarm = adopted.resolve(&template["Resources"]["TableThrottlesAlarm"]["Properties"]);
    assert_eq!(
        alarm["Metrics"][1]["MetricStat"]["Metric"]["Dimensions"][0]["Value"],
        "malgomo-mcp-SessionsTable-OLD"
    );
    assert_eq!(
        text(&adopted.resolve(&template["Outputs"]["SessionsTableName"]["Value"])),
        "malgomo-mcp-SessionsTable-OLD"
    );
}

/// Custom domain and WAF: nothing by default; set, the distribution gets
/// the alias and certificate, and a CLOUDFRONT-scope web ACL with one
/// per-address rate rule.
#[test]
fn custom_domain_and_rate_limit_appear_only_when_asked_for() {
    let template = cfn::load();
    let config = &template["Resources"]["Distribution"]["Properties"]["DistributionConfig"];
    let plain = Deploy::new(&template, "us-east-1", &[]);
    let resolved = plain.resolve(config);
    assert!(resolved["Aliases"].is_null() && resolved["WebACLId"].is_null());
    assert_eq!(
        resolved["ViewerCertificate"],
        json!({"CloudFrontDefaultCertificate": true})
    );
    assert!(!plain.creates("WebAcl") && !plain.creates("AlarmSubscription"));

    let cert = "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234";
    let extras = Deploy::new(
        &template,
        "us-east-1",
        &[
            ("DomainName", "mcp.example.com"),
            ("CertificateArn", cert),
            ("WafRateLimit", "500"),
            ("AlarmEmail", "ops@example.com"),
        ],
    );
    let resolved = extras.resolve(config);
    assert_eq!(resolved["Aliases"], json!(["mcp.example.com"]));
    assert_eq!(resolved["WebACLId"], "<WebAcl.Arn>");
    assert_eq!(resolved["ViewerCertificate"]["AcmCertificateArn"], cert);
    assert_eq!(
        resolved["ViewerCertificate"]["SslSupportMethod"],
        "sni-only"
    );
    assert!(extras.creates("WebAcl") && extras.creates("AlarmSubscription"));
    let acl = extras.resolve(&template["Resources"]["WebAcl"]["Properties"]);
    assert_eq!(acl["Scope"], "CLOUDFRONT");
    let rule = &acl["Rules"][0];
    assert_eq!(rule["Action"], json!({"Block": {}}));
    assert_eq!(
        rule["Statement"]["RateBasedStatement"]["AggregateKeyType"],
        "IP"
    );
    assert_eq!(
        text(&rule["Statement"]["RateBasedStatement"]["Limit"]),
        "500"
    );
    let subscription = extras.resolve(&template["Resources"]["AlarmSubscription"]["Properties"]);
    assert_eq!(subscription["Endpoint"], "ops@example.com");
    // The origin to paste into PublicUrl is the custom domain, in one deploy.
    assert_eq!(
        text(&extras.resolve(&template["Outputs"]["PublicOrigin"]["Value"])),
        "https://mcp.example.com"
    );
    // A web ACL of CLOUDFRONT scope can only be made in us-east-1.
    let rule = &template["Rules"]["WafOnCloudFrontInUsEast1"]["Assertions"];
    assert!(rule.to_string().contains("AWS::Region") && rule.to_string().contains("us-east-1"));
}

/// PublicOrigin is an origin PublicUrl's pattern takes: no trailing slash,
/// with either front door.
#[test]
fn public_origin_pastes_into_public_url() {
    let template = cfn::load();
    let pattern_ok = |origin: &str| {
        origin.starts_with("https://")
            && !origin["https://".len()..].contains('/')
            && origin.len() > "https://".len()
    };
    assert_eq!(
        text(&template["Parameters"]["PublicUrl"]["AllowedPattern"]),
        "^(|function-url|https://[^/]+)$",
        "the check below mirrors this pattern"
    );
    let cloudfront = Deploy::new(&template, "us-east-1", &[]);
    let origin = text(&cloudfront.resolve(&template["Outputs"]["PublicOrigin"]["Value"]));
    assert_eq!(origin, "https://<Distribution.DomainName>");
    assert!(pattern_ok(&origin));
    // A Function URL ends in '/': the output takes the host out of it.
    let bare = Deploy::new(&template, "us-east-1", &[("FrontDoor", "FunctionUrl")]);
    let origin = text(&bare.resolve(&template["Outputs"]["PublicOrigin"]["Value"]));
    assert_eq!(origin, "https://mcpfunctionurl.lambda-url.us-east-1.on.aws");
    assert!(pattern_ok(&origin));
    let connect = text(&bare.resolve(&template["Outputs"]["ConnectUrl"]["Value"]));
    assert_eq!(connect, format!("{origin}/mcp"));
}

/// The conditions with every optional parameter empty, then set.
#[test]
fn conditions_hold_with_parameters_empty_and_set() {
    let template = cfn::load();
    let empty = Deploy::new(&template, "us-east-1", &[]);
    for (condition, expected) in [
        ("UseCloudFront", true),
        ("CreateTable", true),
        ("CapTableThroughput", false),
        ("HasAlarmEmail", false),
        ("HasCustomDomain", false),
        ("UseWaf", false),
        ("HasApiTokenSecret", false),
        ("PinSessionKey", false),
        ("PinOriginSecret", false),
        ("AcceptPreviousOriginSecret", false),
        ("CapConcurrency", false),
    ] {
        assert_eq!(
            empty.condition(condition),
            expected,
            "{condition} with defaults"
        );
    }
    let set = Deploy::new(
        &template,
        "us-east-1",
        &[
            ("ExistingTableName", "old-table"),
            ("TableMaxRequestUnits", "100"),
            ("AlarmEmail", "ops@example.com"),
            ("DomainName", "mcp.example.com"),
            (
                "CertificateArn",
                "arn:aws:acm:us-east-1:123456789012:certificate/x",
            ),
            ("WafRateLimit", "1000"),
            ("MalgomoApiTokenSecret", "token"),
            ("SessionKeyVersion", "11111111-2222-3333-4444-555555555555"),
            (
                "OriginSecretVersion",
                "11111111-2222-3333-4444-555555555555",
            ),
            (
                "OriginSecretPreviousVersion",
                "66666666-7777-8888-9999-000000000000",
            ),
        ],
    );
    for (condition, expected) in [
        ("CreateTable", false),
        ("CapTableThroughput", true),
        ("HasAlarmEmail", true),
        ("HasCustomDomain", true),
        ("UseWaf", true),
        ("HasApiTokenSecret", true),
        ("PinSessionKey", true),
        ("PinOriginSecret", true),
        ("AcceptPreviousOriginSecret", true),
    ] {
        assert_eq!(set.condition(condition), expected, "{condition} when set");
    }
    // Without CloudFront none of its extras exist, whatever is asked.
    let bare = Deploy::new(
        &template,
        "us-east-1",
        &[
            ("FrontDoor", "FunctionUrl"),
            (
                "OriginSecretPreviousVersion",
                "66666666-7777-8888-9999-000000000000",
            ),
        ],
    );
    assert!(
        !bare.condition("UseWaf")
            && !bare.condition("HasCustomDomain")
            && !bare.condition("AcceptPreviousOriginSecret")
    );
}

/// The sign-in budget is the operator's to set (a Supabase project's limit
/// can be raised), within the range the app accepts, with its default.
#[test]
fn the_sign_in_budget_is_a_parameter_within_what_the_app_accepts() {
    let template = cfn::load();
    let parameter = &template["Parameters"]["SupabaseSignInsPerMinute"];
    assert_eq!(parameter["Default"], json!(budget::DEFAULT_PER_MINUTE));
    assert_eq!(parameter["MinValue"], json!(1));
    assert_eq!(parameter["MaxValue"], json!(budget::MAX_PER_MINUTE));
    let overrides: [&[(&str, &str)]; 2] = [&[], &[("SupabaseSignInsPerMinute", "120")]];
    for (overrides, expected) in overrides.into_iter().zip(["30", "120"]) {
        let deploy = Deploy::new(&template, "us-east-1", overrides);
        for function in FUNCTIONS {
            let value = env(&template, &deploy, function, "SUPABASE_SIGN_INS_PER_MINUTE");
            assert_eq!(value, expected, "{function}");
            assert!(budget::Budget::parse(&value).is_ok(), "{function}");
        }
    }
}
