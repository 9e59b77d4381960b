//! Requests: tickets, orders, deliveries, complaints — any type an
//! administrator configures (its fields, its statuses and the moves
//! between them, its service-level targets in working hours), filed by
//! clients and suppliers in the spaces their organization was granted and
//! worked on by agents (issue 17).
//!
//! This first part is the rules a type is made of, checked before a type
//! is kept and for every value given: fields (`fields`), the state machine
//! (`workflow`) and working hours (`calendar`). Storage, access, pages and
//! the API follow.

pub mod calendar;
pub mod fields;
pub mod sla;
pub mod types;
pub mod workflow;
