//! Every route the API serves. `docs/openapi.yaml` documents exactly these
//! (a test compares them), and the isolation test calls each of them.

use crate::http::ApiError;

/// (method, path template). Templates use OpenAPI's `{name}` syntax.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/invitations/{token}"),
    ("GET", "/me"),
    ("GET", "/me/notification-preferences"),
    ("PUT", "/me/notification-preferences"),
    ("GET", "/tenant"),
    ("PUT", "/tenant/settings"),
    ("GET", "/entities"),
    ("POST", "/entities"),
    ("GET", "/entities/{entityId}"),
    ("PUT", "/entities/{entityId}"),
    ("DELETE", "/entities/{entityId}"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/{userId}"),
    ("PUT", "/users/{userId}"),
    ("DELETE", "/users/{userId}"),
    ("POST", "/users/{userId}/deactivate"),
    ("POST", "/users/{userId}/reactivate"),
    ("GET", "/vehicles"),
    ("POST", "/vehicles"),
    ("GET", "/vehicles/{vehicleId}"),
    ("PUT", "/vehicles/{vehicleId}"),
    ("DELETE", "/vehicles/{vehicleId}"),
    ("GET", "/vehicles/{vehicleId}/drivers"),
    ("GET", "/fleet/template"),
    ("GET", "/fleet/export"),
    ("GET", "/drivers"),
    ("POST", "/drivers"),
    ("GET", "/drivers/export"),
    ("GET", "/drivers/template"),
    ("GET", "/drivers/{driverId}"),
    ("PUT", "/drivers/{driverId}"),
    ("DELETE", "/drivers/{driverId}"),
    ("GET", "/assignments"),
    ("GET", "/assignments/template"),
    ("POST", "/assignments"),
    ("GET", "/assignments/{assignmentId}"),
    ("PUT", "/assignments/{assignmentId}"),
    ("DELETE", "/assignments/{assignmentId}"),
    ("POST", "/imports"),
    ("GET", "/imports"),
    ("POST", "/uploads"),
    ("GET", "/imports/{importId}"),
    ("POST", "/imports/{importId}/apply"),
    ("GET", "/notices"),
    ("GET", "/notices/{noticeNumber}"),
    ("PUT", "/notices/{noticeNumber}/answer"),
    ("GET", "/notices/{noticeNumber}/answer"),
    ("DELETE", "/notices/{noticeNumber}/answer"),
    ("POST", "/exports"),
    ("GET", "/exports"),
    ("GET", "/exports/{exportId}"),
    ("GET", "/journal"),
    ("GET", "/journal/verify"),
    ("GET", "/journal/export"),
    ("POST", "/privacy/requests"),
    ("GET", "/privacy/requests"),
    ("GET", "/privacy/requests/{requestId}"),
];

/// Routes served without a token (API Gateway route with `Authorizer: NONE`).
pub const PUBLIC: &[(&str, &str)] = &[("POST", "/invitations/{token}")];

pub fn is_public(method: &str, path: &str) -> bool {
    find(method, path).is_ok_and(|(template, _)| {
        PUBLIC
            .iter()
            .any(|(m, t)| m.eq_ignore_ascii_case(method) && *t == template)
    })
}

/// The longest path parameter served (ids are far shorter).
pub const MAX_PARAMETER_LENGTH: usize = 200;

/// Path parameters by name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .expect("the route template names this parameter")
    }
}

/// How well a template matches a path: `None` if not, else the number of
/// literal segments (more literal wins, as in OpenAPI).
fn matches(template: &'static str, path: &str) -> Option<(usize, Params)> {
    let t: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut literal = 0;
    let mut params = Params::default();
    for (ts, ps) in t.iter().zip(&p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            let value = urlencoding::decode(ps).ok()?.into_owned();
            // No id is longer; the table's keys have a size limit.
            if value.is_empty() || value.len() > MAX_PARAMETER_LENGTH {
                return None;
            }
            params.0.push((name, value));
        } else if ts == ps {
            literal += 1;
        } else {
            return None;
        }
    }
    Some((literal, params))
}

/// The route serving `method path`: 404 when no template matches the path,
/// 405 when one does but not with that method.
pub fn find(method: &str, path: &str) -> Result<(&'static str, Params), ApiError> {
    let mut best: Option<(usize, &'static str, Params)> = None;
    let mut path_known = false;
    for (m, template) in ROUTES {
        if let Some((score, params)) = matches(template, path) {
            path_known = true;
            if m.eq_ignore_ascii_case(method) && best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, template, params));
            }
        }
    }
    match best {
        Some((_, template, params)) => Ok((template, params)),
        None if path_known => Err(ApiError::MethodNotAllowed),
        None => Err(ApiError::NotFound("route".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        assert_eq!(find("GET", "/drivers/export").unwrap().0, "/drivers/export");
        let (template, params) = find("GET", "/drivers/d-1").unwrap();
        assert_eq!(template, "/drivers/{driverId}");
        assert_eq!(params.get("driverId"), "d-1");
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(
            find("GET", "/nowhere"),
            Err(ApiError::NotFound("route".into()))
        );
        assert_eq!(find("PATCH", "/entities"), Err(ApiError::MethodNotAllowed));
        assert!(is_public("POST", "/invitations/acme.abc"));
        assert!(!is_public("GET", "/me"));
    }

    #[test]
    fn parameters_are_percent_decoded() {
        let (_, params) = find("GET", "/notices/N%2001").unwrap();
        assert_eq!(params.get("noticeNumber"), "N 01");
        let long = format!("/notices/{}", "9".repeat(MAX_PARAMETER_LENGTH + 1));
        assert_eq!(find("GET", &long), Err(ApiError::NotFound("route".into())));
    }
}
