//! Elaboration: one objective, for one set of input signatures, into IR.
//!
//! Definitions are inlined at every call with the caller's argument values,
//! so the prelude's losses are generic over rank and element type. Values
//! that exist only at compile time (strings, `none`, the dimensions named in
//! declarations) flow through the same environment as arrays, which is what
//! lets `if alpha == none then ... else ...` pick a branch statically: only
//! the taken branch is checked and built.
//!
//! An error inside a prelude definition is reported at the user's call, with
//! a note pointing into the prelude.

use super::builtins::{self, Builtin};
use super::{DEFAULT_INPUTS, Spec, bind_args, max_call_depth, params_of};
use crate::diag::{DiagKind, Diagnostic};
use crate::ir::{Binary, Dim, DimId, Graph, InputInfo, Kind, NodeId, Op, Reduce, ShapeId, Unary};
use crate::source::{FileId, Span};
use crate::syntax::MAX_FIXED_DIM;
use crate::syntax::ast::*;
use crate::syntax::load::is_prelude;
use std::collections::HashMap;

/// What the data says about an input: element type and rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputSig {
    pub dtype: DType,
    pub rank: usize,
}

/// One elaborated objective.
#[derive(Debug, Clone)]
pub struct Objective {
    pub name: String,
    pub graph: Graph,
    /// The scalar value of the objective.
    pub value: NodeId,
    /// The top-level terms of a sum (`0.7*focal + 0.3*dice` has two), each
    /// already scaled by its weight; empty for a single term.
    pub terms: Vec<Term>,
    /// Where each input of the graph was declared or first used.
    pub input_spans: Vec<Span>,
    /// Where each node of the value graph came from. Rewrites and hazard
    /// warnings point here.
    pub origins: HashMap<NodeId, Origin>,
}

/// The user-visible source of a node: the expression that first built it,
/// or, for a node built inside the prelude, the user's call that led there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub span: Span,
    pub in_prelude: bool,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub label: String,
    pub value: NodeId,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Value {
    Tensor(NodeId),
    Str(String),
    None,
    Dim(DimId),
}

/// A chosen signature for an input whose type the spec leaves open.
type OpenSig = (DType, Vec<Dim>);

/// A call of a definition by what determines its result: the definition's
/// name and the value bound to each parameter (`None` where the default
/// applies). The body sees nothing else (the caller's locals are hidden), and
/// hash-consing makes equal array arguments the same `NodeId`, so two calls
/// with equal keys build the same value.
type CallKey = (String, Vec<Option<Value>>);

/// The most definition bodies one objective may expand (calls answered from
/// the memo do not count). Sharing keeps honest programs far below it; a
/// definition that calls itself twice with different arguments per level
/// would otherwise build an exponentially large graph.
pub const MAX_EXPANSIONS: usize = 200_000;

/// The most graph nodes elaboration builds before another expansion
/// (about 100 bytes each with the interning table): the memory bound of
/// inlining, whatever the bodies hold.
pub const MAX_ELABORATED_NODES: usize = 4_000_000;

pub(super) fn elaborate(
    spec: &Spec,
    item: &LossItem,
    sigs: &HashMap<String, InputSig>,
) -> Result<Objective, Diagnostic> {
    let candidates = open_candidates(spec, sigs);
    let first: HashMap<String, OpenSig> = candidates
        .iter()
        .map(|(n, c)| (n.clone(), c[0].clone()))
        .collect();
    let mut e = Elab::new(spec, &first);
    let mut fallback = None;
    let err = match e.objective(item) {
        Ok(o) if !e.used_open.is_empty() && implausible(spec, &o) => {
            fallback = Some(o);
            None
        }
        Ok(o) => return Ok(o),
        Err(err) => Some(err),
    };
    let used: Vec<String> = e.used_open.clone();
    if let Some(err) = &err
        && (used.is_empty()
            || !matches!(
                err.kind,
                DiagKind::Type { .. } | DiagKind::Shape(_) | DiagKind::NonScalarObjective { .. }
            ))
    {
        return Err(err.clone());
    }
    // Try the other plausible signatures of the open inputs this objective uses.
    let lists: Vec<&Vec<OpenSig>> = used.iter().map(|n| &candidates[n]).collect();
    let total: usize = lists.iter().map(|l| l.len()).product();
    let declared: Vec<Vec<Dim>> = spec
        .decls
        .iter()
        .filter_map(|d| match &d.ty {
            Some(TypeAnn {
                dims: Some(dims), ..
            }) => Some(dims.iter().map(dim_of).collect()),
            _ => None,
        })
        .collect();
    let mut choices: Vec<(usize, usize, usize, HashMap<String, OpenSig>)> = Vec::new();
    for k in 1..total.min(512) {
        let mut rest = k;
        let mut choice = first.clone();
        for (n, list) in used.iter().zip(&lists) {
            choice.insert(n.clone(), list[rest % list.len()].clone());
            rest /= list.len();
        }
        // Most plausible first: open inputs sharing one shape, then low ranks.
        let mut shapes: Vec<&Vec<Dim>> = used.iter().map(|n| &choice[n].1).collect();
        let ranks = shapes.iter().map(|s| s.len()).sum();
        shapes.extend(declared.iter());
        shapes.sort_by_key(|s| format!("{s:?}"));
        shapes.dedup();
        choices.push((shapes.len(), ranks, k, choice));
    }
    choices.sort_by_key(|c| (c.0, c.1, c.2));
    for (_, _, _, choice) in choices {
        if let Ok(o) = Elab::new(spec, &choice).objective(item) {
            if !implausible(spec, &o) {
                return Ok(o);
            }
            fallback.get_or_insert(o);
        }
    }
    if let Some(o) = fallback {
        return Ok(o);
    }
    let err = err.expect("no fallback means the first attempt failed");
    if matches!(err.kind, DiagKind::NonScalarObjective { .. }) {
        return Err(err); // a declaration would not make it a scalar
    }
    let names: Vec<String> = used.iter().map(|n| format!("`{n}`")).collect();
    Err(err.note(
        None,
        format!(
            "{} {} no declared type; declare {} to check against it",
            names.join(", "),
            if used.len() == 1 { "has" } else { "have" },
            if used.len() == 1 { "it" } else { "them" }
        ),
    ))
}

/// Does the objective reduce or index a class axis that is the default batch
/// dimension `N` (`sparse_cce` on a rank-1 `pred`), or gather with indices
/// shaped like the whole array? Then an undeclared input was guessed wrong,
/// and a later guess may fit better.
fn implausible(spec: &Spec, o: &Objective) -> bool {
    use crate::ir::{Op, Reduce as R};
    let batch_declared = spec.dim_names().contains("N");
    let g = &o.graph;
    g.node_ids().any(|id| {
        let axis_of = |n: NodeId| {
            g.shape_of(n)
                .last()
                .map(|&d| !batch_declared && g.dim(d) == &Dim::Named("N".into()))
        };
        match g.node(id).op {
            Op::Reduce(R::MaxLast | R::LogSumExpLast, a) => axis_of(a) == Some(true),
            // One label per row: indices shaped like the whole array are a guess gone wrong.
            Op::Gather(a, i) => {
                axis_of(a) == Some(true) || g.shape_of(i).len() >= g.shape_of(a).len()
            }
            _ => false,
        }
    })
}

/// Signatures worth trying for each input the spec leaves open.
fn open_candidates(spec: &Spec, sigs: &HashMap<String, InputSig>) -> HashMap<String, Vec<OpenSig>> {
    let declared_shapes: Vec<Vec<Dim>> = {
        let mut v: Vec<Vec<Dim>> = Vec::new();
        for d in &spec.decls {
            if let Some(TypeAnn {
                dims: Some(dims), ..
            }) = &d.ty
            {
                let dims: Vec<Dim> = dims.iter().map(dim_of).collect();
                for k in (1..=dims.len()).rev() {
                    if !v.contains(&dims[..k].to_vec()) {
                        v.push(dims[..k].to_vec());
                    }
                }
            }
        }
        v
    };
    let mut out = HashMap::new();
    let mut open: Vec<(String, Role, Option<DType>)> = Vec::new();
    for (name, role) in DEFAULT_INPUTS {
        if !spec.decls.iter().any(|d| d.name.name == *name) {
            open.push((name.to_string(), *role, None));
        }
    }
    for d in &spec.decls {
        match &d.ty {
            None => open.push((d.name.name.clone(), d.role, None)),
            Some(TypeAnn {
                dims: None, dtype, ..
            }) => open.push((d.name.name.clone(), d.role, Some(*dtype))),
            _ => {}
        }
    }
    // The class axis `C` is the last axis of the open inputs of highest
    // rank; lower-rank inputs name their axes by position only, so labels
    // `[N, D1]` index logits `[N, D1, C]` (see `data_dims`).
    let top_rank = open
        .iter()
        .filter(|(_, role, _)| *role != Role::Param)
        .filter_map(|(name, _, _)| sigs.get(name).map(|s| s.rank))
        .max()
        .unwrap_or(0);
    for (name, role, dtype) in open {
        let sig = sigs.get(&name);
        let dtypes: Vec<DType> = match (sig, dtype, role) {
            (Some(s), _, _) => vec![s.dtype],
            (None, Some(t), _) => vec![t],
            (None, None, Role::Target) => vec![DType::F32, DType::I64],
            (None, None, _) => vec![DType::F32],
        };
        let default_shapes: Vec<Vec<Dim>> = match (sig, role) {
            (Some(s), Role::Param) => vec![default_dims(s.rank, "K")],
            (Some(s), _) => data_dims(s.rank, top_rank),
            (None, Role::Param) => vec![default_dims(1, "K")],
            (None, _) => vec![default_dims(1, "N"), default_dims(2, "N")],
        };
        let mut shapes = default_shapes.clone();
        for s in &declared_shapes {
            if sig.is_none_or(|sig| sig.rank == s.len()) && !shapes.contains(s) {
                shapes.push(s.clone());
            }
        }
        // A parameter may be one number (a temperature, a task's log-variance
        // in uncertainty weighting): the last resort.
        if role == Role::Param && sig.is_none() {
            shapes.push(Vec::new());
        }
        let mut list = Vec::new();
        for t in dtypes {
            for s in &shapes {
                list.push((t, s.clone()));
            }
        }
        out.insert(name, list);
    }
    out
}

/// The shapes to try for an open input whose data has rank `rank`, when the
/// highest rank among the open (non-parameter) inputs with data is `top`.
/// Axes are named by position, `N`, `D1`, `D2`, ..., and the last axis is the
/// class axis `C` only on inputs of the highest rank: integer labels `[N, D1]`
/// then index logits `[N, D1, C]`, and `[N]` labels `[N, C]` logits as before.
/// A lower-rank input whose last axis is a class axis after all (a `[N, C]`
/// target beside `[N, D1, C]` logits) is the second choice.
fn data_dims(rank: usize, top: usize) -> Vec<Vec<Dim>> {
    let classed = default_dims(rank, "N");
    if rank < 2 || rank >= top {
        return vec![classed];
    }
    let positional = (0..rank)
        .map(|i| Dim::Named(if i == 0 { "N".into() } else { format!("D{i}") }))
        .collect();
    vec![positional, classed]
}

/// `[N]`, `[N, C]`, `[N, D1, C]`, ... (or `[K]`, `[K1, K]` for parameters).
fn default_dims(rank: usize, lead: &str) -> Vec<Dim> {
    (0..rank)
        .map(|i| {
            let name = match (lead, i, rank) {
                ("K", i, r) if i + 1 == r => "K".to_string(),
                ("K", i, _) => format!("K{}", i + 1),
                (_, 0, _) => "N".to_string(),
                (_, i, r) if i + 1 == r => "C".to_string(),
                (_, i, _) => format!("D{i}"),
            };
            Dim::Named(name)
        })
        .collect()
}

fn dim_of(d: &DimAnn) -> Dim {
    match d {
        DimAnn::Named(n) => Dim::Named(n.name.clone()),
        DimAnn::Fixed(k, _) => Dim::Fixed(*k),
    }
}

struct Elab<'s> {
    spec: &'s Spec,
    open: &'s HashMap<String, OpenSig>,
    graph: Graph,
    inputs: HashMap<String, NodeId>,
    input_spans: Vec<Span>,
    used_open: Vec<String>,
    locals: Vec<(String, Value)>,
    depth: usize,
    origins: HashMap<NodeId, Origin>,
    /// The outermost call from user code into the prelude being elaborated.
    prelude_call: Option<Span>,
    /// Results of the calls expanded so far, so that a call repeated with
    /// the same arguments (`f(x) * f(x)`) is expanded once.
    memo: HashMap<CallKey, Value>,
    /// How many definition bodies have been expanded (see `MAX_EXPANSIONS`).
    expansions: usize,
}

type R<T> = Result<T, Diagnostic>;

impl<'s> Elab<'s> {
    fn new(spec: &'s Spec, open: &'s HashMap<String, OpenSig>) -> Elab<'s> {
        Elab {
            spec,
            open,
            graph: Graph::new(),
            inputs: HashMap::new(),
            input_spans: Vec::new(),
            used_open: Vec::new(),
            locals: Vec::new(),
            depth: 0,
            origins: HashMap::new(),
            prelude_call: None,
            memo: HashMap::new(),
            expansions: 0,
        }
    }

    fn objective(&mut self, item: &LossItem) -> R<Objective> {
        let mut parts = Vec::new();
        flatten_sum(&item.body, false, &mut parts);
        let mut terms = Vec::new();
        let mut total: Option<NodeId> = None;
        for (negated, e) in &parts {
            let v = self.expr(e)?;
            let mut node = self.scalar_objective(&item.name.name, v, e.span)?;
            if *negated {
                node = self.graph.unary(Unary::Neg, node);
            }
            let text = self.spec.program.sources.snippet(e.span).trim().to_string();
            terms.push(Term {
                label: if *negated { format!("-{text}") } else { text },
                value: node,
            });
            total = Some(match total {
                None => node,
                Some(t) => self.graph.binary(Binary::Add, t, node),
            });
        }
        if terms.len() == 1 {
            terms.clear();
        }
        let value = total.expect("an expression has at least one term");
        Ok(Objective {
            name: item.name.name.clone(),
            graph: std::mem::take(&mut self.graph),
            value,
            terms,
            input_spans: std::mem::take(&mut self.input_spans),
            origins: std::mem::take(&mut self.origins),
        })
    }

    fn scalar_objective(&mut self, name: &str, v: Value, span: Span) -> R<NodeId> {
        let node = self.numeric(v, span)?;
        if !self.graph.shape_of(node).is_empty() {
            let shape = self.graph.shape_text(self.graph.node(node).shape);
            return Err(Diagnostic::new(
                DiagKind::NonScalarObjective {
                    name: name.into(),
                    shape: shape.clone(),
                },
                span,
            )
            .label(format!("this has shape {shape}"))
            .help(
                "an objective must be a single number: reduce it, e.g. `mean(...)` or `sum(...)`",
            ));
        }
        Ok(node)
    }

    // ---- values ----------------------------------------------------------

    fn expr(&mut self, e: &Expr) -> R<Value> {
        let v = self.expr_value(e)?;
        if let Value::Tensor(n) = v {
            let in_prelude = is_prelude(e.span.file);
            let span = match self.prelude_call {
                Some(call) if in_prelude => call,
                _ => e.span,
            };
            self.origins.entry(n).or_insert(Origin { span, in_prelude });
        }
        Ok(v)
    }

    fn expr_value(&mut self, e: &Expr) -> R<Value> {
        match &e.kind {
            ExprKind::Number(x) => Ok(Value::Tensor(self.number(*x))),
            ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            ExprKind::Bool(b) => Ok(Value::Tensor(self.graph.bool_node(*b))),
            ExprKind::None => Ok(Value::None),
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::Call { callee, args } => self.call(callee, args, e.span),
            ExprKind::List(items) => self.list(items),
            ExprKind::Unary(op, a) => {
                let v = self.expr(a)?;
                match op {
                    UnOp::Neg => {
                        let x = self.numeric(v, a.span)?;
                        Ok(Value::Tensor(self.graph.unary(Unary::Neg, x)))
                    }
                    UnOp::Not => {
                        let x = self.boolean(v, a.span)?;
                        Ok(Value::Tensor(self.graph.unary(Unary::Not, x)))
                    }
                }
            }
            ExprKind::Binary(op, a, b) => {
                let va = self.expr(a)?;
                let vb = self.expr(b)?;
                self.binary(*op, va, vb, a.span, b.span)
            }
            ExprKind::Let { name, value, body } => {
                let v = self.expr(value)?;
                self.locals.push((name.name.clone(), v));
                let r = self.expr(body);
                self.locals.pop();
                r
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                let c = self.expr(cond)?;
                let c = self.boolean(c, cond.span)?;
                if let Some(k) = self.graph.constant(c) {
                    return self.expr(if k != 0.0 { then } else { otherwise });
                }
                let a = self.expr(then)?;
                let a = self.numeric_or_bool(a, then.span)?;
                let b = self.expr(otherwise)?;
                let b = self.numeric_or_bool(b, otherwise.span)?;
                self.combinable(a, b, then.span, otherwise.span)?;
                let ab = self
                    .graph
                    .broadcast_shape(self.graph.node(a).shape, self.graph.node(b).shape)
                    .unwrap();
                if self
                    .graph
                    .broadcast_shape(self.graph.node(c).shape, ab)
                    .is_none()
                {
                    return Err(self.shape_error(c, cond.span, a, then.span));
                }
                Ok(Value::Tensor(self.graph.select(c, a, b)))
            }
        }
    }

    /// A literal list: each item a number known at compile time; the list a
    /// constant float array `[K]`, K its length (checked against the data
    /// like any fixed dimension).
    fn list(&mut self, items: &[Expr]) -> R<Value> {
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            let v = self.expr(item)?;
            let n = self.numeric(v, item.span)?;
            match self.graph.constant(n) {
                Some(x) if self.graph.shape_of(n).is_empty() => values.push(x),
                _ => {
                    return Err(self
                        .type_error("a number known at compile time", "another value", item.span)
                        .help("a list literal holds numbers, e.g. `[1, 2, 0.5]`"));
                }
            }
        }
        Ok(Value::Tensor(self.graph.const_array(&values)))
    }

    fn number(&mut self, x: f64) -> NodeId {
        if x.fract() == 0.0 && x.abs() < 9.0e15 {
            self.graph.int_node(x)
        } else {
            self.graph.constant_node(x)
        }
    }

    fn name(&mut self, n: &str, span: Span) -> R<Value> {
        if let Some((_, v)) = self.locals.iter().rev().find(|(name, _)| name == n) {
            return Ok(v.clone());
        }
        if self.spec.decls.iter().any(|d| d.name.name == n)
            || (DEFAULT_INPUTS.iter().any(|(d, _)| *d == n))
        {
            return Ok(Value::Tensor(self.input(n, span)?));
        }
        if self.spec.dim_names().contains(n) {
            return Ok(Value::Dim(self.graph.dim_id(Dim::Named(n.to_string()))));
        }
        // A function named without parentheses is called with its defaults.
        self.call(
            &Ident {
                name: n.to_string(),
                span,
            },
            &[],
            span,
        )
    }

    fn input(&mut self, name: &str, span: Span) -> R<NodeId> {
        if let Some(&id) = self.inputs.get(name) {
            return Ok(id);
        }
        let decl = self.spec.decls.iter().find(|d| d.name.name == name);
        let role = decl
            .map(|d| d.role)
            .unwrap_or_else(|| DEFAULT_INPUTS.iter().find(|(n, _)| *n == name).unwrap().1);
        let (dtype, dims): (DType, Vec<Dim>) = match decl.and_then(|d| d.ty.as_ref()) {
            Some(TypeAnn {
                dtype,
                dims: Some(dims),
                ..
            }) => (*dtype, dims.iter().map(dim_of).collect()),
            _ => {
                if !self.used_open.iter().any(|n| n == name) {
                    self.used_open.push(name.to_string());
                }
                self.open[name].clone()
            }
        };
        let dims: Vec<DimId> = dims.into_iter().map(|d| self.graph.dim_id(d)).collect();
        let shape = self.graph.shape_id(&dims);
        let id = self.graph.add_input(InputInfo {
            name: name.to_string(),
            role,
            dtype,
            shape,
        });
        self.input_spans
            .push(decl.map(|d| d.name.span).unwrap_or(span));
        self.inputs.insert(name.to_string(), id);
        Ok(id)
    }

    /// An array value (dimensions become their sizes), or a type error.
    fn numeric(&mut self, v: Value, span: Span) -> R<NodeId> {
        match v {
            Value::Tensor(n) => Ok(n),
            Value::Dim(d) => {
                let s = self.graph.shape_id(&[d]);
                Ok(self.graph.size_node(s))
            }
            Value::Str(_) => Err(self.type_error("a number or an array", "a string", span)),
            Value::None => Err(self.type_error("a number or an array", "`none`", span)),
        }
    }

    fn numeric_or_bool(&mut self, v: Value, span: Span) -> R<NodeId> {
        self.numeric(v, span)
    }

    fn boolean(&mut self, v: Value, span: Span) -> R<NodeId> {
        let n = self.numeric(v, span)?;
        if self.graph.kind(n) != Kind::Bool {
            let found = kind_text(self.graph.kind(n));
            return Err(self
                .type_error("a boolean (a comparison, `and`, `or`, `not`)", found, span)
                .help("compare explicitly, e.g. `x > 0`"));
        }
        Ok(n)
    }

    fn type_error(&self, expected: &str, found: &str, span: Span) -> Diagnostic {
        Diagnostic::new(
            DiagKind::Type {
                expected: expected.into(),
                found: found.into(),
            },
            span,
        )
        .label(format!("this is {found}"))
    }

    fn combinable(&self, a: NodeId, b: NodeId, sa: Span, sb: Span) -> R<()> {
        let g = &self.graph;
        if g.broadcast_shape(g.node(a).shape, g.node(b).shape)
            .is_none()
        {
            return Err(self.shape_error(a, sa, b, sb));
        }
        Ok(())
    }

    fn shape_error(&self, a: NodeId, sa: Span, b: NodeId, sb: Span) -> Diagnostic {
        let g = &self.graph;
        let (ta, tb) = (g.shape_text(g.node(a).shape), g.shape_text(g.node(b).shape));
        Diagnostic::new(DiagKind::Shape(format!("cannot combine {ta} with {tb}")), sa)
            .label(format!("this has shape {ta}"))
            .note(Some(sb), format!("this has shape {tb}"))
            .help("shapes must be equal, or one must be the leading or trailing part of the other (e.g. [N] with [N, C])")
    }

    fn binary(&mut self, op: BinOp, a: Value, b: Value, sa: Span, sb: Span) -> R<Value> {
        // Compile-time comparisons of strings and `none`.
        if matches!(op, BinOp::Eq | BinOp::Ne) {
            let same = match (&a, &b) {
                (Value::Str(x), Value::Str(y)) => Some(x == y),
                (Value::None, Value::None) => Some(true),
                (Value::None | Value::Str(_), _) | (_, Value::None | Value::Str(_)) => Some(false),
                _ => None,
            };
            if let Some(same) = same {
                return Ok(Value::Tensor(
                    self.graph.bool_node(same == (op == BinOp::Eq)),
                ));
            }
        }
        let x = self.numeric(a, sa)?;
        let y = self.numeric(b, sb)?;
        let ir = match op {
            BinOp::Add => Binary::Add,
            BinOp::Sub => Binary::Sub,
            BinOp::Mul => Binary::Mul,
            BinOp::Div => Binary::Div,
            BinOp::Pow => Binary::Pow,
            BinOp::Eq => Binary::Eq,
            BinOp::Ne => Binary::Ne,
            BinOp::Lt => Binary::Lt,
            BinOp::Le => Binary::Le,
            BinOp::Gt => Binary::Gt,
            BinOp::Ge => Binary::Ge,
            BinOp::And => Binary::And,
            BinOp::Or => Binary::Or,
        };
        if matches!(ir, Binary::And | Binary::Or) {
            self.boolean(Value::Tensor(x), sa)?;
            self.boolean(Value::Tensor(y), sb)?;
        }
        self.combinable(x, y, sa, sb)?;
        Ok(Value::Tensor(self.graph.binary(ir, x, y)))
    }

    // ---- calls -----------------------------------------------------------

    fn call(&mut self, callee: &Ident, args: &[Arg], span: Span) -> R<Value> {
        let params = params_of(self.spec, &callee.name).ok_or_else(|| {
            Diagnostic::new(
                DiagKind::UnknownName {
                    name: callee.name.clone(),
                },
                callee.span,
            )
            .label("not found")
        })?;
        let slots = bind_args(callee, &params, args, span)?;
        if let Some((file, def)) = self.spec.defs.get(&callee.name) {
            return self.call_def(callee, *file, def, &slots, span);
        }
        let sig = builtins::lookup(&callee.name).expect("params_of found it");
        let mut values = Vec::with_capacity(slots.len());
        for slot in &slots {
            values.push(match slot {
                Some(e) => Some((self.expr(e)?, e.span)),
                None => None,
            });
        }
        self.builtin(sig.builtin, &callee.name, values, span)
    }

    fn call_def(
        &mut self,
        callee: &Ident,
        file: FileId,
        def: &Def,
        slots: &[Option<&Expr>],
        span: Span,
    ) -> R<Value> {
        if self.depth >= max_call_depth() {
            return Err(Diagnostic::new(
                DiagKind::TooDeep {
                    limit: max_call_depth(),
                },
                span,
            )
            .label("calls nest too deeply here"));
        }
        let mut bound: Vec<(String, Value)> = Vec::with_capacity(def.params.len());
        for (slot, p) in slots.iter().zip(&def.params) {
            if let Some(e) = slot {
                bound.push((p.name.name.clone(), self.expr(e)?));
            } else {
                bound.push((p.name.name.clone(), Value::None));
            }
        }
        let key: CallKey = (
            callee.name.clone(),
            slots
                .iter()
                .zip(&bound)
                .map(|(slot, (_, v))| slot.map(|_| v.clone()))
                .collect(),
        );
        if let Some(v) = self.memo.get(&key) {
            return Ok(v.clone());
        }
        self.expansions += 1;
        let exceeded = if self.expansions > MAX_EXPANSIONS {
            Some(format!("{MAX_EXPANSIONS} definition bodies"))
        } else if self.graph.len() > MAX_ELABORATED_NODES {
            Some(format!("{MAX_ELABORATED_NODES} graph nodes"))
        } else {
            None
        };
        if let Some(limit) = exceeded {
            return Err(Diagnostic::new(DiagKind::TooManyExpansions { limit }, span)
            .label("expanding this call exceeds the limit")
            .help("definitions that call others several times with different arguments multiply; bind a repeated value with `let`"));
        }
        // Defaults are evaluated in the callee's scope, after the parameters before them.
        let saved = std::mem::take(&mut self.locals);
        let outer_call = self.prelude_call;
        if outer_call.is_none() && is_prelude(file) {
            self.prelude_call = Some(span);
        }
        self.depth += 1;
        let result = (|| {
            for (i, p) in def.params.iter().enumerate() {
                let v = match (slots[i], &p.default) {
                    (Some(_), _) => bound[i].1.clone(),
                    (None, Some(d)) => self.expr(d)?,
                    (None, None) => Value::None,
                };
                self.locals.push((p.name.name.clone(), v));
            }
            self.expr(&def.body)
        })();
        self.depth -= 1;
        self.locals = saved;
        self.prelude_call = outer_call;
        let value = result.map_err(|d| self.blame_call(d, callee, file, span))?;
        self.memo.insert(key, value.clone());
        Ok(value)
    }

    /// Errors inside the prelude point at the user's call; errors inside a
    /// user definition gain a note pointing at the call.
    fn blame_call(&self, d: Diagnostic, callee: &Ident, file: FileId, span: Span) -> Diagnostic {
        if is_prelude(d.span.file) && !is_prelude(span.file) {
            let inner = d.span;
            let mut out = Diagnostic::new(d.kind.clone(), span)
                .label(format!("in this call to `{}`", callee.name));
            out.help = d.help.clone();
            let what = if d.label.is_empty() {
                String::new()
            } else {
                format!(": {}", d.label)
            };
            out = out.note(
                Some(inner),
                format!(
                    "while expanding `{}` from the standard library{what}",
                    callee.name
                ),
            );
            out.notes.extend(
                d.notes
                    .into_iter()
                    .filter(|n| n.span.is_none_or(|s| !is_prelude(s.file))),
            );
            out
        } else if !is_prelude(file) && d.span.file == file && !is_prelude(span.file) {
            d.note(Some(span), format!("in this call to `{}`", callee.name))
        } else {
            d
        }
    }

    fn tensor(&mut self, v: Option<(Value, Span)>, what: &str, span: Span) -> R<(NodeId, Span)> {
        match v {
            Some((v, s)) => Ok((self.numeric(v, s)?, s)),
            None => Err(Diagnostic::new(
                DiagKind::MissingArgument {
                    name: what.into(),
                    param: "x".into(),
                },
                span,
            )),
        }
    }

    fn axis(&self, v: &Option<(Value, Span)>, x: NodeId) -> R<Option<usize>> {
        let Some((v, span)) = v else { return Ok(None) };
        let rank = self.graph.rank(x) as i64;
        let k = match v {
            Value::None => return Ok(None),
            Value::Tensor(n) => self.graph.constant(*n),
            _ => None,
        };
        let Some(k) = k.filter(|k| k.fract() == 0.0) else {
            return Err(self.type_error("an integer axis", "not a constant integer", *span));
        };
        let k = k as i64;
        let axis = if k < 0 { rank + k } else { k };
        if rank == 0 || axis < 0 || axis >= rank {
            return Err(Diagnostic::new(
                DiagKind::InvalidArgument(format!(
                    "axis {k} is out of range for an array of rank {rank}"
                )),
                *span,
            )
            .label("invalid axis"));
        }
        Ok(Some(axis as usize))
    }

    /// Class-axis operations only reduce the last axis.
    fn last_axis(
        &self,
        v: &Option<(Value, Span)>,
        x: NodeId,
        name: &str,
        span: Span,
    ) -> R<ShapeId> {
        let rank = self.graph.rank(x);
        if rank == 0 {
            return Err(Diagnostic::new(
                DiagKind::Shape(format!(
                    "`{name}` needs an array with a class axis, found a scalar"
                )),
                span,
            )
            .label("this is a scalar"));
        }
        if let Some(axis) = self.axis(v, x)?
            && axis + 1 != rank
        {
            let s = v.as_ref().unwrap().1;
            // `sum` and `mean` also reduce everything, or the leading axis.
            let (allowed, help) = if matches!(name, "sum" | "mean") {
                (
                    "every axis (no `axis`), the leading axis (`axis = 0`) or the last axis (`axis = -1`)",
                    "use `axis = 0` for per-class totals over the batch, `axis = -1` for per-row totals",
                )
            } else {
                ("the class (last) axis only", "use `axis = -1`")
            };
            return Err(Diagnostic::new(
                DiagKind::InvalidArgument(format!("`{name}` reduces {allowed}")),
                s,
            )
            .label(format!("axis {axis} of an array of rank {rank}"))
            .help(help));
        }
        Ok(self.graph.node(x).shape)
    }

    fn builtin(
        &mut self,
        b: Builtin,
        name: &str,
        mut v: Vec<Option<(Value, Span)>>,
        span: Span,
    ) -> R<Value> {
        let out = match b {
            Builtin::Math(u) => {
                let (x, _) = self.tensor(v[0].take(), name, span)?;
                self.graph.unary(u, x)
            }
            Builtin::Pow => {
                let (x, sx) = self.tensor(v[0].take(), name, span)?;
                let (y, sy) = self.tensor(v[1].take(), name, span)?;
                self.combinable(x, y, sx, sy)?;
                self.graph.binary(Binary::Pow, x, y)
            }
            Builtin::Min | Builtin::Max => {
                let (x, sx) = self.tensor(v[0].take(), name, span)?;
                let op = if b == Builtin::Min {
                    Binary::Min
                } else {
                    Binary::Max
                };
                match v[1].take() {
                    Some((Value::None, _)) | None => {
                        let axis = v[2].take();
                        if axis.is_none() {
                            return Err(Diagnostic::new(DiagKind::InvalidArgument(format!("`{name}` needs a second argument, or `axis = -1` to reduce the class axis")), span)
                                .label("nothing to compare with"));
                        }
                        let from = self.last_axis(&axis, x, name, span)?;
                        if op == Binary::Max {
                            self.graph.reduce_last(Reduce::MaxLast, x, from)
                        } else {
                            let nx = self.graph.unary(Unary::Neg, x);
                            let m = self.graph.reduce_last(Reduce::MaxLast, nx, from);
                            self.graph.unary(Unary::Neg, m)
                        }
                    }
                    Some((yv, sy)) => {
                        let y = self.numeric(yv, sy)?;
                        self.combinable(x, y, sx, sy)?;
                        self.graph.binary(op, x, y)
                    }
                }
            }
            Builtin::Clamp => {
                let (mut x, sx) = self.tensor(v[0].take(), name, span)?;
                for (slot, below) in [(1, true), (2, false)] {
                    match v[slot].take() {
                        None | Some((Value::None, _)) => {}
                        Some((bv, sb)) => {
                            let bound = self.numeric(bv, sb)?;
                            self.combinable(x, bound, sx, sb)?;
                            // PyTorch's clamp (2.15, scalar bounds) passes the gradient
                            // to x only strictly inside: a bound that is reached is the
                            // bound's value, with no gradient.
                            let outside = self.graph.binary(
                                if below { Binary::Le } else { Binary::Ge },
                                x,
                                bound,
                            );
                            x = self.graph.select(outside, bound, x);
                        }
                    }
                }
                x
            }
            Builtin::Sum
            | Builtin::Mean
            | Builtin::LogSumExp
            | Builtin::Softmax
            | Builtin::LogSoftmax => {
                let (x, _) = self.tensor(v[0].take(), name, span)?;
                let axis_arg = v[1].take();
                let whole = matches!(b, Builtin::Sum | Builtin::Mean)
                    && matches!(axis_arg, None | Some((Value::None, _)));
                if whole {
                    let from = self.graph.node(x).shape;
                    let to = self.graph.scalar_shape();
                    let s = self.graph.sum(x, from, to);
                    if b == Builtin::Mean {
                        let n = self.graph.size_node(from);
                        self.graph.binary(Binary::Div, s, n)
                    } else {
                        s
                    }
                } else if matches!(b, Builtin::Sum | Builtin::Mean)
                    && self.graph.rank(x) >= 2
                    && self.axis(&axis_arg, x)? == Some(0)
                {
                    self.leading_axis_sum(x, b == Builtin::Mean, axis_arg.unwrap().1)?
                } else {
                    let from = self.last_axis(&axis_arg, x, name, span)?;
                    let dims = self.graph.shape(from).to_vec();
                    match b {
                        Builtin::Sum => self.graph.reduce_last(Reduce::Sum, x, from),
                        Builtin::Mean => {
                            let s = self.graph.reduce_last(Reduce::Sum, x, from);
                            let last = self.graph.shape_id(&dims[dims.len() - 1..]);
                            let n = self.graph.size_node(last);
                            self.graph.binary(Binary::Div, s, n)
                        }
                        Builtin::LogSumExp => {
                            self.graph.reduce_last(Reduce::LogSumExpLast, x, from)
                        }
                        Builtin::LogSoftmax => {
                            let l = self.graph.reduce_last(Reduce::LogSumExpLast, x, from);
                            self.graph.binary(Binary::Sub, x, l)
                        }
                        _ => {
                            let l = self.graph.reduce_last(Reduce::LogSumExpLast, x, from);
                            let d = self.graph.binary(Binary::Sub, x, l);
                            self.graph.unary(Unary::Exp, d)
                        }
                    }
                }
            }
            Builtin::Gather => {
                let (x, sx) = self.tensor(v[0].take(), name, span)?;
                let (i, si) = self.tensor(v[1].take(), name, span)?;
                self.index_kind(i, si)?;
                let from = self.last_axis(&None, x, name, sx)?;
                let dims = self.graph.shape(from).to_vec();
                let rows = self.graph.shape_id(&dims[..dims.len() - 1]);
                if !self.graph.broadcastable(rows, self.graph.node(i).shape) {
                    let (tx, ti) = (
                        self.graph.shape_text(from),
                        self.graph.shape_text(self.graph.node(i).shape),
                    );
                    return Err(Diagnostic::new(DiagKind::Shape(format!("cannot gather from {tx} with indices of shape {ti}")), si)
                        .label(format!("indices have shape {ti}"))
                        .note(Some(sx), format!("this has shape {tx}"))
                        .help("the indices need one entry per row: the array's shape without its last (class) axis"));
                }
                self.graph.gather(x, i, from)
            }
            Builtin::OneHot => {
                let (i, si) = self.tensor(v[0].take(), name, span)?;
                self.index_kind(i, si)?;
                let (cv, sc) = v[1].take().unwrap();
                let classes = match cv {
                    Value::Dim(d) => d,
                    // `dim(x)` of a named axis: the size of a one-axis shape.
                    Value::Tensor(n) if matches!(self.graph.node(n).op, Op::Size(s) if self.graph.shape(s).len() == 1) =>
                    {
                        let Op::Size(s) = self.graph.node(n).op else {
                            unreachable!()
                        };
                        self.graph.shape(s)[0]
                    }
                    Value::Tensor(n) => match self.graph.constant(n) {
                        Some(k) if k.fract() == 0.0 && k > MAX_FIXED_DIM as f64 => {
                            return Err(Diagnostic::new(
                                DiagKind::DimensionTooLarge {
                                    size: format!("{k}"),
                                    limit: MAX_FIXED_DIM,
                                },
                                sc,
                            )
                            .label("too many classes"));
                        }
                        Some(k) if k.fract() == 0.0 && k >= 1.0 => {
                            self.graph.dim_id(Dim::Fixed(k as u64))
                        }
                        _ => {
                            return Err(self.type_error(
                                "a dimension name or a positive integer",
                                "another value",
                                sc,
                            ));
                        }
                    },
                    _ => {
                        return Err(self.type_error(
                            "a dimension name or a positive integer",
                            "another value",
                            sc,
                        ));
                    }
                };
                self.graph.onehot(i, classes)
            }
            Builtin::Numel => {
                let (x, _) = self.tensor(v[0].take(), name, span)?;
                let s = self.graph.node(x).shape;
                self.graph.size_node(s)
            }
            Builtin::Dim => {
                let (x, _) = self.tensor(v[0].take(), name, span)?;
                let axis_arg = v[1]
                    .take()
                    .or(Some((Value::Tensor(self.graph.int_node(-1.0)), span)));
                let axis = self.axis(&axis_arg, x)?.expect("an axis is always given");
                let d = self.graph.shape_of(x)[axis];
                let s = self.graph.shape_id(&[d]);
                self.graph.size_node(s)
            }
            // Whether the argument is a number known at compile time (not an
            // array, an input, `none` or a string): what option checks test.
            Builtin::Known => {
                let known = matches!(&v[0], Some((Value::Tensor(n), _)) if self.graph.constant(*n).is_some());
                self.graph.bool_node(known)
            }
            Builtin::Fail => {
                let message = match v[0].take() {
                    Some((Value::Str(s), _)) => s,
                    _ => "invalid use".to_string(),
                };
                return Err(Diagnostic::new(DiagKind::InvalidArgument(message), span).label("here"));
            }
        };
        Ok(Value::Tensor(out))
    }

    /// `sum(x, axis = 0)` of an array of rank 2 or more: per-class totals over
    /// the batch (Dice's per-channel sums). The result is a suffix of `x`'s
    /// shape, which must not also read as a prefix (`[N, N]`), because
    /// broadcasting it back would then be ambiguous.
    fn leading_axis_sum(&mut self, x: NodeId, mean: bool, span: Span) -> R<NodeId> {
        let from = self.graph.node(x).shape;
        let dims = self.graph.shape(from).to_vec();
        let to = self.graph.shape_id(&dims[1..]);
        if dims[..dims.len() - 1] == dims[1..] {
            let text = self.graph.shape_text(from);
            return Err(Diagnostic::new(
                DiagKind::Shape(format!(
                    "`axis = 0` of an array of shape {text} is ambiguous: the result would broadcast back along either axis"
                )),
                span,
            )
            .label("ambiguous axis")
            .help("give the axes different dimension names"));
        }
        let s = self.graph.sum(x, from, to);
        if !mean {
            return Ok(s);
        }
        let first = self.graph.shape_id(&dims[..1]);
        let n = self.graph.size_node(first);
        Ok(self.graph.binary(Binary::Div, s, n))
    }

    fn index_kind(&self, i: NodeId, span: Span) -> R<()> {
        if self.graph.kind(i) != Kind::Int {
            return Err(self
                .type_error("integer class indices", kind_text(self.graph.kind(i)), span)
                .help("declare labels with an integer type, e.g. `target labels: i64[N]`"));
        }
        Ok(())
    }
}

fn kind_text(k: Kind) -> &'static str {
    match k {
        Kind::Float => "a float",
        Kind::Int => "an integer",
        Kind::Bool => "a boolean",
    }
}

/// The terms of a top-level sum, with their signs.
fn flatten_sum<'e>(e: &'e Expr, negated: bool, out: &mut Vec<(bool, &'e Expr)>) {
    match &e.kind {
        ExprKind::Binary(BinOp::Add, a, b) => {
            flatten_sum(a, negated, out);
            flatten_sum(b, negated, out);
        }
        ExprKind::Binary(BinOp::Sub, a, b) => {
            flatten_sum(a, negated, out);
            flatten_sum(b, !negated, out);
        }
        _ => out.push((negated, e)),
    }
}
