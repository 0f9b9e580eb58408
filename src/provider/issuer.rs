//! Who signed a certificate this host does not trust. rustls says only "UnknownIssuer"; an
//! agent behind a TLS-inspecting proxy needs the authority's name to ask for its CA file. So
//! after such a failure one more handshake is made, whose verifier records the chain the
//! server sent and refuses it (nothing is ever sent over that connection), and the issuer of
//! the last certificate of the chain is read from its DER: the authority the host would need.
//! The handshake goes where the failed call went: directly, or through the HTTP proxy the
//! environment names (`HTTPS_PROXY`, `ALL_PROXY`; `NO_PROXY` honoured), by `CONNECT`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// How a call to a host travels, by the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Direct,
    /// Through an HTTP proxy at `address` (host:port), with its `Proxy-Authorization` value.
    Tunnel {
        address: String,
        authorization: Option<String>,
    },
    /// A proxy this module cannot speak (SOCKS, HTTPS to the proxy): no second handshake.
    Other,
}

/// The route to `host` that `env` (the process environment) gives, as reqwest reads it.
pub fn route(host: &str, env: &dyn Fn(&str) -> Option<String>) -> Route {
    let set = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| env(k).filter(|v| !v.trim().is_empty()))
    };
    let Some(raw) = set(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) else {
        return Route::Direct;
    };
    if bypassed(host, &set(&["NO_PROXY", "no_proxy"]).unwrap_or_default()) {
        return Route::Direct;
    }
    let raw = raw.trim();
    let url = reqwest::Url::parse(raw)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| reqwest::Url::parse(&format!("http://{raw}")).ok());
    let Some(url) = url.filter(|u| u.scheme() == "http") else {
        return Route::Other;
    };
    let (Some(proxy), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return Route::Other;
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let authorization = (!url.username().is_empty()).then(|| {
        let pair = format!(
            "{}:{}",
            decode(url.username()),
            decode(url.password().unwrap_or(""))
        );
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    });
    Route::Tunnel {
        address: format!("{proxy}:{port}"),
        authorization,
    }
}

/// Whether `NO_PROXY` (a comma-separated list: `*`, host names, `.domain` suffixes, addresses)
/// sends `host` directly.
fn bypassed(host: &str, no_proxy: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    no_proxy.split(',').map(str::trim).any(|entry| {
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        let entry = entry.to_ascii_lowercase();
        entry == "*"
            || (!entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}"))))
    })
}

/// The issuer of the certificate `host:port` presents, as "CN, O, OU" (scrubbed: it is the
/// server's text), reached by `route`; `None` when the handshake could not get that far
/// within `limit`.
pub async fn issuer_of(host: &str, port: u16, route: &Route, limit: Duration) -> Option<String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let recorder = Arc::new(Recorder {
        chain: Mutex::new(Vec::new()),
        algorithms: provider.signature_verification_algorithms,
    });
    let config = ClientConfig::builder_with_provider(Arc::<CryptoProvider>::clone(&provider))
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string()).ok()?;
    let attempt = async {
        let tcp = match route {
            Route::Direct => TcpStream::connect((host, port)).await.ok()?,
            Route::Tunnel {
                address,
                authorization,
            } => tunnel(address, authorization.as_deref(), host, port).await?,
            Route::Other => return None,
        };
        // Refused by the recorder, on purpose: only the chain was wanted.
        let _ = TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await;
        Some(())
    };
    tokio::time::timeout(limit, attempt).await.ok()??;
    let chain = recorder
        .chain
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let named = issuer_name(chain.last()?)?;
    let named = crate::text::scrub_line(&named);
    (!named.is_empty()).then_some(named)
}

/// A connection to `host:port` through the HTTP proxy at `address` (`CONNECT`), once the
/// proxy has answered 200.
async fn tunnel(
    address: &str,
    authorization: Option<&str>,
    host: &str,
    port: u16,
) -> Option<TcpStream> {
    let mut tcp = TcpStream::connect(address).await.ok()?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut ask = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(authorization) = authorization {
        ask.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
    }
    ask.push_str("\r\n");
    tcp.write_all(ask.as_bytes()).await.ok()?;
    // The answer's head, byte by byte so that nothing of the TLS stream is read with it.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 8192 {
            return None;
        }
        let mut byte = [0u8; 1];
        if tcp.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let status = head.split(|b| *b == b' ').nth(1)?;
    (status == b"200").then_some(tcp)
}

/// Keeps the chain the server sent, trusts nothing.
#[derive(Debug)]
struct Recorder {
    chain: Mutex<Vec<Vec<u8>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut chain = self.chain.lock().unwrap_or_else(PoisonError::into_inner);
        chain.push(end_entity.to_vec());
        chain.extend(intermediates.iter().map(|c| c.to_vec()));
        Err(rustls::Error::General("only reading the chain".into()))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// One DER element: its tag, its content and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |len, b| (len << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The next element, when it has `tag`.
fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (found, content, rest) = element(input)?;
    (found == tag).then_some((content, rest))
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;

/// The issuer of a DER certificate (RFC 5280: `Certificate { tbsCertificate { [0] version,
/// serialNumber, signature, issuer, … } }`), its common name, organisation and unit, most
/// specific first: "Acme Inspection CA, Acme Corp". `None` when it cannot be read.
pub fn issuer_name(der: &[u8]) -> Option<String> {
    let (certificate, _) = expect(der, SEQUENCE)?;
    let (tbs, _) = expect(certificate, SEQUENCE)?;
    let mut rest = tbs;
    if let Some((0xa0, _, after)) = element(rest) {
        rest = after;
    }
    let (_serial, rest) = expect(rest, 0x02)?;
    let (_algorithm, rest) = expect(rest, SEQUENCE)?;
    let (mut names, _) = expect(rest, SEQUENCE)?;
    let mut parts: Vec<(u8, String)> = Vec::new();
    while !names.is_empty() {
        let (mut set, after) = expect(names, SET)?;
        names = after;
        while !set.is_empty() {
            let (attribute, after) = expect(set, SEQUENCE)?;
            set = after;
            let (oid, value) = expect(attribute, 0x06)?;
            let (kind, text, _) = element(value)?;
            // CN, O, OU; shown in that order.
            let rank = match oid {
                [0x55, 0x04, 0x03] => 0,
                [0x55, 0x04, 0x0a] => 1,
                [0x55, 0x04, 0x0b] => 2,
                _ => continue,
            };
            let text = match kind {
                // UTF8String, PrintableString, IA5String, TeletexString (read as Latin-1).
                0x0c | 0x13 | 0x16 => String::from_utf8_lossy(text).into_owned(),
                0x14 => text.iter().map(|b| char::from(*b)).collect(),
                // BMPString: UTF-16, big-endian.
                0x1e => char::decode_utf16(
                    text.chunks(2)
                        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])),
                )
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect(),
                _ => continue,
            };
            parts.push((rank, text));
        }
    }
    parts.sort_by_key(|(rank, _)| *rank);
    let named: Vec<String> = parts.into_iter().map(|(_, text)| text).collect();
    (!named.is_empty()).then(|| named.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate's DER, from the PEM in `tests/fixtures/tls`.
    fn der(file: &str) -> Vec<u8> {
        use base64::Engine;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tls")
            .join(file);
        let pem = std::fs::read_to_string(path).unwrap_or_default();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default()
    }

    #[test]
    fn the_issuer_of_a_certificate_is_read_from_its_der() {
        assert_eq!(
            issuer_name(&der("server.pem")).as_deref(),
            Some("ttydesk test CA")
        );
        assert_eq!(
            issuer_name(&der("ca.pem")).as_deref(),
            Some("ttydesk test CA")
        );
    }

    #[test]
    fn a_broken_certificate_has_no_issuer_and_never_panics() {
        let good = der("server.pem");
        assert!(!good.is_empty());
        assert_eq!(issuer_name(&[]), None);
        assert_eq!(issuer_name(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        for cut in 0..good.len().min(400) {
            let _ = issuer_name(&good[..cut]);
        }
        for at in 0..good.len().min(400) {
            let mut bad = good.clone();
            bad[at] ^= 0xff;
            let _ = issuer_name(&bad);
        }
    }

    #[test]
    fn the_route_follows_the_proxy_variables_as_reqwest_does() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(route("h.example", &env(&[])), Route::Direct);
        assert_eq!(
            route("h.example", &env(&[("https_proxy", "proxy:3128")])),
            Route::Tunnel {
                address: "proxy:3128".into(),
                authorization: None
            }
        );
        let Route::Tunnel { authorization, .. } = route(
            "h.example",
            &env(&[("HTTPS_PROXY", "http://agent:p%40ss@proxy:8080")]),
        ) else {
            panic!("a tunnel");
        };
        // agent:p@ss
        assert_eq!(authorization.as_deref(), Some("Basic YWdlbnQ6cEBzcw=="));
        for no_proxy in ["*", "h.example", ".example", "other, example"] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([
                ("HTTPS_PROXY", "http://proxy:3128"),
                ("NO_PROXY", no_proxy),
            ]));
            assert_eq!(route("h.example", &env(pairs)), Route::Direct, "{no_proxy}");
        }
        assert_ne!(
            route(
                "h.example",
                &env(&[("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "ample")])
            ),
            Route::Direct
        );
        assert_eq!(
            route("h.example", &env(&[("ALL_PROXY", "socks5://proxy:1080")])),
            Route::Other
        );
    }

    #[test]
    fn names_are_shown_most_specific_first() {
        // issuer: C=DE, O=Acme Corp, CN=Acme Inspection CA, built by hand.
        let atv = |oid: u8, text: &str| {
            let mut v = vec![0x06, 3, 0x55, 0x04, oid, 0x0c, text.len() as u8];
            v.extend_from_slice(text.as_bytes());
            let mut seq = vec![SEQUENCE, v.len() as u8];
            seq.extend(v);
            let mut set = vec![SET, seq.len() as u8];
            set.extend(seq);
            set
        };
        let mut name: Vec<u8> = Vec::new();
        for (oid, text) in [
            (0x06, "DE"),
            (0x0a, "Acme Corp"),
            (0x03, "Acme Inspection CA"),
        ] {
            name.extend(atv(oid, text));
        }
        let wrap = |tag: u8, content: Vec<u8>| {
            let mut v = vec![tag, content.len() as u8];
            v.extend(content);
            v
        };
        let mut tbs = vec![0x02, 1, 7];
        tbs.extend(wrap(SEQUENCE, vec![0x06, 1, 1]));
        tbs.extend(wrap(SEQUENCE, name));
        let cert = wrap(SEQUENCE, wrap(SEQUENCE, tbs));
        assert_eq!(
            issuer_name(&cert).as_deref(),
            Some("Acme Inspection CA, Acme Corp")
        );
    }
}
