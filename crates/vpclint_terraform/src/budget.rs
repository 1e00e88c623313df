//! The evaluation budget: how much value memory the evaluation of one stack (a root module
//! and every module instance it calls) may create.
//!
//! Element counts alone do not bound memory: a string doubled forty times through locals is
//! one element, and three hundred `range(999999)` locals are each under the per-value limit.
//! So every value evaluation creates (a literal, a template, a function result, a `for`
//! element, the copy a reference reads) is charged, in bytes of strings and in collection
//! elements, before or as it is built. A value that does not fit becomes unknown, one located
//! error says so, and the budget closes: whatever later needs room is unknown too, so a
//! hostile file costs at most the budget, never a multiple of it (see docs/architecture.md,
//! "Limits").

use std::cell::Cell;

use vpclint_graph::Value;

/// Most bytes of strings the evaluation of one stack may create (64 MiB). Real stacks
/// create a few MB (the 1,000-VPC benchmark: see docs/architecture.md), and the largest
/// real strings, policy documents, are capped by AWS at a few KB to a few hundred KB.
pub(crate) const MAX_STACK_BYTES: usize = 64 << 20;
/// Most collection elements (list items and map entries, counted at every level) the
/// evaluation of one stack may create: four of the largest single collection
/// ([`crate::functions::MAX_COLLECTION`]), so a maximal `range` can still be read and
/// iterated over, while the values alive at once stay well under 1 GB.
pub(crate) const MAX_STACK_ELEMENTS: usize = 4_000_000;

/// The reason of a value that did not fit (functions return it when the result they would
/// build is larger than the room left; the evaluator then reports the breach).
pub(crate) const OVER_BUDGET: &str = "value too large: vpclint's evaluation budget of this stack \
     (64 MiB of strings, 4000000 collection elements) is spent";

/// The size of a value as the budget counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Size {
    /// Bytes of strings (map keys and reference addresses included).
    pub bytes: usize,
    /// List items and map entries.
    pub elements: usize,
}

impl Size {
    pub const fn new(bytes: usize, elements: usize) -> Self {
        Size { bytes, elements }
    }

    pub const fn bytes(bytes: usize) -> Self {
        Size { bytes, elements: 0 }
    }

    pub const fn elements(elements: usize) -> Self {
        Size { bytes: 0, elements }
    }

    /// Room enough for anything: for calls made outside an evaluation (tests).
    #[cfg(test)]
    pub const UNLIMITED: Size = Size::new(usize::MAX, usize::MAX);

    pub fn fits(self, room: Size) -> bool {
        self.bytes <= room.bytes && self.elements <= room.elements
    }

    pub fn plus(self, other: Size) -> Size {
        Size {
            bytes: self.bytes.saturating_add(other.bytes),
            elements: self.elements.saturating_add(other.elements),
        }
    }
}

/// The size of `v`, or `None` when it does not fit in `room`. The walk stops as soon as it
/// no longer fits, so measuring costs at most what fits.
pub(crate) fn measure(v: &Value, room: Size) -> Option<Size> {
    let mut left = room;
    walk(v, &mut left).then(|| used(room, left))
}

/// The size of a list of values (the list itself not counted), as [`measure`].
pub(crate) fn measure_all(items: &[Value], room: Size) -> Option<Size> {
    let mut left = room;
    items
        .iter()
        .all(|v| walk(v, &mut left))
        .then(|| used(room, left))
}

fn used(room: Size, left: Size) -> Size {
    Size::new(room.bytes - left.bytes, room.elements - left.elements)
}

/// Takes the size of `v` from `left`; `false` as soon as it does not fit.
fn walk(v: &Value, left: &mut Size) -> bool {
    let own = match v {
        Value::String(s) => Size::bytes(s.len()),
        Value::Ref(r) => Size::bytes(r.target.len() + r.attribute.len()),
        Value::List(l) => Size::elements(l.len()),
        Value::Map(m) => Size::elements(m.len()),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Unknown(_) => return true,
    };
    if !own.fits(*left) {
        return false;
    }
    left.bytes -= own.bytes;
    left.elements -= own.elements;
    match v {
        Value::List(l) => l.iter().all(|x| walk(x, left)),
        Value::Map(m) => m.iter().all(|(k, x)| {
            if k.len() > left.bytes {
                return false;
            }
            left.bytes -= k.len();
            walk(x, left)
        }),
        _ => true,
    }
}

/// What is left of one stack's budget.
pub(crate) struct Budget {
    left: Cell<Size>,
    /// Whether the breach was reported (one error per stack).
    reported: Cell<bool>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            left: Cell::new(Size::new(MAX_STACK_BYTES, MAX_STACK_ELEMENTS)),
            reported: Cell::new(false),
        }
    }
}

impl Budget {
    /// The room left.
    pub fn room(&self) -> Size {
        self.left.get()
    }

    /// Takes `size` from the budget. When it does not fit, the budget closes (nothing is
    /// left) and the answer is `false`: after one breach every later value that needs room
    /// fails at once, so a file cannot make vpclint measure or copy large values over and over.
    pub fn take(&self, size: Size) -> bool {
        let left = self.left.get();
        if size.fits(left) {
            self.left.set(Size::new(
                left.bytes - size.bytes,
                left.elements - size.elements,
            ));
            true
        } else {
            self.close();
            false
        }
    }

    /// Measures `v` and takes its size.
    pub fn take_value(&self, v: &Value) -> bool {
        match measure(v, self.left.get()) {
            Some(size) => self.take(size),
            None => {
                self.close();
                false
            }
        }
    }

    pub fn close(&self) {
        self.left.set(Size::default());
    }

    /// Whether nothing is left (after a breach).
    pub fn is_closed(&self) -> bool {
        self.left.get() == Size::default()
    }

    /// `true` the first time only: whether the breach is still to be reported.
    pub fn first_breach(&self) -> bool {
        !self.reported.replace(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vpclint_graph::IndexMap;

    #[test]
    fn measure_counts_bytes_and_elements_at_every_level() {
        let map: IndexMap<String, Value> = [("key".to_owned(), Value::string("abcd"))]
            .into_iter()
            .collect();
        let v = Value::List(vec![
            Value::Map(map),
            Value::Number(1.0),
            Value::string("xy"),
        ]);
        // 3 items + 1 entry; "key" + "abcd" + "xy".
        assert_eq!(measure(&v, Size::UNLIMITED), Some(Size::new(9, 4)));
        assert_eq!(measure(&v, Size::new(9, 4)), Some(Size::new(9, 4)));
        assert_eq!(measure(&v, Size::new(8, 4)), None);
        assert_eq!(measure(&v, Size::new(9, 3)), None);
        assert_eq!(
            measure(&Value::Number(1.0), Size::default()),
            Some(Size::default())
        );
    }

    #[test]
    fn a_breach_closes_the_budget() {
        let budget = Budget::default();
        assert!(budget.take(Size::new(MAX_STACK_BYTES - 10, 5)));
        assert_eq!(budget.room(), Size::new(10, MAX_STACK_ELEMENTS - 5));
        assert!(!budget.take(Size::bytes(11)));
        assert!(budget.is_closed());
        // Nothing fits any more, except what needs no room.
        assert!(!budget.take(Size::bytes(1)));
        assert!(budget.take(Size::default()));
        assert!(budget.first_breach());
        assert!(!budget.first_breach());
    }
}
