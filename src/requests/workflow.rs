//! A request type's statuses and the moves between them: a small state
//! machine that an administrator writes and Parvis checks before keeping
//! it, then asks for every change of status.

use serde::{Deserialize, Serialize};

/// Who may make a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mover {
    /// The person who filed the request (and, where the type lets an
    /// organization see its requests, their colleagues).
    Requester,
    /// The people who handle the type's requests.
    Agent,
    /// The space's managers.
    Manager,
}

/// One status of a type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    /// Its key in the API and the data (`waiting-for-customer`).
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
    /// Open requests are to be worked on; closed ones are done.
    pub open: bool,
    /// The service-level clock stops while a request is in it (waiting
    /// for the customer, for a supplier).
    #[serde(default)]
    pub pauses_clock: bool,
    /// The approval flow (a template of the request's space, by name) a
    /// request passes before it enters this status: moving there starts
    /// the flow, and the request moves once the flow is approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
}

/// A move from one status to another, and who may make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    pub from: String,
    pub to: String,
    pub by: Vec<Mover>,
}

/// The statuses, the one a request starts in, and the moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    pub statuses: Vec<Status>,
    pub initial: String,
    pub moves: Vec<Move>,
}

/// What is wrong with a workflow, for the person writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowError {
    /// A key that is empty, too long or not `a-z`, `0-9` and `-`.
    BadKey(String),
    /// A name missing in one of the languages, or too long.
    BadName(String),
    DuplicateStatus(String),
    /// A move or the initial status names a status that is not there.
    UnknownStatus(String),
    /// The first status is closed: a request would be done when filed.
    InitialClosed,
    /// No closed status, so no request could ever be done.
    NoClosedStatus,
    /// A move nobody may make, or one from a status to itself.
    UselessMove(String, String),
    DuplicateMove(String, String),
    /// A status no move leads to and that is not the first.
    Unreachable(String),
    /// More statuses or moves than a person can follow.
    TooLarge,
    /// An approval named badly, or asked of the first status (a request
    /// would be in it before anyone approved).
    BadApproval(String),
}

const MAX_STATUSES: usize = 30;
const MAX_KEY: usize = 40;
const MAX_NAME: usize = 80;

/// `a-z`, `0-9` and `-`, at most 40, not starting with `-`.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY
        && !key.starts_with('-')
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn valid_name(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty() && n.chars().count() <= MAX_NAME && !n.chars().any(char::is_control)
}

impl Workflow {
    pub fn status(&self, key: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.key == key)
    }

    /// Checks it can be kept: every rule above, all at once.
    pub fn check(&self) -> Result<(), WorkflowError> {
        use WorkflowError as E;
        if self.statuses.len() > MAX_STATUSES || self.moves.len() > MAX_STATUSES * MAX_STATUSES {
            return Err(E::TooLarge);
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.statuses {
            if !valid_key(&s.key) {
                return Err(E::BadKey(s.key.clone()));
            }
            if !valid_name(&s.name_en) || !valid_name(&s.name_fr) {
                return Err(E::BadName(s.key.clone()));
            }
            if !seen.insert(s.key.as_str()) {
                return Err(E::DuplicateStatus(s.key.clone()));
            }
        }
        let initial = self
            .status(&self.initial)
            .ok_or_else(|| E::UnknownStatus(self.initial.clone()))?;
        if !initial.open {
            return Err(E::InitialClosed);
        }
        if !self.statuses.iter().any(|s| !s.open) {
            return Err(E::NoClosedStatus);
        }
        for s in &self.statuses {
            let Some(flow) = &s.approval else { continue };
            if s.key == self.initial || !valid_name(flow) || flow.chars().count() > 120 {
                return Err(E::BadApproval(s.key.clone()));
            }
        }
        let mut pairs = std::collections::HashSet::new();
        for m in &self.moves {
            for end in [&m.from, &m.to] {
                if self.status(end).is_none() {
                    return Err(E::UnknownStatus(end.clone()));
                }
            }
            if m.from == m.to || m.by.is_empty() {
                return Err(E::UselessMove(m.from.clone(), m.to.clone()));
            }
            if !pairs.insert((m.from.as_str(), m.to.as_str())) {
                return Err(E::DuplicateMove(m.from.clone(), m.to.clone()));
            }
        }
        for s in &self.statuses {
            if s.key != self.initial && !self.moves.iter().any(|m| m.to == s.key) {
                return Err(E::Unreachable(s.key.clone()));
            }
        }
        Ok(())
    }

    /// Whether someone acting as any of `roles` may move a request from
    /// `from` to `to`.
    pub fn may_move(&self, from: &str, to: &str, roles: &[Mover]) -> bool {
        self.moves
            .iter()
            .any(|m| m.from == from && m.to == to && m.by.iter().any(|b| roles.contains(b)))
    }

    /// The statuses someone acting as `roles` may move a request in
    /// `from` to, in the workflow's order (the choices a page offers).
    pub fn next<'a>(&'a self, from: &str, roles: &[Mover]) -> Vec<&'a Status> {
        self.statuses
            .iter()
            .filter(|s| self.may_move(from, &s.key, roles))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mover::{Agent, Manager, Requester};

    fn status(key: &str, open: bool, pauses: bool) -> Status {
        Status {
            key: key.into(),
            name_en: key.into(),
            name_fr: key.into(),
            open,
            pauses_clock: pauses,
            approval: None,
        }
    }

    fn mv(from: &str, to: &str, by: &[Mover]) -> Move {
        Move {
            from: from.into(),
            to: to.into(),
            by: by.to_vec(),
        }
    }

    /// A support ticket: new, in progress, waiting for the customer, solved.
    fn ticket() -> Workflow {
        Workflow {
            statuses: vec![
                status("new", true, false),
                status("in-progress", true, false),
                status("waiting-for-customer", true, true),
                status("solved", false, false),
            ],
            initial: "new".into(),
            moves: vec![
                mv("new", "in-progress", &[Agent, Manager]),
                mv("in-progress", "waiting-for-customer", &[Agent]),
                mv("waiting-for-customer", "in-progress", &[Requester, Agent]),
                mv("in-progress", "solved", &[Agent]),
                mv("solved", "in-progress", &[Requester]),
            ],
        }
    }

    #[test]
    fn a_workflow_says_who_may_move_where() {
        let w = ticket();
        assert_eq!(w.check(), Ok(()));
        assert!(w.may_move("new", "in-progress", &[Agent]));
        assert!(!w.may_move("new", "in-progress", &[Requester]));
        assert!(
            !w.may_move("new", "solved", &[Agent, Manager]),
            "no such move"
        );
        assert!(
            w.may_move("solved", "in-progress", &[Requester]),
            "reopened"
        );
        let keys: Vec<&str> = w
            .next("in-progress", &[Agent])
            .iter()
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(keys, ["waiting-for-customer", "solved"]);
        assert!(w.next("in-progress", &[Requester]).is_empty());
        assert!(w.status("waiting-for-customer").unwrap().pauses_clock);
    }

    #[test]
    fn a_workflow_that_cannot_work_is_refused_with_its_reason() {
        use WorkflowError as E;
        let with = |f: &dyn Fn(&mut Workflow)| {
            let mut w = ticket();
            f(&mut w);
            w.check().err()
        };
        assert_eq!(
            with(&|w| w.statuses[1].key = "In Progress".into()),
            Some(E::BadKey("In Progress".into()))
        );
        assert_eq!(
            with(&|w| w.statuses[1].name_fr = " ".into()),
            Some(E::BadName("in-progress".into()))
        );
        assert_eq!(
            with(&|w| w.statuses[2].key = "new".into()),
            Some(E::DuplicateStatus("new".into()))
        );
        assert_eq!(
            with(&|w| w.initial = "open".into()),
            Some(E::UnknownStatus("open".into()))
        );
        assert_eq!(
            with(&|w| w.statuses[0].open = false),
            Some(E::InitialClosed)
        );
        assert_eq!(
            with(&|w| w.statuses[3].open = true),
            Some(E::NoClosedStatus)
        );
        assert_eq!(
            with(&|w| w.moves[0].to = "done".into()),
            Some(E::UnknownStatus("done".into()))
        );
        assert_eq!(
            with(&|w| w.moves[0].by.clear()),
            Some(E::UselessMove("new".into(), "in-progress".into()))
        );
        assert_eq!(
            with(&|w| w.moves[0].to = "new".into()),
            Some(E::UselessMove("new".into(), "new".into()))
        );
        assert_eq!(
            with(&|w| w.moves.push(mv("new", "in-progress", &[Agent]))),
            Some(E::DuplicateMove("new".into(), "in-progress".into()))
        );
        assert_eq!(
            with(&|w| {
                w.moves.remove(3);
            }),
            Some(E::Unreachable("solved".into()))
        );
        assert_eq!(
            with(&|w| w.statuses = (0..31)
                .map(|i| status(&format!("s{i}"), true, false))
                .collect()),
            Some(E::TooLarge)
        );
        for key in ["", "-x", &"a".repeat(41), "é", "a_b"] {
            assert!(!valid_key(key), "{key}");
        }
        assert!(valid_key("waiting-for-customer-2"));
    }

    #[test]
    fn unknown_fields_in_a_written_workflow_are_refused() {
        let json = serde_json::json!({
            "statuses": [{"key": "new", "name_en": "New", "name_fr": "Nouveau", "open": true, "colour": "red"}],
            "initial": "new", "moves": []
        });
        assert!(serde_json::from_value::<Workflow>(json).is_err());
    }
}
