//! Publication dates in every form the contract lists (`2023-08-15`,
//! `2023-08-15 10:34`, `2023-08-15 10:34:02`, RFC 3339) and the forms people
//! type anyway (`2023/8/15`, `2023.08.15`, `2023年8月15日`), read in the site's
//! time zone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::numbers::normalize_digits;

#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not a date at all.
    Unreadable,
    /// Well formed, but the day does not exist (2023-02-30).
    Impossible(String),
}

pub fn parse(text: &str, timezone: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    let text = normalize(text);
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(&text) {
        return Ok(with_offset);
    }
    let (date_part, time_part) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text.as_str(), None),
    };
    let date = parse_day(date_part)?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(time) => parse_time(time)?,
    };
    let local = NaiveDateTime::new(date, time);
    // A local time skipped by a daylight-saving change (not in China) takes the earliest valid reading.
    let zoned = timezone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            timezone
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or(DateError::Unreadable)?;
    Ok(zoned.fixed_offset())
}

fn normalize(text: &str) -> String {
    let text = text.trim().trim_matches(['"', '\'', '“', '”', '‘', '’']);
    let mut normalized = String::with_capacity(text.len());
    for c in normalize_digits_keep_separators(text).chars() {
        match c {
            '年' | '月' | '/' | '.' => normalized.push('-'),
            '日' | '号' => normalized.push(' '),
            '：' => normalized.push(':'),
            '时' | '点' => normalized.push(':'),
            '分' => {}
            _ => normalized.push(c),
        }
    }
    let collapsed: Vec<&str> = normalized.split_whitespace().collect();
    collapsed.join(" ").trim_end_matches(':').to_string()
}

fn normalize_digits_keep_separators(text: &str) -> String {
    // normalize_digits drops spaces and commas, which matter between a date and a time.
    text.split(' ')
        .map(normalize_digits)
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_day(text: &str) -> Result<NaiveDate, DateError> {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else {
        return Err(DateError::Unreadable);
    };
    let number = |s: &str, max_len: usize| -> Result<u32, DateError> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Unreadable);
        }
        s.parse().map_err(|_| DateError::Unreadable)
    };
    let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
    if year < 1000 {
        return Err(DateError::Unreadable);
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| DateError::Impossible(format!("{year}年{month}月{day}日")))
}

fn parse_time(text: &str) -> Result<NaiveTime, DateError> {
    let parts: Vec<&str> = text.split(':').collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                Err(DateError::Unreadable)
            } else {
                p.parse().map_err(|_| DateError::Unreadable)
            }
        })
        .collect::<Result<_, _>>()?;
    let (hour, minute, second) = match numbers[..] {
        [h] => (h, 0, 0),
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return Err(DateError::Unreadable),
    };
    NaiveTime::from_hms_opt(hour, minute, second)
        .ok_or_else(|| DateError::Impossible(format!("{hour}点{minute}分{second}秒")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai(text: &str) -> String {
        parse(text, Tz::Asia__Shanghai).unwrap().to_rfc3339()
    }

    #[test]
    fn every_listed_form() {
        assert_eq!(shanghai("2023-08-15"), "2023-08-15T00:00:00+08:00");
        assert_eq!(shanghai("2023-08-15 10:34"), "2023-08-15T10:34:00+08:00");
        assert_eq!(shanghai("2023-08-15 10:34:02"), "2023-08-15T10:34:02+08:00");
        assert_eq!(
            shanghai("2023-08-15T02:34:02Z"),
            "2023-08-15T02:34:02+00:00"
        );
        assert_eq!(
            shanghai("2023-08-15T10:34:02+08:00"),
            "2023-08-15T10:34:02+08:00"
        );
    }

    #[test]
    fn forms_people_type() {
        assert_eq!(shanghai("2023/8/5"), "2023-08-05T00:00:00+08:00");
        assert_eq!(shanghai("2023年8月15日"), "2023-08-15T00:00:00+08:00");
        assert_eq!(shanghai("２０２３-０８-１５"), "2023-08-15T00:00:00+08:00");
        assert_eq!(shanghai("2023-08-15T10:34"), "2023-08-15T10:34:00+08:00");
    }

    #[test]
    fn impossible_and_unreadable_dates() {
        assert_eq!(
            parse("2023-02-30", Tz::Asia__Shanghai),
            Err(DateError::Impossible("2023年2月30日".into()))
        );
        assert!(matches!(
            parse("2023-08-15 25:00", Tz::Asia__Shanghai),
            Err(DateError::Impossible(_))
        ));
        assert_eq!(
            parse("上周五", Tz::Asia__Shanghai),
            Err(DateError::Unreadable)
        );
        assert_eq!(
            parse("15/08/2023", Tz::Asia__Shanghai),
            Err(DateError::Unreadable)
        );
    }
}
