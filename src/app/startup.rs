//! `--startup-report`: the time of each start-up phase since launch, like an editor's startup
//! profiler, so an agent on a slow jump host sees where the time goes. The loop stops after the
//! first frame with fresh data and the report is printed once the terminal is restored.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::model::Model;

#[derive(Debug)]
pub struct StartupReport {
    launched: Instant,
    phases: Vec<(&'static str, Duration)>,
    stored_frame: bool,
    answered: bool,
    done: bool,
}

impl StartupReport {
    /// Times are measured from `launched` (the first line of `main`).
    pub fn new(launched: Instant) -> StartupReport {
        StartupReport {
            launched,
            phases: Vec::new(),
            stored_frame: false,
            answered: false,
            done: false,
        }
    }

    pub fn mark(&mut self, phase: &'static str) {
        self.phases.push((phase, self.launched.elapsed()));
    }

    /// A frame was drawn from `model`.
    pub fn frame(&mut self, model: &Model) {
        if self.done {
            return;
        }
        if !self.stored_frame && model.shows_saved_data() {
            self.stored_frame = true;
            self.mark("first frame from the store");
        }
        if model.fresh_everywhere() {
            self.done = true;
            self.mark("first frame with fresh data");
        }
    }

    /// A server answered a call successfully.
    pub fn answered(&mut self) {
        if !self.answered {
            self.answered = true;
            self.mark("first server answer");
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The report as printed: one phase a line, in milliseconds since launch.
    pub fn render(&self) -> String {
        let mut out = String::from("ttydesk start-up, milliseconds since launch\n");
        let width = self.phases.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        for (phase, at) in &self.phases {
            let _ = writeln!(out, "  {phase:<width$}  {:>8.1}", at.as_secs_f64() * 1000.0);
        }
        if !self.stored_frame {
            out.push_str("  (nothing was saved from an earlier run to draw first)\n");
        }
        if !self.done {
            out.push_str("  (the console ended before fresh data was drawn)\n");
        }
        out
    }
}
