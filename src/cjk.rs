//! Character classes for Chinese text: which characters are Chinese (so a line
//! break between two of them is not a space), and which are punctuation (for
//! emphasis rules and sentence ends).

/// Han ideographs, kana, CJK symbols and punctuation, and full-width forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3134F) // extensions B–G
}

/// Han ideographs only: what a reading-time estimate counts.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Punctuation shared with Western text but used as Chinese punctuation too:
/// curly quotes, the em dash, the ellipsis, the middle dot.
pub fn is_shared_punctuation(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Unicode punctuation and symbols, as CommonMark's flanking rules see them.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF
            | 0x2010..=0x2027
            | 0x2030..=0x205E
            | 0x3001..=0x3003
            | 0x3008..=0x301F
            | 0x3030
            | 0x30FB
            | 0xFE10..=0xFE19
            | 0xFE30..=0xFE4F
            | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65)
}

/// A line break between these two characters joins them without a space.
pub fn joins_without_space(before: char, after: char) -> bool {
    (is_cjk(before) && (is_cjk(after) || is_shared_punctuation(after)))
        || (is_shared_punctuation(before) && is_cjk(after))
}

/// Ends a sentence in a summary.
pub fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_cjk('中') && is_cjk('，') && is_cjk('。') && is_cjk('Ａ'));
        assert!(!is_cjk('a') && !is_cjk('“'));
        assert!(is_punctuation('，') && is_punctuation('“') && is_punctuation('*'));
        assert!(!is_punctuation('她'));
        assert!(joins_without_space('们', '“') && joins_without_space('中', '国'));
        assert!(!joins_without_space('中', 'A'));
    }
}
