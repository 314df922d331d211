//! The page's words in Spanish, English and Portuguese, one table per concern. Each row holds
//! a key and its three texts, so no language can lack a key; the tests below check that every
//! text is there, that placeholders agree across languages, and that every key the templates
//! and handlers use exists (and every key in the tables is used).

mod paying;
mod results;

/// `(key, [es, en, pt])`.
pub type Row = (&'static str, [&'static str; 3]);

const TABLES: [&[Row]; 2] = [paying::MESSAGES, results::MESSAGES];

/// The three texts of `key`.
pub fn lookup(key: &str) -> Option<&'static [&'static str; 3]> {
    TABLES
        .iter()
        .flat_map(|table| table.iter())
        .find(|(k, _)| *k == key)
        .map(|(_, texts)| texts)
}

#[cfg(test)]
mod tests;
