//! Reading text files as people on Windows save them: a UTF-8 byte-order mark,
//! CRLF line endings and files saved in GBK by Chinese Windows tools must all
//! simply work. Everything downstream sees clean UTF-8 with `\n` line endings.

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::{display_path, Diagnostic};

/// Text decoded from a file, and a warning when the encoding had to be guessed.
pub struct DecodedText {
    pub text: String,
    pub warning: Option<Diagnostic>,
}

/// Reads a content file. An unreadable file is an error diagnostic.
pub fn read_text(root: &Path, path: &Path) -> Result<DecodedText, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            display_path(root, path),
            0,
            0,
            format!("无法读取文件: {}", io_reason(&e)),
        )
    })?;
    decode(&display_path(root, path), &bytes)
}

/// Decodes bytes as UTF-8 (with or without BOM), falling back to GBK.
pub fn decode(shown_path: &str, bytes: &[u8]) -> Result<DecodedText, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks Chinese text (three bytes a character) many times
    // faster than the standard library, which is quick only on ASCII; the
    // standard library is asked only for where a bad file goes wrong.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(DecodedText {
            text: normalize_newlines(text).into_owned(),
            warning: None,
        }),
        Err(_) => {
            let valid_up_to = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let (decoded, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                let (line, column) = position_of_byte(bytes, valid_up_to);
                return Err(Diagnostic::error(
                    shown_path,
                    line,
                    column,
                    "这个文件不是 UTF-8 编码的文本，也不是 GBK 编码，无法读取",
                )
                .with_hint("用记事本或 WPS 打开，选择“另存为”，编码选“UTF-8”后保存"));
            }
            Ok(DecodedText {
                text: normalize_newlines(&decoded).into_owned(),
                warning: Some(
                    Diagnostic::warning(
                        shown_path,
                        1,
                        1,
                        "这个文件是 GBK 编码保存的，已自动按 GBK 读取",
                    )
                    .with_hint("建议用记事本“另存为”，编码选“UTF-8”，以免在其他电脑上出现乱码"),
                ),
            })
        }
    }
}

/// `\r\n` and lone `\r` become `\n`.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn position_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// A short Chinese reason for an I/O error, with the system's own words after it.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let reason = match error.kind() {
        NotFound => "文件或文件夹不存在",
        PermissionDenied => "没有权限",
        AlreadyExists => "已经存在",
        StorageFull => "磁盘已满",
        ReadOnlyFilesystem => "磁盘是只读的",
        _ => "读写失败",
    };
    format!("{reason}（{error}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_removed() {
        let decoded = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(decoded.text, "---\ntitle: x\n---\n");
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn gbk_is_decoded_with_a_warning() {
        let (gbk, _, _) = encoding_rs::GBK.encode("标题：志愿服务");
        let decoded = decode("a.md", &gbk).unwrap();
        assert_eq!(decoded.text, "标题：志愿服务");
        assert!(decoded.warning.unwrap().message.contains("GBK"));
    }
}
