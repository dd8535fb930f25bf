//! Syntax highlighting of fenced code blocks that name a language, with CSS
//! classes rather than inline styles, so that the theme's stylesheets
//! (`highlight.css`, with rules for care mode under `html.care`) decide the
//! colours. Syntax definitions are loaded on the first block that needs them:
//! a site without code pays nothing for them. A language the highlighter
//! does not know is shown as plain code, without a warning.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every class the highlighter writes starts with this, e.g. `hl-comment`.
pub const CLASS_PREFIX: &str = "hl-";
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language a fence's info string names: `rust,ignore` → `rust`,
/// `python {.numbered}` → `python`. `None` for a bare fence.
pub fn language(info: &str) -> Option<&str> {
    let word = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .trim();
    (!word.is_empty()).then_some(word)
}

fn find(language: &str) -> Option<&'static SyntaxReference> {
    let lower = language.to_ascii_lowercase();
    let token = match lower.as_str() {
        // Plain text needs no definitions at all.
        "text" | "plain" | "plaintext" | "txt" => return None,
        "shell" | "console" | "zsh" => "bash",
        "py" | "python3" => "python",
        "golang" => "go",
        "c++" => "cpp",
        other => other,
    };
    let set = syntaxes();
    set.find_syntax_by_token(token)
        .filter(|syntax| syntax.name != "Plain Text")
}

/// The HTML of a fenced code block: highlighted when its language is known,
/// else as plain code.
pub fn code_block(info: &str, code: &str) -> String {
    let language = language(info).unwrap_or("");
    let class = escape(language);
    if let Some(syntax) = find(language) {
        if let Some(spans) = highlight(syntax, code) {
            return format!(
                "<pre class=\"highlight\"><code class=\"language-{class}\" data-lang=\"{class}\">{spans}</code></pre>\n"
            );
        }
    }
    let class_attr = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{class}\"")
    };
    format!("<pre><code{class_attr}>{}</code></pre>\n", escape(code))
}

fn highlight(syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_name_a_language() {
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language("python {.numbered}"), Some("python"));
        assert_eq!(language("  "), None);
    }

    #[test]
    fn known_languages_get_class_spans() {
        let html = code_block("python", "def f():\n    return \"好\"  # 注释\n");
        assert!(
            html.starts_with("<pre class=\"highlight\"><code class=\"language-python\""),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("hl-comment"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_languages_are_plain_and_escaped() {
        let html = code_block("klingon", "a < b && c\n");
        assert_eq!(
            html,
            "<pre><code class=\"language-klingon\">a &lt; b &amp;&amp; c\n</code></pre>\n"
        );
    }
}
