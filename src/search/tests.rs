//! The index against the text itself, on a generated corpus: for many
//! substrings picked at random from the bodies (most of them cutting across
//! words), the query finds exactly the items whose text has them.
//! Also what an item's record lists for it to be found by.

use super::codec::Stamp;
use super::index::{Chunking, IndexBuilder, TITLE_SPAN};
use super::normalise::{class, normalise_char, query_terms, units, Class};
use super::query::{Hit, Index, Positional};

/// A small deterministic generator (xorshift), so the corpus is the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "社区",
    "志愿",
    "服务",
    "志愿服务",
    "老年人",
    "智能手机",
    "反诈",
    "宣传",
    "网格员",
    "居民",
    "党群",
    "服务中心",
    "垃圾分类",
    "文明",
    "实践",
    "理论",
    "宣讲",
    "活动",
    "街道",
    "洸河",
    "锦绣",
    "楼道",
    "义诊",
    "课堂",
    "防骗",
    "养老金",
    "快递",
    "验证码",
    "安装",
    "应用",
    "电梯",
    "加装",
    "老旧",
    "小区",
    "改造",
    "雷锋",
    "学习",
    "讲座",
    "青年",
    "民法典",
    "汛期",
    "演练",
    "暴雨",
    "救援",
    "好人",
    "表彰",
    "食堂",
    "助老",
    "走访",
    "慰问",
    "網格員",
    "誌願服務",
    "５Ｇ",
    "5G",
    "2024年",
    "3月15日",
    "Wi-Fi",
    "Guanghe",
    "一",
    "人",
    "的",
    "了",
    "和",
    "在",
    "是",
    "为",
    "我们",
    "他们",
    "今年",
    "已经",
];
const PUNCTUATION: &[&str] = &["，", "。", "、", "“", "”", "！", "：", " ", "\n"];

fn sentence(random: &mut Random, words: usize) -> String {
    let mut text = String::new();
    for _ in 0..words {
        text.push_str(random.pick(WORDS));
        if random.below(6) == 0 {
            text.push_str(random.pick(PUNCTUATION));
        }
    }
    text
}

struct Doc {
    title: String,
    fields: Vec<String>,
}

/// The units of each field of each item, worked out once, each unit
/// followed by a separator so that a term is a plain substring of a field.
struct Texts(Vec<Vec<String>>);

fn joined(units: &[String]) -> String {
    units
        .iter()
        .map(|u| format!("\u{1}{u}"))
        .collect::<String>()
        + "\u{1}"
}

impl Texts {
    fn of(docs: &[Doc]) -> Texts {
        let of = |text: &str| {
            let list: Vec<String> = units(text).into_iter().map(|u| u.text).collect();
            joined(&list)
        };
        Texts(
            docs.iter()
                .map(|d| {
                    std::iter::once(of(&d.title))
                        .chain(d.fields.iter().map(|f| of(f)))
                        .collect()
                })
                .collect(),
        )
    }
}

fn corpus(count: usize) -> Vec<Doc> {
    let mut random = Random(0x5EED_1234_ABCD_0001);
    (0..count)
        .map(|_| {
            let title_words = 2 + random.below(6);
            let body_words = 20 + random.below(400);
            Doc {
                title: sentence(&mut random, title_words),
                fields: vec![
                    random
                        .pick(&["锦绣社区", "洸河社区", "滨河社区"])
                        .to_string(),
                    sentence(&mut random, body_words),
                ],
            }
        })
        .collect()
}

fn build(docs: &[Doc]) -> tempfile::TempDir {
    build_chunked(docs, super::index::CHUNKING)
}

fn build_chunked(docs: &[Doc], chunking: Chunking) -> tempfile::TempDir {
    // Several buckets, so that lookups go to the right one.
    let mut builder = IndexBuilder::new(8).with_chunking(chunking);
    for (id, doc) in docs.iter().enumerate() {
        let fields: Vec<&str> = doc.fields.iter().map(String::as_str).collect();
        builder.add(id as u32, &doc.title, &fields);
    }
    let built = builder.finish(docs.len() as u32).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in &built.files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.bytes).unwrap();
    }
    std::fs::write(
        dir.path().join("meta.json"),
        super::meta_json(built.docs, built.buckets, Stamp::default()),
    )
    .unwrap();
    dir
}

/// Does a field have the units of `term` one after another?
fn contains(field: &str, term: &[String]) -> bool {
    field.contains(&joined(term))
}

/// The answer worked out from the text alone: every term in one field of
/// the item, items with more terms in their title first, then item order.
fn expected(texts: &Texts, query: &str) -> Vec<Hit> {
    let terms = query_terms(query);
    let mut hits: Vec<Hit> = texts
        .0
        .iter()
        .enumerate()
        .filter(|(_, fields)| {
            terms
                .iter()
                .all(|term| fields.iter().any(|f| contains(f, term)))
        })
        .map(|(id, fields)| Hit {
            doc: id as u32,
            title_terms: terms.iter().filter(|t| contains(&fields[0], t)).count(),
        })
        .collect();
    hits.sort_by(|a, b| b.title_terms.cmp(&a.title_terms).then(a.doc.cmp(&b.doc)));
    hits
}

#[test]
fn random_substrings_find_exactly_the_items_that_have_them() {
    let docs = corpus(400);
    let texts = Texts::of(&docs);
    let dir = build(&docs);
    let index = Index::open(dir.path()).unwrap();
    let mut random = Random(0xC0FF_EE00_1234_5678);
    let mut across_words = 0;
    let mut checked = 0;
    while checked < 600 {
        let source = random.below(docs.len());
        let body: Vec<char> = docs[source].fields[1].chars().collect();
        let length = 2 + random.below(5);
        if body.len() <= length {
            continue;
        }
        let start = random.below(body.len() - length);
        let query: String = body[start..start + length].iter().collect();
        if query_terms(&query).is_empty() {
            continue;
        }
        let want = expected(&texts, &query);
        let got = index.search(&query);
        assert_eq!(got, want, "query {query:?}");
        // Unless the cut splits a Latin word or a number, the item it was cut from is found.
        let splits_word = |at: usize| {
            at > 0
                && at < body.len()
                && [body[at - 1], body[at]]
                    .iter()
                    .all(|&c| class(normalise_char(c)) == Class::Word)
        };
        if !splits_word(start) && !splits_word(start + length) {
            assert!(
                got.iter().any(|h| h.doc == source as u32),
                "query {query:?} misses the item it was cut from"
            );
        }
        if !WORDS.contains(&query.as_str()) {
            across_words += 1;
        }
        checked += 1;
    }
    assert!(
        across_words > 300,
        "{across_words} queries cut across words"
    );
}

#[test]
fn several_terms_must_all_match_and_title_hits_come_first() {
    let docs = corpus(400);
    let texts = Texts::of(&docs);
    let dir = build(&docs);
    let index = Index::open(dir.path()).unwrap();
    for query in [
        "志愿服务 洸河社区",
        "老年人智能手机",
        "反诈 宣传 社区",
        "网格员",
        "網格員",
        "5G",
        "５ｇ",
        "2024年3月",
        "wi-fi",
        "guanghe",
        "社",
        "的 了",
        "务中",
        "没有的词",
    ] {
        let got = index.search(query);
        assert_eq!(got, expected(&texts, query), "query {query:?}");
        let first_plain = got.iter().position(|h| h.title_terms == 0);
        if let Some(first_plain) = first_plain {
            assert!(got[first_plain..].iter().all(|h| h.title_terms == 0));
        }
    }
    assert!(!index.search("志愿服务 洸河社区").is_empty());
    assert!(index
        .search("网格员")
        .iter()
        .any(|h| docs[h.doc as usize].title.contains("網格員")));
}

#[test]
fn fields_do_not_run_into_each_other() {
    let docs = vec![Doc {
        title: "反诈宣传".into(),
        fields: vec!["社区".into(), "居民".into()],
    }];
    let dir = build(&docs);
    let index = Index::open(dir.path()).unwrap();
    assert_eq!(index.search("宣传社区"), vec![]);
    assert_eq!(index.search("社区居民"), vec![]);
    assert_eq!(index.search("区居"), vec![]);
    assert_eq!(index.search("反诈宣").len(), 1);
}

#[test]
fn builds_are_byte_identical() {
    let docs = corpus(60);
    let read_all = |dir: &std::path::Path| {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (a, b) = (build(&docs), build(&docs));
    assert_eq!(read_all(a.path()), read_all(b.path()));
    let (a, b) = (
        build_chunked(&docs, SMALL_CHUNKS),
        build_chunked(&docs, SMALL_CHUNKS),
    );
    assert_eq!(read_all(a.path()), read_all(b.path()));
    assert!(read_all(a.path()).iter().any(|f| f.0.ends_with("-1.bin")));
}

#[test]
fn runs_merged_make_the_same_files_as_one_builder() {
    let docs = corpus(80);
    let add = |builder: &mut IndexBuilder, ids: std::ops::Range<usize>| {
        for id in ids {
            let doc = &docs[id];
            let fields: Vec<&str> = doc.fields.iter().map(String::as_str).collect();
            builder.add(id as u32, &doc.title, &fields);
        }
    };
    for chunking in [super::index::CHUNKING, SMALL_CHUNKS] {
        runs_merged_make_the_same_files(&docs, &add, chunking);
    }
}

fn runs_merged_make_the_same_files(
    docs: &[Doc],
    add: &dyn Fn(&mut IndexBuilder, std::ops::Range<usize>),
    chunking: Chunking,
) {
    let mut whole = IndexBuilder::new(16).with_chunking(chunking);
    add(&mut whole, 0..docs.len());
    let mut whole: Vec<(String, Vec<u8>)> = whole
        .finish(docs.len() as u32)
        .unwrap()
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();
    whole.sort();
    assert_eq!(whole.iter().filter(|f| f.0.starts_with("b/")).count(), 16);
    // Three runs, one kept in a file; merged in two ranges of buckets.
    let scratch = tempfile::tempdir().unwrap();
    let runs: Vec<_> = [0..30, 30..31, 31..docs.len()]
        .into_iter()
        .enumerate()
        .map(|(n, ids)| {
            let mut part = IndexBuilder::new(16);
            add(&mut part, ids);
            let file = (n == 0).then(|| scratch.path().join("0.run"));
            part.into_run(file).unwrap()
        })
        .collect();
    let mut merged = Vec::new();
    for range in [0..5, 5..16] {
        let write = |file: super::index::IndexFile| {
            merged.push((file.path, file.bytes));
            Ok(())
        };
        super::index::merge_runs(&runs, docs.len() as u32, chunking, range, write, |e| e).unwrap();
    }
    merged.sort();
    assert_eq!(whole, merged);
}

#[test]
fn buckets_grow_with_the_records() {
    use super::index::buckets_for;
    assert_eq!(buckets_for(0), 1);
    // The sample site: about 100 KB of records.
    assert_eq!(buckets_for(100_000), 64);
    // 10,000 generated articles: about 62 MB of records.
    assert_eq!(buckets_for(62 << 20), 2048);
    assert_eq!(buckets_for(620 << 20), 8192);
    assert_eq!(buckets_for(u64::MAX), 1 << 16);
}

/// Chunks small enough that a corpus of a few hundred items has many lists
/// in several chunks.
const SMALL_CHUNKS: Chunking = Chunking {
    list: 160,
    first: 48,
};

#[test]
fn lists_in_chunks_find_every_item_in_order() {
    let docs = corpus(400);
    let texts = Texts::of(&docs);
    let dir = build_chunked(&docs, SMALL_CHUNKS);
    let index = Index::open(dir.path()).unwrap();
    let chunked = index.chunked_lists();
    assert!(chunked.len() > 30, "{} lists in chunks", chunked.len());
    assert!(chunked.iter().any(|(_, _, starts, _)| starts.len() >= 4));
    for (key, title, starts, whole) in &chunked {
        assert_eq!(starts[0], 0, "{key}");
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{key}: {starts:?}");
        assert!(
            starts[1..]
                .iter()
                .all(|s| whole.docs.binary_search(s).is_ok()),
            "{key}: a chunk starts at an item of the list"
        );
        // The title part: every item with the trigram in its title, with its title positions.
        let mut want = Positional {
            docs: Vec::new(),
            starts: vec![0],
            positions: Vec::new(),
        };
        for (i, &doc) in whole.docs.iter().enumerate() {
            let in_title: Vec<u32> = whole
                .of(i)
                .iter()
                .copied()
                .filter(|&p| p < TITLE_SPAN)
                .collect();
            if !in_title.is_empty() {
                want.docs.push(doc);
                want.positions.extend(in_title);
                want.starts.push(want.positions.len());
            }
        }
        assert_eq!(title, &want, "title part of {key}");
    }
    let whole_lists = build(&docs);
    let whole_lists = Index::open(whole_lists.path()).unwrap();
    let mut random = Random(0x0123_4567_89AB_CDEF);
    let mut queries: Vec<String> = [
        "志愿服务",
        "志愿服务 社区",
        "服务中心 志愿服务",
        "社区",
        "的 服务",
        "反诈 宣传 社区",
        "网格员",
        "没有的词",
    ]
    .map(String::from)
    .to_vec();
    while queries.len() < 300 {
        let body: Vec<char> = docs[random.below(docs.len())].fields[1].chars().collect();
        let length = 3 + random.below(5);
        if body.len() > length {
            let start = random.below(body.len() - length);
            queries.push(body[start..start + length].iter().collect());
        }
    }
    for query in &queries {
        let got = index.search(query);
        assert_eq!(got, expected(&texts, query), "query {query:?}");
        assert_eq!(got, whole_lists.search(query), "query {query:?}");
    }
    assert!(index.search("志愿服务").len() > 200);
}

#[test]
fn a_date_is_written_in_each_form_once() {
    let date = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap();
    assert_eq!(
        super::date_forms(&date("2024-03-05T10:00:00+08:00")),
        ["2024-03-05", "2024年3月5日", "2024年03月05日"]
    );
    assert_eq!(
        super::date_forms(&date("2024-12-28T10:00:00+08:00")),
        ["2024-12-28", "2024年12月28日"]
    );
}
