//! Unit tests of the Iden provider's pieces that need no server: the API root, the checks on a
//! page's `next`, per-element reading, and the mapping of a ticket.

use secrecy::SecretString;
use serde_json::json;

use super::*;

fn iden(base: &str) -> Iden {
    Iden::new(IdenConfig {
        base_url: base.into(),
        token: SecretString::from("sk_live_s3cret"),
        timeouts: HttpSettings::default(),
    })
    .unwrap()
}

#[test]
fn base_url_forms_normalise_to_the_org_root() {
    for raw in [
        "https://developer.idenhq.com/org/acme",
        "https://developer.idenhq.com/org/acme/",
        "https://developer.idenhq.com/org/acme/api",
        "https://developer.idenhq.com/org/acme/api/?x=1#f",
    ] {
        assert_eq!(
            normalize_base(raw).unwrap().as_str(),
            "https://developer.idenhq.com/org/acme/",
            "{raw}"
        );
    }
    for bad in [
        "ftp://x/org/a",
        "developer.idenhq.com",
        "https://k:s@x/org/a",
        "",
    ] {
        assert!(
            matches!(normalize_base(bad), Err(ProviderError::Config(_))),
            "{bad}"
        );
    }
    let url = iden("https://developer.idenhq.com/org/acme")
        .client
        .url(&["tickets", "ab-12"], &[("limit", "1".into())]);
    assert_eq!(
        url.as_str(),
        "https://developer.idenhq.com/org/acme/api/tickets/ab-12/?limit=1"
    );
}

#[test]
fn the_key_never_shows_in_debug_output_and_is_required() {
    let p = iden("https://developer.idenhq.com/org/acme");
    let shown = format!("{p:?} {:?}", p.client);
    assert!(!shown.contains("s3cret"), "{shown}");
    let empty = Iden::new(IdenConfig {
        base_url: "https://developer.idenhq.com/org/acme".into(),
        token: SecretString::from(" "),
        timeouts: HttpSettings::default(),
    });
    assert!(matches!(empty, Err(ProviderError::Config(_))));
}

#[test]
fn a_next_is_followed_only_forward_and_only_to_the_configured_server() {
    let p = iden("https://developer.idenhq.com/org/acme");
    let here = Url::parse("https://developer.idenhq.com/org/acme/api/tickets/?limit=50").unwrap();
    let next = "https://developer.idenhq.com/org/acme/api/tickets/?limit=50&offset=50";
    assert_eq!(
        p.next_of(&here, next, "tickets").unwrap().unwrap().as_str(),
        next
    );
    let second = Url::parse(next).unwrap();
    assert_eq!(
        p.next_of(&second, next, "tickets").unwrap(),
        None,
        "same page"
    );
    let back = "https://developer.idenhq.com/org/acme/api/tickets/?limit=50&offset=0";
    assert_eq!(
        p.next_of(&second, back, "tickets").unwrap(),
        None,
        "backwards"
    );
    for foreign in [
        "https://evil.example/org/acme/api/tickets/?offset=50",
        "http://developer.idenhq.com/org/acme/api/tickets/?offset=50",
        "https://developer.idenhq.com/org/other/api/tickets/?offset=50",
        "https://developer.idenhq.com:8443/org/acme/api/tickets/?offset=50",
    ] {
        let err = p.next_of(&here, foreign, "tickets").unwrap_err();
        assert!(
            matches!(err, ProviderError::Decode { .. }),
            "{foreign}: {err:?}"
        );
    }
    let err = p
        .next_of(&here, "https://evil.example/x", "tickets")
        .unwrap_err();
    assert!(err.to_string().contains("evil.example"), "{err}");
    assert!(err.to_string().contains("not followed"), "{err}");
}

#[test]
fn one_malformed_ticket_costs_only_itself() {
    let reply = json!({
        "count": 3, "next": null, "previous": null,
        "results": [
            {"external_uuid": "a1", "label": "Access to GitHub", "ticket_status": "PENDING"},
            {"external_uuid": 7, "label": {"x": 1}},
            "not an object",
            {"external_uuid": "b2", "label": "Access to AWS", "ticket_status": "APPROVED"}
        ]
    });
    let page: PageWire<TicketWire> = wire::page("tickets", reply).unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.skipped, 2);
    assert_eq!(page.count, Some(3));
    for not_a_page in [json!([]), json!({"detail": "x"}), json!({"results": {}})] {
        assert!(matches!(
            wire::page::<TicketWire>("tickets", not_a_page),
            Err(ProviderError::Decode { .. })
        ));
    }
}

#[test]
fn a_ticket_maps_with_names_fallbacks_and_scrubbed_text() {
    let wire: TicketWire = serde_json::from_value(json!({
        "external_uuid": "ac0116b9-f581-403e-b8c2-fa4601b86b8a",
        "label": "Access to GitHub \u{1b}]0;PWNED\u{7}org",
        "type": "ACCESS",
        "app": {"external_uuid": "app-1", "name": "GitHub"},
        "requester": {"external_uuid": "u-1", "email": "ada@acme.example"},
        "app_user": {"external_uuid": "au-1", "email": "ada@github.example"},
        "ticket_status": "PENDING",
        "start_time": "2026-11-01T09:00:00Z",
        "end_time": null,
        "initial_comment": "Need it for the release.\nThanks"
    }))
    .unwrap();
    let catalog = Catalog {
        statuses: map::statuses(),
        ..Catalog::default()
    };
    let d = map::detail(&wire, &catalog).unwrap();
    let t = &d.ticket;
    assert_eq!(t.display_id.as_str(), "ac0116b9");
    assert!(!t.title.as_str().contains('\u{1b}') && !t.title.as_str().contains("PWNED"));
    assert!(d.had_hidden_controls);
    assert_eq!(t.status.kind, crate::domain::StatusKind::New);
    assert_eq!(
        t.customer.as_ref().unwrap().name.as_str(),
        "ada@acme.example"
    );
    assert_eq!(t.help_desk.as_ref().unwrap().name.as_str(), "GitHub");
    assert_eq!(d.description.as_str(), "Need it for the release.\nThanks");
    let field = |id: &str| {
        d.custom_fields
            .iter()
            .find(|f| f.field_id == id)
            .map(|f| f.value.as_str().to_string())
    };
    assert_eq!(field("app_user").as_deref(), Some("ada@github.example"));
    assert_eq!(field("start_time").as_deref(), Some("2026-11-01 09:00 UTC"));
    assert_eq!(field("end_time").as_deref(), Some("no end date"));
    let hostile: TicketWire =
        serde_json::from_value(json!({"external_uuid": "x/../../users"})).unwrap();
    assert!(
        map::ticket(&hostile, &catalog).is_none(),
        "an id that is no UUID is refused"
    );
}
