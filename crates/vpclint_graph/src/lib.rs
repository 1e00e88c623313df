//! The normalized VPC graph shared by both front ends and every rule.
//!
//! Front ends know files, this crate knows AWS, rules know only this crate.

pub mod arena;
mod build;
pub mod cidr;
pub mod egress;
pub mod endpoints;
pub mod files;
pub mod input;
pub mod integrity;
pub mod model;
pub mod policy;
pub mod routing;
pub mod source;
pub mod unseen;
pub mod value;

pub use arena::{Arena, Id};
pub use input::{InputError, InputNote, Loaded, Phase};
pub use model::*;
pub use source::{FileId, LineCol, SourceFile, SourceMap, Span};
pub use unseen::{unseen, Unseen, UnseenKind};
pub use value::{HashMap, HashSet, IndexMap, ResourceRef, Unknown, Value};
