//! A local stand-in for the services this crate speaks to (feature `emulator`).
//!
//! [`Emulator`] is a real HTTP server on loopback that behaves like the Alibaba Cloud RPC gateway
//! (LinkWAN, Dysmsapi) and the Taobao Open Platform gateway, so examples and tests need no
//! account and no network. It verifies requests from the wire as the real gateways do, keeps
//! state, enforces each action's documented rules, injects faults on demand and records what it
//! received. It does not depend on how this crate's clients build requests: anything that signs
//! correctly (an official SDK, `curl`) is served.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use alibaba_openapi::emulator::{accounts, Emulator};
//!
//! let emulator = Emulator::start().await?;
//! println!("RPC endpoint {} (sign with {})", emulator.url(), accounts::OWNER.access_key_id);
//! println!("TOP gateway  {}", emulator.top_gateway_url());
//! // ... run the code under test against it ...
//! assert!(emulator.requests().iter().all(|r| r.code.is_none()));
//! # Ok(()) }
//! ```
//!
//! # Alibaba Cloud RPC gateway (`url()`, path `/`)
//! Parameters are read from the query string and from an `application/x-www-form-urlencoded`
//! body (`+` is a space), with any HTTP method; the product is chosen by `Action` (the real
//! gateway uses the host name). Checks, in order, each with the real gateway's code:
//! 1. `Action` present, else 400 `MissingParameter`; known (an action of the LinkWAN or
//!    Dysmsapi model, see [below](#every-modeled-action-the-generic-layer), or of STS), else 404
//!    `InvalidAction.NotFound`;
//! 2. `Version` present and one the product serves (LinkWAN `2019-03-01`, `2018-12-30`;
//!    Dysmsapi `2017-05-25`), else 400 `InvalidVersion`;
//! 3. `AccessKeyId`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`, `Timestamp` present
//!    (400 `MissingParameter`), `Signature` present (400 `IncompleteSignature`);
//!    `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0` (400 `InvalidParameter`);
//! 4. a known AccessKey ID (a long-term key of [`accounts`] or temporary credentials, see
//!    below), else 404 `InvalidAccessKeyId.NotFound`;
//! 5. `Timestamp` exactly `yyyy-MM-ddTHH:mm:ssZ` (400 `IllegalTimestamp`) and within 15 minutes
//!    of the emulator's clock (400 `InvalidTimeStamp.Expired`);
//! 6. `Signature` equal to signature v1 over every received parameter but `Signature`, with the
//!    received HTTP method, else 400 `SignatureDoesNotMatch` whose message ends with the server's
//!    string to sign, as the real gateway's does;
//! 7. for temporary credentials, the security token (see below);
//! 8. `SignatureNonce` not used before by that AccessKey within 30 minutes, else 400
//!    `SignatureNonceUsed` (a nonce is spent only by a request that passed the checks above);
//! 9. an injected [`Fault`], if one applies; then the action.
//!
//! A request with `Authorization: ACS3-HMAC-SHA256 …` (or `x-acs-action` and no `Action`) is
//! verified as signature V3 instead, with the same codes: action and version from `x-acs-action` /
//! `x-acs-version`, key from `Credential`, time from `x-acs-date`, nonce from
//! `x-acs-signature-nonce`; the canonical request is rebuilt from the received method, path, query
//! string and exactly the headers `SignedHeaders` names, with the SHA-256 of the received body (an
//! `x-acs-content-sha256` that disagrees is `SignatureDoesNotMatch`). An `Authorization` that does
//! not parse, or another algorithm, is 400 `IncompleteSignature`. So is a `SignedHeaders` that
//! leaves out `host`, any `x-acs-*` header the request carries (`x-acs-action`, `x-acs-version`,
//! `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, `x-acs-security-token`, ...)
//! or, when a body is sent, its `content-type`; the message names what is missing. Otherwise one
//! signature could be replayed with a fresh date and nonce, or turned into another action. The
//! code is the one documented for a signature that "does not conform to Aliyun standards";
//! `SignatureDoesNotMatch` stays for a signature that does not match. The official SDKs sign
//! every header they send, the crate's client exactly these. Business parameters are read from
//! the query and a form body alike.
//!
//! ## Temporary credentials (STS security tokens)
//! An AccessKey ID may name temporary credentials instead of a long-term key: the seeded
//! [`accounts::STS`] (acts as [`accounts::OWNER`], never expires), [`accounts::EXPIRED_STS`]
//! (expired in 2024), or any issued with [`Emulator::issue_sts_credentials`]. Such a key must
//! carry its token — the `SecurityToken` parameter with v1 (signed like every parameter), the
//! `x-acs-security-token` header with V3 — checked after the signature: missing → 400
//! `MissingSecurityToken`; not the token issued with that key → 400
//! `InvalidSecurityToken.MismatchWithAccessKey`; past its expiration by the emulator's clock →
//! 400 `InvalidSecurityToken.Expired`. A token sent with a long-term key is accepted and ignored:
//! the reading taken is that the real gateways, which authenticate by the key, ignore it.
//! [`Emulator::expire_sts_tokens`] makes every token known so far expire at once.
//!
//! Errors are `{"RequestId","HostId","Code","Message","Recommend"}` as `application/json`.
//! Every answer has a fresh upper-case UUID RequestId and a `Date` header from the emulator's
//! clock (real time plus [`EmulatorBuilder::clock_skew`]), from which a client can learn its skew.
//!
//! # LinkWAN (`2019-03-01`, also accepts `2018-12-30`)
//! Two accounts act, each with its own keys: the owner of a join permission grants it through an
//! authorization order, the renter accepts, rejects, uses and returns it, and each is notified of
//! what the other did. Seeded: join permissions `123`, `124` and `125` owned by
//! [`accounts::OWNER`], `900` by [`accounts::OTHER`]; frequency band plan groups `101` (CN470 同频), `102` (CN470 异频)
//! and `201` (AS923 同频), the ids the documentation names. Every `*Millis` is on the services'
//! clock ([`Emulator::business_now`], moved by [`Emulator::advance_time`]).
//!
//! Before any action reads its parameters, three product-wide refusals that every LinkWAN page
//! documents (HTTP 400, gateway-shaped body, like every LinkWAN error) apply to the caller:
//! [`accounts::RAM_USER_WITHOUT_LINKWAN`] → `ForbiddenByRam` (a RAM user whose policy leaves
//! LinkWAN out); [`accounts::RISK_CONTROLLED`] → `ForbiddenByRiskControl` (an account risk
//! control has flagged); [`accounts::LINKWAN_NOT_ACTIVATED`] → `CloudProductNotActivated` (an
//! account that never activated the product). Temporary credentials acting as one of them are
//! refused the same way. Dysmsapi and STS serve all three normally. Then the actions below
//! check the request against the model as the generic layer does (`MissingParameter`, then `InvalidParameter` for
//! types and the overlay's limits, the name's length left to `InvalidName`), and apply their
//! rules in the order given. Ids are answered as strings; an id that is not a number is
//! `NonExistent`. Lists page with `Offset` (from 0) and `Limit` (1–200): `Data{TotalCount, List}`,
//! the count of all that match and the page (empty past the end). Fuzzy filters keep what
//! contains the text, ASCII letters in any case; an empty parameter is no filter.
//!
//! **Join permissions, by their owner**
//! - **CreateLocalJoinPermission**: `JoinPermissionName` 4–30 characters, a Chinese character
//!   (CJK ideograph) counting two, only Chinese characters, ASCII letters, digits and `_`, else
//!   `InvalidName`; `ClassMode` `A`, `B` or `C`, else `InvalidParameter`; `FreqBandPlanGroupId` a
//!   seeded plan, else `InvalidFreqBandPlan`; `UseDefaultJoinEui=false` needs `JoinEui`
//!   (`MissingParameter`) of 16 hex digits (`InvalidParameter`; kept in upper case), `true` gives
//!   `0000000000000000` (the documented example's; a `JoinEui` sent along is ignored); a name the
//!   caller already uses → `JoinPermissionNameDuplicated` (names are unique per owner); the caller
//!   owns 100 already, the seeded included → `ExceedLocalJoinPermissionLimit` (the emulator's
//!   quota; the real one is not documented). `RxDelay` (1–15) and `DataRate` (0–5) default to 1
//!   and 0; `IotInstanceId` is accepted and ignored, here and below. The new permission (ids from
//!   1000 upward) is enabled and NEW, `CreateMillis` now; `Data` is its id.
//! - **ListOwnedJoinPermissions** / **CountOwnedJoinPermissions**: the caller's permissions;
//!   `FuzzyJoinPermissionName`, `FuzzyJoinEui`, `FuzzyRenterAliyunId` (the renter of one APPLYING
//!   or ACCEPTED), `Enabled`. Sorted by `CreateMillis`, then id, oldest first unless
//!   `Ascending=false`; `SortingField`, when sent, must be the one documented, `CREATED_MILLIS`
//!   (`InvalidParameter`). Items: `JoinPermissionId`, `JoinPermissionName`, `JoinEui`,
//!   `FreqBandPlanGroupId`, `ClassMode`, `Enabled`, `RxDelay`, `DataRate`, `AuthState`, and
//!   `RenterAliyunId` while APPLYING or ACCEPTED. The count answers `Data` = the number.
//! - **GetOwnedJoinPermission**(`JoinPermissionId`): unknown → `NonExistent`; not the caller's →
//!   `NotResourceOwner`. `Data` has every documented field, with the documented example's quirks:
//!   `JoinPermissionId` and `JoinEui` are JSON numbers when all decimal digits (`"JoinEui":0` for
//!   `0000000000000000`). `AuthState` is NEW, APPLYING or ACCEPTED (below); `RenterAliyunId` is
//!   present while APPLYING or ACCEPTED; `BoundProductName` and `DataDispatchDestination` only when
//!   configured (on the seeded permissions).
//! - **UpdateOwnedLocalJoinPermission**(`JoinPermissionId`, any of `JoinPermissionName`,
//!   `ClassMode`, `FreqBandPlanGroupId`, `JoinEui`, `RxDelay`, `DataRate`): `NonExistent`;
//!   `NotResourceOwner`; APPLYING or ACCEPTED → `JoinPermissionAlreadyAuthorized`; then each value
//!   sent is checked as on creation (the name against the owner's other permissions) and only
//!   those change, none when one is refused.
//! - **UpdateOwnedLocalJoinPermissionEnablingState**(`JoinPermissionId`, `Enabled`):
//!   `NonExistent`; `NotResourceOwner`; allowed in any state (it documents no
//!   `JoinPermissionAlreadyAuthorized`): the owner may stop a rented permission, and the renter
//!   sees it.
//! - **DeleteLocalJoinPermission**(`JoinPermissionId`): `NonExistent`; `NotResourceOwner`;
//!   APPLYING or ACCEPTED → `JoinPermissionAlreadyAuthorized` (the reading taken of "granted", as
//!   for a new order: one waiting for the renter counts). Its orders stay readable.
//!
//! **Authorization orders**: APPLYING → ACCEPTED or REJECTED (by the renter) or CANCELED (by the
//! owner); every other move is `IllegalOrderStateTransition`. The permission's `AuthState`
//! follows: NEW → APPLYING on submission → ACCEPTED on acceptance; a rejection or cancellation
//! leaves it NEW; a return (**ReturnJoinPermission**, below) makes it NEW again while the order
//! stays ACCEPTED (no documented state says "returned": the reading taken).
//! - **SubmitJoinPermissionAuthOrder**(`JoinPermissionId`, `RenterAliyunId`): missing →
//!   `MissingParameter`; unknown permission → `NonExistent`; caller not the owner →
//!   `NotResourceOwner`; after 5 unknown renters in a row the caller gets
//!   `TooManyRenterNonExistentFailures` for 10 minutes after the last one (a successful
//!   submission resets the count); unknown renter → `RenterDoesNotExist`; the permission is
//!   APPLYING or ACCEPTED → `JoinPermissionAlreadyAuthorized` (the reading taken of "already
//!   granted": any order in progress or accepted blocks a new one, whatever its renter; once
//!   REJECTED, CANCELED or returned the permission can be granted again). Otherwise a new order in
//!   state APPLYING, ids from 1234 upward, answered `{"RequestId","Success":true,"Data":"1234"}`
//!   (Data a numeric string, as documented).
//! - **GetJoinPermissionAuthOrder**(`OrderId`): unknown or non-numeric → `NonExistent`; caller
//!   neither owner nor renter → `NotResourceOwner`. `Data` has `OrderId` and `JoinPermissionId` as
//!   strings, `OrderState`, `OwnerAliyunId`, `RenterAliyunId`, `ApplyingMillis`, and only those of
//!   `AcceptedMillis`, `RejectedMillis`, `CanceledMillis` the order has reached (numbers).
//! - **AcceptJoinPermissionAuthOrder**, **RejectJoinPermissionAuthOrder** (by the renter),
//!   **CancelJoinPermissionAuthOrder** (by the owner) (`OrderId`): unknown → `NonExistent`; the
//!   caller is not that party → `NotResourceOwner` (documented for Reject only; the reading taken
//!   for Accept and Cancel, and for the order's other party as for an outsider); the order is not
//!   APPLYING → `IllegalOrderStateTransition` (checked after the account, so the wrong account
//!   learns nothing of the state). The order's `*Millis` of the new state is now.
//!
//! The Rust controls are another way to move orders, as the console would, without an account:
//! [`Emulator::accept_order`] and [`Emulator::reject_order`] as the renter (APPLYING only),
//! [`Emulator::cancel_order`] as the owner, which may also end an ACCEPTED order still in effect
//! (not returned). Their `AuthState` and notifications are those of the HTTP actions.
//!
//! **The renter's view**: the permissions the caller rents, those whose order it accepted and
//! has not returned.
//! - **GetRentedJoinPermission**(`JoinPermissionId`): unknown → `NonExistent`; not rented by the
//!   caller (its owner's call, an order still APPLYING, a return) → `NotResourceOwner`. `Data`:
//!   `JoinPermissionId`, `JoinPermissionName`, `Type` `LOCAL`, `JoinEui`, `ClassMode`, `Enabled`,
//!   `FreqBandPlanGroupId`, `RxDelay`, `DataRate`, `CreateMillis`, `NodesCnt`, traffic sums 0.
//! - **ListRentedJoinPermissions** / **CountRentedJoinPermissions**: `FuzzyJoinPermissionName`,
//!   `FuzzyJoinEui`, `FuzzyOwnerAliyunId`, `Enabled`, `BoundNodeGroup` (node groups keep no
//!   state, so nothing is bound: `true` keeps none), `Type` `LOCAL` or `ROAMING` (no roaming
//!   permission is kept: `ROAMING` keeps none; another value is `InvalidParameter`); sorted and
//!   paged as the owner's. Items: `JoinPermissionId`, `JoinPermissionName`, `Type`,
//!   `OwnerAliyunId`, `JoinEui`, `ClassMode`, `Enabled`, `BoundNodeGroup` false, and
//!   `FreqBandPlanGroupId`, `RxDelay`, `DataRate` as numeric strings (so typed here by the model).
//! - **ReturnJoinPermission**(`JoinPermissionId`, `JoinPermissionType`): a type other than `LOCAL`
//!   and `ROAMING` → `InvalidParameter`; `ROAMING` → `NonExistent`; unknown → `NonExistent`; not
//!   rented by the caller → `NotResourceOwner`. The permission is NEW again, without renter; nobody
//!   is notified (no category says so).
//!
//! **Notifications**: who receives which is undocumented; the reading taken is that each party
//! hears of what the other did. A submission notifies the renter
//! (`JOIN_PERMISSION_AUTH_APPLYING`), an acceptance or rejection the owner (`…_ACCEPTED`,
//! `…_REJECTED`), a cancellation the renter (`…_CANCELED`). Each is UNHANDLED, `NoticeMillis`
//! now, ids from 1.
//! - **ListNotifications** / **CountNotifications**: the caller's; `Category.N` keeps those of
//!   any category given (each one of the five documented, `GATEWAY_OFFLINE` keeping none, else
//!   `InvalidParameter`), `HandleState` `HANDLED` or `UNHANDLED` (else `InvalidParameter`),
//!   `BeginMillis` ≤ `NoticeMillis` ≤ `EndMillis`. Sorted by `NoticeMillis`, then id, oldest
//!   first unless `Ascending=false` (no `SortingField` is documented: any is accepted). Items:
//!   `NotificationId`, `Category`, `HandleState`, `NoticeMillis`, `HandledMillis` once handled, and
//!   `JoinPermissionAuthInfo`: the order's fields as `GetJoinPermissionAuthOrder` answers them —
//!   its state now while the emulator keeps it, as notified once forgotten — with the
//!   permission's `JoinPermissionName` and `JoinEui` as they were when notified.
//! - **GetNotification**(`NotificationId`): unknown or forgotten → `NonExistent`; another
//!   account's → `NotResourceOwner`.
//! - **UpdateNotificationsHandleState**(`TargetHandleState`, `NotificationId.N`): a state other
//!   than `HANDLED` and `UNHANDLED` → `InvalidParameter`; each id `NonExistent` or
//!   `NotResourceOwner` as above, and then none changes. `HANDLED` keeps the time a notification
//!   was first handled (`HandledMillis`); `UNHANDLED` clears it.
//!
//! # Dysmsapi (`2017-05-25`)
//! Dysmsapi keeps state for its paperwork and its sends, per account: a RAM user's records are its
//! account's (those of [`accounts::RAM_USER_WITHOUT_LINKWAN`] are [`accounts::OWNER`]'s), and one
//! account never sees another's. Every account starts with Alibaba Cloud's test signature
//! [`accounts::SMS_TEST_SIGN_NAME`] and test template [`accounts::SMS_TEST_TEMPLATE_CODE`],
//! approved; [`accounts::OWNER`] also with the records every documented sample names: qualification
//! [`accounts::SMS_SAMPLE_QUALIFICATION_ID`], letter [`accounts::SMS_SAMPLE_LETTER_ID`], signature
//! [`accounts::SMS_SAMPLE_SIGN_NAME`] and template [`accounts::SMS_SAMPLE_TEMPLATE_CODE`], all
//! approved, so a send works at once. Every Dysmsapi RequestId ends with `\n`, as documented.
//!
//! Each action below first checks what the generic layer checks
//! ([below](#every-modeled-action-the-generic-layer)): required parameters (400 `Missing<Name>`,
//! `<Name> is mandatory for this action.`), types and the overlay's limits (400
//! `InvalidParameter`), but where the service has a code of its own (noted). Then its rules, each
//! with its documented code, in the shape the code comes in: the errors the metadata declares with
//! an HTTP status (signatures, templates) in the gateway's shape with that status; those of the
//! actions whose answers carry `Success` (letters, qualifications) as HTTP 400
//! `{"RequestId","Code","Message","Success":false}`; the `isv.*` codes as HTTP 200
//! `{"RequestId","Code","Message"}`. The typed builders refuse what breaks the documented limits
//! before sending, so some codes are reached only with
//! [`aliyun::RawRequest`](crate::aliyun::RawRequest) or another client.
//!
//! ## Reviews
//! A qualification, letter of authorization, signature or template waits in review until the test
//! decides, with the services' clock as the decision's date: [`Emulator::approve_sign`],
//! [`reject_sign`](Emulator::reject_sign) (with the reviewer's reason),
//! [`withdraw_sign`](Emulator::withdraw_sign) (the applicant withdraws), the same for templates by
//! code and qualifications by id (no withdrawal), [`Emulator::approve_letter`],
//! [`Emulator::approve_all`]; [`Emulator::pending_audits`] lists what waits. Over HTTP: `GET` and
//! `POST /_emulator/sms/audits` (see the control endpoints). A decision applies to a pending
//! application only ([`AuditError::NotPending`] with its state; [`AuditError::NotFound`] when
//! nothing matches); a signature's name decides that name in every account that applied for it.
//! [`EmulatorBuilder::sms_auto_approve`] (`--auto-approve`; [`Emulator::set_sms_auto_approve`] on a
//! running emulator) approves every application the moment it is submitted. Each action words the
//! state its own way:
//!
//! | state | lists' `AuditStatus` | `SignStatus`, legacy `TemplateStatus` | `GetSmsTemplate` `TemplateStatus` | qualification `StateName` / `State` | letter `State` |
//! |---|---|---|---|---|---|
//! | pending | `AUDIT_STATE_INIT` | 0 | `"0"` | `INIT` / `INT` | `INT` |
//! | approved | `AUDIT_STATE_PASS` | 1 | `"1"` | `PASS` / `PASSED` | `PASSED` |
//! | rejected | `AUDIT_STATE_NOT_PASS` | 2 | `"2"` | `NOT_PASS` / `FAILED` | |
//! | withdrawn | `AUDIT_STATE_CANCEL` | 10 | `"10"` | `CANCEL` / `CANCELED` | |
//!
//! The withdrawn state is written `AUDIT_STATE_CANCEL`, not the misspelt `AUDIT_SATE_CANCEL` some
//! documentation shows. A rejection's reason is the answers' `RejectInfo` / `RejectSubInfo` /
//! `AuditRemark`; the legacy queries' `Reason` is `无审核备注` unless rejected.
//!
//! ## Letters of authorization
//! **CreateSmsAuthorizationLetter**: `SignList` is one parameter holding a JSON array of strings
//! (flat `SignList.N` is accepted too; anything else → 400 `InvalidParameter`). Then, each failure
//! HTTP 400 `{"RequestId","Code","Message","Success":false}`: `AuthorizationLetterNameOverLimit`
//! (name > 100 characters), `AuthorizationLetterNameNotMatchRegex` (only digits, or anything but
//! letters and digits), `AuthorizationLetterDateNotMatchRegex` (not `YYYY-MM-DD~YYYY-MM-DD` of real
//! dates), `AuthorizationLetterDateNotValid` (today in China, services' clock, outside the period,
//! bounds included), `AuthorizationOverLimit` / `ProxyAuthorizationOverLimit` (> 150 characters,
//! the request table's limit; the messages say 1000), `AuthorizationNotMatchRegex` /
//! `ProxyAuthorizationNotMatchRegex` (blank, only digits, or a symbol other than `·`, space, `()`,
//! `（）`), `OrganizationCodeOverLimit` (> 150), `SignNumOverLimit` (> 100 signatures),
//! `SignNotMatchRegex` (none, or one not 2–12 letters/digits, or containing "test"/"测试"),
//! `AuthorizationOssFileNotUploadError` (`AuthorizationLetterPic` not a file key with an
//! extension), `AuthorizationLetterNameRepeat` (the caller already has a letter of that name). The
//! overlay's limits are left to these codes. Success:
//! `{"AccessDeniedDetail":"无","RequestId":"…\n","Message":"OK","Data":"100000001","Code":"OK","Success":true}`,
//! ids from 100000001; the letter is `INT`.
//!
//! **QuerySmsAuthorizationLetter**: the caller's letters, filtered by any of
//! `AuthorizationLetterIdList`, `OrganizationCode`, `SignName` (in the letter's scope), `State`,
//! `Status` (a value it does not know matches nothing), in creation order, each with `SignScope`
//! (the names joined by `、`), `AuthorizationLetterPic` as a URL, `State` `INT` until a signature
//! that cites the letter is approved (or [`Emulator::approve_letter`]) and `PASSED` from then,
//! `Status` `VALID` while today (China, services' clock) is within its period, else `INVALID`.
//!
//! ## Qualifications
//! **SubmitSmsQualification**: then each HTTP 400 with `Success` false:
//! `QualificationNameNotMatchRegex` (symbols, or only digits), `QualificationNameAlreadyExist` (the
//! caller has one of that name), `SameQualificationGroupError` (the caller has one for the same
//! `CompanyName` and `AdminIDCardNo`). `CertifyCode` (the administrator's phone code) is not
//! checked. `Data` is the new id (from 200000001); pending.
//!
//! **QuerySmsQualificationRecord**: the caller's, oldest first, filtered by `CompanyName`,
//! `LegalPersonName`, `QualificationGroupName` (containing), `State` (`StateName`), `UseBySelf`,
//! `WorkOrderId` (each qualification's is its id + 100000000); `PageNo` from 1, `PageSize` 1–50
//! (default 10); `Data.List`, `Data.Total`.
//!
//! **QuerySingleSmsQualification**: by `QualificationGroupId` (`OrderId` is accepted and not
//! checked); unknown or another account's → 400 `QualificationNotExist`. `Data` echoes what was
//! submitted (`BussinessLicenseExpDate` as `EffTimeStr`), with `State`, `WorkOrderId` and the
//! files' URLs.
//!
//! ## Signatures
//! **CreateSmsSign** and **UpdateSmsSign**: `SignName` 2–12 Chinese characters, letters and digits,
//! not only digits, without "test" (any case) or "测试", else 400 `InvalidSignName`; `SignSource` 0–5
//! and `SignType` 0–1 (`InvalidParameter`); `QualificationId` not the caller's → 404
//! `QualificationNotFound`, not approved → 400 `InvalidQualification`; an `AuthorizationLetterId`
//! not the caller's → 400 `SmsAuthorizationLetterNotExist`, whose scope lacks the name → 400
//! `SmsSignNotAuthorized`, for another organization code than the qualification's → 400
//! `SmsAuthorizationLetterNotMatch`. Create then refuses a name the caller already has, in any
//! state, with 400 `SignName.Exists`: names are per account and case-sensitive, as the current
//! CreateSmsSign page says ([`EmulatorBuilder::sms_sign_names_ignore_case`] follows the 2024
//! metadata, which says case does not matter). Update needs the caller's signature (404
//! `SignatureNotFound`) and a rejected one: pending, approved or withdrawn → 400
//! `SMS_STATUS_ILLEGAL`. The 2024 metadata says only rejected signatures change, the 2026 one
//! approved ones too; the emulator follows the former. No code is documented for this refusal;
//! `SMS_STATUS_ILLEGAL` is the status code Dysmsapi documents elsewhere. Either answers `SignName`
//! and a fresh `OrderId`, and the application is pending. Not checked: `ThirdParty` against the
//! qualification's use, `ApplySceneContent` per source, `TrademarkId`, `AppIcpRecordId`, `MoreData`
//! (accepted and echoed).
//!
//! **AddSmsSign** and **ModifySmsSign** (legacy): no qualification; a name against the rules → HTTP
//! 200 `isv.SIGN_NAME_ILLEGAL`; `SignName.Exists`, `SignatureNotFound` and the rejected-only rule
//! as above. The proof files' suffixes are kept (one URL each in `GetSmsSign`'s `FileUrlList`), not
//! their contents.
//!
//! **GetSmsSign** (404 `SignatureNotFound`): `SignStatus`, `SignTag` (2 the account's, 4 the test
//! signature), `SignCode`, `OrderId`, `CreateDate`, `AuditInfo` (`AuditDate` once decided,
//! `RejectInfo` when rejected), `SignUsage` (the list's `BusinessType`), `QualificationId`,
//! `AuthorizationLetterId`, `AuthorizationLetterAuditPass` (whether that letter is `PASSED`),
//! `ThirdParty`, `Remark`, `ApplyScene`, `TrademarkId`, `AppIcpRecordId`, `FileUrlList`; no carrier
//! registration (`SignIspRegisterDetailList`, `RegisterResult`). **QuerySmsSign** (legacy):
//! `SignStatus`, `Reason`, `CreateDate`. **QuerySmsSignList**: the caller's, oldest first,
//! `PageIndex` from 1, `PageSize` 1–50 (default 10), `TotalCount`, `BusinessType` `验证码类型` or
//! `通用类型`, `Reason` when rejected. **DeleteSmsSign**: not while pending (400 `SMS_STATUS_ILLEGAL`);
//! for good, its name free again.
//!
//! ## Templates
//! **CreateSmsTemplate** and **UpdateSmsTemplate**: `TemplateType` 0 verification code, 1
//! notification, 2 promotion or 3 international (`InvalidParameter`); type 3 needs `IntlType` (400
//! `MissingIntlType`), the others `RelatedSignName` (400 `MissingRelatedSignName`), the caller's
//! signature (404 `SmsSignatureNotFound`) and approved (400 `AssocSignUnapproved`); a
//! `TemplateRule` is a JSON object (400 `InvalidTemplateRule.Format`; its keys are not checked
//! against the variables). Variables are `${name}`, the name letters, digits and `_`: an unclosed
//! or empty one → 400 `InvalidTemplateContent.Format`; a verification-code template has exactly one
//! (distinct) variable, else 400 `TemplateVarLimitExceeded`. Names may repeat (no duplicate code is
//! documented). Codes are `SMS_` and a number from 100000001. Update needs the caller's template
//! (404 `TemplateNotFound`), rejected (else 400 `SMS_STATUS_ILLEGAL`). Either answers
//! `TemplateCode`, `TemplateName`, `OrderId`; the application is pending.
//!
//! **AddSmsTemplate** and **ModifySmsTemplate** (legacy): the same without signature, `IntlType` or
//! rule; a verification-code template with another count of variables → 400
//! `TemplateParameterCountIllegal`.
//!
//! **GetSmsTemplate** (404 `TemplateNotFound`): `TemplateType` and `TemplateStatus` as strings,
//! `TemplateTag` (2 the account's, 3 the test template), `TemplateContent`, `RelatedSignName`,
//! `SignList`, `IntlType`, `VariableAttribute` (the rule), `AuditInfo`, `OrderId`, `CreateDate`.
//! **QuerySmsTemplate** (legacy): `TemplateStatus` and `TemplateType` as integers, `Reason`.
//! **QuerySmsTemplateList**: paged as the signatures' list; `OuterTemplateType` numbers the types
//! as the applications do, `TemplateType` by the list's own table (0 notification, 1 promotion, 2
//! verification code, 6 international); `SignatureName` is the related signature.
//! **DeleteSmsTemplate**: not while pending (400 `SMS_STATUS_ILLEGAL`).
//!
//! ## Sending
//! **SendSms**, checked in this order, each refusal HTTP 200 `{"RequestId","Code","Message"}`:
//!
//! 1. required parameters and types (400), as above (the limits are the service's own, below);
//! 2. `OutId` shorter than 256 characters (documented for SendBatchSms, applied to both), else
//!    `isv.INVALID_PARAMETERS`;
//! 3. at most 1,000 comma-separated numbers, else `isv.MOBILE_COUNT_OVER_LIMIT` `手机号码数量超过限制`;
//! 4. the caller's approved signature, else `isv.SMS_SIGNATURE_ILLEGAL` `短信签名不合法`;
//! 5. the caller's approved template, else `isv.SMS_TEMPLATE_ILLEGAL` `模板不合法(不存在或被拉黑)`;
//! 6. a verification-code signature (`SignType` 0) with a verification-code template only, else
//!    `isv.SMS_SIGNATURE_SCENE_ILLEGAL` `签名和模板类型不一致`;
//! 7. every number a mainland mobile number (`1[3-9]` and 9 digits, bare or after `+`, `+86`,
//!    `0086` or `86`), else `isv.MOBILE_NUMBER_ILLEGAL` `<number>invalid mobile number` (the first
//!    bad one, as sent); an international template (type 3) takes only other numbers (8–15 digits
//!    with their country code) and answers a mainland one `isv.DOMESTIC_NUMBER_NOT_SUPPORTED`;
//! 8. `TemplateParam` a JSON object of strings, else `isv.INVALID_JSON_PARAM` `JSON参数不合法，只接受字符串值`
//!    (so is `{"code":1234}`); a non-empty value for every variable of the template, else
//!    `isv.TEMPLATE_MISSING_PARAMETERS` `模版缺少变量` (other keys are ignored); a verification code of
//!    letters and digits, else `isv.INVALID_PARAMETERS` `params must be [a-zA-Z0-9] for
//!    verification sms`, of 4–6 characters, else `isv.PARAM_LENGTH_LIMIT` `参数超出长度限制`; other values'
//!    lengths are not checked (the current limits could not be confirmed);
//! 9. flow control (below), `isv.BUSINESS_LIMIT_CONTROL`.
//!
//! Success: `{"BizId":"<18 digits>^0","Code":"OK","Message":"OK"}` and one message per number in
//! the outbox, under that BizId. `SmsUpExtendCode` is accepted and ignored.
//!
//! **SendBatchSms**: `PhoneNumberJson`, `SignNameJson` and `SmsUpExtendCodeJson` JSON text (400
//! `InvalidParameter`); the numbers a non-empty JSON list (strings or numbers), else
//! `isv.INVALID_PARAMETERS`; at most 100, else `isv.MOBILE_COUNT_OVER_LIMIT`; one signature, one
//! variables object and one extension code per number, in order, else `isv.INVALID_PARAMETERS`
//! (undocumented; the likely code); `TemplateParamJson` a JSON list of objects, else
//! `isv.INVALID_JSON_PARAM`; `OutId` as above; then the template, and for each entry in order its
//! signature, scene, number and variables, as SendSms.
//!
//! ## Flow control
//! Per mainland number, in rolling windows on the services' clock (a send at `t` counts until `t`
//! plus the window, exclusive), counting every accepted send whatever its receipt: verification
//! codes 1 a minute, 5 an hour and 10 a day with one signature of one account (`触发分钟级流控Permits:1`,
//! `触发小时级流控Permits:5`, `触发天级流控Permits:10`), and 40 a day from every account and signature together
//! (`触发天级流控Permits:40`: the limit is documented, its message is a reading); notifications and
//! promotions 50 a day with one signature and template (`触发天级流控Permits:50`, a reading). A send to
//! several numbers goes whole or not at all, its numbers counting each other. International numbers
//! are not limited; the console's thresholds and whitelists are not emulated.
//!
//! ## Receipts, QuerySendDetails and the outbox
//! A message's receipt is fixed when it is sent: delivered, unless [`Emulator::set_receipt`] (or
//! `POST /_emulator/sms/receipts`) chose [`Receipt::Failed`] with a carrier code, or
//! [`Receipt::Never`], for its number. It arrives 5 seconds after the send on the services' clock
//! ([`Emulator::advance_time`] makes that immediate).
//!
//! **QuerySendDetails**: then `PhoneNumber` one number (`isv.MOBILE_NUMBER_ILLEGAL`), `SendDate`
//! `yyyyMMdd` of a real day today or in the 29 days before it (China, services' clock: the last 30
//! days, today included), `PageSize` 1–50, `CurrentPage` from 1, each else
//! `isv.INVALID_PARAMETERS`. It answers the caller's messages to that number sent that day in China
//! (only the one `BizId`'s, if sent), newest first, with `TotalCount` as a numeric string and each
//! message's `PhoneNum` (without prefix), `SendStatus` (1 waiting, 3 delivered with `ErrCode`
//! `DELIVERED`, 2 failed with the chosen `ErrCode`), `ReceiveDate` once the receipt came,
//! `SendDate`, `Content` (`【signature】` and the template rendered with its values), `TemplateCode`
//! and `OutId`.
//!
//! [`Emulator::sms_outbox`] gives every accepted message as a [`SentSms`] (account, number,
//! signature, template, variables, content, BizId, OutId, when sent, [`DeliveryStatus`], when
//! received), oldest first; `GET /_emulator/sms/messages` gives the same as JSON.
//! [`Emulator::clear_sms_outbox`] and `DELETE /_emulator/sms/messages` empty it, and so what
//! QuerySendDetails finds; flow control still counts the sends.
//!
//! # Every modeled action (the generic layer)
//! The emulator serves every action of the models the typed client is generated from
//! (`models/linkwan-2019-03-01.json`, 96 actions; `models/dysmsapi-2017-05-25.json`, 79), read
//! with their overlays from the very same files, so the two cannot disagree about an action, a
//! parameter, a limit or a field. An action belongs to the product whose model names it; LinkWAN
//! `2018-12-30` requests are served from the `2019-03-01` model. The actions above keep their
//! state and rules; every other one, once past the gateway (and, for LinkWAN, the three refusals
//! of the caller), is answered by a generic layer that keeps no state. It checks, each failure
//! HTTP 400 in the gateway's shape:
//! 1. **required parameters** (the model's, or the overlay's word) sent and not empty, a
//!    `repeatList` from `Name.1`, a `flatList` from any `Name.1.<Field>`: Dysmsapi answers the
//!    current gateway's `Missing<Name>`, `<Name> is mandatory for this action.` (as captured from
//!    the real service), LinkWAN `MissingParameter`, as its stateful actions do;
//! 2. **types**, `InvalidParameter` naming the parameter or entry: integers and numbers parse,
//!    booleans are `true`/`false` in any case, a `json` parameter holds JSON of the modeled shape
//!    (list or object, entries of the item type), a JSON-text one (`TemplateParam`) holds JSON,
//!    list entries are numbered 1 to n without gaps;
//! 3. **the overlay's limits** (lengths, a CJK character counting two where the overlay says so;
//!    ranges; list sizes and item lengths; `PhoneNumbers` at most 1,000), `InvalidParameter`
//!    stating the limit, with the check functions the client's builders use before sending.
//!
//! An empty parameter counts as absent; one the model does not name is ignored. The answer is 200
//! with every field of the modeled answer in the product's envelope: LinkWAN
//! `{"RequestId","Success":true,...}` (without the error fields `Code` and `ErrorMessage` a few
//! answers model), Dysmsapi `{"RequestId","Code":"OK","Message":"OK",...}` (RequestId ending in
//! `\n`). Values are seeded by the action and its business parameters, whatever their order:
//! the same request gets the same answer, another one other ids. Each is of the model's type and
//! plausible by the overlay (an enumerated field holds one of its wire values) or by its name:
//! `*Eui` 16 hex digits, `*Millis` and `*Time`/`*Date` (China time) within the 30 days before
//! the emulator's current day, `Phone*` a mainland number, `*AliyunId` a seeded account,
//! `BizId` `<digits>^0`, `*Id` a numeric id, `*Url` a URL, a `Count*` action's `Data` its count;
//! else a short string made from the name, a small integer, `true`; a map has one entry, a list
//! two items. A field named like a scalar request parameter repeats its value where it fits
//! (`GetGateway` answers the `GwEui` asked for; a listing's items carry its filters).
//!
//! **Listings** (`Offset` + `Limit`; `PageNumber`, `PageIndex`, `CurrentPage` or `PageNo` +
//! `PageSize`; `NextToken` + `MaxResults` or `PageSize`: the actions the client paginates) page
//! over a collection of 7 items, the same for the same action and filters. The answer's list of
//! objects holds the page (10 items by default), its `TotalCount`/`Total`/`TotalSize` says 7, and
//! `NextToken` is a token while items remain, `""` at the end (a token the listing did not give
//! is `InvalidParameter`). A generic answer changes nothing: no later call finds what a generic
//! `Create*` made.
//!
//! # Taobao Open Platform (`top_gateway_url()`, path `/router/rest`)
//! Parameters from the query and a form body. Errors are HTTP 200
//! `{"error_response":{"code","msg","sub_code","sub_msg","request_id"}}`. Checks in order:
//! `method` (missing 21), `app_key` (missing 28, unknown 29 `Invalid app Key`), method known
//! (22 `Invalid method`), `sign` (missing 24), `timestamp` (missing 30; not `yyyy-MM-dd HH:mm:ss`
//! GMT+8 or 13-digit epoch milliseconds, or more than 10 minutes off → 31), `v` (missing 32,
//! another version 34, garbage 33), `format` (json or xml, both answered in JSON; else 23),
//! `sign_method` (md5 when absent; md5, hmac, hmac-sha256; else 25), `sign` (hex, any case;
//! mismatch 25 `Invalid signature`), `session` when non-empty must be [`accounts::TOP_SESSION`]
//! (27 `Invalid session`). `simplify=true` drops the `<method>_response` wrapper.
//!
//! **alibaba.databank.open.auth.apply**: `context` / `param` missing → 40
//! `Missing required arguments:<name>`; not a JSON object → 41 `Invalid arguments:<name>`; a
//! required field missing or mistyped → 15 `Remote service error`, sub code
//! `isv.invalid-parameter` (the method's page shows this error, there with code 50). Business
//! results: `context.ak`/`sk` other than [`accounts::DATABANK_AK`]/[`accounts::DATABANK_SK`] →
//! `errcode` 1001, `codeclass` `PARAM_ERROR`; a second application for the same
//! (`apply_biz_id`, `apply_entity_id`) → `errcode` 2001 `apply already exists`, `codeclass`
//! `BIZ_ERROR`, with the existing application as `data`; else `errcode` 0, `errmsg` `success`,
//! `codeclass` `SUCCESS`, `data` with `auth_status` 0.
//!
//! # Running it standalone
//! `cargo run --example emulator --features emulator -- --help` serves the same emulator from
//! the command line; its flags (listen address, clock skew, time offset, faults, the limits
//! below) are parsed by [`cli`], and `--help` lists them with the control routes below. A test
//! in any language drives it over HTTP:
//!
//! ```text
//! cargo run --release --example emulator --features emulator -- --listen 127.0.0.1:8080 &
//! curl -s -X POST http://127.0.0.1:8080/_emulator/reset              # before each test
//! curl -s -X POST http://127.0.0.1:8080/_emulator/faults -d '{"kind":"unavailable","action":"SendSms"}'
//! # ... run the application against ALIBABA_CLOUD_ENDPOINT_URL=http://127.0.0.1:8080 ...
//! curl -s 'http://127.0.0.1:8080/_emulator/requests?action=SendSms'  # what it sent
//! ```
//!
//! # Control endpoints (`/_emulator/`)
//! Paths under `/_emulator/`, a prefix no real API uses, control the emulator over HTTP: for the
//! standalone emulator and for tests written in other languages. They follow the conventions of
//! LocalStack and moto (introspection of what was sent, a health check, a reset, control of
//! time). Their requests are not recorded and no fault applies to them; they need no signature
//! (the emulator listens on loopback for tests). Every route has its Rust method, and answers
//! are JSON:
//!
//! | route | Rust | answers |
//! |---|---|---|
//! | `GET /_emulator/` | | `{"routes":[{"method","path","about"}]}` |
//! | `GET /_emulator/health` | | `{"status":"ok","recorded_requests","max_recorded_requests","connections","max_connections"}` |
//! | `GET /_emulator/requests` | [`requests`](Emulator::requests), [`requests_for`](Emulator::requests_for) | `{"requests":[…]}`, see below |
//! | `DELETE /_emulator/requests` | [`clear_requests`](Emulator::clear_requests) | `{"cleared":N}` |
//! | `GET /_emulator/clock` | [`now`](Emulator::now), [`business_now`](Emulator::business_now), [`time_offset`](Emulator::time_offset) | the clock, see below |
//! | `POST /_emulator/clock` | [`advance_time`](Emulator::advance_time), [`set_time_offset`](Emulator::set_time_offset) | the clock after the move |
//! | `GET /_emulator/faults` | [`faults`](Emulator::faults) | `{"faults":[…],"max_faults":1000}` |
//! | `POST /_emulator/faults` | [`inject`](Emulator::inject) | `{"queued":N,"faults":[…]}` |
//! | `DELETE /_emulator/faults` | [`clear_faults`](Emulator::clear_faults) | `{"cleared":N}` |
//! | `POST /_emulator/reset` | [`reset`](Emulator::reset) | `{"reset":true,"clock":{…}}` |
//! | `GET /_emulator/sms/audits` | [`pending_audits`](Emulator::pending_audits) | `{"pending":[…]}`, see below |
//! | `POST /_emulator/sms/audits` | [`approve_sign`](Emulator::approve_sign) and the like, [`approve_all`](Emulator::approve_all) | `{"kind","decided":true}` or `{"approved":{…}}` |
//! | `POST /_emulator/sms/receipts` | [`set_receipt`](Emulator::set_receipt) | `{"phone_number","receipt"}` |
//! | `GET /_emulator/sms/messages` | [`sms_outbox`](Emulator::sms_outbox) | `{"messages":[…]}`, see below |
//! | `DELETE /_emulator/sms/messages` | [`clear_sms_outbox`](Emulator::clear_sms_outbox) | `{"cleared":N}` |
//!
//! **Recorded requests.** `GET /_emulator/requests` lists, oldest first,
//! `{"protocol","action","http_method","path","status","code","injected","rejected",
//! "received_at","params"}`, `protocol` one of `rpc`, `top`, `metadata`. `params` holds the
//! request's [business parameters](RecordedRequest::business_params) — not the protocol's own
//! (`AccessKeyId`, `Signature`, `SignatureNonce`, `SecurityToken`, `Timestamp`, ...; TOP
//! `app_key`, `sign`, `session`, ...), so no signature, token or session is ever served — and
//! any of them that is a secret by its name (`*Secret*`, `*Password*`, `*Token*` but
//! `NextToken`; the Data Bank context's `sk`, at any depth of a JSON parameter) reads
//! `<redacted>`. No header and no nonce is served; a request the gateway refused has no
//! parameters at all (it is kept as a summary). The Rust API's [`RecordedRequest`] has
//! everything as received. Query parameters filter the list, each exactly: `action`,
//! `protocol`, `status`, `code`, `rejected` and `injected` (`true`/`false`), and `limit` keeps
//! the newest N of those that pass. An unknown filter is 400.
//!
//! ```text
//! curl -s 'http://127.0.0.1:8080/_emulator/requests?action=SendSms&limit=1'
//! {"requests":[{"protocol":"rpc","action":"SendSms","http_method":"POST","path":"/",
//!   "status":200,"code":null,"injected":false,"rejected":false,
//!   "received_at":"2026-12-02T07:30:00.123Z","params":{"PhoneNumbers":"13800138000",
//!   "SignName":"阿里云","TemplateCode":"SMS_15305****","TemplateParam":"{\"code\":\"1234\"}"}}]}
//! ```
//!
//! **Clock.** The gateway's clock (real time plus [`EmulatorBuilder::clock_skew`]) checks request
//! timestamps and dates the answers; the services' clock runs [`Emulator::time_offset`] ahead of
//! it and is what business rules read (LinkWAN order times, SMS windows and receipts, validity
//! periods). Moving the services' clock never makes a signed request stale. `GET` answers
//! `{"gateway_time","services_time"` (RFC 3339, milliseconds) `,"gateway_millis",
//! "services_millis"` (epoch milliseconds, like LinkWAN's `*Millis`) `,"offset_seconds",
//! "clock_skew_seconds"}`. `POST` takes `{"advance_seconds": N}` (move by N, either sign), or
//! `{"offset_seconds": N}` (set the offset), or both (set, then move), whole seconds; anything
//! else, or a move out of the range of dates, is 400 and changes nothing.
//!
//! ```text
//! curl -s -X POST http://127.0.0.1:8080/_emulator/clock -d '{"advance_seconds": 3600}'
//! {"gateway_time":"2026-12-02T07:30:00.000Z","services_time":"2026-12-02T08:30:00.000Z",
//!  "gateway_millis":1796196600000,"services_millis":1796200200000,"offset_seconds":3600,
//!  "clock_skew_seconds":0}
//! ```
//!
//! **Faults.** `POST /_emulator/faults` queues an [`Injection`] given as a JSON object (or an
//! array of them, all or none queued): `kind` as the standalone's `--fault` names it
//! (`throttling` with optional `retry_after_ms`, `unavailable`, `malformed`, `drop`, `delay`
//! with `delay_ms`, `business` with `code` and optional `message`, `top-limited`, `top-isp`
//! with `sub_code`, `top-error` with `code`, `msg`, `sub_code`, `sub_msg`), `times` (a positive
//! number, or `"*"` for every request; default 1) and `action` (only requests of that `Action`
//! or TOP `method`; default any). An unknown kind or field, or a field of another type, is 400.
//! `GET` lists the queue in the same shape (each entry can be posted back as it is), with
//! `about`, one line a person can read.
//!
//! ```text
//! curl -s -X POST http://127.0.0.1:8080/_emulator/faults \
//!      -d '{"kind":"throttling","retry_after_ms":500,"times":2,"action":"SendSms"}'
//! {"queued":1,"faults":[{"kind":"throttling","retry_after_ms":500,"times":2,"action":"SendSms",
//!   "about":"400 Throttling.User (TOP: code 7) with x-acs-retry-after 500 ms, next 2 requests of SendSms"}]}
//! ```
//!
//! **Reset.** `POST /_emulator/reset` does what [`Emulator::reset`] does: every product back to
//! its seeded state, the recording emptied, the fault queue emptied, only the seeded temporary
//! credentials, the clock skew and time offset the emulator was started with; the listener,
//! its connections and its limits stay.
//!
//! **SMS.**
//! - `GET /_emulator/sms/audits` → `{"pending":[{"kind","account",…}]}`: the SMS applications
//!   waiting for review, as [`Emulator::pending_audits`]; `kind` `sign` (with `name`),
//!   `template` (`code`, `name`), `letter` or `qualification` (`id`, `name`);
//! - `POST /_emulator/sms/audits` with `{"kind":"sign","name":…}`, `{"kind":"template","code":…}`,
//!   `{"kind":"letter","id":…}` or `{"kind":"qualification","id":…}`, and `"decision"`
//!   `approve` (the default), `reject` (with `"reason"`) or `withdraw` (signatures, templates):
//!   decides one application as [`Emulator::approve_sign`] and the like → `{"kind","decided":true}`,
//!   404 when nothing matches, 409 when it is not pending; `{"kind":"all"}` approves everything
//!   pending → `{"approved":{"signs","templates","letters","qualifications"}}`;
//! - `POST /_emulator/sms/receipts` with `{"phone_number","receipt":"delivered"|"failed"|"never",
//!   "err_code"}` (`err_code` for a failure): the receipt of the messages sent to the number from
//!   now on, as [`Emulator::set_receipt`];
//! - `GET /_emulator/sms/messages` (`?phone_number=` for one number) →
//!   `{"messages":[{"account","phone_number","sign_name","template_code","template_param",
//!   "content","biz_id","out_id","sent_at","send_status","err_code","received_at"}]}`, the SMS
//!   outbox oldest first, as [`Emulator::sms_outbox`] (times RFC 3339 on the services' clock);
//! - `DELETE /_emulator/sms/messages` → `{"cleared":N}`, as [`Emulator::clear_sms_outbox`].
//!
//! Another method on one of these paths is 405 with `Allow`, any other path under the prefix
//! 404, a bad body or query 400, each `{"error":"…"}`.
//!
//! # Limits
//! Everything the emulator keeps or waits for is bounded, so a long session or a careless or
//! hostile client on its port cannot exhaust its memory or file descriptors:
//! - **Request bodies**: at most 1 MiB. A `Content-Length` over it is answered 413
//!   `RequestEntityTooLarge` at once, without reading the body; a chunked body that grows past it,
//!   413 when it does. A body that ends before its `Content-Length` (the client shut down its
//!   side) or has invalid chunked encoding is 400 `InvalidRequestBody`; one slower than the body
//!   timeout is 408 `RequestTimeout`. These answers are `{"RequestId","Code","Message"}`, close
//!   the connection, and are recorded as refused requests.
//! - **Timeouts**, each set on [`EmulatorBuilder`]: a request head must arrive within
//!   [`header_read_timeout`](EmulatorBuilder::header_read_timeout) (10 s) of its first byte, a
//!   body within [`body_read_timeout`](EmulatorBuilder::body_read_timeout) (30 s) of the end of
//!   the head, and a connection waits at most [`idle_timeout`](EmulatorBuilder::idle_timeout)
//!   (60 s) for a request, after it opened or after its last answer. A connection past the head or
//!   idle timeout is closed without an answer.
//! - **Connections**: at most [`max_connections`](EmulatorBuilder::max_connections) (512) at
//!   once, well under the common limit of 1,024 file descriptors. A new connection beyond it
//!   closes the open one that has waited longest for a request (or for the rest of its head); when
//!   every connection is in the middle of a request, the new one is closed at once.
//!
//! Every collection that requests or controls can grow has a cap, the oldest entries forgotten
//! first (a request never fails because one is full):
//!
//! | what | cap | beyond the cap |
//! |---|---|---|
//! | recorded requests ([`Emulator::requests`]) | [`max_recorded_requests`](EmulatorBuilder::max_recorded_requests) (10,000) and 64 MiB of parameters and headers | the oldest forgotten; a request the gateway refused is kept as a summary only (see [`RecordedRequest`]), its action and path cut to 256 bytes |
//! | queued faults ([`Emulator::inject`], `--fault`, `POST /_emulator/faults`) | 1,000 injections | the oldest queued dropped |
//! | spent `SignatureNonce`s | 100,000, as 16-byte fingerprints (a table of about 8.3 MiB once full, which then never grows) | those past their 30-minute window are pruned as new ones arrive; beyond the cap the oldest is forgotten, and could be used again within its window |
//! | temporary credentials issued (STS, metadata service, credentials URI, [`Emulator::issue_sts_credentials`]) | 10,000 (the two seeded ones always stay) | the oldest forgotten: its key is then `InvalidAccessKeyId.NotFound` |
//! | metadata session tokens | 10,000 | expired ones pruned as new ones are granted; beyond the cap the oldest forgotten (then 401) |
//! | LinkWAN authorization orders | 10,000 | the oldest no longer in effect (REJECTED, CANCELED, or ACCEPTED and returned) forgotten; the one deciding each permission's state stays |
//! | LinkWAN renter-failure counters | one per account | |
//! | LinkWAN notifications | 10,000 | the oldest HANDLED first, then the oldest (a forgotten one is `NonExistent`) |
//! | LinkWAN local join permissions | 100 per account | `ExceedLocalJoinPermissionLimit` |
//! | SMS letters of authorization, qualifications, signatures, templates | 10,000 of each, within 16 MiB of their texts (every account's together) | the oldest forgotten; its name may be used again, seeds included |
//! | sent SMS messages ([`Emulator::sms_outbox`], what `QuerySendDetails` finds) | 10,000 within 16 MiB of contents and variables | the oldest forgotten |
//! | SMS flow-control counters | 10,000 (one per number and signature, or number, signature and template, each with its last 50 sends within a day) | the oldest forgotten: its counter starts again from zero |
//! | SMS receipts chosen per number ([`Emulator::set_receipt`]) | 10,000 | the oldest forgotten: delivered again |
//! | data-bank applications | 10,000 and 16 MiB | the oldest forgotten; its pair may apply again |
//! | open connections | [`max_connections`](EmulatorBuilder::max_connections) (512) | see above |
//! | a request body | 1 MiB | 413 |
//!
//! Per request, the emulator keeps nothing else: a connection holds only the request it is
//! reading and its answer. A recorded request is kept compact (its raw query string, headers
//! and form body in one allocation, decoded when read), about 700 bytes for a typical signed
//! call. Under a million signed requests the standalone emulator's resident memory stays
//! within 3 % of what it was at the 100,000th (`benches/emulator_load.sh`, BENCHMARKS.md).
//!
//! # STS (`2015-04-01`, on `url()`)
//! - **AssumeRole**, signed v1 (or V3) and checked by the gateway like any action, parameters in
//!   the query or a form body: `RoleArn` and `RoleSessionName` required (`MissingParameter`);
//!   `RoleArn` must look like `acs:ram::<uid>:role/<name>` (400 `InvalidParameter.RoleArn`) and
//!   be [`accounts::ROLE_ARN`] (404 `EntityNotExist.Role`); `RoleSessionName` 2–64 of
//!   `A-Za-z0-9.@-_` (400 `InvalidParameter.RoleSessionName`); `DurationSeconds` 900–3600, the
//!   seeded role's maximum session (400 `InvalidParameter.DurationSeconds`); `Policy`, when sent,
//!   a JSON object (400 `InvalidParameter.PolicyGrammar`); `ExternalId` accepted. Any known key
//!   may assume the role, temporary ones included (role chaining).
//! - **AssumeRoleWithOIDC**, unsigned (a signed one is checked as usual): `OIDCProviderArn`,
//!   `RoleArn`, `OIDCToken` required; the provider must be [`accounts::OIDC_PROVIDER_ARN`] (404
//!   `EntityNotExist.OIDCProvider`); the token a JWT as [`accounts::OIDC_TOKEN`] describes (400
//!   `InvalidParameter.OIDCToken`; an `exp` in the past is 400
//!   `AuthenticationFail.OIDCToken.Expired`); `RoleSessionName`, `DurationSeconds`, `Policy` as
//!   above.
//!
//! Both answer `{"RequestId","AssumedRoleUser":{"Arn","AssumedRoleId"},"Credentials":{"AccessKeyId",
//! "AccessKeySecret","SecurityToken","Expiration"}}` (plus `OIDCTokenInfo` for OIDC), with
//! credentials that act as [`accounts::OWNER`] at every gateway of the emulator and last
//! `DurationSeconds` (one hour by default), or what [`Emulator::set_issued_credentials_ttl`] says.
//! The codes are the emulator's reading of the STS documentation.
//!
//! # ECS metadata service and credentials URI (`metadata_url()`, `credentials_uri()`)
//! - `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` (1–21600, else 400)
//!   answers a session token as text;
//! - `GET /latest/meta-data/ram/security-credentials/` answers the role name
//!   [`accounts::ECS_ROLE_NAME`]; `GET .../<role>` answers `{"Code":"Success","AccessKeyId",
//!   "AccessKeySecret","SecurityToken","Expiration","LastUpdated"}` (another role: 404). The
//!   instance credentials last six hours and are replaced when fewer than 15 minutes remain.
//! - `X-aliyun-ecs-metadata-token`, when sent, must be a token granted and unexpired (else 401);
//!   without one, requests are served unless [`MetadataMode::TokenRequired`] (403);
//!   [`MetadataMode::TokenUnsupported`] answers the token request 404 (an IMDSv1-only service).
//! - `GET /credentials-uri` answers the same JSON with fresh credentials on every call.
//!
//! Faults apply to these paths too: aim them with the action names `EcsMetadata` and
//! `CredentialsUri` (`ServiceUnavailable` and `Throttling` answer 503, `DropConnection` and
//! `Delay` as usual, other faults 500).
//!
//! # Not emulated
//! XML answers (`Format=XML` and TOP `format=xml` are answered in JSON), ROA-style paths, actions
//! of no model (other products, LinkWAN actions that only `2018-12-30` has), state behind the
//! generic answers, the business errors of the actions without state, other metadata paths,
//! RAM trust policies (any known key may assume the seeded role). LinkWAN roaming permissions,
//! node groups, gateways and frequency band plans keep no state: no permission is ever bound to
//! a node group (`JoinPermissionAlreadyBoundNodeGroup` is never answered), and the generic
//! `ListFreqBandPlanGroups` does not list the seeded plans. For SMS: balances and account
//! limits (`isv.AMOUNT_NOT_ENOUGH`, `isv.DAY_LIMIT_CONTROL`, `isv.MONTH_LIMIT_CONTROL`), content
//! and keyword screening, the console's flow-control settings and whitelists, extension codes,
//! uplink messages and receipts pushed through MNS, the test signature's bound numbers, and the
//! card, digital, RCS and international-only actions (answered by the generic layer).

pub mod accounts;
mod checks;
pub mod cli;
mod connection;
mod control;
mod fault;
mod gateway;
mod generic;
mod limits;
mod linkwan;
mod metadata;
mod model;
mod paging;
mod recording;
mod server;
mod sms;
mod state;
mod sts;
mod sts_service;
mod synth;
mod top;
mod v3;
mod wire;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use fault::{Fault, Injection};
pub use metadata::MetadataMode;
pub use recording::{Protocol, RecordedRequest};
pub use sms::{
    AuditError, AuditState, AuditSummary, DeliveryStatus, PendingAudit, Receipt, SentSms,
};
pub use sts::TemporaryCredentials;

use accounts::Account;
use limits::{Limits, LONGEST_TIMEOUT};
use server::{accept_loop, Shared, TOP_PATH};
use state::State;

/// Configures an [`Emulator`] before it starts.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    clock_skew: chrono::Duration,
    time_offset: chrono::Duration,
    faults: Vec<Injection>,
    limits: Limits,
    /// SMS settings (set in `sms/audit.rs`).
    sms: sms::Options,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            clock_skew: chrono::Duration::zero(),
            time_offset: chrono::Duration::zero(),
            faults: Vec::new(),
            limits: Limits::default(),
            sms: sms::Options::default(),
        }
    }
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Runs the emulator's clock ahead of (positive) or behind (negative) the real one, to test
    /// how a client handles clock skew. Default zero.
    pub fn clock_skew(mut self, skew: chrono::Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Starts the services' clock this far ahead of (positive) or behind (negative) the
    /// gateway's, as [`Emulator::set_time_offset`] does on a running emulator; default zero.
    /// [`Emulator::reset`] comes back to it.
    pub fn time_offset(mut self, offset: chrono::Duration) -> Self {
        self.time_offset = offset;
        self
    }

    /// Queues a fault from the first request on, as [`Emulator::inject`] does on a running
    /// emulator. Injections are tried in the order they were queued; at most 1,000 are kept,
    /// the oldest dropped first.
    pub fn inject(mut self, injection: impl Into<Injection>) -> Self {
        let injection = injection.into();
        if injection.times > 0 {
            self.faults.push(injection);
        }
        self
    }

    /// How many requests [`Emulator::requests`] keeps, the oldest forgotten first (default
    /// 10,000; `0` records nothing). Whatever the count, the recording also stays within
    /// 64 MiB of parameters and headers.
    pub fn max_recorded_requests(mut self, max: usize) -> Self {
        self.limits.max_recorded_requests = max;
        self
    }

    /// How many connections are served at once (default 512, at least 1). A new connection
    /// beyond it closes the connection that has waited longest for a request (or for the end
    /// of a request head); when every connection is in the middle of a request, the new one is
    /// closed at once.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// How long a request head may take from its first byte to its end before the connection
    /// is closed without an answer (default 10 seconds): a client that sends its headers a
    /// byte at a time holds no connection for long.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout.min(LONGEST_TIMEOUT);
        self
    }

    /// How long a request body may take, from the end of the head to its last byte (default
    /// 30 seconds); a slower one is answered 408 `RequestTimeout` and the connection closed.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_read_timeout = timeout.min(LONGEST_TIMEOUT);
        self
    }

    /// How long a connection may wait for a request, after it opened or after its last answer,
    /// before it is closed (default 60 seconds). Each timeout is at most a year; a longer one is
    /// cut to that.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout.min(LONGEST_TIMEOUT);
        self
    }

    /// Binds the address and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let listener = TcpListener::bind(self.listen).await?;
        let local_addr = listener.local_addr()?;
        let mut state = State::new(
            self.clock_skew,
            self.faults,
            self.limits.max_recorded_requests,
        );
        state.sms.options = self.sms;
        state.initial.sms = self.sms;
        if state.set_time_offset(self.time_offset) {
            state.initial.time_offset = self.time_offset;
        }
        let state = Arc::new(Mutex::new(state));
        let shared = Arc::new(Shared {
            state: Arc::clone(&state),
            limits: self.limits,
            open_connections: AtomicUsize::new(0),
        });
        let server = tokio::spawn(accept_loop(listener, shared));
        Ok(Emulator {
            local_addr,
            state,
            server,
        })
    }
}

/// A running emulator. The server stops, and its connections close, when this is dropped.
pub struct Emulator {
    local_addr: SocketAddr,
    state: Arc<Mutex<State>>,
    server: JoinHandle<()>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` on a free port, with the real clock.
    pub async fn start() -> io::Result<Emulator> {
        Emulator::builder().start().await
    }

    /// Configures an emulator: address, clock skew, faults from the start.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The Alibaba Cloud RPC endpoint for every product, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The TOP gateway URL, e.g. `http://127.0.0.1:8080/router/rest`.
    pub fn top_gateway_url(&self) -> String {
        format!("http://{}{TOP_PATH}", self.local_addr)
    }

    /// The ECS metadata service's base URL (the real one is `http://100.100.100.200`): the
    /// same server, paths `/latest/...`.
    pub fn metadata_url(&self) -> String {
        self.url()
    }

    /// A URL for `ALIBABA_CLOUD_CREDENTIALS_URI`: every `GET` answers fresh temporary
    /// credentials acting as [`accounts::OWNER`].
    pub fn credentials_uri(&self) -> String {
        format!(
            "http://{}{}",
            self.local_addr,
            metadata::CREDENTIALS_URI_PATH
        )
    }

    /// Makes every credential issued from now on (STS `AssumeRole`, `AssumeRoleWithOIDC`, the
    /// metadata service, the credentials URI) last `ttl` whatever was asked, e.g. a few seconds
    /// to test refreshing; `None` restores the normal lifetimes. The real STS never issues
    /// credentials for less than 900 seconds, and neither does the emulator unless told to here.
    pub fn set_issued_credentials_ttl(&self, ttl: Option<chrono::Duration>) {
        lock(&self.state).credentials.ttl_override = ttl;
    }

    /// How the metadata service treats session tokens (default
    /// [`MetadataMode::TokenOptional`]).
    pub fn set_metadata_mode(&self, mode: MetadataMode) {
        lock(&self.state).credentials.metadata_mode = mode;
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The emulator's clock: real time plus the configured skew.
    pub fn now(&self) -> DateTime<Utc> {
        lock(&self.state).now()
    }

    /// Changes the clock skew of a running emulator.
    pub fn set_clock_skew(&self, skew: chrono::Duration) {
        lock(&self.state).clock_skew = skew;
    }

    /// Moves the services' clock forward by `by` (or back, with a negative duration): what
    /// LinkWAN and SMS business rules read — order times, SMS flow-control windows, receipts,
    /// validity periods — so a test can pass an hour in an instant. The gateway still checks
    /// request timestamps against [`now`](Emulator::now), so clients need not re-learn their
    /// clock. `POST /_emulator/clock` with `{"advance_seconds": N}` does the same over HTTP.
    /// A move that would take the clock out of chrono's range is ignored.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use alibaba_openapi::emulator::Emulator;
    ///
    /// let emulator = Emulator::start().await?;
    /// emulator.advance_time(chrono::Duration::hours(25));
    /// assert_eq!(emulator.time_offset(), chrono::Duration::hours(25));
    /// assert!(emulator.business_now() - emulator.now() >= chrono::Duration::hours(25));
    /// # Ok(()) }
    /// ```
    pub fn advance_time(&self, by: chrono::Duration) {
        let mut state = lock(&self.state);
        if let Some(offset) = state.time_offset.checked_add(&by) {
            state.set_time_offset(offset);
        }
    }

    /// Sets how far the services' clock runs ahead of (positive) or behind (negative) the
    /// gateway's, whatever it was: `set_time_offset(Duration::zero())` brings the services back
    /// to the gateway's time. `POST /_emulator/clock` with `{"offset_seconds": N}` does the same
    /// over HTTP. An offset that would take the clock out of chrono's range is ignored.
    pub fn set_time_offset(&self, offset: chrono::Duration) {
        lock(&self.state).set_time_offset(offset);
    }

    /// How far the services' clock runs ahead of the gateway's: the sum of every
    /// [`advance_time`](Emulator::advance_time) since the last
    /// [`set_time_offset`](Emulator::set_time_offset) or [`reset`](Emulator::reset).
    pub fn time_offset(&self) -> chrono::Duration {
        lock(&self.state).time_offset
    }

    /// The services' clock: [`now`](Emulator::now) plus [`time_offset`](Emulator::time_offset).
    pub fn business_now(&self) -> DateTime<Utc> {
        lock(&self.state).business_now()
    }

    /// Brings the emulator back to the state it started in, as `POST /_emulator/reset` does
    /// (moto's `/moto-api/reset`): the seeded state of every product (orders, letters,
    /// applications and whatever else the services keep), no recorded request, no queued fault
    /// (those given to [`EmulatorBuilder::inject`] or `--fault` included), only the seeded
    /// temporary credentials (those issued since are forgotten: their keys become
    /// `InvalidAccessKeyId.NotFound`), no metadata session token, the clock skew and time
    /// offset it was built with, and the default credential lifetimes and metadata mode. The
    /// listener, its open connections and the limits stay, and so do the spent
    /// `SignatureNonce`s (a request signed before the reset cannot be replayed after it).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use alibaba_openapi::emulator::{Emulator, Fault};
    ///
    /// let emulator = Emulator::start().await?;
    /// emulator.inject(Fault::ServiceUnavailable);
    /// emulator.advance_time(chrono::Duration::days(1));
    /// emulator.reset();
    /// assert!(emulator.faults().is_empty() && emulator.requests().is_empty());
    /// assert_eq!(emulator.time_offset(), chrono::Duration::zero());
    /// # Ok(()) }
    /// ```
    pub fn reset(&self) {
        lock(&self.state).reset();
    }

    /// The requests received so far, in order of arrival: the most recent
    /// [`EmulatorBuilder::max_recorded_requests`] of them (within the recording's byte budget),
    /// those the gateway refused as summaries (see [`RecordedRequest`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .map(recording::Record::to_request)
            .collect()
    }

    /// The recorded requests of one action (`Action` or `x-acs-action`, TOP `method`, or
    /// `EcsMetadata` / `CredentialsUri`), in order of arrival, as
    /// `GET /_emulator/requests?action=…` lists them. Read what was sent with
    /// [`RecordedRequest::business_params`], [`RecordedRequest::param`] and
    /// [`RecordedRequest::json_param`].
    pub fn requests_for(&self, action: &str) -> Vec<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.action() == action)
            .map(recording::Record::to_request)
            .collect()
    }

    /// Forgets the recorded requests (`DELETE /_emulator/requests` does the same over HTTP).
    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    /// Queues a fault; see [`Injection`]. A bare [`Fault`] affects the next request. At most
    /// 1,000 injections are queued: one more drops the oldest. `POST /_emulator/faults` does the
    /// same over HTTP.
    pub fn inject(&self, injection: impl Into<Injection>) {
        lock(&self.state).queue_fault(injection.into());
    }

    /// Drops every queued fault that has not fired yet.
    pub fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }

    /// The queued faults that have not been used up, in the order they are tried, each with the
    /// number of requests it still affects.
    pub fn faults(&self) -> Vec<Injection> {
        lock(&self.state).faults.clone()
    }

    /// Issues temporary credentials that act as `account` and expire `ttl` from now (by the
    /// emulator's clock; a zero or negative `ttl` gives credentials that are already expired).
    /// Requests signed with them must carry their security token; see the module documentation.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use alibaba_openapi::emulator::{accounts, Emulator};
    ///
    /// let emulator = Emulator::start().await?;
    /// let sts = emulator.issue_sts_credentials(accounts::RENTER, chrono::Duration::hours(1));
    /// assert!(sts.access_key_id.starts_with("STS."));
    /// assert_eq!(sts.account, accounts::RENTER);
    /// # Ok(()) }
    /// ```
    pub fn issue_sts_credentials(
        &self,
        account: Account,
        ttl: chrono::Duration,
    ) -> TemporaryCredentials {
        let mut state = lock(&self.state);
        let now = state.now();
        state.sts.issue(account, ttl, now)
    }

    /// Makes every set of temporary credentials known so far expire now — the seeded
    /// [`accounts::STS`] included — so requests signed with them get
    /// `InvalidSecurityToken.Expired`. Credentials issued afterwards are not affected.
    pub fn expire_sts_tokens(&self) {
        let mut state = lock(&self.state);
        let now = state.now();
        state.sts.expire_all(now);
    }

    /// The renter accepts a LinkWAN authorization order: APPLYING → ACCEPTED, as
    /// `AcceptJoinPermissionAuthOrder` by the renter would (the permission becomes ACCEPTED, the
    /// owner is notified). `false` when the order does not exist or is not APPLYING.
    pub fn accept_order(&self, order_id: u64) -> bool {
        let mut state = lock(&self.state);
        let now = state.business_now();
        state.linkwan.accept(order_id, now)
    }

    /// The renter rejects a LinkWAN authorization order: APPLYING → REJECTED, as
    /// `RejectJoinPermissionAuthOrder` by the renter would (the permission is NEW again, the owner
    /// is notified). `false` when the order does not exist or is not APPLYING.
    pub fn reject_order(&self, order_id: u64) -> bool {
        let mut state = lock(&self.state);
        let now = state.business_now();
        state.linkwan.reject(order_id, now)
    }

    /// The owner cancels a LinkWAN authorization order: APPLYING, or ACCEPTED and still in
    /// effect, → CANCELED (the HTTP `CancelJoinPermissionAuthOrder` cancels APPLYING ones only);
    /// the permission is NEW again and the renter is notified. `false` when the order does not
    /// exist, is REJECTED or CANCELED, or was accepted and returned.
    pub fn cancel_order(&self, order_id: u64) -> bool {
        let mut state = lock(&self.state);
        let now = state.business_now();
        state.linkwan.cancel(order_id, now)
    }
}

/// Locks the state, recovering it if a thread panicked while holding it.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}
