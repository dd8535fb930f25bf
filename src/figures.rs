//! The figures a tally counts (发稿, 阅读, 活动, 服务人次, 志愿时长, 荣誉), with
//! no knowledge of where they are counted from: an office's site adds them
//! up from its content (`stats`), a district portal from its members'
//! `stats.json` (`district`).

/// The version of the `stats.json` format this program writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Volunteer hours in hundredths, so that sums of `2.5` and `0.1` stay exact
/// and print the same on every machine.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(pub u64);

impl Hours {
    pub fn from_f64(hours: f64) -> Hours {
        if hours.is_finite() && hours > 0.0 {
            Hours((hours * 100.0).round() as u64)
        } else {
            Hours(0)
        }
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn is_whole(self) -> bool {
        self.0.is_multiple_of(100)
    }
}

impl std::fmt::Display for Hours {
    /// Whole hours without `.0`; otherwise up to two decimals, trailing zeros cut.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, cents) = (self.0 / 100, self.0 % 100);
        if cents == 0 {
            write!(f, "{whole}")
        } else if cents % 10 == 0 {
            write!(f, "{whole}.{}", cents / 10)
        } else {
            write!(f, "{whole}.{cents:02}")
        }
    }
}

/// The counted numbers of one row of the tally.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Figures {
    pub articles: u64,
    pub publications: u64,
    pub reads: u64,
    pub activities: u64,
    pub participants: u64,
    pub volunteers: u64,
    pub hours: Hours,
    pub honors: u64,
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, other: Figures) {
        self.articles += other.articles;
        self.publications += other.publications;
        self.reads += other.reads;
        self.activities += other.activities;
        self.participants += other.participants;
        self.volunteers += other.volunteers;
        self.hours.0 += other.hours.0;
        self.honors += other.honors;
    }
}

impl Figures {
    pub fn is_empty(&self) -> bool {
        *self == Figures::default()
    }

    pub fn get(&self, measure: Measure) -> Amount {
        match measure {
            Measure::Articles => Amount::Count(self.articles),
            Measure::Publications => Amount::Count(self.publications),
            Measure::Reads => Amount::Count(self.reads),
            Measure::Activities => Amount::Count(self.activities),
            Measure::Participants => Amount::Count(self.participants),
            Measure::Volunteers => Amount::Count(self.volunteers),
            Measure::Hours => Amount::Hours(self.hours),
            Measure::Honors => Amount::Count(self.honors),
        }
    }
}

/// One figure: a count, or hours (which may have decimals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    Count(u64),
    Hours(Hours),
}

impl Amount {
    pub fn as_f64(self) -> f64 {
        match self {
            Amount::Count(n) => n as f64,
            Amount::Hours(h) => h.as_f64(),
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Count(n) => write!(f, "{n}"),
            Amount::Hours(h) => write!(f, "{h}"),
        }
    }
}

/// The eight figures, in the order of `stats.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Articles,
    Publications,
    Reads,
    Activities,
    Participants,
    Volunteers,
    Hours,
    Honors,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Measure::Articles,
        Measure::Publications,
        Measure::Reads,
        Measure::Activities,
        Measure::Participants,
        Measure::Volunteers,
        Measure::Hours,
        Measure::Honors,
    ];

    /// The key in `stats.json` and `stats.csv`.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Articles => "articles",
            Measure::Publications => "publications",
            Measure::Reads => "reads",
            Measure::Activities => "activities",
            Measure::Participants => "participants",
            Measure::Volunteers => "volunteers",
            Measure::Hours => "hours",
            Measure::Honors => "honors",
        }
    }

    /// A column heading with its unit, for the report and the site.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Articles => "文章（篇）",
            Measure::Publications => "发稿（篇）",
            Measure::Reads => "阅读（次）",
            Measure::Activities => "活动（场）",
            Measure::Participants => "服务群众（人次）",
            Measure::Volunteers => "志愿者（人次）",
            Measure::Hours => "服务时长（小时）",
            Measure::Honors => "荣誉（项）",
        }
    }

    /// A short heading for the terminal.
    pub fn short(self) -> &'static str {
        match self {
            Measure::Articles => "文章",
            Measure::Publications => "发稿",
            Measure::Reads => "阅读",
            Measure::Activities => "活动",
            Measure::Participants => "服务人次",
            Measure::Volunteers => "志愿者",
            Measure::Hours => "时长",
            Measure::Honors => "荣誉",
        }
    }
}
