//! gongwen's integration tests: one binary, one module per concern.

mod util;

mod archive;
mod bad_input;
mod check;
mod cli;
mod formats;
mod fuzz;
mod metadata;
mod outline;
mod properties;
mod real_files;
mod report;
mod reuse;
mod reuse_bad_input;
mod segmentation;
mod specificity;

mod shared_data;
