//! The server's integration tests as one program: a module per area, each test a real server
//! on port 0 with a fresh database (SQLite, or PostgreSQL when `ZHIXING_TEST_DATABASE_URL` is
//! set), driven over HTTP. The shared kit is `zhixing-testkit`. The browser test is a program
//! of its own (`tests/browser.rs`): it needs Chromium.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod alerts;
mod api_basics;
mod auction;
mod auction_account;
mod auction_feed;
mod auction_files;
mod auction_pages;
mod auction_room;
mod audit;
mod auth;
mod authz_matrix;
mod case_forms;
mod cases;
mod clock;
mod closure;
mod command_pages;
mod complaints;
mod courts;
mod credit;
mod credit_pages;
mod csrf;
mod debtors;
mod documents;
mod english;
mod entrusted;
mod field_investigation;
mod filing_drafts;
mod forms_more;
mod funds;
mod generate;
mod headers;
mod home_queues;
mod indicators;
mod investigation;
mod legacy;
mod lists;
mod measures;
mod openapi;
mod oversight_pages;
mod pages;
mod portal_submissions;
mod public;
mod public_lists;
mod public_search;
mod recordings;
mod reviews;
mod rules;
mod service;
mod session_cache;
mod sharing;
mod staff_lists;
mod supervision;
mod text;
mod users;
mod valuation;
