#![no_main]

use libfuzzer_sys::fuzz_target;
use ttydesk::provider::fuzzing::{Target, run};

fuzz_target!(|body: &[u8]| {
    let _ = run(Target::Html, body);
});
