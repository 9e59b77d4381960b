//! A request type's definition, as an administrator writes it (one JSON
//! document, one screen): names, numbering prefix, fields, statuses and
//! moves, priorities with their service-level targets, working hours, and
//! whether a requester's colleagues see their requests. Checked whole
//! before it is kept; each change is kept as a new version.

use super::calendar::{Calendar, CalendarError};
use super::fields::{self, FieldDef, FieldError};
use super::workflow::{Workflow, WorkflowError, valid_key};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// Who sees a request beside its agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Its requester alone.
    #[default]
    Requester,
    /// Everyone of the requester's organization who reads the space.
    Organization,
}

/// A priority and its targets, in working hours (none: no target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
    #[serde(default)]
    pub respond_hours: Option<f64>,
    #[serde(default)]
    pub resolve_hours: Option<f64>,
}

/// Working hours: a time zone, intervals per weekday (Monday first,
/// `["09:00", "17:00"]`), holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDef {
    pub time_zone: String,
    pub week: [Vec<[String; 2]>; 7],
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// Everything a type is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub name_en: String,
    pub name_fr: String,
    /// `SUP` in `SUP-2026-00042`.
    pub prefix: String,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    pub workflow: Workflow,
    pub priorities: Vec<Priority>,
    /// The priority of a request filed without one.
    pub default_priority: String,
    pub calendar: CalendarDef,
    #[serde(default)]
    pub visibility: Visibility,
}

/// A type as kept: its latest definition and what is about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TypeRow {
    pub id: i64,
    pub key: String,
    /// Null: offered in every space.
    pub space: Option<i64>,
    pub agent_group: Option<i64>,
    pub version: i64,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub definition: Definition,
}

/// What is wrong with a definition.
#[derive(Debug, Clone, PartialEq)]
pub enum DefinitionError {
    Name,
    Prefix,
    Field(FieldError),
    Workflow(WorkflowError),
    /// No priority, a bad or repeated key, a bad name, or a target that
    /// is not a positive number of hours.
    Priority(String),
    DefaultPriority,
    TimeZone,
    /// An hour that is not `HH:MM`, or intervals that cannot be.
    Hours,
    Holiday(String),
}

const MAX_PRIORITIES: usize = 10;
const MAX_HOLIDAYS: usize = 400;
/// A target longer than a year of working hours is a typing error.
const MAX_TARGET_HOURS: f64 = 8_760.0;

fn valid_name(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 80 && !t.chars().any(char::is_control)
}

/// `A-Z`, `0-9`, one to eight, starting with a letter.
pub fn valid_prefix(p: &str) -> bool {
    (1..=8).contains(&p.len())
        && p.starts_with(|c: char| c.is_ascii_uppercase())
        && p.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl Definition {
    /// Checks every rule, the first broken one named.
    pub fn check(&self) -> Result<(), DefinitionError> {
        use DefinitionError as E;
        if !valid_name(&self.name_en) || !valid_name(&self.name_fr) {
            return Err(E::Name);
        }
        if !valid_prefix(&self.prefix) {
            return Err(E::Prefix);
        }
        fields::check_defs(&self.fields).map_err(E::Field)?;
        self.workflow.check().map_err(E::Workflow)?;
        if self.priorities.is_empty() || self.priorities.len() > MAX_PRIORITIES {
            return Err(E::Priority(String::new()));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &self.priorities {
            let target_ok = |h: Option<f64>| {
                h.is_none_or(|h| h.is_finite() && h > 0.0 && h <= MAX_TARGET_HOURS)
            };
            if !valid_key(&p.key)
                || !seen.insert(p.key.as_str())
                || !valid_name(&p.name_en)
                || !valid_name(&p.name_fr)
                || !target_ok(p.respond_hours)
                || !target_ok(p.resolve_hours)
            {
                return Err(E::Priority(p.key.clone()));
            }
        }
        if self.priority(&self.default_priority).is_none() {
            return Err(E::DefaultPriority);
        }
        self.calendar()?;
        Ok(())
    }

    pub fn priority(&self, key: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.key == key)
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Its name in `lang` (`fr` or anything else: English).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "fr" {
            &self.name_fr
        } else {
            &self.name_en
        }
    }

    /// Its working hours, ready to count with.
    pub fn calendar(&self) -> Result<Calendar, DefinitionError> {
        use DefinitionError as E;
        let c = &self.calendar;
        let tz = TimeZone::get(&c.time_zone).map_err(|_| E::TimeZone)?;
        let mut week: [Vec<(Time, Time)>; 7] = Default::default();
        for (day, intervals) in week.iter_mut().zip(&c.week) {
            if intervals.len() > 8 {
                return Err(E::Hours);
            }
            for [a, b] in intervals {
                day.push((hour(a)?, hour(b)?));
            }
        }
        if c.holidays.len() > MAX_HOLIDAYS {
            return Err(E::Holiday(String::new()));
        }
        let mut holidays = std::collections::BTreeSet::new();
        for h in &c.holidays {
            let d: Date = h.parse().map_err(|_| E::Holiday(h.clone()))?;
            holidays.insert(d);
        }
        Calendar::new(tz, week, holidays).map_err(|e| match e {
            CalendarError::EmptyInterval | CalendarError::Overlap => E::Hours,
        })
    }
}

/// `HH:MM`, strictly (so that `9:00` and `09:00:30` are refused alike).
fn hour(s: &str) -> Result<Time, DefinitionError> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return Err(DefinitionError::Hours);
    }
    let num = |x: &[u8]| {
        std::str::from_utf8(x)
            .ok()
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|t| t.parse::<i8>().ok())
    };
    match (num(&b[..2]), num(&b[3..])) {
        (Some(h), Some(m)) if (0..24).contains(&h) && (0..60).contains(&m) => {
            Time::new(h, m, 0, 0).map_err(|_| DefinitionError::Hours)
        }
        // `24:00` ends a day that works until midnight.
        (Some(24), Some(0)) => Ok(Time::MAX),
        _ => Err(DefinitionError::Hours),
    }
}

impl DefinitionError {
    /// Its code in the translations (`request-type-<code>`) and what it
    /// names, if anything.
    pub fn code(&self) -> (&'static str, String) {
        use DefinitionError as E;
        use WorkflowError as W;
        match self {
            E::Name => ("name", String::new()),
            E::Prefix => ("prefix", String::new()),
            E::Field(f) => (f.code, f.key.clone()),
            E::Workflow(w) => match w {
                W::BadKey(k) => ("status-key", k.clone()),
                W::BadName(k) => ("status-name", k.clone()),
                W::DuplicateStatus(k) => ("status-duplicate", k.clone()),
                W::UnknownStatus(k) => ("status-unknown", k.clone()),
                W::InitialClosed => ("initial-closed", String::new()),
                W::NoClosedStatus => ("no-closed-status", String::new()),
                W::UselessMove(a, b) => ("move-useless", format!("{a} → {b}")),
                W::DuplicateMove(a, b) => ("move-duplicate", format!("{a} → {b}")),
                W::Unreachable(k) => ("status-unreachable", k.clone()),
                W::TooLarge => ("workflow-too-large", String::new()),
                W::BadApproval(k) => ("status-approval", k.clone()),
            },
            E::Priority(k) => ("priority", k.clone()),
            E::DefaultPriority => ("default-priority", String::new()),
            E::TimeZone => ("time-zone", String::new()),
            E::Hours => ("hours", String::new()),
            E::Holiday(h) => ("holiday", h.clone()),
        }
    }
}

/// A sensible start for a new type: a support ticket in office hours.
pub fn example(prefix: &str, name_en: &str, name_fr: &str, tz: &str) -> Definition {
    use super::workflow::{Move, Mover, Status};
    let status = |key: &str, en: &str, fr: &str, open: bool, pauses: bool| Status {
        key: key.into(),
        name_en: en.into(),
        name_fr: fr.into(),
        open,
        pauses_clock: pauses,
        approval: None,
    };
    let mv = |from: &str, to: &str, by: &[Mover]| Move {
        from: from.into(),
        to: to.into(),
        by: by.to_vec(),
    };
    let day = || vec![["09:00".to_string(), "17:00".to_string()]];
    Definition {
        name_en: name_en.into(),
        name_fr: name_fr.into(),
        prefix: prefix.into(),
        fields: Vec::new(),
        workflow: Workflow {
            statuses: vec![
                status("new", "New", "Nouvelle", true, false),
                status("in-progress", "In progress", "En cours", true, false),
                status(
                    "waiting",
                    "Waiting for you",
                    "En attente de votre part",
                    true,
                    true,
                ),
                status("resolved", "Resolved", "Résolue", false, false),
            ],
            initial: "new".into(),
            moves: vec![
                mv("new", "in-progress", &[Mover::Agent, Mover::Manager]),
                mv("in-progress", "waiting", &[Mover::Agent, Mover::Manager]),
                mv("waiting", "in-progress", &[Mover::Requester, Mover::Agent]),
                mv("in-progress", "resolved", &[Mover::Agent, Mover::Manager]),
                mv("new", "resolved", &[Mover::Agent, Mover::Manager]),
                mv(
                    "resolved",
                    "in-progress",
                    &[Mover::Requester, Mover::Manager],
                ),
            ],
        },
        priorities: vec![
            Priority {
                key: "normal".into(),
                name_en: "Normal".into(),
                name_fr: "Normale".into(),
                respond_hours: Some(8.0),
                resolve_hours: Some(40.0),
            },
            Priority {
                key: "urgent".into(),
                name_en: "Urgent".into(),
                name_fr: "Urgente".into(),
                respond_hours: Some(1.0),
                resolve_hours: Some(8.0),
            },
        ],
        default_priority: "normal".into(),
        calendar: CalendarDef {
            time_zone: tz.into(),
            week: [day(), day(), day(), day(), day(), Vec::new(), Vec::new()],
            holidays: Vec::new(),
        },
        visibility: Visibility::Requester,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Definition {
        example("SUP", "Support", "Assistance", "Europe/Paris")
    }

    #[test]
    fn the_example_is_a_type_that_can_be_kept() {
        assert_eq!(good().check(), Ok(()));
        let json = serde_json::to_string(&good()).unwrap();
        let back: Definition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, good());
    }

    #[test]
    fn each_broken_rule_is_named() {
        type Breaks = fn(&mut Definition);
        let cases: Vec<(Breaks, &str)> = vec![
            (|d| d.prefix = "sup".into(), "prefix"),
            (|d| d.prefix = "TOOLONGPREFIX".into(), "prefix"),
            (|d| d.name_fr = " ".into(), "name"),
            (|d| d.priorities.clear(), "priority"),
            (|d| d.priorities[1].key = "normal".into(), "priority"),
            (|d| d.priorities[0].resolve_hours = Some(-1.0), "priority"),
            (
                |d| d.priorities[0].respond_hours = Some(f64::NAN),
                "priority",
            ),
            (|d| d.default_priority = "low".into(), "default-priority"),
            (
                |d| d.calendar.time_zone = "Mars/Olympus".into(),
                "time-zone",
            ),
            (|d| d.calendar.week[0][0][0] = "9:00".into(), "hours"),
            (|d| d.calendar.week[0][0][1] = "08:00".into(), "hours"),
            (|d| d.calendar.holidays.push("2026-02-30".into()), "holiday"),
            (|d| d.workflow.initial = "resolved".into(), "initial-closed"),
        ];
        for (break_it, code) in cases {
            let mut d = good();
            break_it(&mut d);
            assert_eq!(d.check().map_err(|e| e.code().0), Err(code), "{d:?}");
        }
    }

    #[test]
    fn unknown_keys_are_refused_when_read() {
        let mut v = serde_json::to_value(good()).unwrap();
        v["colour"] = "red".into();
        assert!(serde_json::from_value::<Definition>(v).is_err());
    }

    #[test]
    fn a_day_may_work_until_midnight() {
        let mut d = good();
        d.calendar.week[5] = vec![["18:00".into(), "24:00".into()]];
        assert_eq!(d.check(), Ok(()));
    }
}
