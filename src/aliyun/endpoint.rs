//! Which host serves a product in a region, and the overrides that replace it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use super::ErrorCode;
use crate::Error;

/// Environment variable that overrides the endpoint of every product.
pub(crate) const ENV_ENDPOINT_URL: &str = "ALIBABA_CLOUD_ENDPOINT_URL";

/// An Alibaba Cloud product: its code, API version, endpoints and envelope rules.
#[derive(Clone, PartialEq, Eq)]
pub struct Product {
    code: Cow<'static, str>,
    name: Cow<'static, str>,
    version: Cow<'static, str>,
    endpoint: EndpointRule,
    success_code: Option<&'static str>,
    /// Older API versions that carry every action's parameters in a form body.
    body_versions: &'static [&'static str],
}

#[derive(Clone, PartialEq, Eq)]
enum EndpointRule {
    /// `<code>.<region>.aliyuncs.com`.
    Regional,
    /// One central host, with regional exceptions.
    Central {
        host: &'static str,
        exceptions: &'static [(&'static str, &'static str)],
    },
}

impl Product {
    /// LinkWAN, API version `2019-03-01`, at `linkwan.<region>.aliyuncs.com`.
    pub const LINKWAN: Product = Product {
        code: Cow::Borrowed("linkwan"),
        name: Cow::Borrowed("LinkWAN"),
        version: Cow::Borrowed("2019-03-01"),
        endpoint: EndpointRule::Regional,
        success_code: None,
        body_versions: &["2018-12-30"],
    };

    /// Short Message Service (Dysmsapi), API version `2017-05-25`, at `dysmsapi.aliyuncs.com`
    /// except in the regions that have their own host. A body whose `Code` is not `OK` is a
    /// failure.
    pub const DYSMSAPI: Product = Product {
        code: Cow::Borrowed("dysmsapi"),
        name: Cow::Borrowed("Dysmsapi"),
        version: Cow::Borrowed("2017-05-25"),
        endpoint: EndpointRule::Central {
            host: "dysmsapi.aliyuncs.com",
            exceptions: &[
                ("ap-southeast-1", "dysmsapi.ap-southeast-1.aliyuncs.com"),
                ("ap-southeast-5", "dysmsapi.ap-southeast-5.aliyuncs.com"),
                ("cn-beijing", "dysmsapi-proxy.cn-beijing.aliyuncs.com"),
                ("cn-hongkong", "dysmsapi-xman.cn-hongkong.aliyuncs.com"),
                ("eu-central-1", "dysmsapi.eu-central-1.aliyuncs.com"),
                ("us-east-1", "dysmsapi.us-east-1.aliyuncs.com"),
            ],
        },
        success_code: Some("OK"),
        body_versions: &[],
    };

    /// A product this crate does not know: served at `<code>.<region>.aliyuncs.com` unless an
    /// endpoint override applies. Known codes (`linkwan`, `dysmsapi`) give the known product
    /// with `version` in place of its default.
    pub fn custom(code: &str, version: impl Into<Cow<'static, str>>) -> Product {
        let version = version.into();
        match Product::known(code) {
            Some(known) => Product { version, ..known },
            None => Product {
                code: Cow::Owned(code.to_ascii_lowercase()),
                name: Cow::Owned(code.to_owned()),
                version,
                endpoint: EndpointRule::Regional,
                success_code: None,
                body_versions: &[],
            },
        }
    }

    /// The known product with this code (case-insensitive), if any.
    pub fn known(code: &str) -> Option<Product> {
        [Product::LINKWAN, Product::DYSMSAPI]
            .into_iter()
            .find(|p| p.code.eq_ignore_ascii_case(code))
    }

    /// The lower-case product code used in host names, e.g. `linkwan`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The product's name, e.g. `LinkWAN`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The API version sent as `Version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Where every action's parameters travel in API version `version`, when the version
    /// decides it: LinkWAN `2018-12-30` carries them in a form body, where `2019-03-01`
    /// carries them in the query.
    pub(crate) fn param_location_for(&self, version: &str) -> Option<super::ParamLocation> {
        self.body_versions
            .contains(&version)
            .then_some(super::ParamLocation::Body)
    }

    /// The `Code` value a successful body carries, for products that report business failures
    /// with HTTP 200.
    pub(crate) fn success_code(&self) -> Option<&'static str> {
        self.success_code
    }

    /// The default HTTPS endpoint in `region`, or `None` when the product needs a region and
    /// none was given.
    pub fn default_endpoint(&self, region: Option<&str>) -> Option<String> {
        let host = match (&self.endpoint, region) {
            (EndpointRule::Regional, Some(region)) => {
                format!("{}.{region}.aliyuncs.com", self.code)
            }
            (EndpointRule::Regional, None) => return None,
            (EndpointRule::Central { host, exceptions }, region) => region
                .and_then(|r| exceptions.iter().find(|(er, _)| *er == r))
                .map_or(*host, |(_, h)| *h)
                .to_owned(),
        };
        Some(format!("https://{host}"))
    }

    /// The per-product override variable, e.g. `ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN`.
    pub(crate) fn endpoint_env_var(&self) -> String {
        format!("{ENV_ENDPOINT_URL}_{}", self.code.to_ascii_uppercase())
    }
}

impl fmt::Debug for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// Endpoint overrides, captured when a client is built.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    /// From the builder's `endpoint_url`: every product.
    pub(crate) builder: Option<String>,
    /// `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>`, by variable name.
    pub(crate) per_product: HashMap<String, String>,
    /// `ALIBABA_CLOUD_ENDPOINT_URL`: every product.
    pub(crate) global: Option<String>,
}

impl Overrides {
    /// Captures the environment's overrides, refusing one that is not an endpoint URL.
    pub(crate) fn from_vars(
        vars: impl Iterator<Item = (String, String)>,
    ) -> Result<Self, Error<ErrorCode>> {
        let mut overrides = Overrides::default();
        for (name, value) in vars {
            if value.trim().is_empty() {
                continue;
            }
            if name == ENV_ENDPOINT_URL {
                overrides.global = Some(parse_endpoint(&value, &name)?);
            } else if name.starts_with(ENV_ENDPOINT_URL) {
                let url = parse_endpoint(&value, &name)?;
                overrides.per_product.insert(name, url);
            }
        }
        Ok(overrides)
    }

    /// The endpoint for `product`: builder override, then the product's variable, then the
    /// global variable, then the product's default for `region`.
    pub(crate) fn resolve(&self, product: &Product, region: Option<&str>) -> Option<String> {
        self.builder
            .clone()
            .or_else(|| self.per_product.get(&product.endpoint_env_var()).cloned())
            .or_else(|| self.global.clone())
            .or_else(|| product.default_endpoint(region))
    }
}

/// Accepts `host`, `host:port` or a full URL, without a trailing slash (the STS endpoint of
/// the credential providers; the clients use [`parse_endpoint`]).
pub(crate) fn normalize(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    if url.contains("://") {
        url.to_owned()
    } else {
        format!("https://{url}")
    }
}

/// Parses an endpoint given as `host`, `host:port` or an `http(s)://` URL with no path,
/// query, fragment or user info, into `scheme://host[:port]`. `source` names where the value
/// came from (the builder setting or the environment variable), for the error.
pub(crate) fn parse_endpoint(value: &str, source: &str) -> Result<String, Error<ErrorCode>> {
    let trimmed = value.trim();
    let full = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let bad = |why: String| Error::invalid(source, format!("{why}, got {trimmed:?}"));
    let url = url::Url::parse(&full).map_err(|e| {
        bad(format!(
            "must be an endpoint URL such as `https://host` ({e})"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must be an http:// or https:// URL".to_owned()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("must name a host".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry user information".to_owned()));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            "must be only a scheme, a host and a port: RPC calls go to the path `/`".to_owned(),
        ));
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_endpoints_follow_the_protocol_notes() {
        let linkwan = Product::LINKWAN;
        assert_eq!(
            linkwan.default_endpoint(Some("cn-shanghai")).as_deref(),
            Some("https://linkwan.cn-shanghai.aliyuncs.com")
        );
        assert_eq!(linkwan.default_endpoint(None), None);
        let sms = Product::DYSMSAPI;
        assert_eq!(
            sms.default_endpoint(Some("cn-hangzhou")).as_deref(),
            Some("https://dysmsapi.aliyuncs.com")
        );
        assert_eq!(
            sms.default_endpoint(Some("cn-beijing")).as_deref(),
            Some("https://dysmsapi-proxy.cn-beijing.aliyuncs.com")
        );
        assert_eq!(
            sms.default_endpoint(None).as_deref(),
            Some("https://dysmsapi.aliyuncs.com")
        );
    }

    #[test]
    fn overrides_apply_in_order() {
        let vars = [
            ("ALIBABA_CLOUD_ENDPOINT_URL", "http://global:1/"),
            ("ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN", "linkwan.example"),
            ("UNRELATED", "x"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let mut o = Overrides::from_vars(vars.into_iter()).unwrap();
        let linkwan = Product::LINKWAN;
        let sms = Product::DYSMSAPI;
        assert_eq!(
            o.resolve(&linkwan, None).as_deref(),
            Some("https://linkwan.example")
        );
        assert_eq!(o.resolve(&sms, None).as_deref(), Some("http://global:1"));
        o.builder = Some("http://builder".into());
        assert_eq!(o.resolve(&linkwan, None).as_deref(), Some("http://builder"));
    }

    #[test]
    fn endpoints_are_parsed_and_bad_ones_refused_naming_their_source() {
        let ok = |v| parse_endpoint(v, "endpoint_url").unwrap();
        assert_eq!(ok("linkwan.example"), "https://linkwan.example");
        assert_eq!(ok(" http://127.0.0.1:8080/ "), "http://127.0.0.1:8080");
        assert_eq!(ok("https://example.com:443"), "https://example.com");
        for bad in [
            "http://",
            "ftp://example.com",
            "http://exa mple.com",
            "http://user:pw@example.com",
            "http://example.com/prefix",
            "http://example.com/?a=1",
            "http://example.com:99999",
        ] {
            let err = parse_endpoint(bad, "ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN").unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN"),
                "{bad}: {err:?}"
            );
        }
    }
}
