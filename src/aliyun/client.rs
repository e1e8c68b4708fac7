//! The Alibaba Cloud RPC client.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use super::endpoint::{parse_endpoint, Overrides};
use super::wire::{self, SignatureVersion, Unsigned};
use super::{envelope, Action, ErrorCode, Params};
use crate::credentials::{Credentials, DefaultChain, ProvideCredentials};
use crate::error::Error;
use crate::redact::Secrets;
use crate::transport::{record_outcome, AttemptFailure, CallOptions, Settings, Transport};

/// Environment variable naming the default region.
const ENV_REGION: &str = "ALIBABA_CLOUD_REGION_ID";

/// A client for Alibaba Cloud RPC APIs. Cheap to clone (an `Arc` inside), `Send + Sync`, and
/// every clone shares one connection pool.
///
/// ```
/// use alibaba_openapi::aliyun::{Client, Credentials};
/// let client = Client::builder()
///     .region("cn-shanghai")
///     .credentials(Credentials::new("LTAI5tExample", "my-secret-value"))
///     .build()?;
/// assert!(!format!("{client:?}").contains("my-secret-value"));
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::aliyun::ErrorCode>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    signature_version: SignatureVersion,
}

struct Inner {
    transport: Transport,
    credentials: Arc<dyn ProvideCredentials>,
    region: Option<String>,
    overrides: Overrides,
    versions: HashMap<String, String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.region)
            .field("endpoints", &self.inner.overrides)
            .field("api_versions", &self.inner.versions)
            .field("credentials", &self.inner.credentials)
            .field("signature_version", &self.signature_version)
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// This client, signing with `version` instead (a cheap clone sharing the connection
    /// pool, credentials and clock): `client.with_signature_version(SignatureVersion::V3).send(&request)`.
    pub fn with_signature_version(&self, version: SignatureVersion) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            signature_version: version,
        }
    }

    /// How this client signs requests.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// Sends a request and decodes its typed answer, with the client's retry policy.
    ///
    /// Required parameters were checked when the request was built; here the endpoint and the
    /// credentials are resolved, the request is signed (signature v1, a fresh nonce and
    /// timestamp for every attempt) and sent, and every failure shape of the answer becomes an
    /// [`Error`]. What is retried depends on the action's [`Idempotency`](super::Idempotency):
    /// see [`RetryPolicy`](crate::transport::RetryPolicy).
    pub async fn send<A: Action>(&self, action: &A) -> Result<A::Output, Error<A::ErrorCode>> {
        self.send_with(action, &CallOptions::default()).await
    }

    /// Sends a request with settings for this call only (retry policy, total deadline).
    pub async fn send_with<A: Action>(
        &self,
        action: &A,
        options: &CallOptions,
    ) -> Result<A::Output, Error<A::ErrorCode>> {
        let span = call_span!(
            "alibaba_openapi.call",
            product = action.product().name(),
            action = action.action()
        );
        self.inner
            .transport
            .call(options, action.idempotency(), |_| {
                self.attempt(action, &span)
            })
            .instrument(span.clone())
            .await
    }

    /// Walks a paging action to its end: the returned [`Pages`](super::Pages) is a stream of
    /// answers, one call each, starting where `request` starts; [`Pages::items`](super::Pages::items)
    /// streams their items. See [`Paginate`](super::Paginate) for when the walk ends.
    pub fn paginate<A>(&self, request: A) -> super::Pages<A>
    where
        A: super::Paginate,
        A::Output: Send,
    {
        self.paginate_with(request, &CallOptions::default())
    }

    /// [`paginate`](Client::paginate), every page sent with `options`.
    pub fn paginate_with<A>(&self, request: A, options: &CallOptions) -> super::Pages<A>
    where
        A: super::Paginate,
        A::Output: Send,
    {
        super::Pages::new(self.clone(), request, options.clone())
    }

    async fn attempt<A: Action>(
        &self,
        action: &A,
        call: &tracing::Span,
    ) -> Result<A::Output, AttemptFailure<A::ErrorCode>> {
        let inner = &self.inner;
        let product = action.product();
        let endpoint = inner
            .overrides
            .resolve(product, inner.region.as_deref())
            .ok_or_else(|| {
                Error::invalid(
                    "region",
                    format!(
                        "is needed to find the {} endpoint; set `.region(\"cn-shanghai\")` on \
                         the client builder, {ENV_REGION}, or an endpoint URL",
                        product.name()
                    ),
                )
            })?;
        let credentials = inner
            .credentials
            .provide_credentials()
            .await
            .and_then(|c| c.validate().map(|()| c))
            .map_err(|e| Error::Credentials {
                message: e.to_string(),
            })?;
        let version = inner
            .versions
            .get(product.code())
            .map_or(product.version(), String::as_str);

        let mut params = Params::new();
        action.write_params(&mut params);
        let nonce = wire::nonce();
        let signed = Unsigned {
            endpoint: &endpoint,
            action: action.action(),
            version,
            params: &params,
            location: product
                .param_location_for(version)
                .unwrap_or_else(|| action.param_location()),
            now: inner.transport.now(),
            nonce: &nonce,
        }
        .sign(self.signature_version, &credentials);
        let mut secrets = Secrets::new([
            credentials.access_key_secret(),
            credentials.security_token().unwrap_or_default(),
            signed.signature.as_str(),
        ]);
        secrets.extend(params.secrets());

        let started = Instant::now();
        let mut request = inner.transport.http().post(signed.url);
        for (name, value) in signed.headers {
            request = request.header(name, value);
        }
        if let Some(body) = signed.body {
            request = request.body(body);
        }
        let response = inner.transport.execute(request).await?;
        let decoded = envelope::decode(product, response.status, &response.body, &secrets);
        let request_id = match &decoded {
            Ok(d) => d.request_id.as_deref(),
            Err(e) => e.request_id(),
        };
        record_outcome(call, response.status, started, request_id);
        match decoded {
            Ok(decoded) => Ok(decoded.output),
            Err(error) => Err(AttemptFailure::answered(error, &response)),
        }
    }
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    region: Option<String>,
    signature_version: SignatureVersion,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    invalid_credentials: Option<crate::credentials::CredentialsError>,
    /// As given: parsed when the client is built.
    endpoint_url: Option<String>,
    versions: HashMap<String, String>,
    transport: Settings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("signature_version", &self.signature_version)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("api_versions", &self.versions)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The region whose endpoints are used, e.g. `cn-shanghai` (default:
    /// `ALIBABA_CLOUD_REGION_ID`). LinkWAN serves `cn-shanghai` and `cn-hangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// How requests are signed: [`SignatureVersion::V1`] (the default) or
    /// [`SignatureVersion::V3`]. One call can use the other with
    /// [`Client::with_signature_version`].
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// Static credentials (default: [`DefaultChain`], the official default chain: environment,
    /// OIDC role, CLI profile, credentials file, ECS instance role, credentials URI).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.invalid_credentials = credentials.validate().err();
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider asked before every request.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.invalid_credentials = None;
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends every product's requests to this URL (`https://host`, `http://127.0.0.1:8080`
    /// or a bare host, which means HTTPS), ahead of `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>` and
    /// `ALIBABA_CLOUD_ENDPOINT_URL`. Checked by [`build`](ClientBuilder::build): a value that
    /// is not a scheme, a host and an optional port is refused there.
    pub fn endpoint_url(mut self, url: impl AsRef<str>) -> Self {
        self.endpoint_url = Some(url.as_ref().to_owned());
        self
    }

    /// Uses another API version of a product, by product code: e.g.
    /// `.api_version("linkwan", "2018-12-30")`.
    pub fn api_version(mut self, product_code: &str, version: impl Into<String>) -> Self {
        self.versions
            .insert(product_code.to_ascii_lowercase(), version.into());
        self
    }

    transport_setters!();

    /// Builds the client, reading the environment for what was not set.
    ///
    /// Fails when static credentials lack an ID or a secret, an endpoint URL (from the builder
    /// or `ALIBABA_CLOUD_ENDPOINT_URL*`) is not one, or the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error<ErrorCode>> {
        self.build_with(
            &|name| std::env::var(name).ok(),
            std::env::vars().filter(|(k, _)| k.starts_with("ALIBABA_CLOUD_ENDPOINT_URL")),
        )
    }

    fn build_with(
        self,
        lookup: &dyn Fn(&str) -> Option<String>,
        vars: impl Iterator<Item = (String, String)>,
    ) -> Result<Client, Error<ErrorCode>> {
        if let Some(e) = self.invalid_credentials {
            return Err(Error::Credentials {
                message: e.to_string(),
            });
        }
        let credentials: Arc<dyn ProvideCredentials> = match self.credentials {
            Some(provider) => provider,
            None => Arc::new(DefaultChain::new()),
        };
        let mut overrides = Overrides::from_vars(vars)?;
        overrides.builder = self
            .endpoint_url
            .map(|url| parse_endpoint(&url, "endpoint_url"))
            .transpose()?;
        let region = self
            .region
            .or_else(|| lookup(ENV_REGION))
            .filter(|r| !r.trim().is_empty());
        if let Some(region) = &region {
            if !region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(Error::invalid(
                    "region",
                    format!("must look like `cn-shanghai`, got {region:?}"),
                ));
            }
        }
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport::new(self.transport)?,
                credentials,
                region,
                overrides,
                versions: self.versions,
            }),
            signature_version: self.signature_version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_endpoint_variable_is_refused_naming_the_variable() {
        let vars = [(
            "ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN".to_owned(),
            "http://linkwan .example".to_owned(),
        )];
        let err = Client::builder()
            .credentials(Credentials::new("id", "secret"))
            .build_with(&|_| None, vars.into_iter())
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. }
                if parameter == "ALIBABA_CLOUD_ENDPOINT_URL_LINKWAN"),
            "{err}"
        );
    }
}
