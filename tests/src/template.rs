//! What `template.yaml` deploys, read from the file itself so the tests
//! hold the code to the template and not to a copy of it: the DynamoDB
//! actions each function's policies grant, the API events each function
//! answers, and how the CloudFront front door routes paths to functions.
//!
//! CloudFormation's short tags (`!Ref X`, `!GetAtt X.Arn`, `!Sub …`) read
//! as their plain argument, which is all these questions need.

use yaml_rust2::{Yaml, YamlLoader};

/// The template shipped at the repository's root.
pub struct Template(Yaml);

impl Template {
    pub fn load() -> Template {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
        let text = std::fs::read_to_string(path).expect("template.yaml is readable");
        let mut documents = YamlLoader::load_from_str(&text).expect("template.yaml is YAML");
        assert_eq!(documents.len(), 1, "template.yaml is one document");
        Template(documents.remove(0))
    }

    fn resource(&self, name: &str) -> &Yaml {
        let resource = &self.0["Resources"][name];
        assert!(
            !resource.is_badvalue(),
            "template.yaml has no resource {name}"
        );
        resource
    }

    /// Every action the policies of `function` (a resource name, e.g.
    /// `McpFunction`) allow: inline policy documents and `!Ref`s to
    /// `AWS::IAM::ManagedPolicy` resources of the template. A policy the
    /// reader does not understand (a SAM policy template, say) fails the
    /// test rather than being skipped.
    pub fn allowed_actions(&self, function: &str) -> Vec<String> {
        let policies = &self.resource(function)["Properties"]["Policies"];
        let mut actions = Vec::new();
        for policy in policies.as_vec().map(Vec::as_slice).unwrap_or_default() {
            let document = match policy {
                Yaml::String(name) => {
                    let managed = self.resource(name);
                    assert_eq!(
                        managed["Type"].as_str(),
                        Some("AWS::IAM::ManagedPolicy"),
                        "{function} refers to {name}, which is not a managed policy"
                    );
                    &managed["Properties"]["PolicyDocument"]
                }
                Yaml::Hash(_) if !policy["Statement"].is_badvalue() => policy,
                other => panic!("{function}: a policy this reader does not know: {other:?}"),
            };
            for statement in document["Statement"].as_vec().expect("a Statement list") {
                assert_eq!(statement["Effect"].as_str(), Some("Allow"), "{statement:?}");
                match &statement["Action"] {
                    Yaml::String(action) => actions.push(action.clone()),
                    Yaml::Array(list) => actions.extend(
                        list.iter()
                            .map(|a| a.as_str().expect("an action name").to_owned()),
                    ),
                    other => panic!("{function}: an Action this reader does not know: {other:?}"),
                }
            }
        }
        actions.sort();
        actions.dedup();
        actions
    }

    /// The `HttpApi` events of `function` (a resource name): (path,
    /// method), sorted.
    pub fn http_api_events(&self, function: &str) -> Vec<(String, String)> {
        let events = self.resource(function)["Properties"]["Events"]
            .as_hash()
            .unwrap_or_else(|| panic!("{function} has Events"));
        let mut routes: Vec<(String, String)> = events
            .values()
            .filter(|event| event["Type"].as_str() == Some("HttpApi"))
            .map(|event| {
                let field = |name: &str| {
                    event["Properties"][name]
                        .as_str()
                        .unwrap_or_else(|| panic!("{function}: an event without {name}"))
                        .to_owned()
                };
                (field("Path"), field("Method"))
            })
            .collect();
        routes.sort();
        routes
    }

    /// The distribution's cache behaviours in order: (path pattern,
    /// origin id), then `("*", default origin)`.
    pub fn front_door_routes(&self) -> Vec<(String, String)> {
        let config = &self.resource("Distribution")["Properties"]["DistributionConfig"];
        let mut routes: Vec<(String, String)> = config["CacheBehaviors"]
            .as_vec()
            .expect("CacheBehaviors")
            .iter()
            .map(|behaviour| {
                (
                    behaviour["PathPattern"]
                        .as_str()
                        .expect("a PathPattern")
                        .to_owned(),
                    behaviour["TargetOriginId"]
                        .as_str()
                        .expect("a TargetOriginId")
                        .to_owned(),
                )
            })
            .collect();
        let default = config["DefaultCacheBehavior"]["TargetOriginId"]
            .as_str()
            .expect("a default origin");
        routes.push(("*".to_owned(), default.to_owned()));
        routes
    }
}

/// CloudFront's path patterns: `*` matches any run of characters (`/`
/// included), `?` exactly one; everything else literally.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    fn matches(pattern: &[u8], path: &[u8]) -> bool {
        match pattern.split_first() {
            None => path.is_empty(),
            Some((b'*', rest)) => (0..=path.len()).any(|skip| matches(rest, &path[skip..])),
            Some((b'?', rest)) => !path.is_empty() && matches(rest, &path[1..]),
            Some((c, rest)) => path.first() == Some(c) && matches(rest, &path[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudfront_patterns() {
        assert!(path_matches(
            "/.well-known/*",
            "/.well-known/oauth-protected-resource/mcp"
        ));
        assert!(path_matches("/token", "/token"));
        assert!(!path_matches("/token", "/tokens"));
        assert!(path_matches("*", "/mcp"));
        assert!(path_matches("/oauth/?ogin", "/oauth/login"));
        assert!(!path_matches("/oauth/*", "/mcp"));
    }

    #[test]
    fn the_template_reads_as_expected() {
        let template = Template::load();
        assert!(
            template
                .allowed_actions("McpFunction")
                .contains(&"dynamodb:GetItem".to_owned())
        );
        let routes = template.front_door_routes();
        assert_eq!(routes.last().map(|(_, o)| o.as_str()), Some("mcp"));
        assert!(routes.iter().any(|(p, o)| p == "/token" && o == "oauth"));
    }

    /// The OAuth function's events are the server's OAuth routes, no more
    /// and no fewer (a path added to one and not the other fails here).
    #[test]
    fn the_oauth_function_answers_exactly_the_oauth_routes() {
        let mut routes: Vec<(String, String)> = malgomo::oauth::ROUTES
            .iter()
            .map(|(path, method, _)| ((*path).to_owned(), method.to_string()))
            .collect();
        routes.sort();
        assert_eq!(Template::load().http_api_events("OauthFunction"), routes);
    }
}
