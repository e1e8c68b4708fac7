//! Dysmsapi with state: letters of authorization, qualifications, signatures and templates with
//! their reviews, sends with their checks and flow control, receipts and the outbox. Each part
//! has its file; this one holds the state, the table of stateful actions, the seeds and what
//! the parts share. The rules, and the readings taken where the documentation is silent, are
//! in the module documentation of [`emulator`](super), section "Dysmsapi".

mod audit;
pub(crate) mod control;
mod flow;
mod letters;
mod outbox;
mod quals;
mod send;
mod signs;
mod templates;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Map, Value};

pub use audit::{AuditError, AuditState, AuditSummary, PendingAudit};
pub use outbox::{DeliveryStatus, Receipt, SentSms};

use super::accounts;
use super::gateway::{ApiError, ApiResult, Call, Shape};
use super::generic::Handler;
use super::limits::{
    Bounded, BoundedMap, MAX_LETTERS, MAX_SMS_QUALIFICATIONS, MAX_SMS_RECEIPTS,
    MAX_SMS_RECORD_BYTES, MAX_SMS_SIGNS, MAX_SMS_TEMPLATES,
};
use super::model::{self, ActionSpec};
use audit::Review;
use letters::Letter;
use quals::Qualification;
use signs::Sign;
use templates::Template;

/// The Dysmsapi actions with state of their own: answered by these handlers, not by the
/// generic layer (which checks and answers every other modeled action).
pub(crate) const STATEFUL: &[(&str, Handler)] = &[
    ("CreateSmsAuthorizationLetter", |s, c| {
        s.sms.create_letter(c)
    }),
    ("QuerySmsAuthorizationLetter", |s, c| s.sms.query_letters(c)),
    ("SubmitSmsQualification", |s, c| {
        s.sms.submit_qualification(c)
    }),
    ("QuerySmsQualificationRecord", |s, c| {
        s.sms.query_qualification_records(c)
    }),
    ("QuerySingleSmsQualification", |s, c| {
        s.sms.query_single_qualification(c)
    }),
    ("CreateSmsSign", |s, c| s.sms.create_sign(c)),
    ("AddSmsSign", |s, c| s.sms.add_sign(c)),
    ("GetSmsSign", |s, c| s.sms.get_sign(c)),
    ("QuerySmsSign", |s, c| s.sms.query_sign(c)),
    ("QuerySmsSignList", |s, c| s.sms.query_sign_list(c)),
    ("UpdateSmsSign", |s, c| s.sms.update_sign(c)),
    ("ModifySmsSign", |s, c| s.sms.modify_sign(c)),
    ("DeleteSmsSign", |s, c| s.sms.delete_sign(c)),
    ("CreateSmsTemplate", |s, c| s.sms.create_template(c)),
    ("AddSmsTemplate", |s, c| s.sms.add_template(c)),
    ("GetSmsTemplate", |s, c| s.sms.get_template(c)),
    ("QuerySmsTemplate", |s, c| s.sms.query_template(c)),
    ("QuerySmsTemplateList", |s, c| s.sms.query_template_list(c)),
    ("UpdateSmsTemplate", |s, c| s.sms.update_template(c)),
    ("ModifySmsTemplate", |s, c| s.sms.modify_template(c)),
    ("DeleteSmsTemplate", |s, c| s.sms.delete_template(c)),
    ("SendSms", |s, c| s.sms.send_sms(c)),
    ("SendBatchSms", |s, c| s.sms.send_batch_sms(c)),
    ("QuerySendDetails", |s, c| s.sms.query_send_details(c)),
];

/// The first order id handed out with a signature or template application.
const FIRST_ORDER_ID: u64 = 20_000_000_001;

/// How an emulator's SMS service is set up (see [`EmulatorBuilder`](super::EmulatorBuilder)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Options {
    /// Every application is approved the moment it is submitted.
    pub auto_approve: bool,
    /// Signature names are told apart without regard to letter case.
    pub sign_names_ignore_case: bool,
}

/// Dysmsapi's state: every account's records together, each with its owner.
#[derive(Debug)]
pub(crate) struct Sms {
    /// Letters of authorization, at most [`MAX_LETTERS`].
    letters: Bounded<Letter>,
    next_letter_id: u64,
    /// Qualifications, at most [`MAX_SMS_QUALIFICATIONS`].
    quals: Bounded<Qualification>,
    next_qualification_id: u64,
    /// Signatures, at most [`MAX_SMS_SIGNS`].
    signs: Bounded<Sign>,
    /// Templates, at most [`MAX_SMS_TEMPLATES`].
    templates: Bounded<Template>,
    next_template_number: u64,
    next_order_id: u64,
    /// Sent messages.
    outbox: outbox::Outbox,
    /// Recent sends per number, for flow control.
    flow: flow::Flow,
    /// The receipt chosen per (normalized) phone number; absent is `Delivered`.
    receipts: BoundedMap<String, Receipt>,
    pub(crate) options: Options,
}

impl Default for Sms {
    /// The seeded state: see [`accounts`] (`SMS_*`).
    fn default() -> Self {
        let mut sms = Sms {
            letters: Bounded::new(MAX_LETTERS, MAX_SMS_RECORD_BYTES),
            next_letter_id: letters::FIRST_LETTER_ID,
            quals: Bounded::new(MAX_SMS_QUALIFICATIONS, MAX_SMS_RECORD_BYTES),
            next_qualification_id: quals::FIRST_QUALIFICATION_ID,
            signs: Bounded::new(MAX_SMS_SIGNS, MAX_SMS_RECORD_BYTES),
            templates: Bounded::new(MAX_SMS_TEMPLATES, MAX_SMS_RECORD_BYTES),
            next_template_number: templates::FIRST_TEMPLATE_NUMBER,
            next_order_id: FIRST_ORDER_ID,
            outbox: outbox::Outbox::default(),
            flow: flow::Flow::default(),
            receipts: BoundedMap::new(MAX_SMS_RECEIPTS),
            options: Options::default(),
        };
        sms.seed(Utc::now());
        sms
    }
}

impl Sms {
    /// Every account's test signature and template; the owner's sample qualification, letter,
    /// signature and template (the values the documented samples use).
    fn seed(&mut self, now: DateTime<Utc>) {
        for account in accounts::ALL {
            self.push_sign(signs::seeded_test_sign(account.aliyun_id, now));
            self.push_template(templates::seeded_test_template(account.aliyun_id, now));
        }
        let owner = accounts::OWNER.aliyun_id;
        self.push_qualification(quals::seeded(owner, now));
        self.push_letter(letters::seeded(owner));
        self.push_sign(signs::seeded_sample_sign(owner, now));
        self.push_template(templates::seeded_sample_template(owner, now));
    }

    /// A fresh order id, as signature and template applications answer it.
    fn order_id(&mut self) -> String {
        let id = self.next_order_id;
        self.next_order_id += 1;
        id.to_string()
    }

    /// A new application's review: pending, or approved at once under auto-approval.
    fn submitted(&self, now: DateTime<Utc>) -> Review {
        if self.options.auto_approve {
            Review::approved(now)
        } else {
            Review::pending()
        }
    }
}

/// The model of a Dysmsapi action (every stateful action is modeled: a unit test checks it).
fn spec(action: &str) -> &'static ActionSpec {
    match model::find(action) {
        Some((_, spec)) => spec,
        None => unreachable!("{action} is not modeled"),
    }
}

/// The caller's account, which owns what it creates (a RAM user's is its account's).
fn owner(call: &Call<'_>) -> &'static str {
    call.caller.aliyun_id
}

/// A success body's envelope: `Code` and `Message` `OK`, plus `fields`.
fn ok(fields: Value) -> ApiResult {
    let mut body = Map::new();
    body.insert("Code".into(), json!("OK"));
    body.insert("Message".into(), json!("OK"));
    if let Value::Object(fields) = fields {
        body.extend(fields);
    }
    Ok(body)
}

/// A Dysmsapi business rule failure: HTTP 400, `{"RequestId","Code","Message","Success":false}`
/// (the actions whose answers carry `Success`: letters, qualifications).
fn business(code: &'static str, message: &str) -> ApiError {
    ApiError {
        status: 400,
        code,
        message: message.to_owned(),
        shape: Shape::Business,
    }
}

/// An `isv.*` answer: HTTP 200, `{"RequestId","Code","Message"}`, as sends give them.
fn isv(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError {
        status: 200,
        code,
        message: message.into(),
        shape: Shape::Isv,
    }
}

/// An error the metadata declares with an HTTP status (signatures, templates): the gateway's
/// shape, `{"RequestId","HostId","Code","Message","Recommend"}`.
fn declared(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code,
        message: message.into(),
        shape: Shape::Gateway,
    }
}

/// `InvalidParameter` naming a parameter, as the generic layer words it.
fn invalid(name: &str, why: &str) -> ApiError {
    ApiError::bad_request(
        "InvalidParameter",
        format!("The specified value of parameter \"{name}\" is not valid: {why}."),
    )
}

/// A parameter the service needs in this case though the model has it optional, named as the
/// gateway names a missing required one.
fn missing(code: &'static str, name: &str) -> ApiError {
    ApiError::bad_request(code, format!("{name} is mandatory for this action."))
}

/// A non-empty parameter.
fn param<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.request.param(name).filter(|v| !v.is_empty())
}

/// An integer parameter (its type was checked before), if sent.
fn int_param(call: &Call<'_>, name: &str) -> Option<i64> {
    param(call, name).and_then(|v| v.parse().ok())
}

/// A boolean parameter (its type was checked before), if sent.
fn bool_param(call: &Call<'_>, name: &str) -> Option<bool> {
    param(call, name).map(|v| v.eq_ignore_ascii_case("true"))
}

/// The instant in China (GMT+8), where the service runs.
fn china(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => at.with_timezone(&offset),
        None => at.fixed_offset(),
    }
}

/// `yyyy-MM-dd HH:mm:ss` in China time, as the answers write times.
fn china_time(at: DateTime<Utc>) -> String {
    china(at).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The page size of a paperwork listing (`QuerySmsSignList`, `QuerySmsTemplateList`,
/// `QuerySmsQualificationRecord`) when `PageSize` is not sent.
const DEFAULT_PAGE_SIZE: i64 = 10;

/// The page a paperwork listing asks for: page `number_param` (from 1, default 1) of `items`,
/// `PageSize` to a page (default [`DEFAULT_PAGE_SIZE`]); with the page number and size in
/// effect, which the answer echoes.
fn requested_page<T>(call: &Call<'_>, number_param: &str, items: Vec<T>) -> (Vec<T>, i64, i64) {
    let number = int_param(call, number_param).unwrap_or(1).max(1);
    let size = int_param(call, "PageSize").unwrap_or(DEFAULT_PAGE_SIZE);
    (page(items, number, size), number, size)
}

/// Page `index` (from 1) of `items`, `size` to a page.
fn page<T>(items: Vec<T>, index: i64, size: i64) -> Vec<T> {
    let size = usize::try_from(size).unwrap_or(0);
    let skip = usize::try_from(index.saturating_sub(1))
        .unwrap_or(0)
        .saturating_mul(size);
    items.into_iter().skip(skip).take(size).collect()
}

/// The bytes a record's texts take, for the collections' byte budget.
fn text_bytes<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    texts.into_iter().map(str::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stateful_action_is_modeled() {
        for (action, _) in STATEFUL {
            assert!(model::find(action).is_some(), "{action}");
        }
    }

    #[test]
    fn pages_count_from_one() {
        let items: Vec<u32> = (1..=7).collect();
        assert_eq!(page(items.clone(), 1, 3), [1, 2, 3]);
        assert_eq!(page(items.clone(), 3, 3), [7]);
        assert_eq!(page(items, 4, 3), Vec::<u32>::new());
    }

    #[test]
    fn the_seeds_are_approved_and_consistent() {
        let sms = Sms::default();
        let owner = accounts::OWNER.aliyun_id;
        let sign = sms
            .find_sign(owner, accounts::SMS_SAMPLE_SIGN_NAME)
            .unwrap();
        assert!(sign.review.is_approved());
        let template = sms
            .find_template(owner, accounts::SMS_SAMPLE_TEMPLATE_CODE)
            .unwrap();
        assert!(template.review.is_approved());
        for account in accounts::ALL {
            let test = sms
                .find_sign(account.aliyun_id, accounts::SMS_TEST_SIGN_NAME)
                .unwrap();
            assert!(test.review.is_approved());
            assert!(sms
                .find_template(account.aliyun_id, accounts::SMS_TEST_TEMPLATE_CODE)
                .is_some());
        }
        let letter = sms.letter(owner, accounts::SMS_SAMPLE_LETTER_ID).unwrap();
        let qualification = sms
            .qualification(owner, accounts::SMS_SAMPLE_QUALIFICATION_ID)
            .unwrap();
        assert_eq!(letter.organization_code, qualification.organization_code());
        assert!(letter
            .signs
            .iter()
            .any(|s| s == accounts::SMS_SAMPLE_SIGN_NAME));
    }
}
