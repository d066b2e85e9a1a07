//! Arbitrary bytes as a `.npy` file through `lossc::data::read_npy` (the
//! reader behind `--input NAME=FILE.npy`). Any `Err` is a correct answer; a
//! panic, abort or allocation past libFuzzer's limits is a bug (a file may
//! not make the reader allocate much more than its own size).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One scratch file per fuzzing process (the reader takes a path).
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("lossc-fuzz-npy-{}.npy", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).expect("writing the scratch file");
    if let Ok(array) = lossc::data::read_npy(path) {
        let values = array.to_f64();
        assert_eq!(values.len(), array.shape().iter().product::<usize>());
        std::hint::black_box(values);
    }
});
