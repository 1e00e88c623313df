//! Terraform's function library. Adding a function is one entry in [`REGISTRY`].
//!
//! A function takes evaluated arguments and returns a value; it never fails: an invalid
//! call returns an unknown whose reason starts with [`INVALID`] (so `try` can move on),
//! and an unknown argument makes the result unknown unless the function is marked
//! [`Args::Lenient`] (it then handles unknowns element by element itself).

use crate::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use ipnet::IpNet;
use vpclint_graph::IndexMap;
use vpclint_graph::Value;

use crate::budget::{Size, OVER_BUDGET};

/// The prefix of the reason of an unknown that stands for an evaluation error.
pub(crate) const INVALID: &str = "invalid: ";

/// Largest list a function may build (bounds memory on adversarial input).
pub(crate) const MAX_COLLECTION: usize = 1_000_000;

/// A function of the library.
#[derive(Clone, Copy)]
pub(crate) enum Function {
    /// Its result is no larger than its arguments (which were charged to the budget when
    /// they were evaluated), give or take a constant factor.
    Plain(fn(&[Value]) -> Value),
    /// Its result can be much larger than its arguments (`join`, `replace`, `range`...): it
    /// is given the room left in the stack's budget, and returns [`over_budget`] instead
    /// of building a result that does not fit.
    Bounded(fn(&[Value], Size) -> Value),
}

use Function::{Bounded, Plain};

impl Function {
    pub fn call(self, args: &[Value], room: Size) -> Value {
        match self {
            Plain(f) => f(args),
            Bounded(f) => f(args, room),
        }
    }
}

/// The value of a result that would not fit in the room left.
pub(crate) fn over_budget() -> Value {
    Value::unknown(OVER_BUDGET, None)
}

/// How a function treats unknown and reference arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Args {
    /// Any unknown argument makes the result unknown; a resource reference is not known before apply.
    Strict,
    /// The function handles unknowns and references inside its arguments itself.
    Lenient,
}

pub(crate) fn invalid(msg: impl std::fmt::Display) -> Value {
    Value::unknown(format!("{INVALID}{msg}"), None)
}

/// Name → (function, argument mode).
static REGISTRY: &[(&str, Function, Args)] = &[
    // Networking.
    ("cidrsubnet", Plain(cidrsubnet), Args::Strict),
    ("cidrhost", Plain(cidrhost), Args::Strict),
    ("cidrnetmask", Plain(cidrnetmask), Args::Strict),
    ("cidrsubnets", Plain(cidrsubnets), Args::Strict),
    // Type conversion.
    ("tostring", Plain(tostring), Args::Lenient),
    ("tonumber", Plain(tonumber), Args::Strict),
    ("tobool", Plain(tobool), Args::Strict),
    ("tolist", Plain(tolist), Args::Lenient),
    ("toset", Plain(toset), Args::Lenient),
    ("tomap", Plain(tomap), Args::Lenient),
    // Collections.
    ("length", Plain(length), Args::Lenient),
    ("concat", Plain(concat), Args::Lenient),
    ("lookup", Plain(lookup), Args::Lenient),
    ("merge", Plain(merge), Args::Lenient),
    ("element", Plain(element), Args::Lenient),
    ("keys", Plain(keys), Args::Lenient),
    ("values", Plain(values), Args::Lenient),
    ("flatten", Plain(flatten), Args::Lenient),
    ("contains", Plain(contains), Args::Strict),
    ("distinct", Plain(distinct), Args::Strict),
    ("range", Bounded(range), Args::Strict),
    ("zipmap", Plain(zipmap), Args::Lenient),
    ("coalesce", Plain(coalesce), Args::Lenient),
    ("compact", Plain(compact), Args::Strict),
    ("one", Plain(one), Args::Lenient),
    ("slice", Plain(slice), Args::Lenient),
    ("alltrue", Plain(alltrue), Args::Strict),
    ("anytrue", Plain(anytrue), Args::Strict),
    ("coalescelist", Plain(coalescelist), Args::Lenient),
    ("setproduct", Bounded(setproduct), Args::Strict),
    ("setunion", Plain(setunion), Args::Strict),
    ("setintersection", Plain(setintersection), Args::Strict),
    ("setsubtract", Plain(setsubtract), Args::Strict),
    ("sort", Plain(sort), Args::Strict),
    ("reverse", Plain(reverse), Args::Lenient),
    ("sum", Plain(sum), Args::Strict),
    ("index", Plain(index_of), Args::Strict),
    ("chunklist", Plain(chunklist), Args::Lenient),
    ("matchkeys", Plain(matchkeys), Args::Strict),
    ("transpose", Bounded(transpose), Args::Strict),
    // Numbers.
    ("min", Plain(min), Args::Strict),
    ("max", Plain(max), Args::Strict),
    ("abs", Plain(abs), Args::Strict),
    ("ceil", Plain(ceil), Args::Strict),
    ("floor", Plain(floor), Args::Strict),
    ("pow", Plain(pow), Args::Strict),
    ("signum", Plain(signum), Args::Strict),
    // Strings.
    ("format", Bounded(format), Args::Strict),
    ("join", Bounded(join), Args::Strict),
    ("split", Bounded(split), Args::Strict),
    ("replace", Bounded(replace), Args::Strict),
    ("lower", Plain(lower), Args::Strict),
    ("upper", Plain(upper), Args::Strict),
    ("trimspace", Plain(trimspace), Args::Strict),
    ("startswith", Plain(startswith), Args::Strict),
    ("endswith", Plain(endswith), Args::Strict),
    ("formatlist", Bounded(formatlist), Args::Strict),
    ("substr", Plain(substr), Args::Strict),
    ("trim", Plain(trim), Args::Strict),
    ("trimprefix", Plain(trimprefix), Args::Strict),
    ("trimsuffix", Plain(trimsuffix), Args::Strict),
    ("title", Plain(title), Args::Strict),
    ("strrev", Plain(strrev), Args::Strict),
    ("basename", Plain(basename), Args::Strict),
    ("dirname", Plain(dirname), Args::Strict),
    ("regex", Plain(regex_fn), Args::Strict),
    ("regexall", Bounded(regexall), Args::Strict),
    // Encoding.
    ("jsonencode", Bounded(jsonencode), Args::Strict),
    ("jsondecode", Bounded(jsondecode), Args::Strict),
];

/// The function registry.
pub(crate) struct Registry {
    map: HashMap<&'static str, (Function, Args)>,
}

impl Registry {
    pub fn get(&self, name: &str) -> Option<(Function, Args)> {
        self.map.get(name).copied()
    }
}

pub(crate) fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Registry {
        map: REGISTRY.iter().map(|(n, f, a)| (*n, (*f, *a))).collect(),
    })
}

// ----- helpers -----

/// Terraform's string form of a primitive value, if it has one.
pub(crate) fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(fmt_number(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How a reference is shown in messages (`aws_vpc.main.id`).
pub(crate) fn ref_name(r: &vpclint_graph::ResourceRef) -> String {
    Value::Ref(r.clone()).to_string()
}

/// A resource's identity where a plain value is needed (text, an index, a function
/// argument): it is not known before apply. Located at the reference, else at `span`.
pub(crate) fn ref_not_known(
    r: &vpclint_graph::ResourceRef,
    span: Option<vpclint_graph::Span>,
) -> vpclint_graph::Unknown {
    vpclint_graph::Unknown {
        reason: format!("{} is not known before apply", ref_name(r)).into(),
        span: r.span.or(span),
    }
}

pub(crate) fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}

fn str_arg<'v>(args: &'v [Value], i: usize, f: &str) -> Result<std::borrow::Cow<'v, str>, Value> {
    match arg(args, i) {
        Value::String(s) => Ok(std::borrow::Cow::Borrowed(s)),
        v @ (Value::Number(_) | Value::Bool(_)) => {
            Ok(std::borrow::Cow::Owned(to_string(v).unwrap_or_default()))
        }
        v => Err(invalid(format!(
            "{f}: argument {} must be a string, got {}",
            i + 1,
            v.type_name()
        ))),
    }
}

fn int_arg(args: &[Value], i: usize, f: &str) -> Result<i128, Value> {
    match arg(args, i).as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1.0e30 => Ok(n as i128),
        _ => Err(invalid(format!(
            "{f}: argument {} must be a whole number",
            i + 1
        ))),
    }
}

fn list_arg<'v>(args: &'v [Value], i: usize, f: &str) -> Result<&'v [Value], Value> {
    match arg(args, i) {
        Value::List(l) => Ok(l),
        Value::Unknown(u) => Err(Value::Unknown(u.clone())),
        v => Err(invalid(format!(
            "{f}: argument {} must be a list, got {}",
            i + 1,
            v.type_name()
        ))),
    }
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return e,
        }
    };
}

fn check_arity(args: &[Value], n: usize, f: &str) -> Result<(), Value> {
    if args.len() == n {
        Ok(())
    } else {
        Err(invalid(format!(
            "{f} takes {n} argument(s), got {}",
            args.len()
        )))
    }
}

// ----- networking -----

fn parse_prefix(s: &str, f: &str) -> Result<IpNet, Value> {
    s.parse::<IpNet>()
        .map(|n| n.trunc())
        .map_err(|_| invalid(format!("{f}: invalid CIDR prefix \"{s}\"")))
}

fn addr_bits(net: &IpNet) -> u32 {
    match net {
        IpNet::V4(_) => 32,
        IpNet::V6(_) => 128,
    }
}

fn addr_to_u128(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

fn u128_to_addr(v4: bool, n: u128) -> IpAddr {
    if v4 {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(n & 0xffff_ffff).unwrap_or(0)))
    } else {
        IpAddr::V6(Ipv6Addr::from(n))
    }
}

/// `cidrsubnet(prefix, newbits, netnum)` with Terraform's checks.
pub(crate) fn cidrsubnet_net(prefix: &str, newbits: i128, netnum: i128) -> Result<IpNet, String> {
    let net: IpNet = prefix
        .parse::<IpNet>()
        .map_err(|_| format!("invalid CIDR prefix \"{prefix}\""))?
        .trunc();
    if newbits < 0 {
        return Err("newbits must be non-negative".into());
    }
    if newbits > 32 {
        return Err("may not extend prefix by more than 32 bits".into());
    }
    let bits = addr_bits(&net);
    let new_len = u32::from(net.prefix_len()) + newbits as u32;
    if new_len > bits {
        return Err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.prefix_len()
        ));
    }
    if netnum < 0 || netnum >= (1i128 << newbits) {
        return Err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let shift = bits - new_len;
    let base = addr_to_u128(net.network());
    let value = base | ((netnum as u128).checked_shl(shift).unwrap_or(0));
    let addr = u128_to_addr(matches!(net, IpNet::V4(_)), value);
    IpNet::new(addr, new_len as u8).map_err(|e| e.to_string())
}

/// `cidrhost(prefix, hostnum)` with Terraform's checks (negative numbers count from the end).
pub(crate) fn cidrhost_addr(prefix: &str, hostnum: i128) -> Result<IpAddr, String> {
    let net: IpNet = prefix
        .parse::<IpNet>()
        .map_err(|_| format!("invalid CIDR prefix \"{prefix}\""))?
        .trunc();
    let host_len = addr_bits(&net) - u32::from(net.prefix_len());
    let max: u128 = if host_len >= 128 {
        u128::MAX
    } else {
        (1u128 << host_len) - 1
    };
    let num: u128 = if hostnum < 0 {
        let back = (-hostnum - 1) as u128;
        if back > max {
            return Err(format!(
                "prefix of {} does not accommodate a host numbered {hostnum}",
                net.prefix_len()
            ));
        }
        max - back
    } else {
        let n = hostnum as u128;
        if n > max {
            return Err(format!(
                "prefix of {} does not accommodate a host numbered {hostnum}",
                net.prefix_len()
            ));
        }
        n
    };
    let base = addr_to_u128(net.network());
    Ok(u128_to_addr(matches!(net, IpNet::V4(_)), base | num))
}

fn cidrsubnet(args: &[Value]) -> Value {
    tri!(check_arity(args, 3, "cidrsubnet"));
    let prefix = tri!(str_arg(args, 0, "cidrsubnet"));
    let newbits = tri!(int_arg(args, 1, "cidrsubnet"));
    let netnum = tri!(int_arg(args, 2, "cidrsubnet"));
    match cidrsubnet_net(&prefix, newbits, netnum) {
        Ok(net) => Value::String(net.to_string()),
        Err(e) => invalid(format!("cidrsubnet: {e}")),
    }
}

fn cidrhost(args: &[Value]) -> Value {
    tri!(check_arity(args, 2, "cidrhost"));
    let prefix = tri!(str_arg(args, 0, "cidrhost"));
    let hostnum = tri!(int_arg(args, 1, "cidrhost"));
    match cidrhost_addr(&prefix, hostnum) {
        Ok(ip) => Value::String(ip.to_string()),
        Err(e) => invalid(format!("cidrhost: {e}")),
    }
}

fn cidrnetmask(args: &[Value]) -> Value {
    tri!(check_arity(args, 1, "cidrnetmask"));
    let prefix = tri!(str_arg(args, 0, "cidrnetmask"));
    match tri!(parse_prefix(&prefix, "cidrnetmask")) {
        IpNet::V4(n) => Value::String(n.netmask().to_string()),
        IpNet::V6(_) => invalid("cidrnetmask: only IPv4 prefixes have a netmask"),
    }
}

fn cidrsubnets(args: &[Value]) -> Value {
    let prefix = tri!(str_arg(args, 0, "cidrsubnets"));
    let base = tri!(parse_prefix(&prefix, "cidrsubnets"));
    let bits = addr_bits(&base);
    let mut out = Vec::new();
    // Terraform allocates consecutively: each subnet starts where the previous one ended,
    // aligned to its own size.
    // `None` once a block has ended at the very last address of the address space.
    let mut next: Option<u128> = Some(addr_to_u128(base.network()));
    let end: u128 = addr_to_u128(base.broadcast());
    for i in 1..args.len() {
        let newbits = tri!(int_arg(args, i, "cidrsubnets"));
        let new_len = i128::from(base.prefix_len()) + newbits;
        if newbits < 1 || new_len > i128::from(bits) {
            return invalid(format!(
                "cidrsubnets: cannot extend prefix of {} by {newbits}",
                base.prefix_len()
            ));
        }
        let size: u128 = 1u128.checked_shl(bits - new_len as u32).unwrap_or(0);
        if size == 0 {
            return invalid("cidrsubnets: subnet too large");
        }
        let Some((start, last)) = next
            .and_then(|n| n.checked_next_multiple_of(size))
            .and_then(|start| Some((start, start.checked_add(size - 1)?)))
            .filter(|(_, last)| *last <= end)
        else {
            return invalid("cidrsubnets: not enough remaining address space");
        };
        let addr = u128_to_addr(matches!(base, IpNet::V4(_)), start);
        match IpNet::new(addr, new_len as u8) {
            Ok(n) => out.push(Value::String(n.to_string())),
            Err(e) => return invalid(format!("cidrsubnets: {e}")),
        }
        next = last.checked_add(1);
    }
    Value::List(out)
}

// ----- conversion -----

fn tostring(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Null => Value::Null,
        Value::Ref(r) => Value::Ref(r.clone()),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => to_string(v)
            .map(Value::String)
            .unwrap_or_else(|| invalid(format!("tostring: cannot convert {}", v.type_name()))),
    }
}

fn tonumber(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Null => Value::Null,
        v => v
            .as_f64()
            .map(Value::Number)
            .unwrap_or_else(|| invalid("tonumber: not a number")),
    }
}

fn tobool(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Null => Value::Null,
        v => v
            .as_bool()
            .map(Value::Bool)
            .unwrap_or_else(|| invalid("tobool: not a bool")),
    }
}

fn tolist(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::List(l) => Value::List(l.clone()),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!("tolist: cannot convert {}", v.type_name())),
    }
}

/// Sets of primitives are ordered as Terraform orders them (strings lexically).
fn toset(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::List(l) => {
            if l.iter()
                .any(|v| !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)))
            {
                // Unknown elements make the set's size and order unknown.
                if let Some(u) = l.iter().find_map(|v| match v {
                    Value::Unknown(u) => Some(u.clone()),
                    _ => None,
                }) {
                    return Value::Unknown(u);
                }
                return Value::List(dedup(l));
            }
            let mut items: Vec<(String, Value)> = l
                .iter()
                .filter_map(|v| to_string(v).map(|s| (s, v.clone())))
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            items.dedup_by(|a, b| a.0 == b.0);
            Value::List(items.into_iter().map(|(_, v)| v).collect())
        }
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!("toset: cannot convert {}", v.type_name())),
    }
}

/// The distinct elements of `l`, first occurrences in order. Linear: a hash set of
/// [`Key`]s (`Vec::contains` made `distinct(range(1000000))` quadratic).
fn dedup(l: &[Value]) -> Vec<Value> {
    let mut seen: crate::HashSet<Key<'_>> = crate::HashSet::default();
    seen.reserve(l.len());
    l.iter().filter(|v| seen.insert(Key(v))).cloned().collect()
}

/// The elements of `l` as a set of [`Key`]s, for membership tests in linear time.
fn key_set(l: &[Value]) -> crate::HashSet<Key<'_>> {
    let mut set: crate::HashSet<Key<'_>> = crate::HashSet::default();
    set.reserve(l.len());
    set.extend(l.iter().map(Key));
    set
}

/// A value as a hash key that agrees with `==`: equal values hash alike (maps compare
/// regardless of entry order, `-0 == 0`), so hash sets give exactly the answers of the
/// pairwise comparisons they replace. A NaN equals nothing, itself included, as before.
pub(crate) struct Key<'v>(pub &'v Value);

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self.0 {
            Value::Null => 0u8.hash(state),
            Value::Bool(b) => (1u8, b).hash(state),
            // `0.0 == -0.0`: hash zero one way.
            Value::Number(n) => (2u8, if *n == 0.0 { 0 } else { n.to_bits() }).hash(state),
            Value::String(s) => (3u8, s).hash(state),
            Value::List(l) => {
                (4u8, l.len()).hash(state);
                l.iter().for_each(|v| Key(v).hash(state));
            }
            Value::Map(m) => {
                // Entry order does not count for equality: combine entry hashes with a sum.
                let sum = m.iter().fold(0u64, |sum, (k, v)| {
                    let mut h = std::hash::DefaultHasher::new();
                    (k, Key(v)).hash(&mut h);
                    sum.wrapping_add(std::hash::Hasher::finish(&h))
                });
                (5u8, m.len(), sum).hash(state);
            }
            Value::Unknown(u) => (6u8, &*u.reason).hash(state),
            Value::Ref(r) => (7u8, &r.target, &r.attribute).hash(state),
        }
    }
}

fn tomap(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Map(m) => Value::Map(m.clone()),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!("tomap: cannot convert {}", v.type_name())),
    }
}

// ----- collections -----

fn length(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::List(l) => Value::Number(l.len() as f64),
        Value::Map(m) => Value::Number(m.len() as f64),
        Value::String(s) => Value::Number(s.chars().count() as f64),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!(
            "length: cannot take the length of {}",
            v.type_name()
        )),
    }
}

fn concat(args: &[Value]) -> Value {
    let mut out = Vec::new();
    for (i, _) in args.iter().enumerate() {
        let l = tri!(list_arg(args, i, "concat"));
        if out.len() + l.len() > MAX_COLLECTION {
            return invalid("concat: result too large");
        }
        out.extend_from_slice(l);
    }
    Value::List(out)
}

fn lookup(args: &[Value]) -> Value {
    let key = match arg(args, 1) {
        Value::Unknown(u) => return Value::Unknown(u.clone()),
        v => match to_string(v) {
            Some(k) => k,
            None => return invalid("lookup: key must be a string"),
        },
    };
    match arg(args, 0) {
        Value::Map(m) => match m.get(&key) {
            Some(v) => v.clone(),
            None if args.len() > 2 => arg(args, 2).clone(),
            None => invalid(format!("lookup: no key \"{key}\"")),
        },
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!(
            "lookup: argument 1 must be a map, got {}",
            v.type_name()
        )),
    }
}

fn merge(args: &[Value]) -> Value {
    let mut out = IndexMap::default();
    for v in args {
        match v {
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Null => {}
            Value::Unknown(u) => return Value::Unknown(u.clone()),
            v => {
                return invalid(format!(
                    "merge: arguments must be maps, got {}",
                    v.type_name()
                ))
            }
        }
    }
    Value::Map(out)
}

fn element(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "element"));
    let i = match arg(args, 1) {
        Value::Unknown(u) => return Value::Unknown(u.clone()),
        _ => tri!(int_arg(args, 1, "element")),
    };
    if l.is_empty() {
        return invalid("element: empty list");
    }
    if i < 0 {
        return invalid("element: negative index");
    }
    l.get((i % l.len() as i128) as usize)
        .cloned()
        .unwrap_or(Value::Null)
}

fn keys(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Map(m) => {
            let mut k: Vec<&String> = m.keys().collect();
            k.sort();
            Value::List(k.into_iter().map(|k| Value::String(k.clone())).collect())
        }
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!(
            "keys: argument must be a map, got {}",
            v.type_name()
        )),
    }
}

fn values(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::Map(m) => {
            let mut kv: Vec<(&String, &Value)> = m.iter().collect();
            kv.sort_by(|a, b| a.0.cmp(b.0));
            Value::List(kv.into_iter().map(|(_, v)| v.clone()).collect())
        }
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!(
            "values: argument must be a map, got {}",
            v.type_name()
        )),
    }
}

fn flatten(args: &[Value]) -> Value {
    fn go(v: &[Value], out: &mut Vec<Value>, depth: usize) -> Result<(), Value> {
        if depth > 64 {
            return Err(invalid("flatten: nesting too deep"));
        }
        for item in v {
            match item {
                Value::List(l) => go(l, out, depth + 1)?,
                // An unknown element might be a list: the flattened shape is unknown.
                Value::Unknown(u) => return Err(Value::Unknown(u.clone())),
                other => out.push(other.clone()),
            }
            if out.len() > MAX_COLLECTION {
                return Err(invalid("flatten: result too large"));
            }
        }
        Ok(())
    }
    let l = tri!(list_arg(args, 0, "flatten"));
    let mut out = Vec::new();
    tri!(go(l, &mut out, 0));
    Value::List(out)
}

/// A single scan: linear in the list (the copy of the list that reaching it took was
/// charged to the budget, so a loop of `contains` is bounded too).
fn contains(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "contains"));
    let needle = arg(args, 1);
    if l.iter().any(|v| v == needle) {
        return Value::Bool(true);
    }
    if let Some(u) = l.iter().find_map(|v| v.first_unknown()) {
        return Value::Unknown(u.clone());
    }
    Value::Bool(false)
}

fn distinct(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "distinct"));
    Value::List(dedup(l))
}

fn range(args: &[Value], room: Size) -> Value {
    let nums: Vec<f64> = args.iter().filter_map(Value::as_f64).collect();
    if nums.len() != args.len() || args.is_empty() || args.len() > 3 {
        return invalid("range: takes 1 to 3 numbers");
    }
    let (start, limit, step) = match nums.as_slice() {
        [l] => (0.0, *l, 1.0),
        [s, l] => (*s, *l, if s <= l { 1.0 } else { -1.0 }),
        [s, l, st] => (*s, *l, *st),
        _ => return invalid("range: takes 1 to 3 numbers"),
    };
    if step == 0.0 || !step.is_finite() || !start.is_finite() || !limit.is_finite() {
        return invalid("range: step must not be zero");
    }
    let count = ((limit - start) / step).ceil();
    if count > MAX_COLLECTION as f64 {
        return invalid(format!("range: more than {MAX_COLLECTION} elements"));
    }
    let count = count.max(0.0) as usize;
    if count > room.elements {
        return over_budget();
    }
    Value::List(
        (0..count)
            .map(|i| Value::Number(start + step * i as f64))
            .collect(),
    )
}

fn zipmap(args: &[Value]) -> Value {
    let k = tri!(list_arg(args, 0, "zipmap"));
    let v = tri!(list_arg(args, 1, "zipmap"));
    if k.len() != v.len() {
        return invalid("zipmap: lists must have the same length");
    }
    let mut out = IndexMap::default();
    for (key, val) in k.iter().zip(v) {
        match key {
            Value::Unknown(u) => return Value::Unknown(u.clone()),
            key => match to_string(key) {
                Some(s) => {
                    out.insert(s, val.clone());
                }
                None => return invalid("zipmap: keys must be strings"),
            },
        }
    }
    Value::Map(out)
}

fn coalesce(args: &[Value]) -> Value {
    for v in args {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            // The first non-null value might be this unknown one.
            Value::Unknown(u) => return Value::Unknown(u.clone()),
            v => return v.clone(),
        }
    }
    invalid("coalesce: no non-null, non-empty argument")
}

fn compact(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "compact"));
    Value::List(
        l.iter()
            .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
            .cloned()
            .collect(),
    )
}

fn one(args: &[Value]) -> Value {
    match arg(args, 0) {
        Value::List(l) => match l.as_slice() {
            [] => Value::Null,
            [v] => v.clone(),
            _ => invalid("one: list has more than one element"),
        },
        Value::Unknown(u) => Value::Unknown(u.clone()),
        v => invalid(format!(
            "one: argument must be a list, got {}",
            v.type_name()
        )),
    }
}

fn slice(args: &[Value]) -> Value {
    // A slice of a list that is not known yet (availability zones from a data source)
    // with known bounds has a known length: Terraform fails if the list is shorter.
    if let (Value::Unknown(u), Some(s), Some(e)) =
        (arg(args, 0), arg(args, 1).as_f64(), arg(args, 2).as_f64())
    {
        if s.fract() == 0.0 && e.fract() == 0.0 && s >= 0.0 && e >= s && e - s <= 1024.0 {
            return Value::List(vec![Value::Unknown(u.clone()); (e - s) as usize]);
        }
    }
    let l = tri!(list_arg(args, 0, "slice"));
    let (s, e) = match (arg(args, 1), arg(args, 2)) {
        (Value::Unknown(u), _) | (_, Value::Unknown(u)) => return Value::Unknown(u.clone()),
        _ => (
            tri!(int_arg(args, 1, "slice")),
            tri!(int_arg(args, 2, "slice")),
        ),
    };
    if s < 0 || e < s || e as usize > l.len() {
        return invalid("slice: index out of range");
    }
    Value::List(l.get(s as usize..e as usize).unwrap_or_default().to_vec())
}

fn all_bools(args: &[Value], f: &str) -> Result<Vec<Option<bool>>, Value> {
    let l = list_arg(args, 0, f)?;
    l.iter()
        .map(|v| match v {
            Value::Unknown(_) => Ok(None),
            v => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| invalid(format!("{f}: elements must be bools"))),
        })
        .collect()
}

fn alltrue(args: &[Value]) -> Value {
    let b = tri!(all_bools(args, "alltrue"));
    if b.contains(&Some(false)) {
        Value::Bool(false)
    } else if b.contains(&None) {
        Value::unknown("alltrue of unknown elements", None)
    } else {
        Value::Bool(true)
    }
}

fn anytrue(args: &[Value]) -> Value {
    let b = tri!(all_bools(args, "anytrue"));
    if b.contains(&Some(true)) {
        Value::Bool(true)
    } else if b.contains(&None) {
        Value::unknown("anytrue of unknown elements", None)
    } else {
        Value::Bool(false)
    }
}

// ----- numbers -----

fn numbers(args: &[Value], f: &str) -> Result<Vec<f64>, Value> {
    args.iter()
        .map(|v| {
            v.as_f64()
                .ok_or_else(|| invalid(format!("{f}: arguments must be numbers")))
        })
        .collect()
}

fn min(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "min"));
    n.into_iter()
        .reduce(f64::min)
        .map(Value::Number)
        .unwrap_or_else(|| invalid("min: no arguments"))
}

fn max(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "max"));
    n.into_iter()
        .reduce(f64::max)
        .map(Value::Number)
        .unwrap_or_else(|| invalid("max: no arguments"))
}

fn abs(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "abs"));
    n.first()
        .map(|n| Value::Number(n.abs()))
        .unwrap_or_else(|| invalid("abs: no argument"))
}

// ----- strings -----

/// `format` with the verbs vpclint needs: `%s`, `%d`, `%v`, `%%` (flags and widths are not supported).
fn format(args: &[Value], room: Size) -> Value {
    let spec = tri!(str_arg(args, 0, "format"));
    if spec.len() > room.bytes {
        return over_budget();
    }
    let mut out = String::with_capacity(spec.len());
    let mut next = 1;
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v')) => {
                let v = arg(args, next);
                next += 1;
                let s = match (verb, v) {
                    ('d', v) => match v.as_f64() {
                        Some(n) if n.fract() == 0.0 => fmt_number(n),
                        _ => return invalid("format: %d needs a whole number"),
                    },
                    (_, v) => match to_string(v) {
                        Some(s) => s,
                        None => return invalid("format: cannot format a collection with %s"),
                    },
                };
                if out.len() + s.len() > room.bytes {
                    return over_budget();
                }
                out.push_str(&s);
            }
            other => {
                return Value::unknown(
                    format!(
                        "format verb %{} is not supported yet",
                        other.map(String::from).unwrap_or_default()
                    ),
                    None,
                )
            }
        }
    }
    Value::String(out)
}

fn join(args: &[Value], room: Size) -> Value {
    let sep = tri!(str_arg(args, 0, "join"));
    let mut parts = Vec::new();
    // The result's length, known before it is built (the separator repeats).
    let mut len = 0usize;
    for i in 1..args.len() {
        for v in tri!(list_arg(args, i, "join")) {
            match v {
                Value::Unknown(u) => return Value::Unknown(u.clone()),
                Value::Ref(r) => return Value::Unknown(ref_not_known(r, None)),
                v => match to_string(v) {
                    Some(s) => {
                        len = len
                            .saturating_add(s.len())
                            .saturating_add(if parts.is_empty() { 0 } else { sep.len() });
                        if len > room.bytes {
                            return over_budget();
                        }
                        parts.push(s);
                    }
                    None => return invalid("join: elements must be strings"),
                },
            }
        }
    }
    Value::String(parts.join(&sep))
}

fn split(args: &[Value], room: Size) -> Value {
    let sep = tri!(str_arg(args, 0, "split"));
    let s = tri!(str_arg(args, 1, "split"));
    if s.is_empty() {
        return Value::List(Vec::new());
    }
    let pieces = if sep.is_empty() {
        s.chars().count()
    } else {
        s.matches(&*sep).count() + 1
    };
    if !Size::new(s.len(), pieces).fits(room) {
        return over_budget();
    }
    if sep.is_empty() {
        return Value::List(s.chars().map(|c| Value::String(c.to_string())).collect());
    }
    Value::List(
        s.split(&*sep)
            .map(|p| Value::String(p.to_owned()))
            .collect(),
    )
}

fn replace(args: &[Value], room: Size) -> Value {
    let s = tri!(str_arg(args, 0, "replace"));
    let from = tri!(str_arg(args, 1, "replace"));
    let to = tri!(str_arg(args, 2, "replace"));
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        let pattern = from.get(1..from.len() - 1).unwrap_or_default();
        let re = tri!(compile(pattern, "replace"));
        // `Regex::replace_all`, written out so the result stops growing past the room left.
        // Terraform uses `$1`/`${name}` for groups, as the regex crate does (`expand`).
        let mut out = String::new();
        let mut last = 0;
        for caps in re.captures_iter(&s) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(s.get(last..m.start()).unwrap_or_default());
            caps.expand(&to, &mut out);
            last = m.end();
            if out.len() > room.bytes {
                return over_budget();
            }
        }
        out.push_str(s.get(last..).unwrap_or_default());
        if out.len() > room.bytes {
            return over_budget();
        }
        return Value::String(out);
    }
    if from.is_empty() {
        return Value::String(s.into_owned());
    }
    // The result's length before it is built: each match grows it by `to - from`.
    if to.len() > from.len() {
        let growth = s
            .matches(&*from)
            .count()
            .saturating_mul(to.len() - from.len());
        if s.len().saturating_add(growth) > room.bytes {
            return over_budget();
        }
    }
    Value::String(s.replace(&*from, &to))
}

fn lower(args: &[Value]) -> Value {
    Value::String(tri!(str_arg(args, 0, "lower")).to_lowercase())
}

fn upper(args: &[Value]) -> Value {
    Value::String(tri!(str_arg(args, 0, "upper")).to_uppercase())
}

fn trimspace(args: &[Value]) -> Value {
    Value::String(tri!(str_arg(args, 0, "trimspace")).trim().to_owned())
}

fn startswith(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "startswith"));
    let p = tri!(str_arg(args, 1, "startswith"));
    Value::Bool(s.starts_with(&*p))
}

fn endswith(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "endswith"));
    let p = tri!(str_arg(args, 1, "endswith"));
    Value::Bool(s.ends_with(&*p))
}

fn formatlist(args: &[Value], room: Size) -> Value {
    // Every list argument must have the same length; other arguments repeat.
    let mut len: Option<usize> = None;
    for a in args.iter().skip(1) {
        if let Value::List(l) = a {
            match len {
                Some(n) if n != l.len() => {
                    return invalid("formatlist: list arguments must have the same length")
                }
                _ => len = Some(l.len()),
            }
        }
    }
    let Some(len) = len else {
        return invalid("formatlist: needs at least one list argument");
    };
    if len > room.elements {
        return over_budget();
    }
    // Each string is formatted in the room the previous ones left.
    let mut left = room.bytes;
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let mut call: Vec<Value> = Vec::with_capacity(args.len());
        for (j, a) in args.iter().enumerate() {
            match a {
                Value::List(l) if j > 0 => call.push(l.get(i).cloned().unwrap_or(Value::Null)),
                other => call.push(other.clone()),
            }
        }
        if let Some(u) = call.iter().find_map(|v| v.first_unknown()) {
            out.push(Value::Unknown(u.clone()));
        } else {
            let one = format(&call, Size::new(left, room.elements));
            match &one {
                Value::String(s) => left -= s.len(),
                Value::Unknown(u) if &*u.reason == OVER_BUDGET => return one,
                _ => {}
            }
            out.push(one);
        }
    }
    Value::List(out)
}

fn substr(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "substr"));
    let offset = tri!(int_arg(args, 1, "substr"));
    let length = tri!(int_arg(args, 2, "substr"));
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len() as i128;
    let start = if offset < 0 { n + offset } else { offset };
    if start < 0 || start > n {
        return invalid("substr: offset out of range");
    }
    let end = if length < 0 {
        n
    } else {
        (start + length).min(n)
    };
    Value::String(
        chars
            .get(start as usize..end as usize)
            .unwrap_or_default()
            .iter()
            .collect(),
    )
}

fn trim(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "trim"));
    let cut = tri!(str_arg(args, 1, "trim"));
    Value::String(s.trim_matches(|c| cut.contains(c)).to_owned())
}

fn trimprefix(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "trimprefix"));
    let p = tri!(str_arg(args, 1, "trimprefix"));
    Value::String(s.strip_prefix(&*p).unwrap_or(&s).to_owned())
}

fn trimsuffix(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "trimsuffix"));
    let p = tri!(str_arg(args, 1, "trimsuffix"));
    Value::String(s.strip_suffix(&*p).unwrap_or(&s).to_owned())
}

fn title(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "title"));
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    Value::String(out)
}

fn strrev(args: &[Value]) -> Value {
    Value::String(tri!(str_arg(args, 0, "strrev")).chars().rev().collect())
}

fn basename(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "basename"));
    let trimmed = s.trim_end_matches('/');
    Value::String(
        trimmed
            .rsplit('/')
            .next()
            .filter(|b| !b.is_empty())
            .unwrap_or(if s.starts_with('/') { "/" } else { "." })
            .to_owned(),
    )
}

fn dirname(args: &[Value]) -> Value {
    let s = tri!(str_arg(args, 0, "dirname"));
    let trimmed = s.trim_end_matches('/');
    Value::String(match trimmed.rfind('/') {
        Some(0) => "/".to_owned(),
        Some(i) => trimmed.get(..i).unwrap_or_default().to_owned(),
        None => ".".to_owned(),
    })
}

/// Longest pattern vpclint compiles (Terraform's patterns are short; this bounds the work).
const MAX_PATTERN: usize = 1_000;

fn compile(pattern: &str, f: &str) -> Result<regex::Regex, Value> {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<String, regex::Regex>> =
            std::cell::RefCell::new(HashMap::default());
    }
    if pattern.len() > MAX_PATTERN {
        return Err(invalid(format!("{f}: pattern too long")));
    }
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| invalid(format!("{f}: invalid pattern: {e}")))?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 256 {
            c.insert(pattern.to_owned(), re.clone());
        }
    });
    Ok(re)
}

/// One match as Terraform returns it: the string, a list of groups, or a map of named groups.
fn regex_match(re: &regex::Regex, caps: &regex::Captures<'_>) -> Value {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.is_empty() {
        return Value::String(caps.get(0).map_or("", |m| m.as_str()).to_owned());
    }
    if names.iter().all(Option::is_some) {
        return Value::Map(
            names
                .iter()
                .flatten()
                .map(|n| {
                    let v = caps
                        .name(n)
                        .map_or(Value::Null, |m| Value::string(m.as_str()));
                    ((*n).to_owned(), v)
                })
                .collect(),
        );
    }
    Value::List(
        (1..caps.len())
            .map(|i| {
                caps.get(i)
                    .map_or(Value::Null, |m| Value::string(m.as_str()))
            })
            .collect(),
    )
}

fn regex_fn(args: &[Value]) -> Value {
    let pattern = tri!(str_arg(args, 0, "regex"));
    let s = tri!(str_arg(args, 1, "regex"));
    let re = tri!(compile(&pattern, "regex"));
    match re.captures(&s) {
        Some(caps) => regex_match(&re, &caps),
        None => invalid("regex: pattern did not match"),
    }
}

fn regexall(args: &[Value], room: Size) -> Value {
    let pattern = tri!(str_arg(args, 0, "regexall"));
    let s = tri!(str_arg(args, 1, "regexall"));
    let re = tri!(compile(&pattern, "regexall"));
    // Matches of empty patterns are many more than the bytes matched: count as they come.
    let mut out = Vec::new();
    let mut bytes = 0usize;
    for caps in re.captures_iter(&s).take(MAX_COLLECTION) {
        bytes = bytes.saturating_add(caps.get(0).map_or(0, |m| m.len()));
        // A match and its groups: at most one element per group and the match.
        let elements = out
            .len()
            .saturating_add(1)
            .saturating_mul(caps.len().max(1));
        if !Size::new(bytes.saturating_mul(caps.len().max(1)), elements).fits(room) {
            return over_budget();
        }
        out.push(regex_match(&re, &caps));
    }
    Value::List(out)
}

fn coalescelist(args: &[Value]) -> Value {
    for v in args {
        match v {
            Value::List(l) if l.is_empty() => {}
            Value::List(_) => return v.clone(),
            Value::Null => {}
            Value::Unknown(u) => return Value::Unknown(u.clone()),
            other => {
                return invalid(format!(
                    "coalescelist: arguments must be lists, got {}",
                    other.type_name()
                ))
            }
        }
    }
    invalid("coalescelist: no non-empty list argument")
}

fn setproduct(args: &[Value], room: Size) -> Value {
    // The result's size before it is built: each element of set i appears in
    // (product / its length) tuples.
    let mut lists = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        lists.push(tri!(list_arg(args, i, "setproduct")));
    }
    let product = lists
        .iter()
        .try_fold(1usize, |p, l| p.checked_mul(l.len()))
        .unwrap_or(usize::MAX);
    if product > 0 && product <= MAX_COLLECTION {
        let mut size = Size::elements(product.saturating_mul(lists.len() + 1));
        for l in &lists {
            let Some(one) = crate::budget::measure_all(l, room) else {
                return over_budget();
            };
            let copies = product / l.len().max(1);
            size = size.plus(Size::new(
                one.bytes.saturating_mul(copies),
                one.elements.saturating_mul(copies),
            ));
        }
        if !size.fits(room) {
            return over_budget();
        }
    }
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for i in 0..args.len() {
        let l = tri!(list_arg(args, i, "setproduct"));
        if out.len().saturating_mul(l.len()) > MAX_COLLECTION {
            return invalid("setproduct: result too large");
        }
        out = out
            .into_iter()
            .flat_map(|prefix| {
                l.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    if args.is_empty() {
        return invalid("setproduct: needs at least one set");
    }
    Value::List(out.into_iter().map(Value::List).collect())
}

// The set functions are linear in their arguments (hash sets of [`Key`]s), then sort as
// `toset` does.

fn setunion(args: &[Value]) -> Value {
    let mut seen: crate::HashSet<Key<'_>> = crate::HashSet::default();
    let mut out: Vec<Value> = Vec::new();
    for i in 0..args.len() {
        for v in tri!(list_arg(args, i, "setunion")) {
            if seen.insert(Key(v)) {
                out.push(v.clone());
            }
        }
    }
    toset(&[Value::List(out)])
}

fn setintersection(args: &[Value]) -> Value {
    let first = tri!(list_arg(args, 0, "setintersection"));
    let mut out: Vec<Value> = dedup(first);
    for i in 1..args.len() {
        let l = tri!(list_arg(args, i, "setintersection"));
        let set = key_set(l);
        out.retain(|v| set.contains(&Key(v)));
    }
    toset(&[Value::List(out)])
}

fn setsubtract(args: &[Value]) -> Value {
    let a = tri!(list_arg(args, 0, "setsubtract"));
    let b = key_set(tri!(list_arg(args, 1, "setsubtract")));
    toset(&[Value::List(
        a.iter().filter(|v| !b.contains(&Key(v))).cloned().collect(),
    )])
}

fn sort(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "sort"));
    let mut items: Vec<String> = Vec::with_capacity(l.len());
    for v in l {
        match to_string(v) {
            Some(s) => items.push(s),
            None => return invalid("sort: elements must be strings"),
        }
    }
    items.sort();
    Value::List(items.into_iter().map(Value::String).collect())
}

fn reverse(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "reverse"));
    Value::List(l.iter().rev().cloned().collect())
}

fn sum(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "sum"));
    let n = tri!(numbers(l, "sum"));
    if n.is_empty() {
        return invalid("sum: empty list");
    }
    Value::Number(n.iter().sum())
}

fn index_of(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "index"));
    match l.iter().position(|v| v == arg(args, 1)) {
        Some(i) => Value::Number(i as f64),
        None => invalid("index: item not found"),
    }
}

fn chunklist(args: &[Value]) -> Value {
    let l = tri!(list_arg(args, 0, "chunklist"));
    let size = match arg(args, 1) {
        Value::Unknown(u) => return Value::Unknown(u.clone()),
        _ => tri!(int_arg(args, 1, "chunklist")),
    };
    if size < 0 {
        return invalid("chunklist: size must not be negative");
    }
    if size == 0 {
        return Value::List(vec![Value::List(l.to_vec())]);
    }
    Value::List(
        l.chunks(usize::try_from(size).unwrap_or(usize::MAX))
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    )
}

fn matchkeys(args: &[Value]) -> Value {
    let values = tri!(list_arg(args, 0, "matchkeys"));
    let keys = tri!(list_arg(args, 1, "matchkeys"));
    let search = tri!(list_arg(args, 2, "matchkeys"));
    if values.len() != keys.len() {
        return invalid("matchkeys: values and keys must have the same length");
    }
    let search = key_set(search);
    Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.contains(&Key(k)))
            .map(|(v, _)| v.clone())
            .collect(),
    )
}

fn transpose(args: &[Value], room: Size) -> Value {
    let Value::Map(m) = arg(args, 0) else {
        return invalid("transpose: argument must be a map of lists");
    };
    // Every key is copied once per element of its list: the size before it is built.
    let mut size = Size::default();
    for (k, v) in m {
        if let Value::List(l) = v {
            size = size.plus(Size::new(
                k.len().saturating_mul(l.len()),
                l.len().saturating_mul(2),
            ));
        }
    }
    if !size.fits(room) {
        return over_budget();
    }
    let mut out: IndexMap<String, Vec<Value>> = IndexMap::default();
    for (k, v) in m {
        let Value::List(l) = v else {
            return invalid("transpose: argument must be a map of lists");
        };
        for item in l {
            match to_string(item) {
                Some(s) => out.entry(s).or_default().push(Value::String(k.clone())),
                None => return invalid("transpose: list elements must be strings"),
            }
        }
    }
    out.sort_keys();
    Value::Map(out.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
}

fn ceil(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "ceil"));
    n.first()
        .map(|n| Value::Number(n.ceil()))
        .unwrap_or_else(|| invalid("ceil: no argument"))
}

fn floor(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "floor"));
    n.first()
        .map(|n| Value::Number(n.floor()))
        .unwrap_or_else(|| invalid("floor: no argument"))
}

fn pow(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "pow"));
    match n.as_slice() {
        [a, b] => Value::Number(a.powf(*b)),
        _ => invalid("pow takes 2 arguments"),
    }
}

fn signum(args: &[Value]) -> Value {
    let n = tri!(numbers(args, "signum"));
    n.first()
        .map(|n| Value::Number(if *n == 0.0 { 0.0 } else { n.signum() }))
        .unwrap_or_else(|| invalid("signum: no argument"))
}

// ----- encoding -----

/// The JSON text of a wholly known value (`None` when something inside is unknown or a reference).
pub(crate) fn to_json(v: &Value) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(_) => v.to_json(),
        Value::String(s) => J::String(s.clone()),
        Value::List(l) => J::Array(l.iter().map(to_json).collect::<Option<_>>()?),
        Value::Map(m) => J::Object(
            m.iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Unknown(_) | Value::Ref(_) => return None,
    })
}

fn jsonencode(args: &[Value], room: Size) -> Value {
    /// Writes up to `limit` bytes, then fails: the text stops growing past the room left.
    struct Capped {
        out: Vec<u8>,
        limit: usize,
    }
    impl std::io::Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.out.len() + buf.len() > self.limit {
                return Err(std::io::Error::other("over budget"));
            }
            self.out.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let v = arg(args, 0);
    match to_json(v) {
        Some(j) => {
            let mut capped = Capped {
                out: Vec::new(),
                limit: room.bytes,
            };
            if serde_json::to_writer(&mut capped, &j).is_err() {
                return over_budget();
            }
            match String::from_utf8(capped.out) {
                Ok(s) => Value::String(s),
                Err(_) => invalid("jsonencode: not UTF-8"),
            }
        }
        None => Value::unknown(
            "jsonencode of a value with parts not known before apply",
            v.first_unknown().and_then(|u| u.span),
        ),
    }
}

fn jsondecode(args: &[Value], room: Size) -> Value {
    let s = tri!(str_arg(args, 0, "jsondecode"));
    // At most one element per `,`, `[` and `{`, and no more bytes than the text: a bound
    // known before the text is parsed.
    let elements = s
        .bytes()
        .filter(|b| matches!(b, b',' | b'[' | b'{'))
        .count();
    if !Size::new(s.len(), elements).fits(room) {
        return over_budget();
    }
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(j) => Value::from_json(&j),
        Err(e) => invalid(format!("jsondecode: {e}")),
    }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Value {
        let (f, _) = registry().get(name).expect("registered");
        f.call(args, Size::UNLIMITED)
    }
    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn cidrsubnet_ipv4_matches_terraform() {
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/16"), n(8.0), n(2.0)]),
            s("10.0.2.0/24")
        );
        assert_eq!(
            call("cidrsubnet", &[s("172.16.0.0/12"), n(4.0), n(2.0)]),
            s("172.18.0.0/16")
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        // Host bits of the prefix are ignored, as in Terraform.
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.5/16"), n(8.0), n(1.0)]),
            s("10.0.1.0/24")
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/16"), n(0.0), n(0.0)]),
            s("10.0.0.0/16")
        );
        for bad in [
            call("cidrsubnet", &[s("10.0.0.0/16"), n(8.0), n(256.0)]),
            call("cidrsubnet", &[s("10.0.0.0/30"), n(3.0), n(0.0)]),
            call("cidrsubnet", &[s("nope"), n(8.0), n(0.0)]),
            call("cidrsubnet", &[s("10.0.0.0/16"), n(8.0), n(-1.0)]),
        ] {
            assert!(
                bad.first_unknown()
                    .is_some_and(|u| u.reason.starts_with(INVALID)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn cidrsubnet_ipv6_matches_terraform() {
        assert_eq!(
            call(
                "cidrsubnet",
                &[s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(
            call(
                "cidrsubnet",
                &[s("2600:1f14:abc:de00::/56"), n(8.0), n(1.0)]
            ),
            s("2600:1f14:abc:de01::/64")
        );
        // Terraform refuses to extend by more than 32 bits.
        assert!(call("cidrsubnet", &[s("2600::/32"), n(33.0), n(0.0)]).is_unknown());
    }

    #[test]
    fn cidrhost_v4_and_v6() {
        assert_eq!(
            call("cidrhost", &[s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            call("cidrhost", &[s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            call("cidrhost", &[s("10.0.0.0/24"), n(-1.0)]),
            s("10.0.0.255")
        );
        assert_eq!(
            call("cidrhost", &[s("10.0.0.0/24"), n(-256.0)]),
            s("10.0.0.0")
        );
        assert!(call("cidrhost", &[s("10.0.0.0/24"), n(256.0)]).is_unknown());
        assert!(call("cidrhost", &[s("10.0.0.0/24"), n(-257.0)]).is_unknown());
        assert_eq!(
            call("cidrhost", &[s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)]),
            s("fd00:fd12:3456:7890::22")
        );
        assert_eq!(
            call("cidrhost", &[s("2001:db8::/64"), n(-1.0)]),
            s("2001:db8::ffff:ffff:ffff:ffff")
        );
    }

    #[test]
    fn cidrsubnets_allocates_consecutively() {
        assert_eq!(
            call(
                "cidrsubnets",
                &[s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            Value::List(vec![
                s("10.1.0.0/20"),
                s("10.1.16.0/20"),
                s("10.1.32.0/24"),
                s("10.1.48.0/20")
            ])
        );
        assert_eq!(call("cidrnetmask", &[s("172.16.0.0/12")]), s("255.240.0.0"));
    }

    #[test]
    fn collections_keep_unknown_elements() {
        let u = Value::unknown("data source", None);
        let l = call(
            "concat",
            &[
                Value::List(vec![s("a"), u.clone()]),
                Value::List(vec![s("b")]),
            ],
        );
        assert_eq!(l, Value::List(vec![s("a"), u.clone(), s("b")]));
        assert_eq!(call("length", &[l]), n(3.0));
        assert_eq!(
            call("element", &[Value::List(vec![s("a"), s("b")]), n(3.0)]),
            s("b")
        );
        assert_eq!(call("format", &[s("%s-%d%%"), s("x"), n(4.0)]), s("x-4%"));
        assert_eq!(
            call("toset", &[Value::List(vec![s("b"), s("a"), s("b")])]),
            Value::List(vec![s("a"), s("b")])
        );
        assert!(call("range", &[n(1e9)]).is_unknown());
        assert_eq!(
            call(
                "jsonencode",
                &[Value::Map(
                    [("a".to_string(), n(1.0))].into_iter().collect()
                )]
            ),
            s("{\"a\":1}")
        );
        assert_eq!(
            call("lookup", &[Value::Map(IndexMap::default()), s("k"), s("d")]),
            s("d")
        );
    }

    fn l(items: &[Value]) -> Value {
        Value::List(items.to_vec())
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn set_functions_keep_their_semantics() {
        // `distinct` keeps first occurrences in order; maps are equal whatever their entry
        // order; `0 == -0`.
        let ab = map(&[("a", n(1.0)), ("b", n(2.0))]);
        let ba = map(&[("b", n(2.0)), ("a", n(1.0))]);
        assert_eq!(
            call(
                "distinct",
                &[l(&[
                    s("b"),
                    s("a"),
                    s("b"),
                    ab.clone(),
                    ba.clone(),
                    n(0.0),
                    n(-0.0)
                ])]
            ),
            l(&[s("b"), s("a"), ab.clone(), n(0.0)])
        );
        // Set results are sorted as `toset` sorts them (strings lexically).
        assert_eq!(
            call("setunion", &[l(&[s("b"), s("c")]), l(&[s("a"), s("b")])]),
            l(&[s("a"), s("b"), s("c")])
        );
        assert_eq!(
            call(
                "setintersection",
                &[
                    l(&[s("c"), s("a"), s("b")]),
                    l(&[s("b"), s("c")]),
                    l(&[s("c"), s("b"), s("x")])
                ]
            ),
            l(&[s("b"), s("c")])
        );
        assert_eq!(
            call("setsubtract", &[l(&[s("c"), s("a"), s("b")]), l(&[s("b")])]),
            l(&[s("a"), s("c")])
        );
        assert_eq!(
            call("setintersection", &[l(&[ab.clone(), s("x")]), l(&[ba])]),
            l(&[ab])
        );
        assert_eq!(
            call(
                "matchkeys",
                &[
                    l(&[s("i-1"), s("i-2"), s("i-3")]),
                    l(&[s("a"), s("b"), s("a")]),
                    l(&[s("a")])
                ]
            ),
            l(&[s("i-1"), s("i-3")])
        );
        assert_eq!(
            call("contains", &[l(&[n(1.0), n(2.0)]), n(2.0)]),
            Value::Bool(true)
        );
    }

    #[test]
    fn set_functions_are_near_linear() {
        // 200,000 elements: pairwise comparisons (2e10) would take minutes.
        let big = |from: usize| {
            l(&(from..from + 200_000)
                .map(|i| n(i as f64))
                .collect::<Vec<_>>())
        };
        let started = std::time::Instant::now();
        for (f, args) in [
            ("distinct", vec![big(0)]),
            ("setunion", vec![big(0), big(1)]),
            ("setintersection", vec![big(0), big(1)]),
            ("setsubtract", vec![big(0), big(1)]),
            ("matchkeys", vec![big(0), big(0), big(1)]),
        ] {
            assert!(
                call(f, &args).as_list().is_some_and(|l| !l.is_empty()),
                "{f}"
            );
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
    }

    fn bounded(name: &str, args: &[Value], room: Size) -> bool {
        let (f, _) = registry().get(name).expect("registered");
        f.call(args, room)
            .first_unknown()
            .is_some_and(|u| &*u.reason == OVER_BUDGET)
    }

    #[test]
    fn results_larger_than_the_room_left_are_not_built() {
        let room = Size::new(1000, 100);
        let x600 = s(&"x".repeat(600));
        let one = l(std::slice::from_ref(&x600));
        assert!(bounded(
            "join",
            &[s(""), l(&[x600.clone(), x600.clone()])],
            room
        ));
        assert!(!bounded("join", &[s(","), one.clone()], room));
        assert!(bounded(
            "join",
            &[s(&"-".repeat(20)), l(&vec![s("a"); 60])],
            room
        ));
        assert!(bounded(
            "format",
            &[s("%s%s"), x600.clone(), x600.clone()],
            room
        ));
        assert!(bounded("replace", &[x600.clone(), s("x"), s("xx")], room));
        assert!(bounded(
            "replace",
            &[x600.clone(), s("/x/"), s("$0$0")],
            room
        ));
        assert!(!bounded("replace", &[x600.clone(), s("x"), s("y")], room));
        assert!(bounded(
            "formatlist",
            &[s("%s%s"), one.clone(), one.clone()],
            room
        ));
        assert!(bounded("range", &[n(101.0)], room));
        assert!(!bounded("range", &[n(100.0)], room));
        assert!(bounded("split", &[s(""), x600.clone()], room));
        assert!(bounded("regexall", &[s("x"), x600.clone()], room));
        assert!(bounded(
            "jsonencode",
            &[l(&[x600.clone(), x600.clone()])],
            room
        ));
        assert!(bounded("jsondecode", &[s(&"[1,".repeat(60))], room));
        assert!(bounded(
            "setproduct",
            &[one.clone(), l(&[n(1.0), n(2.0)])],
            room
        ));
        assert!(bounded(
            "transpose",
            &[map(&[(&"k".repeat(600), l(&[s("a"), s("b")]))])],
            room
        ));
        // Within the room: the same results as before.
        assert_eq!(
            call("replace", &[s("a-b"), s("/(\\w)/"), s("<$1>")]),
            s("<a>-<b>")
        );
        assert_eq!(call("jsonencode", &[l(&[s("a"), n(1.0)])]), s("[\"a\",1]"));
    }
}
