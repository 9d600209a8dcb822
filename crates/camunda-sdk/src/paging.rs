//! Auto-paging: every paged search as a stream (async) or iterator (blocking) over all matching
//! items.
//!
//! The builder of each paged search (`client.search_x()`) has two ways to read every page:
//!
//! - `.stream()` on the async client → [`ItemStream`], a `Stream<Item = Result<T>>`;
//! - `.iter()` on the blocking client → [`ItemIter`], an `Iterator<Item = Result<T>>`.
//!
//! Both send the builder's query (filter, sort, `limit(n)` as the page size), follow the
//! server's `page.endCursor` (or advance `page.from` for the few searches that only page by
//! offset), and fetch the next page only when the previous one is used up, so memory is bounded
//! by one page and dropping the stream early (`take(n)`) stops the requests. A failed page is
//! yielded as an `Err` item and the stream then ends. `.send()` still reads one page.
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
//! use futures::{StreamExt, TryStreamExt};
//!
//! let mut all = client.search_process_instances().limit(500).stream().take(2_000);
//! while let Some(instance) = all.try_next().await? {
//!     println!("{}", instance.process_instance_key);
//! }
//! # Ok(()) }
//! ```
//!
//! The generic building block is [`stream`], for anything that implements [`PagedQuery`] and
//! [`PagedResult`] (codegen implements both for every paged search's request and response).

use crate::keys::EndCursor;
use crate::types::{
    CursorForwardPagination, OffsetPagination, SearchQueryPageRequest, SearchQueryPageResponse,
};
use crate::{Error, Result};
use futures::StreamExt;
use futures::stream::BoxStream;
use std::collections::HashSet;
use std::future::Future;

/// How to page: page size and an optional cap on the number of items.
///
/// ```
/// use camunda_sdk::paging::Paging;
/// let paging = Paging::new().page_size(200).max_items(1_000);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paging {
    page_size: Option<u32>,
    max_items: Option<u64>,
}

impl Paging {
    /// The server's page size (or the query's own `page.limit`), and no cap.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items per request (`page.limit`). At least 1.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// Stop after this many items (the last request asks only for what is still needed).
    pub fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }
}

/// One page request, independent of the raw type that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageRequest {
    /// Cursor paging: the page after `after` (from the start when `None`).
    Cursor {
        /// The previous page's `endCursor`.
        after: Option<EndCursor>,
        /// Items per page.
        limit: Option<i32>,
    },
    /// Offset paging: items from index `from`.
    Offset {
        /// Index of the first item.
        from: i32,
        /// Items per page.
        limit: Option<i32>,
    },
}

impl PageRequest {
    /// The page size it asks for.
    pub fn limit(&self) -> Option<i32> {
        match self {
            PageRequest::Cursor { limit, .. } | PageRequest::Offset { limit, .. } => *limit,
        }
    }

    fn with_limit(mut self, new: Option<i32>) -> Self {
        match &mut self {
            PageRequest::Cursor { limit, .. } | PageRequest::Offset { limit, .. } => *limit = new,
        }
        self
    }

    /// `(after, limit)`; an offset request maps to the first page.
    pub fn cursor_parts(self) -> (Option<EndCursor>, Option<i32>) {
        match self {
            PageRequest::Cursor { after, limit } => (after, limit),
            PageRequest::Offset { limit, .. } => (None, limit),
        }
    }

    /// `(from, limit)`; a cursor request maps to offset 0.
    pub fn offset_parts(self) -> (Option<i32>, Option<i32>) {
        match self {
            PageRequest::Offset { from, limit } => (Some(from), limit),
            PageRequest::Cursor { limit, .. } => (None, limit),
        }
    }
}

/// A raw page-request type (`SearchQueryPageRequest` and the per-search page structs).
pub trait PageParams: Sized {
    /// Whether the type can carry a cursor (otherwise it pages by offset).
    const CURSOR: bool;
    /// What this value asks for.
    fn to_request(&self) -> PageRequest;
    /// The raw value for `request`.
    fn from_request(request: PageRequest) -> Self;
}

impl PageParams for SearchQueryPageRequest {
    const CURSOR: bool = true;

    fn to_request(&self) -> PageRequest {
        match self {
            SearchQueryPageRequest::LimitPagination(p) => PageRequest::Cursor {
                after: None,
                limit: p.limit,
            },
            SearchQueryPageRequest::OffsetPagination(p) => PageRequest::Offset {
                from: p.from.unwrap_or(0),
                limit: p.limit,
            },
            SearchQueryPageRequest::CursorForwardPagination(p) => PageRequest::Cursor {
                after: p.after.clone(),
                limit: p.limit,
            },
            // Streams only go forward: a backward cursor restarts from the beginning.
            SearchQueryPageRequest::CursorBackwardPagination(p) => PageRequest::Cursor {
                after: None,
                limit: p.limit,
            },
        }
    }

    fn from_request(request: PageRequest) -> Self {
        match request {
            PageRequest::Cursor { after, limit } => {
                SearchQueryPageRequest::CursorForwardPagination(CursorForwardPagination {
                    after,
                    limit,
                })
            }
            PageRequest::Offset { from, limit } => {
                SearchQueryPageRequest::OffsetPagination(OffsetPagination {
                    from: Some(from),
                    limit,
                })
            }
        }
    }
}

/// The first page of `limit` items, in the form page type `P` pages by (a search builder's
/// `limit(n)`).
pub(crate) fn first_page<P: PageParams>(limit: i32) -> P {
    P::from_request(if P::CURSOR {
        PageRequest::Cursor {
            after: None,
            limit: Some(limit),
        }
    } else {
        PageRequest::Offset {
            from: 0,
            limit: Some(limit),
        }
    })
}

/// A search request with a `page` (implemented by codegen for every paged search's body).
pub trait PagedQuery: Clone + Send + 'static {
    /// The raw type of its `page` field.
    type Page: PageParams;
    /// Its `page` field.
    fn page_mut(&mut self) -> &mut Option<Self::Page>;
}

/// A search response with `items` and `page` (implemented by codegen for every paged search).
pub trait PagedResult {
    /// The element type of `items`.
    type Item;
    /// The items of this page.
    fn items(&self) -> &[Self::Item];
    /// The items and the paging information.
    fn into_parts(self) -> (Vec<Self::Item>, SearchQueryPageResponse);
}

/// All items of a paged search, fetched page by page. Errors are items; the stream ends after
/// one.
pub type ItemStream<T> = BoxStream<'static, Result<T>>;

/// A stream that yields `error` and ends (a search whose arguments were invalid).
pub(crate) fn failed<T: Send + 'static>(error: Error) -> ItemStream<T> {
    futures::stream::once(async move { Err(error) }).boxed()
}

struct State<Q, F, T> {
    query: Q,
    fetch: F,
    next: PageRequest,
    buffer: std::vec::IntoIter<T>,
    /// Items handed out so far.
    yielded: u64,
    /// Items received so far (for `totalItems`).
    received: u64,
    cap: Option<u64>,
    done: bool,
    /// Every cursor of this walk so far (the starting one included): one seen again means
    /// the server is looping.
    seen: HashSet<EndCursor>,
    pages: u64,
}

/// Server default page size, used to shrink the last request under a cap.
const SERVER_DEFAULT_LIMIT: i32 = 100;

/// Streams every item of the search `query` by calling `fetch` once per page.
///
/// The query's own `page` is the starting point (its cursor or offset and limit);
/// [`Paging::page_size`] overrides the limit. Paging stops at an empty page, a page without an
/// `endCursor` (cursor paging), once `totalItems` items have arrived (when the total is exact),
/// or at the cap. A server that answers a cursor already seen in this walk (a cycle, or a
/// cursor that does not move) would make the walk endless or repeat items: the stream then ends
/// with [`Error::PagingLoop`] naming the operation and the cursor, instead of that page.
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient) {
/// use camunda_sdk::paging::{self, Paging};
/// use camunda_sdk::types::JobSearchQuery;
///
/// let jobs = paging::stream(JobSearchQuery::default(), Paging::new(), move |q| {
///     let client = client.clone();
///     async move { client.search_jobs().body(q).send().await }
/// });
/// # }
/// ```
pub fn stream<Q, R, F, Fut>(query: Q, paging: Paging, fetch: F) -> ItemStream<R::Item>
where
    Q: PagedQuery,
    R: PagedResult,
    R::Item: Send + 'static,
    F: FnMut(Q) -> Fut + Send + 'static,
    Fut: Future<Output = Result<R>> + Send + 'static,
{
    let mut query = query;
    let start = match query.page_mut() {
        Some(p) => p.to_request(),
        None if Q::Page::CURSOR => PageRequest::Cursor {
            after: None,
            limit: None,
        },
        None => PageRequest::Offset {
            from: 0,
            limit: None,
        },
    };
    let limit = paging
        .page_size
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX))
        .or(start.limit());
    let state = State {
        query,
        fetch,
        next: start.with_limit(limit),
        buffer: Vec::new().into_iter(),
        yielded: 0,
        received: 0,
        cap: paging.max_items,
        done: false,
        seen: HashSet::new(),
        pages: 0,
    };
    futures::stream::unfold(state, |mut s| async move {
        loop {
            if s.cap.is_some_and(|cap| s.yielded >= cap) {
                return None;
            }
            if let Some(item) = s.buffer.next() {
                s.yielded += 1;
                return Some((Ok(item), s));
            }
            if s.done {
                return None;
            }
            let mut request = s.next.clone();
            if let Some(cap) = s.cap {
                let remaining = i32::try_from(cap - s.yielded).unwrap_or(i32::MAX);
                let limit = request.limit().unwrap_or(SERVER_DEFAULT_LIMIT);
                if remaining < limit {
                    request = request.with_limit(Some(remaining));
                }
            }
            let mut query = s.query.clone();
            *query.page_mut() = Some(Q::Page::from_request(request));
            let (page, operation) = crate::consistency::observe_operation((s.fetch)(query)).await;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    s.done = true;
                    return Some((Err(e), s));
                }
            };
            s.pages += 1;
            let (items, info) = page.into_parts();
            let exact_total = !info.has_more_total_items && info.total_items >= 0;
            let last = items.is_empty()
                || (exact_total && s.received + items.len() as u64 >= info.total_items as u64);
            let done = match s.advance(&info, items.len(), last) {
                Ok(done) => done,
                Err(cursor) => {
                    s.done = true;
                    let e = Error::PagingLoop {
                        operation: operation.unwrap_or("search"),
                        cursor: cursor.to_string(),
                        pages: s.pages,
                    };
                    return Some((Err(e), s));
                }
            };
            s.received += items.len() as u64;
            s.done = last || done;
            s.buffer = items.into_iter();
        }
    })
    .boxed()
}

impl<Q, F, T> State<Q, F, T> {
    /// Moves `next` past a page of `count` items; `Ok(true)` when there is nothing after it,
    /// `Err(cursor)` when the page's cursor was seen before in this walk. The last page
    /// (`last`) may repeat a cursor: it is not followed.
    fn advance(
        &mut self,
        info: &SearchQueryPageResponse,
        count: usize,
        last: bool,
    ) -> std::result::Result<bool, EndCursor> {
        match &mut self.next {
            PageRequest::Cursor { after, .. } => {
                let Some(end) = &info.end_cursor else {
                    return Ok(true);
                };
                if last {
                    return Ok(true);
                }
                if let Some(from) = after.take() {
                    self.seen.insert(from);
                }
                if self.seen.contains(end) {
                    return Err(end.clone());
                }
                *after = Some(end.clone());
                Ok(false)
            }
            PageRequest::Offset { from, .. } => {
                *from = from.saturating_add(i32::try_from(count).unwrap_or(i32::MAX));
                Ok(false)
            }
        }
    }
}

/// The blocking twin of [`ItemStream`]: an iterator over all items of a paged search, made by
/// `.iter()` on a search builder of [`crate::blocking::CamundaClient`]. An error is
/// yielded once and ends the iteration.
pub struct ItemIter<T> {
    client: crate::blocking::CamundaClient,
    stream: Option<ItemStream<T>>,
}

impl<T> std::fmt::Debug for ItemIter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemIter")
            .field("finished", &self.stream.is_none())
            .finish()
    }
}

impl<T> ItemIter<T> {
    /// Drives `stream` on `client`'s runtime.
    pub fn new(client: crate::blocking::CamundaClient, stream: ItemStream<T>) -> Self {
        ItemIter {
            client,
            stream: Some(stream),
        }
    }
}

impl<T> Iterator for ItemIter<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        let stream = self.stream.as_mut()?;
        let next = self
            .client
            .block_on(async { Ok::<_, Error>(stream.next().await) });
        match next {
            Ok(Some(Ok(item))) => Some(Ok(item)),
            Ok(Some(Err(e))) | Err(e) => {
                self.stream = None;
                Some(Err(e))
            }
            Ok(None) => {
                self.stream = None;
                None
            }
        }
    }
}
