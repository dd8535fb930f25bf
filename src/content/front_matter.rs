//! Splitting a Markdown file into its YAML front matter and its body, and
//! catching the punctuation a Chinese input method puts where YAML needs
//! ASCII (`：` for `:`, a full-width space U+3000 for indentation, `——` for `---`).

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::yaml;

/// A file split at its front matter fences.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML text starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

const TEMPLATE_HINT: &str = "文件要以三个英文减号 --- 开头，写好标题和日期后再用 --- 结束，例如：\n    ---\n    title: 标题\n    date: 2024-03-15\n    ---";

/// Splits `text` (already decoded, `\n` line endings) into front matter and body.
pub fn split<'a>(shown_path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        let trimmed = first_line.trim();
        let message = if !trimmed.is_empty()
            && trimmed
                .chars()
                .all(|c| matches!(c, '—' | '－' | '-' | '–' | '一'))
        {
            "第一行用了中文输入法的破折号或全角减号，front matter 要以三个英文减号 --- 开头"
                .to_string()
        } else {
            "文章开头缺少 front matter（用 --- 包起来的标题、日期等信息）".to_string()
        };
        return Err(Diagnostic::error(shown_path, 1, 1, message).with_hint(TEMPLATE_HINT));
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line_number, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        let content = line.trim_end_matches('\n').trim_end();
        if content == "---" || content == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start.min(text.len())..],
                body_line: line_number + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        shown_path,
        1,
        1,
        "front matter 只有开头的 --- 行，没有结束的 --- 行",
    )
    .with_hint("在标题、日期等信息之后单独加一行 ---，再写正文"))
}

/// Parses front matter YAML into a mapping. Errors carry file lines.
pub fn parse_mapping(
    shown_path: &str,
    split: &Split<'_>,
) -> Result<Map<String, Value>, Vec<Diagnostic>> {
    let lint = lint_punctuation(shown_path, split.yaml, split.yaml_line);
    if !lint.is_empty() {
        return Err(lint);
    }
    match yaml::parse(split.yaml) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err(vec![Diagnostic::error(
            shown_path,
            split.yaml_line,
            1,
            "front matter 的每一行应写成“字段名: 值”",
        )
        .with_hint(
            "冒号要用英文半角“:”，冒号后面加一个空格，例如 title: 反诈知识进社区",
        )]),
        Err(e) => Err(vec![Diagnostic::error(
            shown_path,
            split.yaml_line + e.line - 1,
            e.column,
            e.message,
        )]),
    }
}

/// Finds Chinese punctuation where YAML needs ASCII, line by line, so each
/// mistake is reported where it is (a YAML parser would report only the first,
/// and often on another line).
pub fn lint_punctuation(shown_path: &str, yaml_text: &str, first_line: usize) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (index, line) in yaml_text.lines().enumerate() {
        let line_number = first_line + index;
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if indent.contains('\u{3000}') {
            problems.push(
                Diagnostic::error(
                    shown_path,
                    line_number,
                    1,
                    "这一行开头用了全角空格（中文输入法的空格）来缩进",
                )
                .with_hint("删掉这些空格，切换到英文输入法后用半角空格缩进"),
            );
            continue;
        }
        if indent.contains('\t') {
            problems.push(
                Diagnostic::error(
                    shown_path,
                    line_number,
                    1,
                    "这一行开头用了 Tab 键缩进，YAML 只认空格",
                )
                .with_hint("把 Tab 换成两个空格"),
            );
            continue;
        }
        let rest = &line[indent.len()..];
        let rest = rest.strip_prefix("- ").unwrap_or(rest);
        let key_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if key_len == 0 || rest.starts_with('#') {
            continue;
        }
        let after_key = rest[key_len..].trim_start_matches(' ');
        let column = line[..line.len() - after_key.len()].chars().count() + 1;
        if after_key.starts_with('：') {
            problems.push(
                Diagnostic::error(
                    shown_path,
                    line_number,
                    column,
                    format!("字段“{}”后面用了中文冒号“：”", &rest[..key_len]),
                )
                .with_hint("改成英文冒号“:”，冒号后面加一个空格，例如 title: 标题"),
            );
        } else if let Some(value) = after_key.strip_prefix(':') {
            if !value.is_empty() && !value.starts_with([' ', '\t']) && !value.starts_with("//") {
                problems.push(
                    Diagnostic::error(
                        shown_path,
                        line_number,
                        column,
                        format!("字段“{}”的冒号后面缺少空格", &rest[..key_len]),
                    )
                    .with_hint("在冒号后面加一个空格，例如 title: 标题"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: 标题\n---\n正文第一段\n";
        let split = split("a.md", text).unwrap();
        assert_eq!(split.yaml, "title: 标题\n");
        assert_eq!(split.body, "正文第一段\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn missing_front_matter_is_explained() {
        let error = split("a.md", "# 标题\n正文").unwrap_err();
        assert!(error.message.contains("缺少 front matter"));
        assert_eq!((error.line, error.column), (1, 1));
    }

    #[test]
    fn chinese_dash_first_line_is_explained() {
        let error = split("a.md", "———\ntitle: x\n———\n").unwrap_err();
        assert!(error.message.contains("破折号"), "{}", error.message);
    }

    #[test]
    fn unclosed_front_matter() {
        let error = split("a.md", "---\ntitle: x\n正文").unwrap_err();
        assert!(error.message.contains("没有结束"));
    }

    #[test]
    fn fullwidth_colon_and_space_are_found_on_their_lines() {
        let problems = lint_punctuation(
            "a.md",
            "title：标题\ndate: 2024-01-01\ntags:\n\u{3000}- 反诈\n",
            2,
        );
        assert_eq!(problems.len(), 2);
        assert_eq!((problems[0].line, problems[0].column), (2, 6));
        assert_eq!(problems[1].line, 5);
    }

    #[test]
    fn urls_and_times_are_not_flagged() {
        let problems = lint_punctuation(
            "a.md",
            "source: https://a.cn/x\ndate: 2024-01-01 10:30\n",
            2,
        );
        assert!(problems.is_empty());
    }
}
