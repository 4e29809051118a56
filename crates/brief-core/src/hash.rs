//! Stable hashes: SHA-256 for what a person or a state file compares, and a
//! small FNV-1a (128 bit) for font fingerprints, subset tags and the PDF trailer /ID.

/// FNV-1a over 128 bits: stable across processes, platforms and versions,
/// which `std`'s hashers do not promise.
#[derive(Clone, Copy)]
pub struct Fnv128(u128);

impl Default for Fnv128 {
    fn default() -> Self {
        Self::new()
    }
}

const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

impl Fnv128 {
    /// The empty hash.
    pub fn new() -> Self {
        Fnv128(OFFSET)
    }

    /// Feeds bytes.
    pub fn bytes(mut self, data: &[u8]) -> Self {
        for &b in data {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
        self
    }

    /// Feeds a number.
    pub fn u128(self, n: u128) -> Self {
        self.bytes(&n.to_le_bytes())
    }

    /// The digest.
    pub fn finish(self) -> u128 {
        self.0
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::Fnv128;

    #[test]
    fn known_vectors() {
        // Published FNV-1a 128 test vectors.
        assert_eq!(Fnv128::new().finish(), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(Fnv128::new().bytes(b"a").finish(), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
