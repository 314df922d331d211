use std::collections::BTreeSet;

use super::*;

/// Every file that names messages: the templates, and the Rust that builds their views.
const SOURCES: [(&str, &str); 13] = [
    ("base.html", include_str!("../templates/base.html")),
    ("summary.html", include_str!("../templates/summary.html")),
    (
        "countdown.html",
        include_str!("../templates/countdown.html"),
    ),
    ("choose.html", include_str!("../templates/choose.html")),
    ("pay.html", include_str!("../templates/pay.html")),
    ("sandbox.html", include_str!("../templates/sandbox.html")),
    ("status.html", include_str!("../templates/status.html")),
    ("pages.rs", include_str!("../pages.rs")),
    ("outcomes.rs", include_str!("../outcomes.rs")),
    ("sandbox.rs", include_str!("../sandbox.rs")),
    ("form.rs", include_str!("../form.rs")),
    ("format.rs", include_str!("../format.rs")),
    ("i18n.rs", include_str!("../i18n.rs")),
];

/// Keys passed around as values rather than looked up in place (`t.get(field.label_key())`).
const KEY_PREFIXES: [&str; 6] = ["title_", "err_", "field_", "hint_", "test_card_", "failed_"];

/// The string literal right after each `call` in `text`, allowing whitespace after the `(`.
fn literals_after<'a>(text: &'a str, call: &str, out: &mut BTreeSet<&'a str>) {
    for (i, _) in text.match_indices(call) {
        let rest = text[i + call.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('"') {
            if let Some(end) = rest.find('"') {
                out.insert(&rest[..end]);
            }
        }
    }
}

fn used_keys() -> BTreeSet<&'static str> {
    let mut keys = BTreeSet::new();
    for (name, text) in SOURCES {
        // Unit tests look up missing keys on purpose.
        let text = text.split("#[cfg(test)]").next().unwrap_or(text);
        for call in ["t.get(", "t.fmt(", "self.get("] {
            literals_after(text, call, &mut keys);
        }
        if name.ends_with(".rs") {
            for literal in text.split('"').skip(1).step_by(2) {
                let is_key = literal.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                if is_key && KEY_PREFIXES.iter().any(|p| literal.starts_with(p)) {
                    keys.insert(literal);
                }
            }
        }
    }
    keys
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_key_has_all_three_languages_with_the_same_placeholders() {
    let mut seen = BTreeSet::new();
    for (key, texts) in TABLES.iter().flat_map(|t| t.iter()) {
        assert!(seen.insert(*key), "{key} is defined twice");
        for (lang, text) in ["es", "en", "pt"].iter().zip(texts) {
            assert!(!text.trim().is_empty(), "{key} has no {lang} text");
            assert!(
                !text.contains('<'),
                "{key} ({lang}): messages are text, not markup"
            );
            assert_eq!(
                placeholders(text),
                placeholders(texts[0]),
                "{key} ({lang}) must use the same placeholders as Spanish"
            );
        }
    }
}

#[test]
fn every_key_in_use_exists_and_every_key_is_in_use() {
    let used = used_keys();
    let defined: BTreeSet<&str> = TABLES
        .iter()
        .flat_map(|t| t.iter())
        .map(|(k, _)| *k)
        .collect();
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(
        missing.is_empty(),
        "used but not in the catalogue: {missing:?}"
    );
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "in the catalogue but never used: {unused:?}"
    );
    assert!(lookup("pay_button").is_some() && lookup("nope").is_none());
}
