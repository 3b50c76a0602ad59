//! `gongwen serve [--addr 127.0.0.1:7878]`: a local web UI over the archive, read-only.
//!
//! Pages: `/` (search: hits with snippets, a KWIC view, filters with counts, the query's
//! occurrences per year), `/doc/<doc_id>` (the document with its outline and findings) and
//! `/doc/<doc_id>/check` (the same 查重报告 as `check --html`). Nothing else is served.
//!
//! What keeps a local server over sensitive documents safe:
//! - it listens on loopback unless the user names another address (then a warning);
//! - a request whose Host (or absolute URI) is not this server's address or localhost is refused,
//!   so that a web page whose name is rebound to 127.0.0.1 cannot read the archive;
//! - no request names a file: a document is looked up by its doc_id in the index only, and the
//!   stored text is found from the index's record, never from the URL;
//! - every page is rendered from templates that escape every document string, and is sent with a
//!   Content-Security-Policy that allows no script and no load from anywhere;
//! - the archive is opened as `search` opens it (no writer lock), and reloaded every second, so
//!   that an `add` running meanwhile is seen as it commits.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use gongwen::{
    Archive, DocId, Facets, Filter, KwicRow, Outline, SearchBody, SearchForm, SearchOptions,
    SearchQuery, WebContext, Year,
};

use crate::Outcome;
use crate::args::ServeArgs;
use crate::dicts::Dictionaries;

/// Longest query, in characters: a sentence or a paragraph pasted to find its copies.
const MAX_QUERY_CHARS: usize = 1000;
/// Longest filter value, in characters.
const MAX_FILTER_CHARS: usize = 200;
/// Longest request target, in bytes (a maximal query percent-encoded fits).
const MAX_URI_BYTES: usize = 16 * 1024;
/// Occurrences listed in the KWIC view (the page says how many there are in all).
const KWIC_LINES: usize = 1000;
/// Last page of hits.
const MAX_PAGE: usize = 500;
/// 查重 reports kept rendered (a report aligns the document with the whole archive).
const CHECK_CACHE: usize = 16;
/// Facets kept, by query and filters: paging, the KWIC tab and the document links of one search
/// do not read the position lists again.
const FACET_CACHE: usize = 256;
/// Bytes of rendered search and document pages kept (keys and pages).
const PAGE_CACHE_BYTES: usize = 64 << 20;
/// No script, no load from anywhere; inline styles and data: images only.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The server's state, shared by every request.
struct Server {
    archive: Archive,
    dir: PathBuf,
    hosts: Hosts,
    /// Incremented whenever a reload sees a new commit: what was cached before is stale.
    generation: AtomicU64,
    checks: Cache<DocId, Bytes>,
    /// Per query and filter: the facets.
    facets: Cache<String, Facets>,
    /// Search and document pages as sent, by their parameters as parsed.
    pages: Cache<String, Bytes>,
    /// The formulas and the segmenter of the document and 查重 pages.
    dicts: Dictionaries,
}

/// Results computed for one commit of the archive, kept until it changes: within `budget` units
/// as `weigh` counts them (entries or bytes), the least recently used dropped first. A new
/// generation drops everything at once; a result computed for an older one is not kept.
struct Cache<K, V> {
    budget: usize,
    weigh: fn(&K, &V) -> usize,
    state: Mutex<Lru<K, V>>,
}

/// A cache's entries, with their last use: `order` maps each use's tick to its key.
struct Lru<K, V> {
    generation: u64,
    entries: HashMap<K, (u64, Arc<V>)>,
    order: BTreeMap<u64, K>,
    tick: u64,
    used: usize,
}

impl<K: std::hash::Hash + Eq + Clone, V> Cache<K, V> {
    fn new(budget: usize, weigh: fn(&K, &V) -> usize) -> Cache<K, V> {
        Cache {
            budget,
            weigh,
            state: Mutex::new(Lru {
                generation: 0,
                entries: HashMap::new(),
                order: BTreeMap::new(),
                tick: 0,
                used: 0,
            }),
        }
    }

    /// The value for `key` computed at `generation`, or computed now by `make` and kept.
    fn get_or<E>(
        &self,
        key: K,
        generation: u64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some(v) = self.get(&key, generation) {
            return Ok(v);
        }
        let v = Arc::new(make()?);
        self.put(key, generation, Arc::clone(&v));
        Ok(v)
    }

    /// The value kept for `key` at `generation`, now the most recently used.
    fn get(&self, key: &K, generation: u64) -> Option<Arc<V>> {
        let mut guard = self.state.lock().ok()?;
        let c = &mut *guard;
        if c.generation != generation {
            return None;
        }
        c.tick += 1;
        let tick = c.tick;
        let (last, v) = c.entries.get_mut(key)?;
        let (last, v) = (std::mem::replace(last, tick), Arc::clone(v));
        if let Some(k) = c.order.remove(&last) {
            c.order.insert(tick, k);
        }
        Some(v)
    }

    /// Keeps `v` for `key` at `generation`, unless the archive has changed since or `v` alone
    /// is over the budget; drops the least recently used until the rest fits.
    fn put(&self, key: K, generation: u64, v: Arc<V>) {
        let Ok(mut guard) = self.state.lock() else {
            return;
        };
        let c = &mut *guard;
        let weight = (self.weigh)(&key, &v);
        if generation < c.generation || weight > self.budget {
            return;
        }
        if generation > c.generation {
            c.generation = generation;
            c.entries.clear();
            c.order.clear();
            c.used = 0;
        }
        c.tick += 1;
        let tick = c.tick;
        if let Some((last, old)) = c.entries.insert(key.clone(), (tick, v)) {
            c.order.remove(&last);
            c.used -= (self.weigh)(&key, &old);
        }
        c.order.insert(tick, key);
        c.used += weight;
        while c.used > self.budget {
            let Some((_, k)) = c.order.pop_first() else {
                break;
            };
            if let Some((_, old)) = c.entries.remove(&k) {
                c.used -= (self.weigh)(&k, &old);
            }
        }
    }

    /// Units held now.
    #[cfg(test)]
    fn used(&self) -> usize {
        self.state.lock().map_or(0, |c| c.used)
    }
}

/// The Host values a request may carry: this server's address, localhost and loopback.
struct Hosts {
    ip: IpAddr,
    port: u16,
}

impl Hosts {
    fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) if !p.contains(']') => (n, p.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = name.strip_prefix('[').and_then(|n| n.strip_suffix(']'));
        match literal.unwrap_or(name).parse::<IpAddr>() {
            // An address, not a name: no DNS to rebind. Loopback always; else the one bound,
            // or any when bound to all interfaces.
            Ok(ip) => ip.is_loopback() || ip == self.ip || self.ip.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// An answer other than the page asked for.
struct Refusal {
    status: StatusCode,
    title: &'static str,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            title,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, "请求有误", message)
    }

    fn not_found() -> Refusal {
        Refusal::new(
            StatusCode::NOT_FOUND,
            "未找到",
            "文档库中没有这个文档或页面（文档地址为 /doc/ 加 16 位十六进制的 doc_id）。",
        )
    }
}

impl From<gongwen::Error> for Refusal {
    fn from(e: gongwen::Error) -> Refusal {
        crate::report_error(&e);
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "读取文档库出错",
            format!("{e}（文档库可能正在更新，请稍后刷新）"),
        )
    }
}

impl From<minijinja::Error> for Refusal {
    fn from(e: minijinja::Error) -> Refusal {
        crate::report_error(&format!("rendering a page: {e:#}"));
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "页面生成出错",
            "页面模板出错，详见服务器输出。",
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = gongwen::error_html(self.status.as_u16(), self.title, &self.message)
            .unwrap_or_else(|_| format!("{} {}", self.status, self.title));
        (self.status, Html(body)).into_response()
    }
}

/// A page, or why not.
type Page = Result<(StatusCode, Bytes), Refusal>;

/// A page rendered, and whether it may be kept for the commit it was rendered from: not an
/// error page, nor one that says documents were passed over (未计入: a stored text missing or
/// damaged is the file system's state, not the commit's; it may be mended without a commit, and
/// the console must hear of it on every request, as without the cache).
struct Rendered {
    status: StatusCode,
    html: String,
    keep: bool,
}

impl Rendered {
    fn ok(html: String, warnings: &[String]) -> Rendered {
        Rendered {
            status: StatusCode::OK,
            html,
            keep: warnings.is_empty(),
        }
    }
}

/// What a kept page costs: its key, its bytes and the bookkeeping around them.
fn page_weight(key: &str, page: &Bytes) -> usize {
    key.len() + page.len() + 128
}

pub fn run(dir: &Path, args: &ServeArgs) -> anyhow::Result<Outcome> {
    let addr: SocketAddr = args.addr.parse().with_context(|| {
        format!(
            "--addr {}: not an address and port such as 127.0.0.1:7878",
            args.addr
        )
    })?;
    let dicts = Dictionaries::from_args(&args.dicts)?;
    let archive = Archive::open(dir)?;
    if !addr.ip().is_loopback() {
        crate::report_error(&format!(
            "warning: listening on {addr}, not on loopback: anyone who can reach this machine \
             can read the whole archive ({})",
            dir.display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .max_blocking_threads(page_threads())
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        let server = Arc::new(Server {
            archive,
            dir: dir.to_path_buf(),
            hosts: Hosts {
                ip: local.ip(),
                port: local.port(),
            },
            generation: AtomicU64::new(0),
            checks: Cache::new(CHECK_CACHE, |_, _| 1),
            facets: Cache::new(FACET_CACHE, |_, _| 1),
            pages: Cache::new(PAGE_CACHE_BYTES, |k, v| page_weight(k, v)),
            dicts,
        });
        spawn_reloader(Arc::clone(&server));
        let docs = server.archive.count()?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "gongwen serve：http://{local}/ （文档库 {}，{docs} 篇，只读；Ctrl-C 停止）",
            dir.display()
        )?;
        out.flush()?;
        drop(out);
        axum::serve(listener, router(server))
            .await
            .context("the server stopped")
    })?;
    Ok(Outcome::Success)
}

/// Threads that render pages at once: two per core (a page also waits on reads). More only share
/// the cores and each warms its own caches (a fresh thread's first pages are several times slower):
/// the requests beyond wait their turn.
fn page_threads() -> usize {
    std::thread::available_parallelism().map_or(4, |n| 2 * n.get())
}

/// Reloads the archive every second in a thread of its own: an `add` that commits meanwhile is
/// seen by the next request.
fn spawn_reloader(server: Arc<Server>) {
    std::thread::spawn(move || {
        let mut failing = false;
        loop {
            std::thread::sleep(Duration::from_secs(1));
            match server.archive.reload() {
                Ok(changed) => {
                    if changed {
                        server.generation.fetch_add(1, Ordering::Relaxed);
                    }
                    failing = false;
                }
                Err(e) if !failing => {
                    crate::report_error(&e);
                    failing = true;
                }
                Err(_) => {}
            }
        }
    });
}

fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", get(search))
        .route("/doc/{id}", get(document))
        .route("/doc/{id}/check", get(check))
        .fallback(|| async { Refusal::not_found() })
        .layer(middleware::from_fn_with_state(Arc::clone(&server), guard))
        .with_state(server)
}

/// Refuses requests for another host or with an overlong target, and sets the security headers
/// on every answer.
async fn guard(State(server): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("(not text)").to_string());
    let authority = req.uri().authority().map(|a| a.as_str().to_string());
    let mut response = if req.uri().to_string().len() > MAX_URI_BYTES {
        Refusal::new(
            StatusCode::URI_TOO_LONG,
            "请求过长",
            format!("请求地址超过 {} KB。", MAX_URI_BYTES / 1024),
        )
        .into_response()
    } else if let Some(bad) = host
        .iter()
        .chain(&authority)
        .find(|h| !server.hosts.allows(h))
    {
        Refusal::new(
            StatusCode::FORBIDDEN,
            "拒绝访问",
            format!(
                "请求的主机名 {bad} 不是本服务的地址；请用 http://127.0.0.1:{}/ 或 http://localhost:{}/ 访问。",
                server.hosts.port, server.hosts.port
            ),
        )
        .into_response()
    } else if host.is_none() && authority.is_none() {
        Refusal::bad("请求缺少 Host 头。").into_response()
    } else {
        next.run(req).await
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Runs `work` on the blocking pool (it reads the index and stored texts) and answers with its
/// page or its refusal.
async fn blocking(work: impl FnOnce() -> Page + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok((status, html))) => (status, Html(html)).into_response(),
        Ok(Err(refusal)) => refusal.into_response(),
        Err(e) => {
            crate::report_error(&format!("a request failed: {e}"));
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "内部错误",
                "处理请求时出错，详见服务器输出。",
            )
            .into_response()
        }
    }
}

/// The search page's parameters, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchParams {
    q: String,
    year_from: String,
    year_to: String,
    author: String,
    unit: String,
    kind: String,
    view: String,
    page: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocParams {
    q: String,
}

async fn search(
    State(server): State<Arc<Server>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    match params {
        Ok(Query(p)) => blocking(move || server.search_page(p)).await,
        Err(e) => Refusal::bad(format!("无法读取检索参数：{e}")).into_response(),
    }
}

async fn document(
    State(server): State<Arc<Server>>,
    id: Result<UrlPath<String>, PathRejection>,
    params: Result<Query<DocParams>, QueryRejection>,
) -> Response {
    match (id, params) {
        (Ok(UrlPath(id)), Ok(Query(p))) => {
            blocking(move || server.document_page(&id, p.q.trim())).await
        }
        (Err(_), _) => Refusal::not_found().into_response(),
        (_, Err(e)) => Refusal::bad(format!("无法读取参数：{e}")).into_response(),
    }
}

async fn check(
    State(server): State<Arc<Server>>,
    id: Result<UrlPath<String>, PathRejection>,
) -> Response {
    match id {
        Ok(UrlPath(id)) => blocking(move || server.check_page(&id)).await,
        Err(_) => Refusal::not_found().into_response(),
    }
}

/// A filter value from the form: trimmed, bounded.
fn field(value: &str, label: &str) -> Result<String, Refusal> {
    let v = value.trim();
    if v.chars().count() > MAX_FILTER_CHARS {
        return Err(Refusal::bad(format!(
            "{label}过长（最多 {MAX_FILTER_CHARS} 字）。"
        )));
    }
    Ok(v.to_string())
}

fn year(value: &str, label: &str) -> Result<Option<Year>, Refusal> {
    if value.is_empty() {
        return Ok(None);
    }
    Year::parse(value)
        .map(Some)
        .ok_or_else(|| Refusal::bad(format!("{label}“{value}”不是年份（如 2023）。")))
}

impl Server {
    fn context(&self) -> Result<WebContext<'static>, Refusal> {
        Ok(WebContext {
            archive: "",
            archive_docs: self.archive.count()?,
            version: env!("CARGO_PKG_VERSION"),
            warnings: Vec::new(),
        })
    }

    fn search_page(&self, p: SearchParams) -> Page {
        let q = p.q.trim();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Refusal::bad(format!(
                "检索词过长：{} 字，最多 {MAX_QUERY_CHARS} 字。",
                q.chars().count()
            )));
        }
        let page = match p.page.trim() {
            "" => 1,
            s => s
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| Refusal::bad(format!("页码“{s}”有误（1–{MAX_PAGE}）。")))?,
        };
        let form = SearchForm {
            q: q.to_string(),
            year_from: field(&p.year_from, "起始年份")?,
            year_to: field(&p.year_to, "截止年份")?,
            author: field(&p.author, "作者")?,
            unit: field(&p.unit, "单位")?,
            kind: field(&p.kind, "类型")?,
            view: if p.view == "kwic" {
                p.view
            } else {
                String::new()
            },
            page,
        };
        let (from, to) = (
            year(&form.year_from, "起始年份")?,
            year(&form.year_to, "截止年份")?,
        );
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(Refusal::bad("起始年份晚于截止年份。"));
        }
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        let filter = Filter {
            years: (from.is_some() || to.is_some()).then_some((from, to)),
            author: some(&form.author),
            unit: some(&form.unit),
            kind: some(&form.kind),
        };
        self.cached(format!("/?{form:?}"), || self.render_search(&form, filter))
    }

    /// The page kept for `key` in this commit, or rendered now (and kept if it may be).
    fn cached(&self, key: String, render: impl FnOnce() -> Result<Rendered, Refusal>) -> Page {
        let generation = self.generation.load(Ordering::Relaxed);
        if let Some(page) = self.pages.get(&key, generation) {
            return Ok((StatusCode::OK, Bytes::clone(&page)));
        }
        let page = render()?;
        let html = Bytes::from(page.html);
        if page.keep && page.status == StatusCode::OK {
            self.pages.put(key, generation, Arc::new(html.clone()));
        }
        Ok((page.status, html))
    }

    fn render_search(&self, form: &SearchForm, filter: Filter) -> Result<Rendered, Refusal> {
        let dir = self.dir.display().to_string();
        let context = WebContext {
            archive: &dir,
            ..self.context()?
        };
        let ok = |html: String, context: &WebContext| Ok(Rendered::ok(html, &context.warnings));
        if form.q.is_empty() {
            let docs = self.archive.list(&filter)?;
            let facets = Facets::of_documents(&docs);
            let body = SearchBody::Browse {
                docs: &docs,
                facets: &facets,
            };
            return ok(gongwen::search_html(form, &body, &context)?, &context);
        }
        let query = match SearchQuery::parse(&form.q) {
            Ok(query) => query,
            Err(e) => {
                let message = format!("检索式有误：{e}");
                let html = gongwen::search_html(form, &SearchBody::Error(&message), &context)?;
                return Ok(Rendered {
                    status: StatusCode::BAD_REQUEST,
                    html,
                    keep: false,
                });
            }
        };
        let key = format!("{}\0{filter:?}", form.q);
        let generation = self.generation.load(Ordering::Relaxed);
        if form.view == "kwic" {
            let facets = self
                .facets
                .get_or(key, generation, || self.archive.facets(&query, &filter))?;
            let facets = facets.as_ref();
            let (mut lines, mut total) = (Vec::new(), 0);
            let passed = self
                .archive
                .for_each_match(&query, &filter, |doc, text, occ| {
                    let room = KWIC_LINES.saturating_sub(lines.len());
                    total += occ.len();
                    let m = &doc.metadata;
                    let label = format!(
                        "{} {}",
                        m.year.map_or("—".into(), |y| y.to_string()),
                        m.author.as_deref().or(m.unit.as_deref()).unwrap_or("—")
                    );
                    for (k, l) in gongwen::kwic_lines(doc, text, occ, 20)
                        .enumerate()
                        .take(room)
                    {
                        lines.push(KwicRow {
                            doc_id: doc.doc_id.to_string(),
                            label: label.clone(),
                            left: l.left,
                            matched: l.matched.to_string(),
                            right: l.right,
                            number: k + 1,
                        });
                    }
                })?;
            let context = WebContext {
                warnings: passed_over(passed),
                ..context
            };
            let body = SearchBody::Kwic {
                lines: &lines,
                total,
                facets,
            };
            return ok(gongwen::search_html(form, &body, &context)?, &context);
        }
        let options = SearchOptions {
            filter,
            limit: form.page * gongwen::PAGE_SIZE,
        };
        // Facets kept from an earlier page of this query, or counted in the search's own pass
        // over the matching documents (one exact match instead of two).
        let (mut results, facets) = match self.facets.get(&key, generation) {
            Some(facets) => (self.archive.search(&query, &options)?, facets),
            None => {
                let (results, facets) = self.archive.search_with_facets(&query, &options)?;
                let facets = Arc::new(facets);
                self.facets.put(key, generation, Arc::clone(&facets));
                (results, facets)
            }
        };
        let facets = facets.as_ref();
        let context = WebContext {
            warnings: passed_over(std::mem::take(&mut results.passed_over)),
            ..context
        };
        let body = SearchBody::Hits {
            results: &results,
            facets,
        };
        ok(gongwen::search_html(form, &body, &context)?, &context)
    }

    /// The archived document named by a request, looked up by doc_id in the index only.
    fn find(&self, id: &str) -> Result<(gongwen::DocRecord, String), Refusal> {
        let id = DocId::parse(id).ok_or_else(Refusal::not_found)?;
        self.archive.get_id(&id)?.ok_or_else(Refusal::not_found)
    }

    fn document_page(&self, id: &str, q: &str) -> Page {
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Refusal::bad(format!(
                "检索词过长（最多 {MAX_QUERY_CHARS} 字）。"
            )));
        }
        let id = DocId::parse(id).ok_or_else(Refusal::not_found)?;
        self.cached(format!("/doc/{id}?q={q}"), || self.render_document(&id, q))
    }

    fn render_document(&self, id: &DocId, q: &str) -> Result<Rendered, Refusal> {
        let (record, text) = self.archive.get_id(id)?.ok_or_else(Refusal::not_found)?;
        let occurrences = match q {
            "" => Vec::new(),
            q => SearchQuery::parse(q)
                .map_err(|e| Refusal::bad(format!("检索式有误：{e}")))?
                .occurrences_in_stored(&text),
        };
        let outline = Outline::parse(&text);
        // The page shows the verdicts, not the anchors per 100 words: no words are counted (that
        // would segment the whole text on every view).
        let spec = gongwen::specificity(&text, &outline, &self.dicts.segmenter, 0);
        let formula_set = &self.dicts.formulas;
        let formulas = formula_set.find(&text);
        let view = gongwen::DocumentView {
            record: &record,
            text: &text,
            outline: &outline,
            spec: &spec,
            formulas: &formulas,
            formula_set,
            query: q,
            occurrences: &occurrences,
        };
        let dir = self.dir.display().to_string();
        let context = WebContext {
            archive: &dir,
            ..self.context()?
        };
        Ok(Rendered::ok(gongwen::document_html(&view, &context)?, &[]))
    }

    /// The 查重报告 of an archived document, as `check --html` writes it; the last few are kept
    /// until the archive changes.
    fn check_page(&self, id: &str) -> Page {
        let (record, text) = self.find(id)?;
        let generation = self.generation.load(Ordering::Relaxed);
        let html = self.checks.get_or(record.doc_id.clone(), generation, || {
            self.check_html(&record, &text).map(Bytes::from)
        })?;
        Ok((StatusCode::OK, Bytes::clone(&html)))
    }

    fn check_html(&self, record: &gongwen::DocRecord, text: &str) -> Result<String, Refusal> {
        let (html, _unread) = crate::check::with_check(
            &self.archive,
            gongwen::CheckedDoc {
                doc_id: &record.doc_id,
                path: &record.path,
                metadata: &record.metadata,
                text,
            },
            crate::check::Limits::CHECK,
            false,
            &self.dicts,
            |json| crate::check::report_html(&self.archive, &self.dir, text, json),
        )
        .map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "查重出错",
                format!("{e:#}"),
            )
        })?;
        html.map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "查重出错",
                format!("{e:#}"),
            )
        })
    }
}

/// What a page says of the documents a scan passed over (a stored text missing or damaged): one
/// line each, also printed on the server's console.
fn passed_over(passed: gongwen::PassedOver) -> Vec<String> {
    passed
        .0
        .iter()
        .map(|e| {
            crate::report_error(&format_args!("warning: {e}"));
            format!("未计入：{e}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_cache(budget: usize) -> Cache<String, Bytes> {
        Cache::new(budget, |k, v| page_weight(k, v))
    }

    #[test]
    fn the_page_cache_stays_within_its_bytes() {
        let budget = 64 * 1024;
        let cache = bytes_cache(budget);
        let page = |i: usize| Bytes::from(format!("<p>{i}</p>").repeat(100));
        for i in 0..10_000 {
            let key = format!("/?q={i}");
            cache.put(key.clone(), 0, Arc::new(page(i)));
            assert!(
                cache.used() <= budget,
                "{} bytes after {i} pages",
                cache.used()
            );
            assert_eq!(cache.get(&key, 0).as_deref(), Some(&page(i)));
        }
        // Full, not empty: eviction drops what it must, one at a time.
        assert!(cache.used() > budget - 2 * page_weight("/?q=9999", &page(9999)));
        // Eviction is by last use: a page read now outlives those put after it.
        cache.put("a".into(), 0, Arc::new(page(1)));
        for i in 0..1000 {
            assert!(
                cache.get(&"a".into(), 0).is_some(),
                "lost after {i} newer pages"
            );
            cache.put(format!("/?p={i}"), 0, Arc::new(page(i)));
        }
        assert!(cache.get(&"/?q=9999".into(), 0).is_none());
        // A page over the whole budget is not kept and drops nothing.
        let before = cache.used();
        cache.put("huge".into(), 0, Arc::new(Bytes::from(vec![b'x'; budget])));
        assert!(cache.get(&"huge".into(), 0).is_none());
        assert_eq!(cache.used(), before);
    }

    #[test]
    fn a_kept_page_does_not_outlive_its_commit() {
        let cache = bytes_cache(1 << 20);
        let key = String::from("/?q=党");
        cache.put(key.clone(), 3, Arc::new(Bytes::from("old")));
        assert_eq!(cache.get(&key, 3).as_deref(), Some(&Bytes::from("old")));
        assert!(cache.get(&key, 4).is_none());
        // A page rendered before the commit and finished after it is not kept.
        cache.put("other".into(), 4, Arc::new(Bytes::from("new")));
        cache.put(key.clone(), 3, Arc::new(Bytes::from("late")));
        assert!(cache.get(&key, 3).is_none() && cache.get(&key, 4).is_none());
        // The new commit dropped all that was kept for the old one.
        assert_eq!(cache.used(), page_weight("other", &Bytes::from("new")));
        let made = cache.get_or(key.clone(), 4, || Ok::<_, ()>(Bytes::from("fresh")));
        assert_eq!(made.unwrap().as_ref(), &Bytes::from("fresh"));
        let again = cache.get_or(key, 4, || Err(()));
        assert_eq!(again.unwrap().as_ref(), &Bytes::from("fresh"));
    }

    #[test]
    fn only_this_server_and_loopback_are_allowed_hosts() {
        let local = Hosts {
            ip: "127.0.0.1".parse().unwrap(),
            port: 7878,
        };
        for ok in [
            "127.0.0.1:7878",
            "localhost:7878",
            "LOCALHOST:7878",
            "[::1]:7878",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:7878",
            "127.0.0.1:80",
            "127.0.0.1",
            "localhost",
            "localhost.evil.example:7878",
            "192.168.1.5:7878",
            "",
            "[::1]",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
        let all = Hosts {
            ip: "0.0.0.0".parse().unwrap(),
            port: 80,
        };
        assert!(all.allows("192.168.1.5"));
        assert!(!all.allows("evil.example"));
    }
}
