//! The memory budget: every large allocation is estimated and compared with a
//! limit before it is made.
//!
//! Sizes come from data files, `--random N`, `--dim NAME=SIZE` and fixed
//! dimensions in a spec (`onehot(y, 99999999999)`), so any of them can ask for
//! more memory than the machine has, or for a size that does not even fit in
//! 64 bits. Each consumer (the `.npy` reader, synthetic data, the reference
//! evaluator, native kernels) computes what it needs with checked or
//! saturating arithmetic first and calls [`check_memory`]; going over the
//! limit is a [`BudgetError`] that says how much was needed and how to raise
//! the limit, never an abort. Native kernels also get a work bound: a pass
//! may visit at most as many elements as float64 values would fit in the
//! limit ([`check_work`]), so an absurd fixed class dimension cannot make a
//! kernel run for hours.
//!
//! The limit is, in order: a per-object limit set through the API
//! (`CompiledLoss::set_memory_limit`, `Kernel::set_memory_limit`), the
//! process-wide [`set_memory_limit`] (the CLI's `--memory-limit`), the
//! environment variable [`ENV_VAR`], or [`default_limit`]: half the physical
//! memory, or [`FALLBACK_LIMIT`] where that is unknown.

use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that sets the memory limit (`LOSSC_MEMORY_LIMIT=16G`).
pub const ENV_VAR: &str = "LOSSC_MEMORY_LIMIT";

/// The limit where the physical memory cannot be read: 8 GiB.
pub const FALLBACK_LIMIT: u64 = 8 << 30;

/// The process-wide limit; 0 when not set.
static PROCESS_LIMIT: AtomicU64 = AtomicU64::new(0);

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    /// Going over the memory limit (`needed` saturates at `u64::MAX`).
    #[error(
        "{what} needs {} of memory, more than the limit of {}; raise the limit with --memory-limit SIZE or {ENV_VAR}=SIZE (e.g. {})",
        show_bytes(*needed),
        show_bytes(*limit),
        suggest(*needed)
    )]
    Memory {
        what: String,
        needed: u64,
        limit: u64,
    },
    /// A native pass over more elements than the work bound allows.
    #[error(
        "{what} visits {} elements, more than the {} a pass may visit under the memory limit of {} (one float64 each); raise the limit with --memory-limit SIZE or {ENV_VAR}=SIZE",
        show_count(*elements),
        limit / 8,
        show_bytes(*limit)
    )]
    Work {
        what: String,
        elements: u64,
        limit: u64,
    },
    /// A size that does not fit in 64 bits.
    #[error("{what}: its size overflows 64 bits")]
    Overflow { what: String },
}

/// Set the process-wide limit in bytes (`None` goes back to the environment or the default).
pub fn set_memory_limit(bytes: Option<u64>) {
    PROCESS_LIMIT.store(bytes.map_or(0, |b| b.max(1)), Ordering::Relaxed);
}

/// The limit in effect for objects that have none of their own.
pub fn memory_limit() -> u64 {
    match PROCESS_LIMIT.load(Ordering::Relaxed) {
        0 => limit_from_env()
            .ok()
            .flatten()
            .unwrap_or_else(default_limit),
        n => n,
    }
}

/// The limit [`ENV_VAR`] asks for, if set; an error if it is not a size.
pub fn limit_from_env() -> Result<Option<u64>, String> {
    match std::env::var(ENV_VAR) {
        Ok(text) => parse_size(&text)
            .map(Some)
            .map_err(|e| format!("{ENV_VAR}: {e}")),
        Err(_) => Ok(None),
    }
}

/// Half the physical memory (so the rest of the machine keeps working), or
/// [`FALLBACK_LIMIT`] where it cannot be read.
pub fn default_limit() -> u64 {
    // Read once: every evaluation asks, and reading /proc/meminfo (open,
    // read, parse) was most of a small evaluation's fixed cost.
    static LIMIT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| physical_memory().map_or(FALLBACK_LIMIT, |m| m / 2))
}

fn physical_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Parse a size: bytes (`1000000`) or a number with a binary unit (`512M`,
/// `1.5G`, `8GiB`, `64k`, `2T`); at least one byte.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "`{text}` is not a size (write e.g. 8G, 512M or 1000000)"
            ));
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (write e.g. 8G, 512M or 1000000)"))?;
    let bytes = value * scale as f64;
    if !(bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("`{text}` is not a size between 1 byte and 16 EiB"));
    }
    Ok(bytes as u64)
}

/// `needed` bytes for `what` must fit in `limit`.
pub fn check_memory(
    what: impl FnOnce() -> String,
    needed: u64,
    limit: u64,
) -> Result<(), BudgetError> {
    if needed <= limit {
        return Ok(());
    }
    Err(BudgetError::Memory {
        what: what(),
        needed,
        limit,
    })
}

/// `elements` visited by one native pass must fit the work bound of `limit`
/// (as many elements as float64 values fit in it).
pub fn check_work(
    what: impl FnOnce() -> String,
    elements: u64,
    limit: u64,
) -> Result<(), BudgetError> {
    if elements <= limit / 8 {
        return Ok(());
    }
    Err(BudgetError::Work {
        what: what(),
        elements,
        limit,
    })
}

/// The product of `sizes`, or `None` if it overflows 64 bits.
pub fn checked_product(sizes: impl IntoIterator<Item = u64>) -> Option<u64> {
    sizes
        .into_iter()
        .try_fold(1u64, |acc, n| acc.checked_mul(n))
}

/// The product of `sizes`, saturating at `u64::MAX` (estimates only: a
/// saturated estimate is over any limit).
pub fn saturating_product(sizes: impl IntoIterator<Item = u64>) -> u64 {
    sizes.into_iter().fold(
        1u64,
        |acc, n| {
            if n == 0 { 0 } else { acc.saturating_mul(n) }
        },
    )
}

/// `4.0 GiB (4294967296 bytes)`; `more than 16 EiB` when saturated.
pub fn show_bytes(n: u64) -> String {
    if n == u64::MAX {
        return "more than 16 EiB".into();
    }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.1} {} ({n} bytes)", units[unit])
    }
}

fn show_count(n: u64) -> String {
    if n == u64::MAX {
        "more than 2^64".into()
    } else {
        n.to_string()
    }
}

/// A limit that would be enough: the need rounded up to whole GiB.
fn suggest(needed: u64) -> String {
    match needed.checked_add((1 << 30) - 1) {
        Some(n) if needed < u64::MAX => format!("{}G", n >> 30),
        _ => "64G".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("8G").unwrap(), 8 << 30);
        assert_eq!(parse_size("8GiB").unwrap(), 8 << 30);
        assert_eq!(parse_size(" 512m ").unwrap(), 512 << 20);
        assert_eq!(parse_size("1.5k").unwrap(), 1536);
        assert_eq!(parse_size("2T").unwrap(), 2 << 40);
        for bad in ["", "G", "-1G", "0", "1X", "1e3", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn over_the_limit_is_an_error_that_says_how_much_and_how_to_raise_it() {
        assert!(check_memory(|| "x".into(), 100, 100).is_ok());
        let e = check_memory(|| "reading `a.npy`".into(), 80_000_000_000, 8 << 30).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("reading `a.npy` needs 74.5 GiB (80000000000 bytes)"),
            "{text}"
        );
        assert!(
            text.contains("--memory-limit") && text.contains(ENV_VAR),
            "{text}"
        );
        assert!(text.contains("e.g. 75G"), "{text}");
        assert!(matches!(
            check_work(|| "pass".into(), 1 << 40, 8 << 30),
            Err(BudgetError::Work { .. })
        ));
        assert!(check_work(|| "pass".into(), 1 << 30, 8 << 30).is_ok());
        assert_eq!(show_bytes(u64::MAX), "more than 16 EiB");
    }

    #[test]
    fn products_are_checked() {
        assert_eq!(checked_product([1 << 32, 1 << 32]), None);
        assert_eq!(checked_product([3, 4]), Some(12));
        assert_eq!(saturating_product([1 << 32, 1 << 32]), u64::MAX);
        assert_eq!(saturating_product([1 << 40, 0]), 0);
    }
}
