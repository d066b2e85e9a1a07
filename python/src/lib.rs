//! `lossc._native`: the Rust half of the Python package `lossc`.
//!
//! A [`Loss`] holds one parsed spec and one objective of it. Each call
//! evaluates it on numpy arrays borrowed in place (any layout: rust-numpy's
//! views carry the strides, and lossc reads strided views itself), with the
//! GIL released while the compiled code runs. An objective is compiled once
//! per input signature (element type and rank of each array), engine,
//! thread count and Hessian choice, and the [`Evaluator`] is cached; an
//! evaluator is `Sync`, so one `Loss` serves any number of Python threads.
//!
//! Guarantees towards Python:
//! - results come back in the float dtype of the input they belong to
//!   (a gradient computed in another precision is rounded into it);
//! - every failure is an exception of the pure-Python module
//!   `lossc._errors` (`SpecError`, `InputError`, `Error`), and a panic in
//!   the library is caught and raised as `lossc.Error`: none unwinds into
//!   the interpreter.
//!
//! The pure-Python layer (`python/lossc/__init__.py`) normalises arguments
//! (non-arrays, non-native byte order, unaligned data) before they get here.

use lossc::{
    DType, Engine, Evaluator, HessianPolicy, InputSig, InputView, Inputs, LossSpec, Outputs,
};
use numpy::{
    PyArray1, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyReadonlyArray1,
    PyReadonlyArrayDyn, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What an evaluator is compiled for: the inputs' signatures (sorted by
/// name), whether Hessians are computed, the engine, the thread count and
/// the sharded dimensions of a distributed one.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    sigs: Vec<(String, DType, usize)>,
    /// The Hessian policy when Hessian diagonals are computed.
    hessian: Option<u8>,
    engine: u8,
    threads: Option<usize>,
    /// The sharded dimensions of a distributed evaluator (empty: the
    /// ordinary one).
    sharded: Vec<String>,
    /// The dimensions whose sizes scale gradients and Hessians (empty: none).
    scale: Vec<String>,
    /// Whether the value and terms are computed.
    value: bool,
}

/// Evaluators kept per [`Loss`]; a real program uses a handful (one per
/// dtype combination and Hessian choice).
const MAX_CACHED: usize = 64;

/// One objective of a spec, compiled lazily per input signature.
#[pyclass(frozen, module = "lossc._native")]
struct Loss {
    spec: Arc<LossSpec>,
    objective: String,
    /// The objective compiled with every input inferred from the spec:
    /// what `inputs` and `derive` describe.
    declared: lossc::CompiledLoss,
    cache: Mutex<HashMap<Key, Arc<Evaluator>>>,
}

// ---------------------------------------------------------------- errors

/// The exception classes of `lossc._errors`, looked up once.
fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = MODULE.get_or_try_init(py, || {
        PyModule::import(py, "lossc._errors").map(Bound::unbind)
    })?;
    Ok(module.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

/// A `lossc.SpecError` (or `InputError`, for a spec that compiles on its
/// own but not for the arrays given) carrying the rendered diagnostic and
/// the file, line and column of its first location.
fn compile_error(py: Python<'_>, class: &str, e: &lossc::CompileError) -> PyErr {
    let (file, line, col) = match e.diagnostics.first() {
        Some(d) => {
            let p = e.sources.position(d.span.file, d.span.start);
            (e.sources.file(d.span.file).name.clone(), p.line, p.col)
        }
        None => (String::new(), 0, 0),
    };
    raise(py, class, (e.render(), file, line, col))
}

fn raise<'py>(py: Python<'py>, class: &str, args: impl pyo3::call::PyCallArgs<'py>) -> PyErr {
    match error_class(py, class).and_then(|c| c.call1(args)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

/// The Python exception for a library error.
fn to_py(py: Python<'_>, e: lossc::Error) -> PyErr {
    match e {
        lossc::Error::Compile(c) => compile_error(py, "SpecError", &c),
        lossc::Error::Run(r) => raise(py, "InputError", (r.to_string(),)),
        other => raise(py, "Error", (other.to_string(),)),
    }
}

/// Run `work`, turning a panic into `lossc.Error` (a panic is a bug in
/// lossc; it must not take the interpreter down or unwind through it).
fn guarded<T>(py: Python<'_>, work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(raise(
                py,
                "Error",
                (format!("internal error in lossc (please report): {what}"),),
            ))
        }
    }
}

// ---------------------------------------------------------------- inputs

/// A numpy array borrowed for the duration of one call.
enum Borrowed<'py> {
    F32(PyReadonlyArrayDyn<'py, f32>),
    F64(PyReadonlyArrayDyn<'py, f64>),
    I32(PyReadonlyArrayDyn<'py, i32>),
    I64(PyReadonlyArrayDyn<'py, i64>),
    Bool(PyReadonlyArrayDyn<'py, bool>),
}

impl<'py> Borrowed<'py> {
    fn new(name: &str, value: &Bound<'py, PyAny>) -> PyResult<Borrowed<'py>> {
        let py = value.py();
        let input_error = |why: String| raise(py, "InputError", (why,));
        let array = value.cast::<PyUntypedArray>().map_err(|_| {
            input_error(format!(
                "input `{name}` is not a numpy array (got {})",
                value
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let dtype = array.dtype();
        let borrow_error = |e: numpy::BorrowError| input_error(format!("input `{name}`: {e}"));
        macro_rules! try_as {
            ($t:ty, $variant:ident) => {
                if dtype.is_equiv_to(&numpy::dtype::<$t>(py)) {
                    let typed = array.cast::<PyArrayDyn<$t>>().map_err(|_| {
                        input_error(format!("input `{name}`: unexpected array type"))
                    })?;
                    return Ok(Borrowed::$variant(
                        typed.try_readonly().map_err(borrow_error)?,
                    ));
                }
            };
        }
        try_as!(f32, F32);
        try_as!(f64, F64);
        try_as!(i32, I32);
        try_as!(i64, I64);
        try_as!(bool, Bool);
        Err(input_error(format!(
            "input `{name}` has dtype {}; lossc takes float32, float64, int32, int64 or bool \
             arrays (convert with .astype(...))",
            dtype.str().map(|s| s.to_string()).unwrap_or_default()
        )))
    }

    fn view(&self) -> InputView<'_> {
        match self {
            Borrowed::F32(a) => InputView::F32(a.as_array()),
            Borrowed::F64(a) => InputView::F64(a.as_array()),
            Borrowed::I32(a) => InputView::I32(a.as_array()),
            Borrowed::I64(a) => InputView::I64(a.as_array()),
            Borrowed::Bool(a) => InputView::Bool(a.as_array()),
        }
    }
}

// ---------------------------------------------------------------- outputs

/// One result array (a gradient or Hessian diagonal) for Python: allocated
/// in the input's float dtype, written directly by the engine when its
/// precision matches, else through a scratch buffer in the engine's.
enum Out<'py> {
    F32(Bound<'py, PyArrayDyn<f32>>),
    F64(Bound<'py, PyArrayDyn<f64>>),
}

impl<'py> Out<'py> {
    fn new(py: Python<'py>, dtype: DType, shape: &[usize]) -> Out<'py> {
        // SAFETY: uninitialised, not zeroed: zeroing would be a pass over
        // memory the engine overwrites anyway. Every element is written
        // before Python sees the array: the native kernel writes each
        // gradient and Hessian whole (a pass, a fill of a scalar or a copy
        // of a class value), the reference path copies every element; on
        // an error the arrays are dropped unseen.
        unsafe {
            match dtype {
                DType::F64 => Out::F64(PyArrayDyn::new(py, shape, false)),
                _ => Out::F32(PyArrayDyn::new(py, shape, false)),
            }
        }
    }

    fn into_any(self) -> Bound<'py, PyAny> {
        match self {
            Out::F32(a) => a.into_any(),
            Out::F64(a) => a.into_any(),
        }
    }
}

// ---------------------------------------------------------------- the class

fn engine_of(py: Python<'_>, name: &str) -> PyResult<(Engine, u8)> {
    let engine: Engine = name.parse().map_err(|e: String| raise(py, "Error", (e,)))?;
    let code = match engine {
        Engine::Auto => 0,
        Engine::Reference => 1,
        Engine::Native => 2,
    };
    Ok((engine, code))
}

impl Loss {
    fn new(py: Python<'_>, spec: LossSpec, objective: Option<&str>) -> PyResult<Loss> {
        let compiled = py
            .detach(|| spec.compile(objective, &HashMap::new()))
            .map_err(|e| compile_error(py, "SpecError", &e))?;
        Ok(Loss {
            objective: compiled.name().to_string(),
            spec: Arc::new(spec),
            declared: compiled,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The evaluator for `key`, compiled (without the GIL) on first use.
    fn evaluator(
        &self,
        py: Python<'_>,
        key: &Key,
        engine: Engine,
        policy: Option<HessianPolicy>,
    ) -> PyResult<Arc<Evaluator>> {
        if let Some(e) = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
        {
            return Ok(e.clone());
        }
        let sigs: HashMap<String, InputSig> = key
            .sigs
            .iter()
            .map(|(n, dtype, rank)| {
                (
                    n.clone(),
                    InputSig {
                        dtype: *dtype,
                        rank: *rank,
                    },
                )
            })
            .collect();
        let spec = &self.spec;
        let objective = self.objective.as_str();
        let threads = key.threads;
        let sharded: Vec<&str> = key.sharded.iter().map(String::as_str).collect();
        let scale: Vec<&str> = key.scale.iter().map(String::as_str).collect();
        let value = key.value;
        let built = py.detach(move || -> Result<Evaluator, Failure> {
            let loss = spec
                .compile(Some(objective), &sigs)
                .map_err(Failure::Signature)?;
            // Before the Hessians, which are derived from the scaled gradients.
            let loss = loss.with_gradient_scale(&scale).map_err(Failure::Library)?;
            let loss = if value { loss } else { loss.without_value() };
            let loss = match policy {
                Some(_) => loss.with_hessians().map_err(Failure::Library)?,
                None => loss,
            };
            // After `with_hessians`, so that the Hessians are finished too.
            let loss = if sharded.is_empty() {
                loss
            } else {
                loss.distributed(&sharded).map_err(Failure::Library)?
            };
            let mut evaluator = loss.into_evaluator(engine).map_err(Failure::Library)?;
            if let Some(n) = threads {
                evaluator = evaluator.with_threads(n);
            }
            if let Some(policy) = policy {
                evaluator = evaluator.with_hessian_policy(policy);
            }
            Ok(evaluator)
        });
        let evaluator = Arc::new(built.map_err(|f| match f {
            // The spec compiled on its own, so the arrays are what does not fit.
            Failure::Signature(e) => compile_error(py, "InputError", &e),
            Failure::Library(e) => to_py(py, e),
        })?);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= MAX_CACHED {
            // Bounded memory whatever the callers vary (thread counts, ranks);
            // evaluators in use stay alive through their `Arc`.
            cache.clear();
        }
        cache.insert(key.clone(), evaluator.clone());
        Ok(evaluator)
    }
}

enum Failure {
    Signature(lossc::CompileError),
    Library(lossc::Error),
}

type Evaluated<'py> = (
    f64,
    Vec<(String, f64)>,
    Bound<'py, PyDict>,
    Bound<'py, PyDict>,
    String,
);

#[pymethods]
impl Loss {
    /// The objective's name.
    #[getter]
    fn name(&self) -> &str {
        &self.objective
    }

    /// Names of the spec's objectives, the default first.
    fn objectives(&self) -> Vec<String> {
        self.spec
            .objectives()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// `(name, role, dtype, shape, declared)` of each input the objective
    /// reads, in graph order (the dtype and rank of an undeclared input are
    /// the ones inferred from the spec).
    fn inputs(&self) -> Vec<(String, &'static str, &'static str, String, bool)> {
        let graph = self.declared.graph();
        let declared = self.declared.declared_inputs();
        self.declared
            .inputs()
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    i.role.as_str(),
                    i.dtype.as_str(),
                    graph.shape_text(i.shape),
                    declared.contains(&i.name),
                )
            })
            .collect()
    }

    /// How many evaluators are cached (for the test of the bound).
    fn _cached(&self) -> usize {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Names of the differentiated inputs (those with a gradient).
    fn differentiated(&self) -> Vec<String> {
        self.declared
            .gradients
            .iter()
            .map(|g| g.input.clone())
            .collect()
    }

    /// Labels of the objective's top-level terms.
    fn terms(&self) -> Vec<String> {
        self.declared
            .objective
            .terms
            .iter()
            .map(|t| t.label.clone())
            .collect()
    }

    /// The simplified derivative (all gradients, or the one for `wrt`).
    #[pyo3(signature = (wrt=None))]
    fn derive(&self, py: Python<'_>, wrt: Option<&str>) -> PyResult<String> {
        guarded(py, || {
            self.declared.derivative_text(wrt).map_err(|e| to_py(py, e))
        })
    }

    /// This shard's partials of the objective compiled for a batch sharded
    /// along `shard`: a new 1-D float64 array whose elementwise sum over
    /// all shards is what `finish` takes.
    #[pyo3(signature = (arrays, shard=vec!["N".to_string()], hessian=None, engine="auto", threads=None))]
    fn partials<'py>(
        &self,
        py: Python<'py>,
        arrays: &Bound<'py, PyDict>,
        shard: Vec<String>,
        hessian: Option<&str>,
        engine: &str,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        guarded(py, || {
            let options = Options::parse(py, hessian, engine, threads)?;
            self.partials_guarded(py, arrays, shard, options)
        })
    }

    /// The global objective from the merged partials: `(value, terms,
    /// grads, hessians, engine)` as `evaluate`, with the gradients (times
    /// `grad_scale`) and Hessian diagonals of the sharded inputs only.
    #[pyo3(signature = (merged, arrays, shard=vec!["N".to_string()], grad_scale=1.0, hessian=None, engine="auto", threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn finish<'py>(
        &self,
        py: Python<'py>,
        merged: PyReadonlyArray1<'py, f64>,
        arrays: &Bound<'py, PyDict>,
        shard: Vec<String>,
        grad_scale: f64,
        hessian: Option<&str>,
        engine: &str,
        threads: Option<usize>,
    ) -> PyResult<Evaluated<'py>> {
        guarded(py, || {
            let options = Options::parse(py, hessian, engine, threads)?;
            self.finish_guarded(py, merged, arrays, shard, grad_scale, options)
        })
    }

    /// The partials' layout for a batch sharded along `shard`: `(expression,
    /// shape)` of each, in the order of the vector `partials` returns (each
    /// flattened row-major), for the objective with every input as declared
    /// (or inferred) and, with `hessian`, its Hessians.
    #[pyo3(signature = (shard=vec!["N".to_string()], hessian=false))]
    fn partials_layout(
        &self,
        py: Python<'_>,
        shard: Vec<String>,
        hessian: bool,
    ) -> PyResult<Vec<(String, String)>> {
        guarded(py, || {
            let shard = sharded_dims(py, shard)?;
            let dims: Vec<&str> = shard.iter().map(String::as_str).collect();
            let loss = self.declared.clone();
            let loss = if hessian {
                loss.with_hessians().map_err(|e| to_py(py, e))?
            } else {
                loss
            };
            let loss = loss.distributed(&dims).map_err(|e| to_py(py, e))?;
            Ok(loss.partials_layout())
        })
    }

    /// Evaluate on `arrays` (a dict of numpy arrays): `(value, terms,
    /// grads, hessians, engine description)`. `hessian` is `None` (no
    /// Hessian diagonals) or the policy: `"exact"`, `"clip"`, `"constant"`.
    /// `scale_by` names dimensions whose sizes multiply the gradients and
    /// Hessians (`["N"]`: those of the sum over rows of a mean), computed
    /// in the kernel (`CompiledLoss::with_gradient_scale`). With `value`
    /// false only the derivatives are computed (the value is NaN, no terms).
    #[pyo3(signature = (arrays, hessian=None, engine="auto", threads=None, scale_by=Vec::new(), value=true))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        arrays: &Bound<'py, PyDict>,
        hessian: Option<&str>,
        engine: &str,
        threads: Option<usize>,
        scale_by: Vec<String>,
        value: bool,
    ) -> PyResult<Evaluated<'py>> {
        guarded(py, || {
            let mut options = Options::parse(py, hessian, engine, threads)?;
            options.scale = scale_by;
            options.value = value;
            self.evaluate_guarded(py, arrays, options)
        })
    }
}

impl Loss {
    fn evaluate_guarded<'py>(
        &self,
        py: Python<'py>,
        arrays: &Bound<'py, PyDict>,
        options: Options,
    ) -> PyResult<Evaluated<'py>> {
        let borrowed = borrow_all(arrays)?;
        let inputs = views(&borrowed);
        let key = options.key(&inputs, Vec::new());
        let (engine, policy) = (options.engine, options.policy);
        let evaluator = self.evaluator(py, &key, engine, policy)?;

        // One result array per gradient and per Hessian diagonal, in the
        // dtype and shape of its input.
        let loss = evaluator.loss();
        let mut planned: Vec<(&str, &InputView<'_>)> = Vec::new();
        for g in loss.gradients.iter().chain(&loss.hessians) {
            let Some(view) = inputs.get(&g.input) else {
                // A missing (or misnamed) input: the library's input check
                // says which, before anything is computed.
                return Err(match py.detach(|| evaluator.evaluate(&inputs)) {
                    Err(e) => to_py(py, e),
                    Ok(_) => raise(py, "InputError", (format!("missing input `{}`", g.input),)),
                });
            };
            planned.push((&g.input, view));
        }
        check_output_memory(py, &evaluator, &planned)?;
        let mut outs: Vec<(String, Out<'py>)> = planned
            .iter()
            .map(|(name, view)| (name.to_string(), Out::new(py, view.dtype(), view.shape())))
            .collect();
        let hess = outs.split_off(loss.gradients.len());
        let grads = outs;
        let precision = match evaluator.running() {
            lossc::Running::Native(p) => Some(p),
            lossc::Running::Reference => None,
        };
        let values = {
            let results = grads.iter().chain(&hess);
            let mut guards = results
                .clone()
                .map(|(_, out)| Guard::new(out))
                .collect::<PyResult<Vec<_>>>()?;
            let mut dests: Vec<(&str, Dest<'_>)> = results
                .zip(guards.iter_mut())
                .map(|((name, _), guard)| (name.as_str(), guard.dest(precision)))
                .collect();
            let n_grads = grads.len();
            let result = py.detach(|| {
                let mut outputs = Outputs::new();
                for (k, (name, dest)) in dests.iter_mut().enumerate() {
                    outputs = if k < n_grads {
                        outputs.gradient(name, dest.buffer())
                    } else {
                        outputs.hessian(name, dest.buffer())
                    };
                }
                let values = evaluator.evaluate_into(&inputs, &mut outputs);
                drop(outputs);
                dests.iter_mut().for_each(|(_, d)| d.finish());
                values
            });
            result.map_err(|e| to_py(py, e))?
        };
        let grad_dict = PyDict::new(py);
        for (name, out) in grads {
            grad_dict.set_item(name, out.into_any())?;
        }
        let hess_dict = PyDict::new(py);
        for (name, out) in hess {
            hess_dict.set_item(name, out.into_any())?;
        }
        Ok((
            values.value,
            values.terms,
            grad_dict,
            hess_dict,
            evaluator.running().to_string(),
        ))
    }
}

/// The options every evaluation takes, checked.
struct Options {
    engine: Engine,
    engine_code: u8,
    policy: Option<HessianPolicy>,
    threads: Option<usize>,
    /// Dimensions whose sizes scale gradients and Hessians.
    scale: Vec<String>,
    /// Whether the value and terms are computed.
    value: bool,
}

impl Options {
    fn parse(
        py: Python<'_>,
        hessian: Option<&str>,
        engine: &str,
        threads: Option<usize>,
    ) -> PyResult<Options> {
        let (engine, engine_code) = engine_of(py, engine)?;
        let policy = match hessian {
            None => None,
            Some(name) => Some(
                name.parse::<HessianPolicy>()
                    .map_err(|e| raise(py, "Error", (e,)))?,
            ),
        };
        if threads == Some(0) {
            return Err(raise(
                py,
                "Error",
                ("threads must be at least 1".to_string(),),
            ));
        }
        Ok(Options {
            engine,
            engine_code,
            policy,
            threads,
            scale: Vec::new(),
            value: true,
        })
    }

    fn key(&self, inputs: &Inputs<'_>, sharded: Vec<String>) -> Key {
        Key {
            sigs: inputs
                .iter()
                .map(|(n, v)| (n.clone(), v.dtype(), v.shape().len()))
                .collect(),
            hessian: self.policy.map(|p| match p {
                HessianPolicy::Exact => 0,
                HessianPolicy::Clip => 1,
                HessianPolicy::Constant => 2,
            }),
            engine: self.engine_code,
            threads: self.threads,
            sharded,
            scale: self.scale.clone(),
            value: self.value,
        }
    }
}

/// Every array of `arrays` borrowed (sorted by name).
fn borrow_all<'py>(arrays: &Bound<'py, PyDict>) -> PyResult<Vec<(String, Borrowed<'py>)>> {
    let mut borrowed: Vec<(String, Borrowed<'py>)> = Vec::with_capacity(arrays.len());
    for (name, value) in arrays.iter() {
        let name: String = name.extract()?;
        let array = Borrowed::new(&name, &value)?;
        borrowed.push((name, array));
    }
    borrowed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(borrowed)
}

fn views<'a>(borrowed: &'a [(String, Borrowed<'_>)]) -> Inputs<'a> {
    borrowed
        .iter()
        .map(|(n, a)| (n.clone(), a.view()))
        .collect()
}

/// The sharded dimensions of a distributed call (at least one).
fn sharded_dims(py: Python<'_>, shard: Vec<String>) -> PyResult<Vec<String>> {
    if shard.is_empty() {
        return Err(raise(
            py,
            "Error",
            ("shard must name at least one dimension (usually (\"N\",))".to_string(),),
        ));
    }
    Ok(shard)
}

/// A float64 result of the library as a new numpy array in `dtype`
/// (float32 for a float32 input: rounded once).
fn to_numpy<'py>(py: Python<'py>, dtype: DType, array: ndarray::ArrayD<f64>) -> Bound<'py, PyAny> {
    match dtype {
        DType::F64 => PyArrayDyn::from_owned_array(py, array).into_any(),
        _ => PyArrayDyn::from_owned_array(py, array.mapv(|x| x as f32)).into_any(),
    }
}

impl Loss {
    /// The distributed evaluator for the arrays and options of one call.
    fn shard_evaluator(
        &self,
        py: Python<'_>,
        inputs: &Inputs<'_>,
        options: &Options,
        shard: Vec<String>,
    ) -> PyResult<Arc<Evaluator>> {
        let key = options.key(inputs, sharded_dims(py, shard)?);
        self.evaluator(py, &key, options.engine, options.policy)
    }

    fn partials_guarded<'py>(
        &self,
        py: Python<'py>,
        arrays: &Bound<'py, PyDict>,
        shard: Vec<String>,
        options: Options,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let borrowed = borrow_all(arrays)?;
        let inputs = views(&borrowed);
        let evaluator = self.shard_evaluator(py, &inputs, &options, shard)?;
        let partials = py
            .detach(|| evaluator.partials(&inputs))
            .map_err(|e| to_py(py, e))?;
        Ok(PyArray1::from_vec(py, partials))
    }

    fn finish_guarded<'py>(
        &self,
        py: Python<'py>,
        merged: PyReadonlyArray1<'py, f64>,
        arrays: &Bound<'py, PyDict>,
        shard: Vec<String>,
        grad_scale: f64,
        options: Options,
    ) -> PyResult<Evaluated<'py>> {
        let merged = merged.as_slice().map_err(|_| {
            raise(
                py,
                "Error",
                ("merged partials must be a contiguous float64 array".to_string(),),
            )
        })?;
        let borrowed = borrow_all(arrays)?;
        let inputs = views(&borrowed);
        let evaluator = self.shard_evaluator(py, &inputs, &options, shard)?;
        let r = py
            .detach(|| evaluator.finish(&inputs, merged, grad_scale))
            .map_err(|e| to_py(py, e))?;
        let dtype_of = |name: &str| inputs.get(name).map(|v| v.dtype()).unwrap_or(DType::F64);
        let grads = PyDict::new(py);
        for (name, g) in r.gradients {
            let dtype = dtype_of(&name);
            grads.set_item(&name, to_numpy(py, dtype, g))?;
        }
        let hess = PyDict::new(py);
        for (name, h) in r.hessians {
            let dtype = dtype_of(&name);
            hess.set_item(&name, to_numpy(py, dtype, h))?;
        }
        Ok((
            r.value,
            r.terms,
            grads,
            hess,
            evaluator.running().to_string(),
        ))
    }
}

/// The result arrays of one call must fit the objective's memory budget
/// (as the library's own allocations do) before any is allocated: inputs
/// can be huge broadcast views that take no memory themselves.
fn check_output_memory(
    py: Python<'_>,
    evaluator: &Evaluator,
    planned: &[(&str, &InputView<'_>)],
) -> PyResult<()> {
    let bytes = planned
        .iter()
        .map(|(_, view)| {
            let size = if view.dtype() == DType::F64 { 8 } else { 4 };
            (view.len() as u64).saturating_mul(size)
        })
        .fold(0u64, u64::saturating_add);
    lossc::budget::check_memory(
        || "returning the gradients and Hessians to Python".to_string(),
        bytes,
        evaluator.loss().memory_limit(),
    )
    .map_err(|e| raise(py, "InputError", (e.to_string(),)))
}

/// The writable borrow of one fresh result array (held with the GIL).
enum Guard<'py> {
    F32(numpy::PyReadwriteArrayDyn<'py, f32>),
    F64(numpy::PyReadwriteArrayDyn<'py, f64>),
}

impl<'py> Guard<'py> {
    fn new(out: &Out<'py>) -> PyResult<Guard<'py>> {
        let busy = |e: numpy::BorrowError| PyErr::from(e);
        Ok(match out {
            Out::F32(a) => Guard::F32(a.try_readwrite().map_err(busy)?),
            Out::F64(a) => Guard::F64(a.try_readwrite().map_err(busy)?),
        })
    }

    /// Where the engine writes: the array itself when its dtype is the
    /// engine's precision (`None`: the reference evaluator, which writes
    /// either), else a scratch buffer in the engine's precision.
    fn dest(&mut self, precision: Option<lossc::native::Precision>) -> Dest<'_> {
        use lossc::native::Precision;
        let contiguous = "fresh arrays are contiguous";
        match (self, precision) {
            (Guard::F32(a), None | Some(Precision::F32)) => {
                Dest::F32(a.as_slice_mut().expect(contiguous))
            }
            (Guard::F64(a), None | Some(Precision::F64)) => {
                Dest::F64(a.as_slice_mut().expect(contiguous))
            }
            (Guard::F32(a), Some(Precision::F64)) => {
                let out = a.as_slice_mut().expect(contiguous);
                let scratch = vec![0.0; out.len()];
                Dest::F32ViaF64(out, scratch)
            }
            (Guard::F64(a), Some(Precision::F32)) => {
                let out = a.as_slice_mut().expect(contiguous);
                let scratch = vec![0.0; out.len()];
                Dest::F64ViaF32(out, scratch)
            }
        }
    }
}

/// A result's memory as the engine sees it (plain slices: `Send`, so it
/// crosses into the GIL-free section).
enum Dest<'s> {
    F32(&'s mut [f32]),
    F64(&'s mut [f64]),
    F32ViaF64(&'s mut [f32], Vec<f64>),
    F64ViaF32(&'s mut [f64], Vec<f32>),
}

impl<'s> Dest<'s> {
    fn buffer(&mut self) -> lossc::Buffer<'_> {
        match self {
            Dest::F32(b) => lossc::Buffer::F32(b),
            Dest::F64(b) => lossc::Buffer::F64(b),
            Dest::F32ViaF64(_, scratch) => lossc::Buffer::F64(scratch),
            Dest::F64ViaF32(_, scratch) => lossc::Buffer::F32(scratch),
        }
    }

    /// Round a scratch buffer into the output (no-op for direct writes).
    fn finish(&mut self) {
        match self {
            Dest::F32ViaF64(out, scratch) => out
                .iter_mut()
                .zip(scratch.iter())
                .for_each(|(o, &s)| *o = s as f32),
            Dest::F64ViaF32(out, scratch) => out
                .iter_mut()
                .zip(scratch.iter())
                .for_each(|(o, &s)| *o = f64::from(s)),
            Dest::F32(_) | Dest::F64(_) => {}
        }
    }
}

// ---------------------------------------------------------------- module

/// Compile spec text (`use` resolved against `base_dir`).
#[pyfunction]
#[pyo3(signature = (text, objective=None, name="<inline>", base_dir=None))]
fn compile(
    py: Python<'_>,
    text: &str,
    objective: Option<&str>,
    name: &str,
    base_dir: Option<PathBuf>,
) -> PyResult<Loss> {
    guarded(py, || {
        let spec = py
            .detach(|| LossSpec::from_source(name, text, base_dir.as_deref()))
            .map_err(|e| compile_error(py, "SpecError", &e))?;
        Loss::new(py, spec, objective)
    })
}

/// Load a spec file (and the files it `use`s).
#[pyfunction]
#[pyo3(signature = (path, objective=None))]
fn load(py: Python<'_>, path: PathBuf, objective: Option<&str>) -> PyResult<Loss> {
    guarded(py, || {
        let spec = py
            .detach(|| LossSpec::from_file(&path))
            .map_err(|e| compile_error(py, "SpecError", &e))?;
        Loss::new(py, spec, objective)
    })
}

/// Panics without the GIL, as a bug in the library would: for the test that
/// a panic reaches Python as `lossc.Error`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guarded(py, || py.detach(|| panic!("a panic in a test")))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Loss>()?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
