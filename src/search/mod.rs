//! Search for a static site, in Chinese, with no server: an index written at
//! build time under `search/`, and `search.js` in the theme that answers a
//! query in the browser by downloading only the parts of the index it needs.
//!
//! Why an index of our own rather than a search library: a resident who
//! types `反诈` or `老年人智能手机` must find every item whose text contains
//! it. Indexes built on word segmentation (elasticlunr in Zola, Pagefind's
//! extended build) miss a substring that spans two of their words, or one
//! that is only part of a word (`智能手` in `智能手机`). This index is built
//! on character pairs with their positions (see [`index`]), so any substring
//! is found exactly, whatever a segmenter would have made of it, and it needs
//! no dictionary, no WebAssembly and no network beyond the site itself.
//!
//! Items are published articles, activity records, honoured residents and
//! pages, numbered newest first (so that number order is date order). Each
//! gets a record (`d/…/<n>.json`): what a result shows (title, link, date, category) and
//! its text, for the snippet. Article texts are taken from the bodies the
//! render pass has just made, one article at a time, and written straight
//! away; the index is then built by reading those files back in order, so
//! no more than one body is held at a time.

pub mod codec;
pub mod index;
pub mod normalise;
pub mod query;
mod scratch;
#[cfg(test)]
mod tests;
pub mod text;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::site::Site;
use codec::Stamp;
use index::IndexBuilder;
use scratch::Scratch;

/// Where the index is written in the site.
pub const DIR: &str = "search";

/// What `d/<n>.json` holds for one item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// Title.
    pub t: String,
    /// Site path, percent-encoded, without the base path; or, for a
    /// district portal's member article, its absolute URL.
    pub u: String,
    /// Date, `YYYY-MM-DD`, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub d: String,
    /// Category or kind, as shown.
    pub c: String,
    /// Other searchable fields: authors, community, tags, the date written out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub m: Vec<String>,
    /// The text, for snippets.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub x: String,
}

#[derive(Clone, Copy)]
enum Item {
    Article(usize),
    Activity(usize),
    Person(usize),
    Page(usize),
    /// A district portal's member office's article: (office, article).
    Member(usize, usize),
}

/// Collects the searchable text of every item during the render and writes the index.
pub struct Collector<'a> {
    site: &'a Site,
    items: Vec<Item>,
    article_ids: HashMap<usize, u32>,
    /// The bytes of the records written, which set the index's layout.
    record_bytes: AtomicU64,
}

impl<'a> Collector<'a> {
    /// Numbers every item: articles and activity records by date, newest
    /// first, then residents and pages.
    pub fn new(site: &'a Site) -> Self {
        let mut dated: Vec<(chrono::DateTime<chrono::FixedOffset>, u8, usize, Item)> = Vec::new();
        for (i, article) in site.articles.iter().enumerate() {
            dated.push((article.date, 0, i, Item::Article(i)));
        }
        for (i, activity) in site.activities.iter().enumerate() {
            dated.push((activity.date, 1, i, Item::Activity(i)));
        }
        dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut items: Vec<Item> = dated.into_iter().map(|d| d.3).collect();
        items.extend((0..site.people.len()).map(Item::Person));
        items.extend((0..site.pages.len()).map(Item::Page));
        if let Some(district) = &site.district {
            items.extend(district.latest.iter().map(|&(o, a)| Item::Member(o, a)));
        }
        let article_ids = items
            .iter()
            .enumerate()
            .filter_map(|(id, item)| match item {
                Item::Article(i) => Some((*i, id as u32)),
                _ => None,
            })
            .collect();
        Collector {
            site,
            items,
            article_ids,
            record_bytes: AtomicU64::new(0),
        }
    }

    /// The record of article `index`, encoded, from the text of its
    /// rendered body (`text::html_to_text`); `None` for an article the
    /// index leaves out.
    pub fn article_record(&self, index: usize, body_text: &str) -> Option<Vec<u8>> {
        self.article_ids.get(&index)?;
        let site = self.site;
        let article = &site.articles[index];
        let mut m: Vec<String> = Vec::new();
        m.extend(article.authors.iter().cloned());
        m.extend(article.editor.iter().cloned());
        m.extend(article.source.iter().cloned());
        m.extend(article.community.iter().cloned());
        m.extend(article.grid.iter().cloned());
        m.extend(article.tags.iter().cloned());
        m.extend(date_forms(&article.date));
        let record = Record {
            t: article.title.clone(),
            u: crate::slug::encode_path(&article.url_path),
            d: article.date.format("%Y-%m-%d").to_string(),
            c: site.config.categories[article.category].name.clone(),
            m,
            x: body_text.to_string(),
        };
        Some(encode_record(&record))
    }

    /// Writes article `index`'s record, made by [`Self::article_record`]
    /// (now or for an earlier build: it holds no item number).
    pub fn write_article(
        &self,
        index: usize,
        record: std::sync::Arc<[u8]>,
        staging: &dyn Sink,
    ) -> Result<(), Diagnostic> {
        let Some(&id) = self.article_ids.get(&index) else {
            return Ok(());
        };
        self.record_bytes
            .fetch_add(record.len() as u64, Ordering::Relaxed);
        staging.write_shared(&format!("{DIR}/{}", record_path(id)), record)
    }

    /// How many items the index numbers.
    pub fn item_count(&self) -> u32 {
        self.items.len() as u32
    }

    /// The bytes of the records written so far.
    pub fn record_bytes(&self) -> u64 {
        self.record_bytes.load(Ordering::Relaxed)
    }

    /// Writes the records of everything but articles and, unless
    /// `with_index` is false (`serve` builds it after the reload, see
    /// [`write_index`]), the index itself. `body_text` gives the plain text
    /// of a resident's story or a page, rendered as its page is (the
    /// renderer's, so that it is masked and sanitised alike).
    pub fn finish(
        &self,
        body_text: &(dyn Fn(&Path, &str, &str) -> String + Sync),
        staging: &dyn Sink,
        diagnostics: &Diagnostics,
        with_index: bool,
    ) {
        let site = self.site;
        // Side by side: a resident's or a page's record reads and renders its body.
        self.items.par_iter().enumerate().for_each(|(id, item)| {
            let record = match *item {
                Item::Article(_) => return,
                Item::Activity(i) => activity_record(site, i),
                Item::Member(o, a) => member_record(site, o, a),
                Item::Person(i) => {
                    let person = &site.people[i];
                    let mut m: Vec<String> = person
                        .honors
                        .iter()
                        .map(|h| format!("{}年{}", h.year, h.title))
                        .collect();
                    m.extend(person.community.iter().cloned());
                    Record {
                        t: person.name.clone(),
                        u: crate::slug::encode_path(&person.url_path),
                        d: String::new(),
                        c: "身边好人".into(),
                        m,
                        x: body_text(&person.path, &person.rel, &person.shown),
                    }
                }
                Item::Page(i) => {
                    let page = &site.pages[i];
                    Record {
                        t: page.title.clone(),
                        u: crate::slug::encode_path(&page.url_path),
                        d: String::new(),
                        c: String::new(),
                        m: Vec::new(),
                        x: body_text(&page.path, &page.rel, &page.shown),
                    }
                }
            };
            let bytes = encode_record(&record);
            self.record_bytes
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            let path = format!("{DIR}/{}", record_path(id as u32));
            if let Err(problem) = staging.write(&path, &bytes) {
                diagnostics.push(problem);
            }
        });
        if with_index {
            let read = |rel: &str| staging.read(rel);
            let (count, bytes) = (self.item_count(), self.record_bytes());
            if let Err(problem) = write_index(count, bytes, &read, staging, &|| false) {
                diagnostics.push(problem);
            }
        }
    }
}

/// The record of a member office's article in a district portal: its URL
/// is the office's own page of it, absolute.
fn member_record(site: &Site, office: usize, article: usize) -> Record {
    let Some(district) = &site.district else {
        return Record::default();
    };
    let office = &district.offices[office];
    let article = &office.articles[article];
    let mut m = vec![office.name.clone()];
    m.extend(date_forms(&article.date));
    Record {
        t: article.title.clone(),
        u: article.link.clone(),
        d: article.date.format("%Y-%m-%d").to_string(),
        c: if article.category.is_empty() {
            office.name.clone()
        } else {
            format!("{} · {}", office.name, article.category)
        },
        m,
        x: article.text.clone(),
    }
}

/// Bytes of records one run covers. Its postings, as collected, take about
/// twice that in memory, and as many runs are made at once as there are
/// threads.
const RUN_RECORD_BYTES: u64 = 4 << 20;

/// Builds the index of `count` items from their records (`record_bytes`
/// in all), read through `read` (by site path), and writes it to `out`.
/// Stops early once `cancelled` says a newer build has made this one
/// useless; what it wrote by then is of no use.
///
/// The records are read once, in runs over consecutive ranges of items,
/// side by side; each run's postings go to a file in `out`'s scratch
/// folder (or stay in memory when it has none), so memory holds a few runs'
/// postings however large the site. The runs are then merged a range of
/// buckets at a time, side by side, each bucket written as it is done.
pub fn write_index(
    count: u32,
    record_bytes: u64,
    read: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    out: &dyn Sink,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<(), Diagnostic> {
    let buckets = index::buckets_for(record_bytes);
    let threads = rayon::current_num_threads().max(1) as u32;
    let runs = (record_bytes.div_ceil(RUN_RECORD_BYTES) as u32)
        .max(1)
        .div_ceil(threads)
        * threads;
    let runs = runs.min(count.max(1));
    let scratch = Scratch::new(out.scratch_dir())?;
    let made: Vec<Result<(index::Run, Stamp), Diagnostic>> = (0..runs)
        .into_par_iter()
        .map(|run| {
            let (from, to) = (share(count, run, runs), share(count, run + 1, runs));
            let mut builder = IndexBuilder::new(buckets);
            let mut stamp = Stamp::default();
            for id in from..to {
                if id % 512 == 0 && cancelled() {
                    break;
                }
                // A record missing here failed to render (that error is
                // reported already), or the sink keeps no bytes (`check`).
                let Some(bytes) = read(&format!("{DIR}/{}", record_path(id))) else {
                    continue;
                };
                stamp.write(&bytes);
                let Some(record) = decode_record(&bytes) else {
                    continue;
                };
                let mut fields: Vec<&str> = record.m.iter().map(String::as_str).collect();
                fields.push(&record.c);
                fields.push(&record.x);
                builder.add(id, &record.t, &fields);
            }
            let file = scratch.path(&format!("{run}.run"));
            let made = builder.into_run(file.clone());
            made.map(|made| (made, stamp))
                .map_err(|e| scratch.error(file.as_deref(), &e))
        })
        .collect();
    let mut stamp = Stamp::default();
    let mut made_runs = Vec::with_capacity(made.len());
    for run in made {
        let (run, run_stamp) = run?;
        stamp.write(&run_stamp.value().to_le_bytes());
        made_runs.push(run);
    }
    if cancelled() {
        return Ok(());
    }
    // Ranges of buckets small enough to share out evenly, large enough
    // that each reads a good stretch of every run.
    let parts = (threads * 16).min(buckets);
    let merged: Vec<Result<Stamp, Diagnostic>> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut stamp = Stamp::default();
            if cancelled() {
                return Ok(stamp);
            }
            let range = share(buckets, part, parts)..share(buckets, part + 1, parts);
            let write = |file: index::IndexFile| {
                stamp.write(file.path.as_bytes());
                stamp.write(&file.bytes);
                out.write(&format!("{DIR}/{}", file.path), &file.bytes)
            };
            let chunking = index::CHUNKING;
            let unreadable = |e| scratch.error(None, &e);
            index::merge_runs(&made_runs, count, chunking, range, write, unreadable)?;
            Ok(stamp)
        })
        .collect();
    for part in merged {
        stamp.write(&part?.value().to_le_bytes());
    }
    if cancelled() {
        return Ok(());
    }
    drop(made_runs);
    drop(scratch);
    let meta = meta_json(count, buckets, stamp);
    out.write(&format!("{DIR}/meta.json"), meta.as_bytes())
}

/// Where part `n` of `parts` of `0..total` starts.
fn share(total: u32, n: u32, parts: u32) -> u32 {
    (u64::from(total) * u64::from(n) / u64::from(parts.max(1))) as u32
}

/// `meta.json`: what `search.js` needs before it can look anything up.
pub fn meta_json(docs: u32, buckets: u32, stamp: Stamp) -> String {
    serde_json::json!({
        "format": 2,
        "version": format!("{:016x}", stamp.value()),
        "docs": docs,
        "buckets": buckets,
        "title_span": index::TITLE_SPAN,
        "traditional": normalise::traditional_table(),
    })
    .to_string()
}

/// Where the record of item `id` is, under `search/`.
pub fn record_path(id: u32) -> String {
    format!("d/{}/{id}.json", id / index::FOLDER)
}

/// Records are JSON in UTF-16: two bytes for a Chinese character rather
/// than UTF-8's three, and every browser decodes it.
pub fn encode_record(record: &Record) -> Vec<u8> {
    let json = serde_json::to_string(record).unwrap_or_default();
    let mut bytes = Vec::with_capacity(json.len() * 2);
    for unit in json.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

pub fn decode_record(bytes: &[u8]) -> Option<Record> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    serde_json::from_str(&String::from_utf16(&units).ok()?).ok()
}

/// The ways a resident may type a date: `2024-03-05`, `2024年3月5日`,
/// `2024年03月05日` (the last two are one when month and day have two digits).
fn date_forms(date: &chrono::DateTime<chrono::FixedOffset>) -> Vec<String> {
    let mut forms = vec![
        date.format("%Y-%m-%d").to_string(),
        date.format("%Y年%-m月%-d日").to_string(),
        date.format("%Y年%m月%d日").to_string(),
    ];
    forms.dedup();
    forms
}

fn activity_record(site: &Site, index: usize) -> Record {
    let activity = &site.activities[index];
    let mut lines = Vec::new();
    if let Some(community) = &activity.community {
        lines.push(match &activity.grid {
            Some(grid) => format!("{community} {grid}"),
            None => community.clone(),
        });
    }
    lines.extend(activity.place.iter().map(|p| format!("地点：{p}")));
    lines.extend(activity.organizer.iter().map(|o| format!("组织：{o}")));
    if activity.participants > 0 {
        lines.push(format!("服务群众 {} 人次", activity.participants));
    }
    // The record's row on its year's page, which links to the report if
    // there is one (the report is a result of its own).
    Record {
        t: activity.title.clone(),
        u: crate::render::views::activity_location(site, index),
        d: activity.date.format("%Y-%m-%d").to_string(),
        c: format!("活动记录 · {}", site.config.categories[activity.kind].name),
        m: date_forms(&activity.date),
        x: lines.join("；"),
    }
}
