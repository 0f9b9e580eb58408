//! The README lists every default key binding: its table is generated from
//! `config/keymap.toml` and this test fails when they differ. `UPDATE_README=1 cargo test
//! --test readme_keys` writes the table anew.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ttydesk::app::Action;
use ttydesk::config::keymap::Context;

const BEGIN: &str =
    "<!-- default keys: generated from config/keymap.toml by tests/readme_keys.rs -->";
const END: &str = "<!-- end of default keys -->";

fn table() -> String {
    let text = std::fs::read_to_string("config/keymap.toml").unwrap();
    let sections: toml::Table = toml::from_str(&text).unwrap();
    let mut out = String::new();
    for (name, keys) in &sections {
        let context = Context::ALL.into_iter().find(|c| c.name() == name).unwrap();
        out.push_str(&format!(
            "\n**{}** (`[keys.{name}]`)\n\n| keys | action |\n|---|---|\n",
            context.heading()
        ));
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for (key, action) in keys.as_table().unwrap() {
            let action: Action = action.clone().try_into().unwrap();
            let describe = action.describe().to_string();
            let shown = if key == "|" {
                "\\|".to_string()
            } else {
                key.clone()
            };
            match rows.iter_mut().find(|(d, _)| *d == describe) {
                Some((_, keys)) => keys.push(format!("`{shown}`")),
                None => rows.push((describe, vec![format!("`{shown}`")])),
            }
        }
        for (describe, keys) in rows {
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                describe.replace('|', "\\|")
            ));
        }
    }
    out
}

#[test]
fn the_readme_lists_every_default_binding() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (before, rest) = readme
        .split_once(BEGIN)
        .expect("README has the default-keys marker");
    let (current, after) = rest.split_once(END).expect("README has the end marker");
    let wanted = format!("{}\n", table());
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write("README.md", format!("{before}{BEGIN}{wanted}{END}{after}")).unwrap();
        return;
    }
    assert_eq!(
        current, wanted,
        "README's key table is out of date: UPDATE_README=1 cargo test --test readme_keys"
    );
}
