#include "lib/New.h"
#include "kernel/task/Thread.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/fs/Vfs.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Scheduler.h"
#include "lib/String.h"

extern "C" void interrupt_return();
extern "C" void kernel_thread_trampoline();

namespace task {

namespace {

u32 s_next_thread_id = 1;

// Registers switch_context pops before its `ret`, lowest address first.
struct SwitchFrame {
    u32 edi, esi, ebx, ebp;
    u32 return_address;
};

ErrorOr<Thread*> allocate_thread(const char* name, u8 priority)
{
    auto thread = new (lib::nothrow) Thread;
    if (!thread)
        return Error(ErrorCode::NoMemory, "thread object");
    auto stack = kernel::frame_allocator().allocate_contiguous(kernel_stack_size / mm::page_size);
    if (stack.is_error()) {
        delete thread;
        return stack.error();
    }
    thread->kernel_stack = arch::physical_to_virtual<u8>(stack.value());
    thread->id = s_next_thread_id++;
    thread->priority = priority < priority_count ? priority : priority_normal;
    size_t i = 0;
    for (; name && name[i] && i + 1 < sizeof(thread->name); ++i)
        thread->name[i] = name[i];
    thread->name[i] = '\0';
    return thread;
}

} // namespace

u32 Thread::kernel_stack_top() const
{
    return reinterpret_cast<u32>(kernel_stack) + kernel_stack_size;
}

ErrorOr<Thread*> create_kernel_thread(const char* name, int (*entry)(void*), void* argument, u8 priority)
{
    Thread* thread = TRY(allocate_thread(name, priority));
    auto frame = reinterpret_cast<SwitchFrame*>(thread->kernel_stack_top() - sizeof(SwitchFrame));
    *frame = { 0, reinterpret_cast<u32>(argument), reinterpret_cast<u32>(entry), 0,
        reinterpret_cast<u32>(kernel_thread_trampoline) };
    thread->saved_esp = reinterpret_cast<u32>(frame);
    register_thread(thread);
    make_runnable(thread);
    return thread;
}

ErrorOr<Thread*> create_user_thread(Process& process, const arch::TrapFrame& user_frame, u8 priority,
    const arch::fpu::State* fpu_from, u32* id_out)
{
    Thread* thread = TRY(allocate_thread(nullptr, priority));
    // Every user thread starts with the initial FPU state (FNINIT, MXCSR
    // 0x1F80), as KolibriOS's new threads copy fpu_data (core/taskman.inc).
    thread->fpu_state = arch::fpu::allocate_initial_state();
    if (!thread->fpu_state) {
        destroy_thread(thread);
        return Error(ErrorCode::NoMemory, "FPU state");
    }
    // Before the thread can run: the copy must not race with its own use.
    if (fpu_from)
        arch::fpu::copy_current(fpu_from, thread->fpu_state);
    auto trap = reinterpret_cast<arch::TrapFrame*>(thread->kernel_stack_top() - sizeof(arch::TrapFrame));
    *trap = user_frame;
    trap->cs = arch::user_code_selector;
    trap->ds = trap->es = trap->fs = trap->gs = arch::user_data_selector;
    trap->user_ss = arch::user_data_selector;
    // Interrupts on; IOPL 0 so user code cannot touch ports; no other flags.
    trap->eflags = 0x202;
    auto frame = reinterpret_cast<SwitchFrame*>(reinterpret_cast<u32>(trap) - sizeof(SwitchFrame));
    *frame = { 0, 0, 0, 0, reinterpret_cast<u32>(interrupt_return) };
    thread->saved_esp = reinterpret_cast<u32>(frame);
    thread->process = &process;
    attach_to_process(process, thread);
    register_thread(thread);
    if (id_out)
        *id_out = thread->id;
    make_runnable(thread);
    return thread;
}

void release_held(Thread* thread)
{
    OpenFile* file;
    fs::File* vfs_file;
    u8* buffers[Thread::held_buffer_slots];
    {
        arch::InterruptDisabler disabler;
        file = thread->held_file;
        thread->held_file = nullptr;
        vfs_file = thread->held_vfs_file;
        thread->held_vfs_file = nullptr;
        // Killed in the middle of a disk request, the device may still be
        // moving data into these buffers until the next locker resets it:
        // they are given up rather than freed under it.
        bool device_may_write = thread->disk_locks > 0;
        for (u32 i = 0; i < Thread::held_buffer_slots; ++i) {
            buffers[i] = device_may_write ? nullptr : thread->held_buffers[i];
            thread->held_buffers[i] = nullptr;
        }
    }
    if (file)
        release_open_file(file);
    if (vfs_file)
        fs::release(vfs_file); // never blocks, no disk I/O
    for (u8* buffer : buffers)
        delete[] buffer;
}

CallBuffer::CallBuffer(size_t size)
    : m_bytes(new (lib::nothrow) u8[size ? size : 1])
{
    if (!m_bytes)
        return;
    arch::InterruptDisabler disabler;
    for (u8*& slot : current_thread()->held_buffers) {
        if (!slot) {
            slot = m_bytes;
            return;
        }
    }
    // Every slot taken (calls do not nest that deep): not tracked, so only
    // a kill in the middle of this call would lose it.
}

CallBuffer::~CallBuffer()
{
    if (!m_bytes)
        return;
    arch::InterruptDisabler disabler;
    for (u8*& slot : current_thread()->held_buffers) {
        if (slot == m_bytes)
            slot = nullptr;
    }
    delete[] m_bytes;
}

void destroy_thread(Thread* thread)
{
    release_held(thread);
    arch::fpu::free_state(thread->fpu_state);
    thread->fpu_state = nullptr;
    auto physical = arch::virtual_to_physical(thread->kernel_stack);
    (void)kernel::frame_allocator().free_contiguous(physical, kernel_stack_size / mm::page_size);
    delete thread;
}

} // namespace task
