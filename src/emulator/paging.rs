//! Paging of the generic layer: which actions page (read from the model as the client's
//! generator reads it), and which page of a seeded collection a request asks for.
//!
//! Every listing answers from a collection of [`COLLECTION_SIZE`] items that is the same for
//! the same action and filters (every parameter but the cursor and the page size), so a walk
//! with a page size of 2 or 3 takes several pages and ends on a short one.

use std::collections::BTreeMap;

use super::gateway::ApiError;
use super::model::{Kind, PagingOverlay, ParamSpec, TypeNode};
use super::synth::mix;

/// How many items every generic listing holds.
pub(crate) const COLLECTION_SIZE: u64 = 7;
/// The names of a page number, in requests and answers.
const PAGE_NUMBERS: &[&str] = &["PageNumber", "PageIndex", "CurrentPage", "PageNo"];
/// The page size when a request does not give one.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 10;

/// How a listing says where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CursorKind {
    /// An item offset from 0 (`Offset` with `Limit`).
    Offset,
    /// A page number from 1 (`PageNumber`, `PageIndex`, `CurrentPage`, `PageNo` with `PageSize`).
    Page,
    /// A continuation token (`NextToken`, with `MaxResults` or `PageSize`).
    Token,
}

/// How an action pages: its parameters and where its answer holds the items, the total and
/// the next token (each a path of wire field names from the answer's root).
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    pub cursor: CursorKind,
    pub cursor_param: String,
    pub size_param: Option<String>,
    pub items: Vec<String>,
    pub total: Option<Vec<String>>,
    pub next_token: Option<Vec<String>>,
}

impl Paging {
    /// Whether a parameter is the cursor or the page size (not a filter).
    pub fn is_paging_param(&self, name: &str) -> bool {
        name == self.cursor_param || self.size_param.as_deref() == Some(name)
    }
}

/// Reads an action's paging from its parameters and answer, as the client's generator does:
/// `Offset` + `Limit`; a page number + `PageSize`; `NextToken` (+ `MaxResults` or
/// `PageSize`). The items are the answer's only list of objects (through objects, not inside
/// lists; a wrapper object counts as its list); the total its only `TotalCount`, `Total` or
/// `TotalSize`; the overlay may name either, or say the action does not page.
pub(crate) fn detect(
    params: &[ParamSpec],
    response: &TypeNode,
    overlay: Option<&PagingOverlay>,
) -> Option<Paging> {
    if overlay.is_some_and(|o| o.none) {
        return None;
    }
    let find = |names: &[&str]| {
        params
            .iter()
            .find(|p| names.contains(&p.name.as_str()))
            .map(|p| p.name.clone())
    };
    let (cursor, cursor_param, size_param) =
        if let (Some(c), Some(s)) = (find(&["Offset"]), find(&["Limit"])) {
            (CursorKind::Offset, c, Some(s))
        } else if let (Some(c), Some(s)) = (find(PAGE_NUMBERS), find(&["PageSize"])) {
            (CursorKind::Page, c, Some(s))
        } else if let Some(c) = find(&["NextToken"]) {
            (CursorKind::Token, c, find(&["MaxResults", "PageSize"]))
        } else {
            return None;
        };

    let mut found = Found::default();
    walk(response, &mut Vec::new(), &mut found);
    let joined = |path: &[String]| path.join(".");
    let mut lists = found.lists;
    let items = match overlay.and_then(|o| o.items.as_deref()) {
        Some(wanted) => lists.into_iter().find(|(shown, _)| shown == wanted)?.1,
        None if lists.len() == 1 => lists.remove(0).1,
        None => return None,
    };
    let mut totals = found.totals;
    let total = match overlay.and_then(|o| o.total.as_deref()) {
        Some(wanted) => totals.into_iter().find(|path| joined(path) == wanted),
        None if totals.len() == 1 => Some(totals.remove(0)),
        None => None,
    };
    if cursor == CursorKind::Token && found.tokens.is_empty() {
        return None;
    }
    Some(Paging {
        cursor,
        cursor_param,
        size_param,
        items,
        total,
        next_token: found.tokens.into_iter().next(),
    })
}

/// Candidates met walking an answer's objects.
#[derive(Default)]
struct Found {
    /// (the path the generator shows, with a wrapper standing for its list; the real path).
    lists: Vec<(String, Vec<String>)>,
    totals: Vec<Vec<String>>,
    tokens: Vec<Vec<String>>,
}

fn walk(node: &TypeNode, path: &mut Vec<String>, found: &mut Found) {
    for field in node.fields() {
        path.push(field.name.clone());
        let ty = &field.ty;
        match ty.kind {
            Kind::Array if lists_records(ty) => found.lists.push((path.join("."), path.clone())),
            Kind::Array => {}
            Kind::Object if ty.is_record() => match ty.fields() {
                // A wrapper object (its only field a list) stands for its list.
                [only] if lists_records(&only.ty) => {
                    let shown = path.join(".");
                    let mut real = path.clone();
                    real.push(only.name.clone());
                    found.lists.push((shown, real));
                }
                [only] if only.ty.kind == Kind::Array => {}
                _ => walk(ty, path, found),
            },
            Kind::Object => {}
            _ if ["TotalCount", "Total", "TotalSize"].contains(&field.name.as_str()) => {
                found.totals.push(path.clone());
            }
            Kind::String if field.name == "NextToken" => found.tokens.push(path.clone()),
            _ => {}
        }
        path.pop();
    }
}

/// Whether a type is a list of objects.
fn lists_records(ty: &TypeNode) -> bool {
    ty.kind == Kind::Array && ty.items.as_deref().is_some_and(TypeNode::is_record)
}

/// The page a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    /// Index of the first item in the collection.
    pub start: u64,
    /// How many items the page holds.
    pub len: u64,
    /// The token of the next page, while items remain (token paging only).
    pub next_token: Option<String>,
    /// The cursor and page size in effect, by parameter name, for answer fields of those names
    /// (`CurrentPage`, `PageSize`, `PageNo`).
    pub echo: Vec<(String, i64)>,
}

/// Which page of the collection `params` (the request's business parameters) ask for;
/// `seed` identifies the collection (tokens of another collection are refused).
pub(crate) fn page(
    paging: &Paging,
    params: &BTreeMap<&str, &str>,
    seed: u64,
) -> Result<Page, ApiError> {
    let given = |name: &str| params.get(name).copied().filter(|v| !v.is_empty());
    let number = |name: &str, default: i64| match given(name) {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| invalid(name, "not a number")),
    };
    let size = match &paging.size_param {
        Some(name) => number(name, DEFAULT_PAGE_SIZE as i64)?,
        None => DEFAULT_PAGE_SIZE as i64,
    };
    if size < 1 {
        let name = paging.size_param.as_deref().unwrap_or_default();
        return Err(invalid(name, "a page holds at least 1 item"));
    }
    let size = size as u64;
    let name = paging.cursor_param.as_str();
    let (start, cursor) = match paging.cursor {
        CursorKind::Offset => {
            let offset = number(name, 0)?;
            if offset < 0 {
                return Err(invalid(name, "offsets count from 0"));
            }
            (offset as u64, offset)
        }
        CursorKind::Page => {
            let page = number(name, 1)?;
            if page < 1 {
                return Err(invalid(name, "pages count from 1"));
            }
            ((page as u64 - 1).saturating_mul(size), page)
        }
        CursorKind::Token => match given(name) {
            None => (0, 0),
            Some(token) => {
                let start = (1..COLLECTION_SIZE)
                    .find(|offset| token_for(seed, *offset) == token)
                    .ok_or_else(|| invalid(name, "not a token this listing gave"))?;
                (start, 0)
            }
        },
    };
    let len = COLLECTION_SIZE.saturating_sub(start).min(size);
    let next = start + len;
    let next_token = (paging.cursor == CursorKind::Token && len > 0 && next < COLLECTION_SIZE)
        .then(|| token_for(seed, next));
    let mut echo = Vec::new();
    match paging.cursor {
        CursorKind::Offset => echo.push((paging.cursor_param.clone(), cursor)),
        // Answers name the page number their own way (`PageIndex` in, `CurrentPage` out).
        CursorKind::Page => {
            echo.extend(PAGE_NUMBERS.iter().map(|name| ((*name).to_owned(), cursor)))
        }
        CursorKind::Token => {}
    }
    if let Some(size_param) = &paging.size_param {
        echo.push((size_param.clone(), size as i64));
    }
    Ok(Page {
        start,
        len,
        next_token,
        echo,
    })
}

/// The token of the page starting at `offset` of the collection `seed`: opaque, 32 hex digits.
fn token_for(seed: u64, offset: u64) -> String {
    let first = mix(seed, format!("token/{offset}").as_bytes());
    let second = mix(first, b"token");
    format!("{first:016x}{second:016x}")
}

fn invalid(name: &str, why: &str) -> ApiError {
    ApiError::bad_request(
        "InvalidParameter",
        format!("The specified value of parameter \"{name}\" is not valid: {why}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::model::find;

    fn paging(action: &str) -> &'static Paging {
        find(action).unwrap().1.paging.as_ref().unwrap()
    }

    #[test]
    fn paging_is_read_as_the_generator_reads_it() {
        let owned = paging("ListOwnedJoinPermissions");
        assert_eq!(owned.cursor, CursorKind::Offset);
        assert_eq!(owned.items, ["Data", "List"]);
        assert_eq!(
            owned.total.as_deref(),
            Some(&["Data".into(), "TotalCount".into()][..])
        );
        let details = paging("QuerySendDetails");
        assert_eq!(
            (details.cursor, details.cursor_param.as_str()),
            (CursorKind::Page, "CurrentPage")
        );
        assert_eq!(details.items, ["SmsSendDetailDTOs", "SmsSendDetailDTO"]);
        let tags = paging("ListTagResources");
        assert_eq!(tags.cursor, CursorKind::Token);
        assert_eq!(tags.size_param.as_deref(), Some("PageSize"));
        assert!(tags.next_token.is_some());
        assert!(find("GetOwnedJoinPermission").unwrap().1.paging.is_none());
        // `OffSet` is not `Offset`: the generator does not page it, nor does the emulator.
        assert!(find("ListGatewayOnlineRecords").unwrap().1.paging.is_none());
    }

    #[test]
    fn pages_cover_the_collection_and_end_short() {
        let owned = paging("ListOwnedJoinPermissions");
        let at = |offset: &str| {
            let params = BTreeMap::from([("Offset", offset), ("Limit", "3")]);
            page(owned, &params, 1).unwrap()
        };
        assert_eq!((at("0").start, at("0").len), (0, 3));
        assert_eq!((at("6").start, at("6").len), (6, 1));
        assert_eq!(at("9").len, 0);

        let tags = paging("ListTagResources");
        let mut token: Option<String> = None;
        let mut lens = Vec::new();
        loop {
            let mut params = BTreeMap::from([("PageSize", "3")]);
            if let Some(t) = &token {
                params.insert("NextToken", t.as_str());
            }
            let p = page(tags, &params, 42).unwrap();
            lens.push(p.len);
            match p.next_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(lens, [3, 3, 1]);
        let foreign = BTreeMap::from([("NextToken", "0123")]);
        assert_eq!(
            page(tags, &foreign, 42).unwrap_err().code,
            "InvalidParameter"
        );
    }
}
