//! The vocabulary every layer shares, below `access` and the features:
//! roles in a space and kinds of organization. Nothing here imports a feature.

mod org_kind;
mod role;

pub use org_kind::OrgKind;
pub use role::Role;
