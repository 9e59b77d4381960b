//! Service levels of one request: when its first answer and its
//! resolution are due, counted in the working hours of its type, the
//! resolution clock stopping while the request waits on someone else and
//! when it closes. Kept as columns of the request, so that lists filter on
//! "late" without counting hours for every row.

use super::calendar::Calendar;
use jiff::{SignedDuration, Timestamp};

/// A priority's targets, in working time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    pub respond: Option<SignedDuration>,
    pub resolve: Option<SignedDuration>,
}

impl Targets {
    pub fn from_hours(respond: Option<f64>, resolve: Option<f64>) -> Targets {
        let d = |h: Option<f64>| h.and_then(|h| SignedDuration::try_from_secs_f64(h * 3600.0).ok());
        Targets {
            respond: d(respond),
            resolve: d(resolve),
        }
    }
}

/// The state of both targets (instants in milliseconds since the epoch).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sla {
    pub respond_due_at: Option<i64>,
    pub responded_at: Option<i64>,
    /// Null while the clock is stopped (and when there is no target).
    pub resolve_due_at: Option<i64>,
    /// Working time the resolution clock ran before it last stopped.
    pub clock_used_ms: i64,
    /// When the clock last started, while it runs.
    pub clock_since: Option<i64>,
    pub respond_late: bool,
    pub resolve_late: bool,
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn due(cal: &Calendar, from: i64, work: SignedDuration) -> Option<i64> {
    // Beyond the calendar's horizon (no working hours at all): never due.
    cal.add_working(ts(from), work.max(SignedDuration::ZERO))
        .map(|t| t.as_millisecond())
}

impl Sla {
    /// A request filed at `at`, its clock running unless its first status
    /// stops it.
    pub fn start(cal: &Calendar, t: Targets, at: i64, running: bool) -> Sla {
        let mut s = Sla {
            respond_due_at: t.respond.and_then(|w| due(cal, at, w)),
            ..Sla::default()
        };
        if running {
            s.run(cal, t, at);
        }
        s
    }

    fn run(&mut self, cal: &Calendar, t: Targets, at: i64) {
        self.clock_since = Some(at);
        self.resolve_due_at = t
            .resolve
            .and_then(|w| due(cal, at, w - SignedDuration::from_millis(self.clock_used_ms)));
    }

    fn stop(&mut self, cal: &Calendar, t: Targets, at: i64) {
        if let Some(since) = self.clock_since.take() {
            let ran = cal.working_between(ts(since), ts(at));
            self.clock_used_ms += ran.as_millis() as i64;
        }
        self.resolve_due_at = None;
        if t.resolve
            .is_some_and(|w| self.clock_used_ms > w.as_millis() as i64)
        {
            self.resolve_late = true;
        }
    }

    /// The request moved at `at` to a status where the clock runs or not
    /// (closed and waiting statuses stop it).
    pub fn moved(&mut self, cal: &Calendar, t: Targets, at: i64, running: bool) {
        match (self.clock_since.is_some(), running) {
            (true, false) => self.stop(cal, t, at),
            (false, true) => self.run(cal, t, at),
            _ => {}
        }
    }

    /// An agent answered the requester for the first time at `at`.
    pub fn answered(&mut self, at: i64) {
        if self.responded_at.is_none() {
            self.responded_at = Some(at);
            self.respond_late = self.respond_due_at.is_some_and(|d| at > d);
        }
    }

    /// Its priority changed at `at`: the targets are counted again from
    /// the filing and the working time used so far.
    pub fn retarget(&mut self, cal: &Calendar, t: Targets, filed_at: i64, at: i64) {
        if self.responded_at.is_none() {
            self.respond_due_at = t.respond.and_then(|w| due(cal, filed_at, w));
        }
        if self.clock_since.is_some() {
            self.stop(cal, t, at);
            self.resolve_late = false;
            self.run(cal, t, at);
        }
    }

    /// Whether a target is missed, or will be when nothing happens by `now`.
    pub fn breached(&self, now: i64) -> bool {
        self.respond_late
            || self.resolve_late
            || (self.responded_at.is_none() && self.respond_due_at.is_some_and(|d| d < now))
            || self.resolve_due_at.is_some_and(|d| d < now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn at(s: &str) -> i64 {
        // Local times in Paris (winter: UTC+1).
        let dt: jiff::civil::DateTime = s.parse().unwrap();
        dt.to_zoned(TimeZone::get("Europe/Paris").unwrap())
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

    fn cal() -> Calendar {
        Calendar::office_hours(TimeZone::get("Europe/Paris").unwrap())
    }

    fn targets() -> Targets {
        Targets::from_hours(Some(2.0), Some(16.0))
    }

    #[test]
    fn targets_count_working_hours_only() {
        // Filed on a Friday at 16:00: the answer is due on Monday at 10:00,
        // the resolution two working days later, on Tuesday at 16:00.
        let s = Sla::start(&cal(), targets(), at("2026-12-04T16:00"), true);
        assert_eq!(s.respond_due_at, Some(at("2026-12-07T10:00")));
        assert_eq!(s.resolve_due_at, Some(at("2026-12-08T16:00")));
        assert!(!s.breached(at("2026-12-07T09:59")));
        assert!(s.breached(at("2026-12-07T10:01")));
    }

    #[test]
    fn waiting_on_the_requester_stops_the_clock_and_the_rest_is_kept() {
        let c = cal();
        let mut s = Sla::start(&c, targets(), at("2026-12-07T09:00"), true);
        s.answered(at("2026-12-07T10:00"));
        assert!(!s.respond_late);
        // Four hours of work, then waiting on the customer for a week.
        s.moved(&c, targets(), at("2026-12-07T13:00"), false);
        assert_eq!(s.resolve_due_at, None);
        assert_eq!(s.clock_used_ms, 4 * 3_600_000);
        assert!(!s.breached(at("2026-12-30T09:00")));
        // Back: twelve working hours left, from Monday the 14th at 09:00.
        s.moved(&c, targets(), at("2026-12-14T09:00"), true);
        assert_eq!(s.resolve_due_at, Some(at("2026-12-15T13:00")));
        // Closed in time: never late.
        s.moved(&c, targets(), at("2026-12-15T12:00"), false);
        assert!(!s.resolve_late && !s.breached(at("2027-01-10T09:00")));
    }

    #[test]
    fn a_late_answer_and_a_late_close_stay_late() {
        let c = cal();
        let mut s = Sla::start(&c, targets(), at("2026-12-07T09:00"), true);
        s.answered(at("2026-12-07T15:00"));
        assert!(s.respond_late);
        s.moved(&c, targets(), at("2026-12-10T09:00"), false);
        assert!(s.resolve_late);
        // Reopened, closed again at once: still late.
        s.moved(&c, targets(), at("2026-12-10T10:00"), true);
        s.moved(&c, targets(), at("2026-12-10T10:05"), false);
        assert!(s.resolve_late && s.breached(at("2026-12-10T10:06")));
    }

    #[test]
    fn a_new_priority_counts_its_targets_from_the_filing() {
        let c = cal();
        let mut s = Sla::start(&c, targets(), at("2026-12-07T09:00"), true);
        let urgent = Targets::from_hours(Some(1.0), Some(4.0));
        s.retarget(&c, urgent, at("2026-12-07T09:00"), at("2026-12-07T09:30"));
        assert_eq!(s.respond_due_at, Some(at("2026-12-07T10:00")));
        assert_eq!(s.resolve_due_at, Some(at("2026-12-07T13:00")));
        // No target: nothing is ever late.
        let none = Sla::start(&c, Targets::default(), at("2026-12-07T09:00"), true);
        assert!(!none.breached(at("2030-01-01T00:00")));
    }
}
