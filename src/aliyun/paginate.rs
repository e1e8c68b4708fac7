//! Walking a listing action to its end: a stream of pages, and of their items.
//!
//! Every action that pages implements [`Paginate`] (LinkWAN `Offset` / `Limit`, Dysmsapi
//! `PageIndex`, `CurrentPage`, `PageNo` or `PageNumber` with `PageSize`, and `NextToken`).
//! [`Client::paginate`](super::Client::paginate) sends the request as built (its offset, page
//! or token is where the walk starts), then the next page, one request in flight at a time,
//! each page a normal call with the client's retries. The walk ends after:
//! - a page with no items, or fewer items than the page size asked for;
//! - the page that reaches the answer's total count (`TotalCount`, `Total`);
//! - for tokens, an answer without a new `NextToken`;
//! - an error, which the stream yields before it ends.
//!
//! [`Pages`] and [`Items`] implement `futures_core::Stream`, and also offer `next()` and
//! `try_collect()` so that no stream utility crate is needed:
//!
//! ```
//! # #[cfg(all(feature = "emulator", feature = "linkwan"))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use alibaba_openapi::aliyun::{self, linkwan};
//! # let emulator = alibaba_openapi::emulator::Emulator::start().await?;
//! # let owner = alibaba_openapi::emulator::accounts::OWNER;
//! # let client = aliyun::Client::builder()
//! #     .endpoint_url(emulator.url())
//! #     .credentials(aliyun::Credentials::new(owner.access_key_id, owner.access_key_secret))
//! #     .build()?;
//!
//! let request = linkwan::ListOwnedJoinPermissions::builder()
//!     .offset(0)
//!     .limit(2) // two per page
//!     .build()?;
//! let mut permissions = client.paginate(request).items();
//! while let Some(permission) = permissions.next().await {
//!     println!("{:?}", permission?.join_permission_name);
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(all(feature = "emulator", feature = "linkwan")))]
//! # fn main() {}
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{Action, Client};
use crate::transport::CallOptions;
use crate::Error;

/// A listing action that pages: where a request starts, how to ask for the next page, and
/// what an answer holds. Implemented by every paging action of this crate.
pub trait Paginate: Action + Clone + Unpin + 'static {
    /// One item of a page.
    type Item: Send + Unpin + 'static;

    /// Where this request starts.
    fn cursor(&self) -> Cursor;
    /// This request, starting at `cursor` instead.
    fn with_cursor(&self, cursor: &Cursor) -> Self;
    /// How many items a page holds at most, when the request says.
    fn page_size(&self) -> Option<u64>;
    /// What an answer tells about the walk.
    fn page_info(output: &Self::Output) -> PageInfo;
    /// The items of an answer.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cursor {
    /// An item offset (`Offset`), from 0.
    Offset(u64),
    /// A page number (`PageIndex`, `CurrentPage`, `PageNo`, `PageNumber`), from 1.
    Page(u64),
    /// A continuation token (`NextToken`); `None` for the first page.
    Token(Option<String>),
}

/// What one answer tells about the walk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PageInfo {
    /// How many items the page holds.
    pub items: usize,
    /// How many items there are in all, when the answer says.
    pub total: Option<u64>,
    /// The token of the next page, when the answer has one.
    pub next_token: Option<String>,
}

impl PageInfo {
    /// A page of `items` items.
    pub fn new(items: usize, total: Option<u64>, next_token: Option<String>) -> Self {
        PageInfo {
            items,
            total,
            next_token,
        }
    }
}

/// Where the page after `current` starts, or `None` when `current` was the last.
fn next_cursor(current: &Cursor, info: &PageInfo, page_size: Option<u64>) -> Option<Cursor> {
    let items = info.items as u64;
    if items == 0 || page_size.is_some_and(|size| items < size) {
        return None;
    }
    // How many items the walk has covered, counted from the start of the listing.
    let reached = match current {
        Cursor::Offset(offset) => Some(offset.saturating_add(items)),
        Cursor::Page(page) => page_size.map(|size| page.saturating_sub(1) * size + items),
        Cursor::Token(_) => None,
    };
    if let (Some(total), Some(reached)) = (info.total, reached) {
        if reached >= total {
            return None;
        }
    }
    match current {
        Cursor::Offset(offset) => Some(Cursor::Offset(offset.saturating_add(items))),
        Cursor::Page(page) => Some(Cursor::Page(page.saturating_add(1))),
        Cursor::Token(previous) => match &info.next_token {
            Some(token) if !token.is_empty() && previous.as_ref() != Some(token) => {
                Some(Cursor::Token(Some(token.clone())))
            }
            _ => None,
        },
    }
}

type Answer<A> = Result<<A as Action>::Output, Error<<A as Action>::ErrorCode>>;
type ItemAnswer<A> = Result<<A as Paginate>::Item, Error<<A as Action>::ErrorCode>>;
type InFlight<A> = Pin<Box<dyn Future<Output = (A, Answer<A>)> + Send>>;

/// The pages of a listing, one call each: a `Stream` of answers. Made by
/// [`Client::paginate`](super::Client::paginate).
pub struct Pages<A: Paginate> {
    client: Client,
    options: CallOptions,
    next: Option<A>,
    in_flight: Option<InFlight<A>>,
}

impl<A: Paginate> fmt::Debug for Pages<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("action", &self.next.as_ref().map(|a| a.action().to_owned()))
            .field("cursor", &self.next.as_ref().map(Paginate::cursor))
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

impl<A> Pages<A>
where
    A: Paginate,
    A::Output: Send,
{
    pub(crate) fn new(client: Client, request: A, options: CallOptions) -> Self {
        Pages {
            client,
            options,
            next: Some(request),
            in_flight: None,
        }
    }

    /// The items of every page, in order.
    pub fn items(self) -> Items<A> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    /// The next page, or `None` after the last (or after an error).
    pub async fn next(&mut self) -> Option<Answer<A>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<A::Output>, Error<A::ErrorCode>> {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.push(page?);
        }
        Ok(all)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Answer<A>>> {
        if self.in_flight.is_none() {
            let Some(request) = self.next.take() else {
                return Poll::Ready(None);
            };
            let client = self.client.clone();
            let options = self.options.clone();
            self.in_flight = Some(Box::pin(async move {
                let answer = client.send_with(&request, &options).await;
                (request, answer)
            }));
        }
        let in_flight = self.in_flight.as_mut().expect("set above");
        let (request, answer) = match in_flight.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        self.in_flight = None;
        if let Ok(output) = &answer {
            let info = A::page_info(output);
            self.next = next_cursor(&request.cursor(), &info, request.page_size())
                .map(|cursor| request.with_cursor(&cursor));
        }
        Poll::Ready(Some(answer))
    }
}

impl<A> futures_core::Stream for Pages<A>
where
    A: Paginate,
    A::Output: Send,
{
    type Item = Answer<A>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a listing, in order: a `Stream` of items. Made by
/// [`Pages::items`].
pub struct Items<A: Paginate> {
    pages: Pages<A>,
    buffered: VecDeque<A::Item>,
}

impl<A: Paginate> fmt::Debug for Items<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<A> Items<A>
where
    A: Paginate,
    A::Output: Send,
{
    /// The next item, or `None` after the last (or after an error).
    pub async fn next(&mut self) -> Option<Result<A::Item, Error<A::ErrorCode>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<A::Item>, Error<A::ErrorCode>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<ItemAnswer<A>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(output))) => self.buffered.extend(A::into_items(output)),
            }
        }
    }
}

impl<A> futures_core::Stream for Items<A>
where
    A: Paginate,
    A::Output: Send,
{
    type Item = Result<A::Item, Error<A::ErrorCode>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(items: usize, total: Option<u64>, token: Option<&str>) -> PageInfo {
        PageInfo::new(items, total, token.map(str::to_owned))
    }

    #[test]
    fn offsets_advance_by_the_items_and_stop_at_the_total_or_a_short_page() {
        let at = Cursor::Offset(0);
        assert_eq!(
            next_cursor(&at, &info(2, Some(5), None), Some(2)),
            Some(Cursor::Offset(2))
        );
        assert_eq!(
            next_cursor(&Cursor::Offset(4), &info(1, Some(5), None), Some(2)),
            None
        );
        assert_eq!(
            next_cursor(&Cursor::Offset(2), &info(2, Some(4), None), Some(2)),
            None
        );
        assert_eq!(next_cursor(&at, &info(0, None, None), Some(2)), None);
        assert_eq!(
            next_cursor(&at, &info(2, None, None), None),
            Some(Cursor::Offset(2))
        );
    }

    #[test]
    fn pages_advance_by_one_and_tokens_until_none_or_repeated() {
        assert_eq!(
            next_cursor(&Cursor::Page(1), &info(10, Some(25), None), Some(10)),
            Some(Cursor::Page(2))
        );
        assert_eq!(
            next_cursor(&Cursor::Page(3), &info(10, Some(30), None), Some(10)),
            None
        );
        let first = Cursor::Token(None);
        assert_eq!(
            next_cursor(&first, &info(5, None, Some("t2")), Some(5)),
            Some(Cursor::Token(Some("t2".into())))
        );
        let second = Cursor::Token(Some("t2".into()));
        assert_eq!(
            next_cursor(&second, &info(5, None, Some("t2")), Some(5)),
            None
        );
        assert_eq!(
            next_cursor(&second, &info(5, None, Some("")), Some(5)),
            None
        );
        assert_eq!(next_cursor(&second, &info(5, None, None), Some(5)), None);
    }
}
