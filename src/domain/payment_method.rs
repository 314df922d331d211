//! Conomy's payment node types, the pay-in subset a checkout accepts, and per method its payer
//! currencies (CONTRACT §4), node key and required node fields (upstream OpenAPI spec).
//!
//! `required_fields` follows one rule, applied by hand to the spec's request-side
//! `node-wrapper` mapping (not `node-wrapper-get`, which describes responses):
//! - Paths are dot-notation rooted at the node key (`pix.data`), as upstream's own
//!   `requiredFields` examples are (`pct.customer.email`). The node key itself is not listed:
//!   choosing the method already means sending its node.
//! - A listed property is in the node's `required` list, after following `$ref`s, `allOf` and
//!   YAML anchors (`&ref_2` → `wallet-wrapper`).
//! - A required property that is an object is listed itself, then its own required children
//!   right after it (depth first, in the spec's `required` order). Required children of an
//!   optional object are not listed: they only bind when the payer sends that object.
//! - If the wrapper does not require its node (only `wompi-wapper`), nothing is required.

use std::fmt;
use std::str::FromStr;

use crate::domain::currency::Currency;

/// A value of upstream's `payment-node-type`: every rail Conomy knows, pay-in or pay-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    Card,
    Crypto,
    Account,
    BankAccount,
    Pix,
    Pct,
    Cvu,
    Etpay,
    Fintoc,
    Webpay,
    Spei,
    Pse,
    Bancolombia,
    Davivienda,
    Daviplata,
    Nequi,
    Breb,
    Wompi,
    Ligo,
    Sip,
    Ach,
    Wire,
    Fednow,
    Rtp,
    Sepa,
    Fpe,
    Swift,
}

impl NodeType {
    /// Every node type, in the upstream enum's order (which error messages repeat).
    #[rustfmt::skip]
    pub const ALL: [NodeType; 27] = {
        use NodeType::*;
        [
            Card, Crypto, Account, BankAccount, Pix, Pct, Cvu, Etpay, Fintoc, Webpay, Spei, Pse,
            Bancolombia, Davivienda, Daviplata, Nequi, Breb, Wompi, Ligo, Sip, Ach, Wire, Fednow,
            Rtp, Sepa, Fpe, Swift,
        ]
    };

    /// Every node type, in the upstream enum's order.
    pub fn all() -> impl Iterator<Item = NodeType> {
        Self::ALL.into_iter()
    }

    /// The upper-case wire value, e.g. `"BANK_ACCOUNT"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::Card => "CARD",
            NodeType::Crypto => "CRYPTO",
            NodeType::Account => "ACCOUNT",
            NodeType::BankAccount => "BANK_ACCOUNT",
            NodeType::Pix => "PIX",
            NodeType::Pct => "PCT",
            NodeType::Cvu => "CVU",
            NodeType::Etpay => "ETPAY",
            NodeType::Fintoc => "FINTOC",
            NodeType::Webpay => "WEBPAY",
            NodeType::Spei => "SPEI",
            NodeType::Pse => "PSE",
            NodeType::Bancolombia => "BANCOLOMBIA",
            NodeType::Davivienda => "DAVIVIENDA",
            NodeType::Daviplata => "DAVIPLATA",
            NodeType::Nequi => "NEQUI",
            NodeType::Breb => "BREB",
            NodeType::Wompi => "WOMPI",
            NodeType::Ligo => "LIGO",
            NodeType::Sip => "SIP",
            NodeType::Ach => "ACH",
            NodeType::Wire => "WIRE",
            NodeType::Fednow => "FEDNOW",
            NodeType::Rtp => "RTP",
            NodeType::Sepa => "SEPA",
            NodeType::Fpe => "FPE",
            NodeType::Swift => "SWIFT",
        }
    }

    /// Parses a wire value. Exact and case-sensitive, as upstream's enum is: `"card"` is
    /// rejected rather than guessed at, so a typo cannot silently pick a rail.
    pub fn parse(value: &str) -> Result<NodeType, UnknownNodeType> {
        Self::all()
            .find(|t| t.as_str() == value)
            .ok_or(UnknownNodeType)
    }
}

impl FromStr for NodeType {
    type Err = UnknownNodeType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeType::parse(s)
    }
}

impl fmt::Display for NodeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value was not one of upstream's 27 node types. Reads after a JSON path:
/// "paymentMethodsAllowed[0] must be one of the payment node types (CARD, ...)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of the payment node types ({})", join(NodeType::all().map(NodeType::as_str)))]
pub struct UnknownNodeType;

/// A real node type that only moves money out, so a payer cannot use it. Reads after a JSON
/// path: "paymentMethodsAllowed[1] is WIRE, a pay-out rail; ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "is {0}, a pay-out rail; a checkout accepts only pay-in methods ({methods})",
    methods = join(PaymentMethod::all().map(PaymentMethod::as_str))
)]
pub struct PayOutOnly(pub NodeType);

fn join(values: impl Iterator<Item = &'static str>) -> String {
    values.collect::<Vec<_>>().join(", ")
}

/// A pay-in method a checkout payer can use (CONTRACT §4). Kept apart from `NodeType` so a
/// session can never hold a pay-out rail once parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentMethod {
    Card,
    Crypto,
    Pix,
    Pct,
    Cvu,
    Etpay,
    Fintoc,
    Webpay,
    Spei,
    Pse,
    Bancolombia,
    Davivienda,
    Daviplata,
    Nequi,
    Wompi,
    Ligo,
    Sip,
    Ach,
    Fednow,
    Rtp,
}

/// Which currencies a payer may pay a method in.
enum Payer {
    /// CARD: the session's currency if fiat, USD for a stablecoin session.
    SessionFiatElseUsd,
    Fixed(&'static [Currency]),
}

/// One method's row: node type, node key, payer currencies, required node fields.
struct Spec(NodeType, &'static str, Payer, &'static [&'static str]);

const CLP: Payer = Payer::Fixed(&[Currency::Clp]);
const COP: Payer = Payer::Fixed(&[Currency::Cop]);
const USD: Payer = Payer::Fixed(&[Currency::Usd]);
const ARS: Payer = Payer::Fixed(&[Currency::Ars]);

impl PaymentMethod {
    /// Every pay-in method, in the upstream enum's order.
    #[rustfmt::skip]
    pub const ALL: [PaymentMethod; 20] = {
        use PaymentMethod::*;
        [
            Card, Crypto, Pix, Pct, Cvu, Etpay, Fintoc, Webpay, Spei, Pse, Bancolombia,
            Davivienda, Daviplata, Nequi, Wompi, Ligo, Sip, Ach, Fednow, Rtp,
        ]
    };

    /// Every pay-in method, in the upstream enum's order.
    pub fn all() -> impl Iterator<Item = PaymentMethod> {
        Self::ALL.into_iter()
    }

    /// The table. A `match` rather than an array so the compiler proves every method has
    /// exactly one row; kept unformatted so it reads as a table. Each comment names the
    /// schema the row was read from. Where a node's `customer` is `$ref` to
    /// `components.schemas.customer`, that schema's only required property is `firstName`.
    #[rustfmt::skip]
    fn spec(self) -> Spec {
        use NodeType as N;
        use PaymentMethod as M;
        match self {
            // card-wrapper requires `card`; its inline node (like schemas.card) requires token.
            M::Card => Spec(N::Card, "card", Payer::SessionFiatElseUsd, &["card.token"]),
            // crypto-wrapper = allOf wallet-wrapper (&ref_2): requires `wallet`, whose inline
            // node (like schemas.wallet) requires address.
            M::Crypto => Spec(N::Crypto, "wallet", Payer::Fixed(&[Currency::Usdc, Currency::Usdt]),
                &["wallet.address"]),
            // pix-wrapper → schemas.pix: requires data, and an inline customer that requires
            // firstName.
            M::Pix => Spec(N::Pix, "pix", Payer::Fixed(&[Currency::Brl]),
                &["pix.data", "pix.customer", "pix.customer.firstName"]),
            // pct-wrapper → schemas.pct: requires customer. (The response-side pct-wrapper6 does
            // not; a payer's payment is a request, so the request schema wins.)
            M::Pct => Spec(N::Pct, "pct", ARS, &["pct.customer", "pct.customer.firstName"]),
            // cvu-wrapper requires `cvu`, but its inline node has no `required` list.
            M::Cvu => Spec(N::Cvu, "cvu", ARS, &[]),
            // etpay-wapper (sic) requires `etpay`, but schemas.etpay has no `required` list.
            M::Etpay => Spec(N::Etpay, "etpay", CLP, &[]),
            // fintoc-wrapper requires `fintoc`, but its inline node has no `required` list.
            M::Fintoc => Spec(N::Fintoc, "fintoc", CLP, &[]),
            // webpay-wrapper: inline node requires customer.
            M::Webpay => Spec(N::Webpay, "webpay", CLP,
                &["webpay.customer", "webpay.customer.firstName"]),
            // spei-wrapper: inline node requires customer; `clabe` is "required for pay-out" in
            // prose only, and this is pay-in.
            M::Spei => Spec(N::Spei, "spei", Payer::Fixed(&[Currency::Mxn]),
                &["spei.customer", "spei.customer.firstName"]),
            // pse-wrapper: inline node requires bankId and customer.
            M::Pse => Spec(N::Pse, "pse", COP,
                &["pse.bankId", "pse.customer", "pse.customer.firstName"]),
            // bancolombia-wrapper: inline node requires customer.
            M::Bancolombia => Spec(N::Bancolombia, "bancolombia", COP,
                &["bancolombia.customer", "bancolombia.customer.firstName"]),
            // davivienda-wrapper: inline node requires customer.
            M::Davivienda => Spec(N::Davivienda, "davivienda", COP,
                &["davivienda.customer", "davivienda.customer.firstName"]),
            // daviplata-wrapper: inline node requires customer.
            M::Daviplata => Spec(N::Daviplata, "daviplata", COP,
                &["daviplata.customer", "daviplata.customer.firstName"]),
            // nequi-wrapper: inline node requires customer.
            M::Nequi => Spec(N::Nequi, "nequi", COP,
                &["nequi.customer", "nequi.customer.firstName"]),
            // wompi-wapper (sic, &ref_0) has no `required`, so even the node is optional, and
            // schemas.wompi has no `required` list either: nothing is required.
            M::Wompi => Spec(N::Wompi, "wompi", COP, &[]),
            // ligo-wrapper: inline node requires customer.
            M::Ligo => Spec(N::Ligo, "ligo", Payer::Fixed(&[Currency::Pen]),
                &["ligo.customer", "ligo.customer.firstName"]),
            // sip-wrapper: inline node requires customer.
            M::Sip => Spec(N::Sip, "sip", Payer::Fixed(&[Currency::Pen, Currency::Bob]),
                &["sip.customer", "sip.customer.firstName"]),
            // ach-wrapper: inline node requires routingNumber, accountNumber, customer.
            M::Ach => Spec(N::Ach, "ach", USD,
                &["ach.routingNumber", "ach.accountNumber", "ach.customer",
                  "ach.customer.firstName"]),
            // fednow-wrapper: the key is camel-case `fedNow` (schemas.fednow points at it); the
            // inline node requires routingNumber, accountNumber, customer.
            M::Fednow => Spec(N::Fednow, "fedNow", USD,
                &["fedNow.routingNumber", "fedNow.accountNumber", "fedNow.customer",
                  "fedNow.customer.firstName"]),
            // rtp-wrapper: inline node requires routingNumber, accountNumber, customer.
            M::Rtp => Spec(N::Rtp, "rtp", USD,
                &["rtp.routingNumber", "rtp.accountNumber", "rtp.customer",
                  "rtp.customer.firstName"]),
        }
    }

    /// Narrows a node type to a pay-in method; pay-out rails are refused, not ignored, so a
    /// merchant learns at creation that a payer could never have used them.
    pub fn from_node_type(node_type: NodeType) -> Result<PaymentMethod, PayOutOnly> {
        Self::all()
            .find(|m| m.node_type() == node_type)
            .ok_or(PayOutOnly(node_type))
    }

    /// The upstream node type this method is.
    pub fn node_type(self) -> NodeType {
        self.spec().0
    }

    /// The upper-case wire value, e.g. `"FEDNOW"`.
    pub fn as_str(self) -> &'static str {
        self.node_type().as_str()
    }

    /// The JSON key of this method's node in a payment, e.g. `"wallet"` for CRYPTO.
    pub fn node_key(self) -> &'static str {
        self.spec().1
    }

    /// The currencies a payer may pay this method in, for a session in `session`, in
    /// CONTRACT §4's order. Never empty.
    pub fn payer_currencies(self, session: Currency) -> &'static [Currency] {
        match self.spec().2 {
            Payer::SessionFiatElseUsd => session_fiat_else_usd(session),
            Payer::Fixed(currencies) => currencies,
        }
    }

    /// Required properties of this method's node upstream, as dot paths rooted at the node
    /// key (rule in the module comment). Empty when upstream requires nothing.
    pub fn required_fields(self) -> &'static [&'static str] {
        self.spec().3
    }
}

/// CARD's payer currency. Spelled out per currency, with no catch-all, so adding a currency
/// fails to compile here instead of silently charging cards in USD.
fn session_fiat_else_usd(session: Currency) -> &'static [Currency] {
    use Currency as C;
    match session {
        C::Usdc | C::Usdt => &[C::Usd],
        C::Clp => &[C::Clp],
        C::Pyg => &[C::Pyg],
        C::Mxn => &[C::Mxn],
        C::Cop => &[C::Cop],
        C::Pen => &[C::Pen],
        C::Bob => &[C::Bob],
        C::Aud => &[C::Aud],
        C::Ars => &[C::Ars],
        C::Brl => &[C::Brl],
        C::Usd => &[C::Usd],
        C::Cad => &[C::Cad],
        C::Eur => &[C::Eur],
        C::Gbp => &[C::Gbp],
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
