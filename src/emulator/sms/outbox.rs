//! The outbox: every message the emulator accepted, with its receipt, as `QuerySendDetails`
//! reads it and a test inspects it ([`Emulator::sms_outbox`], `GET /_emulator/sms/messages`).
//! A receipt arrives [`RECEIPT_DELAY`] after the send on the services' clock: delivered, or the
//! failure the test chose for the number with [`Emulator::set_receipt`].

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Value};

use super::send::{parse_number, Number};
use super::{china, china_time, int_param, isv, ok, owner, page, param, spec, Sms};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiError, ApiResult, Call};
use crate::emulator::limits::{Bounded, MAX_SMS_MESSAGES, MAX_SMS_MESSAGE_BYTES};
use crate::emulator::{lock, Emulator};

/// How long after a send its receipt arrives, on the services' clock.
const RECEIPT_DELAY: Duration = Duration::seconds(5);
/// How many days back `QuerySendDetails` reaches, today included.
const QUERY_DAYS: i64 = 30;
/// The first `BizId` handed out (before `^0`).
const FIRST_BIZ_ID: u64 = 900_000_000_000_000_001;

/// The receipt the carrier gives the messages to a number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Receipt {
    /// Delivered (`SendStatus` 3, `ErrCode` `DELIVERED`): the default.
    #[default]
    Delivered,
    /// Not delivered (`SendStatus` 2), with the carrier's error code, e.g. `UNDELIV`,
    /// `MBBLACK`, `-37`.
    Failed(String),
    /// No receipt ever comes: the message stays waiting (`SendStatus` 1).
    Never,
}

/// Where a sent message stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Sent, waiting for the receipt (`SendStatus` 1).
    Waiting,
    /// Delivered (`SendStatus` 3, `ErrCode` `DELIVERED`).
    Delivered,
    /// Not delivered (`SendStatus` 2), with the receipt's error code.
    Failed(String),
}

impl DeliveryStatus {
    /// `SendStatus` as `QuerySendDetails` answers it: 1 waiting, 2 failed, 3 delivered.
    pub fn send_status(&self) -> u8 {
        match self {
            DeliveryStatus::Waiting => 1,
            DeliveryStatus::Failed(_) => 2,
            DeliveryStatus::Delivered => 3,
        }
    }

    /// `ErrCode`: `DELIVERED`, the failure's code, or none while waiting.
    pub fn err_code(&self) -> Option<&str> {
        match self {
            DeliveryStatus::Waiting => None,
            DeliveryStatus::Delivered => Some("DELIVERED"),
            DeliveryStatus::Failed(code) => Some(code),
        }
    }
}

/// A message the emulator accepted, one per phone number of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentSms {
    /// The sender's Aliyun ID.
    pub account: String,
    /// The number, without `+86` / `0086` / `86` (mainland numbers are 11 digits).
    pub phone_number: String,
    /// `SignName`.
    pub sign_name: String,
    /// `TemplateCode`.
    pub template_code: String,
    /// The template's variables with their values (`TemplateParam`).
    pub template_param: BTreeMap<String, String>,
    /// The text as the phone shows it: `【signature】` and the rendered template.
    pub content: String,
    /// The send's `BizId`, `<digits>^0`.
    pub biz_id: String,
    /// `OutId`, if sent.
    pub out_id: Option<String>,
    /// When it was sent, on the services' clock.
    pub sent_at: DateTime<Utc>,
    /// Its receipt so far.
    pub status: DeliveryStatus,
    /// When its receipt arrived, on the services' clock.
    pub received_at: Option<DateTime<Utc>>,
}

impl SentSms {
    /// As `GET /_emulator/sms/messages` lists it.
    pub(super) fn to_json(&self) -> Value {
        json!({
            "account": self.account,
            "phone_number": self.phone_number,
            "sign_name": self.sign_name,
            "template_code": self.template_code,
            "template_param": self.template_param,
            "content": self.content,
            "biz_id": self.biz_id,
            "out_id": self.out_id,
            "sent_at": self.sent_at.to_rfc3339(),
            "send_status": self.status.send_status(),
            "err_code": self.status.err_code(),
            "received_at": self.received_at.map(|t| t.to_rfc3339()),
        })
    }
}

/// A stored message: what was sent and the receipt it will get.
#[derive(Debug, Clone)]
pub(super) struct Sent {
    pub message: SentSms,
    pub receipt: Receipt,
}

impl Sent {
    /// The message as of `now`: its receipt has arrived [`RECEIPT_DELAY`] after the send.
    fn as_of(&self, now: DateTime<Utc>) -> SentSms {
        let mut message = self.message.clone();
        let arrival = message.sent_at + RECEIPT_DELAY;
        let (status, received) = match &self.receipt {
            _ if now < arrival => (DeliveryStatus::Waiting, None),
            Receipt::Never => (DeliveryStatus::Waiting, None),
            Receipt::Delivered => (DeliveryStatus::Delivered, Some(arrival)),
            Receipt::Failed(code) => (DeliveryStatus::Failed(code.clone()), Some(arrival)),
        };
        message.status = status;
        message.received_at = received;
        message
    }

    fn size(&self) -> usize {
        let m = &self.message;
        let params: usize = m
            .template_param
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum();
        m.content.len() + params + m.out_id.as_ref().map_or(0, String::len)
    }
}

/// Every accepted message, at most [`MAX_SMS_MESSAGES`] within [`MAX_SMS_MESSAGE_BYTES`], the
/// oldest forgotten first.
#[derive(Debug)]
pub(super) struct Outbox {
    messages: Bounded<Sent>,
    next_biz_id: u64,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox {
            messages: Bounded::new(MAX_SMS_MESSAGES, MAX_SMS_MESSAGE_BYTES),
            next_biz_id: FIRST_BIZ_ID,
        }
    }
}

impl Outbox {
    /// A fresh `BizId`.
    pub fn biz_id(&mut self) -> String {
        let id = self.next_biz_id;
        self.next_biz_id += 1;
        format!("{id}^0")
    }

    pub fn push(&mut self, sent: Sent) {
        let size = sent.size();
        self.messages.push(sent, size);
    }

    pub fn all(&self, now: DateTime<Utc>) -> Vec<SentSms> {
        self.messages.iter().map(|s| s.as_of(now)).collect()
    }

    /// Forgets every message; how many there were.
    pub fn clear(&mut self) -> usize {
        let count = self.messages.len();
        self.messages.clear();
        count
    }
}

/// `SendDate`: `yyyyMMdd`, a real date.
fn send_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}

fn invalid_parameters(message: &str) -> ApiError {
    isv("isv.INVALID_PARAMETERS", message)
}

impl Sms {
    /// The receipt the next messages to `phone` get.
    pub(super) fn receipt_for(&self, phone: &str) -> Receipt {
        self.receipts.get(phone).cloned().unwrap_or_default()
    }

    pub(super) fn query_send_details(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check_shape(spec("QuerySendDetails"), call.request, &[])?;
        let raw_phone = param(call, "PhoneNumber").unwrap_or_default();
        let phone = match parse_number(raw_phone) {
            Some(Number::Mainland(n) | Number::International(n)) => n,
            None => {
                return Err(isv(
                    "isv.MOBILE_NUMBER_ILLEGAL",
                    format!("{raw_phone}invalid mobile number"),
                ))
            }
        };
        let Some(day) = send_date(param(call, "SendDate").unwrap_or_default()) else {
            return Err(invalid_parameters(
                "SendDate must be a date written yyyyMMdd.",
            ));
        };
        let today = china(call.now).date_naive();
        let age = (today - day).num_days();
        if !(0..QUERY_DAYS).contains(&age) {
            return Err(invalid_parameters(
                "SendDate must be within the last 30 days.",
            ));
        }
        let size = int_param(call, "PageSize").unwrap_or_default();
        if !(1..=50).contains(&size) {
            return Err(invalid_parameters("PageSize must be 1 to 50."));
        }
        let current = int_param(call, "CurrentPage").unwrap_or_default();
        if current < 1 {
            return Err(invalid_parameters("CurrentPage must be 1 or more."));
        }
        let biz_id = param(call, "BizId");
        let owner = owner(call);
        // Newest first.
        let matching: Vec<&Sent> = self
            .outbox
            .messages
            .iter()
            .rev()
            .filter(|s| s.message.account == owner && s.message.phone_number == phone)
            .filter(|s| china(s.message.sent_at).date_naive() == day)
            .filter(|s| biz_id.is_none_or(|id| s.message.biz_id == id))
            .collect();
        let total = matching.len();
        let details: Vec<Value> = page(matching, current, size)
            .into_iter()
            .map(|s| {
                let m = s.as_of(call.now);
                let mut item = json!({
                    "PhoneNum": m.phone_number,
                    "SendStatus": m.status.send_status(),
                    "TemplateCode": m.template_code,
                    "Content": m.content,
                    "SendDate": china_time(m.sent_at),
                    "OutId": m.out_id.clone().unwrap_or_default(),
                });
                if let Some(map) = item.as_object_mut() {
                    if let Some(code) = m.status.err_code() {
                        map.insert("ErrCode".into(), json!(code));
                    }
                    if let Some(at) = m.received_at {
                        map.insert("ReceiveDate".into(), json!(china_time(at)));
                    }
                }
                item
            })
            .collect();
        ok(json!({
            "TotalCount": total.to_string(),
            "SmsSendDetailDTOs": { "SmsSendDetailDTO": details },
        }))
    }
}

/// The outbox and receipts.
impl Emulator {
    /// Every SMS message accepted so far, oldest first, each with its receipt as of the
    /// services' clock (see [`Receipt`]): what LocalStack's `/_aws/sns/sms-messages` is to AWS
    /// users. `GET /_emulator/sms/messages` lists the same.
    pub fn sms_outbox(&self) -> Vec<SentSms> {
        let state = lock(&self.state);
        let now = state.business_now();
        state.sms.outbox.all(now)
    }

    /// Empties the outbox (and so what `QuerySendDetails` finds); returns how many messages it
    /// held. Flow control still counts the sends. `DELETE /_emulator/sms/messages` does the same.
    pub fn clear_sms_outbox(&self) -> usize {
        lock(&self.state).sms.outbox.clear()
    }

    /// Chooses the receipt of the messages sent to `phone` from now on (`+86`, `0086` and `86`
    /// prefixes ignored); [`Receipt::Delivered`] restores the default. A message's receipt is
    /// fixed when it is sent and arrives 5 seconds later on the services' clock
    /// ([`Emulator::advance_time`] makes that immediate).
    pub fn set_receipt(&self, phone: &str, receipt: Receipt) {
        let key = match parse_number(phone) {
            Some(Number::Mainland(n) | Number::International(n)) => n,
            None => phone.trim().to_owned(),
        };
        let mut state = lock(&self.state);
        if receipt == Receipt::Delivered {
            state.sms.receipts.remove(&key);
        } else {
            state.sms.receipts.insert(key, receipt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(receipt: Receipt, at: DateTime<Utc>) -> Sent {
        Sent {
            message: SentSms {
                account: "o".into(),
                phone_number: "13800000000".into(),
                sign_name: "s".into(),
                template_code: "t".into(),
                template_param: BTreeMap::new(),
                content: "【s】hi".into(),
                biz_id: "1^0".into(),
                out_id: None,
                sent_at: at,
                status: DeliveryStatus::Waiting,
                received_at: None,
            },
            receipt,
        }
    }

    #[test]
    fn receipts_arrive_after_the_delay() {
        let at = Utc::now();
        let failed = sent(Receipt::Failed("UNDELIV".into()), at);
        assert_eq!(failed.as_of(at).status, DeliveryStatus::Waiting);
        let later = failed.as_of(at + RECEIPT_DELAY);
        assert_eq!(later.status, DeliveryStatus::Failed("UNDELIV".into()));
        assert_eq!(later.received_at, Some(at + RECEIPT_DELAY));
        let never = sent(Receipt::Never, at).as_of(at + Duration::days(1));
        assert_eq!(
            (never.status, never.received_at),
            (DeliveryStatus::Waiting, None)
        );
        assert_eq!(DeliveryStatus::Delivered.err_code(), Some("DELIVERED"));
    }

    #[test]
    fn send_dates_are_yyyymmdd() {
        assert!(send_date("20240229").is_some());
        assert!(send_date("20230229").is_none());
        assert!(send_date("2024-01-01").is_none());
        assert!(send_date("ssssssss").is_none());
    }
}
