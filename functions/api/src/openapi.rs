//! The API's OpenAPI document, generated from the handlers' `#[utoipa::path]`
//! and the types they read and write: served at `GET /openapi.json` and
//! written to `docs/openapi.yaml` (`make openapi`; a test fails when the
//! checked-in copy is stale).

use crate::http::ApiResponse;
use crate::router::handlers;
use crate::router::Routes;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "designa API",
        version = "1.0.0",
        description = "Tenant API of designa: entities, users, fleet, drivers, assignments, \
Excel imports, notices and their answers, designation certificates, exports, the access journal, \
data-subject requests.

Authentication: a Cognito ID token as `Authorization: Bearer <token>`. The tenant and the user \
come from the verified token (`custom:tenant_id`, `sub`) only, never from the path or the body. \
Resources of another tenant or of an entity outside the caller's scopes answer 404. Public, without \
a token: accepting an invitation, this document, the certificates' public key and the check of a \
verification code.

Authentification : jeton d'identité Cognito en `Authorization: Bearer <jeton>` ; le client \
(tenant) et l'utilisateur viennent uniquement du jeton vérifié.",
        license(name = "UNLICENSED")
    ),
    servers(
        (url = "http://127.0.0.1:3000", description = "local (make api)"),
        (url = "https://{apiId}.execute-api.eu-west-3.amazonaws.com", description = "AWS",
            variables(("apiId" = (default = "api-id", description = "the ApiUrl output"))))
    ),
    security(("bearerAuth" = [])),
    modifiers(&BearerToken),
    tags(
        (name = "Tenant"), (name = "Entities"), (name = "Users"), (name = "Fleet"),
        (name = "Drivers"), (name = "Assignments"), (name = "Imports"), (name = "Notices"),
        (name = "Answers"),
        (name = "Certificates", description = "Designation certificates: the PDF, its signed proof, \
the public key and the public check of a verification code"),
        (name = "Exports"), (name = "Journal"),
        (name = "Privacy", description = "Data-subject rights (GDPR) and their register"),
        (name = "Meta", description = "This document")
    )
)]
struct Base;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, spec: &mut Document) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build();
        spec.components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearerAuth", SecurityScheme::Http(scheme));
    }
}

/// The document's head: title, servers, authentication, tags.
pub fn document() -> Document {
    Base::openapi()
}

/// Operation ids from the method and the path (`GET /vehicles/{vehicleId}`
/// is `getVehiclesVehicleId`): stable for generated clients, unique. An id
/// a handler names itself (camelCase, unlike the handlers' snake_case
/// function names utoipa defaults to) is kept.
pub fn name_operations(spec: &mut Document) {
    for (path, item) in spec.paths.paths.iter_mut() {
        let words: String = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(capitalized)
            .collect();
        for (method, operation) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("delete", &mut item.delete),
        ] {
            let Some(operation) = operation else { continue };
            let named = operation
                .operation_id
                .as_deref()
                .is_some_and(|id| id.chars().any(|c| c.is_ascii_uppercase()));
            if !named {
                operation.operation_id = Some(format!("{method}{words}"));
            }
        }
    }
}

/// Documents the `Idempotency-Key` header on the operations that take one
/// (`idempotency::takes_key`) and the answers it adds: 409 while the first
/// request runs, 422 for a key already used by another request.
pub fn document_idempotency_keys(spec: &mut Document) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{Required, ResponseBuilder};
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(designa::app::idempotency::MAX_KEY_LENGTH))
        .pattern(Some("^[!-~]+$"));
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(IDEMPOTENCY_KEY_DOC))
        .schema(Some(schema))
        .build();
    for (path, item) in spec.paths.paths.iter_mut() {
        let keyed = [
            (axum::http::Method::POST, &mut item.post),
            (axum::http::Method::PUT, &mut item.put),
        ];
        for (method, operation) in keyed {
            let Some(operation) = operation
                .as_mut()
                .filter(|_| crate::idempotency::takes_key(&method, path))
            else {
                continue;
            };
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .push(parameter.clone());
            let responses = &mut operation.responses.responses;
            let error = |description: &str| {
                let content = utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Error")))
                    .build();
                ResponseBuilder::new()
                    .description(description)
                    .content(crate::http::JSON, content)
                    .build()
                    .into()
            };
            responses
                .entry("409".into())
                .or_insert_with(|| error("Conflict"));
            responses
                .entry("422".into())
                .or_insert_with(|| error("Invalid request"));
        }
    }
}

const IDEMPOTENCY_KEY_DOC: &str =
    "A key of the client's choosing (a UUID, say): the same key with \
the same request within 24 hours answers the first response again (`Idempotent-Replayed: true`) \
without doing the work twice. The same key with another method, path or body is refused (422 \
`idempotency_key_reused`); while the first request runs, 409 `idempotency_key_in_use` with \
`Retry-After`. A first response of 5xx is not kept: retry with the same key.";

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The first line of `docs/openapi.yaml`.
const YAML_HEADER: &str =
    "# Generated from the code (functions/api/src/openapi.rs): run `make openapi`, never edit.\n";

/// The document as `docs/openapi.yaml` holds it.
pub fn yaml() -> String {
    let body = crate::router::spec()
        .to_yaml()
        .expect("the document serializes");
    format!("{YAML_HEADER}{body}")
}

/// The document as served, built once.
fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        crate::router::spec()
            .to_pretty_json()
            .expect("the document serializes")
    })
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "Meta", security(()),
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn get() -> ApiResponse {
    ApiResponse {
        status: 200,
        content_type: crate::http::JSON,
        headers: Vec::new(),
        body: json().as_bytes().to_vec(),
    }
}

/// Served without a token.
pub fn router() -> Routes {
    Routes::new().routes(handlers!(get))
}
