//! Integration tests: the real `microscout` binary on real files.

mod util;

mod authenticity;
mod bad_inputs;
mod campaign;
mod comments;
mod core_metrics;
mod failures;
mod generate;
mod hostile;
mod ingest;
mod native;
mod nightly;
mod outputs;
mod overlap;
mod relevance;
