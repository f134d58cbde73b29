//! docs/openapi.yaml and the router agree: every route is documented, every
//! documented operation is served, and only the public routes drop the token.

use std::collections::BTreeSet;

fn spec() -> serde_yaml_ng::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("docs/openapi.yaml");
    serde_yaml_ng::from_str(&text).expect("docs/openapi.yaml is YAML")
}

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

#[test]
fn every_route_is_documented_and_every_documented_route_is_served() {
    let spec = spec();
    assert_eq!(spec["openapi"].as_str(), Some("3.1.0"));
    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_mapping()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            let path = path.as_str().unwrap().to_string();
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let served: BTreeSet<(String, String)> = api::router::all_routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from docs/openapi.yaml: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented but not served: {unserved:?}"
    );
}

#[test]
fn only_public_routes_are_documented_without_a_token() {
    let spec = spec();
    assert!(
        spec["security"][0].get("bearerAuth").is_some(),
        "the token is required by default"
    );
    let public_routes = api::router::public_routes();
    for route in api::router::all_routes() {
        let (method, path) = (route.method, route.path);
        let op = &spec["paths"][path][method.to_lowercase().as_str()];
        let public = op
            .get("security")
            .and_then(|s| s.as_sequence())
            .is_some_and(|s| s.is_empty());
        assert_eq!(
            public,
            public_routes.contains(&route),
            "{method} {path}: the spec and the router disagree on its token"
        );
        for name in path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            let declared = op["parameters"]
                .as_sequence()
                .into_iter()
                .flatten()
                .any(|p| p["name"].as_str() == Some(name) && p["in"].as_str() == Some("path"));
            assert!(
                declared,
                "{method} {path}: path parameter {name} is not declared"
            );
        }
    }
}
