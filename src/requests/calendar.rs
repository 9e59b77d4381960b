//! Working hours, for service-level targets: a week of opening hours in a
//! time zone, and holidays. The clock of a target runs only inside them
//! (and only while the request is not waiting on its requester, which the
//! caller leaves out by asking for the intervals the clock ran).

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use std::collections::BTreeSet;

/// The longest a target may reach into the future: a calendar with no
/// working hours at all never meets one.
const HORIZON_DAYS: i32 = 3 * 366;

/// When work is done.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    /// Opening hours per weekday, Monday first; each interval starts
    /// before it ends and the intervals of a day do not overlap.
    week: [Vec<(Time, Time)>; 7],
    holidays: BTreeSet<Date>,
}

/// A calendar that cannot be: an interval that ends before it starts, or
/// overlaps another of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    EmptyInterval,
    Overlap,
}

fn index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

impl Calendar {
    /// A calendar open `hours` on each weekday (Monday first).
    pub fn new(
        tz: TimeZone,
        week: [Vec<(Time, Time)>; 7],
        holidays: BTreeSet<Date>,
    ) -> Result<Calendar, CalendarError> {
        let mut week = week;
        for day in &mut week {
            day.sort();
            if day.iter().any(|(a, b)| a >= b) {
                return Err(CalendarError::EmptyInterval);
            }
            if day.windows(2).any(|w| w[0].1 > w[1].0) {
                return Err(CalendarError::Overlap);
            }
        }
        Ok(Calendar { tz, week, holidays })
    }

    /// Monday to Friday, 09:00 to 17:00, no holidays.
    pub fn office_hours(tz: TimeZone) -> Calendar {
        let day = vec![(Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0))];
        let week = [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            Vec::new(),
            Vec::new(),
        ];
        Calendar {
            tz,
            week,
            holidays: BTreeSet::new(),
        }
    }

    /// The working intervals of one local day, as instants (a time that
    /// does not exist on a day the clocks change is taken as the next
    /// that does).
    fn day(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        if self.holidays.contains(&date) {
            return Vec::new();
        }
        self.week[index(date.weekday())]
            .iter()
            .filter_map(|(a, b)| {
                let at = |t: Time| date.to_datetime(t).to_zoned(self.tz.clone()).ok();
                Some((at(*a)?.timestamp(), at(*b)?.timestamp()))
            })
            .filter(|(a, b)| a < b)
            .collect()
    }

    fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.tz.clone()).date()
    }

    /// Working time between `from` and `to` (zero when `to` is not after `from`).
    pub fn working_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        let mut total = SignedDuration::ZERO;
        if to <= from {
            return total;
        }
        let mut date = self.local_date(from);
        let last = self.local_date(to);
        while date <= last {
            for (a, b) in self.day(date) {
                let (a, b) = (a.max(from), b.min(to));
                if a < b {
                    total += b.duration_since(a);
                }
            }
            match date.checked_add(1.day()) {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        total
    }

    /// The instant when `work` of working time has passed since `from`;
    /// `None` when the calendar has not that much within its horizon.
    pub fn add_working(&self, from: Timestamp, work: SignedDuration) -> Option<Timestamp> {
        let mut left = work;
        if left <= SignedDuration::ZERO {
            return Some(from);
        }
        let mut date = self.local_date(from);
        for _ in 0..HORIZON_DAYS {
            for (a, b) in self.day(date) {
                let a = a.max(from);
                if a >= b {
                    continue;
                }
                let here = b.duration_since(a);
                if here >= left {
                    return a.checked_add(left).ok();
                }
                left -= here;
            }
            date = date.checked_add(1.day()).ok()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(paris())
            .unwrap()
            .timestamp()
    }

    fn hours(h: i64) -> SignedDuration {
        SignedDuration::from_hours(h)
    }

    #[test]
    fn the_clock_runs_in_office_hours_only() {
        let c = Calendar::office_hours(paris());
        // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        let (fri, mon) = (at("2026-12-04T16:00"), at("2026-12-07T10:00"));
        assert_eq!(c.working_between(fri, mon), hours(2));
        assert_eq!(c.working_between(mon, fri), SignedDuration::ZERO);
        // Four working hours from Friday 16:00: Monday 12:00.
        assert_eq!(c.add_working(fri, hours(4)), Some(at("2026-12-07T12:00")));
        // From a Saturday, the clock starts on Monday at nine.
        assert_eq!(
            c.add_working(at("2026-12-05T11:00"), hours(1)),
            Some(at("2026-12-07T10:00"))
        );
        assert_eq!(c.add_working(fri, SignedDuration::ZERO), Some(fri));
    }

    #[test]
    fn holidays_and_changes_of_the_clocks_count_as_they_fall() {
        let christmas: BTreeSet<Date> = [jiff::civil::date(2026, 12, 25)].into();
        let day = vec![(Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0))];
        let week = std::array::from_fn(|i| if i < 5 { day.clone() } else { Vec::new() });
        let c = Calendar::new(paris(), week, christmas).unwrap();
        // Thursday 24 at 16:00, eight working hours: one on Thursday, the
        // 25th is a holiday, seven on Monday 28: 16:00.
        assert_eq!(
            c.add_working(at("2026-12-24T16:00"), hours(8)),
            Some(at("2026-12-28T16:00"))
        );
        // Across the spring change of the clocks, the hour that does not
        // exist is not worked.
        let week: [Vec<(Time, Time)>; 7] = std::array::from_fn(|_| {
            vec![(Time::constant(0, 0, 0, 0), Time::constant(23, 59, 0, 0))]
        });
        let always = Calendar::new(paris(), week, BTreeSet::new()).unwrap();
        let (sat, sun) = (at("2027-03-27T12:00"), at("2027-03-28T12:00"));
        // 23 hours passed (02:00 became 03:00), less the minute before
        // midnight the calendar is closed.
        assert_eq!(
            always.working_between(sat, sun),
            SignedDuration::from_mins(23 * 60 - 1)
        );
    }

    #[test]
    fn a_calendar_that_cannot_be_is_refused_and_one_never_open_never_meets_a_target() {
        let bad = |day: Vec<(Time, Time)>| {
            let week = std::array::from_fn(|i| if i == 0 { day.clone() } else { Vec::new() });
            Calendar::new(TimeZone::UTC, week, BTreeSet::new()).err()
        };
        let t = |h| Time::constant(h, 0, 0, 0);
        assert_eq!(bad(vec![(t(10), t(9))]), Some(CalendarError::EmptyInterval));
        assert_eq!(bad(vec![(t(9), t(9))]), Some(CalendarError::EmptyInterval));
        assert_eq!(
            bad(vec![(t(9), t(12)), (t(11), t(13))]),
            Some(CalendarError::Overlap)
        );
        assert_eq!(bad(vec![(t(13), t(17)), (t(9), t(12))]), None, "sorted");
        let closed = Calendar::new(TimeZone::UTC, Default::default(), BTreeSet::new()).unwrap();
        assert_eq!(closed.add_working(at("2026-12-07T10:00"), hours(1)), None);
        assert_eq!(
            closed.working_between(at("2026-12-07T10:00"), at("2027-12-07T10:00")),
            SignedDuration::ZERO
        );
    }
}
