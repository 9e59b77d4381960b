//! Parvis: a sovereign intranet + extranet appliance in one binary.
//!
//! The library holds everything; `main.rs` only parses the command line and maps
//! the outcome to an exit code, so tests, benches and every subcommand link the
//! same code.
#![forbid(unsafe_code)]

/// Authorization choke point: who may do what, and the SQL filters for listings.
pub mod access;

/// The administration pages.
pub mod admin;
/// Adoption figures for administrators: counts, never names.
pub mod adoption;
/// The application state shared by `serve`, the CLI and the tests.
pub mod app;
/// Document approval flows and their signed, verifiable records.
pub mod approvals;
/// Hash-chained, append-only audit log and its verification.
pub mod audit;
/// Passwords, sessions, sign-in throttling.
pub mod auth;
/// Content-addressed blob store: streamed, fsynced, deduplicated writes.
pub mod blobs;
/// Command-line interface: one file per subcommand.
pub mod cli;
/// Comments and reactions on items of the kinds that take them.
pub mod comments;
/// Configuration layers: defaults < file < environment < flags.
pub mod config;
/// Every kind of content, declared once: tables, search, files, erasure, routes.
pub mod content;
/// WebDAV: the libraries mounted as a network drive.
pub mod dav;
/// SQLite: one writer and several readers on blocking threads, migrations.
pub mod db;
/// The demo company seeded by `serve --demo`.
pub mod demo;
/// Discussions: forums, topics and replies in spaces.
pub mod discussions;
/// Document libraries: folders, documents, versions, uploads, downloads.
pub mod documents;
/// Shared vocabulary below access and the features: roles, kinds of organization.
pub mod domain;
/// Groups of people, usable as space members.
pub mod groups;
/// The home page.
pub mod home;
/// Fluent translations and language negotiation.
pub mod i18n;
/// The live channel: `GET /events`, the changes each person may see, as they happen.
pub mod live;
/// Outgoing e-mail through the outbox.
pub mod mail;
/// News and announcements, with mandatory reading.
pub mod news;
/// Notifications: what each person is told of, in the page and live.
pub mod notifications;
/// Operations shared by the CLI and the admin pages: init, check.
pub mod ops;
/// Organizations: the host and its clients, partners and suppliers.
pub mod organizations;
/// Work derived from a change, done after commit by workers.
pub mod outbox;
/// People: accounts and profiles.
pub mod people;
/// Portals: branded entry points.
pub mod portals;
/// Requests of any configured type (tickets, orders…), tracked by clients and suppliers.
pub mod requests;
/// The search results page.
pub mod search;
/// The top: every route, the middleware order, the API's assembly and its
/// OpenAPI document, the listener and the background loops of `serve`.
pub mod server;
/// Domain error shared by the service layer.
pub mod service;
/// A space's home page: activity, recent files, pinned links, members.
pub mod space_home;
/// Spaces: the unit of sharing.
pub mod spaces;
/// What every place where people write to each other shares: writers, mentions.
pub mod talk;
/// Text people write (Markdown), rendered and sanitized once for every page.
pub mod text;
/// TLS: certificates (files, self-signed), their checks and reloading.
pub mod tls;
/// Redacting wrapper for secrets and the clock helpers.
pub mod util;
/// HTTP infrastructure the features' handlers use, below them: the request
/// context, extractors, errors → responses, page rendering, CSRF, assets,
/// notices, stored images, and the API's shared helpers.
pub mod web;
