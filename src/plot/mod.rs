//! Plots of losses and their derivatives along one input.
//!
//! A plot sweeps one scalar variable (an input of the compiled objectives,
//! e.g. `pred`) over a range, holds the other inputs at given values (`with
//! target=1`), and records for every objective its value and its derivative
//! with respect to the variable. [`sample`] does this with the library's
//! float64 reference evaluator ([`CompiledLoss::evaluate`]), so the curves are
//! exactly what `lossc eval` computes: each input is an array whose named
//! dimensions have size 1 (fixed dimensions keep their size, every element
//! holding the value), and the derivative is the evaluator's symbolic
//! gradient summed over the variable's elements, i.e. the derivative of
//! `x ↦ loss(x·1)`. A variable the objective does not differentiate (a
//! `target`) gets central finite differences instead, and the curve says so.
//!
//! A [`Figure`] is drawn in a terminal with [`render_terminal`] (braille
//! curves, one ANSI colour per curve, or distinct markers without colour) or
//! written as an SVG or PNG figure with [`save`] (titled, labelled axes,
//! legend, a value panel and a derivative panel). `lossc plot` is [`cli`].
//!
//! Guarantees: every problem with a request (a range that is empty or not
//! finite, a variable no curve reads, a missing or unused `with` value, a
//! non-float variable, a bad size or output path) is an `Err` with a message
//! naming the culprit, never a panic; non-finite samples (`log(0)`) are kept
//! as NaN/inf in the [`Curve`] and left out of the drawings, which break the
//! line there.

mod cli;
mod figure;
mod stroke;
mod term;

pub use cli::{PlotArgs, run as cli};
pub use figure::{ImageFormat, MAX_SIDE, MIN_SIDE, parse_size, png, save, svg};
pub use term::{TermOptions, render as render_terminal};

use crate::CompiledLoss;
use crate::ir::Dim;
use crate::runtime::{Data, OwnedInputs};
use crate::types::DType;
use ndarray::{ArrayD, IxDyn};

/// Samples per curve unless asked otherwise: 200 intervals, so a symmetric
/// range like `-6..6` has a sample at 0.
pub const DEFAULT_POINTS: usize = 201;

/// The most samples per curve a request may ask for.
pub const MAX_POINTS: usize = 100_000;

/// A closed interval `lo..hi` with `lo < hi`, both finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// Parse `A..B` (e.g. `-6..6`, `0.5..2`, `-1e3..1e3`).
    pub fn parse(text: &str) -> Result<Range, String> {
        let text = text.trim();
        let Some((a, b)) = text.split_once("..") else {
            return Err(format!("bad range `{text}`: write it as A..B, e.g. -6..6"));
        };
        let num = |s: &str| -> Result<f64, String> {
            let s = s.trim().trim_start_matches('=');
            s.parse::<f64>()
                .map_err(|_| format!("bad range `{text}`: `{}` is not a number", s.trim()))
        };
        Range::new(num(a)?, num(b)?).map_err(|e| format!("bad range `{text}`: {e}"))
    }

    /// The range `lo..hi`: both ends finite, `lo < hi`, and a width that is
    /// itself finite (`-1e308..1e308` is not: its samples would overflow).
    pub fn new(lo: f64, hi: f64) -> Result<Range, String> {
        if !lo.is_finite() || !hi.is_finite() {
            return Err("both ends must be finite".into());
        }
        if lo >= hi {
            return Err(format!(
                "the start must be below the end (did you mean {}..{}?)",
                fmt_num(hi),
                fmt_num(lo)
            ));
        }
        if !(hi - lo).is_finite() {
            return Err("the range is too wide: its width overflows float64".into());
        }
        Ok(Range { lo, hi })
    }

    /// `points` evenly spaced samples from `lo` to `hi`, both included.
    pub fn samples(&self, points: usize) -> Vec<f64> {
        let n = points.max(2);
        (0..n)
            .map(|i| {
                if i + 1 == n {
                    self.hi
                } else {
                    self.lo + (self.hi - self.lo) * i as f64 / (n - 1) as f64
                }
            })
            .collect()
    }
}

/// Parse `NAME=VALUE` assignments (`target=1`, `alpha=0.25`, `mask=true`).
pub fn parse_assignment(text: &str) -> Result<(String, f64), String> {
    let text = text.trim();
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("expected NAME=VALUE, got `{text}`"));
    };
    let (name, value) = (name.trim(), value.trim());
    if !is_ident(name) {
        return Err(format!(
            "expected NAME=VALUE, got `{text}`: `{name}` is not a name"
        ));
    }
    let v = match value {
        "true" => 1.0,
        "false" => 0.0,
        _ => value
            .parse::<f64>()
            .map_err(|_| format!("`{name}={value}`: `{value}` is not a number"))?,
    };
    if !v.is_finite() {
        return Err(format!("`{name}={value}`: the value must be finite"));
    }
    Ok((name.to_string(), v))
}

/// One sampled curve: the value and the derivative at every x of the figure.
#[derive(Debug, Clone)]
pub struct Curve {
    pub label: String,
    pub values: Vec<f64>,
    pub derivatives: Vec<f64>,
    /// The derivative comes from central finite differences (the variable is
    /// not differentiated by this objective, e.g. a `target`).
    pub numeric: bool,
}

/// Curves sampled over one variable, ready to draw.
#[derive(Debug, Clone)]
pub struct Figure {
    pub title: String,
    pub var: String,
    pub range: Range,
    /// The values the other inputs were held at.
    pub with: Vec<(String, f64)>,
    pub xs: Vec<f64>,
    pub curves: Vec<Curve>,
}

impl Figure {
    /// `d/d pred`, the derivative panel's name.
    pub fn derivative_label(&self) -> String {
        format!("d/d {}", self.var)
    }

    /// The default title: what is plotted, over what, at which values.
    pub fn default_title(
        labels: &[&str],
        var: &str,
        range: Range,
        with: &[(String, f64)],
    ) -> String {
        let mut t = format!(
            "{} over {var} in [{}, {}]",
            labels.join(", "),
            fmt_num(range.lo),
            fmt_num(range.hi)
        );
        if !with.is_empty() {
            let w: Vec<String> = with
                .iter()
                .map(|(n, v)| format!("{n} = {}", fmt_num(*v)))
                .collect();
            t.push_str(&format!(" at {}", w.join(", ")));
        }
        t
    }
}

/// Sample each compiled objective over `var` in `range`, holding the inputs
/// named in `with` at their values. Checks the request as a whole first: `var`
/// must be a float input of at least one objective, every `with` name must be
/// read by at least one, and every input an objective reads must be `var` or
/// have a value. An objective that does not read `var` is a flat line.
pub fn sample(
    series: &[(String, CompiledLoss)],
    var: &str,
    range: Range,
    with: &[(String, f64)],
    points: usize,
) -> Result<Figure, String> {
    if series.is_empty() {
        return Err("nothing to plot".into());
    }
    // `Range` has public fields: a range built by hand is checked here too.
    let range = Range::new(range.lo, range.hi).map_err(|e| format!("bad range: {e}"))?;
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(format!(
            "the number of points must be between 2 and {MAX_POINTS}, got {points}"
        ));
    }
    let mut read: Vec<&str> = Vec::new();
    for (_, loss) in series {
        for info in loss.inputs() {
            if !read.contains(&info.name.as_str()) {
                read.push(&info.name);
            }
        }
    }
    let listed = |names: &[&str]| {
        if names.is_empty() {
            "no inputs".to_string()
        } else {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if !read.contains(&var) {
        let what = if series.len() == 1 {
            "the expression reads"
        } else {
            "the expressions read"
        };
        return Err(format!(
            "unknown variable `{var}`: {what} {}",
            listed(&read)
        ));
    }
    for (i, (name, _)) in with.iter().enumerate() {
        if name == var {
            return Err(format!(
                "`{var}` is the variable of the plot; it cannot also be given a value with `with`"
            ));
        }
        if with[..i].iter().any(|(n, _)| n == name) {
            return Err(format!("`{name}` is given twice in `with`"));
        }
        if !read.contains(&name.as_str()) {
            return Err(format!(
                "`with {name}=...`: no plotted expression reads `{name}` (they read {})",
                listed(&read)
            ));
        }
    }
    let xs = range.samples(points);
    let mut curves = Vec::with_capacity(series.len());
    for (label, loss) in series {
        curves.push(sample_one(label, loss, var, with, &xs)?);
    }
    let labels: Vec<&str> = series.iter().map(|(l, _)| l.as_str()).collect();
    Ok(Figure {
        title: Figure::default_title(&labels, var, range, with),
        var: var.to_string(),
        range,
        with: with.to_vec(),
        xs,
        curves,
    })
}

fn sample_one(
    label: &str,
    loss: &CompiledLoss,
    var: &str,
    with: &[(String, f64)],
    xs: &[f64],
) -> Result<Curve, String> {
    let graph = loss.graph();
    let mut inputs = OwnedInputs::new();
    let mut var_shape: Option<Vec<usize>> = None;
    for info in loss.inputs() {
        let shape: Vec<usize> = graph
            .shape(info.shape)
            .iter()
            .map(|&d| match graph.dim(d) {
                Dim::Fixed(n) => usize::try_from(*n).unwrap_or(usize::MAX),
                Dim::Named(_) => 1,
            })
            .collect();
        let len = shape
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n))
            .filter(|&n| n <= 1 << 16);
        let Some(len) = len else {
            return Err(format!(
                "`{label}`: input `{}` has shape {} — too large to plot",
                info.name,
                graph.shape_text(info.shape)
            ));
        };
        if info.name == var {
            if !info.dtype.is_float() {
                return Err(format!(
                    "cannot plot `{label}` over `{var}`: it is a {} input; the variable must be floating-point",
                    info.dtype.as_str()
                ));
            }
            var_shape = Some(shape);
            continue;
        }
        let Some((_, value)) = with.iter().find(|(n, _)| n == &info.name) else {
            return Err(format!(
                "`{label}` reads `{}`: give it a value with `with {}=VALUE`",
                info.name, info.name
            ));
        };
        inputs.insert(
            info.name.clone(),
            filled(info.dtype, &shape, len, *value, &info.name)?,
        );
    }
    let values_at = |inputs: &mut OwnedInputs, x: f64| -> Result<(f64, Option<f64>), String> {
        if let Some(shape) = &var_shape {
            let len = shape.iter().product();
            inputs.insert(
                var.to_string(),
                Data::F64(
                    ArrayD::from_shape_vec(IxDyn(shape), vec![x; len])
                        .map_err(|e| e.to_string())?,
                ),
            );
        }
        let r = loss
            .evaluate(inputs)
            .map_err(|e| format!("`{label}` at {var} = {}: {e}", fmt_num(x)))?;
        Ok((r.value, r.gradient(var).map(|g| g.sum())))
    };
    let differentiated = var_shape.is_none() || loss.gradients.iter().any(|g| g.input == var);
    let mut values = Vec::with_capacity(xs.len());
    let mut derivatives = Vec::with_capacity(xs.len());
    for &x in xs {
        let (v, g) = values_at(&mut inputs, x)?;
        values.push(v);
        let d = match (var_shape.is_some(), g) {
            (false, _) => 0.0,
            (true, Some(g)) => g,
            (true, None) => {
                let h = 1e-5 * x.abs().max(1.0);
                let (up, _) = values_at(&mut inputs, x + h)?;
                let (down, _) = values_at(&mut inputs, x - h)?;
                (up - down) / (2.0 * h)
            }
        };
        derivatives.push(d);
    }
    Ok(Curve {
        label: label.to_string(),
        values,
        derivatives,
        numeric: !differentiated,
    })
}

/// An array of `shape` holding `value` in every element, in the element type of the input.
fn filled(
    dtype: DType,
    shape: &[usize],
    len: usize,
    value: f64,
    name: &str,
) -> Result<Data, String> {
    let shape = IxDyn(shape);
    let bad = |e: ndarray::ShapeError| e.to_string();
    Ok(match dtype {
        DType::F32 | DType::F64 => {
            Data::F64(ArrayD::from_shape_vec(shape, vec![value; len]).map_err(bad)?)
        }
        DType::I32 | DType::I64 => {
            if value.fract() != 0.0 || value.abs() > 9.0e15 {
                return Err(format!(
                    "`{name}` is an integer input ({}); give it an integer value, not {}",
                    dtype.as_str(),
                    fmt_num(value)
                ));
            }
            Data::I64(ArrayD::from_shape_vec(shape, vec![value as i64; len]).map_err(bad)?)
        }
        DType::Bool => {
            if value != 0.0 && value != 1.0 {
                return Err(format!(
                    "`{name}` is a boolean input; give it true, false, 1 or 0, not {}",
                    fmt_num(value)
                ));
            }
            Data::Bool(ArrayD::from_shape_vec(shape, vec![value == 1.0; len]).map_err(bad)?)
        }
    })
}

/// A number as a person writes it: `6`, `-0.5`, `1e-7`.
pub fn fmt_num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Tick label for `x` on an axis spanning `span`: enough digits to tell ticks apart.
pub(crate) fn fmt_tick(x: f64, span: f64) -> String {
    if x == 0.0 || x.abs() < span * 1e-9 {
        return "0".into();
    }
    let mag = x.abs().max(span.abs());
    if !(1e-3..1e5).contains(&mag) {
        return format!("{x:.2e}");
    }
    let decimals = (1.0 - span.abs().log10().floor()).clamp(0.0, 6.0) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The largest magnitude an axis shows: values beyond are drawn clipped, so
/// that the axis, its padding and its tick steps stay finite.
const AXIS_LIMIT: f64 = f64::MAX / 16.0;

/// Finite `(min, max)` of the values, widened when flat; `None` if nothing is
/// finite. Non-finite values are gaps, not part of the range; the result
/// lies within `±AXIS_LIMIT`, so `max - min` and padding by a fraction of it
/// are finite.
pub(crate) fn finite_bounds<'a>(series: impl IntoIterator<Item = &'a [f64]>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series {
        for &v in s.iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if lo > hi {
        return None;
    }
    let (lo, hi) = (
        lo.clamp(-AXIS_LIMIT, AXIS_LIMIT),
        hi.clamp(-AXIS_LIMIT, AXIS_LIMIT),
    );
    // Differences below a ten-millionth are rounding noise (finite differences of a line).
    if hi - lo <= 1e-7 * hi.abs().max(lo.abs()).max(1e-300) {
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        return Some((lo - pad, hi + pad));
    }
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_reject_empty_ones() {
        assert_eq!(Range::parse("-6..6").unwrap(), Range { lo: -6.0, hi: 6.0 });
        assert_eq!(
            Range::parse(" 0.5 .. 2 ").unwrap(),
            Range { lo: 0.5, hi: 2.0 }
        );
        assert!(
            Range::parse("6..-6")
                .unwrap_err()
                .contains("the start must be below the end")
        );
        assert!(Range::parse("1..1").is_err());
        assert!(
            Range::parse("a..2")
                .unwrap_err()
                .contains("`a` is not a number")
        );
        assert!(Range::parse("-6").is_err());
        assert!(Range::parse("-inf..0").is_err());
        let xs = Range { lo: -6.0, hi: 6.0 }.samples(DEFAULT_POINTS);
        assert_eq!(xs.len(), 201);
        assert_eq!(xs[100], 0.0);
        assert_eq!(xs[200], 6.0);
    }

    #[test]
    fn assignments() {
        assert_eq!(
            parse_assignment("target=1").unwrap(),
            ("target".to_string(), 1.0)
        );
        assert_eq!(
            parse_assignment(" mask = true ").unwrap(),
            ("mask".to_string(), 1.0)
        );
        assert!(parse_assignment("target").is_err());
        assert!(parse_assignment("1x=2").is_err());
        assert!(parse_assignment("t=abc").is_err());
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(fmt_tick(-6.0, 12.0), "-6");
        assert_eq!(fmt_tick(4.0234, 4.0), "4");
        assert_eq!(fmt_tick(4.0234, 0.5), "4.02");
        assert_eq!(fmt_tick(-0.998, 0.996), "-1");
        assert_eq!(fmt_tick(-0.0001, 1.0), "0");
        assert_eq!(fmt_tick(0.0, 1.0), "0");
        assert_eq!(fmt_tick(123456.0, 1000.0), "1.23e5");
        assert_eq!(fmt_num(6.0), "6");
        assert_eq!(fmt_num(-0.5), "-0.5");
    }
}
