//! What a signed RPC request looks like on the wire, for each signature version: pure
//! functions from (credentials, action, parameters, time, nonce) to URL, headers and body.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::sign::{percent_encode_into, v1, v3};
use super::{ParamLocation, Params};
use crate::credentials::Credentials;

/// How Alibaba Cloud RPC requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// Signature v1 (`HMAC-SHA1`): common and business parameters in the query, `Signature`
    /// among them. The default.
    #[default]
    V1,
    /// Signature V3 (`ACS3-HMAC-SHA256`): business parameters in the query, `x-acs-*` headers
    /// and an `Authorization` header. What the official SDKs use today.
    V3,
}

/// An instant as the RPC `Timestamp` and `x-acs-date` carry it: `yyyy-MM-ddTHH:mm:ssZ`, UTC.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A fresh signature nonce: 128 random bits in hex.
pub(crate) fn nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// A signed request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedRequest {
    pub(crate) url: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// A form body, when the action's parameters travel in one.
    pub(crate) body: Option<String>,
    /// The signature (v1 Base64, V3 hex), to scrub from anything a server echoes back.
    pub(crate) signature: String,
}

/// The content type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

/// What is signed: everything but the secret's use.
pub(crate) struct Unsigned<'a> {
    pub(crate) endpoint: &'a str,
    pub(crate) action: &'a str,
    pub(crate) version: &'a str,
    pub(crate) params: &'a Params,
    pub(crate) location: ParamLocation,
    pub(crate) now: DateTime<Utc>,
    pub(crate) nonce: &'a str,
}

impl<'a> Unsigned<'a> {
    /// Signs the request with `credentials`.
    pub(crate) fn sign(&self, how: SignatureVersion, credentials: &Credentials) -> SignedRequest {
        match how {
            SignatureVersion::V1 => self.sign_v1(credentials),
            SignatureVersion::V3 => self.sign_v3(credentials),
        }
    }

    fn sign_v1(&self, credentials: &Credentials) -> SignedRequest {
        let timestamp = timestamp(self.now);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(self.params.len() + 9);
        all.extend([
            ("AccessKeyId", credentials.access_key_id()),
            ("Action", self.action),
            ("Format", "JSON"),
            ("SignatureMethod", v1::SIGNATURE_METHOD),
            ("SignatureNonce", self.nonce),
            ("SignatureVersion", v1::SIGNATURE_VERSION),
            ("Timestamp", timestamp.as_str()),
            ("Version", self.version),
        ]);
        if let Some(token) = credentials.security_token() {
            all.push(("SecurityToken", token));
        }
        let common = all.len();
        all.extend(self.params.iter());
        let canonical = v1::canonical_query(all.iter().copied());
        let string_to_sign = v1::string_to_sign_from_canonical("POST", &canonical);
        let signature = v1::sign(credentials.access_key_secret(), &string_to_sign);
        // Most actions have no body: their URL is the canonical query itself.
        let has_body =
            self.location == ParamLocation::Body || self.params.body_params().next().is_some();
        let (query, body) = if has_body {
            self.split()
        } else {
            (Vec::new(), None)
        };
        let mut url = match body {
            None => self.url_with(&canonical),
            Some(_) => {
                let mut in_query = all[..common].to_vec();
                in_query.extend(query);
                self.url_with(&v1::canonical_query(in_query))
            }
        };
        url.push_str("&Signature=");
        percent_encode_into(&mut url, &signature);
        let headers = match body {
            Some(_) => vec![("content-type", FORM.to_owned())],
            None => Vec::new(),
        };
        SignedRequest {
            url,
            headers,
            body: body.map(v1::canonical_query),
            signature,
        }
    }

    fn sign_v3(&self, credentials: &Credentials) -> SignedRequest {
        let (query, body) = self.split();
        let body = body.map(v1::canonical_query);
        let payload_hash = match &body {
            Some(body) => v3::payload_sha256(body.as_bytes()),
            None => v3::EMPTY_PAYLOAD_SHA256.to_owned(),
        };
        let mut headers: Vec<(&'static str, String)> = vec![
            ("host", authority(self.endpoint)),
            ("x-acs-action", self.action.to_owned()),
            ("x-acs-content-sha256", payload_hash.clone()),
            (
                "x-acs-date",
                self.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ),
            ("x-acs-signature-nonce", self.nonce.to_owned()),
            ("x-acs-version", self.version.to_owned()),
        ];
        if let Some(token) = credentials.security_token() {
            headers.push(("x-acs-security-token", token.to_owned()));
        }
        if body.is_some() {
            headers.push(("content-type", FORM.to_owned()));
        }
        let signed = v3::default_signed_headers(headers.iter().map(|(k, v)| (*k, v)));
        let canonical = v3::canonical_request(
            "POST",
            "/",
            query.iter().copied(),
            headers.iter().map(|(k, v)| (*k, v)),
            &signed,
            &payload_hash,
        );
        let signature = v3::sign(
            credentials.access_key_secret(),
            &v3::string_to_sign(&canonical),
        );
        headers.push((
            "authorization",
            v3::authorization(credentials.access_key_id(), &signed, &signature),
        ));
        SignedRequest {
            url: self.url_with(&v1::canonical_query(query)),
            headers,
            body,
            signature,
        }
    }

    /// The business parameters for the query string, and those for a form body (`None`
    /// when there is no body): where each parameter was put, unless the action sends them all
    /// in the body.
    #[allow(clippy::type_complexity)]
    fn split(&self) -> (Vec<(&'a str, &'a str)>, Option<Vec<(&'a str, &'a str)>>) {
        let params: &'a Params = self.params;
        if self.location == ParamLocation::Body {
            return (Vec::new(), Some(params.iter().collect()));
        }
        let body: Vec<_> = params.body_params().collect();
        let query = params.query_params().collect();
        (query, (!body.is_empty()).then_some(body))
    }

    fn url_with(&self, query: &str) -> String {
        let mut url = String::with_capacity(self.endpoint.len() + 2 + query.len() + 40);
        url.push_str(self.endpoint);
        url.push('/');
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

/// `host[:port]` of an endpoint URL, as the `host` header carries it.
fn authority(endpoint: &str) -> String {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    match authority.rsplit_once(':') {
        Some((host, "80")) if endpoint.starts_with("http://") => host.to_owned(),
        Some((host, "443")) if endpoint.starts_with("https://") => host.to_owned(),
        _ => authority.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsigned<'a>(params: &'a Params) -> Unsigned<'a> {
        Unsigned {
            endpoint: "https://linkwan.cn-shanghai.aliyuncs.com",
            action: "GetOwnedJoinPermission",
            version: "2019-03-01",
            params,
            location: ParamLocation::Query,
            now: DateTime::from_timestamp(1_456_231_584, 0).unwrap(),
            nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        }
    }

    #[test]
    fn v1_puts_everything_in_the_query_with_the_vector_signature() {
        let mut params = Params::new();
        params.push("JoinPermissionId", "123");
        let signed = unsigned(&params).sign(
            SignatureVersion::V1,
            &Credentials::new("testid", "testsecret"),
        );
        assert!(signed.headers.is_empty());
        for part in [
            "Action=GetOwnedJoinPermission",
            "Timestamp=2016-02-23T12%3A46%3A24Z",
            "JoinPermissionId=123",
            "&Signature=",
        ] {
            assert!(signed.url.contains(part), "{part} in {}", signed.url);
        }
    }

    #[test]
    fn v3_signs_headers_and_keeps_only_business_parameters_in_the_query() {
        let mut params = Params::new();
        params.push("JoinPermissionId", "123");
        let creds = Credentials::new("testid", "testsecret").with_security_token("tok");
        let signed = unsigned(&params).sign(SignatureVersion::V3, &creds);
        assert_eq!(
            signed.url,
            "https://linkwan.cn-shanghai.aliyuncs.com/?JoinPermissionId=123"
        );
        let header = |name| {
            signed
                .headers
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("host"), Some("linkwan.cn-shanghai.aliyuncs.com"));
        assert_eq!(header("x-acs-security-token"), Some("tok"));
        assert_eq!(header("x-acs-date"), Some("2016-02-23T12:46:24Z"));
        let auth = v3::parse_authorization(header("authorization").unwrap()).unwrap();
        assert_eq!(auth.access_key_id, "testid");
        assert!(auth
            .signed_headers
            .contains(&"x-acs-security-token".to_owned()));
    }

    #[test]
    fn timestamps_match_the_documented_format() {
        let at = DateTime::from_timestamp(1_456_231_584, 0).unwrap();
        assert_eq!(timestamp(at), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(timestamp(at), "2016-02-23T12:46:24Z");
    }

    #[test]
    fn authority_drops_default_ports_only() {
        assert_eq!(authority("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(authority("https://example.com:443"), "example.com");
        assert_eq!(authority("http://example.com:80/"), "example.com");
        assert_eq!(authority("https://example.com"), "example.com");
    }
}
