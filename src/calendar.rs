//! Working days: the national holiday calendar (法定节假日 and 调休 working weekends), kept
//! as data in the rule set (`calendar:` in rules/default.yaml, one entry a year, each citing
//! the State Council's notice). A year the calendar does not hold counts weekends only, and
//! whoever counts says so.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::{Date, Weekday};

/// The holidays and the working weekends of the years the rule set knows.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Years with an arrangement, and the notice each comes from.
    years: BTreeMap<i16, String>,
    /// Weekdays off (法定节假日 and the days taken in lieu).
    holidays: HashSet<Date>,
    /// Weekend days worked (调休上班).
    workdays: HashSet<Date>,
}

/// Working days counted over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDays {
    pub count: u32,
    /// Years of the range the calendar does not hold (counted by weekends only).
    pub unknown_years: Vec<i16>,
}

impl Calendar {
    /// Add a year's arrangement: the days off and the weekend days worked.
    pub fn add_year(&mut self, year: i16, holidays: &[Date], workdays: &[Date], source: &str) {
        self.years.insert(year, source.to_string());
        self.holidays.extend(holidays.iter().copied());
        self.workdays.extend(workdays.iter().copied());
    }

    /// The notice a year's arrangement comes from.
    pub fn source(&self, year: i16) -> Option<&str> {
        self.years.get(&year).map(String::as_str)
    }

    pub fn knows(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day: a weekday that is not a holiday, or a weekend day worked.
    pub fn is_workday(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        !weekend && !self.holidays.contains(&d)
    }

    /// Working days from `first` to `last`, both counted (a 公示 of 2022.06.06–06.10 is five).
    ///
    /// ```
    /// use dangan::calendar::Calendar;
    /// use jiff::civil::date;
    /// let mut c = Calendar::default();
    /// // 2021: 国庆 10-01..10-07 off, 09-26 (Sunday) and 10-09 (Saturday) worked.
    /// let off: Vec<_> = (1..=7).map(|d| date(2021, 10, d)).collect();
    /// c.add_year(2021, &off, &[date(2021, 9, 26), date(2021, 10, 9)], "");
    /// assert_eq!(c.working_days(date(2021, 9, 27), date(2021, 10, 1)).count, 4);
    /// assert_eq!(c.working_days(date(2021, 10, 8), date(2021, 10, 9)).count, 2);
    /// assert_eq!(c.working_days(date(2030, 1, 7), date(2030, 1, 13)).unknown_years, [2030]);
    /// ```
    pub fn working_days(&self, first: Date, last: Date) -> WorkingDays {
        let mut count = 0u32;
        let mut unknown_years = Vec::new();
        let mut d = first;
        // A range is a few days; a mistyped one (2021–2012) is bounded by the calendar's end.
        while d <= last {
            if !self.knows(d.year()) && !unknown_years.contains(&d.year()) {
                unknown_years.push(d.year());
            }
            if self.is_workday(d) {
                count += 1;
            }
            match d.tomorrow() {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
        WorkingDays {
            count,
            unknown_years,
        }
    }
}
