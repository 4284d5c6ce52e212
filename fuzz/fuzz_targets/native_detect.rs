#![no_main]
//! Any JSON: detection, then the detected adapter.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Some(a) = microscout_formats::native::detect(&doc) {
            microscout_fuzz::adapter(a, data);
        }
    }
});
