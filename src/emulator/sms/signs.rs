//! Signatures: `CreateSmsSign`, `AddSmsSign` (legacy), `GetSmsSign`, `QuerySmsSign` (legacy),
//! `QuerySmsSignList`, `UpdateSmsSign`, `ModifySmsSign` (legacy), `DeleteSmsSign`. Names are
//! unique per account; an application waits in review until the test decides.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::audit::Review;
use super::{
    china_time, declared, int_param, invalid, isv, ok, owner, param, requested_page, spec,
    text_bytes, Sms,
};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiError, ApiResult, Call};

/// Where the answers say a signature's proof files are.
const FILE_URL_BASE: &str = "https://dysms-sign.oss-cn-zhangjiakou.aliyuncs.com/";

/// A stored signature.
#[derive(Debug, Clone)]
pub(super) struct Sign {
    pub owner: String,
    pub name: String,
    /// `SignSource`, 0 to 5.
    pub source: i64,
    /// `SignType`: 0 verification codes only, 1 general.
    pub sign_type: i64,
    /// `SignTag`: 2 created by the account, 4 test.
    pub tag: u8,
    pub code: String,
    pub order_id: String,
    pub qualification_id: Option<u64>,
    pub letter_id: Option<u64>,
    pub third_party: bool,
    pub remark: String,
    pub apply_scene: String,
    pub trademark_id: Option<i64>,
    pub app_icp_record_id: Option<i64>,
    /// Suffixes of the proof files `AddSmsSign` / `ModifySmsSign` uploaded.
    pub files: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub review: Review,
}

impl Sign {
    fn size(&self) -> usize {
        let texts = [
            self.owner.as_str(),
            &self.name,
            &self.code,
            &self.order_id,
            &self.remark,
            &self.apply_scene,
        ];
        text_bytes(texts) + text_bytes(self.files.iter().map(String::as_str))
    }

    /// `BusinessType` of the list.
    fn business_type(&self) -> &'static str {
        if self.sign_type == 0 {
            "验证码类型"
        } else {
            "通用类型"
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

    fn file_urls(&self) -> Vec<String> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, suffix)| format!("{FILE_URL_BASE}{}/{}.{suffix}", self.code, i + 1))
            .collect()
    }
}

/// Whether two signature names are the same name.
pub(super) fn same_name(a: &str, b: &str, ignore_case: bool) -> bool {
    if ignore_case {
        a.to_lowercase() == b.to_lowercase()
    } else {
        a == b
    }
}

/// Signature names: 2 to 12 characters, Chinese characters, letters and digits only (no
/// brackets, spaces or punctuation), not only digits, no "test" or "测试".
fn valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (2..=12).contains(&count)
        && name.chars().all(char::is_alphanumeric)
        && !name.chars().all(|c| c.is_ascii_digit())
        && !name.to_lowercase().contains("test")
        && !name.contains("测试")
}

fn sign_code(order_id: &str, at: DateTime<Utc>) -> String {
    let tail: String = (0..5).map(|_| fastrand::alphanumeric()).collect();
    format!("SIGN_{order_id}_{}_{tail}", at.timestamp_millis())
}

fn seeded(owner: &str, name: &str, now: DateTime<Utc>) -> Sign {
    Sign {
        owner: owner.to_owned(),
        name: name.to_owned(),
        source: 0,
        sign_type: 1,
        tag: 2,
        code: sign_code("20000000000", now),
        order_id: "20000000000".to_owned(),
        qualification_id: None,
        letter_id: None,
        third_party: false,
        remark: String::new(),
        apply_scene: String::new(),
        trademark_id: None,
        app_icp_record_id: None,
        files: Vec::new(),
        created_at: now,
        review: Review::approved(now),
    }
}

/// [`accounts::SMS_TEST_SIGN_NAME`](crate::emulator::accounts::SMS_TEST_SIGN_NAME).
pub(super) fn seeded_test_sign(owner: &str, now: DateTime<Utc>) -> Sign {
    let mut sign = seeded(owner, crate::emulator::accounts::SMS_TEST_SIGN_NAME, now);
    sign.sign_type = 0;
    sign.tag = 4;
    sign
}

/// [`accounts::SMS_SAMPLE_SIGN_NAME`](crate::emulator::accounts::SMS_SAMPLE_SIGN_NAME).
pub(super) fn seeded_sample_sign(owner: &str, now: DateTime<Utc>) -> Sign {
    use crate::emulator::accounts;
    let mut sign = seeded(owner, accounts::SMS_SAMPLE_SIGN_NAME, now);
    sign.qualification_id = Some(accounts::SMS_SAMPLE_QUALIFICATION_ID);
    sign.letter_id = Some(accounts::SMS_SAMPLE_LETTER_ID);
    sign.third_party = true;
    sign
}

/// A refusal for a signature whose review state does not allow the change.
fn status_illegal(message: &str) -> ApiError {
    declared(400, "SMS_STATUS_ILLEGAL", message)
}

fn not_found() -> ApiError {
    declared(404, "SignatureNotFound", "The signature does not exist.")
}

/// `SignSource` 0 to 5 and `SignType` 0 or 1, when sent.
fn check_kinds(call: &Call<'_>) -> Result<(i64, i64), ApiError> {
    let source = int_param(call, "SignSource").unwrap_or_default();
    if !(0..=5).contains(&source) {
        return Err(invalid("SignSource", "expected 0 to 5"));
    }
    let sign_type = int_param(call, "SignType").unwrap_or(1);
    if !(0..=1).contains(&sign_type) {
        return Err(invalid("SignType", "expected 0 or 1"));
    }
    Ok((source, sign_type))
}

/// The suffixes of the `SignFileList.N.FileSuffix` entries (their contents are not kept).
fn file_suffixes(call: &Call<'_>) -> Vec<String> {
    (1..)
        .map_while(|i| {
            let suffix = call.request.param(&format!("SignFileList.{i}.FileSuffix"));
            let contents = call
                .request
                .param(&format!("SignFileList.{i}.FileContents"));
            (suffix.is_some() || contents.is_some()).then(|| suffix.unwrap_or("jpg").to_owned())
        })
        .collect()
}

/// What `CreateSmsSign` and `UpdateSmsSign` take, once checked.
struct Application {
    source: i64,
    sign_type: i64,
    qualification_id: u64,
    letter_id: Option<u64>,
}

impl Sms {
    pub(super) fn push_sign(&mut self, sign: Sign) {
        let size = sign.size();
        self.signs.push(sign, size);
    }

    /// The caller's signature of that name.
    pub(super) fn find_sign(&self, owner: &str, name: &str) -> Option<&Sign> {
        let ignore_case = self.options.sign_names_ignore_case;
        self.signs
            .iter()
            .find(|s| s.owner == owner && same_name(&s.name, name, ignore_case))
    }

    fn find_sign_mut(&mut self, owner: &str, name: &str) -> Option<&mut Sign> {
        let ignore_case = self.options.sign_names_ignore_case;
        self.signs
            .iter_mut()
            .find(|s| s.owner == owner && same_name(&s.name, name, ignore_case))
    }

    /// The checks `CreateSmsSign` and `UpdateSmsSign` share, after the gateway's: the name, the
    /// kinds, the qualification (the caller's, approved) and the letter (the caller's, covering
    /// the name, for the qualification's organization).
    fn check_application(&self, call: &Call<'_>, name: &str) -> Result<Application, ApiError> {
        if !valid_name(name) {
            return Err(declared(
                400,
                "InvalidSignName",
                "The signature cannot contain spaces, special symbols, or all numbers.",
            ));
        }
        let (source, sign_type) = check_kinds(call)?;
        let owner = owner(call);
        let qualification_id = int_param(call, "QualificationId")
            .and_then(|id| u64::try_from(id).ok())
            .unwrap_or_default();
        let Some(qualification) = self.qualification(owner, qualification_id) else {
            return Err(declared(
                404,
                "QualificationNotFound",
                "Qualification does not exist.",
            ));
        };
        if !qualification.review.is_approved() {
            return Err(declared(
                400,
                "InvalidQualification",
                "The qualification should be approved.",
            ));
        }
        // A negative id is no letter's.
        let letter_id = int_param(call, "AuthorizationLetterId")
            .map(|id| u64::try_from(id).unwrap_or(u64::MAX));
        if let Some(id) = letter_id {
            let Some(letter) = self.letter(owner, id) else {
                return Err(declared(
                    400,
                    "SmsAuthorizationLetterNotExist",
                    "Authorization does not belong to the customer.",
                ));
            };
            if !letter.signs.iter().any(|s| s == name) {
                return Err(declared(
                    400,
                    "SmsSignNotAuthorized",
                    "The signature is not within the scope of the letter of authorization.",
                ));
            }
            if letter.organization_code != qualification.organization_code() {
                return Err(declared(
                    400,
                    "SmsAuthorizationLetterNotMatch",
                    "The credit code of the letter of authorization differs from the qualification's.",
                ));
            }
        }
        Ok(Application {
            source,
            sign_type,
            qualification_id,
            letter_id,
        })
    }

    fn refuse_existing(&self, owner: &str, name: &str) -> Result<(), ApiError> {
        match self.find_sign(owner, name) {
            Some(_) => Err(declared(
                400,
                "SignName.Exists",
                "Sorry, this signature already exists and cannot be applied for again.",
            )),
            None => Ok(()),
        }
    }

    /// A fresh signature of the caller's, submitted for review now.
    fn new_sign(&mut self, call: &Call<'_>, name: &str) -> Sign {
        let order_id = self.order_id();
        Sign {
            owner: owner(call).to_owned(),
            name: name.to_owned(),
            source: 0,
            sign_type: 1,
            tag: 2,
            code: sign_code(&order_id, call.now),
            order_id,
            qualification_id: None,
            letter_id: None,
            third_party: false,
            remark: param(call, "Remark").unwrap_or_default().to_owned(),
            apply_scene: String::new(),
            trademark_id: None,
            app_icp_record_id: None,
            files: Vec::new(),
            created_at: call.now,
            review: self.submitted(call.now),
        }
    }

    /// Fills a signature from a `CreateSmsSign` / `UpdateSmsSign` request.
    fn fill_sign(sign: &mut Sign, call: &Call<'_>, application: Application) {
        sign.source = application.source;
        sign.sign_type = application.sign_type;
        sign.qualification_id = Some(application.qualification_id);
        sign.letter_id = application.letter_id;
        sign.third_party = super::bool_param(call, "ThirdParty").unwrap_or(false);
        sign.remark = param(call, "Remark").unwrap_or_default().to_owned();
        sign.apply_scene = param(call, "ApplySceneContent")
            .unwrap_or_default()
            .to_owned();
        sign.trademark_id = int_param(call, "TrademarkId");
        sign.app_icp_record_id = int_param(call, "AppIcpRecordId");
    }

    pub(super) fn create_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("CreateSmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let application = self.check_application(call, name)?;
        self.refuse_existing(owner(call), name)?;
        let mut sign = self.new_sign(call, name);
        Sms::fill_sign(&mut sign, call, application);
        let order_id = sign.order_id.clone();
        let approved = sign.review.is_approved();
        self.push_sign(sign);
        if approved {
            self.pass_letters_of(name);
        }
        ok(json!({ "SignName": name, "OrderId": order_id }))
    }

    pub(super) fn update_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("UpdateSmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let current = self.find_sign(owner(call), name).ok_or_else(not_found)?;
        refuse_unless_rejected(&current.review)?;
        let application = self.check_application(call, name)?;
        let order_id = self.order_id();
        let review = self.submitted(call.now);
        let approved = review.is_approved();
        if let Some(sign) = self.find_sign_mut(owner(call), name) {
            Sms::fill_sign(sign, call, application);
            sign.order_id = order_id.clone();
            sign.review = review;
        }
        if approved {
            self.pass_letters_of(name);
        }
        ok(json!({ "SignName": name, "OrderId": order_id }))
    }

    pub(super) fn add_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("AddSmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        if !valid_name(name) {
            return Err(isv("isv.SIGN_NAME_ILLEGAL", "签名名称不符合规范"));
        }
        let (source, sign_type) = check_kinds(call)?;
        self.refuse_existing(owner(call), name)?;
        let mut sign = self.new_sign(call, name);
        sign.source = source;
        sign.sign_type = sign_type;
        sign.files = file_suffixes(call);
        self.push_sign(sign);
        ok(json!({ "SignName": name }))
    }

    pub(super) fn modify_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("ModifySmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let current = self.find_sign(owner(call), name).ok_or_else(not_found)?;
        refuse_unless_rejected(&current.review)?;
        let (source, sign_type) = check_kinds(call)?;
        let review = self.submitted(call.now);
        let order_id = self.order_id();
        if let Some(sign) = self.find_sign_mut(owner(call), name) {
            sign.source = source;
            sign.sign_type = sign_type;
            sign.remark = param(call, "Remark").unwrap_or_default().to_owned();
            sign.files = file_suffixes(call);
            sign.order_id = order_id;
            sign.review = review;
        }
        ok(json!({ "SignName": name }))
    }

    pub(super) fn delete_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("DeleteSmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let owner = owner(call);
        let sign = self.find_sign(owner, name).ok_or_else(not_found)?;
        if sign.review.is_pending() {
            return Err(status_illegal(
                "A signature under review cannot be deleted.",
            ));
        }
        let ignore_case = self.options.sign_names_ignore_case;
        self.signs
            .retain(|s| !(s.owner == owner && same_name(&s.name, name, ignore_case)));
        ok(json!({ "SignName": name }))
    }

    pub(super) fn get_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("GetSmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let sign = self.find_sign(owner(call), name).ok_or_else(not_found)?;
        let mut audit = serde_json::Map::new();
        if let Some(at) = sign.review.decided_at {
            audit.insert("AuditDate".into(), json!(china_time(at)));
        }
        if let Some(reason) = sign.review.reason() {
            audit.insert("RejectInfo".into(), json!(reason));
        }
        let mut body = json!({
            "SignName": sign.name,
            "SignCode": sign.code,
            "SignStatus": sign.review.status_code(),
            "SignTag": sign.tag.to_string(),
            "SignUsage": sign.business_type(),
            "OrderId": sign.order_id,
            "CreateDate": china_time(sign.created_at),
            "AuditInfo": audit,
            "ThirdParty": sign.third_party,
            "Remark": sign.remark,
            "ApplyScene": sign.apply_scene,
            "FileUrlList": sign.file_urls(),
        });
        let extra = [
            ("QualificationId", sign.qualification_id.map(|v| json!(v))),
            ("AuthorizationLetterId", sign.letter_id.map(|v| json!(v))),
            ("TrademarkId", sign.trademark_id.map(|v| json!(v))),
            ("AppIcpRecordId", sign.app_icp_record_id.map(|v| json!(v))),
            (
                "AuthorizationLetterAuditPass",
                self.letter_passed(sign).map(|v| json!(v)),
            ),
        ];
        for (field, value) in extra {
            if let (Some(value), Some(map)) = (value, body.as_object_mut()) {
                map.insert(field.to_owned(), value);
            }
        }
        ok(body)
    }

    pub(super) fn query_sign(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsSign"), call.request)?;
        let name = param(call, "SignName").unwrap_or_default();
        let sign = self.find_sign(owner(call), name).ok_or_else(not_found)?;
        ok(json!({
            "SignName": sign.name,
            "SignStatus": sign.review.status_code(),
            "Reason": sign.review.remark(),
            "CreateDate": china_time(sign.created_at),
        }))
    }

    pub(super) fn query_sign_list(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsSignList"), call.request)?;
        let owner = owner(call);
        let mine: Vec<&Sign> = self.signs.iter().filter(|s| s.owner == owner).collect();
        let total = mine.len();
        let (shown, index, size) = requested_page(call, "PageIndex", mine);
        let items: Vec<Value> = shown
            .into_iter()
            .map(|s| {
                let mut item = json!({
                    "SignName": s.name,
                    "AuditStatus": s.review.audit_status(),
                    "BusinessType": s.business_type(),
                    "CreateDate": china_time(s.created_at),
                    "OrderId": s.order_id,
                    "Reason": s.reason(),
                });
                if let (Some(id), Some(map)) = (s.letter_id, item.as_object_mut()) {
                    map.insert("AuthorizationLetterId".into(), json!(id));
                    let passed = self.letter_passed(s).unwrap_or(false);
                    map.insert("authorizationLetterAuditPass".into(), json!(passed));
                }
                item
            })
            .collect();
        ok(json!({
            "SmsSignList": items,
            "TotalCount": total,
            "CurrentPage": index,
            "PageSize": size,
        }))
    }

    /// Whether the letter a signature cites is `PASSED` (`None` when it cites none).
    fn letter_passed(&self, sign: &Sign) -> Option<bool> {
        let id = sign.letter_id?;
        Some(
            self.letter(&sign.owner, id)
                .is_some_and(|l| l.review.is_approved()),
        )
    }
}

/// Only a rejected application may be changed; one in review may not be touched.
pub(super) fn refuse_unless_rejected(review: &Review) -> Result<(), ApiError> {
    if review.is_pending() {
        return Err(status_illegal(
            "The application is under review and cannot be modified.",
        ));
    }
    if !review.is_rejected() {
        return Err(status_illegal(
            "Only an application that failed review can be modified.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(valid_name("阿里云"));
        assert!(valid_name("Aliyun通信"));
        assert!(!valid_name("阿"));
        assert!(!valid_name("【阿里云】"));
        assert!(!valid_name("ali yun"));
        assert!(!valid_name("12345"));
        assert!(!valid_name("MyTestSign"));
        assert!(!valid_name("阿里云测试"));
        assert!(!valid_name("一二三四五六七八九十一二三"));
    }

    #[test]
    fn case_matters_unless_told_otherwise() {
        assert!(!same_name("Aliyun通信", "aliyun通信", false));
        assert!(same_name("Aliyun通信", "aliyun通信", true));
    }
}
