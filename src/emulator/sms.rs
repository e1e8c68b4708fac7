//! Dysmsapi: letters of authorization (CreateSmsAuthorizationLetter).

use chrono::{FixedOffset, NaiveDate};
use serde_json::{json, Map, Value};

use super::gateway::{ApiError, ApiResult, Call, Shape};
use super::generic::Handler;
use super::limits::{Bounded, MAX_LETTERS};

/// The Dysmsapi actions with state of their own: answered by these handlers, not by the
/// generic layer (which checks and answers every other modeled action).
pub(crate) const STATEFUL: &[(&str, Handler)] =
    &[("CreateSmsAuthorizationLetter", |state, call| {
        state.sms.create_letter(call)
    })];

/// The first letter id handed out.
const FIRST_LETTER_ID: u64 = 100_000_001;
/// Most signatures one letter may authorize.
const MAX_SIGNS: usize = 100;
/// Longest letter name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Longest authorizer / authorized party, in characters (the request parameter table's limit;
/// the error table's message says 1000).
const MAX_PARTY_CHARS: usize = 150;
/// Longest organization code, in characters.
const MAX_ORGANIZATION_CODE_CHARS: usize = 150;

/// A stored letter of authorization.
#[derive(Debug, Clone)]
struct Letter {
    owner: String,
    name: String,
}

/// Dysmsapi's state.
#[derive(Debug)]
pub(crate) struct Sms {
    /// The letters, at most [`MAX_LETTERS`], the oldest forgotten first (its name may then be
    /// used again).
    letters: Bounded<Letter>,
    next_id: u64,
}

impl Default for Sms {
    fn default() -> Self {
        Sms {
            letters: Bounded::new(MAX_LETTERS, usize::MAX),
            next_id: FIRST_LETTER_ID,
        }
    }
}

impl Sms {
    fn create_letter(&mut self, call: &Call<'_>) -> ApiResult {
        // Parameters the gateway requires (absent → MissingParameter). An empty value of a
        // parameter with its own format rule fails that rule instead.
        let param = |name: &'static str| {
            call.request
                .param(name)
                .ok_or_else(|| ApiError::missing(name))
        };
        let pic = param("AuthorizationLetterPic")?;
        let signs = sign_list(call)?;
        let exp_date = param("AuthorizationLetterExpDate")?;
        let authorization = param("Authorization")?;
        let organization_code = call.required("OrganizationCode")?;
        let proxy = param("ProxyAuthorization")?;
        let name = param("AuthorizationLetterName")?;

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
        let today = match FixedOffset::east_opt(8 * 3600) {
            Some(china) => call.now.with_timezone(&china).date_naive(),
            None => call.now.date_naive(),
        };
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
        let owner = call.caller.aliyun_id;
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

        let id = self.next_id;
        self.next_id += 1;
        // Names are at most MAX_NAME_CHARS characters, so a letter's size needs no budget.
        self.letters.push(
            Letter {
                owner: owner.to_owned(),
                name: name.to_owned(),
            },
            0,
        );
        let mut body = Map::new();
        body.insert("AccessDeniedDetail".into(), json!("无"));
        body.insert("Message".into(), json!("OK"));
        body.insert("Data".into(), json!(id.to_string()));
        body.insert("Code".into(), json!("OK"));
        body.insert("Success".into(), json!(true));
        Ok(body)
    }
}

/// A Dysmsapi business rule failure: HTTP 400, `{"RequestId","Code","Message","Success":false}`.
fn business(code: &'static str, message: &str) -> ApiError {
    ApiError {
        status: 400,
        code,
        message: message.to_owned(),
        shape: Shape::Business,
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
