//! Figures as files: SVG and PNG, drawn with plotters.
//!
//! A figure has a title, then a value panel and a derivative panel side by
//! side, each with labelled axes (the variable on x, the loss or its
//! derivative on y), light grid lines, a zero line where 0 is in range, and
//! the curves in a fixed palette. Each panel carries its legend, placed in
//! whichever corner its curves leave emptiest (a single curve is named in
//! the value panel only).
//!
//! Text sizes, margins and line widths are proportional to the figure
//! ([`Layout`]); the title shrinks a little and then wraps to fit the width,
//! and text is placed from the font's measured extent in each backend, so
//! nothing is cut off at any size from `MIN_SIDE` to `MAX_SIDE`. PNG curves
//! are anti-aliased by this module ([`stroke`]): plotters' bitmap backend
//! does not anti-alias lines wider than one pixel.
//!
//! Text is rendered with DejaVu Sans, embedded in the binary (the `dejavu`
//! crate) and registered with plotters' `ab_glyph` text backend, so PNG output
//! works on a machine with no fonts installed; SVG output names the
//! `sans-serif` family and leaves glyphs to the viewer.

use super::stroke::{self, Clip};
use super::{Figure, finite_bounds, fmt_tick};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
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
        draw(&root, fig, ImageFormat::Svg)?;
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
        draw(&root, fig, ImageFormat::Png)?;
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

/// Sizes in pixels of a figure's text, margins and strokes, all in
/// proportion to the figure: scale 1 is the default 960x420, and a figure
/// scales by the smaller of its width and height ratios, so text fits both
/// ways. Floors keep the smallest figures (200x200) legible.
#[derive(Debug, Clone, Copy)]
struct Layout {
    format: ImageFormat,
    /// The title's font size.
    title: f64,
    /// Panel captions, axis descriptions and tick labels derive from this.
    text: f64,
    /// Around each panel, and the title's top padding.
    margin: f64,
    /// Curve line width.
    stroke: f64,
}

/// How the two backends place text, as fractions of the font size (plotters
/// 0.3.7 with `ab_glyph`). PNG text is drawn by ab_glyph, which scales the
/// font's ascender-to-descender height (not its em) to the size: DejaVu's
/// ascender is 1901/2384 of it, its descender 483/2384, and a top-anchored
/// line's baseline lands half a size below the anchor. SVG text is drawn by
/// the viewer with `font-size` as the em: common sans fonts reach at most
/// 0.95 em up and 0.25 down, the baseline sits 0.76 em below a top anchor,
/// and text is up to 2384/2048 as wide as plotters estimates (DejaVu; most
/// fonts are narrower).
struct TextMetrics {
    ascent: f64,
    descent: f64,
    top_to_baseline: f64,
    width_factor: f64,
}

impl Layout {
    fn new((w, h): (u32, u32), format: ImageFormat) -> Layout {
        let scale = (f64::from(w) / 960.0).min(f64::from(h) / 420.0);
        let title = (22.0 * scale).max(11.0);
        Layout {
            format,
            title,
            text: title * 0.75,
            margin: (12.0 * scale).max(4.0),
            stroke: (title / 8.0).max(1.5),
        }
    }

    fn metrics(&self) -> TextMetrics {
        match self.format {
            ImageFormat::Png => TextMetrics {
                ascent: 1901.0 / 2384.0,
                descent: 483.0 / 2384.0,
                top_to_baseline: 0.5,
                width_factor: 1.0,
            },
            ImageFormat::Svg => TextMetrics {
                ascent: 0.95,
                descent: 0.25,
                top_to_baseline: 0.76,
                width_factor: 2384.0 / 2048.0,
            },
        }
    }

    /// The width `text` takes at font size `size`, at most (see [`TextMetrics`]).
    fn text_width<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
        size: f64,
    ) -> f64 {
        let font = TextStyle::from(("sans-serif", size).into_font());
        let estimated = area.estimate_text_size(text, &font).map_or(
            // No estimate: assume the widest glyphs, about one size each.
            text.chars().count() as f64 * size,
            |(w, _)| f64::from(w),
        );
        estimated * self.metrics().width_factor
    }

    /// Integer line width for strokes plotters draws itself.
    fn pixel_stroke(&self) -> u32 {
        self.stroke.round().max(1.0) as u32
    }
}

/// The most lines a title wraps to; the last is cut short with `…` beyond that.
const MAX_TITLE_LINES: usize = 3;

/// Draw `text` centred at the top of `area`, shrunk (to 3/4 of `size` at
/// most) and then wrapped at spaces to fit its width; returns the rest of
/// the area, below the text and a gap.
fn heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    layout: &Layout,
) -> Result<DrawingArea<DB, Shift>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (width, _) = area.dim_in_pixel();
    let room = (f64::from(width) - 2.0 * layout.margin).max(1.0);
    let natural = layout.text_width(area, text, size);
    let size = if natural > room {
        (size * room / natural).max(size * 0.75)
    } else {
        size
    };
    let lines = wrap(text, room, |t| layout.text_width(area, t, size));
    let m = layout.metrics();
    let line_height = (m.ascent + m.descent) * size;
    let pad = (0.25 * size).round();
    let style = ("sans-serif", size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        let top = pad + i as f64 * line_height;
        let anchor = top + (m.ascent - m.top_to_baseline) * size;
        area.draw_text(line, &style, ((width / 2) as i32, anchor.round() as i32))
            .map_err(err)?;
    }
    let used = if lines.is_empty() {
        pad
    } else {
        2.0 * pad + lines.len() as f64 * line_height
    };
    Ok(area.split_vertically(used.ceil() as i32).1)
}

/// `text` broken at spaces into lines no wider than `room` (a word wider
/// than a line is broken between characters), at most [`MAX_TITLE_LINES`].
fn wrap(text: &str, room: f64, width: impl Fn(&str) -> f64) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&joined) <= room || line.is_empty() && width(word) <= room {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a whole line is cut into pieces that fit.
        for c in word.chars() {
            line.push(c);
            if width(&line) > room && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
        if lines.len() > MAX_TITLE_LINES {
            break;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > MAX_TITLE_LINES {
        lines.truncate(MAX_TITLE_LINES);
        let last = &mut lines[MAX_TITLE_LINES - 1];
        while !last.is_empty() && width(&format!("{last}…")) > room {
            last.pop();
        }
        last.push('…');
    }
    lines
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    format: ImageFormat,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let layout = Layout::new(root.dim_in_pixel(), format);
    let body = heading(root, &fig.title, layout.title, &layout)?;
    let panels = body.split_evenly((1, 2));
    let dlabel = fig.derivative_label();
    let numeric = fig.curves.iter().any(|c| c.numeric);
    let dcaption = if numeric {
        format!("{dlabel} (finite differences)")
    } else {
        dlabel.clone()
    };
    // With several curves every panel names them; one curve is named once.
    let several = fig.curves.len() > 1;
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
        let legend = i == 0 || several;
        panel(area, fig, &series, &caption, &ydesc, legend, &layout)?;
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
    layout: &Layout,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (lo, hi) = (fig.range.lo, fig.range.hi);
    let (ymin, ymax) = finite_bounds(series.iter().copied()).unwrap_or((-1.0, 1.0));
    let pad = 0.05 * (ymax - ymin);
    let (ymin, ymax) = (ymin - pad, ymax + pad);
    let text = layout.text;
    let tick_size = text * 0.9;
    let (xspan, yspan) = (hi - lo, ymax - ymin);
    // Room left of the axis for the widest tick label, the tick marks and
    // the rotated description.
    let widest_tick = (0..=8)
        .map(|k| fmt_tick(ymin + yspan * f64::from(k) / 8.0, yspan))
        .map(|t| layout.text_width(area, &t, tick_size))
        .fold(0.0, f64::max);
    let y_label_area = (widest_tick + 2.6 * tick_size).max(text * 3.4);
    let area = heading(area, caption, text * 1.1, layout)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(layout.margin.round() as u32)
        .x_label_area_size(text * 3.0)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(lo..hi, ymin..ymax)
        .map_err(err)?;
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
        .label_style(("sans-serif", tick_size))
        .axis_desc_style(("sans-serif", tick_size))
        .set_all_tick_mark_size((0.4 * text).round().max(3.0) as u32)
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(BLACK.mix(0.04))
        .draw()
        .map_err(err)?;
    if ymin < 0.0 && ymax > 0.0 {
        chart
            .draw_series(LineSeries::new([(lo, 0.0), (hi, 0.0)], BLACK.mix(0.45)))
            .map_err(err)?;
    }
    let plot_area = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = plot_area.dim_in_pixel();
    // Where plotters puts a value (x: lo..hi onto the first to last pixel
    // column, y: ymax..ymin onto the first to last row), unrounded, at the
    // pixel's centre.
    let to_pixel = |x: f64, y: f64| -> (f64, f64) {
        (
            (x - lo) / xspan * (f64::from(pw) - 1.0) + 0.5,
            (ymax - y) / yspan * (f64::from(ph) - 1.0) + 0.5,
        )
    };
    let clip = Clip {
        x0: 0,
        y0: 0,
        x1: pw as i32,
        y1: ph as i32,
    };
    let line_style = |k: usize| color(k).stroke_width(layout.pixel_stroke());
    for (k, values) in series.iter().enumerate() {
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
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            match layout.format {
                // Vector output: the viewer anti-aliases.
                ImageFormat::Svg => {
                    chart
                        .draw_series(LineSeries::new(run, line_style(k)))
                        .map_err(err)?;
                }
                // Bitmap output: blend each pixel by the stroke's coverage.
                ImageFormat::Png => {
                    let points: Vec<_> = run.iter().map(|&(x, y)| to_pixel(x, y)).collect();
                    let mut failed = None;
                    stroke::coverage(&points, layout.stroke, clip, |px, py, c| {
                        if failed.is_none()
                            && let Err(e) = plot_area.draw_pixel((px, py), &color(k).mix(c))
                        {
                            failed = Some(e.to_string());
                        }
                    });
                    if let Some(e) = failed {
                        return Err(e);
                    }
                }
            }
        }
    }
    if legend {
        // Legend entries only: the curves are drawn above.
        let sample = (24.0 * layout.text / 16.5).round() as i32;
        for (k, curve) in fig.curves.iter().enumerate() {
            let style = line_style(k);
            chart
                .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(err)?
                .label(curve.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + sample, y)], style));
        }
        chart
            .configure_series_labels()
            .position(legend_corner(fig, series, ymin, ymax))
            .label_font(("sans-serif", text * 0.85))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .margin(layout.margin.round() as u32)
            .legend_area_size(sample + (0.4 * text).round() as i32)
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
