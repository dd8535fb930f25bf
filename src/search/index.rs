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

use std::collections::HashMap;

use rayon::prelude::*;

use super::codec::{best_order, fnv1a32, put_varint, BitWriter};
use super::normalise;

/// Positions before this are in the title.
pub const TITLE_SPAN: u32 = 256;
/// A list larger than this gets a file of its own.
pub const LARGE_LIST: usize = 2048;
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

    fn is_trigram(self) -> bool {
        self.0 >> (3 * UNIT_BITS) == 3
    }
}

/// Postings as they are collected: varint-coded, items in increasing order.
#[derive(Default)]
struct Collected {
    /// The last item added, plus one (0: none yet).
    next: u32,
    bytes: Vec<u8>,
}

#[derive(Default)]
pub struct IndexBuilder {
    words: HashMap<String, u32>,
    word_text: Vec<String>,
    lists: HashMap<Key, Collected, FastHash>,
    /// The keys of the item being added, with whether each is in its
    /// title, and its trigrams with their positions: sorted and grouped once
    /// the item is read, rather than a map entry and a vector for each key.
    /// Kept between items so that their memory is reused.
    item_keys: Vec<u128>,
    item_trigrams: Vec<u128>,
    docs: u32,
    shard: u32,
    shards: u32,
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

/// Encoded lists with their keys.
pub type Encoded = Vec<(String, Vec<u8>)>;

/// One file of the index: its path under `search/` and its bytes.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The written index: bucket count and files.
pub struct BuiltIndex {
    pub docs: u32,
    pub buckets: u32,
    pub files: Vec<IndexFile>,
}

impl IndexBuilder {
    pub fn new() -> Self {
        IndexBuilder::sharded(0, 1)
    }

    /// A builder that keeps only the keys of shard `shard` of `shards`, so
    /// that several can build one index side by side.
    pub fn sharded(shard: u32, shards: u32) -> Self {
        IndexBuilder {
            shard,
            shards: shards.max(1),
            ..IndexBuilder::default()
        }
    }

    fn mine(&self, key: &Key) -> bool {
        self.shards == 1 || {
            use std::hash::BuildHasher;
            FastHash.hash_one(key) % u64::from(self.shards) == u64::from(self.shard)
        }
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
        for c in text.chars().map(normalise::normalise_char) {
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

    /// Adds the next item (items must come in order 0, 1, 2 …): its title,
    /// then its other searchable fields.
    pub fn add(&mut self, doc: u32, title: &str, fields: &[&str]) {
        debug_assert!(doc >= self.docs);
        self.docs = doc + 1;
        let mut keys = std::mem::take(&mut self.item_keys);
        let mut trigrams = std::mem::take(&mut self.item_trigrams);
        keys.clear();
        trigrams.clear();
        let mut ids = Vec::new();
        let mut position = 0;
        for (n, text) in std::iter::once(&title).chain(fields).enumerate() {
            self.unit_ids(text, &mut ids);
            let title = n == 0;
            if title {
                ids.truncate(TITLE_SPAN as usize - 1);
            }
            for (i, &id) in ids.iter().enumerate() {
                // Entries pack the key with its title flag, or with its
                // position, so that sorting plain numbers groups them.
                let one = Key::new(&[id]);
                if self.mine(&one) {
                    keys.push(one.0 << 1 | u128::from(title));
                }
                if let Some(&second) = ids.get(i + 1) {
                    let two = Key::new(&[id, second]);
                    if self.mine(&two) {
                        keys.push(two.0 << 1 | u128::from(title));
                    }
                    if let Some(&third) = ids.get(i + 2) {
                        let three = Key::new(&[id, second, third]);
                        if self.mine(&three) {
                            trigrams.push(three.0 << 32 | u128::from(position + i as u32));
                        }
                    }
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
        // Positions were pushed in increasing order, so sorting by key and
        // position keeps each key's positions in order.
        trigrams.sort_unstable();
        for group in trigrams.chunk_by(|a, b| a >> 32 == b >> 32) {
            let list = self.lists.entry(Key(group[0] >> 32)).or_default();
            put_varint(&mut list.bytes, u64::from(doc - list.next));
            list.next = doc + 1;
            put_varint(&mut list.bytes, group.len() as u64);
            let mut previous = None;
            for &entry in group {
                let p = entry as u32;
                let value = match previous {
                    None => p,
                    Some(before) => p - before - 1,
                };
                put_varint(&mut list.bytes, u64::from(value));
                previous = Some(p);
            }
        }
        keys.sort_unstable();
        for group in keys.chunk_by(|a, b| a >> 1 == b >> 1) {
            let in_title = group.iter().any(|&entry| entry & 1 == 1);
            let list = self.lists.entry(Key(group[0] >> 1)).or_default();
            put_varint(&mut list.bytes, u64::from(doc - list.next));
            list.next = doc + 1;
            list.bytes.push(u8::from(in_title));
        }
        self.item_keys = keys;
        self.item_trigrams = trigrams;
    }

    /// Encodes every list and groups them into bucket files.
    pub fn finish(self, docs: u32) -> BuiltIndex {
        let docs = docs.max(self.docs);
        bucket_files(self.encode(docs), docs)
    }

    /// Every list of this builder, encoded, with its key. Each collected
    /// list is dropped as soon as it is encoded, so the two forms of the
    /// index are not both held whole.
    pub fn encode(self, docs: u32) -> Encoded {
        let docs = docs.max(self.docs);
        let keyed: Vec<(String, Collected, bool)> = self
            .lists
            .into_iter()
            .map(|(key, list)| {
                let text = key
                    .units()
                    .map(|unit| unit_text(&self.word_text, unit))
                    .collect::<Vec<_>>()
                    .join(" ");
                (text, list, key.is_trigram())
            })
            .collect();
        keyed
            .into_par_iter()
            .map(|(key, list, positional)| {
                let bytes = if positional {
                    encode_positional(&list.bytes)
                } else {
                    encode_items(&list.bytes, docs)
                };
                (key, bytes)
            })
            .collect()
    }
}

/// A unit as the query script spells it: the character, or the interned word.
fn unit_text(words: &[String], id: u32) -> String {
    if id >= WORD_BASE {
        words[(id - WORD_BASE) as usize].clone()
    } else {
        char::from_u32(id).map(String::from).unwrap_or_default()
    }
}

/// Groups encoded lists into bucket files, each sorted by key.
pub fn bucket_files(encoded: Encoded, docs: u32) -> BuiltIndex {
    let small: usize = encoded
        .iter()
        .map(|(key, bytes)| {
            key.len()
                + 2
                + if bytes.len() > LARGE_LIST {
                    0
                } else {
                    bytes.len()
                }
        })
        .sum();
    let buckets = (small / BUCKET_BYTES)
        .max(1)
        .next_power_of_two()
        .min(1 << 16) as u32;
    let mut grouped: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(); buckets as usize];
    for (key, bytes) in encoded {
        let bucket = fnv1a32(key.as_bytes()) % buckets;
        grouped[bucket as usize].push((key, bytes));
    }
    grouped
        .par_iter_mut()
        .for_each(|entries| entries.sort_unstable_by(|a, b| a.0.cmp(&b.0)));
    let mut files = Vec::new();
    for (bucket, entries) in grouped.into_iter().enumerate() {
        let mut out = Vec::new();
        let mut large = 0u64;
        for (key, bytes) in entries {
            put_varint(&mut out, key.len() as u64);
            out.extend_from_slice(key.as_bytes());
            if bytes.len() > LARGE_LIST {
                put_varint(&mut out, large * 2 + 1);
                files.push(IndexFile {
                    path: large_path(bucket as u32, large),
                    bytes,
                });
                large += 1;
            } else {
                put_varint(&mut out, bytes.len() as u64 * 2);
                out.extend_from_slice(&bytes);
            }
        }
        files.push(IndexFile {
            path: bucket_path(bucket as u32),
            bytes: out,
        });
    }
    BuiltIndex {
        docs,
        buckets,
        files,
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

/// Reads the varint-coded positional postings collected for one trigram.
fn read_positional(bytes: &[u8]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let (mut gaps, mut counts, mut positions) = (Vec::new(), Vec::new(), Vec::new());
    let mut at = 0;
    let next = |at: &mut usize| super::codec::get_varint(bytes, at).unwrap_or(0) as u32;
    while at < bytes.len() {
        gaps.push(next(&mut at));
        let count = next(&mut at);
        counts.push(count);
        for _ in 0..count {
            positions.push(next(&mut at));
        }
    }
    (gaps, counts, positions)
}

/// A trigram's list: `df`, the orders of its codes, then for each item the
/// gap from the previous item, the count of positions, the first position
/// and the gaps between the following ones.
fn encode_positional(collected: &[u8]) -> Vec<u8> {
    let (gaps, counts, positions) = read_positional(collected);
    let mut firsts = Vec::with_capacity(counts.len());
    let mut rests = Vec::with_capacity(positions.len());
    let mut at = 0;
    for &count in &counts {
        firsts.push(positions[at]);
        rests.extend_from_slice(&positions[at + 1..at + count as usize]);
        at += count as usize;
    }
    let (k_doc, _) = best_order(gaps.iter().copied());
    let (k_count, _) = best_order(counts.iter().map(|c| c - 1));
    let (k_first, _) = best_order(firsts.iter().copied());
    let (k_rest, _) = best_order(rests.iter().copied());
    let mut header = Vec::new();
    put_varint(&mut header, gaps.len() as u64);
    header.extend([k_doc, k_count, k_first, k_rest].map(|k| k as u8));
    let mut writer = BitWriter::new(header);
    let mut at = 0;
    for (&gap, &count) in gaps.iter().zip(&counts) {
        writer.eg(gap, k_doc);
        writer.eg(count - 1, k_count);
        writer.eg(positions[at], k_first);
        for &p in &positions[at + 1..at + count as usize] {
            writer.eg(p, k_rest);
        }
        at += count as usize;
    }
    writer.finish()
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
        let gap = super::codec::get_varint(collected, &mut at).unwrap_or(0) as u32;
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
