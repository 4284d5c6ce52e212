#![no_main]
//! Any bytes as an XML export: decoded, parsed within its bounds, detected, and mapped by
//! every XML adapter (forced, as `[ingest] adapters` can).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    microscout_fuzz::feed(data);
});
