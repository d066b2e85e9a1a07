//! Data for the command line: `.npy` files in and out, and synthetic inputs.
//!
//! `--random N` needs no data at hand: it makes inputs of plausible values
//! for each input's role and element type (logits around 0, binary targets,
//! one-hot rows for class-distribution targets, labels within the class
//! count, small parameters), sized with the batch `N` on each input's leading
//! axis and other dimensions from `--dim NAME=SIZE` (default 10).

use crate::budget::{self, BudgetError};
use crate::ir::{Dim, Graph, Op};
use crate::runtime::{Data, OwnedInputs};
use crate::types::{DType, Role};
use ndarray::{ArrayD, IxDyn};
use ndarray_npy::WriteNpyExt;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::Path;

mod npy;

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read `{path}`: {reason}")]
    Read { path: String, reason: String },
    #[error("`{path}` holds {dtype} data; supported element types are f32, f64, i32, i64 and bool")]
    UnsupportedDtype { path: String, dtype: String },
    #[error("cannot write `{path}`: {reason}")]
    Write { path: String, reason: String },
    #[error(transparent)]
    Budget(#[from] BudgetError),
}

/// The longest `.npy` header read (numpy's own reader stops at 10 000 bytes
/// by default; a header is a short dictionary padded for alignment).
const MAX_NPY_HEADER: u64 = 1 << 20;

/// Read a `.npy` file (format version 1, 2 or 3) of any supported element
/// type, within the process memory limit.
pub fn read_npy(path: &Path) -> Result<Data, DataError> {
    read_npy_within(path, budget::memory_limit())
}

/// [`read_npy`] with an explicit memory limit in bytes. The header is
/// validated against the file's length before any array is allocated.
pub fn read_npy_within(path: &Path, limit: u64) -> Result<Data, DataError> {
    let shown = path.display().to_string();
    let read_err = |reason: String| DataError::Read {
        path: shown.clone(),
        reason,
    };
    let io = |e: std::io::Error| read_err(e.to_string());
    let mut file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(read_err("not a regular file".into()));
    }
    let header = npy::read_header(&mut file, meta.len()).map_err(read_err)?;
    let Some(elem) = npy::ElementType::parse(&header.descr) else {
        return Err(DataError::UnsupportedDtype {
            path: shown,
            dtype: header.descr,
        });
    };
    let len = budget::checked_product(header.shape.iter().copied()).ok_or_else(|| {
        read_err(format!(
            "the header's shape {:?} overflows 64 bits",
            header.shape
        ))
    })?;
    let data_bytes = len.checked_mul(elem.size()).ok_or_else(|| {
        read_err(format!(
            "the header's shape {:?} overflows 64 bits",
            header.shape
        ))
    })?;
    let available = meta.len() - header.data_offset;
    if available != data_bytes {
        return Err(read_err(format!(
            "the header declares shape {:?} of {} ({data_bytes} bytes of data), but the file holds {available} bytes after the header",
            header.shape, header.descr
        )));
    }
    // The file's bytes, then the array built from them (one at a time).
    budget::check_memory(|| format!("reading `{shown}`"), data_bytes, limit)?;
    let bytes = {
        let mut bytes = Vec::new();
        (&mut file)
            .take(data_bytes)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        bytes
    };
    if bytes.len() as u64 != data_bytes {
        return Err(read_err("the file ended early".into()));
    }
    npy::to_data(&bytes, elem, &header).map_err(read_err)
}

/// Write a float64 array as a `.npy` file.
pub fn write_npy(path: &Path, a: &ArrayD<f64>) -> Result<(), DataError> {
    let err = |reason: String| DataError::Write {
        path: path.display().to_string(),
        reason,
    };
    let f = File::create(path).map_err(|e| err(e.to_string()))?;
    a.write_npy(BufWriter::new(f))
        .map_err(|e| err(e.to_string()))
}

/// A small deterministic generator (SplitMix64): the same seed gives the same
/// data on every platform and version.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal sample.
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A uniform integer in `[0, n)`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.uniform() * n as f64) as usize % n.max(1)
    }
}

/// Sizes of named dimensions for synthetic data.
pub fn dim_sizes(
    graph: &Graph,
    batch: usize,
    given: &HashMap<String, usize>,
) -> HashMap<String, usize> {
    let mut sizes: HashMap<String, usize> = given.clone();
    for info in &graph.inputs {
        for (axis, &d) in graph.shape(info.shape).iter().enumerate() {
            if let Dim::Named(name) = graph.dim(d) {
                // Parameters are not batched: a modest model size.
                let default = if info.role == Role::Param {
                    1000
                } else if axis == 0 {
                    batch
                } else {
                    10
                };
                sizes.entry(name.clone()).or_insert(default);
            }
        }
    }
    sizes
}

/// Synthetic inputs for every input of the graph, within the process memory limit.
pub fn random_inputs(
    graph: &Graph,
    batch: usize,
    given: &HashMap<String, usize>,
    seed: u64,
) -> Result<OwnedInputs, DataError> {
    random_inputs_within(graph, batch, given, seed, budget::memory_limit())
}

/// [`random_inputs`] with an explicit memory limit in bytes: every size is a
/// checked product and the total is budgeted before anything is generated.
pub fn random_inputs_within(
    graph: &Graph,
    batch: usize,
    given: &HashMap<String, usize>,
    seed: u64,
    limit: u64,
) -> Result<OwnedInputs, DataError> {
    let sizes = dim_sizes(graph, batch, given);
    let size_of = |d: crate::ir::DimId| -> u64 {
        match graph.dim(d) {
            Dim::Fixed(n) => *n,
            Dim::Named(n) => sizes[n] as u64,
        }
    };
    let mut shapes = Vec::with_capacity(graph.inputs.len());
    let mut needed = 0u64;
    for info in &graph.inputs {
        let dims = graph.shape(info.shape);
        let overflow = || BudgetError::Overflow {
            what: format!(
                "synthetic input `{}` of shape [{}]",
                info.name,
                dims.iter()
                    .map(|&d| size_of(d).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let len = budget::checked_product(dims.iter().map(|&d| size_of(d))).ok_or_else(overflow)?;
        let shape = dims
            .iter()
            .map(|&d| usize::try_from(size_of(d)))
            .collect::<Result<Vec<usize>, _>>()
            .map_err(|_| overflow())?;
        needed = needed.saturating_add(len.saturating_mul(dtype_bytes(info.dtype)));
        shapes.push(shape);
    }
    let names = || {
        graph
            .inputs
            .iter()
            .zip(&shapes)
            .map(|(i, s)| format!("`{}` {s:?}", i.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    budget::check_memory(
        || format!("generating synthetic inputs ({})", names()),
        needed,
        limit,
    )?;
    let mut rng = Rng::new(seed);
    let mut out = OwnedInputs::new();
    for (k, (info, shape)) in graph.inputs.iter().zip(shapes).enumerate() {
        let classes = match class_dim(graph, k) {
            Some(d) => usize::try_from(size_of(d)).unwrap_or(usize::MAX),
            None => 2,
        };
        let values = synthetic_values(&mut rng, info.role, info.dtype, &shape, classes);
        out.insert(info.name.clone(), values);
    }
    Ok(out)
}

fn dtype_bytes(dtype: DType) -> u64 {
    match dtype {
        DType::F32 | DType::I32 => 4,
        DType::F64 | DType::I64 => 8,
        DType::Bool => 1,
    }
}

/// One input's values, generated straight into its element type.
fn synthetic_values(
    rng: &mut Rng,
    role: Role,
    dtype: DType,
    shape: &[usize],
    classes: usize,
) -> Data {
    let len: usize = shape.iter().product();
    let last = (*shape.last().unwrap_or(&1)).max(1);
    let mut position = 0usize;
    let mut hot = 0usize;
    let mut next = || -> f64 {
        let v = match (role, dtype) {
            (_, DType::I32 | DType::I64) => rng.below(classes) as f64,
            (_, DType::Bool) => f64::from(u8::from(rng.uniform() < 0.5)),
            (Role::Target, _) if shape.len() >= 2 => {
                // One-hot rows: valid for targets that are distributions over the last axis.
                if position % last == 0 {
                    hot = rng.below(last);
                }
                f64::from(u8::from(position % last == hot))
            }
            (Role::Target, _) => f64::from(u8::from(rng.uniform() < 0.3)),
            (Role::Param, _) => 0.1 * rng.normal(),
            (Role::Input, _) => 2.0 * rng.normal(),
        };
        position += 1;
        v
    };
    let shape = IxDyn(shape);
    let fits = "the length is the shape's product";
    let mut typed = |convert: &mut dyn FnMut(f64)| (0..len).for_each(|_| convert(next()));
    match dtype {
        DType::F32 => {
            let mut v = Vec::with_capacity(len);
            typed(&mut |x| v.push(x as f32));
            Data::F32(ArrayD::from_shape_vec(shape, v).expect(fits))
        }
        DType::F64 => {
            let mut v = Vec::with_capacity(len);
            typed(&mut |x| v.push(x));
            Data::F64(ArrayD::from_shape_vec(shape, v).expect(fits))
        }
        DType::I32 => {
            let mut v = Vec::with_capacity(len);
            typed(&mut |x| v.push(i32::try_from(x as i64).unwrap_or(i32::MAX)));
            Data::I32(ArrayD::from_shape_vec(shape, v).expect(fits))
        }
        DType::I64 => {
            let mut v = Vec::with_capacity(len);
            typed(&mut |x| v.push(x as i64));
            Data::I64(ArrayD::from_shape_vec(shape, v).expect(fits))
        }
        DType::Bool => {
            let mut v = Vec::with_capacity(len);
            typed(&mut |x| v.push(x != 0.0));
            Data::Bool(ArrayD::from_shape_vec(shape, v).expect(fits))
        }
    }
}

/// The class axis an integer input indexes, from the gathers and one-hots that read it.
fn class_dim(graph: &Graph, input: usize) -> Option<crate::ir::DimId> {
    let mut depends = vec![false; graph.len()];
    let mut found: Option<crate::ir::DimId> = None;
    for id in graph.node_ids() {
        let i = id.0 as usize;
        depends[i] = match graph.node(id).op {
            Op::Input(k) => k.0 as usize == input,
            _ => graph.args(id).any(|a| depends[a.0 as usize]),
        };
        let classes = match graph.node(id).op {
            Op::Gather(x, idx) if depends[idx.0 as usize] => graph.shape_of(x).last().copied(),
            Op::OneHot(idx) if depends[idx.0 as usize] => graph.shape_of(id).last().copied(),
            _ => None,
        };
        if found.is_none() {
            found = classes;
        }
    }
    found
}
