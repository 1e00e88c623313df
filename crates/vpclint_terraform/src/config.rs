//! One module directory's declarations, indexed by name over the parsed files.
//!
//! Parsing produces owned [`ParsedFile`]s; a [`ModuleConfig`] borrows from them, so
//! nothing is cloned and every expression keeps its span.

use crate::HashMap;
use std::path::{Path, PathBuf};

use crate::syntax::{Attribute, Block, Body, Expression};
use vpclint_graph::IndexMap;
use vpclint_graph::{FileId, InputError, Span};

/// One `.tf` or `.tf.json` file, parsed.
#[derive(Clone)]
pub(crate) struct ParsedFile {
    pub file: FileId,
    pub path: PathBuf,
    pub body: Body,
    /// For `.tf.json` files, the header span of each top-level block of `body`, in order:
    /// their blocks are built in code and have no spans of their own. Empty for `.tf` files.
    pub block_headers: Vec<Span>,
}

impl ParsedFile {
    /// The file's top-level blocks, each with its header span (`.tf.json` blocks have
    /// theirs recorded by the JSON reader).
    fn top_level_blocks(&self) -> impl Iterator<Item = (&Block, Span)> {
        self.body.blocks().enumerate().map(|(i, block)| {
            let header = self
                .block_headers
                .get(i)
                .copied()
                .unwrap_or_else(|| header_span(self.file, block));
            (block, header)
        })
    }
}

/// The literal `alias` of a `provider` block.
fn provider_alias(block: &Block) -> Option<&str> {
    block
        .body
        .get_attribute("alias")
        .and_then(|a| literal_str(&a.value))
}

/// Converts a syntax tree byte range of `file` into a graph span.
pub(crate) fn span_of(file: FileId, range: Option<std::ops::Range<usize>>) -> Option<Span> {
    range.map(|r| Span::new(file, r.start, r.end))
}

/// `resource` or `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Managed,
    Data,
}

/// A `resource` or `data` block.
pub(crate) struct ResourceDecl<'a> {
    pub mode: Mode,
    pub rtype: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
    /// From the block keyword through its last label.
    pub header: Span,
    /// Blocks of override files (`override.tf`, `*_override.tf`) for this resource, in the
    /// order Terraform merges them.
    pub overrides: Vec<(FileId, &'a Block)>,
}

impl<'a> ResourceDecl<'a> {
    /// The block as written in its own file; attributes an override file sets are read
    /// with [`ResourceDecl::attribute`] instead.
    pub fn body(&self) -> &'a Body {
        &self.block.body
    }

    /// A top-level attribute and the file it is written in: the last override file that
    /// sets it wins, as in Terraform.
    pub fn attribute(&self, name: &str) -> Option<(FileId, &'a Attribute)> {
        self.overrides
            .iter()
            .rev()
            .find_map(|(file, block)| block.body.get_attribute(name).map(|a| (*file, a)))
            .or_else(|| self.block.body.get_attribute(name).map(|a| (self.file, a)))
    }

    /// Names of the top-level attributes, the block's own first, then those only
    /// override files set.
    pub fn attribute_names(&self) -> Vec<&'a str> {
        let mut names: Vec<&'a str> = self
            .block
            .body
            .attributes()
            .map(|a| a.key.as_str())
            .collect();
        for (_, block) in &self.overrides {
            for attr in block.body.attributes() {
                if !names.contains(&attr.key.as_str()) {
                    names.push(attr.key.as_str());
                }
            }
        }
        names
    }

    /// Whether an override file replaces the nested blocks of type `name` (static or
    /// `dynamic`). vpclint does not merge nested blocks: such blocks read as unknown.
    pub fn overrides_blocks(&self, name: &str) -> bool {
        self.overrides.iter().any(|(_, block)| {
            block.body.blocks().any(|b| {
                b.ident.as_str() == name
                    || (b.ident.as_str() == "dynamic"
                        && b.labels.first().map(|l| l.as_str()) == Some(name))
            })
        })
    }
}

/// Terraform's override files: `override.tf`, `*_override.tf` and their `.tf.json` forms.
/// Their blocks are merged into the blocks of the same name in the module's other files.
pub(crate) fn is_override_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// A `variable` block.
pub(crate) struct VariableDecl<'a> {
    pub file: FileId,
    pub default: Option<&'a Expression>,
    pub type_expr: Option<&'a Expression>,
    /// `nullable = false`: a null input means "use the default".
    pub non_nullable: bool,
}

/// A named expression in a file (`locals` entries, `output` values).
#[derive(Clone, Copy)]
pub(crate) struct NamedExpr<'a> {
    pub file: FileId,
    pub attr: &'a Attribute,
}

/// A `module` block.
pub(crate) struct ModuleCall<'a> {
    pub file: FileId,
    pub block: &'a Block,
    /// The `source` string, when it is a literal.
    pub source: Option<&'a str>,
    /// From the block keyword through its label.
    pub header: Span,
    /// An override file changes this call: its inputs and instances are not known.
    pub overridden: bool,
}

impl ModuleCall<'_> {
    /// The `source` attribute's span, else the block header.
    pub fn source_span(&self) -> Span {
        self.block
            .body
            .get_attribute("source")
            .and_then(|a| span_of(self.file, crate::syntax::Span::span(a)))
            .unwrap_or(self.header)
    }
}

/// A `provider` block.
pub(crate) struct ProviderDecl<'a> {
    pub name: &'a str,
    pub alias: Option<&'a str>,
    pub file: FileId,
    pub block: &'a Block,
}

/// Everything one module directory declares.
pub(crate) struct ModuleConfig<'a> {
    pub dir: &'a Path,
    pub variables: IndexMap<&'a str, VariableDecl<'a>>,
    pub locals: HashMap<&'a str, NamedExpr<'a>>,
    pub outputs: IndexMap<&'a str, NamedExpr<'a>>,
    /// Managed resources and data sources, in file order.
    pub resources: Vec<ResourceDecl<'a>>,
    managed: HashMap<(&'a str, &'a str), usize>,
    data: HashMap<(&'a str, &'a str), usize>,
    pub module_calls: IndexMap<&'a str, ModuleCall<'a>>,
    pub providers: Vec<ProviderDecl<'a>>,
    /// Files of the directory that could not be read or parsed: whatever they declare is
    /// unseen, so a name not declared in the other files may be declared there.
    pub unreadable: Vec<PathBuf>,
}

fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| l.as_str())
}

fn header_span(file: FileId, block: &Block) -> Span {
    let start = crate::syntax::Span::span(&block.ident).map(|r| r.start);
    let end = block
        .labels
        .last()
        .and_then(crate::syntax::Span::span)
        .or_else(|| crate::syntax::Span::span(&block.ident))
        .map(|r| r.end);
    match (start, end) {
        (Some(s), Some(e)) => Span::new(file, s, e),
        _ => span_of(file, crate::syntax::Span::span(block)).unwrap_or(Span::new(file, 0, 0)),
    }
}

impl<'a> ModuleConfig<'a> {
    /// Indexes the declarations of `files` (all of one directory). Duplicate names are
    /// reported (first one wins, as a located error).
    pub fn index(dir: &'a Path, files: &'a [ParsedFile], errors: &mut Vec<InputError>) -> Self {
        let mut cfg = ModuleConfig {
            dir,
            variables: IndexMap::default(),
            locals: HashMap::default(),
            outputs: IndexMap::default(),
            resources: Vec::new(),
            managed: HashMap::default(),
            data: HashMap::default(),
            module_calls: IndexMap::default(),
            providers: Vec::new(),
            unreadable: Vec::new(),
        };
        // Override files are merged after every other file, in name order.
        let (overrides, originals): (Vec<&ParsedFile>, Vec<&ParsedFile>) =
            files.iter().partition(|pf| is_override_file(&pf.path));
        for pf in originals {
            let file = pf.file;
            for (block, header) in pf.top_level_blocks() {
                let dup = |what: &str, name: &str| {
                    InputError::at(
                        &pf.path,
                        Some(header),
                        format!("duplicate {what} \"{name}\" (the first declaration is used)"),
                    )
                };
                match block.ident.as_str() {
                    "resource" | "data" => {
                        let (Some(rtype), Some(name)) = (label(block, 0), label(block, 1)) else {
                            errors.push(InputError::at(
                                &pf.path,
                                Some(header),
                                format!("a {} block needs two labels", block.ident.as_str()),
                            ));
                            continue;
                        };
                        let mode = if block.ident.as_str() == "data" {
                            Mode::Data
                        } else {
                            Mode::Managed
                        };
                        let map = match mode {
                            Mode::Managed => &mut cfg.managed,
                            Mode::Data => &mut cfg.data,
                        };
                        if map.contains_key(&(rtype, name)) {
                            let prefix = if mode == Mode::Data { "data." } else { "" };
                            errors.push(dup("resource", &format!("{prefix}{rtype}.{name}")));
                            continue;
                        }
                        map.insert((rtype, name), cfg.resources.len());
                        cfg.resources.push(ResourceDecl {
                            mode,
                            rtype,
                            name,
                            block,
                            file,
                            header,
                            overrides: Vec::new(),
                        });
                    }
                    "variable" => {
                        let Some(name) = label(block, 0) else {
                            continue;
                        };
                        if cfg.variables.contains_key(name) {
                            errors.push(dup("variable", name));
                            continue;
                        }
                        cfg.variables.insert(
                            name,
                            VariableDecl {
                                file,
                                default: block.body.get_attribute("default").map(|a| &a.value),
                                type_expr: block.body.get_attribute("type").map(|a| &a.value),
                                non_nullable: block.body.get_attribute("nullable").is_some_and(
                                    |a| matches!(&a.value, Expression::Bool(b) if !*b.value()),
                                ),
                            },
                        );
                    }
                    "locals" => {
                        for attr in block.body.attributes() {
                            let name = attr.key.as_str();
                            if cfg.locals.contains_key(name) {
                                errors.push(InputError::at(
                                    &pf.path,
                                    span_of(file, crate::syntax::Span::span(attr)),
                                    format!(
                                        "duplicate local value \"{name}\" (the first one is used)"
                                    ),
                                ));
                                continue;
                            }
                            cfg.locals.insert(name, NamedExpr { file, attr });
                        }
                    }
                    "output" => {
                        let Some(name) = label(block, 0) else {
                            continue;
                        };
                        if let Some(attr) = block.body.get_attribute("value") {
                            cfg.outputs.entry(name).or_insert(NamedExpr { file, attr });
                        }
                    }
                    "module" => {
                        let Some(name) = label(block, 0) else {
                            continue;
                        };
                        if cfg.module_calls.contains_key(name) {
                            errors.push(dup("module", name));
                            continue;
                        }
                        let source = block
                            .body
                            .get_attribute("source")
                            .and_then(|a| literal_str(&a.value));
                        cfg.module_calls.insert(
                            name,
                            ModuleCall {
                                file,
                                block,
                                source,
                                header,
                                overridden: false,
                            },
                        );
                    }
                    "provider" => {
                        let Some(name) = label(block, 0) else {
                            continue;
                        };
                        cfg.providers.push(ProviderDecl {
                            name,
                            alias: provider_alias(block),
                            file,
                            block,
                        });
                    }
                    _ => {}
                }
            }
        }
        for pf in overrides {
            cfg.merge_override(pf, errors);
        }
        cfg
    }

    /// Merges one override file: resource, data and module blocks remember it (their
    /// attributes are read through it), `locals` and `output` values and `variable`
    /// defaults and types replace the originals, a provider block with a `region` replaces
    /// the configuration it overrides. A block with nothing to override is a located error,
    /// as in Terraform.
    fn merge_override(&mut self, pf: &'a ParsedFile, errors: &mut Vec<InputError>) {
        let file = pf.file;
        for (block, header) in pf.top_level_blocks() {
            let missing = |what: String| {
                InputError::at(
                    &pf.path,
                    Some(header),
                    format!("override of {what}, which no other file of the module declares"),
                )
            };
            match block.ident.as_str() {
                "resource" | "data" => {
                    let (Some(rtype), Some(name)) = (label(block, 0), label(block, 1)) else {
                        continue;
                    };
                    let (index, prefix) = if block.ident.as_str() == "data" {
                        (self.data(rtype, name), "data.")
                    } else {
                        (self.managed(rtype, name), "")
                    };
                    match index.and_then(|i| self.resources.get_mut(i)) {
                        Some(resource) => resource.overrides.push((file, block)),
                        None => errors.push(missing(format!("{prefix}{rtype}.{name}"))),
                    }
                }
                "locals" => {
                    for attr in block.body.attributes() {
                        let name = attr.key.as_str();
                        match self.locals.get_mut(name) {
                            Some(local) => *local = NamedExpr { file, attr },
                            None => errors.push(InputError::at(
                                &pf.path,
                                span_of(file, crate::syntax::Span::span(attr)),
                                format!("override of local.{name}, which no other file of the module declares"),
                            )),
                        }
                    }
                }
                "output" => {
                    let Some(name) = label(block, 0) else {
                        continue;
                    };
                    match self.outputs.get_mut(name) {
                        Some(output) => {
                            if let Some(attr) = block.body.get_attribute("value") {
                                *output = NamedExpr { file, attr };
                            }
                        }
                        None => errors.push(missing(format!("output.{name}"))),
                    }
                }
                "variable" => {
                    let Some(name) = label(block, 0) else {
                        continue;
                    };
                    let Some(variable) = self.variables.get_mut(name) else {
                        errors.push(missing(format!("var.{name}")));
                        continue;
                    };
                    let default = block.body.get_attribute("default").map(|a| &a.value);
                    let type_expr = block.body.get_attribute("type").map(|a| &a.value);
                    if default.is_some() || type_expr.is_some() {
                        // Expressions of one declaration come from one file: what the
                        // override does not set is dropped (unknown), not mixed in.
                        *variable = VariableDecl {
                            file,
                            default,
                            type_expr,
                            non_nullable: variable.non_nullable,
                        };
                    }
                }
                "module" => {
                    let Some(name) = label(block, 0) else {
                        continue;
                    };
                    match self.module_calls.get_mut(name) {
                        Some(call) => call.overridden = true,
                        None => errors.push(missing(format!("module.{name}"))),
                    }
                }
                "provider" => {
                    let Some(name) = label(block, 0) else {
                        continue;
                    };
                    if block.body.get_attribute("region").is_none() {
                        continue;
                    }
                    let alias = provider_alias(block);
                    if let Some(provider) = self
                        .providers
                        .iter_mut()
                        .find(|p| p.name == name && p.alias == alias)
                    {
                        provider.file = file;
                        provider.block = block;
                    }
                }
                _ => {}
            }
        }
    }

    pub fn managed(&self, rtype: &str, name: &str) -> Option<usize> {
        self.managed.get(&(rtype, name)).copied()
    }

    pub fn data(&self, rtype: &str, name: &str) -> Option<usize> {
        self.data.get(&(rtype, name)).copied()
    }
}

/// A string literal, or a template made only of literal text.
pub(crate) fn literal_str(expr: &Expression) -> Option<&str> {
    match expr {
        Expression::String(s) => Some(s.as_str()),
        Expression::StringTemplate(t) => match t.iter().collect::<Vec<_>>().as_slice() {
            [crate::syntax::Element::Literal(l)] => Some(l.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The local directory a module `source` points to (`./net`, `../modules/vpc`), lexically normalized.
pub(crate) fn local_module_dir(caller: &Path, source: &str) -> Option<PathBuf> {
    if !(source.starts_with("./") || source.starts_with("../") || source == "." || source == "..") {
        return None;
    }
    Some(normalize(&caller.join(source)))
}

/// Removes `.` and resolves `..` lexically (no file system access).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_sources_resolve_lexically() {
        let dir = Path::new("infra/live");
        assert_eq!(
            local_module_dir(dir, "../modules/vpc"),
            Some(PathBuf::from("infra/modules/vpc"))
        );
        assert_eq!(
            local_module_dir(dir, "./net"),
            Some(PathBuf::from("infra/live/net"))
        );
        assert_eq!(local_module_dir(dir, "terraform-aws-modules/vpc/aws"), None);
        assert_eq!(normalize(Path::new("./a/./b/..")), PathBuf::from("a"));
    }
}
