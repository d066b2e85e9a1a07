//! The abstract syntax tree. Every node keeps the [`Span`] it was parsed from.

use crate::source::{FileId, Span};

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed file.
#[derive(Debug, Clone)]
pub struct Module {
    pub file: FileId,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Use(UseItem),
    Decl(Decl),
    Def(Def),
    Loss(LossItem),
}

#[derive(Debug, Clone)]
pub struct UseItem {
    pub path: String,
    pub span: Span,
}

pub use crate::types::{DType, Role};

#[derive(Debug, Clone)]
pub struct Decl {
    pub role: Role,
    pub name: Ident,
    pub ty: Option<TypeAnn>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct TypeAnn {
    pub dtype: DType,
    /// `None` when only the element type is given: the rank comes from the data.
    pub dims: Option<Vec<DimAnn>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum DimAnn {
    Named(Ident),
    Fixed(u64, Span),
}

#[derive(Debug, Clone)]
pub struct Def {
    pub name: Ident,
    pub params: Vec<ParamDef>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub name: Ident,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone)]
pub struct LossItem {
    pub name: Ident,
    pub body: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Dropping an expression frees its subtrees without recursion: a flat
/// product or sum of any length (`a*b*c*...`) is a chain as deep as it is
/// long, and the compiler-generated recursive drop overflowed the stack at
/// about 200 000 terms.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_children(&mut self.kind, &mut pending);
        while let Some(mut e) = pending.pop() {
            take_children(&mut e.kind, &mut pending);
            // `e` now has no children: dropping it here does not recurse.
        }
    }
}

/// Moves the direct subexpressions of `kind` into `out`, leaving a leaf.
fn take_children(kind: &mut ExprKind, out: &mut Vec<Expr>) {
    match std::mem::replace(kind, ExprKind::None) {
        ExprKind::Unary(_, a) => out.push(*a),
        ExprKind::Binary(_, a, b) => out.extend([*a, *b]),
        ExprKind::Let { value, body, .. } => out.extend([*value, *body]),
        ExprKind::If {
            cond,
            then,
            otherwise,
        } => out.extend([*cond, *then, *otherwise]),
        ExprKind::Call { args, .. } => out.extend(args.into_iter().map(|a| a.value)),
        ExprKind::List(items) => out.extend(items),
        leaf => *kind = leaf,
    }
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Number(f64),
    Str(String),
    Bool(bool),
    None,
    /// A variable, an input, a dimension, or a function called with no arguments.
    Name(String),
    Call {
        callee: Ident,
        args: Vec<Arg>,
    },
    /// A literal list `[e1, e2, ...]` of compile-time numbers: a constant float array.
    List(Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Let {
        name: Ident,
        value: Box<Expr>,
        body: Box<Expr>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub keyword: Option<Ident>,
    pub value: Expr,
}
