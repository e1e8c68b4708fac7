//! The identities the emulator is seeded with.
//!
//! Every [`Emulator`](super::Emulator) starts with the same five Alibaba Cloud accounts (three
//! that use LinkWAN normally, [`LINKWAN_NOT_ACTIVATED`] and [`RISK_CONTROLLED`]), one RAM user
//! ([`RAM_USER_WITHOUT_LINKWAN`]), two sets of STS (temporary) credentials, one Taobao Open
//! Platform app and one data-bank AccessKey, so tests and examples can sign requests without any
//! configuration:
//!
//! ```
//! use alibaba_openapi::emulator::accounts;
//!
//! assert_eq!(accounts::OWNER.aliyun_id, "emulator_owner");
//! assert_eq!(accounts::RENTER.aliyun_id, "some_user");
//! assert_eq!(accounts::TOP_APP_KEY, "12345678");
//! assert_eq!(accounts::STS.account, accounts::OWNER);
//! assert!(accounts::STS.access_key_id.starts_with("STS."));
//! ```
//!
//! These are public test values: they grant nothing anywhere but in the emulator.

/// An Alibaba Cloud account known to the emulator, with its long-term AccessKey pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Account {
    /// The account's Aliyun ID, as LinkWAN names owners and renters (`OwnerAliyunId`, `RenterAliyunId`).
    pub aliyun_id: &'static str,
    /// The AccessKey ID to send as `AccessKeyId`.
    pub access_key_id: &'static str,
    /// The AccessKey secret that signs the account's requests.
    pub access_key_secret: &'static str,
}

/// The network operator: owns the join permissions [`JOIN_PERMISSION_ID`],
/// [`SECOND_JOIN_PERMISSION_ID`] and [`THIRD_JOIN_PERMISSION_ID`], and is the account to grant
/// them from.
pub const OWNER: Account = Account {
    aliyun_id: "emulator_owner",
    access_key_id: "LTAI5tEmulatorOwner00001",
    access_key_secret: "EmulatorOwnerSecret00000000001",
};

/// The developer a join permission is granted to: Aliyun ID `some_user`, the renter of the
/// LinkWAN documentation's examples. Owns no join permission.
pub const RENTER: Account = Account {
    aliyun_id: "some_user",
    access_key_id: "LTAI5tEmulatorRenter0001",
    access_key_secret: "EmulatorRenterSecret0000000001",
};

/// A third account that owns [`OTHER_JOIN_PERMISSION_ID`], to exercise `NotResourceOwner`.
pub const OTHER: Account = Account {
    aliyun_id: "emulator_other",
    access_key_id: "LTAI5tEmulatorOther00001",
    access_key_secret: "EmulatorOtherSecret00000000001",
};

/// An account that has never activated LinkWAN: every LinkWAN action it calls is answered
/// `CloudProductNotActivated`. Other products serve it normally, and it exists as far as
/// `RenterAliyunId` is concerned.
pub const LINKWAN_NOT_ACTIVATED: Account = Account {
    aliyun_id: "emulator_newcomer",
    access_key_id: "LTAI5tEmulatorNewcomer01",
    access_key_secret: "EmulatorNewcomerSecret00000001",
};

/// An account that Alibaba Cloud's risk control has flagged: every LinkWAN action it calls is
/// answered `ForbiddenByRiskControl`. Other products serve it normally.
pub const RISK_CONTROLLED: Account = Account {
    aliyun_id: "emulator_flagged",
    access_key_id: "LTAI5tEmulatorFlagged001",
    access_key_secret: "EmulatorFlaggedSecret000000001",
};

/// Every seeded Alibaba Cloud account, in the order above. The RAM user
/// [`RAM_USER_WITHOUT_LINKWAN`] is not one: it belongs to [`OWNER`]'s account.
pub const ALL: [Account; 5] = [OWNER, RENTER, OTHER, LINKWAN_NOT_ACTIVATED, RISK_CONTROLLED];

/// A RAM user of [`OWNER`]'s account (so its `aliyun_id` is the owner's) whose policy grants
/// Dysmsapi and STS but not LinkWAN: every LinkWAN action it calls is answered `ForbiddenByRam`,
/// before the action looks at its parameters or resources. Its Dysmsapi letters belong to
/// [`OWNER`], as a RAM user's resources belong to its account.
pub const RAM_USER_WITHOUT_LINKWAN: Account = Account {
    aliyun_id: "emulator_owner",
    access_key_id: "LTAI5tEmulatorRamUser001",
    access_key_secret: "EmulatorRamUserSecret000000001",
};

/// Temporary credentials as STS hands them out: an AccessKey pair whose ID starts with `STS.`,
/// valid only together with its security token (`SecurityToken` with signature v1,
/// `x-acs-security-token` with V3).
///
/// The emulator is seeded with [`STS`] and [`EXPIRED_STS`]; more are issued at run time with
/// [`Emulator::issue_sts_credentials`](super::Emulator::issue_sts_credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StsCredentials {
    /// The temporary AccessKey ID (`STS.…`), sent as `AccessKeyId` or in the V3 `Credential`.
    pub access_key_id: &'static str,
    /// The temporary AccessKey secret that signs the requests.
    pub access_key_secret: &'static str,
    /// The security token that must travel with every request signed by this key.
    pub security_token: &'static str,
    /// The account the credentials act as: the emulator's business rules see this caller.
    pub account: Account,
}

/// STS credentials that act as [`OWNER`] and do not expire (until
/// [`Emulator::expire_sts_tokens`](super::Emulator::expire_sts_tokens) is called). The token has
/// the `+`, `/` and `=` of a real, Base64 token, so a client that does not percent-encode it is
/// refused with `InvalidSecurityToken.MismatchWithAccessKey`, as it would be by the real gateway.
pub const STS: StsCredentials = StsCredentials {
    access_key_id: "STS.NUemulatorSts0001",
    access_key_secret: "EmulatorStsSecret000000000001",
    security_token: "CAISemulator+Sts/Token0001GhUB==",
    account: OWNER,
};

/// STS credentials that act as [`OWNER`] and expired on 2024-01-01T00:00:00Z: a correctly signed
/// request carrying the right token is answered `InvalidSecurityToken.Expired`.
pub const EXPIRED_STS: StsCredentials = StsCredentials {
    access_key_id: "STS.NUemulatorExpired01",
    access_key_secret: "EmulatorExpiredStsSecret00001",
    security_token: "CAISemulator+Expired/Token01GhUB==",
    account: OWNER,
};

/// When [`EXPIRED_STS`] expired, as STS writes an `Expiration`.
pub const EXPIRED_STS_EXPIRATION: &str = "2024-01-01T00:00:00Z";

/// The join permission of the LinkWAN documentation's examples (`JoinPermissionId=123`), owned by
/// [`OWNER`]. Its JoinEUI is `0000000000000000`, so `GetOwnedJoinPermission` answers `"JoinEui":0`
/// exactly as the documented example does.
pub const JOIN_PERMISSION_ID: &str = "123";

/// A second join permission owned by [`OWNER`], with a JoinEUI that has hex letters
/// (`70B3D57ED0001A2B`) and no bound product.
pub const SECOND_JOIN_PERMISSION_ID: &str = "124";

/// A third join permission owned by [`OWNER`], of class B on band plan 201 (AS923), so that the
/// owner's listing spans more than one page of two.
pub const THIRD_JOIN_PERMISSION_ID: &str = "125";

/// A join permission owned by [`OTHER`]: [`OWNER`] asking about it gets `NotResourceOwner`.
pub const OTHER_JOIN_PERMISSION_ID: &str = "900";

/// The SMS signature every seeded account starts with, approved: Alibaba Cloud's test
/// signature (`SignTag` 4, test; `SignType` 0, verification codes only), which goes with
/// [`SMS_TEST_TEMPLATE_CODE`]. The real one only reaches numbers bound in the console; the
/// emulator's reaches any number.
pub const SMS_TEST_SIGN_NAME: &str = "阿里云短信测试";

/// The SMS template every seeded account starts with, approved: Alibaba Cloud's test
/// verification-code template, `您正在使用阿里云短信测试服务，体验验证码是：${code}，如非本人操作，请忽略本短信！`
/// (`TemplateTag` 3, given by the system).
pub const SMS_TEST_TEMPLATE_CODE: &str = "SMS_154950909";

/// [`OWNER`]'s approved SMS qualification (`QualificationId` 1, organization code
/// `91330106MA27XF6M8E`), for third-party use: `CreateSmsSign` can cite it at once.
pub const SMS_SAMPLE_QUALIFICATION_ID: u64 = 1;

/// [`OWNER`]'s letter of authorization 1, `示例授权书`, for the organization of
/// [`SMS_SAMPLE_QUALIFICATION_ID`], covering [`SMS_SAMPLE_SIGN_NAME`], valid
/// `2024-01-01~2099-12-31`, approved (`PASSED`).
pub const SMS_SAMPLE_LETTER_ID: u64 = 1;

/// [`OWNER`]'s approved SMS signature `sample` (general use, third party, with qualification
/// [`SMS_SAMPLE_QUALIFICATION_ID`] and letter [`SMS_SAMPLE_LETTER_ID`]): the value every
/// documented sample request uses.
pub const SMS_SAMPLE_SIGN_NAME: &str = "sample";

/// [`OWNER`]'s approved SMS template with code `sample`, a notification (50 a day per number,
/// signature and template), `您的订单${code}已发货，请注意查收。`, related to
/// [`SMS_SAMPLE_SIGN_NAME`]: the value every documented sample request uses.
pub const SMS_SAMPLE_TEMPLATE_CODE: &str = "sample";

/// The Taobao Open Platform `app_key` the emulator knows.
pub const TOP_APP_KEY: &str = "12345678";

/// The secret of [`TOP_APP_KEY`].
pub const TOP_APP_SECRET: &str = "emulator-top-secret";

/// A valid TOP `session` (a user's authorization) for [`TOP_APP_KEY`]; any other non-empty
/// session is answered with code 27, `Invalid session`.
pub const TOP_SESSION: &str = "emulator-session";

/// The data-bank AccessKey (`context.ak` of `alibaba.databank.open.auth.apply`), the value of the
/// method's documented example.
pub const DATABANK_AK: &str = "lingyang_daas";

/// The secret of [`DATABANK_AK`] (`context.sk`).
pub const DATABANK_SK: &str = "w3343wer44e";

/// Finds the seeded account or RAM user an AccessKey ID belongs to.
pub(crate) fn by_access_key_id(access_key_id: &str) -> Option<Account> {
    ALL.into_iter()
        .chain([RAM_USER_WITHOUT_LINKWAN])
        .find(|a| a.access_key_id == access_key_id)
}

/// Whether an Aliyun ID names an account the emulator knows.
pub(crate) fn aliyun_id_exists(aliyun_id: &str) -> bool {
    ALL.iter().any(|a| a.aliyun_id == aliyun_id)
}

/// The account ID (UID) of [`OWNER`], as it appears in ARNs.
pub const OWNER_UID: &str = "1234567890123456";

/// A RAM role of [`OWNER`]'s account. STS `AssumeRole` signed by any key the emulator knows
/// assumes it, and `AssumeRoleWithOIDC` with [`OIDC_PROVIDER_ARN`] too; the temporary
/// credentials act as [`OWNER`].
pub const ROLE_ARN: &str = "acs:ram::1234567890123456:role/emulator-role";

/// The OIDC identity provider the emulator's STS trusts for [`ROLE_ARN`].
pub const OIDC_PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/emulator-oidc";

/// An OIDC token `AssumeRoleWithOIDC` accepts: a JWT (three base64url segments) whose header
/// and payload are JSON objects, the payload with `iss` and `sub` and, if it has an `exp`, one
/// in the future. Signatures are not checked, so any token of that shape is accepted.
pub const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImVtdWxhdG9yIn0.eyJpc3MiOiJodHRwczovL29pZGMuZW11bGF0b3IubG9jYWwiLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDplbXVsYXRvciIsImF1ZCI6InN0cy5hbGl5dW5jcy5jb20ifQ.ZW11bGF0b3Itc2lnbmF0dXJl";

/// The RAM role attached to the emulated ECS instance: the metadata service lists it and
/// answers its credentials, which act as [`OWNER`].
pub const ECS_ROLE_NAME: &str = "EmulatorEcsRole";
