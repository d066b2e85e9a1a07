#!/usr/bin/env bash
# Run the lossc reference workloads, the C baselines, the bandwidth test and
# the Python peers in one go, and print the comparison as markdown.
#
#   bash benches/run.sh            # full sizes (N = 2^24): about 2 minutes (up to 10
#                                  # where lossc falls back to its reference evaluator)
#   bash benches/run.sh --quick    # N = 2^20, K = 2^16, W5 1024 x 1000: about 1 minute
#
# Options:
#   --quick              smaller sizes (see above); fewer repeats
#   --threads T          worker threads for every contender (default 2)
#   --repeat R           timed calls per measurement (default 20; 10 with --quick)
#   --interp-repeat R    timed calls where lossc falls back to its float64
#                        reference evaluator (default 3: it takes seconds a call)
#   --workloads LIST     e.g. w1,w6 (default all six)
#   --peers LIST         torch_eager,torch_compile,jax (default all; those not
#                        installed are skipped and reported as such)
#   --no-peers           lossc, the C baselines and bandwidth only
#   --no-build           use the existing target/release/lossc
#   --check              first check the C baselines' values and gradients
#                        against `lossc eval --interp` on small inputs
#   --wait-idle S        wait up to S seconds for the 1-minute load average to
#                        fall below 0.5 before measuring (the machine has 2
#                        cores: any other busy process distorts 2-thread timings,
#                        OpenMP-based PyTorch most of all); default 0
#   --out DIR            where raw results go (default target/bench/DATE)
#
# Needs: cargo, gcc with OpenMP, python3 (the report is printed by
# benches/report.py, standard library only); PyTorch and JAX are optional
# (pip install "jax[cpu]" torch).
#
# Raw results: DIR/results.jsonl (one JSON object per line: meta, bandwidth,
# baseline, lossc, peer records) and DIR/report.md (the printed tables).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

quick=0 threads=2 repeat="" interp_repeat=3 workloads="w1,w2,w3,w4,w5,w6"
peers="torch_eager,torch_compile,jax" run_peers=1 build=1 check=0 out="" wait_idle=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --threads) threads="$2"; shift ;;
        --repeat) repeat="$2"; shift ;;
        --interp-repeat) interp_repeat="$2"; shift ;;
        --workloads) workloads="$2"; shift ;;
        --peers) peers="$2"; shift ;;
        --no-peers) run_peers=0 ;;
        --no-build) build=0 ;;
        --check) check=1 ;;
        --out) out="$2"; shift ;;
        --wait-idle) wait_idle="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$repeat" ]; then repeat=$([ $quick = 1 ] && echo 10 || echo 20); fi
if [ $quick = 1 ]; then N=$((1 << 20)) K=$((1 << 16)) ROWS=1024; else N=$((1 << 24)) K=$((1 << 20)) ROWS=8192; fi
C=1000
out="${out:-target/bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
log() { echo "== $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Each record gets the 1-minute load average at the moment it is written.
record() { echo "${1%\}}, \"load1\": $(load1)}" >> "$results"; }
jstr() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
started=$(date +%s)
waited=0
if [ "$wait_idle" -gt 0 ]; then
    log "waiting up to $wait_idle s for the load average to fall below 0.5 (now $(load1))"
    while [ $waited -lt "$wait_idle" ] && python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.5 else 1)' "$(load1)"; do
        sleep 5; waited=$((waited + 5))
    done
    log "load average $(load1) after $waited s"
fi
started=$(date +%s)  # the run's own time, without the wait

# ---- the machine --------------------------------------------------------------
model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
flags=$(lscpu | sed -n 's/^Flags: *//p')
simd=$(for f in avx512f avx2 fma; do case " $flags " in *" $f "*) printf '%s ' "$f" ;; esac; done)
record "{\"kind\": \"meta\", \"date\": $(jstr "$(date -u '+%Y-%m-%d %H:%M UTC')"), \"cpu\": $(jstr "$model"), \"simd\": $(jstr "${simd% }"), \"nproc\": $(nproc), \"mem_total_gib\": $(free -g | awk '/^Mem:/{print $2}'), \"l3\": $(jstr "$(lscpu | sed -n 's/^L3 cache: *//p')"), \"quick\": $quick, \"threads\": $threads, \"repeat\": $repeat, \"interp_repeat\": $interp_repeat, \"N\": $N, \"K\": $K, \"rows\": $ROWS, \"classes\": $C, \"uptime_start\": $(jstr "$(uptime)"), \"waited_s\": $waited, \"rustc\": $(jstr "$(rustc --version 2>/dev/null || echo '?')"), \"gcc\": $(jstr "$(gcc --version | head -1)")}"

# ---- build ----------------------------------------------------------------------
if [ $build = 1 ]; then
    log "cargo build --release"
    if ! cargo build --release --quiet 2> "$out/build.log"; then
        cat "$out/build.log" >&2; echo "run.sh: cargo build --release failed" >&2; exit 1
    fi
fi
[ -x "$root/target/release/lossc" ] || { echo "run.sh: target/release/lossc not found (build it, or drop --no-build)" >&2; exit 1; }
# A private copy: a concurrent `cargo build` in this tree must not swap the
# binary in the middle of the run.
cp -p "$root/target/release/lossc" "$out/lossc"
lossc="$out/lossc"
record "{\"kind\": \"build\", \"lossc_sha256\": \"$(sha256sum "$lossc" | cut -c1-16)\", \"lossc_built\": $(jstr "$(date -u -r "$lossc" '+%Y-%m-%d %H:%M:%S UTC')")}"
cflags="-O3 -march=native -fopenmp"
log "gcc $cflags benches/bandwidth.c; gcc $cflags -mprefer-vector-width=512 -ffast-math benches/baseline.c"
gcc $cflags "$here/bandwidth.c" -o "$out/bandwidth"
gcc $cflags -mprefer-vector-width=512 -ffast-math "$here/baseline.c" -o "$out/baseline" -lm
# The same baseline at narrower vectors: 128-bit is what Cranelift emits, so
# the gap between `baseline128` and lossc is what is not the vector width.
for width in 128 256; do
    gcc $cflags -mprefer-vector-width=$width -ffast-math "$here/baseline.c" -o "$out/baseline$width" -lm
done
# OpenMP settings for the two C programs only.
cenv=(env OMP_NUM_THREADS="$threads" OMP_PROC_BIND=spread)

# ---- optional: the C baselines compute what lossc computes --------------------------
spec_of() { ls "$here"/workloads/"$1"_*.loss; }
if [ $check = 1 ]; then
    log "checking the C baselines against lossc eval --interp"
    for w in ${workloads//,/ }; do
        d="$out/check/$w"; mkdir -p "$d"
        case $w in w5) args="64 1 17" ;; w4) args="5000 1 300" ;; *) args="5000 1" ;; esac
        "${cenv[@]}" BASELINE_DUMP="$d" "$out/baseline" $w $args > "$d/c.json"
        case $w in
            w5) ins="--input logits=$d/logits.npy --input labels=$d/labels.npy" ;;
            w4) ins="--input pred=$d/pred.npy --input target=$d/target.npy --input params=$d/params.npy" ;;
            *) ins="--input pred=$d/pred.npy --input target=$d/target.npy" ;;
        esac
        "$lossc" eval "$(spec_of $w)" $ins --interp --json --grad-dir "$d/ref" > "$d/ref.json"
    done
    python3 - "$out/check" ${workloads//,/ } <<'EOF'
import json, struct, sys
def npy(path):
    import array
    with open(path, "rb") as f:
        raw = f.read()
    hlen = struct.unpack("<H", raw[8:10])[0]
    header = raw[10:10 + hlen].decode()
    code = "f" if "<f4" in header else "d" if "<f8" in header else "q"
    a = array.array(code); a.frombytes(raw[10 + hlen:]); return a
ok = True
for w in sys.argv[2:]:
    d = f"{sys.argv[1]}/{w}"
    c, r = json.load(open(d + "/c.json")), json.load(open(d + "/ref.json"))
    rel = abs(c["value"] - r["value"]) / abs(r["value"])
    names = ["logits"] if w == "w5" else ["pred"] + (["params"] if w == "w4" else [])
    errs = []
    for n in names:
        a, b = npy(f"{d}/grad_{n}.npy"), npy(f"{d}/ref/{n}.npy")
        scale = max(abs(x) for x in b)
        errs.append(max(abs(x - y) for x, y in zip(a, b)) / scale)
    good = rel < 1e-6 and max(errs) < 1e-5
    ok &= good
    print(f"check {w}: value rel err {rel:.1e}, gradient max err / max |grad| {max(errs):.1e}: {'ok' if good else 'MISMATCH'}", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
fi

bandwidth() {
    local line
    line=$("${cenv[@]}" "$out/bandwidth" "$N" "$repeat")
    record "{\"kind\": \"bandwidth\", \"when\": \"$1\", \"result\": $line}"
    echo "   $line" >&2
}
log "bandwidth (STREAM triad, float32, N = $N, $threads threads)"
bandwidth start

# ---- the workloads -------------------------------------------------------------------
for w in ${workloads//,/ }; do
    spec=$(spec_of $w)
    case $w in
        w4) size=(--random $N --dim K=$K); probe=(--random 64 --dim K=64); cargs=($N $repeat $K) ;;
        w5) size=(--random $ROWS --dim C=$C); probe=(--random 4 --dim C=$C); cargs=($ROWS $repeat $C) ;;
        *) size=(--random $N); probe=(--random 64); cargs=($N $repeat) ;;
    esac
    log "$w: C baseline"
    line=$("${cenv[@]}" "$out/baseline" $w "${cargs[@]}")
    record "{\"kind\": \"baseline\", \"workload\": \"$w\", \"result\": $line}"
    echo "   $line" >&2
    for width in 128 256; do
        line=$("${cenv[@]}" "$out/baseline$width" $w "${cargs[@]}")
        record "{\"kind\": \"baseline$width\", \"workload\": \"$w\", \"result\": $line}"
    done
    # Which engine runs it? The reference evaluator takes seconds a call at
    # full size, so it gets fewer repeats.
    engine=$("$lossc" bench "$spec" "${probe[@]}" --repeat 1 --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine"])' 2>/dev/null || echo "?")
    r=$repeat; [ "$engine" = native ] || r=$interp_repeat
    log "$w: lossc bench ${spec#$root/} ${size[*]} --threads $threads --repeat $r ($engine)"
    if ! line=$("$lossc" bench "$spec" "${size[@]}" --threads "$threads" --repeat "$r" --json 2> "$out/lossc-$w.stderr"); then
        err=$(tail -3 "$out/lossc-$w.stderr" | tr '\n' ' ')
        record "{\"kind\": \"lossc_error\", \"workload\": \"$w\", \"error\": $(jstr "$err")}"
        echo "   lossc bench failed: $err" >&2
        continue
    fi
    # The generated code, for the code-shape table (instructions per element, spills).
    [ "$engine" = native ] && "$lossc" emit "$spec" --asm > "$out/$w.asm" 2>/dev/null || true
    note=$(tr '\n' ' ' < "$out/lossc-$w.stderr")
    record "{\"kind\": \"lossc\", \"workload\": \"$w\", \"note\": $(jstr "$note"), \"result\": $line}"
    echo "   $line" >&2
done

# ---- the peers -------------------------------------------------------------------------
if [ $run_peers = 1 ]; then
    log "peers ($peers): python3 benches/peers.py"
    qflag=(); [ $quick = 1 ] && qflag=(--quick)
    python3 "$here/peers.py" "${qflag[@]}" --threads "$threads" --repeat "$repeat" --peers "$peers" --workloads "$workloads" \
        | while IFS= read -r line; do
            record "{\"kind\": \"peer\", \"result\": $line}"
            echo "   $line" >&2
        done
fi

log "bandwidth again"
bandwidth end
record "{\"kind\": \"meta_end\", \"uptime_end\": $(jstr "$(uptime)"), \"elapsed_s\": $(( $(date +%s) - started ))}"

python3 "$here/report.py" "$results" | tee "$out/report.md"
log "raw results: $results; report: $out/report.md"
