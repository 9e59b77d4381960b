//! What a flow template says, checked whole before it is kept: ordered
//! steps, each naming its approvers (people, a group, a role in the space,
//! the people of an organization) and its rule (any one, all, or at least
//! N), a deadline in working days, and what a rejection does; whether the
//! author may approve their own file, and what a new version does to a
//! running flow.

use crate::service::{Error, Result};
use serde::{Deserialize, Serialize};

pub const MAX_STEPS: usize = 20;
pub const MAX_APPROVERS: usize = 50;
const MAX_NAME: usize = 120;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub steps: Vec<Step>,
    /// Nobody decides on a file they started the flow for or uploaded.
    #[serde(default)]
    pub forbid_self_approval: bool,
    #[serde(default)]
    pub on_new_version: OnNewVersion,
    /// The file cannot change (new version, rename, move, trash) while
    /// the flow runs; it may again once returned to its author.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lock_during_review: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    pub approvers: Vec<Approver>,
    #[serde(default)]
    pub rule: Rule,
    /// Working days to decide, from the step's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub on_reject: OnReject,
    /// Who also decides once the deadline has passed (none: the space's
    /// managers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backup: Vec<Approver>,
    /// On a request, the step runs only when its fields meet this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<super::conditions::Condition>,
}

/// Who decides at a step, resolved when the step runs (people who cannot
/// read the file then are left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Approver {
    Person {
        id: i64,
    },
    Group {
        id: i64,
    },
    /// Everyone with at least this role in the space (`reader`,
    /// `contributor`, `manager`).
    Role {
        role: String,
    },
    /// The people of an organization (a client validating a deliverable).
    Organization {
        id: i64,
    },
    /// Someone without an account (a client's signatory), asked by e-mail
    /// for one decision: a single-use link, then a one-time code sent to
    /// that address. Nobody else may decide in their place.
    Signatory {
        email: String,
        name: String,
    },
}

impl Definition {
    /// Its steps' conditions.
    pub fn conditions(&self) -> impl Iterator<Item = &super::conditions::Condition> {
        self.steps.iter().filter_map(|s| s.when.as_ref())
    }

    /// The steps that run on these field values: those without a
    /// condition, and those whose condition holds.
    pub fn applying(mut self, fields: &serde_json::Map<String, serde_json::Value>) -> Definition {
        self.steps
            .retain(|s| s.when.as_ref().is_none_or(|w| w.holds(fields)));
        self
    }

    /// The same, without signatories' addresses (shown to those who do not
    /// manage the space: a name is enough to start a flow).
    pub fn hide_addresses(&mut self) {
        for s in &mut self.steps {
            for a in &mut s.approvers {
                if let Approver::Signatory { email, .. } = a {
                    email.clear();
                }
            }
        }
    }
}

impl Step {
    /// The step's signatories without an account: (address, name).
    pub fn signatories(&self) -> impl Iterator<Item = (&str, &str)> {
        self.approvers.iter().filter_map(|a| match a {
            Approver::Signatory { email, name } => Some((email.as_str(), name.as_str())),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    #[default]
    Any,
    All,
    AtLeast {
        n: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnReject {
    /// The flow waits for the author's new version, then starts again.
    #[default]
    Author,
    /// The previous step decides again (the first step: back to the author).
    Back,
    /// The flow ends, rejected.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnNewVersion {
    /// The flow starts again from its first step on the new bytes.
    #[default]
    Restart,
    /// The flow ends, cancelled.
    Cancel,
}

impl Rule {
    /// Whether `approved` approvals out of `of` approvers settle the step.
    pub fn met(self, approved: usize, of: usize) -> bool {
        match self {
            Rule::Any => approved >= 1,
            Rule::All => of > 0 && approved >= of,
            // Fewer approvers than N remain (some left): all of them.
            Rule::AtLeast { n } => approved >= 1 && approved >= (n as usize).min(of),
        }
    }
}

impl Definition {
    /// Reads and checks a definition: every mistake is refused with the
    /// step (`item`) and the field named.
    pub fn parse(json: &serde_json::Value) -> Result<Definition> {
        let d: Definition = serde_json::from_value(json.clone())
            .map_err(|_| Error::invalid("definition", "approval-definition-invalid"))?;
        d.check()?;
        Ok(d)
    }

    pub fn check(&self) -> Result<()> {
        if self.steps.is_empty() {
            return Err(Error::invalid("steps", "approval-no-steps"));
        }
        if self.steps.len() > MAX_STEPS {
            return Err(Error::invalid("steps", "approval-too-many-steps"));
        }
        for (i, s) in self.steps.iter().enumerate() {
            let item = |field: &'static str, code: &'static str| Error::InvalidItem {
                field,
                item: (i + 1).to_string(),
                code,
            };
            let name = s.name.trim();
            if name.is_empty()
                || name.chars().count() > MAX_NAME
                || name.chars().any(char::is_control)
            {
                return Err(item("name", "approval-step-name"));
            }
            if s.approvers.is_empty() {
                return Err(item("approvers", "approval-step-empty"));
            }
            if s.approvers.len() > MAX_APPROVERS {
                return Err(item("approvers", "approval-too-many-approvers"));
            }
            if s.backup.len() > MAX_APPROVERS {
                return Err(item("backup", "approval-too-many-approvers"));
            }
            if !s.backup.is_empty() && s.deadline_days.is_none() {
                return Err(item("backup", "approval-backup-deadline"));
            }
            for a in s.approvers.iter().chain(&s.backup) {
                if let Approver::Role { role } = a {
                    crate::domain::Role::parse(role)
                        .map_err(|_| item("approvers", "approval-role"))?;
                }
            }
            for (email, name) in s.signatories() {
                let name = name.trim();
                if crate::service::Email::parse(email).is_err()
                    || name.is_empty()
                    || name.chars().count() > MAX_NAME
                    || name.chars().any(char::is_control)
                {
                    return Err(item("approvers", "approval-signatory"));
                }
            }
            if s.backup
                .iter()
                .any(|a| matches!(a, Approver::Signatory { .. }))
                || (s.signatories().next().is_some() && !s.backup.is_empty())
            {
                return Err(item("backup", "approval-signatory-backup"));
            }
            match s.rule {
                Rule::AtLeast { n } if n == 0 || n as usize > MAX_APPROVERS * 100 => {
                    return Err(item("rule", "approval-rule"));
                }
                _ => {}
            }
            if s.deadline_days.is_some_and(|d| d == 0 || d > 365) {
                return Err(item("deadline_days", "approval-deadline"));
            }
            if s.when.as_ref().is_some_and(|w| !w.check()) {
                return Err(item("when", "approval-condition"));
            }
        }
        // Conditions add steps to a flow, never take all of them away.
        if self.steps.iter().all(|s| s.when.is_some()) {
            return Err(Error::invalid("steps", "approval-step-always"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(v: serde_json::Value) -> String {
        match Definition::parse(&v) {
            Err(Error::Invalid { code, .. }) | Err(Error::InvalidItem { code, .. }) => {
                code.to_string()
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_definition_is_checked_whole() {
        let good = json!({"steps": [
            {"name": "Quality", "approvers": [{"type": "role", "role": "manager"}]},
            {"name": "Client", "approvers": [{"type": "organization", "id": 3}], "rule": {"type": "at_least", "n": 2},
             "deadline_days": 5, "on_reject": "back"}
        ], "forbid_self_approval": true, "on_new_version": "cancel"});
        let d = Definition::parse(&good).unwrap();
        assert_eq!(d.steps[1].rule, Rule::AtLeast { n: 2 });
        assert_eq!(d.on_new_version, OnNewVersion::Cancel);
        assert_eq!(code(json!({"steps": []})), "approval-no-steps");
        assert_eq!(
            code(json!({"steps": [{"name": "A", "approvers": []}]})),
            "approval-step-empty"
        );
        assert_eq!(
            code(json!({"steps": [{"name": " ", "approvers": [{"type": "person", "id": 1}]}]})),
            "approval-step-name"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": [{"type": "role", "role": "boss"}]}]})
            ),
            "approval-role"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": [{"type": "person", "id": 1}], "rule": {"type": "at_least", "n": 0}}]})
            ),
            "approval-rule"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": [{"type": "person", "id": 1}], "deadline_days": 0}]})
            ),
            "approval-deadline"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": [{"type": "person", "id": 1}], "backup": [{"type": "person", "id": 2}]}]})
            ),
            "approval-backup-deadline"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": [{"type": "person", "id": 1}], "deadline_days": 2, "backup": [{"type": "role", "role": "chief"}]}]})
            ),
            "approval-role"
        );
        assert_eq!(
            code(json!({"steps": [], "extra": 1})),
            "approval-definition-invalid"
        );
        let many: Vec<_> = (0..21)
            .map(|i| json!({"name": format!("S{i}"), "approvers": [{"type": "person", "id": 1}]}))
            .collect();
        assert_eq!(code(json!({ "steps": many })), "approval-too-many-steps");
        let person = json!([{"type": "person", "id": 1}]);
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": person, "when": {"field": "amount"}}]})
            ),
            "approval-condition"
        );
        assert_eq!(
            code(
                json!({"steps": [{"name": "A", "approvers": person, "when": {"field": "amount", "above": 1}}]})
            ),
            "approval-step-always"
        );
    }

    #[test]
    fn rules_settle_a_step() {
        assert!(Rule::Any.met(1, 5) && !Rule::Any.met(0, 5));
        assert!(Rule::All.met(3, 3) && !Rule::All.met(2, 3) && !Rule::All.met(0, 0));
        assert!(Rule::AtLeast { n: 2 }.met(2, 5) && !Rule::AtLeast { n: 2 }.met(1, 5));
        assert!(
            Rule::AtLeast { n: 3 }.met(1, 1),
            "fewer than N remain: all of them"
        );
    }
}
