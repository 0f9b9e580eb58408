//! ttydesk: a terminal helpdesk console for service-desk agents.
//!
//! Data flows one way: key → `app::Action` → `app::update` (pure) → `app::Effect` → runtime →
//! `provider` (HTTP) → `app::Msg` → `app::update` → `ui::render`. Vendor text crosses into the
//! `domain` through `text` exactly once. See the module docs for who owns what.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod provider;
pub mod sim;
pub mod store;
pub mod testing;
pub mod text;
pub mod ui;
