//! Letters of authorization: `CreateSmsAuthorizationLetter`, `QuerySmsAuthorizationLetter`.
//! A letter is `INT` until a signature that cites it is approved (or
//! [`Emulator::approve_letter`](crate::emulator::Emulator::approve_letter)), then `PASSED`;
//! `VALID` while today (China time, services' clock) is within its period, else `INVALID`.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::audit::Review;
use super::{business, china, owner, param, spec, text_bytes, Sms};
use crate::emulator::checks;
use crate::emulator::gateway::{ApiError, ApiResult, Call};

/// The first letter id handed out.
pub(super) const FIRST_LETTER_ID: u64 = 100_000_001;
/// Most signatures one letter may authorize.
const MAX_SIGNS: usize = 100;
/// Longest letter name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Longest authorizer / authorized party, in characters (the request parameter table's limit;
/// the error table's message says 1000).
const MAX_PARTY_CHARS: usize = 150;
/// Longest organization code, in characters.
const MAX_ORGANIZATION_CODE_CHARS: usize = 150;
/// Where the answers say the uploaded letters are.
const PIC_URL_BASE: &str = "https://dysms-qualification.oss-cn-zhangjiakou.aliyuncs.com/";

/// A stored letter of authorization.
#[derive(Debug, Clone)]
pub(super) struct Letter {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub authorization: String,
    pub proxy: String,
    pub organization_code: String,
    /// `YYYY-MM-DD~YYYY-MM-DD` as given, and its bounds.
    pub period: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub pic: String,
    pub signs: Vec<String>,
    /// `INT` (pending) or `PASSED` (approved).
    pub review: Review,
}

impl Letter {
    fn size(&self) -> usize {
        let texts = [
            self.owner.as_str(),
            &self.name,
            &self.authorization,
            &self.proxy,
            &self.organization_code,
            &self.period,
            &self.pic,
        ];
        text_bytes(texts) + text_bytes(self.signs.iter().map(String::as_str))
    }

    /// `VALID` while `today` is within the period (bounds included), else `INVALID`.
    fn status(&self, now: DateTime<Utc>) -> &'static str {
        let today = china(now).date_naive();
        if self.start <= today && today <= self.end {
            "VALID"
        } else {
            "INVALID"
        }
    }

    fn state(&self) -> &'static str {
        if self.review.is_approved() {
            "PASSED"
        } else {
            "INT"
        }
    }

    fn item(&self, now: DateTime<Utc>) -> Value {
        json!({
            "AuthorizationLetterId": self.id,
            "AuthorizationLetterName": self.name,
            "Authorization": self.authorization,
            "ProxyAuthorization": self.proxy,
            "OrganizationCode": self.organization_code,
            "AuthorizationLetterExpDate": self.period,
            "AuthorizationLetterPic": format!("{PIC_URL_BASE}{}", self.pic),
            "SignScope": self.signs.join("、"),
            "State": self.state(),
            "Status": self.status(now),
        })
    }
}

/// [`accounts::SMS_SAMPLE_LETTER_ID`](crate::emulator::accounts::SMS_SAMPLE_LETTER_ID).
pub(super) fn seeded(owner: &str) -> Letter {
    use crate::emulator::accounts;
    Letter {
        id: accounts::SMS_SAMPLE_LETTER_ID,
        owner: owner.to_owned(),
        name: "示例授权书".to_owned(),
        authorization: "示例科技有限公司".to_owned(),
        proxy: "示例代理有限公司".to_owned(),
        organization_code: super::quals::SAMPLE_ORGANIZATION_CODE.to_owned(),
        period: "2024-01-01~2099-12-31".to_owned(),
        start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
        end: NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or_default(),
        pic: "123456/letter.jpg".to_owned(),
        signs: vec![accounts::SMS_SAMPLE_SIGN_NAME.to_owned()],
        review: Review {
            state: super::AuditState::Approved,
            decided_at: None,
        },
    }
}

impl Sms {
    pub(super) fn push_letter(&mut self, letter: Letter) {
        let size = letter.size();
        self.letters.push(letter, size);
    }

    /// The caller's letter `id`.
    pub(super) fn letter(&self, owner: &str, id: u64) -> Option<&Letter> {
        self.letters.iter().find(|l| l.owner == owner && l.id == id)
    }

    /// Passes (`INT` → `PASSED`) the letters cited by approved signatures named `name`.
    pub(super) fn pass_letters_of(&mut self, name: &str) {
        let ignore_case = self.options.sign_names_ignore_case;
        let cited: Vec<(String, u64, Option<DateTime<Utc>>)> = self
            .signs
            .iter()
            .filter(|s| s.review.is_approved())
            .filter(|s| super::signs::same_name(&s.name, name, ignore_case))
            .filter_map(|s| Some((s.owner.clone(), s.letter_id?, s.review.decided_at)))
            .collect();
        for (owner, id, at) in cited {
            for letter in self.letters.iter_mut() {
                if letter.owner == owner && letter.id == id && letter.review.is_pending() {
                    letter.review = Review {
                        state: super::AuditState::Approved,
                        decided_at: at,
                    };
                }
            }
        }
    }

    pub(super) fn create_letter(&mut self, call: &Call<'_>) -> ApiResult {
        // Every required parameter present (`Missing<Name>`, as the generic layer answers);
        // `SignList` may come flat (`SignList.1`, ...) too.
        let flat = call
            .request
            .params
            .keys()
            .any(|k| k.starts_with("SignList."));
        let skip: &[&str] = if flat { &["SignList"] } else { &[] };
        checks::check_required(spec("CreateSmsAuthorizationLetter"), call.request, skip)?;
        let required =
            |name: &'static str| param(call, name).ok_or_else(|| ApiError::missing(name));
        let pic = required("AuthorizationLetterPic")?;
        let signs = sign_list(call)?;
        let exp_date = required("AuthorizationLetterExpDate")?;
        let authorization = required("Authorization")?;
        let organization_code = required("OrganizationCode")?;
        let proxy = required("ProxyAuthorization")?;
        let name = required("AuthorizationLetterName")?;
        let name_chars = name.chars().count();
        if name_chars > MAX_NAME_CHARS {
            return Err(business(
                "AuthorizationLetterNameOverLimit",
                "The authorization letter name exceeds the 100-character length limit.",
            ));
        }
        if !valid_letter_name(name) {
            return Err(business(
                "AuthorizationLetterNameNotMatchRegex",
                "The authorization letter name cannot be empty and must consist of Chinese, English characters or a combination with numbers, symbols or purely numeric input are not supported.",
            ));
        }
        let Some((start, end)) = parse_period(exp_date) else {
            return Err(business(
                "AuthorizationLetterDateNotMatchRegex",
                "The format of the authorization letter's effective and expiry date is incorrect.",
            ));
        };
        // "Today" in China, where the service runs.
        let today = china(call.now).date_naive();
        if today < start || today > end {
            return Err(business(
                "AuthorizationLetterDateNotValid",
                "The current time is not within the validity period of the authorization letter.",
            ));
        }
        if authorization.chars().count() > MAX_PARTY_CHARS {
            return Err(business(
                "AuthorizationOverLimit",
                "The authorizer exceeds the 1000-character length limit.",
            ));
        }
        if !valid_party(authorization) {
            return Err(business(
                "AuthorizationNotMatchRegex",
                "The authorizer name cannot be empty and currently does not support any symbols except middle dots, spaces, Chinese brackets, and English parentheses or purely numeric input.",
            ));
        }
        if proxy.chars().count() > MAX_PARTY_CHARS {
            return Err(business(
                "ProxyAuthorizationOverLimit",
                "The authorized party exceeds the 1000-character length limit.",
            ));
        }
        if !valid_party(proxy) {
            return Err(business(
                "ProxyAuthorizationNotMatchRegex",
                "The authorized party name currently does not support any symbols except middle dots, spaces, Chinese brackets, and English parentheses or purely numeric input.",
            ));
        }
        if organization_code.chars().count() > MAX_ORGANIZATION_CODE_CHARS {
            return Err(business(
                "OrganizationCodeOverLimit",
                "The organization code is limited to 150 characters.",
            ));
        }
        if signs.len() > MAX_SIGNS {
            return Err(business(
                "SignNumOverLimit",
                "The signature exceeds the limit of 100 entries.",
            ));
        }
        if signs.is_empty() || !signs.iter().all(|s| valid_sign(s)) {
            return Err(business(
                "SignNotMatchRegex",
                "The signature length is limited to 2-12 characters and does not support some special characters.",
            ));
        }
        if !looks_like_file_key(pic) {
            return Err(business(
                "AuthorizationOssFileNotUploadError",
                "The authorization letter file has not been uploaded.",
            ));
        }
        let owner = owner(call);
        if self
            .letters
            .iter()
            .any(|l| l.owner == owner && l.name == name)
        {
            return Err(business(
                "AuthorizationLetterNameRepeat",
                "The authorization letter name is duplicated.",
            ));
        }

        let id = self.next_letter_id;
        self.next_letter_id += 1;
        let review = self.submitted(call.now);
        self.push_letter(Letter {
            id,
            owner: owner.to_owned(),
            name: name.to_owned(),
            authorization: authorization.to_owned(),
            proxy: proxy.to_owned(),
            organization_code: organization_code.to_owned(),
            period: exp_date.to_owned(),
            start,
            end,
            pic: pic.to_owned(),
            signs,
            review,
        });
        let mut body = Map::new();
        body.insert("AccessDeniedDetail".into(), json!("无"));
        body.insert("Message".into(), json!("OK"));
        body.insert("Data".into(), json!(id.to_string()));
        body.insert("Code".into(), json!("OK"));
        body.insert("Success".into(), json!(true));
        Ok(body)
    }

    pub(super) fn query_letters(&mut self, call: &Call<'_>) -> ApiResult {
        checks::check(spec("QuerySmsAuthorizationLetter"), call.request)?;
        let ids: Option<Vec<u64>> = param(call, "AuthorizationLetterIdList").map(|list| {
            serde_json::from_str::<Vec<Value>>(list)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect()
        });
        let organization_code = param(call, "OrganizationCode");
        let sign_name = param(call, "SignName");
        let state = param(call, "State");
        let status = param(call, "Status");
        let owner = owner(call);
        let data: Vec<Value> = self
            .letters
            .iter()
            .filter(|l| l.owner == owner)
            .filter(|l| ids.as_ref().is_none_or(|ids| ids.contains(&l.id)))
            .filter(|l| organization_code.is_none_or(|c| l.organization_code == c))
            .filter(|l| sign_name.is_none_or(|n| l.signs.iter().any(|s| s == n)))
            .filter(|l| state.is_none_or(|s| l.state() == s))
            .filter(|l| status.is_none_or(|s| l.status(call.now) == s))
            .map(|l| l.item(call.now))
            .collect();
        let mut body = Map::new();
        body.insert("Code".into(), json!("OK"));
        body.insert("Message".into(), json!("OK"));
        body.insert("Success".into(), json!(true));
        body.insert("Data".into(), Value::Array(data));
        Ok(body)
    }
}

/// The signatures: `SignList` holding a JSON array of strings (the documented `json` style), or,
/// leniently, the flat `SignList.1`, `SignList.2`, ... style.
fn sign_list(call: &Call<'_>) -> Result<Vec<String>, ApiError> {
    if let Some(raw) = call.request.param("SignList") {
        return match serde_json::from_str::<Value>(raw) {
            Ok(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(invalid_sign_list()),
                })
                .collect(),
            _ => Err(invalid_sign_list()),
        };
    }
    let mut flat: Vec<(u32, String)> = call
        .request
        .params
        .iter()
        .filter_map(|(name, value)| {
            let index = name.strip_prefix("SignList.")?.parse::<u32>().ok()?;
            Some((index, value.clone()))
        })
        .collect();
    if flat.is_empty() {
        return Err(ApiError::missing("SignList"));
    }
    flat.sort_by_key(|(index, _)| *index);
    Ok(flat.into_iter().map(|(_, value)| value).collect())
}

fn invalid_sign_list() -> ApiError {
    ApiError::bad_request(
        "InvalidParameter",
        "The specified parameter \"SignList\" is not valid: expected a JSON array of strings.",
    )
}

/// Letter names: Chinese characters or letters, optionally with digits; no symbols, not only digits.
fn valid_letter_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(char::is_alphanumeric)
        && !name.chars().all(|c| c.is_ascii_digit())
}

/// Authorizer and authorized party: letters and digits plus middle dot, space and parentheses
/// (Chinese or English); not empty, not only digits.
fn valid_party(party: &str) -> bool {
    !party.trim().is_empty()
        && party
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '·' | ' ' | '(' | ')' | '（' | '）'))
        && !party.chars().all(|c| c.is_ascii_digit())
}

/// A signature: 2 to 12 characters, letters and digits only (no 【】, (), [], punctuation), and
/// not a test signature.
fn valid_sign(sign: &str) -> bool {
    let count = sign.chars().count();
    let lower = sign.to_lowercase();
    (2..=12).contains(&count)
        && sign.chars().all(char::is_alphanumeric)
        && !lower.contains("test")
        && !sign.contains("测试")
}

/// `YYYY-MM-DD~YYYY-MM-DD`, both real dates.
fn parse_period(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (start, end) = value.split_once('~')?;
    Some((parse_date(start)?, parse_date(end)?))
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// A file key as the upload returns it, e.g. `123456/test1719383196031.jpg`: a file name with an
/// extension of 1 to 5 letters or digits.
fn looks_like_file_key(key: &str) -> bool {
    let file = key.rsplit('/').next().unwrap_or_default();
    match file.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && !key.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_rules() {
        assert!(valid_sign("菜鸟网络"));
        assert!(valid_sign("abc"));
        assert!(!valid_sign("菜"));
        assert!(!valid_sign("【菜鸟】"));
        assert!(!valid_sign("a(b)"));
        assert!(!valid_sign("一二三四五六七八九十一二三"));
        assert!(!valid_sign("MyTest"));
    }

    #[test]
    fn name_and_party_rules() {
        assert!(valid_letter_name("菜鸟公司授权书"));
        assert!(valid_letter_name("letter2024"));
        assert!(!valid_letter_name("2024"));
        assert!(!valid_letter_name("a-b"));
        assert!(valid_party("支付宝(中国)网络技术有限公司"));
        assert!(valid_party("张·三 （北京）"));
        assert!(!valid_party("菜鸟@网络"));
        assert!(!valid_party("12345"));
    }

    #[test]
    fn periods_and_file_keys() {
        assert!(parse_period("2023-01-01~2026-01-01").is_some());
        assert!(parse_period("2023-1-01~2026-01-01").is_none());
        assert!(parse_period("2023-02-30~2026-01-01").is_none());
        assert!(parse_period("2023-01-01").is_none());
        assert!(looks_like_file_key("123456/test1719383196031.jpg"));
        assert!(!looks_like_file_key("123456/test"));
        assert!(!looks_like_file_key(""));
    }
}
