//! `Fn::Cidr` against an independent model: `u128` arithmetic on addresses, formatted by `std`.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use vpclint_graph::{SourceMap, Value};

use super::{Template, MAX_CIDR_COUNT};
use crate::syntax::parse_yaml;
use crate::CloudFormationOptions;

fn show_prefix(v4: bool, a: u128, len: u32) -> String {
    if v4 {
        format!("{}/{len}", Ipv4Addr::from(a as u32))
    } else {
        format!("{}/{len}", Ipv6Addr::from(a))
    }
}

/// `Fn::Cidr [block, count, bits]` evaluated in a minimal template.
fn fn_cidr(block: &str, count: u64, bits: u64) -> Option<Value> {
    probe(&format!("!Cidr ['{block}', {count}, {bits}]"))
}

/// An expression evaluated in a minimal template.
fn probe(expression: &str) -> Option<Value> {
    let src = format!("Resources: {{}}\nProbe: {expression}\n");
    let tree = parse_yaml(&src).ok()?;
    let mut sources = SourceMap::new();
    let file = sources.add("t.yaml", src.as_str());
    let options = CloudFormationOptions::default();
    let t = Template::new(&tree, file, &options);
    let probe = tree.get(tree.root(), "Probe")?;
    t.eval(probe, 0)
}

/// The model: `count` consecutive blocks with `bits` host bits from the start of the
/// block's network, or `None` when AWS refuses the call.
fn model(v4: bool, addr: u128, len: u32, count: u64, bits: u64) -> Option<Vec<String>> {
    let w: u32 = if v4 { 32 } else { 128 };
    if count == 0 || count > MAX_CIDR_COUNT || bits == 0 || bits > u64::from(w - len) {
        return None;
    }
    let bits = bits as u32;
    let new_len = w - bits;
    let host_mask: u128 = if w - len >= 128 {
        u128::MAX
    } else {
        (1u128 << (w - len)) - 1
    };
    let base = addr & !host_mask;
    // Blocks available: 2^(new_len - len).
    let available_log2 = new_len - len;
    if available_log2 < 64 && count > (1u64 << available_log2) {
        return None;
    }
    Some(
        (0..u128::from(count))
            .map(|i| show_prefix(v4, base + (i << bits), new_len))
            .collect(),
    )
}

fn prefix() -> impl Strategy<Value = (bool, u128, u32)> {
    prop_oneof![
        (any::<u32>(), 0u32..=32).prop_map(|(a, l)| (true, u128::from(a), l)),
        (any::<u128>(), 0u32..=128).prop_map(|(a, l)| (false, a, l)),
    ]
}

proptest! {
    #[test]
    fn fn_cidr_matches_model(
        (v4, addr, len) in prefix(),
        count in prop_oneof![1u64..=8, 0u64..=300],
        bits in 0u64..=130,
    ) {
        let block = show_prefix(v4, addr, len);
        let got = fn_cidr(&block, count, bits);
        let got = match &got {
            Some(Value::List(items)) => Some(
                items.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
            ).flatten(),
            Some(v) => {
                prop_assert!(v.is_unknown(), "Fn::Cidr gave {:?}", v);
                None
            }
            None => None,
        };
        prop_assert_eq!(got, model(v4, addr, len, count, bits), "!Cidr [{}, {}, {}]", block, count, bits);
    }

    /// `!Select [i, !Cidr [...]]` formats only the selected block: it must agree with
    /// selecting from the whole list (element, out-of-range unknown, or the same unknown).
    #[test]
    fn select_of_cidr_matches_select_of_the_list(
        (v4, addr, len) in prefix(),
        count in prop_oneof![1u64..=8, 0u64..=300],
        bits in 0u64..=130,
        index in 0u64..=12,
    ) {
        let block = show_prefix(v4, addr, len);
        let selected = probe(&format!("!Select [{index}, !Cidr ['{block}', {count}, {bits}]]"));
        let whole = fn_cidr(&block, count, bits);
        let expected = match whole {
            Some(Value::List(items)) => items.get(index as usize).cloned(),
            other => other,
        };
        match (selected, expected) {
            (Some(got), Some(want)) if want.is_unknown() || !got.is_unknown() => {
                prop_assert_eq!(got.as_str(), want.as_str());
                prop_assert_eq!(got.is_unknown(), want.is_unknown());
            }
            (Some(got), None) => prop_assert!(got.is_unknown(), "{:?}", got),
            (got, want) => prop_assert!(false, "select {:?}, list {:?}", got, want),
        }
    }
}
