#include "kernel/arch/i386/Fpu.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/mm/KernelMemory.h"

namespace arch::fpu {

namespace {

// CR0 and CR4 bits (SDM vol. 3A, 2.5).
constexpr u32 cr0_mp = 1u << 1;  // WAIT/FWAIT honour TS too
constexpr u32 cr0_em = 1u << 2;  // no x87: every x87/SSE instruction is #NM (or #UD)
constexpr u32 cr0_ts = 1u << 3;  // set on a switch: the next x87/SSE instruction is #NM
constexpr u32 cr0_ne = 1u << 5;  // x87 errors as #MF, not through the PIC's IRQ 13
constexpr u32 cr4_osfxsr = 1u << 9;      // FXSAVE/FXRSTOR cover SSE; SSE instructions allowed
constexpr u32 cr4_osxmmexcpt = 1u << 10; // unmasked SSE exceptions are #XM, not #UD

// CPUID leaf 1 EDX bits (SDM vol. 2A, CPUID, table 3-11).
constexpr u32 cpuid_fpu = 1u << 0;
constexpr u32 cpuid_fxsr = 1u << 24;
constexpr u32 cpuid_sse = 1u << 25;
constexpr u32 cpuid_sse2 = 1u << 26;

bool s_enabled;
bool s_sse2;
Policy s_policy = Policy::Lazy;
State s_initial;
// The state whose registers the CPU holds (null: none of any thread), and
// the state of the thread running now (null: a kernel thread). In the lazy
// policy CR0.TS is clear exactly when both are the same non-null state.
State* s_owner;
State* s_current;
Statistics s_statistics;

u32 read_cr0_bits() { return read_cr0(); }
void write_cr0(u32 value) { asm volatile("mov %0, %%cr0" ::"r"(value) : "memory"); }
void write_cr4(u32 value) { asm volatile("mov %0, %%cr4" ::"r"(value) : "memory"); }
void clear_task_switched() { asm volatile("clts" ::: "memory"); }
void set_task_switched() { write_cr0(read_cr0_bits() | cr0_ts); }

void fxsave(State* state) { asm volatile("fxsave %0" : "=m"(*state)::"memory"); }
void fxrstor(const State* state) { asm volatile("fxrstor %0" ::"m"(*state) : "memory"); }

void cpuid(u32 leaf, u32& eax, u32& ebx, u32& ecx, u32& edx)
{
    asm volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(leaf), "c"(0));
}

// Makes `state` the one in the CPU: saves the current owner's registers
// first. TS must be clear. Interrupts off.
void load(State* state)
{
    if (s_owner == state)
        return;
    if (s_owner) {
        fxsave(s_owner);
        ++s_statistics.saves;
    }
    fxrstor(state);
    ++s_statistics.loads;
    s_owner = state;
}

} // namespace

bool enabled() { return s_enabled; }
Policy policy() { return s_policy; }
const char* policy_name() { return s_policy == Policy::Lazy ? "lazy" : "eager"; }
bool has_sse2() { return s_sse2; }
Statistics statistics()
{
    InterruptDisabler disabler;
    return s_statistics;
}

void initialize(Policy policy)
{
    s_policy = policy;
    u32 eax, ebx, ecx, edx;
    cpuid(0, eax, ebx, ecx, edx);
    u32 features = 0;
    if (eax >= 1)
        cpuid(1, eax, ebx, ecx, features);
    u32 needed = cpuid_fpu | cpuid_fxsr | cpuid_sse;
    if ((features & needed) != needed) {
        // No FXSAVE or no SSE (before the Pentium III): keep the unit off.
        write_cr0((read_cr0_bits() | cr0_em | cr0_ts) & ~cr0_mp);
        kernel::log_warning("fpu: the CPU lacks %s; x87/SSE instructions will end the programs that use them",
            !(features & cpuid_fpu) ? "an FPU" : !(features & cpuid_fxsr) ? "FXSAVE" : "SSE");
        return;
    }
    s_sse2 = features & cpuid_sse2;
    // SDM vol. 3A, 13.1.3 and 9.2: MP and NE set, EM clear, then OSFXSR and
    // OSXMMEXCPT. (KolibriOS init_sse clears MP; with MP set a WAIT after a
    // switch also reaches the #NM handler, which is what lazy switching needs.)
    write_cr0((read_cr0_bits() | cr0_mp | cr0_ne) & ~(cr0_em | cr0_ts));
    write_cr4(read_cr4() | cr4_osfxsr | cr4_osxmmexcpt);

    // The initial state, taken from the CPU as init_fpu in KolibriOS
    // core/fpu.inc builds fpu_data: FNINIT, MXCSR reset value, zeroed XMM.
    u32 mxcsr = initial_mxcsr;
    asm volatile("fninit\n\t"
                 "ldmxcsr %0\n\t"
                 "xorps %%xmm0, %%xmm0\n\t"
                 "xorps %%xmm1, %%xmm1\n\t"
                 "xorps %%xmm2, %%xmm2\n\t"
                 "xorps %%xmm3, %%xmm3\n\t"
                 "xorps %%xmm4, %%xmm4\n\t"
                 "xorps %%xmm5, %%xmm5\n\t"
                 "xorps %%xmm6, %%xmm6\n\t"
                 "xorps %%xmm7, %%xmm7" ::"m"(mxcsr) : "memory");
    fxsave(&s_initial);
    s_enabled = true;
    if (s_policy == Policy::Lazy)
        set_task_switched(); // nobody owns the registers yet
    kernel::log_info("fpu: x87 and SSE%s enabled, FXSAVE areas per thread, %s switching",
        s_sse2 ? "/SSE2" : "", policy_name());
}

State* allocate_initial_state()
{
    auto state = static_cast<State*>(kernel::kmalloc(sizeof(State)));
    if (state)
        __builtin_memcpy(state, &s_initial, sizeof(State));
    return state;
}

void free_state(State* state)
{
    if (!state)
        return;
    {
        InterruptDisabler disabler;
        if (s_owner == state)
            s_owner = nullptr;
        if (s_current == state)
            s_current = nullptr;
    }
    kernel::kfree(state);
}

void switch_to(State* next)
{
    s_current = next;
    if (!s_enabled)
        return;
    if (s_policy == Policy::Eager) {
        // Kernel threads (null) leave the owner's registers where they are:
        // a switch user -> kernel -> same user copies nothing.
        if (next)
            load(next);
        return;
    }
    if (next && next == s_owner)
        clear_task_switched();
    else
        set_task_switched();
}

bool handle_device_not_available()
{
    if (!s_enabled || !s_current)
        return false; // no unit, or a kernel thread: the caller reports it
    clear_task_switched();
    load(s_current);
    ++s_statistics.device_not_available_traps;
    return true;
}

void copy_current(const State* current, State* destination)
{
    InterruptDisabler disabler;
    if (s_enabled && s_owner == current) {
        // The live registers are newer than the saved area. FXSAVE needs TS
        // clear; it is clear while the running thread owns the registers.
        fxsave(destination);
        return;
    }
    __builtin_memcpy(destination, current, sizeof(State));
}

void reset_current(State* current)
{
    InterruptDisabler disabler;
    __builtin_memcpy(current, &s_initial, sizeof(State));
    if (s_enabled && s_owner == current)
        fxrstor(current); // TS is clear while the running thread owns them
}

ExceptionStatus read_exception_status()
{
    ExceptionStatus status { 0, 0, 0 };
    if (!s_enabled)
        return status;
    InterruptDisabler disabler;
    if (s_current && s_owner == s_current) {
        // Non-waiting forms: a pending x87 exception must not fire here.
        asm volatile("fnstsw %0\n\tfnstcw %1\n\tstmxcsr %2"
                     : "=m"(status.fsw), "=m"(status.fcw), "=m"(status.mxcsr)::"memory");
    } else if (s_current) {
        __builtin_memcpy(&status.fcw, s_current->bytes + fcw_offset, 2);
        __builtin_memcpy(&status.fsw, s_current->bytes + fsw_offset, 2);
        __builtin_memcpy(&status.mxcsr, s_current->bytes + mxcsr_offset, 4);
    }
    return status;
}

} // namespace arch::fpu
