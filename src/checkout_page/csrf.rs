//! The CSRF token on every form of the page: HMAC-SHA256, under the key that signs access
//! tokens, of `"csrf:" + publicToken`, compared in constant time.
//!
//! Bound to the session rather than to a cookie: the page sets no cookies at all, and the
//! public token is what grants access to the page anyway. What the token stops is another site
//! posting a form to the page: it cannot read the page, so it cannot learn the token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use crate::auth::jwt::TokenSigner;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";

pub fn token(signer: &TokenSigner, public_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(signer, public_token))
}

/// Whether `given` is this session's token. A missing, malformed or foreign token is false.
pub fn verify(signer: &TokenSigner, public_token: &str, given: Option<&str>) -> bool {
    let Some(decoded) = given.and_then(|g| URL_SAFE_NO_PAD.decode(g).ok()) else {
        return false;
    };
    let expected = mac(signer, public_token);
    decoded.len() == expected.len() && bool::from(decoded.ct_eq(&expected))
}

fn mac(signer: &TokenSigner, public_token: &str) -> [u8; 32] {
    signer.hmac(format!("csrf:{public_token}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_for_its_session_and_key() {
        let signer = TokenSigner::new(b"key");
        let t = token(&signer, "pub-1");
        assert!(verify(&signer, "pub-1", Some(&t)));
        assert!(!verify(&signer, "pub-2", Some(&t)), "another session");
        assert!(
            !verify(&TokenSigner::new(b"other"), "pub-1", Some(&t)),
            "another key"
        );
        assert!(!verify(&signer, "pub-1", None), "missing");
        assert!(!verify(&signer, "pub-1", Some("")), "empty");
        assert!(!verify(&signer, "pub-1", Some("!!not base64")), "malformed");
        assert!(
            !verify(&signer, "pub-1", Some(&t[..t.len() - 2])),
            "truncated"
        );
    }

    #[test]
    fn the_token_is_the_hmac_of_the_prefixed_public_token() {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"key").expect("any key");
        mac.update(b"csrf:pub-1");
        let expected = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        assert_eq!(token(&TokenSigner::new(b"key"), "pub-1"), expected);
    }
}
