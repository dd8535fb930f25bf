//! Building the inverted index from the searchable fields of each item, and
//! writing it as bucket files.
//!
//! Keys are runs of one, two and three units. A one- or two-unit key lists
//! which items have it, and which have it in their title: that answers a
//! query term of one or two units (`反诈`, `5g`) exactly. A three-unit key
//! (trigram) lists, for each item, every position where it stands: a longer
//! term is found by checking that trigrams covering it stand at the right
//! distances (`老年人` at p, `智能手` at p + 3, `能手机` at p + 4 for
//! `老年人智能手机`), which proves the whole term is there, as a substring,
//! without the item's text. Trigrams rather than bigrams, because a query
//! then downloads the positions of `志愿服` rather than those of `志愿` and
//! `服务`, which are in nearly every article.
//!
//! Positions: the title takes 0‥[`TITLE_SPAN`]; the other fields follow from
//! `TITLE_SPAN` on, each one position apart from the next, so no match runs
//! from one field into another, and a match before `TITLE_SPAN` is a title hit.
//!
//! Files: a key's bucket is `fnv1a32(key) % buckets`; the bucket file holds
//! its small lists, sorted by key, and points to a file of its own for a
//! list too large to share one, so a query downloads the buckets of its keys
//! and the large lists it needs, nothing more.
//!
//! Chunks: a trigram in nearly every item has a list of 100 KB and more at
//! 10,000 articles, and a query needs only its first page of results. So a
//! positional list larger than [`Chunking::list`] is split by item range
//! into chunks (items are numbered newest first, so the first chunk holds
//! the newest), each twice the size of the one before, starting at
//! [`Chunking::first`]. Its own file, the head, holds what ranking needs of
//! every item, the title part (the items with the trigram in their title,
//! with their title positions), then where each chunk starts, then the first
//! chunk; the other chunks have files of their own, fetched as the reader
//! pages on. Ranking is title hits first, then newest first: with the title
//! parts, the first chunks and nothing more, `search.js` knows every title
//! hit and the newest other hits; once every chunk is in, every item.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::codec::{best_order, eg_len, fnv1a32, get_varint, put_varint, varint_len, BitWriter};
use super::normalise;

/// Positions before this are in the title.
pub const TITLE_SPAN: u32 = 256;
/// A list larger than this gets a file of its own.
pub const LARGE_LIST: usize = 2048;

/// When and how a trigram's list is split into chunks (see the module's comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// A positional list larger than this, encoded whole, is split.
    pub list: usize,
    /// About how many bytes the first chunk holds; each next one, twice the one before.
    pub first: usize,
}

/// The chunking of a built site's index.
pub const CHUNKING: Chunking = Chunking {
    list: 8192,
    first: 4096,
};
/// About how many bytes of small lists one bucket file holds.
pub const BUCKET_BYTES: usize = 8192;
/// Unit ids at and above this are interned Latin and digit runs; below, a character.
const WORD_BASE: u32 = 0x11_0000;

/// A key, by unit ids, packed into one number so that it hashes and sorts
/// quickly: its length (1 to 3) in the top bits, then three unit ids of
/// [`UNIT_BITS`] bits each (0 where the key is shorter).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key(u128);

const UNIT_BITS: u32 = 30;
const UNIT_MASK: u32 = (1 << UNIT_BITS) - 1;

impl Key {
    fn new(units: &[u32]) -> Key {
        let mut packed = units.len() as u128;
        for slot in 0..3 {
            let unit = units.get(slot).map_or(0, |&u| u.min(UNIT_MASK));
            packed = (packed << UNIT_BITS) | u128::from(unit);
        }
        Key(packed)
    }

    fn units(self) -> impl Iterator<Item = u32> {
        let len = (self.0 >> (3 * UNIT_BITS)) as usize;
        (0..len).map(move |slot| ((self.0 >> (UNIT_BITS * (2 - slot as u32))) as u32) & UNIT_MASK)
    }

    /// The key of its first `len` units.
    fn start(self, len: u32) -> Key {
        let kept = UNIT_BITS * len;
        let units = (self.0 >> (3 * UNIT_BITS - kept)) & ((1 << kept) - 1);
        Key((u128::from(len) << (3 * UNIT_BITS)) | (units << (3 * UNIT_BITS - kept)))
    }

    fn is_trigram(self) -> bool {
        self.0 >> (3 * UNIT_BITS) == 3
    }
}

/// How many bucket files an index of records of `record_bytes` in all
/// (UTF-16 JSON, text included) gets: a power of two, at most 65,536, so
/// that a bucket's small lists come to about [`BUCKET_BYTES`]. It is
/// decided before any list is made (the runs are sorted by bucket), from an
/// estimate of the small lists' size: they grow about as the square root of
/// the text, since new keys get rarer as it grows and a frequent key's list
/// becomes large and goes to a file of its own. Measured: 0.7 MB of small
/// lists for 0.1 MB of records (the sample site), 17 MB for 62 MB (10,000
/// generated articles).
pub fn buckets_for(record_bytes: u64) -> u32 {
    let small = 2250.0 * (record_bytes as f64).sqrt();
    let buckets = (small / BUCKET_BYTES as f64).max(1.0);
    // The nearest power of two.
    let power = buckets.log2().round().clamp(0.0, 16.0);
    1 << power as u32
}

/// Postings as they are collected: varint-coded, items in increasing order.
#[derive(Default)]
struct Collected {
    /// The last item added, plus one (0: none yet).
    next: u32,
    bytes: Vec<u8>,
}

pub struct IndexBuilder {
    buckets: u32,
    chunking: Chunking,
    /// Latin and digit runs by text (a quick hash: they are many, and short).
    words: FxHashMap<String, u32>,
    word_text: Vec<String>,
    /// Each key's number, in the order keys were first seen.
    ids: HashMap<Key, u32, FastHash>,
    /// By key number: the key.
    keys: Vec<Key>,
    /// By key number: its list.
    lists: Vec<Collected>,
    /// By key number: where the key was last seen, and its starts.
    seen: Vec<Seen>,
    /// The keys of the item being added; kept between items so that their
    /// memory is reused.
    item: ItemKeys,
    /// The unit ids of the field being added (reused likewise).
    units: Vec<u32>,
    docs: u32,
}

/// Where a key was last seen, kept by the key's number: enough to tell an
/// item's keys apart without a table for each item.
#[derive(Clone, Copy)]
struct Seen {
    /// The item that last had the key, plus one (0: none).
    doc: u32,
    /// The key's slot among that item's keys.
    slot: u32,
    /// A trigram's first pair and first unit, by number ([`NONE`] for a
    /// shorter key): what an item with the trigram has as well.
    starts: [u32; 2],
}

/// The keys of one item, gathered before they go to the lists: each
/// distinct key once, with whether it is in the title, and a trigram's
/// positions chained in the order they came.
#[derive(Default)]
struct ItemKeys {
    keys: Vec<ItemKey>,
    /// Each position of a trigram, with the index of the next one of the
    /// same trigram ([`NONE`] for the last).
    positions: Vec<(u32, u32)>,
}

struct ItemKey {
    id: u32,
    title: bool,
    /// A trigram's first and last position in `positions`, and their count.
    first: u32,
    last: u32,
    count: u32,
}

const NONE: u32 = u32::MAX;

impl ItemKeys {
    fn clear(&mut self) {
        self.keys.clear();
        self.positions.clear();
    }

    /// The slot of key `id` among the keys of item `doc`, added when it is
    /// the item's first.
    fn slot(&mut self, seen: &mut [Seen], id: u32, doc: u32) -> usize {
        let seen = &mut seen[id as usize];
        if seen.doc == doc + 1 {
            return seen.slot as usize;
        }
        let slot = self.keys.len();
        self.keys.push(ItemKey {
            id,
            title: false,
            first: NONE,
            last: NONE,
            count: 0,
        });
        (seen.doc, seen.slot) = (doc + 1, slot as u32);
        slot
    }

    /// A one- or two-unit key, in the title or not.
    fn mark(&mut self, seen: &mut [Seen], id: u32, doc: u32, title: bool) {
        let slot = self.slot(seen, id, doc);
        self.keys[slot].title |= title;
    }

    /// A trigram at `position` (positions come in increasing order).
    fn place(&mut self, seen: &mut [Seen], id: u32, doc: u32, position: u32) {
        let slot = self.slot(seen, id, doc);
        let at = self.positions.len() as u32;
        self.positions.push((position, NONE));
        let entry = &mut self.keys[slot];
        match entry.last {
            NONE => entry.first = at,
            last => self.positions[last as usize].1 = at,
        }
        entry.last = at;
        entry.count += 1;
    }
}

/// A quick hash for keys made of unit ids (the standard one is built to
/// resist attacks, which a build of one's own content does not need).
#[derive(Default, Clone, Copy)]
struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }
    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }
    fn write_u128(&mut self, value: u128) {
        self.write_u64(value as u64);
        self.write_u64((value >> 64) as u64);
    }
    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// One file of the index: its path under `search/` and its bytes.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A whole index, in memory (for tests and benchmarks).
pub struct BuiltIndex {
    pub docs: u32,
    pub buckets: u32,
    pub files: Vec<IndexFile>,
}

impl IndexBuilder {
    /// A builder of an index of `buckets` buckets (a power of two).
    pub fn new(buckets: u32) -> Self {
        IndexBuilder {
            buckets: buckets.clamp(1, 1 << 16).next_power_of_two(),
            chunking: CHUNKING,
            words: FxHashMap::default(),
            word_text: Vec::new(),
            ids: HashMap::default(),
            keys: Vec::new(),
            lists: Vec::new(),
            seen: Vec::new(),
            item: ItemKeys::default(),
            units: Vec::new(),
            docs: 0,
        }
    }

    /// The same builder, splitting lists as `chunking` says (tests use
    /// small chunks, to have many on a small corpus). It matters only to
    /// [`Self::finish`]: runs are merged with the chunking given to [`merge_runs`].
    pub fn with_chunking(mut self, chunking: Chunking) -> Self {
        self.chunking = chunking;
        self
    }

    /// The unit ids of a text, into `ids` (cleared first): the units of
    /// [`normalise::units`], without a string for each.
    fn unit_ids(&mut self, text: &str, ids: &mut Vec<u32>) {
        ids.clear();
        let mut word = String::new();
        let flush = |builder: &mut Self, word: &mut String, ids: &mut Vec<u32>| {
            if !word.is_empty() {
                let id = match builder.words.get(word.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = WORD_BASE + builder.word_text.len() as u32;
                        builder.word_text.push(word.clone());
                        builder.words.insert(word.clone(), id);
                        id
                    }
                };
                ids.push(id);
                word.clear();
            }
        };
        for c in text.chars() {
            if let Some(han) = normalise::han_unit(c) {
                flush(self, &mut word, ids);
                ids.push(han as u32);
                continue;
            }
            let c = normalise::normalise_char(c);
            match normalise::class(c) {
                normalise::Class::Word => word.push(c),
                normalise::Class::Skip => flush(self, &mut word, ids),
                normalise::Class::Single => {
                    flush(self, &mut word, ids);
                    ids.push(c as u32);
                }
            }
        }
        flush(self, &mut word, ids);
    }

    /// The number of `key`, given it when first seen (a trigram's starts
    /// with it, so that an item's starts are found by number).
    fn key_id(&mut self, key: Key) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let starts = if key.is_trigram() {
            [self.key_id(key.start(2)), self.key_id(key.start(1))]
        } else {
            [NONE; 2]
        };
        let id = self.keys.len() as u32;
        self.ids.insert(key, id);
        self.keys.push(key);
        self.lists.push(Collected::default());
        self.seen.push(Seen {
            doc: 0,
            slot: 0,
            starts,
        });
        id
    }

    /// Adds the next item (items must come in order 0, 1, 2 …): its title,
    /// then its other searchable fields.
    pub fn add(&mut self, doc: u32, title: &str, fields: &[&str]) {
        debug_assert!(doc >= self.docs);
        self.docs = doc + 1;
        let mut item = std::mem::take(&mut self.item);
        item.clear();
        let mut ids = std::mem::take(&mut self.units);
        let mut position = 0;
        for (n, text) in std::iter::once(&title).chain(fields).enumerate() {
            self.unit_ids(text, &mut ids);
            let title = n == 0;
            if title {
                ids.truncate(TITLE_SPAN as usize - 1);
            }
            for (i, window) in ids.windows(3).enumerate() {
                let id = self.key_id(Key::new(window));
                item.place(&mut self.seen, id, doc, position + i as u32);
            }
            // Every other unit and pair starts one of those trigrams, and
            // is marked from it once they are all placed.
            let tail = ids.len().saturating_sub(2);
            for (i, &unit) in ids.iter().enumerate().skip(tail) {
                let id = self.key_id(Key::new(&[unit]));
                item.mark(&mut self.seen, id, doc, title);
                if let Some(&second) = ids.get(i + 1) {
                    let id = self.key_id(Key::new(&[unit, second]));
                    item.mark(&mut self.seen, id, doc, title);
                }
            }
            position = if title {
                TITLE_SPAN
            } else if ids.is_empty() {
                position
            } else {
                position.saturating_add(ids.len() as u32 + 1)
            };
        }
        self.units = ids;
        // The first unit and the first pair of each trigram, in the title
        // when the trigram is (its first position is its lowest): by the
        // numbers the trigram keeps, once for each distinct trigram.
        for n in 0..item.keys.len() {
            let ItemKey { id, first, .. } = item.keys[n];
            let [pair, unit] = self.seen[id as usize].starts;
            if pair == NONE {
                continue;
            }
            let title = item.positions[first as usize].0 < TITLE_SPAN;
            item.mark(&mut self.seen, pair, doc, title);
            item.mark(&mut self.seen, unit, doc, title);
        }
        for key in &item.keys {
            let list = &mut self.lists[key.id as usize];
            put_varint(&mut list.bytes, u64::from(doc - list.next));
            list.next = doc + 1;
            if key.first == NONE {
                list.bytes.push(u8::from(key.title));
                continue;
            }
            put_varint(&mut list.bytes, u64::from(key.count));
            let mut previous = None;
            let mut at = key.first;
            while let Some(&(p, next)) = item.positions.get(at as usize) {
                let value = match previous {
                    None => p,
                    Some(before) => p - before - 1,
                };
                put_varint(&mut list.bytes, u64::from(value));
                previous = Some(p);
                at = next;
            }
        }
        self.item = item;
    }

    /// The whole index in memory, from one run (for tests and benchmarks).
    pub fn finish(self, docs: u32) -> io::Result<BuiltIndex> {
        let (buckets, docs, chunking) = (self.buckets, docs.max(self.docs), self.chunking);
        let mut files = Vec::new();
        let run = self.into_run(None)?;
        let write = |file| {
            files.push(file);
            Ok(())
        };
        merge_runs(&[run], docs, chunking, 0..buckets, write, |e: io::Error| e)?;
        Ok(BuiltIndex {
            docs,
            buckets,
            files,
        })
    }

    /// This builder's lists as a run: sorted by bucket, then key, and
    /// written to `file`, or kept in memory without one. Each list is
    /// dropped as soon as it is copied, so the two forms are not both held.
    pub fn into_run(self, file: Option<PathBuf>) -> io::Result<Run> {
        let buckets = self.buckets;
        // Every key's text goes into one string; the keys are sorted (by
        // bucket, then text) as small entries naming them by number, with
        // no string or list moved apiece.
        let mut texts = String::new();
        let mut order: Vec<(u128, u32, Range<u32>)> = Vec::with_capacity(self.keys.len());
        // Every key numbered has a list: it is numbered by the item that has it.
        for (id, &key) in self.keys.iter().enumerate() {
            let start = texts.len();
            push_key_text(&mut texts, &self.word_text, key);
            let text = &texts.as_bytes()[start..];
            let bucket = fnv1a32(text) & (buckets - 1);
            order.push((
                sort_prefix(bucket, text),
                id as u32,
                start as u32..texts.len() as u32,
            ));
        }
        let text = |range: &Range<u32>| &texts[range.start as usize..range.end as usize];
        // The prefix decides nearly every comparison; texts are compared
        // only when their first bytes are the same.
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| text(&a.2).cmp(text(&b.2))));
        let (keys, mut lists) = (self.keys, self.lists);
        let entries = order.iter().map(|(prefix, id, range)| {
            let bucket = (prefix >> 112) as u32;
            let list = std::mem::take(&mut lists[*id as usize]);
            let positional = keys[*id as usize].is_trigram();
            (bucket, text(range), list.next, list.bytes, positional)
        });
        let (starts, bytes) = match file {
            Some(path) => {
                let mut writer = BufWriter::with_capacity(1 << 16, File::create(&path)?);
                let starts = write_run(entries, buckets, &mut writer)?;
                writer.into_inner().map_err(|e| e.into_error())?;
                (starts, RunBytes::File(path))
            }
            None => {
                let mut memory = Vec::new();
                let starts = write_run(entries, buckets, &mut memory)?;
                (starts, RunBytes::Memory(memory))
            }
        };
        Ok(Run { starts, bytes })
    }
}

/// A number that sorts as (bucket, text) does, but for texts that share
/// their first 14 bytes: the bucket (below 65,536) in the top 16 bits, then
/// those bytes (a shorter text padded with zeros, which no key text holds,
/// so a text sorts before those it begins).
fn sort_prefix(bucket: u32, text: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[..2].copy_from_slice(&(bucket as u16).to_be_bytes());
    let len = text.len().min(14);
    bytes[2..2 + len].copy_from_slice(&text[..len]);
    u128::from_be_bytes(bytes)
}

/// Writes a run's entries, sorted by bucket and key, to `out`: for each,
/// the key, whether it has positions, the item after its last, and its
/// collected list; a list is dropped once written. Gives where each
/// bucket's entries start, and where the last one's end.
fn write_run<'k>(
    entries: impl Iterator<Item = (u32, &'k str, u32, Vec<u8>, bool)>,
    buckets: u32,
    out: &mut impl Write,
) -> io::Result<Vec<u64>> {
    let mut entries = entries.peekable();
    let mut starts = Vec::with_capacity(buckets as usize + 1);
    let mut written = 0u64;
    let mut head = Vec::new();
    for bucket in 0..buckets {
        starts.push(written);
        while let Some((_, key, next, list, positional)) = entries.next_if(|e| e.0 == bucket) {
            head.clear();
            put_varint(&mut head, key.len() as u64);
            head.extend_from_slice(key.as_bytes());
            head.push(u8::from(positional));
            put_varint(&mut head, u64::from(next));
            put_varint(&mut head, list.len() as u64);
            out.write_all(&head)?;
            out.write_all(&list)?;
            written += (head.len() + list.len()) as u64;
        }
    }
    starts.push(written);
    Ok(starts)
}

/// The lists of a builder that saw a range of items, sorted by bucket and
/// key: an index too large to hold is built as runs over consecutive
/// ranges of items, then merged bucket by bucket ([`merge_runs`]).
pub struct Run {
    /// Where each bucket's entries start, and where the last one's end.
    starts: Vec<u64>,
    bytes: RunBytes,
}

enum RunBytes {
    Memory(Vec<u8>),
    File(PathBuf),
}

impl Run {
    /// The entries of buckets `range`.
    fn slice(&self, range: &Range<u32>) -> io::Result<Cow<'_, [u8]>> {
        let from = self.starts[range.start as usize];
        let to = self.starts[range.end as usize];
        match &self.bytes {
            RunBytes::Memory(bytes) => Ok(Cow::Borrowed(&bytes[from as usize..to as usize])),
            RunBytes::File(path) => {
                let mut file = File::open(path)?;
                file.seek(SeekFrom::Start(from))?;
                let mut bytes = vec![0; (to - from) as usize];
                file.read_exact(&mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }
}

/// One key's list in a run.
struct RunEntry<'a> {
    key: &'a [u8],
    positional: bool,
    /// The run's last item with this key, plus one.
    next: u32,
    bytes: &'a [u8],
}

/// Reads the entry at `*at` of a run's slice, moving past it.
fn read_entry<'a>(slice: &'a [u8], at: &mut usize) -> Option<RunEntry<'a>> {
    let take = |at: &mut usize, len: usize| {
        let part = slice.get(*at..*at + len)?;
        *at += len;
        Some(part)
    };
    let key_len = get_varint(slice, at)? as usize;
    let key = take(at, key_len)?;
    let positional = take(at, 1)? == [1];
    let next = get_varint(slice, at)? as u32;
    let len = get_varint(slice, at)? as usize;
    let bytes = take(at, len)?;
    Some(RunEntry {
        key,
        positional,
        next,
        bytes,
    })
}

/// Merges runs made over consecutive ranges of items (given in item order)
/// and hands over the files of buckets `range`, a bucket at a time: its
/// lists sorted by key, each encoded, and a file for every bucket, empty or
/// not. A key's lists from several runs follow one another; only the first
/// item of each later part is written anew, as a gap from the part before.
///
/// In a bucket, each key is followed by a varint: twice the length of its
/// list when the list follows; `4n + 1` when it is in the file
/// [`large_path`]`(bucket, n)`; `4n + 3` when that file is the head of a
/// list in chunks ([`encode_chunked`]).
pub fn merge_runs<E>(
    runs: &[Run],
    docs: u32,
    chunking: Chunking,
    range: Range<u32>,
    mut write: impl FnMut(IndexFile) -> Result<(), E>,
    unreadable: impl Fn(io::Error) -> E,
) -> Result<(), E> {
    let slices: Vec<Cow<'_, [u8]>> = runs
        .iter()
        .map(|run| run.slice(&range))
        .collect::<io::Result<_>>()
        .map_err(&unreadable)?;
    let mut cursors = vec![0usize; runs.len()];
    let mut joined = Vec::new();
    let mut values = Values::default();
    for bucket in range.clone() {
        let mut entries = Vec::new();
        // Read in run order, which the sort below keeps for a key's parts.
        for (r, run) in runs.iter().enumerate() {
            let end = (run.starts[bucket as usize + 1] - run.starts[range.start as usize]) as usize;
            while cursors[r] < end {
                let Some(entry) = read_entry(&slices[r], &mut cursors[r]) else {
                    let broken = io::Error::new(io::ErrorKind::InvalidData, "search index run");
                    return Err(unreadable(broken));
                };
                entries.push(entry);
            }
        }
        // Each run's entries are sorted already, and a stable sort finds
        // and merges those stretches; a key's parts stay in run order.
        entries.sort_by(|a, b| a.key.cmp(b.key));
        let mut out = Vec::new();
        let mut large = 0u64;
        for group in entries.chunk_by(|a, b| a.key == b.key) {
            let collected: &[u8] = if let [only] = group {
                only.bytes
            } else {
                joined.clear();
                let mut next = 0;
                for part in group {
                    let mut at = 0;
                    let first = get_varint(part.bytes, &mut at).unwrap_or(0) as u32;
                    put_varint(&mut joined, u64::from(first.saturating_sub(next)));
                    joined.extend_from_slice(&part.bytes[at..]);
                    next = part.next;
                }
                &joined
            };
            put_varint(&mut out, group[0].key.len() as u64);
            out.extend_from_slice(group[0].key);
            let bytes = if group[0].positional {
                // The orders give the list's size before it is coded, so it
                // is coded once: in chunks, alone, or straight into the bucket.
                values.read(collected);
                let (orders, len) = values.orders();
                if len > chunking.list {
                    let (head, chunks) = encode_chunked(&values, orders, chunking);
                    put_varint(&mut out, large * 4 + 3);
                    write(IndexFile {
                        path: large_path(bucket, large),
                        bytes: head,
                    })?;
                    for (c, bytes) in chunks.into_iter().enumerate() {
                        let path = chunk_path(bucket, large, c as u32 + 1);
                        write(IndexFile { path, bytes })?;
                    }
                    large += 1;
                    continue;
                }
                if len <= LARGE_LIST {
                    put_varint(&mut out, len as u64 * 2);
                    let at = out.len();
                    out = values.encode(orders, out);
                    debug_assert_eq!(out.len() - at, len);
                    continue;
                }
                values.encode(orders, Vec::with_capacity(len))
            } else {
                encode_items(collected, docs)
            };
            if bytes.len() > LARGE_LIST {
                put_varint(&mut out, large * 4 + 1);
                write(IndexFile {
                    path: large_path(bucket, large),
                    bytes,
                })?;
                large += 1;
            } else {
                put_varint(&mut out, bytes.len() as u64 * 2);
                out.extend_from_slice(&bytes);
            }
        }
        write(IndexFile {
            path: bucket_path(bucket),
            bytes: out,
        })?;
    }
    Ok(())
}

/// A key as the query script spells it, appended to `text`: its units (a
/// character, or an interned word) with a space between them. A run
/// writes hundreds of thousands, so all into one string.
fn push_key_text(text: &mut String, words: &[String], key: Key) {
    for (n, unit) in key.units().enumerate() {
        if n > 0 {
            text.push(' ');
        }
        if unit >= WORD_BASE {
            text.push_str(&words[(unit - WORD_BASE) as usize]);
        } else if let Some(c) = char::from_u32(unit) {
            text.push(c);
        }
    }
}

/// Files are grouped in folders of [`FOLDER`], so that no folder holds
/// more files than a USB stick's file system allows.
pub const FOLDER: u32 = 1000;

pub fn bucket_path(bucket: u32) -> String {
    format!("b/{}/{bucket}.bin", bucket / FOLDER)
}

pub fn large_path(bucket: u32, n: u64) -> String {
    format!("k/{}/{bucket}-{n}.bin", bucket / FOLDER)
}

/// Chunk `c` (from 1) of the list in chunks whose head is `large_path(bucket, n)`.
pub fn chunk_path(bucket: u32, n: u64, c: u32) -> String {
    format!("k/{}/{bucket}-{n}-{c}.bin", bucket / FOLDER)
}

/// What a positional list codes, as four sequences, each coded in an order
/// of its own: for each item the gap from the item before (the first from
/// the list's base), the count of its positions less one and its first
/// position; and, item after item, the gaps between following positions,
/// less one. One is kept across lists, to reuse its memory: most lists
/// have an item or two.
#[derive(Default)]
struct Values {
    gaps: Vec<u32>,
    counts: Vec<u32>,
    firsts: Vec<u32>,
    rests: Vec<u32>,
}

impl Values {
    fn clear(&mut self) {
        self.gaps.clear();
        self.counts.clear();
        self.firsts.clear();
        self.rests.clear();
    }

    /// Reads the postings collected for one trigram, whose varints are
    /// already these values (but for the count, not yet less one).
    fn read(&mut self, bytes: &[u8]) {
        self.clear();
        let mut at = 0;
        let next = |at: &mut usize| get_varint(bytes, at).unwrap_or(0) as u32;
        while at < bytes.len() {
            self.gaps.push(next(&mut at));
            let count = next(&mut at);
            self.counts.push(count.saturating_sub(1));
            self.firsts.push(next(&mut at));
            for _ in 1..count {
                self.rests.push(next(&mut at));
            }
        }
    }

    /// The orders that code the list shortest, and its length in bytes
    /// coded in them (known without coding it, to place it first).
    fn orders(&self) -> ([u32; 4], usize) {
        let mut bits = 0;
        let orders = [&self.gaps, &self.counts, &self.firsts, &self.rests].map(|values| {
            let (k, b) = best_order(values.iter().copied());
            bits += b;
            k
        });
        let df = self.gaps.len() as u64;
        (orders, varint_len(df) + 4 + bits.div_ceil(8) as usize)
    }

    /// Appends to `out` the list in `orders`: `df`, the orders, then for
    /// each item its gap, count, first position and the gaps between the
    /// following ones.
    fn encode(&self, orders: [u32; 4], mut out: Vec<u8>) -> Vec<u8> {
        let [k_doc, k_count, k_first, k_rest] = orders;
        put_varint(&mut out, self.gaps.len() as u64);
        out.extend(orders.map(|k| k as u8));
        let mut writer = BitWriter::new(out);
        let mut rests = self.rests.iter();
        for ((&gap, &count), &first) in self.gaps.iter().zip(&self.counts).zip(&self.firsts) {
            writer.eg(gap, k_doc);
            writer.eg(count, k_count);
            writer.eg(first, k_first);
            for &value in rests.by_ref().take(count as usize) {
                writer.eg(value, k_rest);
            }
        }
        writer.finish()
    }

    /// The list, coded in the orders that make it shortest.
    fn encode_best(&self) -> Vec<u8> {
        let (orders, len) = self.orders();
        self.encode(orders, Vec::with_capacity(len))
    }
}

/// A trigram's list in chunks: the head, then the files of the chunks after
/// the first. The head holds `df`; the length of the title part, and the
/// title part (coded as a list of its own); the count of chunks; where each
/// chunk's range of items starts, as gaps from the start of the one before
/// (the first starts at 0; a chunk runs to where the next one starts, the
/// last to the end); the length of the first chunk, and the first chunk.
/// A chunk is coded as a list of its own whose first item is counted from
/// where its range starts. Where a chunk ends is set from the bits each
/// item takes in the orders of the whole list, so it does not depend on
/// how the items were split into runs.
///
/// `list` and `orders` are the whole list's values and orders, as
/// [`merge_runs`] found them to learn its size; the chunks and the title
/// part are cut from those values in one pass.
fn encode_chunked(list: &Values, orders: [u32; 4], chunking: Chunking) -> (Vec<u8>, Vec<Vec<u8>>) {
    let [k_doc, k_count, k_first, k_rest] = orders;
    let items = list.gaps.len();
    // Where each chunk starts: its first item, its first value in `rests`,
    // and where its range starts (the first chunk's at 0).
    let mut starts = vec![(0, 0, 0)];
    let mut title = Values::default();
    let (mut doc, mut title_next, mut at) = (0, 0, 0);
    let (mut bits, mut target) = (0u64, chunking.first.max(1) as u64 * 8);
    for i in 0..items {
        doc += list.gaps[i];
        let (count, first) = (list.counts[i], list.firsts[i]);
        let rests = &list.rests[at..at + count as usize];
        at += rests.len();
        if first < TITLE_SPAN {
            // Its positions in the title: the first and those that follow
            // it there (positions increase).
            let mut position = first;
            let more = rests
                .iter()
                .take_while(|&&rest| {
                    position += rest + 1;
                    position < TITLE_SPAN
                })
                .count();
            title.gaps.push(doc - title_next);
            title.counts.push(more as u32);
            title.firsts.push(first);
            title.rests.extend_from_slice(&rests[..more]);
            title_next = doc + 1;
        }
        bits += eg_len(list.gaps[i], k_doc) + eg_len(count, k_count) + eg_len(first, k_first);
        bits += rests.iter().map(|&rest| eg_len(rest, k_rest)).sum::<u64>();
        if bits >= target && i + 1 < items {
            starts.push((i + 1, at, doc + 1 + list.gaps[i + 1]));
            (bits, target) = (0, target * 2);
        }
        doc += 1;
    }
    let mut part = Values::default();
    let mut chunks: Vec<Vec<u8>> = (0..starts.len())
        .map(|c| {
            let (item, rest, _) = starts[c];
            let (end, rests_end, _) = starts.get(c + 1).copied().unwrap_or((items, at, 0));
            part.clear();
            part.gaps.extend_from_slice(&list.gaps[item..end]);
            part.counts.extend_from_slice(&list.counts[item..end]);
            part.firsts.extend_from_slice(&list.firsts[item..end]);
            part.rests.extend_from_slice(&list.rests[rest..rests_end]);
            // A later chunk's first item is where its range starts.
            if c > 0 {
                part.gaps[0] = 0;
            }
            part.encode_best()
        })
        .collect();
    let title = title.encode_best();
    let mut head = Vec::new();
    put_varint(&mut head, items as u64);
    put_varint(&mut head, title.len() as u64);
    head.extend_from_slice(&title);
    put_varint(&mut head, chunks.len() as u64);
    let mut before = 0;
    for &(_, _, base) in &starts {
        put_varint(&mut head, u64::from(base - before));
        before = base;
    }
    let first = chunks.remove(0);
    put_varint(&mut head, first.len() as u64);
    head.extend_from_slice(&first);
    (head, chunks)
}

/// A unigram's or bigram's list: `df`, the count of items with it in their
/// title, then the items (as gaps, or as a bitmap when that is smaller) and
/// the title items as gaps.
fn encode_items(collected: &[u8], docs: u32) -> Vec<u8> {
    let mut items = Vec::new();
    let mut titles = Vec::new();
    let mut at = 0;
    let mut next = 0u32;
    while at < collected.len() {
        let gap = get_varint(collected, &mut at).unwrap_or(0) as u32;
        let doc = next + gap;
        items.push(gap);
        if collected.get(at) == Some(&1) {
            titles.push(doc);
        }
        at += 1;
        next = doc + 1;
    }
    let mut title_gaps = Vec::with_capacity(titles.len());
    let mut previous = 0;
    for &doc in &titles {
        title_gaps.push(doc - previous);
        previous = doc + 1;
    }
    let (k_doc, gap_bits) = best_order(items.iter().copied());
    let (k_title, _) = best_order(title_gaps.iter().copied());
    let bitmap = u64::from(docs) < gap_bits;
    let mut header = Vec::new();
    put_varint(&mut header, items.len() as u64);
    put_varint(&mut header, titles.len() as u64);
    header.extend([u8::from(bitmap), k_doc as u8, k_title as u8]);
    let mut writer = BitWriter::new(header);
    if bitmap {
        let mut doc = 0;
        let mut set = items.iter().map(|&gap| {
            doc += gap;
            let this = doc;
            doc += 1;
            this
        });
        let mut wanted = set.next();
        for d in 0..docs {
            let here = wanted == Some(d);
            writer.bit(here);
            if here {
                wanted = set.next();
            }
        }
    } else {
        for &gap in &items {
            writer.eg(gap, k_doc);
        }
    }
    for &gap in &title_gaps {
        writer.eg(gap, k_title);
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keys_start_is_the_key_of_its_first_units() {
        let trigram = Key::new(&[0x4E2D, WORD_BASE + 7, 0x6587]);
        assert!(trigram.start(2) == Key::new(&[0x4E2D, WORD_BASE + 7]));
        assert!(trigram.start(1) == Key::new(&[0x4E2D]));
        assert!(trigram.start(3) == trigram);
    }

    #[test]
    fn sort_prefixes_order_as_bucket_then_text() {
        let texts = [
            "志",
            "志 愿",
            "志 愿 服",
            "a",
            "ab",
            "abcdefghijklmn",
            "abcdefghijklmnop",
            "abcdefghijklmno",
            "5g",
            "老 年 人",
            "",
            "z",
        ];
        let mut keys: Vec<(u32, &str)> = Vec::new();
        for bucket in [0, 1, 255, 256, 65535] {
            keys.extend(texts.iter().map(|&text| (bucket, text)));
        }
        let mut by_prefix = keys.clone();
        by_prefix.sort_by(|a, b| {
            let prefix = |(bucket, text): &(u32, &str)| sort_prefix(*bucket, text.as_bytes());
            prefix(a).cmp(&prefix(b)).then_with(|| a.1.cmp(b.1))
        });
        keys.sort();
        assert_eq!(by_prefix, keys);
    }
}
