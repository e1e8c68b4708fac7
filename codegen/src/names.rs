//! Rust names from wire names.

/// Rust keywords that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "yield", "abstract", "become", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "try", "gen",
];

/// The words of a wire name: `SmsSendDetailDTOs` → `Sms`, `Send`, `Detail`, `DTOs`;
/// `queryResult` → `query`, `Result`; `MacCommandCIDs` → `Mac`, `Command`, `CIDs`;
/// `Sign_Name` → `Sign`, `Name`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        let prev = if current.is_empty() {
            None
        } else {
            current.chars().last()
        };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            None => false,
            Some(p) => {
                (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                    // The last capital of an acronym starts the next word (`DTOList` → DTO, List),
                    // unless it is followed by a plural `s` ending the word (`DTOs`).
                    || (c.is_ascii_uppercase()
                        && p.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase())
                        && !(next == Some('s')
                            && chars.get(i + 2).is_none_or(|a| !a.is_ascii_lowercase())))
            }
        };
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
        i += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, with `r#` before a keyword.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    raw_if_keyword(joined)
}

/// `snake_case` without the `r#` (for composing longer names).
pub fn snake_plain(name: &str) -> String {
    snake(name).trim_start_matches("r#").to_owned()
}

/// `PascalCase`: each word with its first letter capitalized, the rest kept
/// (`queryResult` → `QueryResult`, `SmsSendDetailDTO` → `SmsSendDetailDTO`).
pub fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

pub fn raw_if_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// An error code's variant name: `isv.BUSINESS_LIMIT_CONTROL` → `BusinessLimitControl`,
/// `InvalidTemplateContent.Format` → `InvalidTemplateContentFormat`,
/// `SignName.Exists` → `SignNameExists`.
pub fn code_variant(code: &str) -> String {
    let code = code
        .strip_prefix("isv.")
        .or_else(|| code.strip_prefix("isp."))
        .unwrap_or(code);
    code.split(['.', '_', '-'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let all_caps = part.chars().all(|c| !c.is_ascii_lowercase());
            let mut chars = part.chars();
            let first = chars.next().unwrap().to_ascii_uppercase();
            let rest: String = if all_caps {
                chars.as_str().to_ascii_lowercase()
            } else {
                chars.as_str().to_owned()
            };
            format!("{first}{rest}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_rust_names() {
        assert_eq!(snake("SmsSendDetailDTOs"), "sms_send_detail_dtos");
        assert_eq!(snake("SmsSendDetailDTO"), "sms_send_detail_dto");
        assert_eq!(snake("queryResult"), "query_result");
        assert_eq!(snake("MacCommandCIDs"), "mac_command_cids");
        assert_eq!(snake("FreqBandPlanGroupId"), "freq_band_plan_group_id");
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("OrderId"), "order_id");
        assert_eq!(snake("GwEuiList"), "gw_eui_list");
        assert_eq!(snake("OAuthCode"), "o_auth_code");
        assert_eq!(snake("RxDelay"), "rx_delay");
        assert_eq!(snake("ICPRecordId"), "icp_record_id");
        assert_eq!(snake("Sum1"), "sum1");
        assert_eq!(pascal("queryResult"), "QueryResult");
        assert_eq!(pascal("model"), "Model");
        assert_eq!(
            code_variant("isv.BUSINESS_LIMIT_CONTROL"),
            "BusinessLimitControl"
        );
        assert_eq!(code_variant("SignName.Exists"), "SignNameExists");
        assert_eq!(code_variant("Throttling.User"), "ThrottlingUser");
        assert_eq!(
            code_variant("InvalidTemplateContent.Format"),
            "InvalidTemplateContentFormat"
        );
    }
}
