//! Run-time inputs: typed arrays, validation, and binding to a compiled objective.
//!
//! Everything that can be wrong with data is found here, before any
//! evaluation: missing inputs, inputs the spec does not know (likely typos),
//! element types, ranks, dimension sizes that disagree between inputs, empty
//! arrays. Each problem is a [`RunError`] naming the input.

use crate::diag::did_you_mean;
use crate::ir::{Dim, Graph, ShapeId};
use crate::types::{DType, Role};
use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn};
use std::collections::BTreeMap;

/// An input array in one of the supported element types.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// float32.
    F32(ArrayD<f32>),
    /// float64.
    F64(ArrayD<f64>),
    /// int32 (labels).
    I32(ArrayD<i32>),
    /// int64 (labels).
    I64(ArrayD<i64>),
    /// bool (masks).
    Bool(ArrayD<bool>),
}

impl Data {
    /// The element type.
    pub fn dtype(&self) -> DType {
        self.view().dtype()
    }

    /// The array's shape.
    pub fn shape(&self) -> &[usize] {
        match self {
            Data::F32(a) => a.shape(),
            Data::F64(a) => a.shape(),
            Data::I32(a) => a.shape(),
            Data::I64(a) => a.shape(),
            Data::Bool(a) => a.shape(),
        }
    }

    /// Widened to float64 (integers up to 2^53 are exact).
    pub fn to_f64(&self) -> ArrayD<f64> {
        self.view().to_f64()
    }
}

impl From<ArrayD<f32>> for Data {
    fn from(a: ArrayD<f32>) -> Data {
        Data::F32(a)
    }
}
impl From<ArrayD<f64>> for Data {
    fn from(a: ArrayD<f64>) -> Data {
        Data::F64(a)
    }
}
impl From<ArrayD<i32>> for Data {
    fn from(a: ArrayD<i32>) -> Data {
        Data::I32(a)
    }
}
impl From<ArrayD<i64>> for Data {
    fn from(a: ArrayD<i64>) -> Data {
        Data::I64(a)
    }
}
impl From<ArrayD<bool>> for Data {
    fn from(a: ArrayD<bool>) -> Data {
        Data::Bool(a)
    }
}

/// An input array borrowed from the caller: evaluation reads it in place
/// (a native kernel uses contiguous data of its own precision directly, and
/// converts only what is not). Any layout is accepted (C, Fortran, strided).
#[derive(Debug, Clone)]
pub enum InputView<'a> {
    /// float32.
    F32(ArrayViewD<'a, f32>),
    /// float64.
    F64(ArrayViewD<'a, f64>),
    /// int32 (labels).
    I32(ArrayViewD<'a, i32>),
    /// int64 (labels).
    I64(ArrayViewD<'a, i64>),
    /// bool (masks).
    Bool(ArrayViewD<'a, bool>),
}

impl<'a> InputView<'a> {
    /// A view of `data` (row-major) with `shape`; `None` when the lengths differ.
    pub fn from_slice<T: ViewElement>(data: &'a [T], shape: &[usize]) -> Option<InputView<'a>> {
        ArrayViewD::from_shape(IxDyn(shape), data).ok().map(T::wrap)
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        match self {
            InputView::F32(_) => DType::F32,
            InputView::F64(_) => DType::F64,
            InputView::I32(_) => DType::I32,
            InputView::I64(_) => DType::I64,
            InputView::Bool(_) => DType::Bool,
        }
    }

    /// The array's shape.
    pub fn shape(&self) -> &[usize] {
        match self {
            InputView::F32(a) => a.shape(),
            InputView::F64(a) => a.shape(),
            InputView::I32(a) => a.shape(),
            InputView::I64(a) => a.shape(),
            InputView::Bool(a) => a.shape(),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape().iter().product()
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same view with a shorter lifetime (views are invariant in theirs).
    pub fn reborrow<'b>(&'b self) -> InputView<'b> {
        match self {
            InputView::F32(a) => InputView::F32(a.view()),
            InputView::F64(a) => InputView::F64(a.view()),
            InputView::I32(a) => InputView::I32(a.view()),
            InputView::I64(a) => InputView::I64(a.view()),
            InputView::Bool(a) => InputView::Bool(a.view()),
        }
    }

    /// Widened to float64 (integers up to 2^53 are exact).
    pub fn to_f64(&self) -> ArrayD<f64> {
        match self {
            InputView::F32(a) => a.mapv(f64::from),
            InputView::F64(a) => a.to_owned(),
            InputView::I32(a) => a.mapv(f64::from),
            InputView::I64(a) => a.mapv(|x| x as f64),
            InputView::Bool(a) => a.mapv(|x| f64::from(u8::from(x))),
        }
    }
}

/// Element types an [`InputView`] can borrow.
pub trait ViewElement: Sized {
    /// The view as an [`InputView`].
    fn wrap(view: ArrayViewD<'_, Self>) -> InputView<'_>;
}

macro_rules! view_element {
    ($t:ty, $variant:ident) => {
        impl ViewElement for $t {
            fn wrap(view: ArrayViewD<'_, $t>) -> InputView<'_> {
                InputView::$variant(view)
            }
        }
        impl<'a> From<ArrayViewD<'a, $t>> for InputView<'a> {
            fn from(view: ArrayViewD<'a, $t>) -> InputView<'a> {
                InputView::$variant(view)
            }
        }
        impl<'a> From<&'a ArrayD<$t>> for InputView<'a> {
            fn from(array: &'a ArrayD<$t>) -> InputView<'a> {
                InputView::$variant(array.view())
            }
        }
    };
}
view_element!(f32, F32);
view_element!(f64, F64);
view_element!(i32, I32);
view_element!(i64, I64);
view_element!(bool, Bool);

impl<'a> From<&'a Data> for InputView<'a> {
    fn from(data: &'a Data) -> InputView<'a> {
        data.view()
    }
}

impl Data {
    /// This array, borrowed.
    pub fn view(&self) -> InputView<'_> {
        match self {
            Data::F32(a) => InputView::F32(a.view()),
            Data::F64(a) => InputView::F64(a.view()),
            Data::I32(a) => InputView::I32(a.view()),
            Data::I64(a) => InputView::I64(a.view()),
            Data::Bool(a) => InputView::Bool(a.view()),
        }
    }
}

/// Named input arrays, borrowed: what every evaluation reads.
pub type Inputs<'a> = BTreeMap<String, InputView<'a>>;

/// Named input arrays, owned (what `.npy` files and synthetic data give).
pub type OwnedInputs = BTreeMap<String, Data>;

/// Anything that names input arrays: borrowed [`Inputs`], or [`OwnedInputs`].
/// Viewing is free: no array is copied.
pub trait AsInputs {
    /// The named views (copies no array).
    fn as_inputs(&self) -> Inputs<'_>;
}

impl AsInputs for Inputs<'_> {
    fn as_inputs(&self) -> Inputs<'_> {
        self.iter()
            .map(|(n, v)| (n.clone(), v.reborrow()))
            .collect()
    }
}

impl AsInputs for OwnedInputs {
    fn as_inputs(&self) -> Inputs<'_> {
        self.iter().map(|(n, d)| (n.clone(), d.view())).collect()
    }
}

impl AsInputs for [(&str, InputView<'_>)] {
    fn as_inputs(&self) -> Inputs<'_> {
        self.iter()
            .map(|(n, v)| (n.to_string(), v.reborrow()))
            .collect()
    }
}

impl<const K: usize> AsInputs for [(&str, InputView<'_>); K] {
    fn as_inputs(&self) -> Inputs<'_> {
        self.as_slice().as_inputs()
    }
}

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("missing input `{input}` ({expected})")]
    MissingInput { input: String, expected: String },
    #[error("input `{input}` is not used by objective `{objective}`{}", hint.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownInput {
        input: String,
        objective: String,
        hint: Option<String>,
    },
    #[error("input `{input}` has element type {found}, expected {expected}")]
    Dtype {
        input: String,
        expected: String,
        found: String,
    },
    #[error(
        "input `{input}` has rank {found} (shape {shape:?}), expected rank {expected} {declared}"
    )]
    Rank {
        input: String,
        expected: usize,
        found: usize,
        shape: Vec<usize>,
        declared: String,
    },
    #[error("dimension `{dim}` is {size_a} in input `{input_a}` but {size_b} in input `{input_b}`")]
    DimMismatch {
        dim: String,
        input_a: String,
        size_a: usize,
        input_b: String,
        size_b: usize,
    },
    #[error("input `{input}` has size {found} along axis {axis}, expected {expected}")]
    FixedDim {
        input: String,
        axis: usize,
        expected: u64,
        found: usize,
    },
    #[error("input `{input}` is empty (shape {shape:?}): losses are undefined on an empty batch")]
    Empty { input: String, shape: Vec<usize> },
    #[error(
        "dimension `{dim}` is not the size of any input of this objective, so its size is unknown"
    )]
    UnsizedDim { dim: String },
    #[error(
        "a {kernel} kernel cannot write {buffers} gradient buffers; compile it for {buffers} or pass {kernel} buffers"
    )]
    Precision { kernel: String, buffers: String },
    #[error("expected {expected} gradient buffers, got {found}")]
    GradientBuffers { expected: usize, found: usize },
    #[error("no output buffer for the gradient with respect to `{input}`")]
    MissingGradientBuffer { input: String },
    #[error("an output buffer names `{input}`, which has no gradient (gradients: {gradients})")]
    UnknownGradientBuffer { input: String, gradients: String },
    #[error("no output buffer for the Hessian diagonal with respect to `{input}`")]
    MissingHessianBuffer { input: String },
    #[error("an output buffer names the Hessian of `{input}`, which is not computed (Hessians: {}); compile the objective with `with_hessians()`", if hessians.is_empty() { "none" } else { hessians.as_str() })]
    UnknownHessianBuffer { input: String, hessians: String },
    #[error("two output buffers for `{input}` of the same kind")]
    DuplicateGradientBuffer { input: String },
    #[error("the gradient buffer for `{input}` has {found} elements, expected {expected}")]
    GradientBufferSize {
        input: String,
        expected: usize,
        found: usize,
    },
    #[error(
        "input `{input}` is differentiated ({role} role) but holds {found} data, which has no gradient; give it float data, or declare it `target {input}: {found}[...]` if it is not to be differentiated"
    )]
    NotDifferentiable {
        input: String,
        role: String,
        found: String,
    },
    #[error(transparent)]
    Eval(#[from] EvalError),
    #[error(transparent)]
    Budget(#[from] crate::budget::BudgetError),
}

fn dtype_compatible(declared: DType, given: DType) -> bool {
    (declared.is_float() && given.is_float())
        || (declared.is_int() && given.is_int())
        || declared == given
}

/// Check `inputs` against the graph and return them in input order (float64)
/// with the size of every dimension.
pub fn bind(
    graph: &Graph,
    objective: &str,
    known: &[String],
    inputs: &Inputs<'_>,
) -> Result<(Vec<ArrayD<f64>>, Vec<usize>), RunError> {
    let dims = check(graph, objective, known, inputs)?;
    Ok((widen(graph, inputs), dims))
}

/// The graph's inputs in input order, widened to float64 (after [`check`]).
pub fn widen(graph: &Graph, inputs: &Inputs<'_>) -> Vec<ArrayD<f64>> {
    graph
        .inputs
        .iter()
        .map(|info| inputs[&info.name].to_f64())
        .collect()
}

/// The bytes the caller's arrays occupy (part of an evaluation's footprint).
pub fn data_bytes(inputs: &Inputs<'_>) -> u64 {
    inputs.values().fold(0u64, |acc, d| {
        let elem = match d.dtype() {
            DType::F32 | DType::I32 => 4,
            DType::F64 | DType::I64 => 8,
            DType::Bool => 1,
        };
        acc.saturating_add((d.shape().iter().product::<usize>() as u64).saturating_mul(elem))
    })
}

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("input `{input}` holds class index {value}, outside [0, {classes})")]
    LabelOutOfRange {
        input: String,
        value: Label,
        classes: usize,
    },
}

/// A class index as found in the data: exact for integers (2^63 - 1 is not
/// printed as 9223372036854775808), as computed for anything else.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Label {
    Int(i64),
    Real(f64),
}

impl From<f64> for Label {
    /// Integers up to 2^53 are exact in float64; beyond, the value is kept as
    /// a float ([`exact_label`] recovers it from integer data).
    fn from(v: f64) -> Label {
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            Label::Int(v as i64)
        } else {
            Label::Real(v)
        }
    }
}

impl PartialEq<f64> for Label {
    fn eq(&self, other: &f64) -> bool {
        match *self {
            Label::Int(i) => i as f64 == *other,
            Label::Real(v) => v == *other,
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::Int(i) => write!(f, "{i}"),
            Label::Real(v) => write!(f, "{v}"),
        }
    }
}

/// The sizes of `shape`'s dimensions (`dims` indexed by `DimId`; fixed
/// dimensions are their own size).
pub fn sizes(graph: &Graph, shape: ShapeId, dims: &[usize]) -> Vec<usize> {
    graph
        .shape(shape)
        .iter()
        .map(|d| match graph.dim(*d) {
            Dim::Fixed(k) => *k as usize,
            Dim::Named(_) => dims[d.0 as usize],
        })
        .collect()
}

/// `a` (of symbolic shape `from`) broadcast to `to` (of sizes `to_sizes`),
/// by the IR's rule: prefix alignment (`[N]` to `[N, C]`) appends unit
/// axes, suffix alignment (`[C]` to `[N, C]`) is numpy's.
pub fn broadcast_view(
    graph: &Graph,
    a: &ArrayD<f64>,
    from: ShapeId,
    to: ShapeId,
    to_sizes: &[usize],
) -> ArrayD<f64> {
    let f = graph.shape(from);
    let t = graph.shape(to);
    let mut view = a.view();
    if f.len() < t.len() && t.starts_with(f) {
        for _ in f.len()..t.len() {
            let n = view.ndim();
            view.insert_axis_inplace(Axis(n));
        }
    }
    view.broadcast(IxDyn(to_sizes))
        .expect("shapes were checked")
        .to_owned()
}

/// Check `inputs` against the graph: presence, element types, ranks,
/// dimension agreement, emptiness. Returns the size of every dimension.
pub fn check(
    graph: &Graph,
    objective: &str,
    known: &[String],
    inputs: &Inputs<'_>,
) -> Result<Vec<usize>, RunError> {
    check_shard(graph, objective, known, inputs, &[])
}

/// [`check`] for one shard of a batch split along the dimensions `sharded`:
/// a shard may be empty along them (its partials are zero).
pub fn check_shard(
    graph: &Graph,
    objective: &str,
    known: &[String],
    inputs: &Inputs<'_>,
    sharded: &[crate::ir::DimId],
) -> Result<Vec<usize>, RunError> {
    for name in inputs.keys() {
        if !graph.inputs.iter().any(|i| &i.name == name) && !known.contains(name) {
            let names = graph.inputs.iter().map(|i| i.name.as_str());
            return Err(RunError::UnknownInput {
                input: name.clone(),
                objective: objective.into(),
                hint: did_you_mean(name, names),
            });
        }
    }
    let mut sizes: Vec<Option<(usize, String)>> = vec![None; graph.num_dims()];
    for info in &graph.inputs {
        // The declaration as text, for the errors only (formatting it on
        // every evaluation was a measurable part of a small one's cost).
        let expected_text = || {
            format!(
                "{} {}: {}{}",
                info.role.as_str(),
                info.name,
                info.dtype.as_str(),
                graph.shape_text(info.shape)
            )
        };
        let data = inputs
            .get(&info.name)
            .ok_or_else(|| RunError::MissingInput {
                input: info.name.clone(),
                expected: expected_text(),
            })?;
        // An undeclared `pred` or `params` takes its type from the data; integer
        // data would silently make it a constant without a gradient.
        if info.role != Role::Target && !known.contains(&info.name) && !data.dtype().is_float() {
            return Err(RunError::NotDifferentiable {
                input: info.name.clone(),
                role: info.role.as_str().into(),
                found: data.dtype().as_str().into(),
            });
        }
        if !dtype_compatible(info.dtype, data.dtype()) {
            return Err(RunError::Dtype {
                input: info.name.clone(),
                expected: info.dtype.as_str().into(),
                found: data.dtype().as_str().into(),
            });
        }
        let dims = graph.shape(info.shape);
        let shape = data.shape();
        if shape.len() != dims.len() {
            return Err(RunError::Rank {
                input: info.name.clone(),
                expected: dims.len(),
                found: shape.len(),
                shape: shape.to_vec(),
                declared: format!("({})", expected_text()),
            });
        }
        let empty_elsewhere = dims
            .iter()
            .zip(shape)
            .any(|(d, &n)| n == 0 && !sharded.contains(d));
        if empty_elsewhere || (sharded.is_empty() && shape.contains(&0)) {
            return Err(RunError::Empty {
                input: info.name.clone(),
                shape: shape.to_vec(),
            });
        }
        for (axis, (&d, &n)) in dims.iter().zip(shape).enumerate() {
            match graph.dim(d) {
                Dim::Fixed(k) if *k as usize != n => {
                    return Err(RunError::FixedDim {
                        input: info.name.clone(),
                        axis,
                        expected: *k,
                        found: n,
                    });
                }
                Dim::Fixed(_) => {}
                Dim::Named(name) => match &sizes[d.0 as usize] {
                    Some((size, other)) if *size != n => {
                        return Err(RunError::DimMismatch {
                            dim: name.clone(),
                            input_a: other.clone(),
                            size_a: *size,
                            input_b: info.name.clone(),
                            size_b: n,
                        });
                    }
                    Some(_) => {}
                    None => sizes[d.0 as usize] = Some((n, info.name.clone())),
                },
            }
        }
    }
    // Dimensions no input carries (e.g. `onehot(y, C)` with C declared only
    // on an unused input) cannot be sized.
    let mut out = Vec::with_capacity(sizes.len());
    for (i, s) in sizes.into_iter().enumerate() {
        out.push(match (s, graph.dim(crate::ir::DimId(i as u32))) {
            (Some((n, _)), _) => n,
            (None, Dim::Fixed(k)) => *k as usize,
            (None, Dim::Named(name)) => return Err(RunError::UnsizedDim { dim: name.clone() }),
        });
    }
    Ok(out)
}
