//! TLS for the mail servers we connect to (IMAP, and SMTP with implicit TLS): rustls with the
//! ring provider lettre uses too, and the web PKI's roots.

use std::sync::Arc;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

fn roots() -> RootCertStore {
    RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() }
}

pub fn connector() -> tokio_rustls::TlsConnector {
    let config = ClientConfig::builder_with_provider(Arc::new(tokio_rustls::rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots()).with_no_client_auth());
    match config {
        Ok(c) => tokio_rustls::TlsConnector::from(Arc::new(c)),
        // ring offers the default versions, so this does not happen; were it to, the process-wide
        // default provider is the same ring
        Err(_) => tokio_rustls::TlsConnector::from(Arc::new(ClientConfig::builder().with_root_certificates(roots()).with_no_client_auth())),
    }
}
