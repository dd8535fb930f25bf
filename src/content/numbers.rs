//! Numbers as people type them: `1,200`, full-width `１２００`, and — as a
//! mistake worth explaining — Chinese numerals such as 一千二百 or 1.2万.

/// Full-width digits and punctuation to ASCII; thousands separators removed.
pub fn normalize_digits(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | '_' | ' ' | '\u{3000}' => None,
            other => Some(other),
        })
        .collect()
}

/// A non-negative whole number written with digits.
pub fn parse_count(text: &str) -> Option<u64> {
    let normalized = normalize_digits(text);
    if normalized.is_empty() || !normalized.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    normalized.parse().ok()
}

/// A non-negative decimal number written with digits.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let normalized = normalize_digits(text);
    let valid = !normalized.is_empty()
        && normalized.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && normalized.matches('.').count() <= 1;
    valid.then(|| normalized.parse().ok()).flatten()
}

/// Units a ledger writes after a count of people: `120人`, `120人次`.
pub const COUNT_UNITS: &[&str] = &["人次", "人", "名", "位", "次", "个"];
/// Units a ledger writes after hours: `16小时`, `3.5h`.
pub const HOUR_UNITS: &[&str] = &["个小时", "小时", "钟头", "hrs", "hr", "h"];

/// The number in `120人` or `3.5h` without its unit, when what is left is a
/// number written with digits (full-width digits too); `None` otherwise, so
/// that `约120人` or `三十人` is explained as it was written.
pub fn without_unit<'a>(text: &'a str, units: &[&str]) -> Option<&'a str> {
    let text = text.trim();
    units.iter().find_map(|unit| {
        let cut = text.len().checked_sub(unit.len())?;
        let (number, suffix) = (text.get(..cut)?, text.get(cut..)?);
        let number = number.trim();
        (suffix.eq_ignore_ascii_case(unit) && parse_decimal(number).is_some()).then_some(number)
    })
}

/// The value of a number written in Chinese (一千二百, 两万, 1.2万, 三十), to
/// suggest the digits to type instead.
pub fn chinese_numeral_value(text: &str) -> Option<u64> {
    let text = normalize_digits(text);
    let text = text.trim_end_matches(['人', '次', '名', '场', '个', '小', '时', '篇']);
    if let Some(number) = text.strip_suffix('万') {
        let value = number.parse::<f64>().ok().map(|value| value * 10_000.0);
        if let Some(value) = value.filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e19) {
            return Some(value.round() as u64);
        }
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    let mut seen_any = false;
    for c in text.chars() {
        let value = match c {
            '零' | '〇' => Some(0),
            '一' | '壹' => Some(1),
            '二' | '两' | '贰' => Some(2),
            '三' | '叁' => Some(3),
            '四' | '肆' => Some(4),
            '五' | '伍' => Some(5),
            '六' | '陆' => Some(6),
            '七' | '柒' => Some(7),
            '八' | '捌' => Some(8),
            '九' | '玖' => Some(9),
            _ => None,
        };
        if let Some(value) = value {
            digit = Some(value);
            seen_any = true;
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        seen_any = true;
        // Checked: 一万万万万万 is more than a count can hold.
        if unit == 10_000 {
            total = total
                .checked_add(section)?
                .checked_add(digit.take().unwrap_or(0))?
                .checked_mul(unit)?;
            section = 0;
        } else {
            section = section.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
        }
    }
    if !seen_any {
        return None;
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_separators_and_fullwidth_digits() {
        assert_eq!(parse_count("1,200"), Some(1200));
        assert_eq!(parse_count("１２００"), Some(1200));
        assert_eq!(parse_count("12a"), None);
        assert_eq!(parse_count("-3"), None);
    }

    #[test]
    fn units_after_a_number() {
        assert_eq!(without_unit("120人", COUNT_UNITS), Some("120"));
        assert_eq!(without_unit("１２０ 人次", COUNT_UNITS), Some("１２０"));
        assert_eq!(without_unit("16小时", HOUR_UNITS), Some("16"));
        assert_eq!(without_unit("3.5H", HOUR_UNITS), Some("3.5"));
        assert_eq!(without_unit("三十人", COUNT_UNITS), None);
        assert_eq!(without_unit("约120人", COUNT_UNITS), None);
        assert_eq!(without_unit("120", COUNT_UNITS), None);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral_value("一千二百"), Some(1200));
        assert_eq!(chinese_numeral_value("十二"), Some(12));
        assert_eq!(chinese_numeral_value("三十人"), Some(30));
        assert_eq!(chinese_numeral_value("两万"), Some(20000));
        assert_eq!(chinese_numeral_value("1.2万"), Some(12000));
        assert_eq!(chinese_numeral_value("一百零五"), Some(105));
        assert_eq!(chinese_numeral_value("很多"), None);
        // Too large for a count, not an overflow.
        assert_eq!(
            chinese_numeral_value(&format!("一{}", "万".repeat(6))),
            None
        );
        assert_eq!(chinese_numeral_value(&"九千".repeat(10)), Some(90_000));
        assert_eq!(chinese_numeral_value("inf万"), None);
    }
}
