//! Sending: `SendSms` and `SendBatchSms`, checked as the service checks them, every refusal an
//! HTTP 200 `{"RequestId","Code","Message"}` with the documented `isv.*` code; an accepted
//! send counts toward flow control and puts one message per number in the outbox.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::flow::FlowKey;
use super::outbox::{Sent, SentSms};
use super::signs::Sign;
use super::templates::{Template, INTERNATIONAL, VERIFICATION};
use super::{isv, ok, owner, param, spec, DeliveryStatus, Sms};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiError, ApiResult, Call};

/// Most numbers one `SendSms` takes.
const MAX_SEND_NUMBERS: usize = 1000;
/// Most numbers one `SendBatchSms` takes.
const MAX_BATCH_NUMBERS: usize = 100;
/// `OutId` is shorter than this, in characters.
const OUT_ID_CHARS: usize = 256;

/// A phone number, without its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Number {
    /// A mainland China mobile number: 11 digits, `1[3-9]…`.
    Mainland(String),
    /// Any other: the country code and the number, 8 to 15 digits.
    International(String),
}

fn is_mainland(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
}

/// Reads a number as the service does: a mainland number bare or with `+`, `+86`, `0086` or
/// `86`; an international one as its country code and number (with or without `+` / `00`).
pub(super) fn parse_number(raw: &str) -> Option<Number> {
    let raw = raw.trim();
    for prefix in ["+86", "0086", "86", "+", ""] {
        if let Some(rest) = raw.strip_prefix(prefix) {
            if is_mainland(rest) {
                return Some(Number::Mainland(rest.to_owned()));
            }
        }
    }
    let digits = raw
        .strip_prefix('+')
        .or_else(|| raw.strip_prefix("00"))
        .unwrap_or(raw);
    let international = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
        && !digits.starts_with("86");
    international.then(|| Number::International(digits.to_owned()))
}

fn count_over_limit() -> ApiError {
    isv("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
}

fn invalid_parameters(message: &str) -> ApiError {
    isv("isv.INVALID_PARAMETERS", message)
}

fn invalid_json() -> ApiError {
    isv("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
}

fn missing_parameters() -> ApiError {
    isv("isv.TEMPLATE_MISSING_PARAMETERS", "模版缺少变量")
}

/// `OutId` shorter than 256 characters.
fn check_out_id(call: &Call<'_>) -> Result<Option<String>, ApiError> {
    let out_id = param(call, "OutId");
    if out_id.is_some_and(|id| id.chars().count() >= OUT_ID_CHARS) {
        return Err(invalid_parameters(
            "OutId must be shorter than 256 characters.",
        ));
    }
    Ok(out_id.map(str::to_owned))
}

/// A number checked against the template: mainland numbers for domestic templates, others for
/// international ones.
fn check_number(raw: &str, template: &Template) -> Result<Number, ApiError> {
    let illegal = || {
        isv(
            "isv.MOBILE_NUMBER_ILLEGAL",
            format!("{raw}invalid mobile number"),
        )
    };
    let number = parse_number(raw).ok_or_else(illegal)?;
    match (&number, template.template_type == INTERNATIONAL) {
        (Number::Mainland(_), true) => Err(isv(
            "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
            "国际/港澳台消息模板不支持发送境内号码",
        )),
        (Number::International(_), false) => Err(illegal()),
        _ => Ok(number),
    }
}

/// A verification-code signature sends verification-code templates only.
fn check_scene(sign: &Sign, template: &Template) -> Result<(), ApiError> {
    if sign.sign_type == 0 && template.template_type != VERIFICATION {
        return Err(isv(
            "isv.SMS_SIGNATURE_SCENE_ILLEGAL",
            "签名和模板类型不一致",
        ));
    }
    Ok(())
}

/// The template's variables with their values from a `TemplateParam` object: every variable
/// given a non-empty string; a verification code 4 to 6 letters or digits.
fn values_of(
    template: &Template,
    object: Option<&Map<String, Value>>,
) -> Result<BTreeMap<String, String>, ApiError> {
    if let Some(object) = object {
        if !object.values().all(Value::is_string) {
            return Err(invalid_json());
        }
    }
    let mut values = BTreeMap::new();
    for name in &template.variables {
        let value = object
            .and_then(|o| o.get(name))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(missing_parameters)?;
        if template.template_type == VERIFICATION {
            if !value.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(invalid_parameters(
                    "params must be [a-zA-Z0-9] for verification sms",
                ));
            }
            if !(4..=6).contains(&value.chars().count()) {
                return Err(isv("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制"));
            }
        }
        values.insert(name.clone(), value.to_owned());
    }
    Ok(values)
}

/// The values from a `TemplateParam` text (JSON object of strings).
fn values_of_text(
    template: &Template,
    text: Option<&str>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let object = match text.map(serde_json::from_str::<Value>) {
        None => None,
        Some(Ok(Value::Object(object))) => Some(object),
        Some(_) => return Err(invalid_json()),
    };
    values_of(template, object.as_ref())
}

/// A JSON array of strings (numbers read as their digits), or `None`.
fn json_strings(text: &str) -> Option<Vec<String>> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// One message of a send, checked.
struct Message {
    number: Number,
    sign: String,
    values: BTreeMap<String, String>,
}

impl Sms {
    /// The caller's approved signature, else `isv.SMS_SIGNATURE_ILLEGAL`.
    fn approved_sign(&self, call: &Call<'_>, name: &str) -> Result<&Sign, ApiError> {
        self.find_sign(owner(call), name)
            .filter(|s| s.review.is_approved())
            .ok_or_else(|| isv("isv.SMS_SIGNATURE_ILLEGAL", "短信签名不合法"))
    }

    /// The caller's approved template, else `isv.SMS_TEMPLATE_ILLEGAL`.
    fn approved_template(&self, call: &Call<'_>, code: &str) -> Result<Template, ApiError> {
        self.find_template(owner(call), code)
            .filter(|t| t.review.is_approved())
            .cloned()
            .ok_or_else(|| isv("isv.SMS_TEMPLATE_ILLEGAL", "模板不合法(不存在或被拉黑)"))
    }

    pub(super) fn send_sms(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check_shape(spec("SendSms"), call.request, &["TemplateParam"])?;
        let out_id = check_out_id(call)?;
        let phones: Vec<&str> = param(call, "PhoneNumbers")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        if phones.len() > MAX_SEND_NUMBERS {
            return Err(count_over_limit());
        }
        let sign_name = param(call, "SignName").unwrap_or_default();
        let sign = self.approved_sign(call, sign_name)?;
        let template =
            self.approved_template(call, param(call, "TemplateCode").unwrap_or_default())?;
        check_scene(sign, &template)?;
        let numbers = phones
            .iter()
            .map(|raw| check_number(raw, &template))
            .collect::<Result<Vec<_>, _>>()?;
        let values = values_of_text(&template, param(call, "TemplateParam"))?;
        let sign = sign.name.clone();
        let messages = numbers
            .into_iter()
            .map(|number| Message {
                number,
                sign: sign.clone(),
                values: values.clone(),
            })
            .collect();
        self.deliver(call, &template, messages, out_id)
    }

    pub(super) fn send_batch_sms(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check_shape(spec("SendBatchSms"), call.request, &["TemplateParamJson"])?;
        let out_id = check_out_id(call)?;
        let phones = json_strings(param(call, "PhoneNumberJson").unwrap_or_default())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                invalid_parameters("PhoneNumberJson must be a JSON array of phone numbers.")
            })?;
        if phones.len() > MAX_BATCH_NUMBERS {
            return Err(count_over_limit());
        }
        let signs = json_strings(param(call, "SignNameJson").unwrap_or_default())
            .filter(|s| s.len() == phones.len())
            .ok_or_else(|| {
                invalid_parameters("SignNameJson must give one signature per phone number.")
            })?;
        let params: Option<Vec<Value>> = match param(call, "TemplateParamJson") {
            None => None,
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(items)) => Some(items),
                _ => return Err(invalid_json()),
            },
        };
        if params.as_ref().is_some_and(|p| p.len() != phones.len()) {
            return Err(invalid_parameters(
                "TemplateParamJson must give one object per phone number.",
            ));
        }
        if let Some(codes) = param(call, "SmsUpExtendCodeJson") {
            if json_strings(codes).is_none_or(|c| c.len() != phones.len()) {
                return Err(invalid_parameters(
                    "SmsUpExtendCodeJson must give one code per phone number.",
                ));
            }
        }
        let template =
            self.approved_template(call, param(call, "TemplateCode").unwrap_or_default())?;
        let mut messages = Vec::with_capacity(phones.len());
        for (i, (phone, sign)) in phones.iter().zip(&signs).enumerate() {
            let sign = self.approved_sign(call, sign)?;
            check_scene(sign, &template)?;
            let number = check_number(phone, &template)?;
            let object = match params.as_ref().map(|p| &p[i]) {
                None => None,
                Some(Value::Object(object)) => Some(object),
                Some(_) => return Err(invalid_json()),
            };
            let values = values_of(&template, object)?;
            messages.push(Message {
                number,
                sign: sign.name.clone(),
                values,
            });
        }
        self.deliver(call, &template, messages, out_id)
    }

    /// Applies flow control to the checked messages (all of them go, or none), then sends them
    /// under one `BizId`.
    fn deliver(
        &mut self,
        call: &Call<'_>,
        template: &Template,
        messages: Vec<Message>,
        out_id: Option<String>,
    ) -> ApiResult {
        let owner = owner(call);
        let mut keys = Vec::new();
        for m in &messages {
            let Number::Mainland(phone) = &m.number else {
                continue;
            };
            if template.template_type == VERIFICATION {
                keys.push(FlowKey::Verification {
                    owner: owner.to_owned(),
                    sign: m.sign.clone(),
                    phone: phone.clone(),
                });
                keys.push(FlowKey::VerificationToNumber {
                    phone: phone.clone(),
                });
            } else {
                keys.push(FlowKey::Message {
                    owner: owner.to_owned(),
                    sign: m.sign.clone(),
                    template: template.code.clone(),
                    phone: phone.clone(),
                });
            }
        }
        self.flow
            .check(&keys, call.now)
            .map_err(|message| isv("isv.BUSINESS_LIMIT_CONTROL", message))?;
        self.flow.record(keys, call.now);
        let biz_id = self.outbox.biz_id();
        for m in messages {
            let (Number::Mainland(phone) | Number::International(phone)) = m.number;
            let receipt = self.receipt_for(&phone);
            let content = format!("【{}】{}", m.sign, template.render(&m.values));
            self.outbox.push(Sent {
                message: SentSms {
                    account: owner.to_owned(),
                    phone_number: phone,
                    sign_name: m.sign,
                    template_code: template.code.clone(),
                    template_param: m.values,
                    content,
                    biz_id: biz_id.clone(),
                    out_id: out_id.clone(),
                    sent_at: call.now,
                    status: DeliveryStatus::Waiting,
                    received_at: None,
                },
                receipt,
            });
        }
        ok(json!({ "BizId": biz_id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_numbers_take_their_prefixes() {
        for raw in [
            "13800000000",
            "+8613800000000",
            "008613800000000",
            "8613800000000",
            "+13800000000",
            " 13800000000 ",
        ] {
            assert_eq!(
                parse_number(raw),
                Some(Number::Mainland("13800000000".into())),
                "{raw}"
            );
        }
        assert_eq!(
            parse_number("85212345678"),
            Some(Number::International("85212345678".into()))
        );
        assert_eq!(
            parse_number("+447700900123"),
            Some(Number::International("447700900123".into()))
        );
        for bad in ["", "sample", "1380", "0012", "86123", "+86138"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn json_lists_of_numbers_read_as_text() {
        assert_eq!(
            json_strings(r#"["13800000000", 13900000000]"#),
            Some(vec!["13800000000".to_owned(), "13900000000".to_owned()])
        );
        assert_eq!(json_strings(r#"[{"a":1}]"#), None);
        assert_eq!(json_strings("13800000000"), None);
    }
}
