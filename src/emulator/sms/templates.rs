//! Templates: `CreateSmsTemplate`, `AddSmsTemplate` (legacy), `GetSmsTemplate`,
//! `QuerySmsTemplate` (legacy), `QuerySmsTemplateList`, `UpdateSmsTemplate`,
//! `ModifySmsTemplate` (legacy), `DeleteSmsTemplate`; the `${name}` variables and how a message
//! is rendered from them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::audit::Review;
use super::signs::refuse_unless_rejected;
use super::{
    china_time, declared, int_param, invalid, missing, ok, owner, param, requested_page, spec,
    text_bytes, Sms,
};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiError, ApiResult, Call};

/// Template codes are `SMS_` and a number, from this one.
pub(super) const FIRST_TEMPLATE_NUMBER: u64 = 100_000_001;

/// `TemplateType` as the applications number it.
pub(super) const VERIFICATION: i64 = 0;
/// An international / Hong Kong, Macao and Taiwan template.
pub(super) const INTERNATIONAL: i64 = 3;

/// A stored template.
#[derive(Debug, Clone)]
pub(super) struct Template {
    pub owner: String,
    pub code: String,
    pub name: String,
    pub content: String,
    /// 0 verification code, 1 notification, 2 promotion, 3 international.
    pub template_type: i64,
    pub intl_type: Option<i64>,
    pub related_sign: Option<String>,
    pub remark: String,
    pub rule: Option<String>,
    pub apply_scene: String,
    pub traffic_driving: String,
    pub order_id: String,
    /// `TemplateTag`: 2 created by the account, 3 given by the system.
    pub tag: u8,
    pub created_at: DateTime<Utc>,
    pub review: Review,
    /// The distinct variable names of the content, in order.
    pub variables: Vec<String>,
}

impl Template {
    fn size(&self) -> usize {
        let texts = [
            self.owner.as_str(),
            &self.code,
            &self.name,
            &self.content,
            &self.remark,
            self.rule.as_deref().unwrap_or_default(),
            &self.apply_scene,
            &self.traffic_driving,
        ];
        text_bytes(texts)
    }

    /// `TemplateType` of `QuerySmsTemplateList`: 0 notification, 1 promotion, 2 verification
    /// code, 6 international.
    fn list_type(&self) -> i64 {
        match self.template_type {
            0 => 2,
            1 => 0,
            2 => 1,
            _ => 6,
        }
    }

    fn reason(&self) -> Value {
        match self.review.reason() {
            Some(reason) => json!({
                "RejectInfo": reason,
                "RejectSubInfo": reason,
                "RejectDate": self.review.decided_at.map(china_time).unwrap_or_default(),
            }),
            None => json!({}),
        }
    }

    /// The message for these variable values (each variable the template has must be there).
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(self.content.len());
        let mut rest = self.content.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    out.push_str(values.get(name).map_or("", String::as_str));
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The distinct `${name}` variables of a template's content, in order; `None` when a `${` is not
/// closed or names nothing, or a name is not letters, digits and `_`.
pub(super) fn variables(content: &str) -> Option<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let name = &after[..end];
        let well_formed =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            return None;
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    Some(names)
}

fn seeded(owner: &str, code: &str, name: &str, content: &str, now: DateTime<Utc>) -> Template {
    Template {
        owner: owner.to_owned(),
        code: code.to_owned(),
        name: name.to_owned(),
        content: content.to_owned(),
        template_type: 1,
        intl_type: None,
        related_sign: None,
        remark: String::new(),
        rule: None,
        apply_scene: String::new(),
        traffic_driving: String::new(),
        order_id: "20000000000".to_owned(),
        tag: 2,
        created_at: now,
        review: Review::approved(now),
        variables: variables(content).unwrap_or_default(),
    }
}

/// [`accounts::SMS_TEST_TEMPLATE_CODE`](crate::emulator::accounts::SMS_TEST_TEMPLATE_CODE).
pub(super) fn seeded_test_template(owner: &str, now: DateTime<Utc>) -> Template {
    use crate::emulator::accounts;
    let mut template = seeded(
        owner,
        accounts::SMS_TEST_TEMPLATE_CODE,
        "阿里云短信测试模板",
        "您正在使用阿里云短信测试服务，体验验证码是：${code}，如非本人操作，请忽略本短信！",
        now,
    );
    template.template_type = VERIFICATION;
    template.tag = 3;
    template.related_sign = Some(accounts::SMS_TEST_SIGN_NAME.to_owned());
    template
}

/// [`accounts::SMS_SAMPLE_TEMPLATE_CODE`](crate::emulator::accounts::SMS_SAMPLE_TEMPLATE_CODE).
pub(super) fn seeded_sample_template(owner: &str, now: DateTime<Utc>) -> Template {
    use crate::emulator::accounts;
    let mut template = seeded(
        owner,
        accounts::SMS_SAMPLE_TEMPLATE_CODE,
        "sample",
        "您的订单${code}已发货，请注意查收。",
        now,
    );
    template.related_sign = Some(accounts::SMS_SAMPLE_SIGN_NAME.to_owned());
    template
}

fn not_found() -> ApiError {
    declared(404, "TemplateNotFound", "The template does not exist.")
}

/// `TemplateType` 0 to 3.
fn template_type(call: &Call<'_>) -> Result<i64, ApiError> {
    let kind = int_param(call, "TemplateType").unwrap_or_default();
    if !(0..=3).contains(&kind) {
        return Err(invalid("TemplateType", "expected 0 to 3"));
    }
    Ok(kind)
}

/// What an application for a template says, once checked.
struct Application {
    template_type: i64,
    variables: Vec<String>,
}

impl Sms {
    pub(super) fn push_template(&mut self, template: Template) {
        let size = template.size();
        self.templates.push(template, size);
    }

    /// The caller's template of that code.
    pub(super) fn find_template(&self, owner: &str, code: &str) -> Option<&Template> {
        self.templates
            .iter()
            .find(|t| t.owner == owner && t.code == code)
    }

    fn find_template_mut(&mut self, owner: &str, code: &str) -> Option<&mut Template> {
        self.templates
            .iter_mut()
            .find(|t| t.owner == owner && t.code == code)
    }

    /// The checks of `CreateSmsTemplate` and `UpdateSmsTemplate` after the gateway's (`legacy`:
    /// those of `AddSmsTemplate` and `ModifySmsTemplate`, which name no signature or rule).
    fn check_template(&self, call: &Call<'_>, legacy: bool) -> Result<Application, ApiError> {
        let template_type = template_type(call)?;
        if !legacy {
            if template_type == INTERNATIONAL && param(call, "IntlType").is_none() {
                return Err(missing("MissingIntlType", "IntlType"));
            }
            if template_type != INTERNATIONAL {
                let Some(name) = param(call, "RelatedSignName") else {
                    return Err(missing("MissingRelatedSignName", "RelatedSignName"));
                };
                let Some(sign) = self.find_sign(owner(call), name) else {
                    return Err(declared(
                        404,
                        "SmsSignatureNotFound",
                        "The associated SMS signature does not exist.",
                    ));
                };
                if !sign.review.is_approved() {
                    return Err(declared(
                        400,
                        "AssocSignUnapproved",
                        "Associated signature must be approved.",
                    ));
                }
            }
            if let Some(rule) = param(call, "TemplateRule") {
                if !matches!(serde_json::from_str(rule), Ok(Value::Object(_))) {
                    return Err(declared(
                        400,
                        "InvalidTemplateRule.Format",
                        "The parameter TemplateRule format must be JSON.",
                    ));
                }
            }
        }
        let content = param(call, "TemplateContent").unwrap_or_default();
        let Some(variables) = variables(content) else {
            return Err(declared(
                400,
                "InvalidTemplateContent.Format",
                "Invalid template content format.",
            ));
        };
        if template_type == VERIFICATION && variables.len() != 1 {
            return Err(if legacy {
                declared(
                    400,
                    "TemplateParameterCountIllegal",
                    "The verification code template only supports 1 verification code as a variable",
                )
            } else {
                declared(
                    400,
                    "TemplateVarLimitExceeded",
                    "The verification code template only supports one variable.",
                )
            });
        }
        Ok(Application {
            template_type,
            variables,
        })
    }

    /// Fills a template from an application's parameters and sends it to review.
    fn fill_template(
        &mut self,
        template: &mut Template,
        call: &Call<'_>,
        application: Application,
    ) {
        let text = |name: &str| param(call, name).unwrap_or_default().to_owned();
        template.name = text("TemplateName");
        template.content = text("TemplateContent");
        template.template_type = application.template_type;
        template.variables = application.variables;
        template.intl_type = int_param(call, "IntlType");
        template.related_sign = param(call, "RelatedSignName").map(str::to_owned);
        template.remark = text("Remark");
        template.rule = param(call, "TemplateRule").map(str::to_owned);
        template.apply_scene = text("ApplySceneContent");
        template.traffic_driving = text("TrafficDriving");
        template.order_id = self.order_id();
        template.review = self.submitted(call.now);
    }

    /// Creates a template from a checked application: its code.
    fn apply_template(&mut self, call: &Call<'_>, application: Application) -> Template {
        let code = format!("SMS_{}", self.next_template_number);
        self.next_template_number += 1;
        let mut template = seeded(owner(call), &code, "", "", call.now);
        template.tag = 2;
        self.fill_template(&mut template, call, application);
        self.push_template(template.clone());
        template
    }

    /// Changes a rejected template of the caller's from a checked application.
    fn reapply_template(&mut self, call: &Call<'_>, legacy: bool) -> Result<Template, ApiError> {
        let code = param(call, "TemplateCode").unwrap_or_default();
        let current = self
            .find_template(owner(call), code)
            .ok_or_else(not_found)?;
        refuse_unless_rejected(&current.review)?;
        let application = self.check_template(call, legacy)?;
        let mut template = current.clone();
        self.fill_template(&mut template, call, application);
        if let Some(stored) = self.find_template_mut(owner(call), code) {
            *stored = template.clone();
        }
        Ok(template)
    }

    pub(super) fn create_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("CreateSmsTemplate"), call.request)?;
        let application = self.check_template(call, false)?;
        let t = self.apply_template(call, application);
        ok(json!({ "TemplateCode": t.code, "TemplateName": t.name, "OrderId": t.order_id }))
    }

    pub(super) fn add_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("AddSmsTemplate"), call.request)?;
        let application = self.check_template(call, true)?;
        let t = self.apply_template(call, application);
        ok(json!({ "TemplateCode": t.code }))
    }

    pub(super) fn update_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("UpdateSmsTemplate"), call.request)?;
        let t = self.reapply_template(call, false)?;
        ok(json!({ "TemplateCode": t.code, "TemplateName": t.name, "OrderId": t.order_id }))
    }

    pub(super) fn modify_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("ModifySmsTemplate"), call.request)?;
        let t = self.reapply_template(call, true)?;
        ok(json!({ "TemplateCode": t.code }))
    }

    pub(super) fn delete_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("DeleteSmsTemplate"), call.request)?;
        let code = param(call, "TemplateCode").unwrap_or_default();
        let owner = owner(call);
        let template = self.find_template(owner, code).ok_or_else(not_found)?;
        if template.review.is_pending() {
            return Err(declared(
                400,
                "SMS_STATUS_ILLEGAL",
                "A template under review cannot be deleted.",
            ));
        }
        self.templates
            .retain(|t| !(t.owner == owner && t.code == code));
        ok(json!({ "TemplateCode": code }))
    }

    pub(super) fn get_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("GetSmsTemplate"), call.request)?;
        let code = param(call, "TemplateCode").unwrap_or_default();
        let t = self
            .find_template(owner(call), code)
            .ok_or_else(not_found)?;
        let mut audit = serde_json::Map::new();
        if let Some(at) = t.review.decided_at {
            audit.insert("AuditDate".into(), json!(china_time(at)));
        }
        if let Some(reason) = t.review.reason() {
            audit.insert("RejectInfo".into(), json!(reason));
        }
        let signs: Vec<&str> = t.related_sign.iter().map(String::as_str).collect();
        let mut body = json!({
            "TemplateCode": t.code,
            "TemplateName": t.name,
            "TemplateContent": t.content,
            "TemplateType": t.template_type.to_string(),
            "TemplateStatus": t.review.status_code().to_string(),
            "TemplateTag": t.tag,
            "OrderId": t.order_id,
            "CreateDate": china_time(t.created_at),
            "AuditInfo": audit,
            "Remark": t.remark,
            "ApplyScene": t.apply_scene,
            "SignList": { "SignList": signs },
        });
        if let Some(map) = body.as_object_mut() {
            if let Some(sign) = &t.related_sign {
                map.insert("RelatedSignName".into(), json!(sign));
            }
            if let Some(intl) = t.intl_type {
                map.insert("IntlType".into(), json!(intl));
            }
            if let Some(rule) = &t.rule {
                map.insert("VariableAttribute".into(), json!(rule));
            }
        }
        ok(body)
    }

    pub(super) fn query_template(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsTemplate"), call.request)?;
        let code = param(call, "TemplateCode").unwrap_or_default();
        let t = self
            .find_template(owner(call), code)
            .ok_or_else(not_found)?;
        ok(json!({
            "TemplateCode": t.code,
            "TemplateName": t.name,
            "TemplateContent": t.content,
            "TemplateType": t.template_type,
            "TemplateStatus": t.review.status_code(),
            "Reason": t.review.remark(),
            "CreateDate": china_time(t.created_at),
        }))
    }

    pub(super) fn query_template_list(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsTemplateList"), call.request)?;
        let owner = owner(call);
        let mine: Vec<&Template> = self.templates.iter().filter(|t| t.owner == owner).collect();
        let total = mine.len();
        let (shown, index, size) = requested_page(call, "PageIndex", mine);
        let items: Vec<Value> = shown
            .into_iter()
            .map(|t| {
                json!({
                    "TemplateCode": t.code,
                    "TemplateName": t.name,
                    "TemplateContent": t.content,
                    "TemplateType": t.list_type(),
                    "OuterTemplateType": t.template_type,
                    "AuditStatus": t.review.audit_status(),
                    "CreateDate": china_time(t.created_at),
                    "OrderId": t.order_id,
                    "Reason": t.reason(),
                    "SignatureName": t.related_sign.clone().unwrap_or_default(),
                    "TrafficDriving": t.traffic_driving,
                })
            })
            .collect();
        ok(json!({
            "SmsTemplateList": items,
            "TotalCount": total,
            "CurrentPage": index,
            "PageSize": size,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_read_in_order_once_each() {
        let names = variables("您好${name}，验证码${code}，再说一次${code}").unwrap();
        assert_eq!(names, ["name", "code"]);
        assert_eq!(variables("no variables, $5 only").unwrap().len(), 0);
        assert!(variables("broken ${code").is_none());
        assert!(variables("empty ${}").is_none());
        assert!(variables("spaced ${a b}").is_none());
    }

    #[test]
    fn messages_are_rendered_from_the_values() {
        let mut template = seeded(
            "o",
            "SMS_1",
            "t",
            "您好${name}，验证码${code}。",
            Utc::now(),
        );
        template.variables = variables(&template.content).unwrap();
        let values = BTreeMap::from([
            ("name".to_owned(), "Tom".to_owned()),
            ("code".to_owned(), "123".to_owned()),
        ]);
        assert_eq!(template.render(&values), "您好Tom，验证码123。");
    }
}
