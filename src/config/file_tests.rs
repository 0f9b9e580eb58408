//! Tests of the configuration file: parsing, per-profile checks with file and line.
use super::*;

const GOOD: &str = r#"
[profiles.work]
provider = "invgate"
base_url = "https://acme.cloud.invgate.net"
username = "api"
token_env = "TTYDESK_WORK_TOKEN"
"#;

#[test]
fn the_documented_minimum_parses_and_is_opened() {
    let file = ConfigFile::parse(GOOD, "t.toml").unwrap();
    let chosen = file.chosen(None).unwrap();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].0, "work");
    assert_eq!(chosen[0].1.token_env.as_deref(), Some("TTYDESK_WORK_TOKEN"));
    assert_eq!(file.store_journal, JournalChoice::Auto);
}

#[test]
fn news_and_knowledge_base_settings_are_read_from_the_top_level() {
    let text = format!("news_interval = 30\nbell = true\nkb_min_score = 0.25\n{GOOD}");
    let file = ConfigFile::parse(&text, "t.toml").unwrap();
    assert_eq!(file.news_interval, Some(30));
    assert!(file.bell);
    assert_eq!(file.kb_min_score, Some(0.25));
    let wrong = format!("kb_min_score = \"high\"\n{GOOD}");
    let err = ConfigFile::parse(&wrong, "t.toml").unwrap_err().to_string();
    assert!(err.starts_with("t.toml:1:"), "{err}");
}

#[test]
fn the_example_file_parses() {
    let text = include_str!("../../config/ttydesk.example.toml");
    let file = ConfigFile::parse(text, "example").unwrap();
    assert!(!file.profiles.is_empty());
}

#[test]
fn a_misspelt_key_names_file_line_and_key() {
    let text = GOOD.replace("token_env", "tokn_env");
    let err = ConfigFile::parse(&text, "/home/a/ttydesk.toml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/home/a/ttydesk.toml:6:"), "{err}");
    assert!(err.contains("tokn_env"), "{err}");
}

#[test]
fn a_profile_name_with_control_characters_is_refused_without_echoing_them() {
    let text = GOOD.replace("[profiles.work]", "[profiles.\"wo\\u001b[2Jrk\"]");
    let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
    assert!(err.contains("printable"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "the escape is not printed raw: {err:?}"
    );
    let empty = GOOD.replace("[profiles.work]", "[profiles.\" \"]");
    assert!(ConfigFile::parse(&empty, "c.toml").is_err());
}

#[test]
fn broken_toml_names_the_line() {
    let err = ConfigFile::parse("[profiles.work\nprovider=1", "c.toml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.toml:1:"), "{err}");
}

#[test]
fn a_token_in_the_file_is_refused_unless_insisted() {
    let text = GOOD.replace("token_env = \"TTYDESK_WORK_TOKEN\"", "token = \"s3cret\"");
    let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
    assert!(err.contains("refused"), "{err}");
    assert!(
        !err.contains("s3cret"),
        "the secret must not be echoed: {err}"
    );
    let insisted = format!("{text}allow_token_in_file = true\n");
    assert!(ConfigFile::parse(&insisted, "c.toml").is_ok());
}

#[test]
fn unknown_provider_and_bad_url_are_explained() {
    let err = ConfigFile::parse(&GOOD.replace("invgate", "jira"), "c.toml").unwrap_err();
    assert!(err.to_string().contains("jira"), "{err}");
    let err = ConfigFile::parse(&GOOD.replace("https://", "ftp://"), "c.toml").unwrap_err();
    assert!(err.to_string().contains("profile `work`"), "{err}");
}

#[test]
fn every_profile_opens_unless_closed_and_a_name_opens_just_that_one() {
    let text = format!(
        "{GOOD}\n{}\n{}open = false\n",
        GOOD.replace("profiles.work", "profiles.lab"),
        GOOD.replace("profiles.work", "profiles.old")
    );
    let file = ConfigFile::parse(&text, "c.toml").unwrap();
    let names = |chosen: Vec<(String, Profile)>| -> Vec<String> {
        chosen.into_iter().map(|(n, _)| n).collect()
    };
    assert_eq!(
        names(file.chosen(None).unwrap()),
        ["work", "lab"],
        "in the order of the file"
    );
    assert_eq!(names(file.chosen(Some("old")).unwrap()), ["old"]);
    let err = file.chosen(Some("nope")).unwrap_err().to_string();
    assert!(err.contains("work, lab, old"), "{err}");
    let closed = GOOD.replace("token_env", "open = false\ntoken_env");
    let file = ConfigFile::parse(&closed, "c.toml").unwrap();
    assert!(
        file.chosen(None)
            .unwrap_err()
            .to_string()
            .contains("open = false")
    );
    let delete = format!("store_journal = \"delete\"\n{GOOD}");
    let file = ConfigFile::parse(&delete, "c.toml").unwrap();
    assert_eq!(file.store_journal, JournalChoice::Delete);
}

#[test]
fn secrets_stay_out_of_urls_and_debug_output() {
    let text = GOOD.replace("https://acme", "https://api:s3cret@acme");
    let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
    assert!(
        err.contains("must not contain a user name or password"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    let text = GOOD.replace(
        "token_env = \"TTYDESK_WORK_TOKEN\"",
        "token = \"s3cret\"\nallow_token_in_file = true",
    );
    let file = ConfigFile::parse(&text, "c.toml").unwrap();
    let debug = format!("{file:?}");
    assert!(
        !debug.contains("s3cret") && debug.contains("[redacted]"),
        "{debug}"
    );
}

const IDEN: &str = r#"
[profiles.access]
provider = "iden"
base_url = "https://developer.idenhq.com/org/acme"
token_env = "TTYDESK_IDEN_KEY"
"#;

#[test]
fn an_iden_profile_needs_no_username() {
    let file = ConfigFile::parse(IDEN, "t.toml").unwrap();
    let access = &file.profiles["access"];
    assert_eq!(access.provider, ProviderKind::Iden);
    assert_eq!(access.username, None);
    assert_eq!(access.user(), "");
    let with_user = IDEN.replace("token_env", "username = \"api\"\ntoken_env");
    let err = ConfigFile::parse(&with_user, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("an Iden profile has no username"), "{err}");
    let misspelt = IDEN.replace("token_env", "tokenenv");
    let err = ConfigFile::parse(&misspelt, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("t.toml:5:") && err.contains("tokenenv"),
        "{err}"
    );
}

const VENDORS: &str = r#"
[profiles.unified]
provider = "truto"
base_url = "https://api.truto.one"
token_env = "TRUTO_TOKEN"
integrated_account_id = "8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11"

[profiles.rz]
provider = "rezolve"
base_url = "https://acme.rezolve.ai"
token_env = "REZOLVE_JWT"
tenant_id = "5b0e9f3a"
realm = "acme"
"#;

#[test]
fn truto_and_rezolve_profiles_read_their_own_keys_and_refuse_the_others() {
    let file = ConfigFile::parse(VENDORS, "t.toml").unwrap();
    let truto = &file.profiles["unified"];
    assert_eq!(truto.provider, ProviderKind::Truto);
    assert_eq!(
        truto.integrated_account_id.as_deref(),
        Some("8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11")
    );
    let rz = &file.profiles["rz"];
    assert_eq!(rz.provider, ProviderKind::Rezolve);
    assert_eq!(
        (rz.tenant_id.as_deref(), rz.realm.as_deref()),
        (Some("5b0e9f3a"), Some("acme"))
    );
    // Rezolve needs its tenant, said at the profile's line.
    let no_tenant = VENDORS.replace("tenant_id = \"5b0e9f3a\"\n", "");
    let err = ConfigFile::parse(&no_tenant, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.toml:8") && err.contains("needs tenant_id"),
        "{err}"
    );
    // A key of another vendor is refused, not ignored.
    let misplaced = VENDORS.replace(
        "realm = \"acme\"",
        "realm = \"acme\"\nintegrated_account_id = \"x\"",
    );
    let err = ConfigFile::parse(&misplaced, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("integrated_account_id is a Truto setting"),
        "{err}"
    );
    let with_user = VENDORS.replace(
        "token_env = \"TRUTO_TOKEN\"",
        "username = \"api\"\ntoken_env = \"TRUTO_TOKEN\"",
    );
    let err = ConfigFile::parse(&with_user, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("a Truto profile has no username"), "{err}");
}

#[test]
fn an_invgate_profile_without_username_names_file_line_and_profile() {
    let text = format!("bell = true\n{}", GOOD.replace("username = \"api\"\n", ""));
    let err = ConfigFile::parse(&text, "/home/a/ttydesk.toml")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "/home/a/ttydesk.toml:3: profile `work`: \
         an InvGate profile needs username = \"…\" (the API user)"
    );
    let blank = GOOD.replace("username = \"api\"", "username = \" \"");
    let err = ConfigFile::parse(&blank, "c.toml").unwrap_err().to_string();
    assert!(err.contains("username is empty"), "{err}");
}
