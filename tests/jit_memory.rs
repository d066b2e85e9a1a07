//! Code memory of dropped kernels is returned. In a test binary of its own,
//! so that no concurrent test moves the resident-memory figure.

use lossc::LossSpec;
use lossc::native::Precision;

fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[test]
fn dropping_a_kernel_frees_its_code() {
    let spec = LossSpec::from_str("mse").unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    // Warm up allocator pools, then compile and drop many kernels: leaked
    // code pages (at least 4 KiB each) would add up to 8 MiB or more.
    for _ in 0..50 {
        drop(c.native(Precision::F32).unwrap());
    }
    let Some(before) = resident_bytes() else {
        return;
    };
    for _ in 0..2000 {
        drop(c.native(Precision::F32).unwrap());
    }
    let after = resident_bytes().unwrap();
    let growth = after.saturating_sub(before);
    assert!(
        growth < 4 << 20,
        "resident memory grew by {growth} bytes over 2000 kernels"
    );
}
