//! The pages a district portal adds (see [`crate::district`]): the league
//! table (`/league/`), the offices (`/offices/`), a page per office
//! (`/offices/<slug>/`), and the district block of the home page.

use serde::Serialize;

use super::{PageView, Target};
use crate::config::OutletLevel;
use crate::district::feed::FeedArticle;
use crate::district::league::{PeriodFigures, PeriodKind, Standing, Table};
use crate::district::{District, Office};
use crate::render::views::{self, url};
use crate::render::Renderer;
use crate::site::Site;
use crate::stats::model::Figures;

/// Where the league table and the offices are in the portal.
pub const LEAGUE_PATH: &str = "league/";
pub const OFFICES_PATH: &str = "offices/";

/// The site path of an office's page.
pub fn office_path(office: &Office) -> String {
    format!("{OFFICES_PATH}{}/", office.slug)
}

/// How many merged articles the home page shows, and an office's page.
const HOME_ARTICLES: usize = 10;
const OFFICE_ARTICLES: usize = 20;

fn levels() -> impl Iterator<Item = OutletLevel> {
    crate::district::league::levels_upward().into_iter()
}

#[derive(Serialize)]
struct LevelHead {
    key: &'static str,
    name: &'static str,
}

/// Figures as a row shows them.
#[derive(Serialize)]
struct FiguresView {
    publications: u64,
    levels: Vec<u64>,
    reads: u64,
    activities: u64,
    participants: u64,
    volunteers: u64,
    hours: String,
    /// Sorts the hours column by value, not as text.
    hours_value: f64,
    honors: u64,
}

impl FiguresView {
    fn of(figures: &Figures, levels_counted: Option<&[u64; OutletLevel::ALL.len()]>) -> Self {
        FiguresView {
            publications: figures.publications,
            levels: levels_counted
                .map(|counted| levels().map(|l| counted[l.index()]).collect())
                .unwrap_or_default(),
            reads: figures.reads,
            activities: figures.activities,
            participants: figures.participants,
            volunteers: figures.volunteers,
            hours: figures.hours.to_string(),
            hours_value: figures.hours.as_f64(),
            honors: figures.honors,
        }
    }

    fn of_period(counted: &PeriodFigures) -> Self {
        FiguresView::of(&counted.figures, Some(&counted.levels))
    }
}

#[derive(Serialize)]
struct OfficeLink {
    name: String,
    /// Its page in the portal.
    url: String,
    /// Its own site.
    site_url: String,
    /// When its figures are the last good copy: since when.
    stale_since: Option<String>,
}

fn office_link(site: &Site, office: &Office) -> OfficeLink {
    OfficeLink {
        name: office.name.clone(),
        url: url(site, &office_path(office)),
        site_url: office.base_url.clone(),
        stale_since: office.stale_since.clone(),
    }
}

#[derive(Serialize)]
struct RowView {
    rank: usize,
    previous_rank: Option<usize>,
    /// `↑2`, `↓1`, `持平`, or empty when the period before had no figures.
    change: String,
    /// The change in words, for screen readers: `上升2位`.
    change_spoken: String,
    /// `up`, `down`, `same` or empty: the theme's colour.
    trend: &'static str,
    /// Places climbed, for sorting (0 when unknown).
    climbed: i64,
    office: OfficeLink,
    figures: FiguresView,
}

fn row(site: &Site, district: &District, standing: &Standing) -> RowView {
    let climbed = standing.climbed();
    let (change, change_spoken, trend) = match climbed {
        Some(0) => ("持平".to_string(), "名次不变".to_string(), "same"),
        Some(up) if up > 0 => (format!("↑{up}"), format!("上升{up}位"), "up"),
        Some(down) => (format!("↓{}", -down), format!("下降{}位", -down), "down"),
        None => (String::new(), String::new(), ""),
    };
    RowView {
        rank: standing.rank,
        previous_rank: standing.previous_rank,
        change,
        change_spoken,
        trend,
        climbed: climbed.unwrap_or(0),
        office: office_link(site, &district.offices[standing.office]),
        figures: FiguresView::of_period(&standing.now),
    }
}

#[derive(Serialize)]
struct TableView {
    /// `month`, `quarter`, `year`: the table's anchor.
    id: &'static str,
    kind_name: &'static str,
    label: String,
    previous_label: String,
    /// Honours are counted by year only.
    honors: bool,
    rows: Vec<RowView>,
    total: FiguresView,
}

fn table(site: &Site, district: &District, table: &Table) -> TableView {
    TableView {
        id: match table.period.kind {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        },
        kind_name: table.period.kind_name(),
        label: table.period.label(),
        previous_label: table.previous.label(),
        honors: table.period.kind == PeriodKind::Year,
        rows: table
            .standings
            .iter()
            .map(|standing| row(site, district, standing))
            .collect(),
        total: FiguresView::of_period(&table.total),
    }
}

/// One of the offices' articles, as the portal lists it.
#[derive(Serialize)]
struct MemberArticle<'a> {
    title: &'a str,
    /// The office's own page of it.
    url: &'a str,
    date: String,
    category: &'a str,
    summary: &'a str,
    office: OfficeLink,
}

fn member_article<'a>(
    site: &Site,
    office: &'a Office,
    article: &'a FeedArticle,
) -> MemberArticle<'a> {
    MemberArticle {
        title: &article.title,
        url: &article.link,
        date: article.date.format("%Y-%m-%d").to_string(),
        category: &article.category,
        summary: &article.summary,
        office: office_link(site, office),
    }
}

fn level_heads() -> Vec<LevelHead> {
    levels()
        .map(|level| LevelHead {
            key: level.key(),
            name: level.chinese(),
        })
        .collect()
}

fn district_of<'a>(renderer: &Renderer<'a>) -> &'a District {
    // Jobs for these pages are made only for a portal.
    renderer
        .site
        .district
        .as_deref()
        .expect("district pages are made for a district portal")
}

/// `/league/`: the month, the quarter and the year.
pub(super) fn league(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    let district = district_of(renderer);
    let title = "各街道排行榜";
    view.common(
        title,
        LEAGUE_PATH,
        views::crumbs(site, vec![(title.into(), None)]),
    );
    let tables: Vec<TableView> = district
        .tables
        .iter()
        .map(|t| table(site, district, t))
        .collect();
    view.insert("tables", &tables);
    view.insert("levels", &level_heads());
    view.insert("as_of", &district.as_of.map(|d| d.to_string()));
    view.insert("unavailable", &district.unavailable);
    Target::at("league.html", LEAGUE_PATH)
}

#[derive(Serialize)]
struct OfficeSummary {
    office: OfficeLink,
    as_of: Option<String>,
    year: FiguresView,
    totals: FiguresView,
    articles: usize,
}

/// `/offices/`: every office with its figures of the year and in all.
pub(super) fn offices(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    let district = district_of(renderer);
    let title = "成员街道";
    view.common(
        title,
        OFFICES_PATH,
        views::crumbs(site, vec![(title.into(), None)]),
    );
    let offices: Vec<OfficeSummary> = district
        .offices
        .iter()
        .map(|office| OfficeSummary {
            office: office_link(site, office),
            as_of: office.stats.as_of.map(|d| d.to_string()),
            year: FiguresView::of(&district.year_figures(office), None),
            totals: FiguresView::of(&office.stats.totals, None),
            articles: office.articles.len(),
        })
        .collect();
    view.insert("offices", &offices);
    view.insert("year", &district.as_of.map(|d| chrono::Datelike::year(&d)));
    view.insert("unavailable", &district.unavailable);
    view.insert("totals", &FiguresView::of(&district.totals, None));
    Target::at("offices.html", OFFICES_PATH)
}

#[derive(Serialize)]
struct MonthView {
    year: i32,
    month: u32,
    figures: FiguresView,
}

/// `/offices/<slug>/`: one office's figures by month and its latest articles.
pub(super) fn office(renderer: &Renderer<'_>, index: usize, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    let district = district_of(renderer);
    let office = &district.offices[index];
    let path = office_path(office);
    view.common(
        &office.name,
        &path,
        views::crumbs(
            site,
            vec![
                (
                    "成员街道".into(),
                    Some(views::SiteUrl::path(site, OFFICES_PATH)),
                ),
                (office.name.clone(), None),
            ],
        ),
    );
    let months: Vec<MonthView> = office
        .stats
        .by_month
        .iter()
        .rev()
        .map(|(&(year, month), counted)| MonthView {
            year,
            month,
            figures: FiguresView::of(&counted.figures, Some(&counted.levels)),
        })
        .collect();
    let articles: Vec<MemberArticle<'_>> = office
        .articles
        .iter()
        .take(OFFICE_ARTICLES)
        .map(|article| member_article(site, office, article))
        .collect();
    view.insert("office", &office_link(site, office));
    view.insert("office_title", &office.stats.title);
    view.insert("as_of", &office.stats.as_of.map(|d| d.to_string()));
    view.insert("totals", &FiguresView::of(&office.stats.totals, None));
    view.insert("months", &months);
    view.insert("levels", &level_heads());
    view.insert("member_articles", &articles);
    Target::at("office.html", &path)
}

#[derive(Serialize)]
struct HomeDistrict<'a> {
    offices: usize,
    as_of: Option<String>,
    totals: FiguresView,
    articles: Vec<MemberArticle<'a>>,
    league_url: String,
    offices_url: String,
}

/// The district block of the home page, when the site is a portal.
pub(super) fn home(renderer: &Renderer<'_>, view: &mut PageView<'_>) {
    let site = renderer.site;
    let Some(district) = site.district.as_deref() else {
        return;
    };
    let articles = district
        .latest
        .iter()
        .take(HOME_ARTICLES)
        .map(|&(o, a)| {
            let office = &district.offices[o];
            member_article(site, office, &office.articles[a])
        })
        .collect();
    view.insert(
        "district",
        &HomeDistrict {
            offices: district.offices.len(),
            as_of: district.as_of.map(|d| d.to_string()),
            totals: FiguresView::of(&district.totals, None),
            articles,
            league_url: url(site, LEAGUE_PATH),
            offices_url: url(site, OFFICES_PATH),
        },
    );
}
