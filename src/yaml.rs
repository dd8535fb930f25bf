//! The one door to the YAML parser: no other module names it, so swapping
//! the parser means changing this file alone. Documents come out as
//! `serde_json::Value`, which the rest of the program (field checks,
//! templates) already speaks.
//!
//! The parser is `serde_yaml_ng`, the maintained fork of the archived
//! `serde_yaml` (the same libyaml port underneath). Compared on the fuzz
//! corpus, the sample site and the error cases the diagnostics rely on (89
//! documents), it gives the same values and the same error lines and
//! columns as `serde_yaml`. `serde-saphyr` (2.2) was also tried: it points
//! better at some mistakes (an unclosed quote at the quote, a repeated field
//! at its second line), but it accepts a Tab before a field that libyaml
//! rejects, and it cannot read a mapping used as a key into a `Value`
//! (`? [1, true]`), which garbled files contain; moving to it would mean
//! reading its own node type and retesting every message.

use serde_json::{Map, Number, Value};

/// A YAML syntax error at a 1-based line and column of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses one YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| within(text, l.line(), l.column()));
        YamlError {
            line,
            column,
            message: explain(&e.to_string()),
        }
    })?;
    Ok(to_json(value))
}

/// A position the parser gives, moved onto the text: at the end of a text
/// without a final line break, the parser points at the line after the last.
fn within(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    let width = |line: usize| lines[line - 1].chars().count();
    if line > lines.len() {
        return (lines.len(), width(lines.len()) + 1);
    }
    let line = line.max(1);
    (line, column.clamp(1, width(line) + 1))
}

fn to_json(value: serde_yaml_ng::Value) -> Value {
    match value {
        serde_yaml_ng::Value::Null => Value::Null,
        serde_yaml_ng::Value::Bool(b) => Value::Bool(b),
        serde_yaml_ng::Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                Value::Number(i.into())
            } else if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml_ng::Value::String(s) => Value::String(s),
        serde_yaml_ng::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect())
        }
        serde_yaml_ng::Value::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                map.insert(key_to_string(key), to_json(value));
            }
            Value::Object(map)
        }
        serde_yaml_ng::Value::Tagged(tagged) => to_json(tagged.value),
    }
}

fn key_to_string(key: serde_yaml_ng::Value) -> String {
    let mut text = String::new();
    write_key(key, &mut text);
    text
}

/// A key as text. A list or mapping as a key (`? [a, b]`) means nothing to
/// streetpress; it is written out plainly rather than as JSON, whose quotes
/// would be escaped again at each level of nesting, doubling the text each
/// time: forty nested keys in a garbled file took gigabytes.
fn write_key(key: serde_yaml_ng::Value, out: &mut String) {
    match key {
        serde_yaml_ng::Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_key(item, out);
            }
            out.push(']');
        }
        serde_yaml_ng::Value::Mapping(mapping) => {
            out.push('{');
            for (i, (key, value)) in mapping.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_key(key, out);
                out.push_str(": ");
                write_key(value, out);
            }
            out.push('}');
        }
        serde_yaml_ng::Value::Tagged(tagged) => write_key(tagged.value, out),
        scalar => match to_json(scalar) {
            Value::String(s) => out.push_str(&s),
            Value::Null => {}
            other => out.push_str(&other.to_string()),
        },
    }
}

/// The parser speaks English; a publicity officer reads Chinese. Common
/// messages get a Chinese explanation, the original stays for the curious.
fn explain(raw: &str) -> String {
    let raw = raw.split(" at line ").next().unwrap_or(raw).trim();
    let chinese = if raw.contains("mapping values are not allowed") {
        "这一行的冒号用法不对：值里含有“: ”时，请把整个值用英文引号括起来"
    } else if raw.contains("did not find expected key") || raw.contains("did not find expected '-'")
    {
        "缩进不一致：同一层的字段要对齐，请只用空格缩进"
    } else if raw.contains("found character that cannot start any token") {
        "这里有一个不能出现在开头的字符（比如 Tab 键缩进，或 @、` 开头），请改用空格缩进，或给值加上英文引号"
    } else if raw.contains("duplicate entry") || raw.contains("duplicate key") {
        "同一个字段写了两次，请删掉其中一个"
    } else if raw.contains("found unexpected end of stream")
        || raw.contains("did not find expected")
    {
        "引号或括号没有成对关闭"
    } else {
        "格式有误，无法读取"
    };
    format!("{chinese}（{raw}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mapping_with_chinese_values() {
        let value = parse("title: 反诈知识进社区\nreads: 1200\ntags: [反诈, 助老]\n").unwrap();
        assert_eq!(value["title"], "反诈知识进社区");
        assert_eq!(value["reads"], 1200);
        assert_eq!(value["tags"][1], "助老");
    }

    #[test]
    fn dates_stay_strings() {
        let value = parse("date: 2023-08-15 10:34\n").unwrap();
        assert_eq!(value["date"], "2023-08-15 10:34");
    }

    #[test]
    fn an_error_at_the_end_is_on_the_last_line() {
        let text = "- date: 2024-03-20\n  title: 宣讲\n  participants";
        let error = parse(text).unwrap_err();
        assert_eq!((error.line, error.column), (3, 15), "{error:?}");
    }

    #[test]
    fn nested_keys_grow_with_the_text() {
        // Each `? ` makes the rest of the line the key of a mapping key.
        let text = format!("{}a\n", "? ".repeat(60));
        let Value::Object(map) = parse(&text).unwrap() else {
            panic!("a mapping")
        };
        let key = map.keys().next().unwrap();
        assert!(key.len() < 4 * text.len(), "{key}");
        let value = parse("? [1, true]\n: x\n? {a: b}\n: y\n").unwrap();
        assert_eq!(value["[1, true]"], "x");
        assert_eq!(value["{a: b}"], "y");
    }

    #[test]
    fn syntax_error_has_location_and_chinese_words() {
        let error = parse("title: a\n  bad: b: c\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("冒号"), "{}", error.message);
    }
}
