//! Anti-aliased strokes for bitmap figures.
//!
//! plotters' bitmap backend (0.3.7) anti-aliases only one-pixel lines; a
//! wider line becomes a polygon filled without anti-aliasing, which is what
//! made PNG curves jagged. [`coverage`] computes, for a polyline of any
//! width, how much of each pixel the stroke covers, so the caller can blend
//! the curve's colour by that amount.
//!
//! The stroke is the set of points within half the width of the polyline
//! (round joins and caps). A pixel's coverage is approximated from the
//! distance `d` of its centre to the polyline as `clamp(w/2 + 1/2 - d, 0,
//! 1)`: exact for a straight edge crossing the pixel, fully covered deep
//! inside, blended over a one-pixel band at the edge. Coverage is the
//! maximum over the segments, not a sum, so joins are not drawn twice.
//!
//! Cost: the pixels are visited column by column, each against the segments
//! within reach of it, so the work is the stroke's area plus, per column,
//! the span of the few segments near it, and memory is one column.

/// A rectangle of pixels `x0..x1` × `y0..y1` (ends excluded).
#[derive(Debug, Clone, Copy)]
pub(super) struct Clip {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

/// A point in continuous pixel coordinates: pixel `(i, j)` covers
/// `[i, i + 1) × [j, j + 1)`, its centre is `(i + 0.5, j + 0.5)`.
pub(super) type Point = (f64, f64);

/// Call `put(x, y, coverage)` once for every pixel inside `clip` that the
/// stroke of `width` along `points` covers (coverage in `(0, 1]`). Points
/// must be finite; one point draws a dot.
pub(super) fn coverage(
    points: &[Point],
    width: f64,
    clip: Clip,
    mut put: impl FnMut(i32, i32, f64),
) {
    if points.is_empty()
        || clip.x0 >= clip.x1
        || clip.y0 >= clip.y1
        || width.is_nan()
        || width <= 0.0
    {
        return;
    }
    let r = width / 2.0;
    // A pixel centre farther than this from the polyline is not covered.
    let reach = r + 0.5;
    let mut segs: Vec<(Point, Point)> = if points.len() == 1 {
        vec![(points[0], points[0])]
    } else {
        points.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let left = |s: &(Point, Point)| s.0.0.min(s.1.0);
    let right = |s: &(Point, Point)| s.0.0.max(s.1.0);
    segs.sort_by(|a, b| left(a).total_cmp(&left(b)));
    let lo = segs.iter().map(left).fold(f64::INFINITY, f64::min);
    let hi = segs.iter().map(right).fold(f64::NEG_INFINITY, f64::max);
    let first_col = to_pixel(lo - reach).max(clip.x0);
    let end_col = (to_pixel(hi + reach) + 1).min(clip.x1);
    let mut column = vec![0f64; (clip.y1 - clip.y0) as usize];
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    for col in first_col..end_col {
        let cx = f64::from(col) + 0.5;
        while next < segs.len() && left(&segs[next]) - reach <= cx {
            active.push(next);
            next += 1;
        }
        active.retain(|&s| right(&segs[s]) + reach >= cx);
        let (mut top, mut bottom) = (clip.y1, clip.y0 - 1);
        for &s in &active {
            let (a, b) = segs[s];
            let from = to_pixel(a.1.min(b.1) - reach).max(clip.y0);
            let to = to_pixel(a.1.max(b.1) + reach).min(clip.y1 - 1);
            for row in from..=to {
                let d = distance((cx, f64::from(row) + 0.5), a, b);
                let c = (reach - d).clamp(0.0, 1.0);
                let slot = &mut column[(row - clip.y0) as usize];
                *slot = slot.max(c);
            }
            top = top.min(from);
            bottom = bottom.max(to);
        }
        for row in top..=bottom {
            let slot = &mut column[(row - clip.y0) as usize];
            if *slot > 0.0 {
                put(col, row, *slot);
            }
            *slot = 0.0;
        }
    }
}

/// The pixel index containing coordinate `v` (saturating far outside).
fn to_pixel(v: f64) -> i32 {
    v.floor()
        .clamp(f64::from(i32::MIN / 2), f64::from(i32::MAX / 2)) as i32
}

/// Distance from `p` to the segment `a`–`b`.
fn distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn draw(points: &[Point], width: f64, clip: Clip) -> HashMap<(i32, i32), f64> {
        let mut out = HashMap::new();
        coverage(points, width, clip, |x, y, c| {
            assert!(
                out.insert((x, y), c).is_none(),
                "pixel ({x}, {y}) put twice"
            );
        });
        out
    }

    const CLIP: Clip = Clip {
        x0: 0,
        y0: 0,
        x1: 100,
        y1: 100,
    };

    #[test]
    fn a_horizontal_stroke_is_solid_inside_and_blended_at_its_edges() {
        // Width 3 centred on y = 10.25: covers y in [8.75, 11.75].
        let px = draw(&[(10.0, 10.25), (60.0, 10.25)], 3.0, CLIP);
        assert_eq!(px.get(&(30, 9)), Some(&1.0));
        assert_eq!(px.get(&(30, 10)), Some(&1.0));
        // Row 8 is a quarter covered, row 11 three quarters.
        assert!((px[&(30, 8)] - 0.25).abs() < 1e-9, "{}", px[&(30, 8)]);
        assert!((px[&(30, 11)] - 0.75).abs() < 1e-9, "{}", px[&(30, 11)]);
        assert!(!px.contains_key(&(30, 7)) && !px.contains_key(&(30, 12)));
    }

    #[test]
    fn joins_are_not_drawn_twice_and_the_clip_holds() {
        let zigzag = [
            (0.0, 50.0),
            (20.0, 10.0),
            (40.0, 90.0),
            (60.0, 50.0),
            (140.0, 50.0),
        ];
        let clip = Clip {
            x0: 5,
            y0: 20,
            x1: 80,
            y1: 80,
        };
        let px = draw(&zigzag, 4.0, clip);
        assert!(!px.is_empty());
        for (&(x, y), &c) in &px {
            assert!((5..80).contains(&x) && (20..80).contains(&y), "({x}, {y})");
            assert!(c > 0.0 && c <= 1.0);
        }
    }

    #[test]
    fn degenerate_input_draws_a_dot_or_nothing() {
        let dot = draw(&[(50.5, 50.5)], 3.0, CLIP);
        assert_eq!(dot.get(&(50, 50)), Some(&1.0));
        assert!(dot.len() < 16);
        assert!(draw(&[], 3.0, CLIP).is_empty());
        assert!(draw(&[(1.0, 1.0), (9.0, 9.0)], 0.0, CLIP).is_empty());
        assert!(draw(&[(1e300, -1e300), (2e300, 1e300)], 2.0, CLIP).is_empty());
    }
}
