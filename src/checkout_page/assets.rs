//! The page's static files, compiled into the binary and served under `/c/assets/…`: no CDN,
//! no external fonts, nothing fetched from anywhere else.
//!
//! Links carry a hash of the content (`?v=…`), so the files can be cached for a year and a new
//! build is still picked up at once.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "checkout.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("assets/checkout.css"),
    },
    Asset {
        name: "checkout.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("assets/checkout.js"),
    },
    Asset {
        name: "logo.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("assets/logo.svg"),
    },
];

fn find(name: &str) -> Option<(usize, &'static Asset)> {
    ASSETS.iter().enumerate().find(|(_, a)| a.name == name)
}

/// The link to an asset, with its content hash.
pub fn href(name: &str) -> String {
    static VERSIONS: OnceLock<Vec<String>> = OnceLock::new();
    let versions = VERSIONS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| hex::encode(&Sha256::digest(a.body)[..6]))
            .collect()
    });
    match find(name) {
        Some((i, a)) => format!("/c/assets/{}?v={}", a.name, versions[i]),
        None => format!("/c/assets/{name}"),
    }
}

/// `GET /c/assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    let Some((_, asset)) = find(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = asset.body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_a_content_hash() {
        let css = href("checkout.css");
        assert!(css.starts_with("/c/assets/checkout.css?v="), "{css}");
        assert_eq!(css.len(), "/c/assets/checkout.css?v=".len() + 12);
        assert_eq!(href("checkout.css"), css, "stable");
    }

    #[test]
    fn no_script_or_style_is_fetched_from_elsewhere() {
        for a in ASSETS.iter().filter(|a| a.name != "logo.svg") {
            let text = String::from_utf8_lossy(a.body);
            for remote in ["http://", "https://", "@import", "//fonts."] {
                assert!(!text.contains(remote), "{} mentions {remote}", a.name);
            }
        }
    }
}
