//! Signed PDFs: a PAdES baseline B-B signature (ETSI EN 319 142-1) added to a
//! finished PDF as an incremental update, and `brief verify`'s checks.
//!
//! The signature is a detached CMS SignedData over SHA-256 with the
//! content-type, message-digest and signing-certificate-v2 signed attributes
//! (no signing-time: PAdES B-B puts the time in the signature dictionary's
//! `/M`), in an invisible signature field tagged as a `Form`, so the signed
//! file stays PDF/A-2 and PDF/UA-1. RSA (PKCS#1 v1.5) and ECDSA P-256
//! (RFC 6979 nonces) keys are both deterministic: signing the same PDF twice
//! gives the same bytes.

mod cms_sig;
mod keys;
mod update;
pub mod verify;

use brief_core::diag::Diagnostic;

pub use keys::Signer;
pub use verify::{Report, Signature, Verdict, verify};

/// Most bytes of a key, certificate or PKCS#12 file read.
pub const MAX_KEY_FILE: u64 = 1 << 20;

/// Signs a finished PDF: the same bytes, then an incremental update with the
/// signature field and its signature. `Err` names what stops it (a PDF this
/// module cannot extend, a key that cannot sign).
pub fn sign(pdf: &[u8], signer: &Signer) -> Result<Vec<u8>, Diagnostic> {
    update::sign(pdf, signer).map_err(|e| {
        Diagnostic::error(signer.origin(), format!("cannot sign the PDF: {e}"))
            .hint("the key and certificate must be usable for signing (RSA or ECDSA P-256)")
    })
}
