//! One integration test binary: real servers on 127.0.0.1:0, real SQLite files,
//! HTTPS with the generated certificate, and the real `parvis` binary for the CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod access;
mod access_model;
mod account;
mod admin;
mod admin_people;
mod api;
mod api_crud;
mod audit_web;
mod backup;
mod bad_input;
mod branding;
mod cli;
mod config;
mod content_kind;
mod crash;
mod dav;
mod documents;
mod export;
mod full_disk;
mod headers;
mod i18n;
mod invitations;
mod invite_choices;
mod layers;
mod live;
mod mail;
mod memory;
mod mfa;
mod news;
mod notification_mail;
mod notifications;
mod personal_data;
mod portals;
mod reset;
mod role_matrix;
mod role_matrix_changes;
mod search;
mod sessions;
mod signin;
mod small_blobs;
mod space_home;
mod tls;
