//! Properties that must hold for any input, checked on generated ones:
//! every slug and path segment stays one folder inside the output and is a
//! name Windows can hold, and a summary is plain text, no longer than asked,
//! never cut inside a tag or a character.

use std::path::{Component, Path};

use proptest::prelude::*;
use streetpress::markdown::{cut_at_sentence, plain_summary};
use streetpress::slug;

/// Names as people and mistakes write them: Chinese, Latin, digits, and the
/// characters that mean something to a path or a URL.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                Just("..".to_string()),
                Just(".".to_string()),
                Just("/".to_string()),
                Just("\\".to_string()),
                Just(":".to_string()),
                Just("%2e".to_string()),
                Just(" ".to_string()),
                Just("\u{3000}".to_string()),
                Just("-".to_string()),
                Just("反诈".to_string()),
                Just("社区".to_string()),
                Just("５Ｇ".to_string()),
                "[a-zA-Z0-9_]{1,8}",
                any::<char>().prop_map(String::from),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

/// A segment joined under an output folder is one folder inside it.
fn assert_inside(segment: &str) -> Result<(), TestCaseError> {
    prop_assert!(!segment.is_empty());
    prop_assert!(!segment.contains(['/', '\\', ':', '\0']), "{segment:?}");
    prop_assert!(!segment.chars().any(char::is_control), "{segment:?}");
    // The same site on every system: a name Windows can hold, too.
    prop_assert_eq!(slug::windows_name_problem(segment), None, "{:?}", segment);
    let output = Path::new("/srv/site/public");
    for site_path in [segment.to_string(), format!("tags/{segment}/")] {
        let joined = output.join(&site_path);
        prop_assert!(joined.starts_with(output), "{site_path:?}");
        prop_assert!(
            Path::new(&site_path)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{site_path:?}"
        );
    }
    let joined = output.join(segment);
    prop_assert_eq!(joined.parent(), Some(output));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn slugs_stay_inside_the_output(
        explicit in proptest::option::of(name()),
        stem in name(),
        title in name(),
    ) {
        assert_inside(&slug::derive(explicit.as_deref(), &stem, &title))?;
    }

    #[test]
    fn path_segments_stay_inside_the_output(name in name()) {
        assert_inside(&slug::path_segment(&name))?;
    }
}

/// Markdown as a publicity office writes it, with the markup and raw HTML
/// a summary must see through. Every `<` starts a whole tag, outside code (a
/// `<` in code is text the reader sees, which a summary may cut like any other).
fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("社区志愿者走进小区".to_string()),
            Just("为老人测量血压".to_string()),
            Just("。".to_string()),
            Just("！".to_string()),
            Just("，".to_string()),
            Just("“好”".to_string()),
            Just("Volunteer 5G ".to_string()),
            Just("**".to_string()),
            Just("*".to_string()),
            Just("`代码`".to_string()),
            Just("<b>".to_string()),
            Just("</b>".to_string()),
            Just("<span style=\"color:red\">".to_string()),
            Just("<br>".to_string()),
            Just("&amp;".to_string()),
            Just("&lt;".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("# ".to_string()),
            Just("- ".to_string()),
            Just("> ".to_string()),
            Just("    ".to_string()),
            Just("\n```\n".to_string()),
            Just("[链接](x.md)".to_string()),
            Just("![图](a.jpg)".to_string()),
            Just("𠀀".to_string()),
            "[a-z ]{1,6}",
            "[\u{4e00}-\u{9fff}]{1,6}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn summaries_are_plain_text_no_longer_than_asked(body in body(), length in 1usize..200) {
        let summary = plain_summary(&body, length);
        // Every `<` of the body starts a tag: a `<` in the summary can only
        // come from a character reference (`&lt;`), never from a tag or part of one.
        if !body.contains('&') {
            prop_assert!(!summary.contains('<'), "{summary:?} from {body:?}");
        }
        // Up to half as long again to end at a sentence end, or cut with an ellipsis.
        let count = summary.chars().count();
        prop_assert!(count <= (length * 3 / 2).max(length + 1), "{count} for {length}: {summary:?}");
    }

    #[test]
    fn cuts_fall_between_characters(text in any::<String>(), length in 0usize..64) {
        let cut = cut_at_sentence(&text, length);
        let head = cut.strip_suffix('…').unwrap_or(&cut);
        prop_assert!(text.starts_with(head), "{cut:?} is not the start of {text:?}");
        prop_assert!(cut.chars().count() <= (length * 3 / 2).max(length + 1));
    }

    #[test]
    fn chinese_text_is_cut_between_characters(
        text in "[\u{4e00}-\u{9fff}。！？，“”a-z 𠀀-𠀐]{0,300}",
        length in 1usize..150,
    ) {
        let cut = cut_at_sentence(&text, length);
        let head = cut.strip_suffix('…').unwrap_or(&cut);
        prop_assert!(text.starts_with(head));
        let summary = plain_summary(&text, length);
        prop_assert!(summary.chars().count() <= (length * 3 / 2).max(length + 1));
    }
}
