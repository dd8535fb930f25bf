//! The running tally (SPEC section 5): publications, reads, activity figures
//! and honours, computed once from the loaded site by [`model`] and written by
//! the other modules — the `/stats/` page and the home page strip
//! ([`page`], [`charts`]), `stats.json` ([`json`]), `stats.csv` ([`csv`]), the
//! monthly report workbook ([`xlsx`]) and the terminal table ([`table`]).
//! Every writer reads the same [`Tally`], so the figures agree everywhere.
//!
//! What each breakdown counts:
//! - by year and by month: articles by their date, activities by theirs;
//!   honours carry only a year, so they count in their year but in no month
//!   (monthly, year-to-date and cumulative honours are 0).
//! - by category: articles of the category, activity records of that kind,
//!   and honours under `models` (the category page that lists residents).
//! - by community: articles, activities and honoured residents of the community.
//! - by grid (`社区/网格`): articles and activities that name a grid.
//! - by author: the articles of each author (an article with two authors
//!   counts for both); activities and honours have no author.
//! - by outlet level: publications, one for the site and one per outlet.
//!
//! Reads count in the month the article was published.

pub mod charts;
pub mod csv;
pub mod district;
pub mod json;
pub mod model;
pub mod page;
pub mod table;
pub mod xlsx;

pub use model::{Breakdown, Figures, Measure, Tally};

use crate::site::Site;

/// The files the tally adds to the site's output: `stats.json` and `stats.csv`.
pub fn site_files(tally: &Tally) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("stats.json", json::to_string(tally, None).into_bytes()),
        ("stats.csv", csv::to_bytes(tally, None)),
    ]
}

/// The tally of everything published on the site, for the build.
pub fn for_site(site: &Site) -> Tally {
    Tally::compute(site, None)
}
