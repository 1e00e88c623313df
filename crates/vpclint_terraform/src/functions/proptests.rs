//! Property tests of the function library: the CIDR functions against an independent
//! model (plain `u128` arithmetic on addresses, formatted by `std`), and algebraic
//! properties of the collection functions.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use vpclint_graph::IndexMap;
use vpclint_graph::Value;

use super::{cidrhost_addr, cidrsubnet_net, registry};

fn call(name: &str, args: &[Value]) -> Value {
    match registry().get(name) {
        Some((f, _)) => f.call(args, crate::budget::Size::UNLIMITED),
        None => panic!("{name} is not registered"),
    }
}

/// A prefix: (is IPv4, address bits as u128, prefix length).
fn prefix() -> impl Strategy<Value = (bool, u128, u32)> {
    prop_oneof![
        (any::<u32>(), 0u32..=32).prop_map(|(a, l)| (true, u128::from(a), l)),
        (any::<u128>(), 0u32..=128).prop_map(|(a, l)| (false, a, l)),
    ]
}

fn width(v4: bool) -> u32 {
    if v4 {
        32
    } else {
        128
    }
}

/// All-ones in the top `len` bits of a `width`-bit address.
fn mask(width: u32, len: u32) -> u128 {
    let all = if width == 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    };
    match len {
        0 => 0,
        l if l >= width => all,
        l => all & !(all >> l),
    }
}

fn show_addr(v4: bool, a: u128) -> String {
    if v4 {
        Ipv4Addr::from(a as u32).to_string()
    } else {
        Ipv6Addr::from(a).to_string()
    }
}

fn show_prefix(v4: bool, a: u128, len: u32) -> String {
    format!("{}/{len}", show_addr(v4, a))
}

/// The model of `cidrsubnet`: `None` when Terraform refuses the call.
fn model_cidrsubnet(v4: bool, addr: u128, len: u32, newbits: i128, netnum: i128) -> Option<String> {
    let w = width(v4);
    if !(0..=32).contains(&newbits) {
        return None;
    }
    let new_len = len + newbits as u32;
    if new_len > w || netnum < 0 || netnum >= (1i128 << newbits) {
        return None;
    }
    let network = addr & mask(w, len);
    let shift = w - new_len;
    let sub = if shift >= 128 {
        0
    } else {
        (netnum as u128) << shift
    };
    Some(show_prefix(v4, network + sub, new_len))
}

/// The model of `cidrhost`: negative host numbers count back from the last address.
fn model_cidrhost(v4: bool, addr: u128, len: u32, hostnum: i128) -> Option<String> {
    let w = width(v4);
    let host_bits = w - len;
    let size_minus_one: u128 = if host_bits >= 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    let offset: u128 = if hostnum >= 0 {
        let n = hostnum as u128;
        (n <= size_minus_one).then_some(n)?
    } else {
        let back = hostnum.unsigned_abs() - 1;
        (back <= size_minus_one).then(|| size_minus_one - back)?
    };
    Some(show_addr(v4, (addr & mask(w, len)) + offset))
}

/// The model of `cidrsubnets`: consecutive blocks, each aligned to its own size.
fn model_cidrsubnets(v4: bool, addr: u128, len: u32, newbits: &[i128]) -> Option<Vec<String>> {
    let w = width(v4);
    let base = addr & mask(w, len);
    let last = base + (!mask(w, len) & mask(w, w));
    let mut next = base;
    let mut out = Vec::new();
    let mut exhausted = false;
    for nb in newbits {
        let l = i128::from(len) + nb;
        if *nb < 1 || l > i128::from(w) || exhausted {
            return None;
        }
        let host = w - l as u32;
        let size_minus_one = if host >= 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        let start = next.checked_add(size_minus_one)? & !size_minus_one;
        let end = start.checked_add(size_minus_one)?;
        if start < next || end > last {
            return None;
        }
        out.push(show_prefix(v4, start, l as u32));
        match end.checked_add(1) {
            Some(n) => next = n,
            None => exhausted = true,
        }
    }
    Some(out)
}

proptest! {
    #[test]
    fn cidrsubnet_matches_model(
        (v4, addr, len) in prefix(),
        newbits in -2i128..=40,
        netnum in prop_oneof![-3i128..300, any::<u64>().prop_map(i128::from), any::<i128>()],
    ) {
        let text = show_prefix(v4, addr, len);
        let got = cidrsubnet_net(&text, newbits, netnum).ok().map(|n| n.to_string());
        prop_assert_eq!(got, model_cidrsubnet(v4, addr, len, newbits, netnum), "cidrsubnet({}, {}, {})", text, newbits, netnum);
    }

    #[test]
    fn cidrsubnet_netnum_in_range_always_works(
        (v4, addr, len) in prefix(),
        newbits in 0i128..=16,
        seed in any::<u64>(),
    ) {
        let newbits = newbits.min(i128::from(width(v4) - len));
        let netnum = i128::from(seed) % (1i128 << newbits);
        let text = show_prefix(v4, addr, len);
        let expected = model_cidrsubnet(v4, addr, len, newbits, netnum);
        prop_assert!(expected.is_some());
        // Through the registry too (numbers are f64 there; these fit exactly).
        let got = call("cidrsubnet", &[Value::string(text), Value::Number(newbits as f64), Value::Number(netnum as f64)]);
        prop_assert_eq!(got.as_str().map(str::to_owned), expected);
    }

    #[test]
    fn cidrhost_matches_model(
        (v4, addr, len) in prefix(),
        hostnum in prop_oneof![-300i128..300, any::<i64>().prop_map(i128::from), any::<i128>()],
    ) {
        prop_assume!(hostnum != i128::MIN);
        let text = show_prefix(v4, addr, len);
        let got = cidrhost_addr(&text, hostnum).ok().map(|a: IpAddr| a.to_string());
        prop_assert_eq!(got, model_cidrhost(v4, addr, len, hostnum), "cidrhost({}, {})", text, hostnum);
    }

    #[test]
    fn cidrsubnets_are_disjoint_and_inside(
        (v4, addr, len) in prefix(),
        newbits in proptest::collection::vec(1i128..=12, 1..8),
    ) {
        let text = show_prefix(v4, addr, len);
        let mut args = vec![Value::string(text.clone())];
        args.extend(newbits.iter().map(|n| Value::Number(*n as f64)));
        let w = width(v4);
        let base = addr & mask(w, len);
        let last = base | !mask(w, len) & mask(w, w);
        match call("cidrsubnets", &args) {
            Value::List(blocks) => {
                prop_assert_eq!(blocks.len(), newbits.len());
                let mut previous_end: Option<u128> = None;
                for (block, nb) in blocks.iter().zip(&newbits) {
                    let s = block.as_str().unwrap_or_default();
                    let (ip, l) = s.split_once('/').unwrap_or_default();
                    let l: u32 = l.parse().unwrap_or(999);
                    prop_assert_eq!(i128::from(l), i128::from(len) + nb, "{}", s);
                    let start: u128 = match ip.parse::<IpAddr>() {
                        Ok(IpAddr::V4(a)) => u128::from(u32::from(a)),
                        Ok(IpAddr::V6(a)) => u128::from(a),
                        Err(_) => { prop_assert!(false, "not an address: {}", s); 0 }
                    };
                    let end = start | (!mask(w, l) & mask(w, w));
                    prop_assert_eq!(start & !mask(w, l) & mask(w, w), 0, "unaligned {}", s);
                    prop_assert!(start >= base && end <= last, "{} outside {}", s, text);
                    if let Some(prev) = previous_end {
                        prop_assert!(start > prev, "{} overlaps the previous block", s);
                    }
                    previous_end = Some(end);
                }
                let expected = model_cidrsubnets(v4, addr, len, &newbits);
                prop_assert_eq!(Some(blocks.iter().filter_map(|b| b.as_str().map(str::to_owned)).collect::<Vec<_>>()), expected);
            }
            Value::Unknown(u) => {
                prop_assert!(model_cidrsubnets(v4, addr, len, &newbits).is_none(),
                    "refused though the blocks fit: {} {:?} ({})", text, newbits, u.reason);
            }
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}

/// A small known value: strings, numbers and bools (no unknowns).
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-c]{0,2}".prop_map(Value::String),
        (0u8..4).prop_map(|n| Value::Number(f64::from(n))),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn list() -> impl Strategy<Value = Vec<Value>> {
    proptest::collection::vec(scalar(), 0..12)
}

fn map() -> impl Strategy<Value = IndexMap<String, Value>> {
    proptest::collection::vec(("[a-e]{1,2}", scalar()), 0..10)
        .prop_map(|kv| kv.into_iter().collect())
}

fn len(v: &Value) -> Option<usize> {
    v.as_f64().map(|n| n as usize)
}

proptest! {
    #[test]
    fn length_of_concat_is_the_sum(a in list(), b in list()) {
        let joined = call("concat", &[Value::List(a.clone()), Value::List(b.clone())]);
        prop_assert_eq!(len(&call("length", &[joined])), Some(a.len() + b.len()));
    }

    #[test]
    fn distinct_is_idempotent_and_keeps_first_occurrences(a in list()) {
        let once = call("distinct", &[Value::List(a.clone())]);
        let twice = call("distinct", std::slice::from_ref(&once));
        prop_assert_eq!(&once, &twice);
        let items = once.as_list().unwrap_or_default();
        for (i, x) in items.iter().enumerate() {
            prop_assert!(!items[..i].contains(x));
            prop_assert!(a.contains(x));
        }
        for x in &a {
            prop_assert!(items.contains(x));
        }
    }

    #[test]
    fn keys_and_values_match_the_map(m in map()) {
        let k = call("keys", &[Value::Map(m.clone())]);
        let v = call("values", &[Value::Map(m.clone())]);
        let (k, v) = (k.as_list().unwrap_or_default(), v.as_list().unwrap_or_default());
        prop_assert_eq!(k.len(), m.len());
        prop_assert_eq!(v.len(), m.len());
        // Keys sorted, and values in the same order as their keys.
        for w in k.windows(2) {
            prop_assert!(w[0].as_str() < w[1].as_str());
        }
        for (key, value) in k.iter().zip(v) {
            prop_assert_eq!(m.get(key.as_str().unwrap_or_default()), Some(value));
        }
        // zipmap(keys(m), values(m)) is m again (as a map, whatever the order).
        let back = call("zipmap", &[Value::List(k.to_vec()), Value::List(v.to_vec())]);
        let back = back.as_map().cloned().unwrap_or_default();
        prop_assert_eq!(back.len(), m.len());
        for (key, value) in &m {
            prop_assert_eq!(back.get(key), Some(value));
        }
    }

    #[test]
    fn merge_keeps_every_key_and_the_last_value(a in map(), b in map()) {
        let merged = call("merge", &[Value::Map(a.clone()), Value::Map(b.clone())]);
        let merged = merged.as_map().cloned().unwrap_or_default();
        for (key, value) in &a {
            prop_assert_eq!(merged.get(key), Some(b.get(key).unwrap_or(value)));
        }
        for (key, value) in &b {
            prop_assert_eq!(merged.get(key), Some(value));
        }
        prop_assert_eq!(merged.len(), a.keys().chain(b.keys()).collect::<std::collections::HashSet<_>>().len());
    }

    #[test]
    fn slice_and_element_agree(a in list(), from in 0usize..14, to in 0usize..14) {
        let got = call("slice", &[Value::List(a.clone()), Value::Number(from as f64), Value::Number(to as f64)]);
        if from <= to && to <= a.len() {
            prop_assert_eq!(got, Value::List(a[from..to].to_vec()));
        } else {
            prop_assert!(got.is_unknown());
        }
        if !a.is_empty() {
            let e = call("element", &[Value::List(a.clone()), Value::Number(from as f64)]);
            prop_assert_eq!(e, a[from % a.len()].clone());
        }
    }

    #[test]
    fn flatten_of_nested_lists_is_their_concat(a in list(), b in list(), c in list()) {
        let nested = Value::List(vec![
            Value::List(a.clone()),
            Value::List(vec![Value::List(b.clone())]),
            Value::List(c.clone()),
        ]);
        let flat = call("flatten", &[nested]);
        let expected: Vec<Value> = a.into_iter().chain(b).chain(c).collect();
        prop_assert_eq!(flat, Value::List(expected));
    }
}

/// Found by `cidrsubnets_are_disjoint_and_inside`: once a block ended at the last address
/// of the IPv6 space, the next one saturated to `ffff:…:ffff/1` instead of failing.
#[test]
fn cidrsubnets_past_the_end_of_the_address_space_is_invalid() {
    let args = |n: usize| {
        let mut a = vec![Value::string("::/0")];
        a.extend(std::iter::repeat_n(Value::Number(1.0), n));
        a
    };
    assert_eq!(
        call("cidrsubnets", &args(2)),
        Value::List(vec![Value::string("::/1"), Value::string("8000::/1")])
    );
    assert!(call("cidrsubnets", &args(3)).is_unknown());
    let v4 = [
        Value::string("0.0.0.0/0"),
        Value::Number(1.0),
        Value::Number(1.0),
        Value::Number(1.0),
    ];
    assert!(call("cidrsubnets", &v4).is_unknown());
}
