#![no_main]
//! Single cell values through every value parser.
use libfuzzer_sys::fuzz_target;
use microscout_formats::value::{parse_bool, parse_count, parse_platform, parse_timestamp};

fuzz_target!(|s: &str| {
    if let Ok(n) = parse_count(s) {
        assert!(n >= 0);
    }
    let _ = parse_bool(s);
    let _ = parse_timestamp(s);
    let _ = parse_platform(s);
});
