//! TLS for the mail servers we connect to (IMAP, SMTP): rustls with the ring provider lettre
//! uses too, trusting the web PKI's roots and, when configured (`CYBERCENTER_MAIL_CA_FILE`), a
//! company's own certificate authority (an internal mail server, or the tests' throwaway one).

use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// The trust for mail servers: the web PKI plus the extra authorities, if any.
#[derive(Clone, Default)]
pub struct MailTls {
    /// The extra authorities as PEM (lettre's STARTTLS takes them in this form).
    pem: Option<Arc<Vec<u8>>>,
    extra: Arc<Vec<CertificateDer<'static>>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("CYBERCENTER_MAIL_CA_FILE holds no PEM certificate that can be read: {0}")]
pub struct CaError(pub String);

impl MailTls {
    /// Trusts the certificates in `pem` besides the web PKI's roots.
    pub fn with_authorities(pem: &[u8]) -> Result<MailTls, CaError> {
        let extra = CertificateDer::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(|e| CaError(e.to_string()))?;
        if extra.is_empty() {
            return Err(CaError("no certificate in it".into()));
        }
        Ok(MailTls { pem: Some(Arc::new(pem.to_vec())), extra: Arc::new(extra) })
    }

    fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        // each was parsed above; one the verifier cannot use is left out (and fails the handshake it was meant for)
        let _ = roots.add_parsable_certificates(self.extra.iter().cloned());
        roots
    }

    /// A connector for implicit TLS and IMAP's STARTTLS.
    pub fn connector(&self) -> tokio_rustls::TlsConnector {
        let config = ClientConfig::builder_with_provider(Arc::new(tokio_rustls::rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(self.roots()).with_no_client_auth());
        match config {
            Ok(c) => tokio_rustls::TlsConnector::from(Arc::new(c)),
            // ring offers the default versions, so this does not happen; were it to, the
            // process-wide default provider is the same ring
            Err(_) => tokio_rustls::TlsConnector::from(Arc::new(ClientConfig::builder().with_root_certificates(self.roots()).with_no_client_auth())),
        }
    }

    /// lettre's parameters for SMTP's STARTTLS with `host`.
    pub fn smtp_parameters(&self, host: &str) -> Result<lettre::transport::smtp::client::TlsParameters, lettre::transport::smtp::Error> {
        let mut builder = lettre::transport::smtp::client::TlsParameters::builder(host.to_string());
        if let Some(pem) = &self.pem {
            builder = builder.add_root_certificate(lettre::transport::smtp::client::Certificate::from_pem(pem)?);
        }
        builder.build_rustls()
    }
}
