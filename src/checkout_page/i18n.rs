//! The page's languages: Spanish (the default), English and Portuguese. A `?lang=` override
//! wins and is carried through the flow; otherwise `Accept-Language` decides, q-values and all.
//! The words themselves live in `catalogue.rs`, one row per message with all three languages.

use crate::checkout_page::catalogue;
use crate::domain::payment_method::PaymentMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
    Pt,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Es, Lang::En, Lang::Pt];
    pub const DEFAULT: Lang = Lang::Es;

    /// The ISO 639-1 code, as used in `?lang=` and the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }

    /// The language's own name, for the language switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
            Lang::Pt => "Português",
        }
    }

    /// A `?lang=` value: exactly one of the three codes, any case. Anything else is ignored
    /// rather than an error, so a stale or hand-typed link still opens the page.
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The best language for an `Accept-Language` header (RFC 9110 §12.5.4): the supported
    /// primary subtag with the highest q-value, earlier entries winning ties; `q=0` means "not
    /// this one"; `*` stands for the default. No header, or no match, gives the default.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let mut best: Option<(u16, Lang)> = None;
        for entry in header.unwrap_or("").split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .map_or(Some(1000), parse_q);
            let Some(q) = q.filter(|q| *q > 0) else {
                continue;
            };
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let lang = if primary == "*" {
                Some(Lang::DEFAULT)
            } else {
                Lang::parse(primary)
            };
            if let Some(lang) = lang {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map_or(Lang::DEFAULT, |(_, l)| l)
    }
}

/// A q-value in thousandths (`"0.8"` → 800), integers only; `None` when malformed, which
/// drops the entry rather than guessing.
fn parse_q(raw: &str) -> Option<u16> {
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

/// The message lookup for one language, handed to every template as `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T {
    pub lang: Lang,
}

impl T {
    pub fn new(lang: Lang) -> T {
        T { lang }
    }

    /// The message `key` in this language. A missing key shows itself, so a slip is visible on
    /// the page; the catalogue test makes sure no template or handler uses one.
    pub fn get(&self, key: &str) -> &'static str {
        let index = match self.lang {
            Lang::Es => 0,
            Lang::En => 1,
            Lang::Pt => 2,
        };
        catalogue::lookup(key).map_or("[missing message]", |texts| texts[index])
    }

    /// The message with each `{name}` replaced by its value.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        args.iter()
            .fold(self.get(key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// How a payment method is called: CARD and CRYPTO are described, the rest are brands.
    pub fn method(&self, method: PaymentMethod) -> &'static str {
        use PaymentMethod as M;
        match method {
            M::Card => self.get("method_card"),
            M::Crypto => self.get("method_crypto"),
            M::Pix => "PIX",
            M::Pct => "PCT",
            M::Cvu => "CVU",
            M::Etpay => "ETpay",
            M::Fintoc => "Fintoc",
            M::Webpay => "Webpay",
            M::Spei => "SPEI",
            M::Pse => "PSE",
            M::Bancolombia => "Bancolombia",
            M::Davivienda => "Davivienda",
            M::Daviplata => "Daviplata",
            M::Nequi => "Nequi",
            M::Wompi => "Wompi",
            M::Ligo => "Ligo",
            M::Sip => "SIP",
            M::Ach => "ACH",
            M::Fednow => "FedNow",
            M::Rtp => "RTP",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_takes_exact_codes_only() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("PT"), Some(Lang::Pt));
        assert_eq!(Lang::parse("pt-BR"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn accept_language_respects_q_values() {
        let n = |h: &str| Lang::negotiate(Some(h));
        assert_eq!(Lang::negotiate(None), Lang::Es);
        assert_eq!(n(""), Lang::Es);
        assert_eq!(n("pt-BR,pt;q=0.9,en;q=0.8"), Lang::Pt);
        assert_eq!(n("fr-FR, en;q=0.5, pt;q=0.7"), Lang::Pt);
        assert_eq!(n("en;q=0.2, es;q=0.9"), Lang::Es);
        assert_eq!(n("de, en-US;q=0.3"), Lang::En);
        // Ties go to the earlier entry; q=0 rules a language out.
        assert_eq!(n("en;q=0.5, pt;q=0.5"), Lang::En);
        assert_eq!(n("en;q=0, pt;q=0.1"), Lang::Pt);
        // Nothing supported, a wildcard, or garbage: the default.
        assert_eq!(n("fr, de;q=0.9"), Lang::Es);
        assert_eq!(n("*"), Lang::Es);
        assert_eq!(n("en;q=abc"), Lang::Es);
        assert_eq!(n("en;q=1.5, pt;q=0.1"), Lang::Pt);
        assert_eq!(n("EN-gb"), Lang::En, "language tags are case-insensitive");
        assert_eq!(n("en_GB"), Lang::En);
    }

    #[test]
    fn q_values_parse_as_thousandths() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("0.8"), Some(800));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("0"), Some(0));
        for bad in ["1.1", "0.1234", "2", "-1", "", ".5", "0.x"] {
            assert_eq!(parse_q(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn messages_fill_their_placeholders() {
        let t = T::new(Lang::Pt);
        assert_eq!(t.fmt("minutes_left", &[("n", "7")]), "restam 7 minutos");
        assert_eq!(t.get("no-such-key"), "[missing message]");
        assert_eq!(
            T::new(Lang::En).method(PaymentMethod::Card),
            "Credit or debit card"
        );
    }
}
