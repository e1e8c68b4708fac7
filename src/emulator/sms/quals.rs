//! Qualifications: `SubmitSmsQualification`, `QuerySmsQualificationRecord`,
//! `QuerySingleSmsQualification`. A qualification waits in review until the test decides;
//! `CreateSmsSign` needs an approved one.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::audit::{AuditState, Review};
use super::{business, china_time, int_param, owner, param, requested_page, spec, text_bytes, Sms};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiResult, Call};

/// The first qualification id handed out.
pub(super) const FIRST_QUALIFICATION_ID: u64 = 200_000_001;
/// A qualification's review ticket is its id plus this.
const WORK_ORDER_OFFSET: u64 = 100_000_000;
/// The organization code of the seeded qualification and letter.
pub(super) const SAMPLE_ORGANIZATION_CODE: &str = "91330106MA27XF6M8E";
/// Where the answers say uploaded files are.
const FILE_URL_BASE: &str = "https://dysms-qualification.oss-cn-zhangjiakou.aliyuncs.com/";

/// The submitted texts kept and answered back by `QuerySingleSmsQualification`, by wire name.
const KEPT: &[&str] = &[
    "AdminIDCardExpDate",
    "AdminIDCardFrontFace",
    "AdminIDCardNo",
    "AdminIDCardPic",
    "AdminIDCardType",
    "AdminName",
    "AdminPhoneNo",
    "BussinessLicenseExpDate",
    "CompanyName",
    "CompanyType",
    "LegalPersonIDCardNo",
    "LegalPersonIDCardType",
    "LegalPersonIdCardEffTime",
    "LegalPersonName",
    "OrganizationCode",
    "Remark",
];

/// A stored qualification.
#[derive(Debug, Clone)]
pub(super) struct Qualification {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub use_by_self: bool,
    pub whether_share: bool,
    pub created_at: DateTime<Utc>,
    /// The texts of [`KEPT`] that were sent.
    pub fields: BTreeMap<&'static str, String>,
    /// `BusinessLicensePics`: (file key, type).
    pub license_pics: Vec<(String, String)>,
    /// `OtherFiles`: file keys.
    pub other_files: Vec<String>,
    pub review: Review,
}

impl Qualification {
    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    pub fn organization_code(&self) -> &str {
        self.field("OrganizationCode")
    }

    fn work_order_id(&self) -> u64 {
        self.id + WORK_ORDER_OFFSET
    }

    fn size(&self) -> usize {
        let pics = self.license_pics.iter().flat_map(|(k, t)| [k.as_str(), t]);
        text_bytes([self.owner.as_str(), &self.name])
            + text_bytes(self.fields.values().map(String::as_str))
            + text_bytes(pics)
            + text_bytes(self.other_files.iter().map(String::as_str))
    }

    /// `StateName` of the record list.
    fn state_name(&self) -> &'static str {
        match self.review.state {
            AuditState::Pending => "INIT",
            AuditState::Approved => "PASS",
            AuditState::Rejected { .. } => "NOT_PASS",
            AuditState::Withdrawn => "CANCEL",
        }
    }

    /// `State` of the single query.
    fn single_state(&self) -> &'static str {
        match self.review.state {
            AuditState::Pending => "INT",
            AuditState::Approved => "PASSED",
            AuditState::Rejected { .. } => "FAILED",
            AuditState::Withdrawn => "CANCELED",
        }
    }
}

/// [`accounts::SMS_SAMPLE_QUALIFICATION_ID`](crate::emulator::accounts::SMS_SAMPLE_QUALIFICATION_ID).
pub(super) fn seeded(owner: &str, now: DateTime<Utc>) -> Qualification {
    let fields = [
        ("AdminIDCardExpDate", "2099-12-31"),
        ("AdminIDCardNo", "110101199001011234"),
        ("AdminIDCardType", "identityCard"),
        ("AdminName", "张三"),
        ("AdminPhoneNo", "13800000000"),
        ("BussinessLicenseExpDate", "2099-12-31"),
        ("CompanyName", "示例科技有限公司"),
        ("CompanyType", "COMPANY"),
        ("LegalPersonIDCardNo", "110101199001011234"),
        ("LegalPersonIDCardType", "identityCard"),
        ("LegalPersonIdCardEffTime", "2099-12-31"),
        ("LegalPersonName", "张三"),
        ("OrganizationCode", SAMPLE_ORGANIZATION_CODE),
    ];
    Qualification {
        id: crate::emulator::accounts::SMS_SAMPLE_QUALIFICATION_ID,
        owner: owner.to_owned(),
        name: "示例资质".to_owned(),
        use_by_self: false,
        whether_share: true,
        created_at: now,
        fields: fields.into_iter().map(|(k, v)| (k, v.to_owned())).collect(),
        license_pics: vec![("123456/license.jpg".to_owned(), "licenseA".to_owned())],
        other_files: Vec::new(),
        review: Review::approved(now),
    }
}

/// Qualification names: Chinese characters or letters, optionally with digits; no symbols, not
/// only digits.
fn valid_name(name: &str) -> bool {
    name.chars().all(char::is_alphanumeric) && !name.chars().all(|c| c.is_ascii_digit())
}

/// The objects of a JSON list parameter (its type was checked before).
fn objects(call: &Call<'_>, name: &str) -> Vec<Map<String, Value>> {
    let list: Vec<Value> = param(call, name)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    list.into_iter()
        .filter_map(|v| match v {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .collect()
}

fn text_of(object: &Map<String, Value>, name: &str) -> String {
    match object.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

impl Sms {
    pub(super) fn push_qualification(&mut self, qualification: Qualification) {
        let size = qualification.size();
        self.quals.push(qualification, size);
    }

    /// The caller's qualification `id`.
    pub(super) fn qualification(&self, owner: &str, id: u64) -> Option<&Qualification> {
        self.quals.iter().find(|q| q.owner == owner && q.id == id)
    }

    pub(super) fn submit_qualification(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("SubmitSmsQualification"), call.request)?;
        let owner = owner(call);
        let name = param(call, "QualificationName").unwrap_or_default();
        if !valid_name(name) {
            return Err(business(
                "QualificationNameNotMatchRegex",
                "Qualification names must be in Chinese, English, or alphanumeric combinations. Symbols or pure numbers are not supported.",
            ));
        }
        let mine = || self.quals.iter().filter(|q| q.owner == owner);
        if mine().any(|q| q.name == name) {
            return Err(business(
                "QualificationNameAlreadyExist",
                "The qualification name already exists. Please modify and resubmit.",
            ));
        }
        let company = param(call, "CompanyName").unwrap_or_default();
        let admin = param(call, "AdminIDCardNo").unwrap_or_default();
        if mine().any(|q| q.field("CompanyName") == company && q.field("AdminIDCardNo") == admin) {
            return Err(business(
                "SameQualificationGroupError",
                "A qualification for the same company and administrator already exists.",
            ));
        }
        let fields = KEPT
            .iter()
            .filter_map(|k| Some((*k, param(call, k)?.to_owned())))
            .collect();
        let license_pics = objects(call, "BusinessLicensePics")
            .iter()
            .map(|o| (text_of(o, "LicensePic"), text_of(o, "Type")))
            .collect();
        let other_files = objects(call, "OtherFiles")
            .iter()
            .map(|o| text_of(o, "LicensePic"))
            .collect();
        let id = self.next_qualification_id;
        self.next_qualification_id += 1;
        let review = self.submitted(call.now);
        self.push_qualification(Qualification {
            id,
            owner: owner.to_owned(),
            name: name.to_owned(),
            use_by_self: super::bool_param(call, "UseBySelf").unwrap_or(true),
            whether_share: super::bool_param(call, "WhetherShare").unwrap_or(false),
            created_at: call.now,
            fields,
            license_pics,
            other_files,
            review,
        });
        Ok(success(json!(id.to_string())))
    }

    pub(super) fn query_qualification_records(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsQualificationRecord"), call.request)?;
        let owner = owner(call);
        let contains =
            |name: &str, value: &str| param(call, name).is_none_or(|v| value.contains(v));
        let state = param(call, "State");
        let use_by_self = super::bool_param(call, "UseBySelf");
        let work_order = int_param(call, "WorkOrderId");
        let matching: Vec<&Qualification> = self
            .quals
            .iter()
            .filter(|q| q.owner == owner)
            .filter(|q| contains("CompanyName", q.field("CompanyName")))
            .filter(|q| contains("LegalPersonName", q.field("LegalPersonName")))
            .filter(|q| contains("QualificationGroupName", &q.name))
            .filter(|q| state.is_none_or(|s| q.state_name() == s))
            .filter(|q| use_by_self.is_none_or(|u| q.use_by_self == u))
            .filter(|q| work_order.is_none_or(|w| i64::try_from(q.work_order_id()) == Ok(w)))
            .collect();
        let total = matching.len();
        let (shown, page_no, page_size) = requested_page(call, "PageNo", matching);
        let list: Vec<Value> = shown
            .into_iter()
            .map(|q| {
                json!({
                    "GroupId": q.id,
                    "QualificationGroupName": q.name,
                    "CompanyName": q.field("CompanyName"),
                    "LegalPersonName": q.field("LegalPersonName"),
                    "WorkOrderId": q.work_order_id(),
                    "StateName": q.state_name(),
                    "UseBySelf": q.use_by_self.to_string(),
                    "CreateDate": china_time(q.created_at),
                    "AuditTime": q.review.decided_at.map(china_time).unwrap_or_default(),
                    "AuditRemark": q.review.reason().unwrap_or_default(),
                })
            })
            .collect();
        Ok(success(json!({
            "List": list,
            "PageNo": page_no,
            "PageSize": page_size,
            "Total": total,
        })))
    }

    pub(super) fn query_single_qualification(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySingleSmsQualification"), call.request)?;
        let id = int_param(call, "QualificationGroupId").unwrap_or_default();
        let found = u64::try_from(id)
            .ok()
            .and_then(|id| self.qualification(owner(call), id));
        let Some(q) = found else {
            return Err(business(
                "QualificationNotExist",
                "The qualification does not exist.",
            ));
        };
        let mut data = Map::new();
        for (name, value) in &q.fields {
            let wire = match *name {
                "BussinessLicenseExpDate" => "EffTimeStr",
                other => other,
            };
            data.insert(wire.to_owned(), json!(value));
        }
        let pics: Vec<Value> = q
            .license_pics
            .iter()
            .map(|(key, kind)| {
                json!({ "LicensePic": key, "PicUrl": format!("{FILE_URL_BASE}{key}"), "Type": kind })
            })
            .collect();
        let others: Vec<Value> = q
            .other_files
            .iter()
            .map(|key| json!({ "LicensePic": key, "PicUrl": format!("{FILE_URL_BASE}{key}") }))
            .collect();
        data.insert("BusinessLicensePics".into(), Value::Array(pics));
        data.insert("OtherFiles".into(), Value::Array(others));
        data.insert("QualificationGroupId".into(), json!(q.id));
        data.insert("QualificationName".into(), json!(q.name));
        data.insert("WorkOrderId".into(), json!(q.work_order_id()));
        data.insert("State".into(), json!(q.single_state()));
        data.insert("UseBySelf".into(), json!(q.use_by_self));
        data.insert("WhetherShare".into(), json!(q.whether_share));
        Ok(success(Value::Object(data)))
    }
}

/// `{"Code":"OK","Message":"OK","Success":true,"Data":…}`.
fn success(data: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("Code".into(), json!("OK"));
    body.insert("Message".into(), json!("OK"));
    body.insert("Success".into(), json!(true));
    body.insert("Data".into(), data);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_letters_and_digits_not_only_digits() {
        assert!(valid_name("示例资质"));
        assert!(valid_name("qualification2"));
        assert!(!valid_name("2024"));
        assert!(!valid_name("a-b"));
        assert!(!valid_name("a b"));
    }
}
