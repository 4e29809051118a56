//! The signer: a private key and its certificate (and chain), read from a
//! PKCS#12 file or from PEM key and certificate files, checked to belong together.

use std::io::Read;
use std::path::Path;

use brief_core::diag::Diagnostic;
use der::{Decode, Encode};
use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::pkcs1::DecodeRsaPrivateKey;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// A private key able to sign.
pub(crate) enum Key {
    /// RSA, signed with PKCS#1 v1.5 (deterministic).
    Rsa(Box<rsa::PrivateKey>),
    /// ECDSA on P-256, with RFC 6979 deterministic nonces.
    P256(Box<p256::ecdsa::SigningKey>),
}

/// Who signs: the key, its certificate first, then the rest of its chain.
pub struct Signer {
    pub(crate) key: Key,
    pub(crate) certs: Vec<Certificate>,
    origin: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("origin", &self.origin).finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(crate::MAX_KEY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read it: {e}")))?;
    if bytes.len() as u64 > crate::MAX_KEY_FILE {
        return Err(Diagnostic::error(&name, "too large for a key or certificate file")
            .expected(format!("at most {} bytes", crate::MAX_KEY_FILE)));
    }
    Ok(bytes)
}

impl Signer {
    /// Reads a PKCS#12 file (`.p12`, `.pfx`) holding one key and its chain.
    pub fn from_p12(path: &Path, password: &str) -> Result<Self, Diagnostic> {
        let name = path.display().to_string();
        let bytes = read(path)?;
        let store = p12_keystore::KeyStore::from_pkcs12(
            &bytes,
            password,
            p12_keystore::Pkcs12ImportPolicy::Strict,
        )
        .map_err(|e| {
            Diagnostic::error(&name, format!("cannot open the PKCS#12 file: {e}"))
                .hint("is BRIEF_SIGN_PASSWORD its password?")
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            Diagnostic::error(&name, "the PKCS#12 file holds no private key with its certificate")
        })?;
        let key = key_from_pkcs8(chain.key().as_der()).ok_or_else(|| unsupported_key(&name))?;
        let mut certs = Vec::new();
        for cert in chain.certs() {
            certs.push(Certificate::from_der(cert.as_der()).map_err(|e| {
                Diagnostic::error(&name, format!("cannot read a certificate in it: {e}"))
            })?);
        }
        Signer::new(key, certs, name)
    }

    /// Reads a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
    /// and a PEM certificate file (the signer's certificate, then optionally
    /// its chain).
    pub fn from_pem(key_path: &Path, cert_path: &Path) -> Result<Self, Diagnostic> {
        let key_name = key_path.display().to_string();
        let cert_name = cert_path.display().to_string();
        let key_bytes = read(key_path)?;
        let text = String::from_utf8_lossy(&key_bytes);
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(Diagnostic::error(&key_name, "the key is encrypted")
                .hint("give a PKCS#12 file with --sign and its password in BRIEF_SIGN_PASSWORD"));
        }
        let key = rsa::PrivateKey::from_pkcs8_pem(&text)
            .ok()
            .map(|k| Key::Rsa(Box::new(k)))
            .or_else(|| rsa::PrivateKey::from_pkcs1_pem(&text).ok().map(|k| Key::Rsa(Box::new(k))))
            .or_else(|| {
                p256::ecdsa::SigningKey::from_pkcs8_pem(&text).ok().map(|k| Key::P256(Box::new(k)))
            })
            .or_else(|| {
                p256::SecretKey::from_sec1_pem(&text)
                    .ok()
                    .map(|k| Key::P256(Box::new(p256::ecdsa::SigningKey::from(k))))
            })
            .ok_or_else(|| unsupported_key(&key_name))?;
        let certs = Certificate::load_pem_chain(&read(cert_path)?).map_err(|e| {
            Diagnostic::error(&cert_name, format!("cannot read the certificate: {e}"))
                .expected("PEM certificates (-----BEGIN CERTIFICATE-----)")
        })?;
        Signer::new(key, certs, format!("{key_name} and {cert_name}"))
    }

    /// Puts the certificate of `key` first; refuses a key without one.
    fn new(key: Key, mut certs: Vec<Certificate>, origin: String) -> Result<Self, Diagnostic> {
        let public = match &key {
            Key::Rsa(k) => k.to_public_key().to_public_key_der().map(|d| d.to_vec()),
            Key::P256(k) => k.verifying_key().to_public_key_der().map(|d| d.to_vec()),
        }
        .map_err(|e| Diagnostic::error(&origin, format!("cannot read the public key: {e}")))?;
        let mine = certs.iter().position(|c| {
            c.tbs_certificate().subject_public_key_info().to_der().is_ok_and(|d| d == public)
        });
        let Some(at) = mine else {
            return Err(Diagnostic::error(&origin, "no certificate matches the private key")
                .hint("give the certificate issued for this key"));
        };
        let leaf = certs.remove(at);
        certs.insert(0, leaf);
        Ok(Signer { key, certs, origin })
    }

    /// Where the key came from, for diagnostics.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The signer's common name (or whole subject when it has none).
    pub fn name(&self) -> String {
        crate::verify::common_name(&self.certs[0])
    }

    /// SHA-256 of the signer's certificate, hex: what a build records so
    /// that signing with another key (or not at all) rebuilds.
    pub fn fingerprint(&self) -> String {
        let der = self.certs[0].to_der().unwrap_or_default();
        Sha256::digest(der).iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn key_from_pkcs8(der: &[u8]) -> Option<Key> {
    rsa::PrivateKey::from_pkcs8_der(der).ok().map(|k| Key::Rsa(Box::new(k))).or_else(|| {
        p256::ecdsa::SigningKey::from_pkcs8_der(der).ok().map(|k| Key::P256(Box::new(k)))
    })
}

fn unsupported_key(name: &str) -> Diagnostic {
    Diagnostic::error(name, "cannot read the private key")
        .expected("an unencrypted RSA or ECDSA P-256 key in PEM (PKCS#8, PKCS#1 or SEC1)")
}
