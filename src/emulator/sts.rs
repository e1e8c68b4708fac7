//! Temporary (STS) credentials: which AccessKey IDs carry a security token, which token, and
//! until when.
//!
//! The gateway resolves an AccessKey ID here after the long-term keys of [`accounts`]. An ID that
//! resolves to temporary credentials must come with its token (checked after the signature):
//! missing → `MissingSecurityToken`, another token → `InvalidSecurityToken.MismatchWithAccessKey`,
//! past its expiration → `InvalidSecurityToken.Expired`. A token sent with a long-term key is
//! ignored, as the real gateways ignore it.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::accounts::{self, Account, StsCredentials};
use super::gateway::{Product, Rejection};
use super::limits::{BoundedMap, MAX_ISSUED_CREDENTIALS};

/// Temporary credentials issued by [`Emulator::issue_sts_credentials`](super::Emulator::issue_sts_credentials),
/// the shape STS's `AssumeRole` answers with.
///
/// `Debug` shows the AccessKey ID, the account and the expiration; the secret and the token are
/// redacted.
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TemporaryCredentials {
    /// The temporary AccessKey ID, `STS.` followed by letters and digits.
    pub access_key_id: String,
    /// The temporary AccessKey secret.
    pub access_key_secret: String,
    /// The security token to send with every request (`SecurityToken` / `x-acs-security-token`).
    pub security_token: String,
    /// When the credentials stop working, by the emulator's clock (whole seconds).
    pub expiration: DateTime<Utc>,
    /// The account the credentials act as.
    pub account: Account,
}

impl fmt::Debug for TemporaryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemporaryCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &"<redacted>")
            .field("expiration", &self.expiration)
            .field("account", &self.account.aliyun_id)
            .finish()
    }
}

/// What an AccessKey ID stands for.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    /// The account whose rules apply to the caller.
    pub account: Account,
    /// The secret that signs its requests.
    pub secret: String,
    /// The token and expiration, for temporary credentials.
    pub temporary: Option<Temporary>,
}

/// The token side of temporary credentials.
#[derive(Debug, Clone)]
pub(crate) struct Temporary {
    pub token: String,
    /// `None`: never expires.
    pub expiration: Option<DateTime<Utc>>,
}

/// Every set of temporary credentials the emulator knows, by AccessKey ID: the seeded ones for
/// good, the issued ones up to [`MAX_ISSUED_CREDENTIALS`], the oldest forgotten first (its key is
/// then unknown, `InvalidAccessKeyId.NotFound`).
#[derive(Debug)]
pub(crate) struct StsStore {
    seeded: HashMap<String, Identity>,
    issued: BoundedMap<String, Identity>,
}

impl StsStore {
    /// [`accounts::STS`] and [`accounts::EXPIRED_STS`].
    pub fn seeded() -> StsStore {
        let mut store = StsStore {
            seeded: HashMap::new(),
            issued: BoundedMap::new(MAX_ISSUED_CREDENTIALS),
        };
        let expired =
            NaiveDateTime::parse_from_str(accounts::EXPIRED_STS_EXPIRATION, "%Y-%m-%dT%H:%M:%SZ")
                .map(|t| t.and_utc())
                .unwrap_or(DateTime::UNIX_EPOCH);
        store.insert_seed(accounts::STS, None);
        store.insert_seed(accounts::EXPIRED_STS, Some(expired));
        store
    }

    fn insert_seed(&mut self, seed: StsCredentials, expiration: Option<DateTime<Utc>>) {
        self.seeded.insert(
            seed.access_key_id.to_owned(),
            Identity {
                account: seed.account,
                secret: seed.access_key_secret.to_owned(),
                temporary: Some(Temporary {
                    token: seed.security_token.to_owned(),
                    expiration,
                }),
            },
        );
    }

    /// Issues fresh credentials acting as `account`, valid from `now` for `ttl`.
    pub fn issue(
        &mut self,
        account: Account,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> TemporaryCredentials {
        let expiration = now.checked_add_signed(ttl).unwrap_or(now);
        let expiration = DateTime::from_timestamp(expiration.timestamp(), 0).unwrap_or(expiration);
        let access_key_id = loop {
            let id = format!("STS.NU{}", random_alphanumeric(23));
            if !self.seeded.contains_key(&id) && !self.issued.contains_key(&id) {
                break id;
            }
        };
        let mut token_bytes = [0u8; 96];
        token_bytes.iter_mut().for_each(|b| *b = fastrand::u8(..));
        let issued = TemporaryCredentials {
            access_key_id,
            access_key_secret: random_alphanumeric(44),
            security_token: format!(
                "CAIS{}",
                base64::engine::general_purpose::STANDARD.encode(token_bytes)
            ),
            expiration,
            account,
        };
        self.issued.insert(
            issued.access_key_id.clone(),
            Identity {
                account,
                secret: issued.access_key_secret.clone(),
                temporary: Some(Temporary {
                    token: issued.security_token.clone(),
                    expiration: Some(expiration),
                }),
            },
        );
        issued
    }

    /// Makes every set of temporary credentials known so far expire at `now`.
    pub fn expire_all(&mut self, now: DateTime<Utc>) {
        for identity in self.seeded.values_mut().chain(self.issued.values_mut()) {
            if let Some(temporary) = identity.temporary.as_mut() {
                temporary.expiration = Some(match temporary.expiration {
                    Some(at) if at < now => at,
                    _ => now,
                });
            }
        }
    }

    /// The temporary credentials of an AccessKey ID.
    pub fn get(&self, access_key_id: &str) -> Option<Identity> {
        self.seeded
            .get(access_key_id)
            .or_else(|| self.issued.get(access_key_id))
            .cloned()
    }
}

fn random_alphanumeric(len: usize) -> String {
    (0..len).map(|_| fastrand::alphanumeric()).collect()
}

/// Checks the security token a request carried (`sent`) against its key's.
pub(crate) fn check_token(
    identity: &Identity,
    sent: Option<&str>,
    now: DateTime<Utc>,
    product: Product,
) -> Result<(), Rejection> {
    // A long-term key: a token, if any, is ignored.
    let Some(temporary) = &identity.temporary else {
        return Ok(());
    };
    let Some(sent) = sent.filter(|t| !t.is_empty()) else {
        return Err(Rejection::new(
            400,
            "MissingSecurityToken",
            "SecurityToken is mandatory for this action.",
            Some(product),
        ));
    };
    if sent != temporary.token {
        return Err(Rejection::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "The Security Token does not match access key.",
            Some(product),
        ));
    }
    if temporary.expiration.is_some_and(|at| at <= now) {
        return Err(Rejection::new(
            400,
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
            Some(product),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_look_like_sts_ones_and_are_redacted_in_debug() {
        let mut store = StsStore::seeded();
        let now = Utc::now();
        let issued = store.issue(accounts::RENTER, Duration::hours(1), now);
        assert!(issued.access_key_id.starts_with("STS.NU"));
        assert!(issued.security_token.starts_with("CAIS"));
        assert_eq!(issued.expiration.timestamp_subsec_nanos(), 0);
        assert!(
            (issued.expiration - now - Duration::hours(1))
                .num_seconds()
                .abs()
                <= 1
        );
        let debug = format!("{issued:?}");
        assert!(!debug.contains(&issued.access_key_secret));
        assert!(!debug.contains(&issued.security_token));
        let identity = store.get(&issued.access_key_id).unwrap();
        assert_eq!(identity.account, accounts::RENTER);
    }

    #[test]
    fn beyond_the_cap_the_oldest_issued_credentials_are_forgotten() {
        let mut store = StsStore::seeded();
        let now = Utc::now();
        let first = store.issue(accounts::OWNER, Duration::hours(1), now);
        for _ in 0..MAX_ISSUED_CREDENTIALS {
            store.issue(accounts::OWNER, Duration::hours(1), now);
        }
        assert!(store.get(&first.access_key_id).is_none());
        assert!(
            store.get(accounts::STS.access_key_id).is_some(),
            "seeds stay"
        );
        assert!(store.get(accounts::EXPIRED_STS.access_key_id).is_some());
    }

    #[test]
    fn tokens_are_required_matched_and_timed() {
        let mut store = StsStore::seeded();
        let now = Utc::now();
        let sts = store.get(accounts::STS.access_key_id).unwrap();
        let check = |identity: &Identity, sent| {
            check_token(identity, sent, now, Product::LinkWan).map_err(|r| r.code)
        };
        assert_eq!(check(&sts, None), Err("MissingSecurityToken"));
        assert_eq!(
            check(&sts, Some("CAISother")),
            Err("InvalidSecurityToken.MismatchWithAccessKey")
        );
        assert_eq!(check(&sts, Some(accounts::STS.security_token)), Ok(()));
        let expired = store.get(accounts::EXPIRED_STS.access_key_id).unwrap();
        assert_eq!(
            check(&expired, Some(accounts::EXPIRED_STS.security_token)),
            Err("InvalidSecurityToken.Expired")
        );
        store.expire_all(now);
        let sts = store.get(accounts::STS.access_key_id).unwrap();
        assert_eq!(
            check(&sts, Some(accounts::STS.security_token)),
            Err("InvalidSecurityToken.Expired")
        );
        let long_term = Identity {
            account: accounts::OWNER,
            secret: String::new(),
            temporary: None,
        };
        assert_eq!(check(&long_term, Some("anything")), Ok(()));
    }
}
