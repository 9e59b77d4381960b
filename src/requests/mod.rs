//! Requests: tickets, orders, deliveries, complaints — any type an
//! administrator configures (its fields, its statuses and the moves
//! between them, its service-level targets in working hours), filed by
//! clients and suppliers in the spaces their organization was granted and
//! worked on by agents (issue 17).
//!
//! The rules a type is made of are pure and checked before a type is kept
//! and for every value given: fields (`fields`), the state machine
//! (`workflow`), working hours (`calendar`), the whole definition
//! (`types`) and service levels (`sla`). Who sees and works on a request
//! is `access::requests`; the services are `type_service` (types),
//! `service` (filing, reading), `work` (working on one) and `list`.

pub mod admin_web;
pub mod api;
pub mod breaches;
pub mod bulk;
pub mod by_mail;
pub mod calendar;

pub mod conversation;
pub mod dashboard;
pub mod dashboard_web;
pub mod events;
pub mod fields;
pub mod files;
pub mod files_web;
pub mod filing;
pub mod form_web;
pub mod import;
pub mod import_web;
pub mod kind;
pub mod kind_routes;
pub mod list;
pub mod list_web;
pub mod mailbox;
pub mod model;
pub mod notify;
pub mod says;
pub mod service;
pub mod sla;
pub mod store;
pub mod type_service;
pub mod type_store;
pub mod typed;
pub mod types;
pub mod upload;
pub mod views;
pub mod web;
pub mod work;
pub mod workflow;
