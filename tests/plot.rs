//! Plots: sampled curves against hand-written formulas, the content of SVG
//! figures, PNG figures decoded, and `lossc plot` end to end.

use lossc::plot::{self, Figure, Range, TermOptions};
use lossc::snippet::{Context, compile_expression};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

fn figure(exprs: &[&str], var: &str, range: &str, with: &[(&str, f64)]) -> Result<Figure, String> {
    let ctx = Context {
        name: "<spec>",
        text: "",
        base_dir: None,
    };
    let mut series = Vec::new();
    for e in exprs {
        let c = compile_expression(&ctx, e, "<expr>", &HashMap::new()).map_err(|e| e.rendered)?;
        series.push((e.to_string(), c));
    }
    let with: Vec<(String, f64)> = with.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    plot::sample(
        &series,
        var,
        Range::parse(range)?,
        &with,
        plot::DEFAULT_POINTS,
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

/// The contents of an SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim().to_string()))
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossc-plot-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bce_and_focal_curves_match_their_formulas() {
    let fig = figure(
        &["bce", "focal(gamma=2)"],
        "pred",
        "-6..6",
        &[("target", 1.0)],
    )
    .unwrap();
    assert_eq!(fig.xs.len(), plot::DEFAULT_POINTS);
    let mid = fig.xs.iter().position(|&x| x == 0.0).unwrap();
    // bce at pred = 0, target = 1 is ln 2 with derivative -1/2.
    assert!(close(fig.curves[0].values[mid], std::f64::consts::LN_2));
    assert!(close(fig.curves[0].derivatives[mid], -0.5));
    for (i, &x) in fig.xs.iter().enumerate() {
        let bce = softplus(-x);
        assert!(close(fig.curves[0].values[i], bce), "bce at {x}");
        assert!(
            close(fig.curves[0].derivatives[i], -sigmoid(-x)),
            "d bce at {x}"
        );
        // focal = (1 - p)^2 * bce with p = sigmoid(x), target 1.
        let p = sigmoid(x);
        let focal = (1.0 - p).powi(2) * bce;
        let dfocal = -2.0 * (1.0 - p) * p * (1.0 - p) * bce + (1.0 - p).powi(2) * -(1.0 - p);
        assert!(close(fig.curves[1].values[i], focal), "focal at {x}");
        assert!(
            close(fig.curves[1].derivatives[i], dfocal),
            "d focal at {x}"
        );
    }
    assert!(!fig.curves[0].numeric);
}

#[test]
fn huber_bends_between_mse_and_mae() {
    let fig = figure(&["huber(delta=1)"], "pred", "-3..3", &[("target", 0.0)]).unwrap();
    for (i, &x) in fig.xs.iter().enumerate() {
        let (v, d) = if x.abs() < 1.0 {
            (0.5 * x * x, x)
        } else {
            (x.abs() - 0.5, x.signum())
        };
        assert!(close(fig.curves[0].values[i], v), "huber at {x}");
        assert!(close(fig.curves[0].derivatives[i], d), "d huber at {x}");
    }
}

#[test]
fn a_target_variable_gets_finite_differences() {
    // bce is linear in its target: d/dy = softplus(-p) - softplus(p) = -p.
    let fig = figure(&["bce"], "target", "0..1", &[("pred", 2.0)]).unwrap();
    assert!(fig.curves[0].numeric);
    for d in &fig.curves[0].derivatives {
        assert!((d + 2.0).abs() < 1e-6, "{d}");
    }
}

#[test]
fn curves_not_reading_the_variable_are_flat_and_declared_shapes_are_filled() {
    let ctx = Context {
        name: "spec",
        text: "input z: f64[N, 3]\n",
        base_dir: None,
    };
    let a = compile_expression(&ctx, "mean(z^2)", "<expr>", &HashMap::new()).unwrap();
    let b = compile_expression(&ctx, "0.5", "<expr>", &HashMap::new()).unwrap();
    let fig = plot::sample(
        &[("a".into(), a), ("b".into(), b)],
        "z",
        Range { lo: -1.0, hi: 1.0 },
        &[],
        5,
    )
    .unwrap();
    // Every element of z is x: mean(z^2) = x^2, and its derivative along all of z is 2x.
    assert_eq!(fig.curves[0].values, vec![1.0, 0.25, 0.0, 0.25, 1.0]);
    assert_eq!(fig.curves[0].derivatives, vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
    assert_eq!(fig.curves[1].values, vec![0.5; 5]);
    assert_eq!(fig.curves[1].derivatives, vec![0.0; 5]);
}

#[test]
fn bad_requests_are_clear_errors() {
    let err = |exprs: &[&str], var: &str, range: &str, with: &[(&str, f64)]| {
        figure(exprs, var, range, with).unwrap_err()
    };
    assert!(err(&["bce"], "pred", "6..-6", &[("target", 1.0)]).contains("bad range `6..-6`"));
    assert!(err(&["bce"], "foo", "-6..6", &[("target", 1.0)]).contains("unknown variable `foo`"));
    assert!(
        err(&["bce"], "pred", "-6..6", &[]).contains("give it a value with `with target=VALUE`")
    );
    assert!(
        err(&["bce"], "pred", "-6..6", &[("target", 1.0), ("zz", 1.0)])
            .contains("no plotted expression reads `zz`")
    );
    assert!(
        err(&["bce"], "pred", "-6..6", &[("target", 1.0), ("pred", 1.0)])
            .contains("variable of the plot")
    );
    assert!(
        err(&["pred - target"], "pred", "-6..6", &[("target", 1.0)]).contains("is not a scalar")
    );
    let ctx = Context {
        name: "spec",
        text: "target k: i64[N]\n",
        base_dir: None,
    };
    let c = compile_expression(&ctx, "mean(pred * k)", "<expr>", &HashMap::new()).unwrap();
    let e = plot::sample(
        &[("x".into(), c.clone())],
        "pred",
        Range { lo: 0.0, hi: 1.0 },
        &[("k".into(), 0.5)],
        5,
    )
    .unwrap_err();
    assert!(e.contains("integer input"), "{e}");
    let e = plot::sample(
        &[("x".into(), c)],
        "k",
        Range { lo: 0.0, hi: 1.0 },
        &[("pred".into(), 0.5)],
        5,
    )
    .unwrap_err();
    assert!(e.contains("the variable must be floating-point"), "{e}");
}

#[test]
fn svg_figures_have_title_axes_legend_and_both_panels() {
    let fig = figure(
        &["bce", "focal(gamma=2)"],
        "pred",
        "-6..6",
        &[("target", 1.0)],
    )
    .unwrap();
    let svg = plot::svg(&fig, (900, 400)).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..100.min(svg.len())]);
    assert!(svg.contains("width=\"900\"") && svg.contains("height=\"400\""));
    let texts = svg_texts(&svg);
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(
        has("bce, focal(gamma=2) over pred in [-6, 6] at target = 1"),
        "title: {texts:?}"
    );
    // Legend entries.
    assert!(has("bce") && has("focal(gamma=2)"), "legend: {texts:?}");
    // Panels and axis labels.
    assert!(has("value") && has("d/d pred"), "panel captions: {texts:?}");
    assert!(
        has("pred") && has("loss") && has("d loss / d pred"),
        "axis labels: {texts:?}"
    );
    // Tick labels and one polyline per curve and panel.
    assert!(has("-6") && has("6") && has("0"), "ticks: {texts:?}");
    assert!(svg.matches("<polyline").count() >= 4);
}

#[test]
fn png_figures_decode_at_the_requested_size_with_coloured_curves() {
    let fig = figure(
        &["bce", "focal(gamma=2)"],
        "pred",
        "-6..6",
        &[("target", 1.0)],
    )
    .unwrap();
    let bytes = plot::png(&fig, (640, 360)).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (640, 360));
    let pixels = &buf[..info.buffer_size()];
    let count = |rgb: [u8; 3]| pixels.chunks(3).filter(|p| *p == rgb).count();
    // Curves in the palette's blue and red, text in black-ish, mostly white.
    assert!(count([31, 119, 180]) > 200, "blue curve");
    assert!(count([214, 39, 40]) > 200, "red curve");
    assert!(
        count([255, 255, 255]) > pixels.len() / 3 / 2,
        "white background"
    );
    assert!(
        pixels
            .chunks(3)
            .filter(|p| p[0] < 60 && p[1] < 60 && p[2] < 60)
            .count()
            > 300,
        "text"
    );
}

#[test]
fn every_panel_names_several_curves_and_one_curve_is_named_once() {
    let fig = figure(
        &["bce", "focal(gamma=2)", "mae"],
        "pred",
        "-6..6",
        &[("target", 1.0)],
    )
    .unwrap();
    let texts = svg_texts(&plot::svg(&fig, (900, 400)).unwrap());
    for label in ["bce", "focal(gamma=2)", "mae"] {
        let n = texts.iter().filter(|t| *t == label).count();
        assert_eq!(n, 2, "`{label}` in {n} legends: {texts:?}");
    }
    let one = figure(&["bce"], "pred", "-6..6", &[("target", 1.0)]).unwrap();
    let texts = svg_texts(&plot::svg(&one, (900, 400)).unwrap());
    assert_eq!(texts.iter().filter(|t| *t == "bce").count(), 1, "{texts:?}");
}

/// A PNG's size and rows of RGB pixels.
fn decode_png(bytes: Vec<u8>) -> (usize, usize, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

#[test]
fn png_curves_are_anti_aliased() {
    let fig = figure(&["bce"], "pred", "-6..6", &[("target", 1.0)]).unwrap();
    let (_, _, pixels) = decode_png(plot::png(&fig, (640, 360)).unwrap());
    // Pixels blending the curve's blue (31, 119, 180) into the white
    // background by a fraction `a`: the edges of an anti-aliased line.
    let blue = [31.0, 119.0, 180.0];
    let blended = pixels
        .chunks(3)
        .filter(|p| {
            let a = (255.0 - f64::from(p[0])) / (255.0 - blue[0]);
            (0.15..0.85).contains(&a)
                && (0..3).all(|c| {
                    let want = 255.0 + a * (blue[c] - 255.0);
                    (f64::from(p[c]) - want).abs() <= 4.0
                })
        })
        .count();
    assert!(blended > 300, "{blended} blended pixels");
}

#[test]
fn text_stays_inside_figures_of_every_size() {
    let fig = figure(
        &["bce", "focal(gamma=1)", "focal(gamma=2)", "focal(gamma=5)"],
        "pred",
        "-6..6",
        &[("target", 1.0)],
    )
    .unwrap();
    for (w, h) in [
        (2400, 1050),
        (960, 420),
        (200, 200),
        (400, 1500),
        (3000, 300),
    ] {
        let (width, height, pixels) = decode_png(plot::png(&fig, (w, h)).unwrap());
        let ink = |x: usize, y: usize| pixels[3 * (y * width + x)..][..3] != [255, 255, 255];
        let frame = (0..width)
            .flat_map(|x| [(x, 0), (x, height - 1)])
            .chain((0..height).flat_map(|y| [(0, y), (width - 1, y)]));
        for (x, y) in frame {
            assert!(!ink(x, y), "{w}x{h}: ink at the border, ({x}, {y})");
        }
        // The title is there, near the top.
        let first_row = (0..height).find(|&y| (0..width).any(|x| ink(x, y)));
        assert!(
            first_row.is_some_and(|y| y < height / 8),
            "{w}x{h}: {first_row:?}"
        );
    }
    // Text grows with the figure.
    let title_size = |size| {
        let svg = plot::svg(&fig, size).unwrap();
        let at = svg.find("font-size=\"").unwrap() + "font-size=\"".len();
        svg[at..svg[at..].find('"').unwrap() + at]
            .parse::<f64>()
            .unwrap()
    };
    let (small, large) = (title_size((960, 420)), title_size((2400, 1050)));
    assert!(large > 1.8 * small, "{small} -> {large}");
}

#[test]
fn saving_checks_format_size_and_path() {
    let fig = figure(&["mse"], "pred", "-1..1", &[("target", 0.0)]).unwrap();
    let dir = tmp("save");
    let ok = plot::save(&fig, &dir.join("a.SVG"), (400, 300)).unwrap();
    assert!(ok.contains("SVG, 400x300, 1 curve"), "{ok}");
    assert!(
        plot::save(&fig, &dir.join("a.pdf"), (400, 300))
            .unwrap_err()
            .contains("unsupported format `.pdf`")
    );
    assert!(
        plot::save(&fig, &dir.join("a"), (400, 300))
            .unwrap_err()
            .contains(".svg or .png")
    );
    assert!(
        plot::save(&fig, &dir.join("missing/a.png"), (400, 300))
            .unwrap_err()
            .starts_with("cannot write")
    );
    assert!(
        plot::save(&fig, &dir.join("b.png"), (100_000, 300))
            .unwrap_err()
            .contains("out of range")
    );
    assert_eq!(plot::parse_size("800x600"), Ok((800, 600)));
    assert!(plot::parse_size("800").is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn terminal_plots_label_axes() {
    let fig = figure(&["bce"], "pred", "-6..6", &[("target", 1.0)]).unwrap();
    let text = plot::render_terminal(
        &fig,
        &TermOptions {
            width: 40,
            height: 8,
            color: false,
        },
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "bce over pred in [-6, 6] at target = 1");
    assert_eq!(lines[1], "value");
    assert!(lines[2].trim_start().starts_with("6 ┤"), "{text}");
    assert!(text.contains("d/d pred\n"), "{text}");
    let ticks = lines
        .iter()
        .find(|l| l.trim_start().starts_with("-6 "))
        .expect("x tick labels");
    assert_eq!(
        ticks.split_whitespace().collect::<Vec<_>>(),
        ["-6", "0", "6"]
    );
    assert!(text.ends_with("━━ bce\n(target = 1)\n"), "{text}");
}

// ---- lossc plot ---------------------------------------------------------------

fn lossc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(args)
        .output()
        .expect("run lossc")
}

#[test]
fn cli_writes_svg_and_png_figures() {
    let dir = tmp("cli");
    let svg = dir.join("curves.svg");
    let o = lossc(&[
        "plot",
        "-e",
        "bce",
        "-e",
        "focal(gamma=2)",
        "--over",
        "pred=-6..6",
        "--with",
        "target=1",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("(SVG, 960x420, 2 curves)"));
    let text = std::fs::read_to_string(&svg).unwrap();
    let texts = svg_texts(&text);
    assert!(
        texts.iter().any(|t| t == "focal(gamma=2)") && texts.iter().any(|t| t == "d/d pred"),
        "{texts:?}"
    );
    let png = dir.join("seg.png");
    // A spec's objectives, with its declared inputs held at values.
    let o = lossc(&[
        "plot",
        "examples/segmentation.loss",
        "--over",
        "pred=-4..4",
        "--with",
        "target=1",
        "--with",
        "params=0.1",
        "--size",
        "500x300",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&png).unwrap();
    let info = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap()
        .info()
        .clone();
    assert_eq!((info.width, info.height), (500, 300));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_draws_in_the_terminal_and_reports_errors() {
    let o = lossc(&[
        "plot",
        "-e",
        "huber",
        "--over",
        "pred=-2..2",
        "--with",
        "target=0",
    ]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("huber over pred in [-2, 2] at target = 0\nvalue\n"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour on a pipe");
    // Identical curves: each one's marker shows on a pipe.
    let o = lossc(&[
        "plot",
        "-e",
        "mse",
        "-e",
        "2*mse/2",
        "--over",
        "pred=-2..2",
        "--with",
        "target=0",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let plot_area: String = out
        .lines()
        .filter_map(|l| l.split_once(['┤', '│']).map(|(_, r)| r))
        .collect();
    assert!(plot_area.contains('*') && plot_area.contains('+'), "{out}");
    for (args, msg) in [
        (
            vec![
                "plot",
                "-e",
                "bce",
                "--over",
                "pred=6..-6",
                "--with",
                "target=1",
            ],
            "bad range `6..-6`",
        ),
        (
            vec![
                "plot",
                "-e",
                "bce",
                "--over",
                "foo=-6..6",
                "--with",
                "target=1",
            ],
            "unknown variable `foo`",
        ),
        (
            vec!["plot", "-e", "pred", "--over", "pred=-6..6"],
            "is not a scalar",
        ),
        (
            vec!["plot", "-e", "bce", "--over", "pred", "--with", "target=1"],
            "expected --over VAR=A..B",
        ),
        (
            vec!["plot", "-e", "bce(gama=1)", "--over", "pred=-1..1"],
            "--> <expr>:1:5",
        ),
        (
            vec![
                "plot",
                "-e",
                "bce",
                "--over",
                "pred=-1..1",
                "--with",
                "target=1",
                "-o",
                "/nonexistent-lossc/x.svg",
            ],
            "cannot write `/nonexistent-lossc/x.svg`",
        ),
        (
            vec![
                "plot",
                "-e",
                "bce",
                "--over",
                "pred=-1..1",
                "--with",
                "target=1",
                "-o",
                "x.gif",
            ],
            "unsupported format `.gif`",
        ),
    ] {
        let o = lossc(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
    }
}

/// Run `lossc` with a deadline: a plot that spins is a failure, not a hang.
fn lossc_within(args: &[&str], seconds: u64) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() >= seconds {
            let _ = child.kill();
            panic!(
                "`lossc {}` did not finish within {seconds} s",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn curves_reaching_infinity_and_overflowing_ranges_terminate() {
    let dir = tmp("non-finite");
    for (range, ext) in [
        ("700..710", "svg"),
        ("700..710", "png"),
        ("-1e300..1e300", "svg"),
    ] {
        let out = dir.join(format!("p.{ext}"));
        let over = format!("pred={range}");
        let o = lossc_within(
            &[
                "plot",
                "-e",
                "mean(exp(pred))",
                "--over",
                &over,
                "-o",
                out.to_str().unwrap(),
            ],
            30,
        );
        assert!(
            o.status.success(),
            "{range}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(std::fs::metadata(&out).unwrap().len() > 0);
    }
    // Values near the float64 maximum of both signs: the axis stays finite.
    let out = dir.join("huge.svg");
    let o = lossc_within(
        &[
            "plot",
            "-e",
            "mean(pred * 1e306)",
            "--over",
            "pred=-170..170",
            "-o",
            out.to_str().unwrap(),
        ],
        30,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A range whose width overflows is a clear error.
    let o = lossc_within(
        &[
            "plot",
            "-e",
            "mean(exp(pred))",
            "--over",
            "pred=-1e308..1e308",
            "-o",
            dir.join("w.svg").to_str().unwrap(),
        ],
        30,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("its width overflows"));
}

#[test]
fn hand_built_ranges_are_checked_and_infinite_samples_are_gaps() {
    assert!(Range::new(-1e308, 1e308).unwrap_err().contains("overflows"));
    let spec = lossc::LossSpec::from_str("mean(exp(pred))").unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let series = vec![("e".to_string(), c)];
    let bad = Range {
        lo: -1e308,
        hi: 1e308,
    };
    assert!(lossc::plot::sample(&series, "pred", bad, &[], 11).is_err());
    let fig =
        lossc::plot::sample(&series, "pred", Range::parse("700..720").unwrap(), &[], 21).unwrap();
    assert!(fig.curves[0].values.iter().any(|v| v.is_infinite()));
    let svg = lossc::plot::svg(&fig, (800, 400)).unwrap();
    assert!(svg.contains("<svg"));
}
