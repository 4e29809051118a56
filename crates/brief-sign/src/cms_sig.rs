//! The detached CMS SignedData of a PAdES B-B signature, made and checked
//! with RustCrypto's `cms` and `x509-cert` types.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::oid::db::{rfc5911, rfc5912};
use der::{Any, Decode, Encode, Sequence};
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::keys::{Key, Signer};

/// ESS SigningCertificateV2 (RFC 5035): binds the signer's certificate to the
/// signature. `policies` is never written and ignored when read.
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// ESSCertIDv2; `hashAlgorithm` defaults to SHA-256 and DER leaves the default out.
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// IssuerSerial (RFC 5035).
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

type Error = String;

fn e(what: &str) -> impl Fn(der::Error) -> Error + '_ {
    move |err| format!("{what}: {err}")
}

fn attribute(oid: der::oid::ObjectIdentifier, value: &impl Encode) -> Result<Attribute, Error> {
    let value = Any::from_der(&value.to_der().map_err(e("attribute"))?).map_err(e("attribute"))?;
    let values = SetOfVec::try_from(vec![value]).map_err(e("attribute"))?;
    Ok(Attribute { oid, values })
}

fn sha256_id() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid: rfc5912::ID_SHA_256, parameters: None }
}

/// The DER of a detached SignedData over `digest` (SHA-256 of the signed bytes).
pub(crate) fn build(digest: &[u8], signer: &Signer) -> Result<Vec<u8>, Error> {
    let cert = &signer.certs[0];
    let tbs = cert.tbs_certificate();
    let cert_der = cert.to_der().map_err(e("certificate"))?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(&cert_der).to_vec())
                .map_err(e("certificate hash"))?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            }),
        }],
        policies: None,
    };
    let attrs = vec![
        attribute(rfc5911::ID_CONTENT_TYPE, &rfc5911::ID_DATA)?,
        attribute(
            rfc5911::ID_MESSAGE_DIGEST,
            &OctetString::new(digest.to_vec()).map_err(e("digest"))?,
        )?,
        attribute(rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2, &ess)?,
    ];
    let signed_attrs = SetOfVec::try_from(attrs).map_err(e("signed attributes"))?;
    let to_sign = Sha256::digest(signed_attrs.to_der().map_err(e("signed attributes"))?);
    let (signature, algorithm) = match &signer.key {
        Key::Rsa(k) => (
            k.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &to_sign)
                .map_err(|err| format!("RSA signing failed: {err}"))?,
            AlgorithmIdentifierOwned {
                oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(Any::null()),
            },
        ),
        Key::P256(k) => {
            let sig: p256::ecdsa::Signature =
                k.sign_prehash(&to_sign).map_err(|err| format!("ECDSA signing failed: {err}"))?;
            (
                sig.to_der().as_bytes().to_vec(),
                AlgorithmIdentifierOwned { oid: rfc5912::ECDSA_WITH_SHA_256, parameters: None },
            )
        }
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: sha256_id(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: algorithm,
        signature: OctetString::new(signature).map_err(e("signature"))?,
        unsigned_attrs: None,
    };
    let certs = signer
        .certs
        .iter()
        .map(|c| cms::cert::CertificateChoices::Certificate(c.clone()))
        .collect::<Vec<_>>();
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_id()]).map_err(e("digests"))?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(e("certificates"))?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![info]).map_err(e("signer"))?),
    };
    let info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&signed).map_err(e("signed data"))?,
    };
    info.to_der().map_err(e("content info"))
}

/// What a good signature says about its signer.
pub(crate) struct Checked {
    /// The signer's certificate.
    pub(crate) cert: Certificate,
}

/// Checks a SignedData (`cms`, possibly followed by the zero padding of its
/// placeholder) against `digest`: the message-digest attribute, the
/// signing-certificate-v2 binding and the signature over the attributes.
pub(crate) fn check(cms: &[u8], digest: &[u8]) -> Result<Checked, Error> {
    let mut reader = der::SliceReader::new(cms).map_err(e("CMS"))?;
    let info = ContentInfo::decode(&mut reader).map_err(e("not a CMS structure"))?;
    if info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err("the CMS structure is not SignedData".into());
    }
    let signed: SignedData = info.content.decode_as().map_err(e("SignedData"))?;
    if signed.encap_content_info.econtent.is_some() {
        return Err("the signature is not detached".into());
    }
    let infos: Vec<&SignerInfo> = signed.signer_infos.0.iter().collect();
    let [info] = infos.as_slice() else {
        return Err(format!("{} signers in one signature; expected one", infos.len()));
    };
    if info.digest_alg.oid != rfc5912::ID_SHA_256 {
        return Err(format!("digest algorithm {} is not SHA-256", info.digest_alg.oid));
    }
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &info.sid else {
        return Err("the signer is named by key identifier; expected issuer and serial".into());
    };
    let certs =
        signed.certificates.as_ref().map(|s| s.0.iter().collect::<Vec<_>>()).unwrap_or_default();
    let cert = certs
        .iter()
        .find_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c)
                if c.tbs_certificate().issuer() == &sid.issuer
                    && c.tbs_certificate().serial_number() == &sid.serial_number =>
            {
                Some(c.clone())
            }
            _ => None,
        })
        .ok_or("the signer's certificate is not in the signature")?;
    let attrs = info.signed_attrs.as_ref().ok_or("no signed attributes")?;
    let find = |oid| attrs.iter().find(|a| a.oid == oid).and_then(|a| a.values.get(0));
    let md = find(rfc5911::ID_MESSAGE_DIGEST).ok_or("no message-digest attribute")?;
    let md: OctetString = md.decode_as().map_err(e("message-digest"))?;
    if md.as_bytes() != digest {
        return Err("the document was changed after signing: its digest does not match".into());
    }
    let ct = find(rfc5911::ID_CONTENT_TYPE).ok_or("no content-type attribute")?;
    if ct.decode_as::<der::oid::ObjectIdentifier>().ok() != Some(rfc5911::ID_DATA) {
        return Err("the content-type attribute is not id-data".into());
    }
    let ess = find(rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2)
        .ok_or("no signing-certificate-v2 attribute (required by PAdES)")?;
    let ess: SigningCertificateV2 = ess.decode_as().map_err(e("signing-certificate-v2"))?;
    let first = ess.certs.first().ok_or("an empty signing-certificate-v2 attribute")?;
    if first.hash_algorithm.as_ref().is_some_and(|a| a.oid != rfc5912::ID_SHA_256) {
        return Err("signing-certificate-v2 uses a hash other than SHA-256".into());
    }
    let cert_der = cert.to_der().map_err(e("certificate"))?;
    if first.cert_hash.as_bytes() != Sha256::digest(&cert_der).as_slice() {
        return Err("signing-certificate-v2 names another certificate".into());
    }
    let hashed = Sha256::digest(attrs.to_der().map_err(e("signed attributes"))?);
    let spki = cert.tbs_certificate().subject_public_key_info();
    let spki_der = spki.to_der().map_err(e("public key"))?;
    let sig = info.signature.as_bytes();
    let good = if spki.algorithm.oid == rfc5912::RSA_ENCRYPTION {
        let key = rsa::PublicKey::from_public_key_der(&spki_der)
            .map_err(|err| format!("the RSA public key: {err}"))?;
        key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &hashed, sig).is_ok()
    } else if spki.algorithm.oid == rfc5912::ID_EC_PUBLIC_KEY {
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
            .map_err(|err| format!("the EC public key (P-256 expected): {err}"))?;
        let sig = p256::ecdsa::Signature::from_der(sig)
            .map_err(|err| format!("the ECDSA signature: {err}"))?;
        key.verify_prehash(&hashed, &sig).is_ok()
    } else {
        return Err(format!("unsupported key algorithm {}", spki.algorithm.oid));
    };
    if !good {
        return Err("the signature does not match the signer's key".into());
    }
    Ok(Checked { cert })
}
