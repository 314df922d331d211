//! Unit and property tests for `payment_method`. Expectations are written out by hand from
//! CONTRACT §4 and the upstream spec, never derived from the code under test.

use super::*;
use Currency::{Ars, Bob, Brl, Clp, Cop, Mxn, Pen, Usd, Usdc, Usdt};
use proptest::prelude::*;

const NODE_TYPE_WIRE_VALUES: [&str; 27] = [
    "CARD",
    "CRYPTO",
    "ACCOUNT",
    "BANK_ACCOUNT",
    "PIX",
    "PCT",
    "CVU",
    "ETPAY",
    "FINTOC",
    "WEBPAY",
    "SPEI",
    "PSE",
    "BANCOLOMBIA",
    "DAVIVIENDA",
    "DAVIPLATA",
    "NEQUI",
    "BREB",
    "WOMPI",
    "LIGO",
    "SIP",
    "ACH",
    "WIRE",
    "FEDNOW",
    "RTP",
    "SEPA",
    "FPE",
    "SWIFT",
];

#[test]
fn every_node_type_round_trips_through_its_wire_value() {
    let values: Vec<_> = NodeType::all().map(NodeType::as_str).collect();
    assert_eq!(values, NODE_TYPE_WIRE_VALUES);
    for t in NodeType::all() {
        assert_eq!(NodeType::parse(t.as_str()), Ok(t));
        assert_eq!(t.to_string().parse::<NodeType>(), Ok(t));
    }
}

#[test]
fn twenty_node_types_are_pay_in_and_seven_are_pay_out() {
    let (pay_in, pay_out): (Vec<_>, Vec<_>) =
        NodeType::all().partition(|t| PaymentMethod::from_node_type(*t).is_ok());
    assert_eq!(pay_in.len(), 20);
    assert_eq!(PaymentMethod::all().count(), 20);
    assert_eq!(
        pay_out,
        [
            NodeType::Account,
            NodeType::BankAccount,
            NodeType::Breb,
            NodeType::Wire,
            NodeType::Sepa,
            NodeType::Fpe,
            NodeType::Swift,
        ]
    );
    for t in pay_out {
        assert_eq!(PaymentMethod::from_node_type(t), Err(PayOutOnly(t)));
    }
    for m in PaymentMethod::all() {
        assert_eq!(PaymentMethod::from_node_type(m.node_type()), Ok(m));
        assert_eq!(NodeType::parse(m.as_str()), Ok(m.node_type()));
        assert_eq!(m.to_string(), m.as_str());
    }
}

#[test]
fn pay_in_methods_keep_upstream_order() {
    let names: Vec<_> = PaymentMethod::all().map(PaymentMethod::as_str).collect();
    assert_eq!(
        names,
        [
            "CARD",
            "CRYPTO",
            "PIX",
            "PCT",
            "CVU",
            "ETPAY",
            "FINTOC",
            "WEBPAY",
            "SPEI",
            "PSE",
            "BANCOLOMBIA",
            "DAVIVIENDA",
            "DAVIPLATA",
            "NEQUI",
            "WOMPI",
            "LIGO",
            "SIP",
            "ACH",
            "FEDNOW",
            "RTP",
        ]
    );
}

#[test]
fn payer_currencies_follow_the_contract_for_clp_usdc_and_usd_sessions() {
    use PaymentMethod as M;
    // (method, CLP session, USDC session, USD session); only CARD depends on the session.
    type Row = (
        M,
        &'static [Currency],
        &'static [Currency],
        &'static [Currency],
    );
    let table: [Row; 20] = [
        (M::Card, &[Clp], &[Usd], &[Usd]),
        (M::Crypto, &[Usdc, Usdt], &[Usdc, Usdt], &[Usdc, Usdt]),
        (M::Pix, &[Brl], &[Brl], &[Brl]),
        (M::Pct, &[Ars], &[Ars], &[Ars]),
        (M::Cvu, &[Ars], &[Ars], &[Ars]),
        (M::Etpay, &[Clp], &[Clp], &[Clp]),
        (M::Fintoc, &[Clp], &[Clp], &[Clp]),
        (M::Webpay, &[Clp], &[Clp], &[Clp]),
        (M::Spei, &[Mxn], &[Mxn], &[Mxn]),
        (M::Pse, &[Cop], &[Cop], &[Cop]),
        (M::Bancolombia, &[Cop], &[Cop], &[Cop]),
        (M::Davivienda, &[Cop], &[Cop], &[Cop]),
        (M::Daviplata, &[Cop], &[Cop], &[Cop]),
        (M::Nequi, &[Cop], &[Cop], &[Cop]),
        (M::Wompi, &[Cop], &[Cop], &[Cop]),
        (M::Ligo, &[Pen], &[Pen], &[Pen]),
        (M::Sip, &[Pen, Bob], &[Pen, Bob], &[Pen, Bob]),
        (M::Ach, &[Usd], &[Usd], &[Usd]),
        (M::Fednow, &[Usd], &[Usd], &[Usd]),
        (M::Rtp, &[Usd], &[Usd], &[Usd]),
    ];
    for (m, clp, usdc, usd) in table {
        assert_eq!(m.payer_currencies(Clp), clp, "{m} in a CLP session");
        assert_eq!(m.payer_currencies(Usdc), usdc, "{m} in a USDC session");
        assert_eq!(m.payer_currencies(Usd), usd, "{m} in a USD session");
    }
}

#[test]
fn card_takes_every_fiat_session_currency_and_usd_for_stablecoins() {
    for c in Currency::all() {
        let expected = if c.is_crypto() { Usd } else { c };
        assert_eq!(PaymentMethod::Card.payer_currencies(c), [expected], "{c}");
    }
    assert_eq!(PaymentMethod::Card.payer_currencies(Usdt), [Usd]);
}

#[test]
fn node_keys_are_the_wrapper_property_names() {
    let keys: Vec<_> = PaymentMethod::all().map(PaymentMethod::node_key).collect();
    assert_eq!(
        keys,
        [
            "card",
            "wallet",
            "pix",
            "pct",
            "cvu",
            "etpay",
            "fintoc",
            "webpay",
            "spei",
            "pse",
            "bancolombia",
            "davivienda",
            "daviplata",
            "nequi",
            "wompi",
            "ligo",
            "sip",
            "ach",
            "fedNow",
            "rtp",
        ]
    );
}

#[test]
fn required_fields_match_the_upstream_schemas() {
    use PaymentMethod as M;
    let expected: [(M, &[&str]); 20] = [
        (M::Card, &["card.token"]),
        (M::Crypto, &["wallet.address"]),
        (
            M::Pix,
            &["pix.data", "pix.customer", "pix.customer.firstName"],
        ),
        (M::Pct, &["pct.customer", "pct.customer.firstName"]),
        (M::Cvu, &[]),
        (M::Etpay, &[]),
        (M::Fintoc, &[]),
        (M::Webpay, &["webpay.customer", "webpay.customer.firstName"]),
        (M::Spei, &["spei.customer", "spei.customer.firstName"]),
        (
            M::Pse,
            &["pse.bankId", "pse.customer", "pse.customer.firstName"],
        ),
        (
            M::Bancolombia,
            &["bancolombia.customer", "bancolombia.customer.firstName"],
        ),
        (
            M::Davivienda,
            &["davivienda.customer", "davivienda.customer.firstName"],
        ),
        (
            M::Daviplata,
            &["daviplata.customer", "daviplata.customer.firstName"],
        ),
        (M::Nequi, &["nequi.customer", "nequi.customer.firstName"]),
        (M::Wompi, &[]),
        (M::Ligo, &["ligo.customer", "ligo.customer.firstName"]),
        (M::Sip, &["sip.customer", "sip.customer.firstName"]),
        (
            M::Ach,
            &[
                "ach.routingNumber",
                "ach.accountNumber",
                "ach.customer",
                "ach.customer.firstName",
            ],
        ),
        (
            M::Fednow,
            &[
                "fedNow.routingNumber",
                "fedNow.accountNumber",
                "fedNow.customer",
                "fedNow.customer.firstName",
            ],
        ),
        (
            M::Rtp,
            &[
                "rtp.routingNumber",
                "rtp.accountNumber",
                "rtp.customer",
                "rtp.customer.firstName",
            ],
        ),
    ];
    for (m, fields) in expected {
        assert_eq!(m.required_fields(), fields, "{m}");
    }
}

#[test]
fn required_fields_obey_the_documented_rule() {
    for m in PaymentMethod::all() {
        let fields = m.required_fields();
        for (i, f) in fields.iter().enumerate() {
            let rest = f
                .strip_prefix(m.node_key())
                .and_then(|r| r.strip_prefix('.'));
            assert!(
                rest.is_some_and(|r| !r.is_empty()),
                "{m}: {f} not under its node"
            );
            assert!(!fields[..i].contains(f), "{m}: {f} listed twice");
            // A nested path comes after its parent object, which is listed too.
            if let Some((parent, _)) = f.rsplit_once('.')
                && parent != m.node_key()
            {
                assert!(fields[..i].contains(&parent), "{m}: {f} before {parent}");
            }
        }
    }
}

#[test]
fn lower_case_and_unknown_node_types_are_rejected() {
    let bad = [
        "card",
        "Card",
        "fedNow",
        "FedNow",
        "bank_account",
        "BANKACCOUNT",
        "BANK-ACCOUNT",
        " CARD",
        "CARD ",
        "",
        "PAGO_MOVIL",
        "WALLET",
    ];
    for s in bad {
        assert_eq!(NodeType::parse(s), Err(UnknownNodeType), "{s:?}");
    }
}

#[test]
fn errors_read_well_after_a_json_path() {
    assert_eq!(
        UnknownNodeType.to_string(),
        "must be one of the payment node types (CARD, CRYPTO, ACCOUNT, BANK_ACCOUNT, PIX, PCT, \
         CVU, ETPAY, FINTOC, WEBPAY, SPEI, PSE, BANCOLOMBIA, DAVIVIENDA, DAVIPLATA, NEQUI, BREB, \
         WOMPI, LIGO, SIP, ACH, WIRE, FEDNOW, RTP, SEPA, FPE, SWIFT)"
    );
    assert_eq!(
        PayOutOnly(NodeType::Wire).to_string(),
        "is WIRE, a pay-out rail; a checkout accepts only pay-in methods (CARD, CRYPTO, PIX, \
         PCT, CVU, ETPAY, FINTOC, WEBPAY, SPEI, PSE, BANCOLOMBIA, DAVIVIENDA, DAVIPLATA, NEQUI, \
         WOMPI, LIGO, SIP, ACH, FEDNOW, RTP)"
    );
}

proptest! {
    #[test]
    fn only_the_exact_wire_values_parse(s in "\\PC{0,14}|[A-Za-z_]{2,12}") {
        match NodeType::parse(&s) {
            Ok(t) => prop_assert_eq!(t.as_str(), s.as_str()),
            Err(_) => prop_assert!(!NODE_TYPE_WIRE_VALUES.contains(&s.as_str())),
        }
    }
}
