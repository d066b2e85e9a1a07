//! Stand-in for the vector math library while it is being written: the
//! functions below plus a flag that makes `Kernel::compile` refuse graphs
//! that need exp/log/... .
use cranelift_codegen::ir::{types, InstBuilder, Type, Value, condcodes::FloatCC};
use cranelift_frontend::FunctionBuilder;

pub struct MathOptions { pub fma: bool }
pub const TRANSCENDENTALS: bool = false;

pub fn splat_const(b: &mut FunctionBuilder, ty: Type, c: f64) -> Value {
    let lane = ty.lane_type();
    let s = if lane == types::F32 { b.ins().f32const(c as f32) } else { b.ins().f64const(c) };
    if ty.is_vector() { b.ins().splat(ty, s) } else { s }
}
pub fn select_where(b: &mut FunctionBuilder, mask: Value, x: Value, y: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    if ty.is_vector() {
        let mty = b.func.dfg.value_type(mask);
        let m = if mty == ty { mask } else { b.ins().bitcast(ty, cranelift_codegen::ir::MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little), mask) };
        b.ins().bitselect(m, x, y)
    } else {
        b.ins().select(mask, x, y)
    }
}
pub fn neg(b: &mut FunctionBuilder, x: Value) -> Value { b.ins().fneg(x) }
pub fn abs(b: &mut FunctionBuilder, x: Value) -> Value { b.ins().fabs(x) }
pub fn sign(b: &mut FunctionBuilder, x: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    let z = splat_const(b, ty, 0.0); let one = splat_const(b, ty, 1.0); let m1 = splat_const(b, ty, -1.0);
    let gt = b.ins().fcmp(FloatCC::GreaterThan, x, z); let lt = b.ins().fcmp(FloatCC::LessThan, x, z);
    let zx = b.ins().fmul(x, z);
    let t = select_where(b, lt, m1, zx);
    select_where(b, gt, one, t)
}
pub fn relu(b: &mut FunctionBuilder, x: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    let z = splat_const(b, ty, 0.0);
    let le = b.ins().fcmp(FloatCC::LessThanOrEqual, x, z);
    select_where(b, le, z, x)
}
macro_rules! todo_fn { ($($n:ident),*) => { $(pub fn $n(_b: &mut FunctionBuilder, _o: &MathOptions, _x: Value) -> Value { unreachable!(concat!("vmath::", stringify!($n), " is rejected by Kernel::compile")) })* } }
todo_fn!(exp, log, log1p, expm1, tanh, sigmoid, softplus, cosh, sinh);
