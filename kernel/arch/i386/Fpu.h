// The x87/MMX/SSE register state of user threads (Intel SDM vol. 3A, 13
// "System programming for instruction set extensions and processor extended
// states"). Each user thread owns a 512-byte FXSAVE area; the CPU holds at
// most one thread's registers at a time, the "owner".
//
// Two policies, chosen on the kernel command line (fpu=lazy or fpu=eager):
//
// * lazy (the default): a switch sets CR0.TS unless the incoming thread
//   owns the registers; its first x87/SSE instruction then raises #NM
//   (vector 7), whose handler saves the owner's registers and loads the
//   thread's. A thread that never computes in floating point costs nothing
//   per switch; one that does pays a trap plus FXSAVE/FXRSTOR once per
//   slice. KolibriOS does the same (change_task in core/sched.inc sets
//   CR0.TS when fpu_owner changes, except_7 in core/fpu.inc swaps).
// * eager: a switch to a user thread that does not own the registers saves
//   the owner's and loads its own at once, with TS never set. No trap, but
//   every switch between two user threads pays FXSAVE+FXRSTOR.
//
// Why lazy is the default: `./colibri bench` under QEMU (thread_switch_ns
// and thread_switch_fpu_ns, docs/fpu.md) measured eager at about 0.7-1.2 us
// more on every switch between user threads, FPU or not, and lazy at about
// 0.4-0.9 us more than eager only when both threads compute in floating
// point. Most switches here are between threads that never touch the FPU
// (GUI programs waiting for events), so lazy wins. fpu=eager remains for
// FPU-heavy loads and for CPUs open to LazyFP (CVE-2018-3665).
//
// The kernel itself never executes an x87/SSE instruction (it is compiled
// with -mno-sse -mno-mmx -mno-80387) except the ones in Fpu.cpp, which clear
// TS first, so an #NM from kernel mode is a kernel bug.
#pragma once

#include "lib/Types.h"

namespace arch::fpu {

// The FXSAVE image (SDM vol. 1, table 10-2). FXSAVE/FXRSTOR need a 16-byte
// aligned operand; kmalloc guarantees that alignment.
struct alignas(16) State {
    u8 bytes[512];
};
static_assert(sizeof(State) == 512);

// Offsets in State of the fields the kernel reads.
constexpr u32 fcw_offset = 0;   // x87 control word
constexpr u32 fsw_offset = 2;   // x87 status word
constexpr u32 mxcsr_offset = 24;

// Values of a fresh thread: FNINIT's control word and the MXCSR reset
// value (all exceptions masked, round to nearest), as init_fpu/init_sse
// in KolibriOS core/fpu.inc leave the template every new thread copies.
constexpr u16 initial_fcw = 0x037F;
constexpr u32 initial_mxcsr = 0x1F80;

enum class Policy : u8 { Lazy, Eager };

// Checks CPUID for FPU, FXSR and SSE/SSE2, sets CR0 (MP, NE; EM and TS
// clear) and CR4 (OSFXSR, OSXMMEXCPT), builds the initial state and
// installs the #NM handler. Without FXSR and SSE the registers stay
// disabled (CR0.EM): any x87/SSE instruction is then an #NM that kills
// the program with a message. Logs what it found.
void initialize(Policy);
bool enabled();
Policy policy();
const char* policy_name();
// CPUID leaf 1 said so (for the log and `sysinfo`-style reports).
bool has_sse2();

// A new thread's state: a copy of the initial one. Null when out of memory.
State* allocate_initial_state();
// Forgets `state` as the owner if it is, then frees it. Not for the running
// thread's state.
void free_state(State*);
// The scheduler calls this just before switching to a thread whose state
// is `next` (null for kernel threads). Interrupts are off.
void switch_to(State* next);
// The #NM handler: loads the running user thread's registers and returns
// true, or returns false when the trap is not ours to resolve (no usable
// unit, or a kernel thread). Interrupts are off.
bool handle_device_not_available();
// Copies the running thread's current registers (saved or live) into
// `destination` (fork). Interrupts may be on.
void copy_current(const State* current, State* destination);
// Puts the running thread's registers back to the initial state (exec).
void reset_current(State* current);

// The registers that explain a #MF or #XM of the running thread, read from
// the CPU (the faulting thread owns them when it faults).
struct ExceptionStatus {
    u16 fsw, fcw;
    u32 mxcsr;
};
ExceptionStatus read_exception_status();

// Figures for the statistics and benchmark reports.
struct Statistics {
    u64 device_not_available_traps; // #NM handled (lazy loads)
    u64 loads;                      // FXRSTOR of a thread's state
    u64 saves;                      // FXSAVE of an owner's state
};
Statistics statistics();

} // namespace arch::fpu
