//! Number formatting for text that people read (reasons, reports).

/// An integer with thousands separators: `10400` -> `"10,400"`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A per-post average or median for reading: whole numbers above 100, one decimal below
/// (trailing `.0` dropped): `4.0` -> `"4"`, `4.5` -> `"4.5"`, `1234.4` -> `"1,234"`.
pub fn amount(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x.abs() >= 100.0 {
        return count(x.round().max(0.0) as u64);
    }
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A fraction as a percentage with sensible precision: `0.0342` -> `"3.42%"`,
/// `0.25` -> `"25%"`, `0.00041` -> `"0.041%"`.
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "n/a".into();
    }
    let p = fraction * 100.0;
    let s = if p == 0.0 {
        "0".to_string()
    } else if p.abs() >= 10.0 {
        format!("{p:.1}")
    } else if p.abs() >= 1.0 {
        format!("{p:.2}")
    } else {
        format!("{p:.3}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}%")
}

/// A ratio such as "3.2x" (without the x): whole above 10, one decimal from 1, two below.
pub fn ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}")
    } else if r >= 1.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.2}")
    }
}

/// An estimate and its interval as whole percentages, as people quote them:
/// `(0.62, 0.48, 0.74)` -> `"62% (48-74%)"`; below 1% reads `"<1%"`.
pub fn percent_range(value: f64, low: f64, high: f64) -> String {
    let p = |x: f64| {
        let r = (x * 100.0).round();
        if x > 0.0 && r < 1.0 {
            "<1".to_string()
        } else {
            format!("{r:.0}")
        }
    };
    format!("{}% ({}-{}%)", p(value), p(low), p(high))
}

/// Unix seconds as RFC 3339 UTC (`2026-11-20T18:30:00Z`); empty when out of range.
pub fn rfc3339(secs: i64) -> String {
    // From 1970 to the end of 9999 (every timestamp ingestion accepts), without a format
    // string to interpret: the civil date from the day number (H. Hinnant's algorithm).
    if (0..=253_402_300_799).contains(&secs) {
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
        return format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
    }
    chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_is_chronos_format_over_the_whole_range() {
        let chrono = |secs: i64| {
            chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default()
        };
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut cases: Vec<i64> = vec![
            0,
            59,
            86_399,
            86_400,
            951_782_400,   // 2000-02-29
            4_107_456_000, // 2100-02-28 (no leap day in 2100)
            4_107_542_400, // 2100-03-01
            4_107_542_399,
            1_795_199_400,
            253_402_300_799, // the last second of 9999
            253_402_300_800,
            -1,
            -86_401,
        ];
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push((x % 253_402_300_800) as i64);
        }
        for secs in cases {
            assert_eq!(rfc3339(secs), chrono(secs), "{secs}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(10_400), "10,400");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn amounts() {
        assert_eq!(amount(4.0), "4");
        assert_eq!(amount(4.54), "4.5");
        assert_eq!(amount(1234.4), "1,234");
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(1_795_199_400), "2026-11-20T18:30:00Z");
    }

    #[test]
    fn ranges() {
        assert_eq!(percent_range(0.62, 0.4815, 0.7416), "62% (48-74%)");
        assert_eq!(percent_range(0.004, 0.0, 0.039), "<1% (0-4%)");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0.0342), "3.42%");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.00041), "0.041%");
        assert_eq!(percent(0.0), "0%");
    }
}
