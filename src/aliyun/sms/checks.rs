//! Checks of Dysmsapi parameters that a length or a range cannot express, called by the
//! generated builders where the overlay names them.

use chrono::NaiveDate;

use crate::request::Invalid;

/// `AuthorizationLetterExpDate`: `YYYY-MM-DD~YYYY-MM-DD` with real dates, the first not
/// after the second.
pub(crate) fn letter_validity(parameter: &'static str, period: &str) -> Result<(), Invalid> {
    let invalid = |why: &str| {
        Invalid::new(
            parameter,
            format!("must be `YYYY-MM-DD~YYYY-MM-DD` ({why}), got {period:?}"),
        )
    };
    let (from, to) = period
        .split_once('~')
        .ok_or_else(|| invalid("no `~` between the dates"))?;
    let date = |s: &str| {
        if s.len() != 10 {
            return None;
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    };
    let (Some(from), Some(to)) = (date(from), date(to)) else {
        return Err(invalid("not two valid dates"));
    };
    if from > to {
        return Err(invalid("the period ends before it starts"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_must_be_two_ordered_dates() {
        let check = |p| letter_validity("AuthorizationLetterExpDate", p);
        assert!(check("2023-01-01~2026-01-01").is_ok());
        assert!(check("2023-01-01~2023-01-01").is_ok());
        for bad in [
            "2023-01-01",
            "2023-1-1~2026-01-01",
            "2023-02-30~2026-01-01",
            "2026-01-01~2023-01-01",
            "2023-01-01 ~ 2026-01-01",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
