//! Analyses of documents against each other and against the archive.
//!
//! - [`align`]: the passages two texts share ([`Aligner`], [`Passage`]).
//! - [`candidates`]: which documents of a corpus are worth aligning ([`CandidateIndex`]).
//! - [`formulas`]: the stock phrasing of the genre, as templates ([`FormulaSet`]).
//! - [`reuse`]: the 查重 of one document against others: each shared passage typed as copied,
//!   self-reused, mandated or boilerplate ([`ReuseReport`]).

pub(crate) mod align;
pub(crate) mod candidates;
pub(crate) mod formulas;
pub(crate) mod reuse;
pub(crate) mod specificity;
