//! Arbitrary bytes as spec text through the whole front end and the native
//! compiler: parse, check, elaborate every objective (with inferred input
//! signatures, as `lossc check` does), print the derivative, the value, the
//! rewrites and the warnings, and compile a native kernel.
//!
//! Any `Err` is a correct answer (it is rendered, so diagnostics are
//! exercised too); a panic, abort, stack overflow, timeout or allocation past
//! libFuzzer's limits is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lossc::LossSpec;
use lossc::native::Precision;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spec = match LossSpec::from_str(text) {
        Ok(spec) => spec,
        Err(e) => {
            std::hint::black_box(e.render());
            return;
        }
    };
    // Both precisions are reached without compiling every spec twice.
    let precision = if data.len() % 2 == 0 {
        Precision::F64
    } else {
        Precision::F32
    };
    for name in spec.objectives() {
        let compiled = match spec.compile(Some(name), &HashMap::new()) {
            Ok(c) => c,
            Err(e) => {
                std::hint::black_box(e.render());
                continue;
            }
        };
        std::hint::black_box(compiled.derivative_text(None).ok());
        std::hint::black_box(compiled.value_text());
        std::hint::black_box(compiled.explain());
        std::hint::black_box(compiled.render_warnings());
        if let Err(e) = compiled.native(precision) {
            std::hint::black_box(e.to_string());
        }
    }
});
