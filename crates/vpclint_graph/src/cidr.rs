//! CIDR set arithmetic: overlap and coverage.

use ipnet::IpNet;

/// Whether two prefixes share any address (for prefixes: one contains the other).
pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    same_family(a, b) && (a.contains(b) || b.contains(a))
}

/// Family (true for IPv6), first and last address of a prefix as integers.
pub(crate) fn bounds(net: &IpNet) -> (bool, u128, u128) {
    let as_int = |a: std::net::IpAddr| match a {
        std::net::IpAddr::V4(v4) => u128::from(u32::from(v4)),
        std::net::IpAddr::V6(v6) => u128::from(v6),
    };
    (
        matches!(net, IpNet::V6(_)),
        as_int(net.network()),
        as_int(net.broadcast()),
    )
}

pub fn same_family(a: &IpNet, b: &IpNet) -> bool {
    matches!(
        (a, b),
        (IpNet::V4(_), IpNet::V4(_)) | (IpNet::V6(_), IpNet::V6(_))
    )
}

/// The largest IPv4 CIDR block a VPC may have (`/16`) and the most blocks it may have
/// (the adjustable quota's ceiling, 50, primary included).
const VPC_LARGEST_IPV4_BLOCK: u8 = 16;
/// The largest IPv6 CIDR block a VPC may have (`/44`, from IPAM or BYOIP; Amazon-provided
/// blocks are `/56`) and the most IPv6 blocks (the quota's ceiling, 50).
const VPC_LARGEST_IPV6_BLOCK: u8 = 44;
const VPC_MOST_BLOCKS: u32 = 50;

/// Whether `net` is too wide to lie inside any one VPC: covering it would take more of the
/// largest blocks a VPC can have than AWS allows a VPC (`0.0.0.0/0`, `::/0`, an IPv4
/// `/10` or wider, an IPv6 `/38` or wider). Whatever a VPC's CIDRs turn out to be, part of
/// such a range is outside it.
pub fn wider_than_any_vpc(net: &IpNet) -> bool {
    let (largest_block, prefix) = match net {
        IpNet::V4(n) => (VPC_LARGEST_IPV4_BLOCK, n.prefix_len()),
        IpNet::V6(n) => (VPC_LARGEST_IPV6_BLOCK, n.prefix_len()),
    };
    // Covering `net` takes 2^(largest_block - prefix) of the largest blocks.
    let Some(doublings) = largest_block.checked_sub(prefix) else {
        return false;
    };
    1u64.checked_shl(u32::from(doublings))
        .is_none_or(|blocks| blocks > u64::from(VPC_MOST_BLOCKS))
}

/// The two halves of a prefix (`None` for a host prefix).
pub fn halves(net: &IpNet) -> Option<(IpNet, IpNet)> {
    let mut halves = net.subnets(net.prefix_len().checked_add(1)?).ok()?;
    Some((halves.next()?, halves.next()?))
}

/// Whether the union of `set` covers every address of `range`.
///
/// Splits `range` only where a member lies strictly inside it, so the work is
/// bounded by members × prefix length, not by the number of addresses.
pub fn covers(set: &[IpNet], range: &IpNet) -> bool {
    let relevant: Vec<IpNet> = set
        .iter()
        .filter(|n| overlaps(n, range))
        .map(IpNet::trunc)
        .collect();
    covers_relevant(&relevant, &range.trunc())
}

fn covers_relevant(set: &[IpNet], range: &IpNet) -> bool {
    if set.iter().any(|n| n.contains(range)) {
        return true;
    }
    if set.is_empty() {
        return false;
    }
    let Some((low, high)) = halves(range) else {
        return false;
    };
    [low, high].iter().all(|half| {
        let inside: Vec<IpNet> = set.iter().filter(|n| overlaps(n, half)).copied().collect();
        covers_relevant(&inside, half)
    })
}

/// The parts of `range` not covered by `set`, as prefixes (in address order).
pub fn uncovered(set: &[IpNet], range: &IpNet) -> Vec<IpNet> {
    let relevant: Vec<IpNet> = set
        .iter()
        .filter(|n| overlaps(n, range))
        .map(IpNet::trunc)
        .collect();
    let mut out = Vec::new();
    uncovered_into(&relevant, &range.trunc(), &mut out);
    out
}

fn uncovered_into(set: &[IpNet], range: &IpNet, out: &mut Vec<IpNet>) {
    if set.iter().any(|n| n.contains(range)) {
        return;
    }
    if set.is_empty() {
        out.push(*range);
        return;
    }
    let Some((low, high)) = halves(range) else {
        return;
    };
    for half in [low, high] {
        let inside: Vec<IpNet> = set.iter().filter(|n| overlaps(n, &half)).copied().collect();
        uncovered_into(&inside, &half, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    fn net(s: &str) -> IpNet {
        s.parse().expect("test CIDR")
    }

    #[test]
    fn ranges_too_wide_for_any_vpc() {
        for wide in [
            "0.0.0.0/0",
            "10.0.0.0/8",
            "10.0.0.0/10",
            "::/0",
            "2600::/38",
        ] {
            assert!(wider_than_any_vpc(&net(wide)), "{wide}");
        }
        // 32 blocks of /16 (or /44) are within the quota's ceiling of 50.
        for fits in [
            "10.0.0.0/11",
            "10.0.0.0/16",
            "10.0.1.0/24",
            "2600::/39",
            "2600::/56",
        ] {
            assert!(!wider_than_any_vpc(&net(fits)), "{fits}");
        }
    }

    #[test]
    fn coverage_by_two_halves() {
        let set = [net("10.0.0.0/17"), net("10.0.128.0/17")];
        assert!(covers(&set, &net("10.0.0.0/16")));
        assert!(!covers(&set[..1], &net("10.0.0.0/16")));
        assert_eq!(
            uncovered(&set[..1], &net("10.0.0.0/16")),
            vec![net("10.0.128.0/17")]
        );
        assert!(!covers(&[net("::/0")], &net("10.0.0.0/8")));
    }

    #[test]
    fn overlap_is_containment_for_prefixes() {
        assert!(overlaps(&net("10.0.0.0/16"), &net("10.0.5.0/24")));
        assert!(!overlaps(&net("10.0.0.0/16"), &net("10.1.0.0/16")));
        assert!(!overlaps(&net("10.0.0.0/8"), &net("::/0")));
    }

    // Small model: /24 universe, prefixes of length 24..=32, compared address by address.
    fn small_net() -> impl Strategy<Value = IpNet> {
        (0u8..=255, 24u8..=32).prop_map(|(host, len)| {
            IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::new(10, 0, 0, host), len).expect("valid len"))
                .trunc()
        })
    }

    fn addresses(n: &IpNet) -> Vec<u8> {
        match n {
            IpNet::V4(v4) => v4.hosts_all(),
            IpNet::V6(_) => Vec::new(),
        }
    }

    trait AllHosts {
        fn hosts_all(&self) -> Vec<u8>;
    }
    impl AllHosts for ipnet::Ipv4Net {
        fn hosts_all(&self) -> Vec<u8> {
            let start = u32::from(self.network());
            let end = u32::from(self.broadcast());
            (start..=end).map(|a| (a & 0xff) as u8).collect()
        }
    }

    proptest! {
        #[test]
        fn covers_matches_address_model(set in proptest::collection::vec(small_net(), 0..6), range in small_net()) {
            let covered: std::collections::HashSet<u8> = set.iter().flat_map(addresses).collect();
            let expected = addresses(&range).iter().all(|a| covered.contains(a));
            prop_assert_eq!(covers(&set, &range), expected);
            let missing: std::collections::HashSet<u8> = uncovered(&set, &range).iter().flat_map(addresses).collect();
            let expected_missing: std::collections::HashSet<u8> =
                addresses(&range).into_iter().filter(|a| !covered.contains(a)).collect();
            prop_assert_eq!(missing, expected_missing);
        }
    }
}
