//! The HTML escaper of the page's templates (askama.toml points here): askama's own five
//! characters, written as named entities (`&lt;script&gt;`) rather than numeric ones, so the
//! page source reads the way people and reviewers expect.

use std::fmt;

use askama::filters::Escaper;

#[derive(Debug, Clone, Copy)]
pub struct Html;

impl Escaper for Html {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let mut done = 0;
        for (i, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&text[done..i])?;
            dest.write_str(entity)?;
            done = i + 1;
        }
        dest.write_str(&text[done..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(text: &str) -> String {
        let mut out = String::new();
        Html.write_escaped_str(&mut out, text)
            .expect("writes to a String");
        out
    }

    #[test]
    fn markup_and_quotes_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("Café de grano 1kg"), "Café de grano 1kg");
        assert_eq!(escape(""), "");
    }
}
