#![no_main]
//! Any JSON through the facebook adapter, forced (as `[ingest] adapters` can).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    microscout_fuzz::adapter(microscout_formats::native::Adapter::Facebook, data);
});
