//! gongwen's integration tests: one binary, one module per concern.

mod cdp;
mod util;

mod analyzer_battery;
mod archive;
mod bad_input;
mod check;
mod cli;
mod durability;
mod formats;
mod formulas;
mod fuzz;
mod large_inputs;
mod manifest;
mod metadata;
mod outline;
mod properties;
mod real_files;
mod report;
mod reuse;
mod reuse_bad_input;
mod segmentation;
mod specificity;
mod user_dictionaries;
mod web;

mod shared_data;
