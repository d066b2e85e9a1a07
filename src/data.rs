//! Data for the command line: `.npy` files in and out, and synthetic inputs.
//!
//! `--random N` needs no data at hand: it makes inputs of plausible values
//! for each input's role and element type (logits around 0, binary targets,
//! one-hot rows for class-distribution targets, labels within the class
//! count, small parameters), sized with the batch `N` on each input's leading
//! axis and other dimensions from `--dim NAME=SIZE` (default 10).

use crate::ir::{Dim, Graph, Op};
use crate::runtime::{Data, Inputs};
use crate::syntax::ast::{DType, Role};
use ndarray::{ArrayD, IxDyn};
use ndarray_npy::{ReadNpyExt, WriteNpyExt};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read `{path}`: {reason}")]
    Read { path: String, reason: String },
    #[error("`{path}` holds {dtype} data; supported element types are f32, f64, i32, i64 and bool")]
    UnsupportedDtype { path: String, dtype: String },
    #[error("cannot write `{path}`: {reason}")]
    Write { path: String, reason: String },
}

/// Read a `.npy` file of any supported element type.
pub fn read_npy(path: &Path) -> Result<Data, DataError> {
    let shown = path.display().to_string();
    let read_err = |reason: String| DataError::Read {
        path: shown.clone(),
        reason,
    };
    let descr = npy_descr(path).map_err(read_err)?;
    let open = || {
        File::open(path)
            .map(BufReader::new)
            .map_err(|e| read_err(e.to_string()))
    };
    let bad = |e: ndarray_npy::ReadNpyError| read_err(e.to_string());
    Ok(match descr.trim_start_matches(['<', '>', '|', '=']) {
        "f4" => Data::F32(ArrayD::<f32>::read_npy(open()?).map_err(bad)?),
        "f8" => Data::F64(ArrayD::<f64>::read_npy(open()?).map_err(bad)?),
        "i4" => Data::I32(ArrayD::<i32>::read_npy(open()?).map_err(bad)?),
        "i8" => Data::I64(ArrayD::<i64>::read_npy(open()?).map_err(bad)?),
        "b1" => Data::Bool(ArrayD::<bool>::read_npy(open()?).map_err(bad)?),
        _ => {
            return Err(DataError::UnsupportedDtype {
                path: shown,
                dtype: descr,
            });
        }
    })
}

/// The `descr` field of a `.npy` header (e.g. `<f4`).
fn npy_descr(path: &Path) -> Result<String, String> {
    let mut f = File::open(path).map_err(|e| e.to_string())?;
    let mut head = vec![0u8; 512];
    let n = f.read(&mut head).map_err(|e| e.to_string())?;
    let head = &head[..n];
    if n < 10 || &head[..6] != b"\x93NUMPY" {
        return Err("not a .npy file (bad magic number)".into());
    }
    let text = String::from_utf8_lossy(head);
    let key = text
        .find("'descr'")
        .ok_or("malformed .npy header: no descr")?;
    let rest = &text[key + 7..];
    let open = rest.find('\'').ok_or("malformed .npy header")?;
    let close = rest[open + 1..].find('\'').ok_or("malformed .npy header")?;
    Ok(rest[open + 1..open + 1 + close].to_string())
}

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
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

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

    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

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

/// Synthetic inputs for every input of the graph.
pub fn random_inputs(
    graph: &Graph,
    batch: usize,
    given: &HashMap<String, usize>,
    seed: u64,
) -> Inputs {
    let sizes = dim_sizes(graph, batch, given);
    let mut rng = Rng::new(seed);
    let mut out = Inputs::new();
    for (k, info) in graph.inputs.iter().enumerate() {
        let shape: Vec<usize> = graph
            .shape(info.shape)
            .iter()
            .map(|&d| match graph.dim(d) {
                Dim::Fixed(n) => *n as usize,
                Dim::Named(n) => sizes[n],
            })
            .collect();
        let len: usize = shape.iter().product();
        let classes = match class_dim(graph, k).map(|d| graph.dim(d)) {
            Some(Dim::Fixed(n)) => *n as usize,
            Some(Dim::Named(n)) => sizes.get(n).copied().unwrap_or(10),
            None => 2,
        };
        let last = *shape.last().unwrap_or(&1);
        let values: Vec<f64> = match (info.role, info.dtype) {
            (_, DType::I32 | DType::I64) => (0..len).map(|_| rng.below(classes) as f64).collect(),
            (_, DType::Bool) => (0..len)
                .map(|_| f64::from(u8::from(rng.uniform() < 0.5)))
                .collect(),
            (Role::Target, _) if shape.len() >= 2 => {
                // One-hot rows: valid for targets that are distributions over the last axis.
                let mut v = vec![0.0; len];
                for row in 0..len / last {
                    v[row * last + rng.below(last)] = 1.0;
                }
                v
            }
            (Role::Target, _) => (0..len)
                .map(|_| f64::from(u8::from(rng.uniform() < 0.3)))
                .collect(),
            (Role::Param, _) => (0..len).map(|_| 0.1 * rng.normal()).collect(),
            (Role::Input, _) => (0..len).map(|_| 2.0 * rng.normal()).collect(),
        };
        let data = match info.dtype {
            DType::F32 => Data::F32(
                ArrayD::from_shape_vec(IxDyn(&shape), values.iter().map(|&x| x as f32).collect())
                    .unwrap(),
            ),
            DType::F64 => Data::F64(ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap()),
            DType::I32 => Data::I32(
                ArrayD::from_shape_vec(IxDyn(&shape), values.iter().map(|&x| x as i32).collect())
                    .unwrap(),
            ),
            DType::I64 => Data::I64(
                ArrayD::from_shape_vec(IxDyn(&shape), values.iter().map(|&x| x as i64).collect())
                    .unwrap(),
            ),
            DType::Bool => Data::Bool(
                ArrayD::from_shape_vec(IxDyn(&shape), values.iter().map(|&x| x != 0.0).collect())
                    .unwrap(),
            ),
        };
        out.insert(info.name.clone(), data);
    }
    out
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
