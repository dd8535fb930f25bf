//! Personal information in published text (个人信息保护法): mainland ID
//! numbers (18 digits with a valid check digit and birth date), mobile
//! numbers (11 digits, 1[3-9]…) and bank card numbers (16–19 digits passing
//! the Luhn check). Found numbers are warned about (errors in strict mode)
//! and, when the site asks, masked in everything published:
//! `110101********1234`, `138****5678`, `6222 **** **** 1234`.
//!
//! Dates, ICP numbers and office phone numbers with an area code do not
//! look like any of these; numbers listed as public in site.toml are left alone.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IdNumber,
    Mobile,
    BankCard,
}

impl Kind {
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::IdNumber => "身份证号码",
            Kind::Mobile => "手机号码",
            Kind::BankCard => "银行卡号",
        }
    }
}

/// A number found in a text: its kind and byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Settings from `[privacy]` in site.toml.
#[derive(Debug, Clone, Default)]
pub struct PrivacySettings {
    pub mask: bool,
    pub strict: bool,
    /// Numbers that are public (an office's service line): digits only.
    pub public: Vec<String>,
}

impl PrivacySettings {
    pub fn is_public(&self, digits: &str) -> bool {
        self.public.iter().any(|p| p == digits)
    }
}

pub fn digits_of(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .collect()
}

/// Every ID, mobile or bank card number in `text`, in order.
pub fn find(text: &str, settings: &PrivacySettings) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut findings = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && is_word_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let end = number_end(bytes, i);
        let candidate = &text[i..end];
        if let Some(kind) = classify(candidate) {
            if !settings.is_public(&digits_of(candidate)) {
                findings.push(Finding {
                    kind,
                    start: i,
                    end,
                });
            }
        } else {
            // A formatted run that is not a number as a whole may hold one in its groups ("2024 13812345678").
            for (start, group_end) in groups(bytes, i, end) {
                let group = &text[start..group_end];
                if let Some(kind) = classify(group) {
                    if !settings.is_public(&digits_of(group)) {
                        findings.push(Finding {
                            kind,
                            start,
                            end: group_end,
                        });
                    }
                }
            }
        }
        i = end.max(i + 1);
    }
    findings
}

/// The end of a run of digits, optionally grouped by single spaces or hyphens,
/// with an ID number's final X.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    loop {
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end < bytes.len()
            && matches!(bytes[end], b'X' | b'x')
            && !bytes.get(end + 1).is_some_and(|b| is_word_byte(*b))
        {
            return end + 1;
        }
        let separated = end + 1 < bytes.len()
            && matches!(bytes[end], b' ' | b'-')
            && bytes[end + 1].is_ascii_digit();
        if !separated {
            return end;
        }
        end += 1;
    }
}

fn groups(bytes: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut group_start = start;
    for (i, byte) in bytes[start..end]
        .iter()
        .enumerate()
        .map(|(i, b)| (start + i, b))
    {
        if matches!(byte, b' ' | b'-') {
            if i > group_start {
                found.push((group_start, i));
            }
            group_start = i + 1;
        }
    }
    if end > group_start {
        found.push((group_start, end));
    }
    found
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn classify(candidate: &str) -> Option<Kind> {
    let digits = digits_of(candidate);
    let grouped = candidate.len() != digits.len();
    match digits.len() {
        18 if is_id_number(&digits) => Some(Kind::IdNumber),
        11 if is_mobile(&digits) && (!grouped || mobile_grouping(candidate)) => Some(Kind::Mobile),
        16..=19
            if !digits.contains(['X', 'x'])
                && luhn(&digits)
                && digits.starts_with(['3', '4', '5', '6', '9']) =>
        {
            Some(Kind::BankCard)
        }
        _ => None,
    }
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && digits.bytes().all(|c| c.is_ascii_digit())
}

/// 138 1234 5678 or 138-1234-5678.
fn mobile_grouping(candidate: &str) -> bool {
    let lengths: Vec<usize> = candidate.split([' ', '-']).map(str::len).collect();
    lengths == [3, 4, 4]
}

/// GB 11643: weighted sum of the first 17 digits gives the check character.
fn is_id_number(id: &str) -> bool {
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (
        id[6..10].parse::<i32>(),
        id[10..12].parse::<u32>(),
        id[12..14].parse::<u32>(),
    ) else {
        return false;
    };
    if !(1900..=2100).contains(&year) || chrono::NaiveDate::from_ymd_opt(year, month, day).is_none()
    {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECKS: &[u8; 11] = b"10X98765432";
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECKS[(sum % 11) as usize] == bytes[17].to_ascii_uppercase()
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `text` with every finding masked; borrowed when there is nothing to mask.
pub fn mask<'a>(text: &'a str, settings: &PrivacySettings) -> Cow<'a, str> {
    let findings = find(text, settings);
    if findings.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    let mut last = 0;
    for finding in findings {
        masked.push_str(&text[last..finding.start]);
        masked.push_str(&mask_number(
            &text[finding.start..finding.end],
            finding.kind,
        ));
        last = finding.end;
    }
    masked.push_str(&text[last..]);
    Cow::Owned(masked)
}

/// Keeps the first and last digits that identify no one: 6 + 4 of an ID, 3 + 4 of a mobile, 4 + 4 of a card.
fn mask_number(number: &str, kind: Kind) -> String {
    let total = number.bytes().filter(|b| b.is_ascii_alphanumeric()).count();
    let (head, tail) = match kind {
        Kind::IdNumber => (6, 4),
        Kind::Mobile => (3, 4),
        Kind::BankCard => (4, 4),
    };
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// The text as it will be published: masked when the site asks for it.
pub fn published_text(text: String, settings: &PrivacySettings) -> String {
    if !settings.mask {
        return text;
    }
    match mask(&text, settings) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// A warning (an error in strict mode) for each number found in a file.
pub fn diagnostics(
    shown_path: &str,
    text: &str,
    settings: &PrivacySettings,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{line_col, Diagnostic};
    find(text, settings)
        .into_iter()
        .map(|finding| {
            let (line, column) = line_col(text, finding.start);
            let shown = mask_number(&text[finding.start..finding.end], finding.kind);
            let message = format!("这里像是一个{}（{shown}），公开发布会泄露个人信息", finding.kind.chinese());
            let hint = if settings.mask && !settings.strict {
                "网站上已自动打码；原文里最好也删掉".to_string()
            } else {
                "请删掉或只保留部分数字；也可以在 site.toml 的 [privacy] 里写 mask = true 自动打码。如果是公开的办公电话，把它写进 [privacy] 的 public 列表".to_string()
            };
            let diagnostic = if settings.strict {
                Diagnostic::error(shown_path, line, column, message)
            } else {
                Diagnostic::warning(shown_path, line, column, message)
            };
            diagnostic.with_hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        find(text, &PrivacySettings::default())
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    // 11010519491231002X is the well-known sample number of the national standard.
    #[test]
    fn id_numbers_with_a_valid_check_digit() {
        assert_eq!(
            kinds("身份证号11010519491231002X，请核对"),
            [Kind::IdNumber]
        );
        assert!(kinds("110105194912310021").is_empty(), "wrong check digit");
        assert!(kinds("110105194913310029").is_empty(), "month 13");
    }

    #[test]
    fn mobiles_plain_and_grouped() {
        assert_eq!(kinds("联系电话：13812345678。"), [Kind::Mobile]);
        assert_eq!(kinds("电话 138-1234-5678"), [Kind::Mobile]);
        assert_eq!(kinds("2024 13812345678"), [Kind::Mobile]);
        assert!(kinds("12812345678").is_empty());
        assert!(kinds("订单号 138123456789").is_empty(), "twelve digits");
    }

    #[test]
    fn bank_cards_pass_luhn() {
        assert_eq!(kinds("卡号 6222 0202 0000 0000 006"), [Kind::BankCard]);
        assert_eq!(kinds("4111111111111111"), [Kind::BankCard]);
        assert!(kinds("4111111111111112").is_empty());
    }

    #[test]
    fn no_false_alarms_on_dates_icp_and_office_lines() {
        assert!(kinds("2024-03-15 10:30，2024年3月15日").is_empty());
        assert!(kinds("鲁ICP备12345678号-1，鲁公网安备37010202001234号").is_empty());
        assert!(kinds("服务热线 0531-86123456，0531-12345678").is_empty());
        assert!(kinds("20240315103000").is_empty());
    }

    #[test]
    fn public_numbers_are_left_alone() {
        let settings = PrivacySettings {
            public: vec!["13800000000".into()],
            ..Default::default()
        };
        assert!(find("热线 13800000000", &settings).is_empty());
    }

    #[test]
    fn masking_keeps_what_identifies_no_one() {
        let settings = PrivacySettings::default();
        assert_eq!(
            mask("号码11010519491231002X", &settings),
            "号码110105********002X"
        );
        assert_eq!(mask("电话13812345678", &settings), "电话138****5678");
        assert_eq!(
            mask("6222 0202 0000 0000 006", &settings),
            "6222 **** **** ***0 006"
        );
        assert!(matches!(mask("没有号码", &settings), Cow::Borrowed(_)));
    }
}
