//! Answering a query from the written index files, the way `search.js`
//! does in the browser: the same keys, the same exact matching, the same
//! order. The tests use it to check the index against the text itself.

use std::path::{Path, PathBuf};

use super::codec::{fnv1a32, get_varint, BitReader};
use super::index::{bucket_path, chunk_path, large_path, TITLE_SPAN};
use super::normalise::query_terms;

/// One result: the item and how many of the query's terms are in its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub title_terms: usize,
}

/// An index written under `dir` (the site's `search/` folder).
pub struct Index {
    dir: PathBuf,
    docs: u32,
    buckets: u32,
    /// Bytes read, as a browser would download them (each file once).
    pub bytes_read: std::cell::Cell<usize>,
    read: std::cell::RefCell<std::collections::HashSet<String>>,
}

/// Where a key's list is.
enum Place {
    /// In its bucket.
    Inline(Vec<u8>),
    /// In a file of its own, whole or, `chunked`, its head.
    File { bucket: u32, n: u64, chunked: bool },
}

/// The head of a list in chunks (see `encode_chunked` in `index.rs`).
struct Head<'a> {
    title: &'a [u8],
    /// Where each chunk's range of items starts.
    starts: Vec<u32>,
    first: &'a [u8],
}

impl<'a> Head<'a> {
    fn read(bytes: &'a [u8]) -> Option<Head<'a>> {
        let mut at = 0;
        let _df = get_varint(bytes, &mut at)?;
        let len = get_varint(bytes, &mut at)? as usize;
        let title = bytes.get(at..at + len)?;
        at += len;
        let chunks = get_varint(bytes, &mut at)? as usize;
        let mut starts = Vec::with_capacity(chunks);
        let mut start = 0u32;
        for _ in 0..chunks {
            start += get_varint(bytes, &mut at)? as u32;
            starts.push(start);
        }
        let len = get_varint(bytes, &mut at)? as usize;
        let first = bytes.get(at..at + len)?;
        Some(Head {
            title,
            starts,
            first,
        })
    }
}

/// Which items a term is in; `title` marks those where it is in the title.
struct TermMatch {
    docs: Vec<u32>,
    title: Vec<bool>,
}

impl Index {
    pub fn open(dir: &Path) -> std::io::Result<Index> {
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json"))?)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let number = |name: &str| meta[name].as_u64().unwrap_or(0) as u32;
        Ok(Index {
            dir: dir.to_path_buf(),
            docs: number("docs"),
            buckets: number("buckets").max(1),
            bytes_read: Default::default(),
            read: Default::default(),
        })
    }

    fn file(&self, rel: &str) -> Vec<u8> {
        let bytes = std::fs::read(self.dir.join(rel)).unwrap_or_default();
        if self.read.borrow_mut().insert(rel.to_string()) {
            self.bytes_read.set(self.bytes_read.get() + bytes.len());
        }
        bytes
    }

    /// Where the list of a key is, if any item has it.
    fn locate(&self, key: &str) -> Option<Place> {
        let bucket = fnv1a32(key.as_bytes()) % self.buckets;
        let bytes = self.file(&bucket_path(bucket));
        let mut at = 0;
        while at < bytes.len() {
            let len = get_varint(&bytes, &mut at)? as usize;
            let found = bytes.get(at..at + len)? == key.as_bytes();
            at += len;
            let value = get_varint(&bytes, &mut at)?;
            if value % 2 == 1 {
                if found {
                    return Some(Place::File {
                        bucket,
                        n: value / 4,
                        chunked: value % 4 == 3,
                    });
                }
            } else {
                let len = (value / 2) as usize;
                if found {
                    return bytes.get(at..at + len).map(|b| Place::Inline(b.to_vec()));
                }
                at += len;
            }
        }
        None
    }

    /// The list of a one- or two-unit key, if any item has it.
    fn items(&self, key: &str) -> Option<TermMatch> {
        let bytes = match self.locate(key)? {
            Place::Inline(bytes) => bytes,
            Place::File { bucket, n, .. } => self.file(&large_path(bucket, n)),
        };
        decode_items(&bytes, self.docs)
    }

    /// The whole list of a trigram, every chunk read, if any item has it.
    fn positional(&self, key: &str) -> Option<Positional> {
        match self.locate(key)? {
            Place::Inline(bytes) => decode_positional(&bytes, 0),
            Place::File {
                bucket,
                n,
                chunked: false,
            } => decode_positional(&self.file(&large_path(bucket, n)), 0),
            Place::File { bucket, n, .. } => {
                let head = self.file(&large_path(bucket, n));
                let head = Head::read(&head)?;
                let mut list = decode_positional(head.first, 0)?;
                for (c, &base) in head.starts.iter().enumerate().skip(1) {
                    let bytes = self.file(&chunk_path(bucket, n, c as u32));
                    list.append(decode_positional(&bytes, base)?);
                }
                Some(list)
            }
        }
    }

    /// Every trigram list in chunks: its key, its title part, the item
    /// where each chunk starts, and the whole list (for tests).
    pub fn chunked_lists(&self) -> Vec<(String, Positional, Vec<u32>, Positional)> {
        let mut found = Vec::new();
        for bucket in 0..self.buckets {
            let bytes = self.file(&bucket_path(bucket));
            let mut at = 0;
            while at < bytes.len() {
                let len = get_varint(&bytes, &mut at).unwrap_or(0) as usize;
                let key = String::from_utf8_lossy(&bytes[at..at + len]).into_owned();
                at += len;
                let value = get_varint(&bytes, &mut at).unwrap_or(0);
                if value.is_multiple_of(2) {
                    at += (value / 2) as usize;
                } else if value % 4 == 3 {
                    let head = self.file(&large_path(bucket, value / 4));
                    let head = Head::read(&head).expect("a list's head");
                    let title = decode_positional(head.title, 0).expect("a title part");
                    let whole = self.positional(&key).expect("a list in chunks");
                    found.push((key, title, head.starts, whole));
                }
            }
        }
        found
    }

    /// Every item that has every term, title hits first, then in item order (newest first).
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut result: Option<Vec<Hit>> = None;
        for term in &terms {
            let found = self.term(term);
            let hits: Vec<Hit> = found
                .docs
                .iter()
                .zip(&found.title)
                .map(|(&doc, &title)| Hit {
                    doc,
                    title_terms: usize::from(title),
                })
                .collect();
            result = Some(match result {
                None => hits,
                Some(before) => intersect(&before, &hits),
            });
        }
        let mut hits = result.unwrap_or_default();
        hits.sort_by(|a, b| b.title_terms.cmp(&a.title_terms).then(a.doc.cmp(&b.doc)));
        hits
    }

    fn term(&self, units: &[String]) -> TermMatch {
        let empty = TermMatch {
            docs: Vec::new(),
            title: Vec::new(),
        };
        if units.len() <= 2 {
            return self.items(&units.join(" ")).unwrap_or(empty);
        }
        let offsets = cover(units.len());
        let mut lists = Vec::new();
        for &o in &offsets {
            let key = units[o..o + 3].join(" ");
            match self.positional(&key) {
                Some(list) => lists.push(list),
                None => return empty,
            }
        }
        match_positions(&lists, &offsets)
    }
}

/// Offsets of the trigrams whose positions prove a term of `n` ≥ 3 units:
/// every unit is in one of them, so `0, 3, 6 …` and the last one.
pub fn cover(n: usize) -> Vec<usize> {
    let mut offsets: Vec<usize> = (0..n - 2).step_by(3).collect();
    if !(n - 3).is_multiple_of(3) {
        offsets.push(n - 3);
    }
    offsets
}

/// A trigram's decoded list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positional {
    pub docs: Vec<u32>,
    /// `positions[starts[i]..starts[i + 1]]` are the positions in `docs[i]`.
    pub starts: Vec<usize>,
    pub positions: Vec<u32>,
}

impl Positional {
    /// The positions in `docs[i]`.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.positions[self.starts[i]..self.starts[i + 1]]
    }

    /// Adds a list of later items after this one's.
    fn append(&mut self, other: Positional) {
        let offset = self.positions.len();
        self.docs.extend(other.docs);
        self.starts.pop();
        self.starts.extend(other.starts.iter().map(|s| s + offset));
        self.positions.extend(other.positions);
    }
}

/// A trigram's list, or a chunk of one whose first item is counted from `base`.
pub fn decode_positional(bytes: &[u8], base: u32) -> Option<Positional> {
    let mut at = 0;
    let df = get_varint(bytes, &mut at)? as usize;
    let orders = bytes.get(at..at + 4)?;
    let (k_doc, k_count, k_first, k_rest) = (
        u32::from(orders[0]),
        u32::from(orders[1]),
        u32::from(orders[2]),
        u32::from(orders[3]),
    );
    let mut reader = BitReader::new(bytes, at + 4);
    let mut list = Positional {
        docs: Vec::with_capacity(df),
        starts: Vec::with_capacity(df + 1),
        positions: Vec::new(),
    };
    let mut next = base;
    for _ in 0..df {
        let doc = next + reader.eg(k_doc)?;
        next = doc + 1;
        list.docs.push(doc);
        list.starts.push(list.positions.len());
        let count = reader.eg(k_count)? + 1;
        let mut position = reader.eg(k_first)?;
        list.positions.push(position);
        for _ in 1..count {
            position += reader.eg(k_rest)? + 1;
            list.positions.push(position);
        }
    }
    list.starts.push(list.positions.len());
    Some(list)
}

fn decode_items(bytes: &[u8], docs: u32) -> Option<TermMatch> {
    let mut at = 0;
    let df = get_varint(bytes, &mut at)? as usize;
    let tdf = get_varint(bytes, &mut at)? as usize;
    let header = bytes.get(at..at + 3)?;
    let (bitmap, k_doc, k_title) = (header[0] == 1, u32::from(header[1]), u32::from(header[2]));
    let mut reader = BitReader::new(bytes, at + 3);
    let mut found = TermMatch {
        docs: Vec::with_capacity(df),
        title: vec![false; df],
    };
    if bitmap {
        for doc in 0..docs {
            if reader.bit()? {
                found.docs.push(doc);
            }
        }
    } else {
        let mut next = 0;
        for _ in 0..df {
            let doc = next + reader.eg(k_doc)?;
            found.docs.push(doc);
            next = doc + 1;
        }
    }
    let mut next = 0;
    for _ in 0..tdf {
        let doc = next + reader.eg(k_title)?;
        next = doc + 1;
        if let Ok(i) = found.docs.binary_search(&doc) {
            found.title[i] = true;
        }
    }
    Some(found)
}

/// Items where the bigrams stand at `p + offsets[i]` for some `p`.
fn match_positions(lists: &[Positional], offsets: &[usize]) -> TermMatch {
    let mut found = TermMatch {
        docs: Vec::new(),
        title: Vec::new(),
    };
    let mut cursors = vec![0usize; lists.len()];
    'docs: for (i, &doc) in lists[0].docs.iter().enumerate() {
        for (l, list) in lists.iter().enumerate().skip(1) {
            while cursors[l] < list.docs.len() && list.docs[cursors[l]] < doc {
                cursors[l] += 1;
            }
            if list.docs.get(cursors[l]) != Some(&doc) {
                continue 'docs;
            }
        }
        let mut matched = false;
        let mut in_title = false;
        for &p in &lists[0].positions[lists[0].starts[i]..lists[0].starts[i + 1]] {
            let all = lists
                .iter()
                .zip(offsets)
                .enumerate()
                .skip(1)
                .all(|(l, (list, &o))| {
                    let c = cursors[l];
                    list.positions[list.starts[c]..list.starts[c + 1]]
                        .binary_search(&(p + o as u32))
                        .is_ok()
                });
            if all {
                matched = true;
                in_title |= p < TITLE_SPAN;
            }
        }
        if matched {
            found.docs.push(doc);
            found.title.push(in_title);
        }
    }
    found
}

fn intersect(a: &[Hit], b: &[Hit]) -> Vec<Hit> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].doc.cmp(&b[j].doc) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(Hit {
                    doc: a[i].doc,
                    title_terms: a[i].title_terms + b[j].title_terms,
                });
                i += 1;
                j += 1;
            }
        }
    }
    out
}
