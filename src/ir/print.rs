//! Printing IR as readable math.
//!
//! Subexpressions used more than once are printed once, as numbered
//! bindings (`t1 = sigmoid(pred)`), and referred to by name; so are very deep
//! chains, which keeps printing non-recursive beyond a fixed depth.

use super::ops::Printed;
use super::*;
use std::fmt::Write;

/// Depth beyond which a subexpression is bound to a name instead of inlined.
const MAX_INLINE_DEPTH: u32 = 48;

pub struct Printer<'g> {
    graph: &'g Graph,
    names: HashMap<NodeId, String>,
    order: Vec<NodeId>,
}

impl<'g> Printer<'g> {
    /// Decide which nodes reachable from `roots` get a binding of their own.
    pub fn new(graph: &'g Graph, roots: &[NodeId]) -> Printer<'g> {
        let live = graph.reachable(roots);
        let mut uses = vec![0u32; graph.len()];
        for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
            for a in graph.args(id) {
                uses[a.0 as usize] += 1;
            }
        }
        let mut depth = vec![0u32; graph.len()];
        let mut names = HashMap::new();
        let mut order = Vec::new();
        for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
            let trivial = matches!(
                graph.node(id).op,
                Op::Const(_) | Op::ConstArray(_) | Op::Input(_) | Op::Size(_) | Op::Broadcast(_)
            );
            let d = 1 + graph
                .args(id)
                .map(|a| depth[a.0 as usize])
                .max()
                .unwrap_or(0);
            let shared = uses[id.0 as usize] >= 2 && !trivial && !roots.contains(&id);
            if shared || (d > MAX_INLINE_DEPTH && !trivial) {
                names.insert(id, format!("t{}", order.len() + 1));
                order.push(id);
                depth[id.0 as usize] = 0;
            } else {
                depth[id.0 as usize] = d;
            }
        }
        Printer {
            graph,
            names,
            order,
        }
    }

    /// `(name, expression)` for every shared subexpression, in dependency order.
    pub fn bindings(&self) -> Vec<(String, String)> {
        self.order
            .iter()
            .map(|&id| (self.names[&id].clone(), self.define(id)))
            .collect()
    }

    /// The expression for `id`, referring to bindings by name.
    pub fn expr(&self, id: NodeId) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| self.define(id))
    }

    fn define(&self, id: NodeId) -> String {
        let mut s = String::new();
        self.write(&mut s, id, 0, true);
        s
    }

    fn write(&self, out: &mut String, id: NodeId, min_prec: u8, top: bool) {
        if !top && let Some(n) = self.names.get(&id) {
            out.push_str(n);
            return;
        }
        let g = self.graph;
        let prec = precedence(g, id);
        let paren = prec < min_prec;
        if paren {
            out.push('(');
        }
        match g.node(id).op {
            Op::Const(bits) => out.push_str(&format_number(f64::from_bits(bits), g.kind(id))),
            Op::ConstArray(k) => {
                let items: Vec<String> = g
                    .array(k)
                    .iter()
                    .map(|&x| format_number(x, Kind::Float))
                    .collect();
                out.push_str(&format!("[{}]", items.join(", ")));
            }
            Op::Input(i) => out.push_str(&g.inputs[i.0 as usize].name),
            Op::Size(shape) => {
                let dims: Vec<String> = g.shape(shape).iter().map(|&d| g.dim_text(d)).collect();
                out.push_str(&dims.join("*"));
            }
            Op::Unary(Unary::Neg, a) => {
                out.push('-');
                self.write(out, a, PREC_NEG + 1, false);
            }
            Op::Unary(Unary::Not, a) => {
                out.push_str("not ");
                self.write(out, a, PREC_NOT, false);
            }
            Op::Unary(f, a) => self.call(out, f.name(), &[a], ""),
            Op::Binary(op, a, b) if op.facts().printed == Printed::Call => {
                self.call(out, op.facts().symbol, &[a, b], "")
            }
            Op::Binary(op, a, b) => {
                let p = binary_precedence(op);
                // Left-associative operators need parentheses on the right for
                // equal precedence (`a - (b - c)`); `^` is right-associative.
                let (lp, rp) = if op == Binary::Pow {
                    (p + 1, p)
                } else {
                    (p, p + 1)
                };
                self.write(out, a, lp, false);
                let _ = write!(out, " {} ", op.facts().symbol);
                self.write(out, b, rp, false);
            }
            Op::Select(c, a, b) => {
                out.push_str("if ");
                self.write(out, c, 0, false);
                out.push_str(" then ");
                self.write(out, a, 0, false);
                out.push_str(" else ");
                self.write(out, b, 0, false);
            }
            Op::Broadcast(a) => self.write(out, a, min_prec, false),
            Op::Reduce(r, a) => {
                let to = g.node(id).shape;
                let from = g.node(a).shape;
                let suffix = match r {
                    Reduce::Sum if g.shape(to).is_empty() => String::new(),
                    Reduce::Sum
                        if g.shape(from).len() == g.shape(to).len() + 1
                            && g.shape(from).starts_with(g.shape(to)) =>
                    {
                        ", axis=-1".into()
                    }
                    Reduce::Sum => format!(", to={}", g.shape_text(to)),
                    Reduce::MaxLast => ", axis=-1".into(),
                    Reduce::LogSumExpLast => String::new(),
                };
                let name = match r {
                    Reduce::Sum => "sum",
                    Reduce::MaxLast => "max",
                    Reduce::LogSumExpLast => "logsumexp",
                };
                self.call(out, name, &[a], &suffix);
            }
            Op::Gather(x, i) => self.call(out, "gather", &[x, i], ""),
            Op::OneHot(i) => {
                let classes = *g.shape_of(id).last().unwrap();
                self.call(out, "onehot", &[i], &format!(", {}", g.dim_text(classes)));
            }
        }
        if paren {
            out.push(')');
        }
    }

    fn call(&self, out: &mut String, name: &str, args: &[NodeId], suffix: &str) {
        out.push_str(name);
        out.push('(');
        for (k, &a) in args.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            self.write(out, a, 0, false);
        }
        out.push_str(suffix);
        out.push(')');
    }
}

/// One node printed with its shared subexpressions as `where` bindings.
pub fn format_node(graph: &Graph, id: NodeId) -> String {
    let p = Printer::new(graph, &[id]);
    let mut out = p.expr(id);
    let b = p.bindings();
    if !b.is_empty() {
        out.push_str("\n  where");
        for (n, e) in b {
            let _ = write!(out, "\n    {n} = {e}");
        }
    }
    out
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
const PREC_CMP: u8 = 4;
const PREC_ADD: u8 = 5;
const PREC_MUL: u8 = 6;
const PREC_NEG: u8 = 7;
const PREC_POW: u8 = 8;
const PREC_ATOM: u8 = 10;

fn precedence(g: &Graph, id: NodeId) -> u8 {
    match g.node(id).op {
        Op::Const(bits) if f64::from_bits(bits) < 0.0 => PREC_NEG,
        Op::Size(s) if g.shape(s).len() > 1 => PREC_MUL,
        Op::Unary(Unary::Neg, _) => PREC_NEG,
        Op::Unary(Unary::Not, _) => PREC_NOT,
        Op::Binary(op, ..) => binary_precedence(op),
        Op::Select(..) => 0,
        Op::Broadcast(a) => precedence(g, a),
        _ => PREC_ATOM,
    }
}

/// How tightly an operator binds (the grammar's precedence levels).
fn binary_precedence(op: Binary) -> u8 {
    match op {
        Binary::Or => PREC_OR,
        Binary::And => PREC_AND,
        Binary::Eq | Binary::Ne | Binary::Lt | Binary::Le | Binary::Gt | Binary::Ge => PREC_CMP,
        Binary::Add | Binary::Sub => PREC_ADD,
        Binary::Mul | Binary::Div => PREC_MUL,
        Binary::Pow => PREC_POW,
        // Printed as calls.
        Binary::Min | Binary::Max => PREC_ATOM,
    }
}

fn format_number(x: f64, kind: Kind) -> String {
    if kind == Kind::Bool {
        return if x != 0.0 {
            "true".into()
        } else {
            "false".into()
        };
    }
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1e-4 && x.abs() < 1e15 {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}
