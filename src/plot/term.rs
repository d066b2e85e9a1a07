//! Drawing a [`Figure`] as text: a value panel and a derivative panel, each
//! with numbered y and x axes, then a legend.
//!
//! With colour, curves are drawn in Unicode braille (2×4 dots per cell) with
//! one ANSI colour per curve. Without colour (`NO_COLOR`, a pipe, golden
//! tests) one curve is still drawn in braille, and several curves use one
//! marker character each (`*`, `+`, `o`, …) so they stay distinguishable.
//!
//! A cell shows one curve's marker or colour, so where curves share cells
//! one rule decides, and it keeps every curve visible: a cell only one curve
//! passes through shows that curve; the cells several pass through take
//! turns: in a scan of the columns from left to right (top to bottom within
//! a column), such a cell shows the curve among them that has been shown in
//! the fewest shared cells so far (the first in the legend on a tie). Curves
//! that run together therefore alternate their markers (`*+o*+o…` along a
//! shared stretch), and a curve drawn under others still shows there. In braille every curve's dots are drawn; the rule
//! picks the cell's colour. The output is a pure function of the figure and
//! the options.

use super::{Figure, finite_bounds, fmt_num, fmt_tick};
use std::fmt::Write;

/// Size and colour of a terminal plot.
#[derive(Debug, Clone, Copy)]
pub struct TermOptions {
    /// Width of the plotting area in character cells.
    pub width: usize,
    /// Height of each panel's plotting area in rows.
    pub height: usize,
    /// Use ANSI colours (and braille for every curve).
    pub color: bool,
}

impl Default for TermOptions {
    fn default() -> TermOptions {
        TermOptions {
            width: 64,
            height: 12,
            color: false,
        }
    }
}

/// ANSI foreground colours, one per curve (cycled).
const COLORS: &[u8] = &[34, 31, 32, 35, 36, 33, 94, 91, 92, 95];
/// Markers for several curves without colour (cycled).
const MARKERS: &[char] = &['*', '+', 'o', 'x', '#', '@', '%', '&', '=', '~'];

/// The figure as text (lines ending in `\n`).
pub fn render(fig: &Figure, opts: &TermOptions) -> String {
    let width = opts.width.clamp(16, 400);
    let height = opts.height.clamp(4, 200);
    let markers = !opts.color && fig.curves.len() > 1;
    let mut panels = Vec::new();
    for (name, pick) in [("value".to_string(), 0), (fig.derivative_label(), 1)] {
        let series: Vec<&[f64]> = fig
            .curves
            .iter()
            .map(|c| {
                if pick == 0 {
                    c.values.as_slice()
                } else {
                    c.derivatives.as_slice()
                }
            })
            .collect();
        let mut title = name;
        if pick == 1 && fig.curves.iter().any(|c| c.numeric) {
            title.push_str(" (finite differences where the variable is not differentiated)");
        }
        panels.push((title, series));
    }
    // One gutter width for both panels, so their axes line up.
    let grids: Vec<Option<Panel>> = panels
        .iter()
        .map(|(_, s)| Panel::new(fig, s, width, height, markers))
        .collect();
    let gutter = grids
        .iter()
        .flatten()
        .flat_map(|p| p.labels.iter().map(|(_, l)| l.chars().count()))
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    let _ = writeln!(out, "{}", fig.title);
    for ((title, _), grid) in panels.iter().zip(&grids) {
        let _ = writeln!(out, "{title}");
        match grid {
            None => {
                let _ = writeln!(out, "{:gutter$}   (no finite values in this range)", "");
            }
            Some(p) => p.write(&mut out, gutter, opts.color),
        }
        write_x_axis(&mut out, fig, gutter, width);
    }
    let _ = writeln!(out, "{:gutter$}  {}", "", center(&fig.var, width));
    write_legend(&mut out, fig, width + gutter + 2, opts.color, markers);
    out
}

/// One panel's cells: braille dot bits, the curves passing through each,
/// and the one it shows.
struct Panel {
    width: usize,
    height: usize,
    markers: bool,
    bits: Vec<u8>,
    /// The curves through each cell, in drawing (legend) order, each once.
    through: Vec<Vec<usize>>,
    /// The curve a cell shows (its marker or colour): see [`Panel::choose_owners`].
    owner: Vec<Option<usize>>,
    /// `(row, text)` of the y labels.
    labels: Vec<(usize, String)>,
}

impl Panel {
    fn new(
        fig: &Figure,
        series: &[&[f64]],
        width: usize,
        height: usize,
        markers: bool,
    ) -> Option<Panel> {
        let (ymin, ymax) = finite_bounds(series.iter().copied())?;
        let n = width * height;
        let mut p = Panel {
            width,
            height,
            markers,
            bits: vec![0; n],
            through: vec![Vec::new(); n],
            owner: vec![None; n],
            labels: Vec::new(),
        };
        // Resolution: braille has 2×4 dots per cell, markers one per cell.
        let (sx, sy) = if markers { (1, 1) } else { (2, 4) };
        let (pw, ph) = ((width * sx) as f64, (height * sy) as f64);
        let (lo, hi) = (fig.range.lo, fig.range.hi);
        let to_px = |x: f64, y: f64| -> (i64, i64) {
            // Quantised before rounding, so rounding noise (a flat line from
            // finite differences) cannot straddle two pixel rows.
            let snap = |v: f64| ((v * 1e6).round() / 1e6).round();
            let px = snap((x - lo) / (hi - lo) * (pw - 1.0));
            let py = snap((ymax - y) / (ymax - ymin) * (ph - 1.0));
            (
                px.clamp(0.0, pw - 1.0) as i64,
                py.clamp(0.0, ph - 1.0) as i64,
            )
        };
        for (k, s) in series.iter().enumerate() {
            let mut prev: Option<(i64, i64)> = None;
            for (&x, &y) in fig.xs.iter().zip(s.iter()) {
                if !y.is_finite() {
                    prev = None;
                    continue;
                }
                let cur = to_px(x, y);
                match prev {
                    Some(a) => line(a, cur, |px, py| p.set(px as usize, py as usize, sx, sy, k)),
                    None => p.set(cur.0 as usize, cur.1 as usize, sx, sy, k),
                }
                prev = Some(cur);
            }
        }
        p.choose_owners(series.len());
        // Labels: top and bottom, and the row of zero when it is inside (else
        // the middle), which shows the roundest number among the values it covers.
        let span = ymax - ymin;
        let px_value = |py: f64| ymax - py / (ph - 1.0) * span;
        let row_label = |row: usize| -> String {
            let top = px_value(row as f64 * sy as f64 - 0.5).min(ymax);
            let bottom = px_value(row as f64 * sy as f64 + sy as f64 - 0.5).max(ymin);
            fmt_tick(roundest(bottom, top), span)
        };
        let zero_row = (ymin < 0.0 && ymax > 0.0)
            .then(|| ((ymax / span * (ph - 1.0)).round() as usize / sy).min(height - 1));
        let mid_row = zero_row.unwrap_or(height / 2);
        p.labels.push((0, fmt_tick(ymax, span)));
        p.labels.push((height - 1, fmt_tick(ymin, span)));
        if mid_row > 0 && mid_row < height - 1 {
            p.labels.push((mid_row, row_label(mid_row)));
        }
        Some(p)
    }

    fn set(&mut self, px: usize, py: usize, sx: usize, sy: usize, curve: usize) {
        let (cx, cy) = (px / sx, py / sy);
        if cx >= self.width || cy >= self.height {
            return;
        }
        let i = cy * self.width + cx;
        if !self.markers {
            // Braille dot numbering: columns of 1-2-3-7 and 4-5-6-8.
            const DOTS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
            self.bits[i] |= DOTS[px % 2][py % 4];
        }
        // Curves are drawn one after another, so a repeat is always the last entry.
        if self.through[i].last() != Some(&curve) {
            self.through[i].push(curve);
        }
    }

    /// Give every cell the curve it shows (the module's rule): its only
    /// curve, or, where several pass, the one among them shown in the fewest
    /// shared cells so far, scanning columns left to right, so that curves
    /// running together take turns and none hides another.
    fn choose_owners(&mut self, curves: usize) {
        let mut shared_wins = vec![0usize; curves];
        for col in 0..self.width {
            for row in 0..self.height {
                let i = row * self.width + col;
                self.owner[i] = match self.through[i][..] {
                    [] => None,
                    [only] => Some(only),
                    // `min_by_key` keeps the first of equals: the earliest curve wins a tie.
                    ref several => several.iter().copied().min_by_key(|&k| shared_wins[k]),
                };
                if self.through[i].len() > 1
                    && let Some(k) = self.owner[i]
                {
                    shared_wins[k] += 1;
                }
            }
        }
    }

    fn write(&self, out: &mut String, gutter: usize, color: bool) {
        for row in 0..self.height {
            let label = self
                .labels
                .iter()
                .find(|(r, _)| *r == row)
                .map(|(_, l)| l.as_str());
            let _ = write!(
                out,
                "{:>gutter$} {}",
                label.unwrap_or(""),
                if label.is_some() { '┤' } else { '│' }
            );
            let mut open: Option<usize> = None;
            for col in 0..self.width {
                let i = row * self.width + col;
                let ch = if self.markers {
                    self.owner[i]
                        .map(|k| MARKERS[k % MARKERS.len()])
                        .unwrap_or(' ')
                } else if self.bits[i] == 0 {
                    ' '
                } else {
                    char::from_u32(0x2800 + u32::from(self.bits[i])).unwrap_or('?')
                };
                if color {
                    let want = self.owner[i].filter(|_| ch != ' ');
                    if want != open && want.is_some() {
                        let _ = write!(out, "\x1b[{}m", COLORS[want.unwrap_or(0) % COLORS.len()]);
                        open = want;
                    } else if want.is_none() && open.is_some() && ch != ' ' {
                        out.push_str("\x1b[0m");
                        open = None;
                    }
                }
                out.push(ch);
            }
            if open.is_some() {
                out.push_str("\x1b[0m");
            }
            // No trailing spaces: golden files and terminals both prefer it.
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
            out.push('\n');
        }
    }
}

fn write_x_axis(out: &mut String, fig: &Figure, gutter: usize, width: usize) {
    let _ = writeln!(out, "{:gutter$} └{}", "", "─".repeat(width));
    let span = fig.range.hi - fig.range.lo;
    let lo = fmt_tick(fig.range.lo, span);
    let mid = fmt_tick(0.5 * (fig.range.lo + fig.range.hi), span);
    let hi = fmt_tick(fig.range.hi, span);
    let mut line: Vec<char> = vec![' '; width + 2];
    let mut put = |start: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(slot) = line.get_mut(start + i) {
                *slot = c;
            }
        }
    };
    put(0, &lo);
    let mid_start = (width / 2).saturating_sub(mid.chars().count() / 2);
    if mid_start > lo.chars().count() + 1 {
        put(mid_start + 1, &mid);
    }
    put((width + 1).saturating_sub(hi.chars().count()), &hi);
    let text: String = line.into_iter().collect();
    let _ = writeln!(out, "{:gutter$} {}", "", text.trim_end());
}

fn center(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{:pad$}{text}", "", pad = width.saturating_sub(n) / 2)
}

fn write_legend(out: &mut String, fig: &Figure, width: usize, color: bool, markers: bool) {
    let mut line = String::new();
    let mut visible = 0;
    for (k, c) in fig.curves.iter().enumerate() {
        let (sample, sample_len) = if markers {
            (MARKERS[k % MARKERS.len()].to_string(), 1)
        } else if color {
            (format!("\x1b[{}m━━\x1b[0m", COLORS[k % COLORS.len()]), 2)
        } else {
            ("━━".to_string(), 2)
        };
        let note = if c.numeric {
            " (d/d by finite differences)"
        } else {
            ""
        };
        let entry_len = sample_len + 1 + c.label.chars().count() + note.len();
        if visible > 0 && visible + 3 + entry_len > width {
            let _ = writeln!(out, "{line}");
            line.clear();
            visible = 0;
        }
        if visible > 0 {
            line.push_str("   ");
            visible += 3;
        }
        let _ = write!(line, "{sample} {}{note}", c.label);
        visible += entry_len;
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{line}");
    }
    if !fig.with.is_empty() {
        let w: Vec<String> = fig
            .with
            .iter()
            .map(|(n, v)| format!("{n} = {}", fmt_num(*v)))
            .collect();
        let _ = writeln!(out, "({})", w.join(", "));
    }
}

/// The number in `[lo, hi]` with the fewest significant digits (0 if inside).
fn roundest(lo: f64, hi: f64) -> f64 {
    if lo <= 0.0 && hi >= 0.0 {
        return 0.0;
    }
    let width = hi - lo;
    if width.is_nan() || width <= 0.0 || !width.is_finite() {
        return 0.5 * (lo + hi);
    }
    let mut exp = hi.abs().max(lo.abs()).log10().floor() as i32;
    let floor_exp = width.log10().floor() as i32 - 1;
    while exp >= floor_exp {
        for m in [5.0, 2.0, 1.0] {
            let step = m * 10f64.powi(exp);
            let candidate = (lo / step).ceil() * step;
            if candidate <= hi {
                return candidate;
            }
        }
        exp -= 1;
    }
    0.5 * (lo + hi)
}

/// Bresenham's line from `a` to `b`, calling `plot` for every pixel.
fn line(a: (i64, i64), b: (i64, i64), mut plot: impl FnMut(i64, i64)) {
    let (mut x, mut y) = a;
    let dx = (b.0 - a.0).abs();
    let dy = -(b.1 - a.1).abs();
    let sx = if a.0 < b.0 { 1 } else { -1 };
    let sy = if a.1 < b.1 { 1 } else { -1 };
    let mut err = dx + dy;
    loop {
        plot(x, y);
        if (x, y) == b {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Curve, Range};
    use super::*;

    type Formula = fn(f64) -> f64;

    fn figure(curves: Vec<(&str, Formula)>) -> Figure {
        let range = Range { lo: -1.0, hi: 1.0 };
        let xs = range.samples(41);
        let curves = curves
            .into_iter()
            .map(|(l, f)| Curve {
                label: l.into(),
                values: xs.iter().map(|&x| f(x)).collect(),
                derivatives: xs.iter().map(|&x| 2.0 * x).collect(),
                numeric: false,
            })
            .collect();
        Figure {
            title: "t".into(),
            var: "x".into(),
            range,
            with: vec![("target".into(), 1.0)],
            xs,
            curves,
        }
    }

    #[test]
    fn braille_panels_with_axes_and_legend() {
        let fig = figure(vec![("square", |x| x * x)]);
        let text = render(
            &fig,
            &TermOptions {
                width: 20,
                height: 5,
                color: false,
            },
        );
        assert!(text.starts_with("t\nvalue\n"), "{text}");
        assert!(text.contains("d/d x\n"), "{text}");
        assert!(
            text.lines().any(|l| l.trim_start().starts_with("1 ┤")),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l.trim_start().starts_with("0 ┤")),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l.trim_start().starts_with("-2 ┤")),
            "{text}"
        );
        assert!(text.contains("└────"), "{text}");
        assert!(text.contains("-1         0        1\n"), "{text}");
        assert!(
            text.lines().any(|l| l.trim_start().starts_with("0.5 ┤")),
            "{text}"
        );
        assert!(text.contains("━━ square"), "{text}");
        assert!(text.contains("(target = 1)"), "{text}");
        assert!(
            text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn several_curves_without_colour_use_markers_and_with_colour_ansi() {
        let fig = figure(vec![("a", |x| x), ("b", |x| -x)]);
        let plain = render(
            &fig,
            &TermOptions {
                width: 20,
                height: 5,
                color: false,
            },
        );
        assert!(plain.contains("* a   + b"), "{plain}");
        assert!(plain.contains('*') && plain.contains('+'));
        let colored = render(
            &fig,
            &TermOptions {
                width: 20,
                height: 5,
                color: true,
            },
        );
        assert!(
            colored.contains("\x1b[34m") && colored.contains("\x1b[31m"),
            "{colored}"
        );
        assert!(colored.contains("\x1b[0m"));
    }

    /// The cells of the value panel of a marker plot (its rows up to the x axis).
    fn value_rows(text: &str) -> String {
        text.lines()
            .skip(2)
            .take_while(|l| !l.contains('└'))
            .map(|l| l.split_once(['┤', '│']).map_or("", |(_, r)| r))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn curves_under_others_stay_visible() {
        let opts = TermOptions {
            width: 30,
            height: 6,
            color: false,
        };
        // Two identical curves: the first was once hidden under the second.
        let fig = figure(vec![("a", |x| x), ("b", |x| x)]);
        let cells = value_rows(&render(&fig, &opts));
        let (a, b) = (cells.matches('*').count(), cells.matches('+').count());
        assert!(a > 5 && b > 5 && a.abs_diff(b) <= 1, "{cells}");
        // Four curves meeting on a flat stretch (0 on the right half): each
        // shows there, and every curve shows somewhere.
        let fig = figure(vec![
            ("a", |x: f64| x.min(0.0).abs()),
            ("b", |x: f64| 2.0 * x.min(0.0).abs()),
            ("c", |x: f64| 3.0 * x.min(0.0).abs()),
            ("d", |x: f64| 4.0 * x.min(0.0).abs()),
        ]);
        let cells = value_rows(&render(&fig, &opts));
        let bottom = cells.lines().last().unwrap_or("");
        let flat: String = bottom.chars().skip(16).collect();
        for m in ['*', '+', 'o', 'x'] {
            assert!(
                flat.contains(m),
                "`{m}` missing on the shared stretch:\n{cells}"
            );
        }
        // Colour follows the same rule: both identical curves' colours show.
        let fig = figure(vec![("a", |x| x), ("b", |x| x)]);
        let colored = render(
            &fig,
            &TermOptions {
                color: true,
                ..opts
            },
        );
        let value_panel = colored.split("d/d x").next().unwrap_or("");
        assert!(
            value_panel.contains("\x1b[34m") && value_panel.contains("\x1b[31m"),
            "{colored}"
        );
    }

    #[test]
    fn non_finite_values_break_the_line() {
        let fig = figure(vec![("log", |x: f64| x.ln())]);
        let text = render(
            &fig,
            &TermOptions {
                width: 20,
                height: 5,
                color: false,
            },
        );
        assert!(text.contains("value\n"), "{text}");
        let all_nan = figure(vec![("nan", |_| f64::NAN)]);
        let text = render(&all_nan, &TermOptions::default());
        assert!(text.contains("(no finite values in this range)"), "{text}");
    }
}
