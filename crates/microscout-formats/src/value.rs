//! Parsing of single raw cell values into the canonical types ([`microscout_model::schema::Kind`]).
//!
//! Each parser returns what is wrong ([`ValueError`], rendered into words in one place) when a
//! value cannot be used; the caller adds the file, line and column.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use microscout_model::Platform;
use microscout_model::reason::{ValueError, ValueProblem};

/// Parses a count (integer >= 0). Accepts surrounding space, a trailing `.0`, and
/// thousands separators in groups of three (`12,345`). Returns the reason on failure.
/// `s.trim()`, returning at once when neither end is white space (the usual cell).
pub fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| *b > b' ' && b.is_ascii());
    let bytes = s.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

pub fn parse_count(raw: &str) -> Result<i64, ValueError> {
    let s = trim(raw);
    // The common case, plain digits that cannot overflow, without the checks below.
    if (1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(s.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0')));
    }
    if let Some(rest) = s.strip_prefix('-')
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Err(ValueError::new(s, ValueProblem::Negative));
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let int_part = match s.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.chars().all(|c| c == '0') => int,
        Some((_, frac)) if frac.chars().all(|c| c.is_ascii_digit()) && !frac.is_empty() => {
            return Err(ValueError::new(raw, ValueProblem::NotWhole));
        }
        Some(_) => return Err(ValueError::new(raw, ValueProblem::NotANumber)),
        None => s,
    };
    let digits: String = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(ValueError::new(raw, ValueProblem::NotANumber));
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValueError::new(raw, ValueProblem::NotANumber));
    }
    digits
        .parse::<i64>()
        .map_err(|_| ValueError::new(raw, ValueProblem::TooLarge))
}

/// Parses a boolean in the usual spellings.
pub fn parse_bool(raw: &str) -> Result<bool, ValueError> {
    let w = trim(raw).as_bytes();
    let is = |word: &[u8]| w.eq_ignore_ascii_case(word);
    let value = match w.len() {
        1 => match w[0].to_ascii_lowercase() {
            b't' | b'y' | b'1' => Some(true),
            b'f' | b'n' | b'0' => Some(false),
            _ => None,
        },
        2 => is(b"no").then_some(false),
        3 => is(b"yes").then_some(true),
        4 => is(b"true").then_some(true),
        5 => is(b"false").then_some(false),
        _ => None,
    };
    value.ok_or_else(|| ValueError::new(raw, ValueProblem::NotBoolean))
}

/// The latest timestamp accepted: 9999-12-31T23:59:59Z. Later values cannot be written as
/// a calendar date (nor as a datetime in `scores.parquet`), so they are rejected, not wrapped.
pub const MAX_TIMESTAMP: i64 = 253_402_300_799;

/// All-digit timestamps above this are Unix milliseconds (10^11 seconds is the year 5138;
/// 10^11 milliseconds is March 1973), others Unix seconds.
pub const MILLIS_ABOVE: i64 = 100_000_000_000;

/// Parses a timestamp into Unix seconds (UTC): RFC 3339 (`2026-11-20T18:30:00Z`,
/// `...+01:00`), `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SS` (taken as UTC), a bare
/// date `YYYY-MM-DD` (midnight UTC), or a Unix time: an integer, optionally with a fraction
/// (dropped), in seconds, or in milliseconds when above 10^11 ([`MILLIS_ABOVE`]). Times
/// before 1970 or after the year 9999 are rejected.
pub fn parse_timestamp(raw: &str) -> Result<i64, ValueError> {
    let t = parse_timestamp_unchecked(raw)?;
    if !(0..=MAX_TIMESTAMP).contains(&t) {
        return Err(ValueError::new(raw, ValueProblem::OutsideCalendar));
    }
    Ok(t)
}

fn parse_timestamp_unchecked(raw: &str) -> Result<i64, ValueError> {
    let s = raw.trim();
    let unix = |int: &str| -> Result<i64, ValueError> {
        let n = int
            .parse::<i64>()
            .map_err(|_| ValueError::new(raw, ValueProblem::UnixOutOfRange))?;
        Ok(if n > MILLIS_ABOVE {
            n.div_euclid(1000)
        } else {
            n
        })
    };
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return unix(s);
    }
    if let Some((int, frac)) = s.split_once('.')
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
    {
        return unix(int);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(dt.and_utc().timestamp());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp());
    }
    Err(ValueError::new(raw, ValueProblem::NotTimestamp))
}

/// Parses a platform name.
pub fn parse_platform(raw: &str) -> Result<Platform, ValueError> {
    Platform::parse(raw).ok_or_else(|| ValueError::new(raw, ValueProblem::UnknownPlatform))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count(" 1234 "), Ok(1234));
        assert_eq!(parse_count("1234.0"), Ok(1234));
        assert_eq!(parse_count("12,345"), Ok(12345));
        assert_eq!(parse_count("1,234,567"), Ok(1_234_567));
        assert!(
            parse_count("-5")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(
            parse_count("12.5")
                .unwrap_err()
                .to_string()
                .contains("whole")
        );
        assert!(
            parse_count("abc")
                .unwrap_err()
                .to_string()
                .contains("not a number")
        );
        assert!(parse_count("1,23").is_err());
        assert!(parse_count("").is_err());
        assert!(
            parse_count("99999999999999999999")
                .unwrap_err()
                .to_string()
                .contains("large")
        );
    }

    #[test]
    fn plain_digits_parse_as_the_standard_library_does_up_to_the_largest_count() {
        let mut rng = microscout_generate::rng::Rng::new(3, 0, 0);
        for len in 1..=20 {
            for _ in 0..200 {
                let digits: String = (0..len)
                    .map(|_| char::from(b'0' + rng.below(10) as u8))
                    .collect();
                let want = digits.parse::<i64>().ok();
                assert_eq!(parse_count(&digits).ok(), want, "{digits}");
                assert_eq!(parse_count(&format!(" {digits}\t")).ok(), want, "{digits}");
            }
        }
        assert_eq!(parse_count("000123"), Ok(123));
        assert_eq!(
            parse_count("999999999999999999"),
            Ok(999_999_999_999_999_999)
        );
        assert_eq!(parse_count("9223372036854775807"), Ok(i64::MAX));
        assert!(parse_count("9223372036854775808").is_err());
    }

    #[test]
    fn trim_is_strs_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\u{a0}x",
            "x\u{3000}",
            "é",
            "a b",
            "\u{85}",
            "ab",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn bools() {
        for t in ["true", "TRUE", "1", "yes", "Y", "t"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["false", "0", "no", "N", "F"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        for t in ["TrUe", " Yes ", "T"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for bad in ["maybe", "tru", "yes!", "nö", "", "10"] {
            assert!(parse_bool(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("2026-11-20T18:30:00Z"), Ok(1_795_199_400));
        assert_eq!(
            parse_timestamp("2026-11-20T19:30:00+01:00"),
            Ok(1_795_199_400)
        );
        assert_eq!(parse_timestamp("2026-11-20 18:30:00"), Ok(1_795_199_400));
        assert_eq!(parse_timestamp("1795199400"), Ok(1_795_199_400));
        assert_eq!(parse_timestamp("1795199400.75"), Ok(1_795_199_400));
        assert_eq!(parse_timestamp("2026-11-20"), Ok(1_795_132_800));
        assert!(parse_timestamp("yesterday").is_err());
        assert!(parse_timestamp("2026-13-45 00:00:00").is_err());
    }

    #[test]
    fn millisecond_timestamps() {
        // Above 10^11 an all-digit time is in milliseconds (the contract's rule).
        assert_eq!(parse_timestamp("1795199400000"), Ok(1_795_199_400));
        assert_eq!(parse_timestamp("1795199400999"), Ok(1_795_199_400));
        assert_eq!(parse_timestamp("1795199400123.5"), Ok(1_795_199_400));
        // At and below 10^11 it is seconds.
        assert_eq!(parse_timestamp("100000000000"), Ok(100_000_000_000));
        assert_eq!(parse_timestamp("100000000001"), Ok(100_000_000));
    }

    #[test]
    fn timestamps_outside_the_calendar_are_rejected() {
        // i64::MAX milliseconds is far beyond the year 9999: rejected, never wrapped.
        assert!(
            parse_timestamp("9223372036854775807").unwrap_err().problem
                == ValueProblem::OutsideCalendar
        );
        assert!(parse_timestamp("99999999999999999999").is_err());
        assert_eq!(parse_timestamp("9999-12-31T23:59:59Z"), Ok(MAX_TIMESTAMP));
        assert!(parse_timestamp("+10000-01-01T00:00:00Z").is_err());
        assert!(
            parse_timestamp("1969-12-31T23:59:59Z")
                .unwrap_err()
                .to_string()
                .contains("1970")
        );
    }
}
