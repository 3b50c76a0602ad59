//! Helpers shared by unit tests.

use std::sync::LazyLock;

use crate::segment::Segmenter;

static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(Segmenter::new);

/// One segmenter for all unit tests: building one costs ≈300 ms in debug builds.
pub(crate) fn segmenter() -> &'static Segmenter {
    &SEGMENTER
}
