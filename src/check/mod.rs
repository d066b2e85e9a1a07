//! Checking: from parsed modules to a typed, shape-checked IR graph.
//!
//! Checking runs in two steps.
//!
//! 1. [`Spec::new`] collects the items of the entry file and its imports and
//!    resolves every name statically: unknown names and functions (with "did
//!    you mean" hints), arity, unknown or repeated keyword arguments, missing
//!    required arguments, duplicate definitions, recursion. These errors are
//!    found in every definition, used or not.
//! 2. [`Spec::objective`] *elaborates* one objective for given input
//!    signatures: definitions are inlined at each call (so the prelude's
//!    generic losses work at any rank), compile-time values (`none`, strings,
//!    `true`/`false`, numbers) select branches of `if` statically, and types
//!    and shapes are checked as the IR graph is built. The result is a graph
//!    whose root is a scalar float: the objective's value.
//!
//! Inputs that are not declared (`pred`, `target`, `params`) or declared
//! without a shape take their rank and element type from the data when there
//! is data. Without data, the checker tries a short list of plausible
//! signatures (rank 1 or 2, float or integer targets, or the shape of a
//! declared input) and keeps the first that checks.

mod builtins;
mod elaborate;

pub use builtins::{names as builtin_names, params as builtin_params};
pub use elaborate::{InputSig, Objective, Origin, Term};

use crate::diag::{CompileError, DiagKind, Diagnostic, did_you_mean};
use crate::source::{FileId, Span};
use crate::syntax::MAX_FIXED_DIM;
use crate::syntax::ast::*;
use crate::syntax::load::Program;
use std::collections::{HashMap, HashSet};

/// Names that refer to inputs without being declared.
pub const DEFAULT_INPUTS: &[(&str, Role)] = &[
    ("pred", Role::Input),
    ("target", Role::Target),
    ("params", Role::Param),
];

/// Call depth at which elaboration stops (definitions are never recursive,
/// so this only bounds pathological chains of distinct definitions).
const MAX_CALL_DEPTH: usize = 64;

/// A checked spec: definitions, declarations and objectives, names resolved.
#[derive(Debug, Clone)]
pub struct Spec {
    pub program: Program,
    pub defs: HashMap<String, (FileId, Def)>,
    pub decls: Vec<Decl>,
    pub objectives: Vec<LossItem>,
}

impl Spec {
    pub fn new(program: Program) -> Result<Spec, CompileError> {
        let mut diags = Vec::new();
        let mut defs: HashMap<String, (FileId, Def)> = HashMap::new();
        let mut decls: Vec<Decl> = Vec::new();
        let mut objectives: Vec<LossItem> = Vec::new();
        for module in &program.modules {
            let is_entry = module.file == program.entry;
            let mut seen_here: HashMap<String, Span> = HashMap::new();
            for item in &module.items {
                match item {
                    Item::Def(d) => {
                        if let Some(prev) = seen_here.insert(d.name.name.clone(), d.name.span) {
                            diags.push(duplicate(&d.name, prev));
                        }
                        // Later files shadow earlier ones: the user's `def mse` replaces the prelude's.
                        defs.insert(d.name.name.clone(), (module.file, d.clone()));
                    }
                    Item::Decl(d) if is_entry => {
                        if let Some(prev) = decls.iter().find(|p| p.name.name == d.name.name) {
                            diags.push(duplicate(&d.name, prev.name.span));
                        } else {
                            decls.push(d.clone());
                        }
                    }
                    Item::Loss(l) if is_entry => {
                        if let Some(prev) = objectives.iter().find(|p| p.name.name == l.name.name) {
                            diags.push(duplicate(&l.name, prev.name.span));
                        } else {
                            objectives.push(l.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        let spec = Spec {
            program,
            defs,
            decls,
            objectives,
        };
        spec.check_decls(&mut diags);
        spec.resolve_all(&mut diags);
        spec.check_recursion(&mut diags);
        if diags.is_empty() && spec.objectives.is_empty() {
            let entry = spec.program.entry;
            let len = spec.program.sources.file(entry).text.len();
            diags.push(
                Diagnostic::new(DiagKind::NoObjective, Span::new(entry, 0, len.min(1)))
                    .help("add `loss main = ...`, or write the objective as a bare expression"),
            );
        }
        if diags.is_empty() {
            Ok(spec)
        } else {
            Err(CompileError {
                diagnostics: diags,
                sources: spec.program.sources.clone(),
            })
        }
    }

    pub fn error(&self, d: Diagnostic) -> CompileError {
        CompileError {
            diagnostics: vec![d],
            sources: self.program.sources.clone(),
        }
    }

    /// The objective called `name`, or the first one.
    pub fn objective_item(&self, name: Option<&str>) -> Result<&LossItem, CompileError> {
        match name {
            None => Ok(&self.objectives[0]),
            Some(n) => self
                .objectives
                .iter()
                .find(|o| o.name.name == n)
                .ok_or_else(|| {
                    let names: Vec<&str> = self
                        .objectives
                        .iter()
                        .map(|o| o.name.name.as_str())
                        .collect();
                    let first = &self.objectives[0];
                    let mut d = Diagnostic::new(
                        DiagKind::UnknownObjective {
                            name: n.to_string(),
                        },
                        first.name.span,
                    )
                    .note(None, format!("the spec defines: {}", names.join(", ")));
                    if let Some(h) = did_you_mean(n, names.iter().copied()) {
                        d = d.help(h);
                    }
                    self.error(d)
                }),
        }
    }

    /// Elaborate one objective into an IR graph.
    pub fn objective(
        &self,
        name: Option<&str>,
        sigs: &HashMap<String, InputSig>,
    ) -> Result<Objective, CompileError> {
        let item = self.objective_item(name)?;
        elaborate::elaborate(self, item, sigs).map_err(|d| self.error(d))
    }

    fn dim_names(&self) -> HashSet<&str> {
        let mut names = HashSet::new();
        for d in &self.decls {
            if let Some(TypeAnn {
                dims: Some(dims), ..
            }) = &d.ty
            {
                for dim in dims {
                    if let DimAnn::Named(id) = dim {
                        names.insert(id.name.as_str());
                    }
                }
            }
        }
        names
    }

    fn check_decls(&self, diags: &mut Vec<Diagnostic>) {
        for d in &self.decls {
            if let Some(ty) = &d.ty {
                if d.role.is_differentiated() && !ty.dtype.is_float() {
                    diags.push(
                        Diagnostic::new(
                            DiagKind::Type {
                                expected: "f32 or f64".into(),
                                found: ty.dtype.as_str().into(),
                            },
                            ty.span,
                        )
                        .label(format!(
                            "{} `{}` is differentiated, so it must be floating-point",
                            if d.role == Role::Input { "an" } else { "a" },
                            d.role.as_str()
                        ))
                        .help(format!(
                            "declare integer labels as `target {}: {}`",
                            d.name.name,
                            self.program.sources.snippet(ty.span).trim()
                        )),
                    );
                }
                for dim in ty.dims.iter().flatten() {
                    match dim {
                        DimAnn::Fixed(0, span) => diags.push(Diagnostic::new(
                            DiagKind::Shape("a dimension cannot be 0".into()),
                            *span,
                        )),
                        DimAnn::Fixed(k, span) if *k > MAX_FIXED_DIM => diags.push(
                            Diagnostic::new(
                                DiagKind::DimensionTooLarge {
                                    size: self.program.sources.snippet(*span).to_string(),
                                    limit: MAX_FIXED_DIM,
                                },
                                *span,
                            )
                            .label("too large")
                            .help(
                                "a fixed size must fit a 64-bit signed integer; \
                                 for a size known only at run time, use a dimension name such as `N`",
                            ),
                        ),
                        _ => {}
                    }
                }
            }
            if self.defs.contains_key(&d.name.name) || builtins::lookup(&d.name.name).is_some() {
                diags.push(
                    Diagnostic::new(
                        DiagKind::Duplicate {
                            name: d.name.name.clone(),
                        },
                        d.name.span,
                    )
                    .label("this input has the name of a function"),
                );
            }
        }
    }

    fn resolve_all(&self, diags: &mut Vec<Diagnostic>) {
        let globals = Globals {
            spec: self,
            dims: self.dim_names(),
        };
        let mut entries: Vec<(&String, &(FileId, Def))> = self.defs.iter().collect();
        entries.sort_by_key(|(_, (f, d))| (*f, d.span.start));
        for (_, (_, def)) in entries {
            let mut scope: Vec<&str> = Vec::new();
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for p in &def.params {
                if let Some(prev) = seen.insert(&p.name.name, p.name.span) {
                    diags.push(duplicate(&p.name, prev));
                }
                if let Some(default) = &p.default {
                    globals.resolve(default, &mut scope, diags);
                }
                scope.push(&p.name.name);
            }
            globals.resolve(&def.body, &mut scope, diags);
        }
        for o in &self.objectives {
            globals.resolve(&o.body, &mut Vec::new(), diags);
        }
    }

    /// A definition that calls itself, directly or through others, is an error.
    fn check_recursion(&self, diags: &mut Vec<Diagnostic>) {
        let mut calls: HashMap<&str, Vec<(&str, Span)>> = HashMap::new();
        for (name, (_, def)) in &self.defs {
            let mut out = Vec::new();
            // Parameters and `let` names shadow definitions of the same name.
            let mut bound: Vec<&str> = Vec::new();
            for p in &def.params {
                if let Some(e) = &p.default {
                    collect_calls(e, self, &mut bound, &mut out);
                }
                bound.push(&p.name.name);
            }
            collect_calls(&def.body, self, &mut bound, &mut out);
            calls.insert(name, out);
        }
        let mut names: Vec<&str> = calls.keys().copied().collect();
        names.sort();
        // A cycle is reported once, at its alphabetically first member.
        let mut reported: HashSet<&str> = HashSet::new();
        for start in names {
            // Depth-first search with an explicit stack of (name, next edge).
            let mut path: Vec<(&str, usize)> = vec![(start, 0)];
            let mut done: HashSet<&str> = HashSet::new();
            while let Some((node, edge)) = path.last().copied() {
                let edges = &calls[node];
                if edge == edges.len() {
                    done.insert(node);
                    path.pop();
                    continue;
                }
                path.last_mut().unwrap().1 += 1;
                let (callee, span) = edges[edge];
                if callee == start {
                    let members: Vec<&str> = path.iter().map(|(n, _)| *n).collect();
                    if members.iter().all(|m| !reported.contains(m)) {
                        reported.extend(members.iter().copied());
                        let mut chain: Vec<&str> = path.iter().map(|(n, _)| *n).collect();
                        chain.push(start);
                        diags.push(
                            Diagnostic::new(
                                DiagKind::Recursion {
                                    name: start.into(),
                                    chain: chain.join(" -> "),
                                },
                                span,
                            )
                            .label("recursive call")
                            .help("definitions are inlined, so they cannot call themselves"),
                        );
                    }
                } else if !done.contains(callee)
                    && !path.iter().any(|(n, _)| *n == callee)
                    && calls.contains_key(callee)
                {
                    path.push((callee, 0));
                }
            }
        }
    }
}

fn duplicate(name: &Ident, previous: Span) -> Diagnostic {
    Diagnostic::new(
        DiagKind::Duplicate {
            name: name.name.clone(),
        },
        name.span,
    )
    .label("defined again here")
    .note(Some(previous), "first defined here")
}

fn collect_calls<'a>(
    e: &'a Expr,
    spec: &Spec,
    bound: &mut Vec<&'a str>,
    out: &mut Vec<(&'a str, Span)>,
) {
    match &e.kind {
        ExprKind::Call { callee, args } => {
            if spec.defs.contains_key(&callee.name) {
                out.push((&callee.name, callee.span));
            }
            for a in args {
                collect_calls(&a.value, spec, bound, out);
            }
        }
        ExprKind::Name(n) if spec.defs.contains_key(n) && !bound.contains(&n.as_str()) => {
            out.push((n, e.span));
        }
        ExprKind::List(items) => {
            for item in items {
                collect_calls(item, spec, bound, out);
            }
        }
        ExprKind::Unary(_, a) => collect_calls(a, spec, bound, out),
        ExprKind::Binary(_, a, b) => {
            collect_calls(a, spec, bound, out);
            collect_calls(b, spec, bound, out);
        }
        ExprKind::Let { name, value, body } => {
            collect_calls(value, spec, bound, out);
            bound.push(&name.name);
            collect_calls(body, spec, bound, out);
            bound.pop();
        }
        ExprKind::If {
            cond,
            then,
            otherwise,
        } => {
            collect_calls(cond, spec, bound, out);
            collect_calls(then, spec, bound, out);
            collect_calls(otherwise, spec, bound, out);
        }
        _ => {}
    }
}

/// The parameters of a callable, for argument checking.
pub(crate) struct Params {
    pub names: Vec<String>,
    pub required: Vec<bool>,
}

pub(crate) fn params_of(spec: &Spec, name: &str) -> Option<Params> {
    if let Some((_, def)) = spec.defs.get(name) {
        return Some(Params {
            names: def.params.iter().map(|p| p.name.name.clone()).collect(),
            required: def.params.iter().map(|p| p.default.is_none()).collect(),
        });
    }
    builtins::lookup(name).map(|sig| Params {
        names: sig.params.iter().map(|(n, _)| n.to_string()).collect(),
        required: sig.params.iter().map(|(_, r)| *r).collect(),
    })
}

/// Bind call arguments to parameter slots, reporting arity and keyword errors.
pub(crate) fn bind_args<'e>(
    name: &Ident,
    params: &Params,
    args: &'e [Arg],
    call_span: Span,
) -> Result<Vec<Option<&'e Expr>>, Diagnostic> {
    let mut slots: Vec<Option<&Expr>> = vec![None; params.names.len()];
    let positional = args.iter().filter(|a| a.keyword.is_none()).count();
    if positional > params.names.len() {
        let extra = args
            .iter()
            .filter(|a| a.keyword.is_none())
            .nth(params.names.len())
            .unwrap();
        return Err(Diagnostic::new(
            DiagKind::Arity {
                name: name.name.clone(),
                expected: arity_text(params),
                got: positional,
            },
            extra.value.span,
        )
        .label("unexpected argument")
        .help(format!(
            "`{}` takes ({})",
            name.name,
            params.names.join(", ")
        )));
    }
    let mut next = 0;
    for a in args {
        match &a.keyword {
            None => {
                slots[next] = Some(&a.value);
                next += 1;
            }
            Some(kw) => {
                let Some(i) = params.names.iter().position(|p| *p == kw.name) else {
                    let mut d = Diagnostic::new(
                        DiagKind::UnknownKeyword {
                            name: name.name.clone(),
                            keyword: kw.name.clone(),
                        },
                        kw.span,
                    )
                    .label(format!("not a parameter of `{}`", name.name));
                    d = match did_you_mean(&kw.name, params.names.iter().map(String::as_str)) {
                        Some(h) => d.help(h),
                        None => d.help(format!(
                            "`{}` takes ({})",
                            name.name,
                            params.names.join(", ")
                        )),
                    };
                    return Err(d);
                };
                if slots[i].is_some() {
                    return Err(Diagnostic::new(
                        DiagKind::DuplicateKeyword {
                            name: name.name.clone(),
                            keyword: kw.name.clone(),
                        },
                        kw.span,
                    )
                    .label("given again here"));
                }
                slots[i] = Some(&a.value);
            }
        }
    }
    for (i, slot) in slots.iter().enumerate() {
        if slot.is_none() && params.required[i] {
            return Err(Diagnostic::new(
                DiagKind::MissingArgument {
                    name: name.name.clone(),
                    param: params.names[i].clone(),
                },
                call_span,
            )
            .label(format!("`{}` is required", params.names[i])));
        }
    }
    Ok(slots)
}

fn arity_text(p: &Params) -> String {
    let required = p.required.iter().filter(|r| **r).count();
    let total = p.names.len();
    let s = |n: usize| if n == 1 { "argument" } else { "arguments" };
    if required == total {
        format!("{total} {}", s(total))
    } else {
        format!("{required} to {total} {}", s(total))
    }
}

struct Globals<'s> {
    spec: &'s Spec,
    dims: HashSet<&'s str>,
}

impl<'s> Globals<'s> {
    fn is_value_name(&self, name: &str, scope: &[&str]) -> bool {
        scope.contains(&name)
            || self.spec.decls.iter().any(|d| d.name.name == name)
            || DEFAULT_INPUTS.iter().any(|(n, _)| *n == name)
            || self.dims.contains(name)
    }

    fn candidates<'a>(&'a self, scope: &'a [&'a str]) -> Vec<&'a str> {
        let mut c: Vec<&str> = scope.to_vec();
        c.extend(self.spec.decls.iter().map(|d| d.name.name.as_str()));
        c.extend(DEFAULT_INPUTS.iter().map(|(n, _)| *n));
        c.extend(self.dims.iter().copied());
        c.extend(self.spec.defs.keys().map(String::as_str));
        c.extend(builtins::names());
        c
    }

    fn resolve<'e>(&self, e: &'e Expr, scope: &mut Vec<&'e str>, diags: &mut Vec<Diagnostic>) {
        match &e.kind {
            ExprKind::Name(n) => {
                if self.is_value_name(n, scope) {
                    // A parameter or `let` name: nothing to check.
                } else if self.spec.defs.contains_key(n) || builtins::lookup(n).is_some() {
                    // A function named bare is a call with every argument defaulted.
                    let callee = Ident {
                        name: n.clone(),
                        span: e.span,
                    };
                    self.check_call(&callee, &[], e.span, diags);
                } else {
                    let mut d = Diagnostic::new(DiagKind::UnknownName { name: n.clone() }, e.span)
                        .label("not found");
                    if let Some(h) = builtins::hint(n)
                        .map(str::to_string)
                        .or_else(|| did_you_mean(n, self.candidates(scope)))
                    {
                        d = d.help(h);
                    }
                    diags.push(d);
                }
            }
            ExprKind::Call { callee, args } => {
                if self.is_value_name(&callee.name, scope)
                    && !self.spec.defs.contains_key(&callee.name)
                {
                    diags.push(
                        Diagnostic::new(
                            DiagKind::NotAFunction {
                                name: callee.name.clone(),
                            },
                            callee.span,
                        )
                        .label("this is a value, not a function"),
                    );
                } else if params_of(self.spec, &callee.name).is_none() {
                    let mut d = Diagnostic::new(
                        DiagKind::UnknownFunction {
                            name: callee.name.clone(),
                        },
                        callee.span,
                    )
                    .label("no such function");
                    let funcs = self
                        .spec
                        .defs
                        .keys()
                        .map(String::as_str)
                        .chain(builtins::names());
                    if let Some(h) = builtins::hint(&callee.name)
                        .map(str::to_string)
                        .or_else(|| did_you_mean(&callee.name, funcs))
                    {
                        d = d.help(h);
                    }
                    diags.push(d);
                } else {
                    self.check_call(callee, args, e.span, diags);
                }
                for a in args {
                    self.resolve(&a.value, scope, diags);
                }
            }
            ExprKind::List(items) => {
                for item in items {
                    self.resolve(item, scope, diags);
                }
            }
            ExprKind::Unary(_, a) => self.resolve(a, scope, diags),
            ExprKind::Binary(_, a, b) => {
                self.resolve(a, scope, diags);
                self.resolve(b, scope, diags);
            }
            ExprKind::Let { name, value, body } => {
                self.resolve(value, scope, diags);
                scope.push(&name.name);
                self.resolve(body, scope, diags);
                scope.pop();
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.resolve(cond, scope, diags);
                self.resolve(then, scope, diags);
                self.resolve(otherwise, scope, diags);
            }
            ExprKind::Number(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::None => {}
        }
    }

    fn check_call(&self, callee: &Ident, args: &[Arg], span: Span, diags: &mut Vec<Diagnostic>) {
        if let Some(params) = params_of(self.spec, &callee.name)
            && let Err(d) = bind_args(callee, &params, args, span)
        {
            diags.push(d);
        }
    }
}

pub(crate) fn max_call_depth() -> usize {
    MAX_CALL_DEPTH
}
