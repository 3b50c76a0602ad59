//! Filters on metadata: the [`Filter`] users give, and the tantivy query it becomes.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::schema::Fields;
use crate::error::{Error, Result};
use crate::span::Year;

/// Filters on metadata, all exact; a missing value never matches a filter on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Inclusive year range; either end may be open.
    pub years: Option<(Option<Year>, Option<Year>)>,
    /// Author.
    pub author: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Kind.
    pub kind: Option<String>,
}

impl Filter {
    /// Parses `2019..2023`, `2019..`, `..2023` or `2020`.
    ///
    /// # Errors
    ///
    /// Not years, or the range is reversed (`2025..2019`).
    pub fn parse_years(s: &str) -> Result<(Option<Year>, Option<Year>)> {
        let err = |reason: &str| Error::InvalidArgument {
            what: format!("--year {s}"),
            reason: reason.to_string(),
        };
        let year = |p: &str| -> Result<Option<Year>> {
            if p.trim().is_empty() {
                return Ok(None);
            }
            Year::parse(p)
                .map(Some)
                .ok_or_else(|| err("years are written 2019, 2019..2023, 2019.. or ..2023"))
        };
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (year(a)?, year(b)?),
            None => {
                let y = year(s)?;
                if y.is_none() {
                    return Err(err("no year given"));
                }
                (y, y)
            }
        };
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            return Err(err(
                "the range is reversed: the first year must not be after the second",
            ));
        }
        Ok((a, b))
    }

    /// The tantivy query of the filter over `f`, `None` when it filters nothing.
    pub(crate) fn query(&self, f: &Fields) -> Option<Box<dyn Query>> {
        let filter = self;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, value) in [
            (f.author, &filter.author),
            (f.unit, &filter.unit),
            (f.kind, &filter.kind),
        ] {
            if let Some(v) = value {
                must.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if let Some((a, b)) = filter.years {
            let bound = |y: Option<Year>| match y {
                Some(y) => Bound::Included(Term::from_field_u64(f.year, u64::from(y.get()))),
                None => Bound::Unbounded,
            };
            let (lo, hi) = match (a, b) {
                (None, None) => (
                    Bound::Included(Term::from_field_u64(f.year, 0)),
                    Bound::Unbounded,
                ),
                _ => (bound(a), bound(b)),
            };
            must.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        (!must.is_empty()).then(|| {
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(must)), 0.0)) as Box<dyn Query>
        })
    }
}
