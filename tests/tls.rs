//! TLS on jump hosts: a server whose certificate comes from an authority the system does not
//! trust (a proxy that inspects TLS) is refused with words that say what to do, and trusted
//! once the profile's `ca_file` names that authority. The server is a local TLS listener with
//! a test CA (tests/fixtures/tls: test-only keys, never used anywhere else).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use ttydesk::config::{Profile, ProviderKind};
use ttydesk::provider::ProviderError;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

/// Answers every HTTPS request with InvGate's `sd.version`, until the test ends.
async fn server() -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{FIXTURES}/server.pem"))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is the point of some tests: nothing to answer then.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#""8.15.13""#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn profile(port: u16, ca_file: Option<String>) -> Profile {
    Profile {
        provider: ProviderKind::Invgate,
        base_url: format!("https://localhost:{port}"),
        username: Some("api".into()),
        token_env: None,
        token_command: None,
        token_file: None,
        keyring: None,
        token: Some("tls-test-token".into()),
        allow_token_in_file: true,
        timeout_secs: Some(5),
        ca_file,
        open: true,
        agent: None,
        read_only: false,
        integrated_account_id: None,
        tenant_id: None,
        realm: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_authority_is_named_and_ca_file_trusts_it() {
    let port = server().await;
    let connected = ttydesk::cli::connect("work", &profile(port, None))
        .await
        .unwrap();
    let err = connected.provider.probe().await.unwrap_err();
    let ProviderError::Connect(said) = &err else {
        panic!("a connection failure: {err:?}");
    };
    assert!(
        said.contains("signed by an authority this host does not trust")
            && said.contains("ca_file"),
        "{said}"
    );
    // The authority is named, read from the chain the server sent.
    assert!(
        said.contains("its certificate was issued by “ttydesk test CA”"),
        "{said}"
    );

    let trusted = profile(port, Some(format!("{FIXTURES}/ca.pem")));
    let connected = ttydesk::cli::connect("work", &trusted).await.unwrap();
    let probe = connected.provider.probe().await.unwrap();
    assert_eq!(probe.server.version.as_str(), "8.15.13");
}

#[tokio::test]
async fn a_ca_file_that_is_not_a_certificate_is_a_clear_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("ca.pem");
    std::fs::write(&wrong, "not a certificate").unwrap();
    let err = ttydesk::cli::connect("work", &profile(1, Some(wrong.display().to_string())))
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("is not a PEM certificate"), "{err}");
    let missing = dir.path().join("nowhere.pem").display().to_string();
    let err = ttydesk::cli::connect("work", &profile(1, Some(missing)))
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("cannot be read"), "{err}");
}

/// A proxy on 127.0.0.1 that opens every `CONNECT` to the local TLS server on `port`, whatever
/// host it names, and relays; it keeps the `CONNECT` lines it was sent.
async fn tunnelling_proxy(port: u16) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = Arc::clone(&asked);
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match conn.read(&mut byte).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => head.push(byte[0]),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_string();
                seen.lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or("").to_string());
                let Ok(mut server) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await
                else {
                    return;
                };
                if conn
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_ok()
                {
                    let _ = tokio::io::copy_bidirectional(&mut conn, &mut server).await;
                }
            });
        }
    });
    (format!("http://{addr}"), asked)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authority_is_named_through_a_proxy_too() {
    let port = server().await;
    let (proxy, asked) = tunnelling_proxy(port).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://localhost:{port}\"\n\
             username = \"api\"\ntoken_env = \"TTYDESK_TLS_PROXY_TOKEN\"\n"
        ),
    )
    .unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ttydesk"))
        .args(["doctor", "--config", config.to_str().unwrap()])
        .env("HOME", dir.path())
        .env("TTYDESK_DATA_DIR", dir.path())
        .env("TTYDESK_TLS_PROXY_TOKEN", "secret-4712")
        .env("HTTPS_PROXY", &proxy)
        .env("https_proxy", &proxy)
        .env("NO_PROXY", "")
        .env("no_proxy", "")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("signed by an authority this host does not trust")
            && stdout.contains("its certificate was issued by “ttydesk test CA”"),
        "{stdout}"
    );
    assert!(!stdout.contains("secret-4712"), "{stdout}");
    // The call and the second handshake both went through the proxy, to the configured host.
    let asked = asked.lock().unwrap().clone();
    assert!(
        asked.len() >= 2
            && asked
                .iter()
                .all(|line| line.starts_with(&format!("CONNECT localhost:{port} "))),
        "{asked:?}"
    );
}
