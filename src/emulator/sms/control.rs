//! The SMS control routes (listed in the emulator's control table): reviews, receipts and the
//! outbox over HTTP, the same controls as the Rust API.

use serde_json::{json, Value};

use super::audit::Decision;
use super::send::{parse_number, Number};
use super::{AuditError, PendingAudit, Receipt};
use crate::emulator::lock;
use crate::emulator::server::Shared;
use crate::emulator::wire::{Answer, Incoming};

fn answer(status: u16, body: Value) -> Answer {
    let code = (status != 200).then(|| status.to_string());
    Answer::json(status, &body, code)
}

fn refuse(status: u16, message: &str) -> Answer {
    answer(status, json!({ "error": message }))
}

/// The body as a JSON object, or a 400 answer saying what is wrong.
fn object(request: &Incoming, shape: &str) -> Result<serde_json::Map<String, Value>, Answer> {
    match serde_json::from_slice(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(refuse(
            400,
            &format!("expected a JSON object body: {shape}"),
        )),
    }
}

/// `GET /_emulator/sms/audits`: `{"pending":[{"kind",…}]}`.
pub(crate) fn list_audits(shared: &Shared, _: &Incoming) -> Answer {
    let pending: Vec<Value> = lock(&shared.state)
        .sms
        .pending()
        .into_iter()
        .map(|p| match p {
            PendingAudit::Sign { account, name } => {
                json!({ "kind": "sign", "account": account, "name": name })
            }
            PendingAudit::Template {
                account,
                code,
                name,
            } => json!({ "kind": "template", "account": account, "code": code, "name": name }),
            PendingAudit::Letter { account, id, name } => {
                json!({ "kind": "letter", "account": account, "id": id, "name": name })
            }
            PendingAudit::Qualification { account, id, name } => {
                json!({ "kind": "qualification", "account": account, "id": id, "name": name })
            }
        })
        .collect();
    answer(200, json!({ "pending": pending }))
}

const AUDIT_SHAPE: &str = r#"{"kind":"sign|template|letter|qualification|all","name"|"code"|"id":…,"decision":"approve|reject|withdraw","reason":"…"}"#;

/// `POST /_emulator/sms/audits`: decides one application, or approves them all.
pub(crate) fn decide(shared: &Shared, request: &Incoming) -> Answer {
    let body = match object(request, AUDIT_SHAPE) {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str);
    let decision = match (text("decision").unwrap_or("approve"), text("reason")) {
        ("approve", _) => Decision::Approve,
        ("reject", reason) => Decision::Reject(reason.unwrap_or("审核未通过").to_owned()),
        ("withdraw", _) => Decision::Withdraw,
        (other, _) => return refuse(400, &format!("unknown decision {other:?}: {AUDIT_SHAPE}")),
    };
    let kind = text("kind").unwrap_or_default();
    let id = body.get("id").and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let mut state = lock(&shared.state);
    let at = state.business_now();
    let sms = &mut state.sms;
    let result = match (kind, &decision) {
        ("all", Decision::Approve) => {
            let s = sms.approve_all(at);
            return answer(
                200,
                json!({ "approved": {
                    "signs": s.signs,
                    "templates": s.templates,
                    "letters": s.letters,
                    "qualifications": s.qualifications,
                }}),
            );
        }
        ("sign", _) => match text("name") {
            Some(name) => sms.decide_sign(name, &decision, at),
            None => return refuse(400, &format!("a sign needs \"name\": {AUDIT_SHAPE}")),
        },
        ("template", _) => match text("code") {
            Some(code) => sms.decide_template(code, &decision, at),
            None => return refuse(400, &format!("a template needs \"code\": {AUDIT_SHAPE}")),
        },
        ("letter", Decision::Approve) => match id {
            Some(id) => sms.approve_letter(id, at),
            None => return refuse(400, &format!("a letter needs \"id\": {AUDIT_SHAPE}")),
        },
        ("qualification", _) => match id {
            Some(id) => sms.decide_qualification(id, &decision, at),
            None => return refuse(400, &format!("a qualification needs \"id\": {AUDIT_SHAPE}")),
        },
        ("all" | "letter", _) => {
            return refuse(400, &format!("{kind} can only be approved: {AUDIT_SHAPE}"))
        }
        (other, _) => return refuse(400, &format!("unknown kind {other:?}: {AUDIT_SHAPE}")),
    };
    match result {
        Ok(()) => answer(200, json!({ "kind": kind, "decided": true })),
        Err(AuditError::NotFound) => refuse(404, &format!("no {kind} application matches")),
        Err(e) => refuse(409, &e.to_string()),
    }
}

const RECEIPT_SHAPE: &str =
    r#"{"phone_number":"…","receipt":"delivered|failed|never","err_code":"UNDELIV"}"#;

/// `POST /_emulator/sms/receipts`: the receipt of the next messages to a number.
pub(crate) fn set_receipt(shared: &Shared, request: &Incoming) -> Answer {
    let body = match object(request, RECEIPT_SHAPE) {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str);
    let Some(phone) = text("phone_number") else {
        return refuse(
            400,
            &format!("\"phone_number\" is missing: {RECEIPT_SHAPE}"),
        );
    };
    let receipt = match (text("receipt").unwrap_or("delivered"), text("err_code")) {
        ("delivered", _) => Receipt::Delivered,
        ("never", _) => Receipt::Never,
        ("failed", Some(code)) if !code.is_empty() => Receipt::Failed(code.to_owned()),
        ("failed", _) => {
            return refuse(
                400,
                &format!("a failure needs \"err_code\": {RECEIPT_SHAPE}"),
            )
        }
        (other, _) => return refuse(400, &format!("unknown receipt {other:?}: {RECEIPT_SHAPE}")),
    };
    let key = match parse_number(phone) {
        Some(Number::Mainland(n) | Number::International(n)) => n,
        None => return refuse(400, &format!("{phone:?} is not a phone number")),
    };
    let mut state = lock(&shared.state);
    let body = json!({
        "phone_number": key,
        "receipt": text("receipt").unwrap_or("delivered"),
        "err_code": match &receipt { Receipt::Failed(code) => Some(code.clone()), _ => None },
    });
    if receipt == Receipt::Delivered {
        state.sms.receipts.remove(&key);
    } else {
        state.sms.receipts.insert(key, receipt);
    }
    answer(200, body)
}

/// `GET /_emulator/sms/messages[?phone_number=…]`: the outbox, oldest first.
pub(crate) fn list_messages(shared: &Shared, request: &Incoming) -> Answer {
    let phone = request
        .param("phone_number")
        .map(|raw| match parse_number(raw) {
            Some(Number::Mainland(n) | Number::International(n)) => n,
            None => raw.to_owned(),
        });
    let state = lock(&shared.state);
    let now = state.business_now();
    let messages: Vec<Value> = state
        .sms
        .outbox
        .all(now)
        .iter()
        .filter(|m| phone.as_ref().is_none_or(|p| &m.phone_number == p))
        .map(super::SentSms::to_json)
        .collect();
    answer(200, json!({ "messages": messages }))
}

/// `DELETE /_emulator/sms/messages`: empties the outbox.
pub(crate) fn clear_messages(shared: &Shared, _: &Incoming) -> Answer {
    let mut state = lock(&shared.state);
    let cleared = state.sms.outbox.clear();
    answer(200, json!({ "cleared": cleared }))
}
