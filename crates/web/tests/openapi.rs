//! The OpenAPI document and the API routes agree: every `/api/v1` route the router serves is
//! documented with its method, and every documented operation is served. References resolve,
//! path parameters are declared, and every operation documents its errors.

use std::collections::BTreeSet;

use serde_json::Value;

const DOCUMENT: &str = include_str!("../src/api/openapi.json");

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("openapi.json is JSON")
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push((method.to_uppercase(), format!("/api{path}"), operation.clone()));
            }
        }
    }
    out
}

#[test]
fn every_api_route_is_documented_and_every_documented_route_is_served() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api");
    let documented: BTreeSet<(String, String)> =
        operations(&doc).into_iter().map(|(method, path, _)| (method, path)).collect();
    let served: BTreeSet<(String, String)> = daihoi_web::route_paths()
        .into_iter()
        .filter(|route| route.path.starts_with("/api/v1/"))
        .map(|route| (route.method.to_string(), route.path))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(undocumented.is_empty(), "API routes missing from openapi.json: {undocumented:?}");
    assert!(unserved.is_empty(), "openapi.json documents routes that are not served: {unserved:?}");
    assert!(served.len() >= 13, "the registry API is served ({} routes)", served.len());
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    out.push(inner.as_str().unwrap_or("").to_string());
                } else {
                    refs(inner, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

#[test]
fn references_resolve_and_operations_are_complete() {
    let doc = document();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for reference in all {
        let name = reference.strip_prefix("#/components/schemas/").expect("local schema reference");
        assert!(doc["components"]["schemas"][name].is_object(), "{reference} does not resolve");
    }
    let mut ids = BTreeSet::new();
    for (method, path, operation) in operations(&doc) {
        let id = operation["operationId"].as_str().unwrap_or_default().to_string();
        assert!(
            !id.is_empty() && ids.insert(id.clone()),
            "{method} {path}: operationId missing or repeated"
        );
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.contains_key("401"), "{method} {path} does not document 401");
        assert!(
            responses.keys().any(|status| status.starts_with('2')),
            "{method} {path} documents no success"
        );
        let declared: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .map(|params| {
                params
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            assert!(
                declared.contains(name),
                "{method} {path} does not declare the path parameter {name}"
            );
        }
        if path.contains("{id}") {
            assert!(responses.contains_key("404"), "{method} {path} does not document 404");
        }
        if method != "GET" && path != "/api/v1/units" {
            assert!(responses.contains_key("403"), "{method} {path} does not document 403");
        }
        if matches!(method.as_str(), "POST" | "PATCH") {
            assert!(responses.contains_key("422"), "{method} {path} does not document 422");
            assert!(operation["requestBody"].is_object(), "{method} {path} documents no body");
        }
    }
}
