use lossc::codegen::{Kernel, Precision};
use lossc::data::random_inputs;
use lossc::*;
fn main() {
    let specs = [
        "mse", "mae", "huber", "1e-4*l2 + mse", "hinge", "mse + 1e-3*l1",
        "input z: f32[N, C]\ntarget y: i64[N]\nmean(max(z, axis=-1) - gather(z, y))",
        "input z: f32[N, C]\ninput r: f32[N]\nmean(sum(z*r, axis=-1)^2) + sum(r^2)",
        "input z: f32[N, C]\ntarget y: i64[N]\nmean(sum(z * onehot(y, C), axis=-1)^2)",
        "input z: f32[N, C]\ntarget w: f32[C]\nmean(z^2 * w)",
    ];
    for src in specs {
        let spec = LossSpec::from_str(src).unwrap();
        let c = spec.compile(None, &Default::default()).unwrap();
        let k = match Kernel::compile(&c, Precision::F32) { Ok(k) => k, Err(e) => { println!("{src}: {e}"); continue } };
        for n in [1usize, 3, 7, 100, 100_003] {
            let mut dims = std::collections::HashMap::new();
            dims.insert("C".to_string(), 7);
            let inputs = random_inputs(c.graph(), n, &dims, 42);
            let r = c.evaluate(&inputs).unwrap();
            let (o, g) = k.eval(&inputs, 2).unwrap();
            let (o1, g1) = k.eval(&inputs, 1).unwrap();
            let mut maxerr = 0f64;
            for ((_, a), (_, b)) in r.gradients.iter().zip(&g) {
                let scale = a.iter().fold(1e-30f64, |m, x| m.max(x.abs()));
                for (x, y) in a.iter().zip(b.iter()) { maxerr = maxerr.max((x - y).abs() / scale); }
            }
            let same = o.value.to_bits() == o1.value.to_bits() && g.iter().zip(&g1).all(|(a, b)| a.1 == b.1);
            println!("{:50} n={n:6} value ref={:.9e} jit={:.9e} rel={:.1e} grad maxrel={maxerr:.1e} threads-identical={same}", src.replace('\n', "; "), r.value, o.value, ((r.value - o.value) / r.value).abs());
        }
    }
}
