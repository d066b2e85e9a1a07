//! Figures as files: SVG and PNG, drawn with plotters.
//!
//! A figure has a title, then a value panel and a derivative panel side by
//! side, each with labelled axes (the variable on x, the loss or its
//! derivative on y), light grid lines, a zero line where 0 is in range, and
//! the curves in a fixed palette; the value panel carries the legend, placed
//! in whichever corner the curves leave emptiest.
//!
//! Text is rendered with DejaVu Sans, embedded in the binary (the `dejavu`
//! crate) and registered with plotters' `ab_glyph` text backend, so PNG output
//! works on a machine with no fonts installed; SVG output names the
//! `sans-serif` family and leaves glyphs to the viewer.

use super::{Figure, finite_bounds, fmt_tick};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Output formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    /// The format for a path's extension (`.svg`, `.png`, any case).
    pub fn for_path(path: &Path) -> Result<ImageFormat, String> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("svg") => Ok(ImageFormat::Svg),
            Some("png") => Ok(ImageFormat::Png),
            Some(other) => Err(format!(
                "cannot write `{}`: unsupported format `.{other}`; use .svg or .png",
                path.display()
            )),
            None => Err(format!(
                "cannot write `{}`: give the file a .svg or .png extension",
                path.display()
            )),
        }
    }
}

/// Smallest and largest accepted figure side, in pixels.
pub const MIN_SIDE: u32 = 200;
pub const MAX_SIDE: u32 = 8000;

/// The curve colours (tab10-like, matching the terminal's blue, red, green, …).
const PALETTE: &[(u8, u8, u8)] = &[
    (31, 119, 180),
    (214, 39, 40),
    (44, 160, 44),
    (148, 103, 189),
    (23, 190, 207),
    (188, 189, 34),
    (255, 127, 14),
    (227, 119, 194),
    (127, 127, 127),
    (140, 86, 75),
];

fn check_size((w, h): (u32, u32)) -> Result<(), String> {
    if !(MIN_SIDE..=MAX_SIDE).contains(&w) || !(MIN_SIDE..=MAX_SIDE).contains(&h) {
        return Err(format!(
            "figure size {w}x{h} is out of range: each side must be between {MIN_SIDE} and {MAX_SIDE} pixels"
        ));
    }
    Ok(())
}

/// Register the embedded font with plotters, once per process.
fn fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
            .map_err(|_| "the embedded font could not be loaded".to_string())
    })
    .clone()
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure, size: (u32, u32)) -> Result<String, String> {
    check_size(size)?;
    fonts()?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&root, fig)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// The figure as a PNG file's bytes (8-bit RGB).
pub fn png(fig: &Figure, size: (u32, u32)) -> Result<Vec<u8>, String> {
    check_size(size)?;
    fonts()?;
    let (w, h) = size;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        draw(&root, fig)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut bytes = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Write the figure to `path` as SVG or PNG (by extension); returns a short
/// description of what was written.
pub fn save(fig: &Figure, path: &Path, size: (u32, u32)) -> Result<String, String> {
    let format = ImageFormat::for_path(path)?;
    let bytes = match format {
        ImageFormat::Svg => svg(fig, size)?.into_bytes(),
        ImageFormat::Png => png(fig, size)?,
    };
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let kind = if format == ImageFormat::Svg {
        "SVG"
    } else {
        "PNG"
    };
    let n = fig.curves.len();
    Ok(format!(
        "wrote {} ({kind}, {}x{}, {n} curve{})",
        path.display(),
        size.0,
        size.1,
        if n == 1 { "" } else { "s" }
    ))
}

/// Parse a figure size `WIDTHxHEIGHT` (e.g. `900x420`).
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("bad size `{text}`: write it as WIDTHxHEIGHT, e.g. 900x420");
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    check_size((w, h))?;
    Ok((w, h))
}

fn color(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, fig: &Figure) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (_, height) = root.dim_in_pixel();
    let title_size = (height as f64 * 0.052).clamp(15.0, 48.0);
    let body = root
        .titled(&fig.title, ("sans-serif", title_size))
        .map_err(err)?;
    let panels = body.split_evenly((1, 2));
    let dlabel = fig.derivative_label();
    let numeric = fig.curves.iter().any(|c| c.numeric);
    let dcaption = if numeric {
        format!("{dlabel} (finite differences)")
    } else {
        dlabel.clone()
    };
    for (i, area) in panels.iter().enumerate() {
        let series: Vec<&[f64]> = fig
            .curves
            .iter()
            .map(|c| {
                if i == 0 {
                    c.values.as_slice()
                } else {
                    c.derivatives.as_slice()
                }
            })
            .collect();
        let (caption, ydesc) = if i == 0 {
            ("value".to_string(), "loss".to_string())
        } else {
            (dcaption.clone(), format!("d loss / d {}", fig.var))
        };
        panel(area, fig, &series, &caption, &ydesc, i == 0, title_size)?;
    }
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    series: &[&[f64]],
    caption: &str,
    ydesc: &str,
    legend: bool,
    title_size: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (lo, hi) = (fig.range.lo, fig.range.hi);
    let (ymin, ymax) = finite_bounds(series.iter().copied()).unwrap_or((-1.0, 1.0));
    let pad = 0.05 * (ymax - ymin);
    let (ymin, ymax) = (ymin - pad, ymax + pad);
    let text = title_size * 0.75;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", text * 1.1))
        .margin(12)
        .x_label_area_size(text * 3.0)
        .y_label_area_size(text * 3.4)
        .build_cartesian_2d(lo..hi, ymin..ymax)
        .map_err(err)?;
    let (xspan, yspan) = (hi - lo, ymax - ymin);
    let xfmt = move |x: &f64| fmt_tick(*x, xspan);
    let yfmt = move |y: &f64| fmt_tick(*y, yspan);
    chart
        .configure_mesh()
        .x_desc(fig.var.as_str())
        .y_desc(ydesc)
        .x_labels(9)
        .y_labels(8)
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .label_style(("sans-serif", text * 0.9))
        .axis_desc_style(("sans-serif", text * 0.9))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(BLACK.mix(0.04))
        .draw()
        .map_err(err)?;
    if ymin < 0.0 && ymax > 0.0 {
        chart
            .draw_series(LineSeries::new([(lo, 0.0), (hi, 0.0)], BLACK.mix(0.45)))
            .map_err(err)?;
    }
    let stroke = (title_size / 8.0).round().max(2.0) as u32;
    for (k, (curve, values)) in fig.curves.iter().zip(series).enumerate() {
        let style = color(k).stroke_width(stroke);
        // One line per run of finite samples: NaN and infinities break the curve.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (&x, &y) in fig.xs.iter().zip(values.iter()) {
            if y.is_finite() {
                if let Some(run) = runs.last_mut() {
                    run.push((x, y));
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
        for (j, run) in runs.into_iter().enumerate() {
            let drawn = chart
                .draw_series(LineSeries::new(run, style))
                .map_err(err)?;
            if j == 0 {
                let legend_style = style;
                drawn.label(curve.label.as_str()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], legend_style)
                });
            }
        }
    }
    if legend {
        chart
            .configure_series_labels()
            .position(legend_corner(fig, series, ymin, ymax))
            .label_font(("sans-serif", text * 0.85))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .margin(10)
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

/// The corner whose quarter-box the curves cross least.
fn legend_corner(fig: &Figure, series: &[&[f64]], ymin: f64, ymax: f64) -> SeriesLabelPosition {
    let (lo, hi) = (fig.range.lo, fig.range.hi);
    let count = |left: bool, top: bool| -> usize {
        let mut n = 0;
        for values in series {
            for (&x, &y) in fig
                .xs
                .iter()
                .zip(values.iter())
                .filter(|(_, y)| y.is_finite())
            {
                let fx = (x - lo) / (hi - lo);
                let fy = (y - ymin) / (ymax - ymin);
                let in_x = if left { fx <= 0.45 } else { fx >= 0.55 };
                let in_y = if top { fy >= 0.6 } else { fy <= 0.4 };
                n += usize::from(in_x && in_y);
            }
        }
        n
    };
    [
        (count(false, true), SeriesLabelPosition::UpperRight),
        (count(true, true), SeriesLabelPosition::UpperLeft),
        (count(false, false), SeriesLabelPosition::LowerRight),
        (count(true, false), SeriesLabelPosition::LowerLeft),
    ]
    .into_iter()
    .min_by_key(|(n, _)| *n)
    .map(|(_, p)| p)
    .unwrap_or(SeriesLabelPosition::UpperRight)
}
