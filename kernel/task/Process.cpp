#include "lib/New.h"
#include "kernel/task/Process.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelAddressSpace.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Scheduler.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/native/NativeAio.h"
#include "kernel/event/KernelEvents.h"
#include "kernel/ipc/KernelIpc.h"
#include "kernel/abi/native/Syscalls.h"
#include "lib/FpuExceptions.h"

namespace task {

namespace {

Process* s_processes;
u32 s_next_pid = 1;
RetiredFaults s_retired;

const char* outcome_name(mm::FaultOutcome outcome)
{
    switch (outcome) {
    case mm::FaultOutcome::Resolved: return "resolved";
    case mm::FaultOutcome::OutsideRegions: return "access outside any mapped region";
    case mm::FaultOutcome::ProtectionViolation: return "access not allowed by the region's protection";
    case mm::FaultOutcome::KernelAddress: return "user access to kernel memory";
    case mm::FaultOutcome::OutOfMemory: return "out of memory while handling the fault";
    case mm::FaultOutcome::IoError: return "I/O error reading the backing file";
    }
    return "unknown";
}

// The outcome of the last unresolved fault, for the termination message.
mm::FaultOutcome s_last_outcome = mm::FaultOutcome::Resolved;

bool on_page_fault(arch::TrapFrame& frame, u32 address)
{
    Process* process = current_process();
    if (!process)
        return false;
    if (!frame.from_user() && address >= mm::user_space_end)
        return false; // a kernel bug, not a user problem
    bool write = frame.error_code & 2;
    bool present = frame.error_code & 1;
    auto outcome = process->address_space().handle_fault(address,
        write ? mm::FaultAccess::Write : mm::FaultAccess::Read, present);
    s_last_outcome = outcome;
    return outcome == mm::FaultOutcome::Resolved;
}

void on_user_fault(arch::TrapFrame& frame, const char* description, u32 address)
{
    Process* process = current_process();
    if (!process)
        kernel::panic_with_frame(frame, "user-mode %s without a process", description);
    if (frame.vector == 14) {
        kernel::log_warning("process %u (%s) killed: page fault at eip 0x%08x: %s of address 0x%08x: %s",
            process->pid(), process->name(), frame.eip, (frame.error_code & 2) ? "write" : "read", address,
            outcome_name(s_last_outcome));
    } else if (frame.vector == 16 || frame.vector == 19) {
        // #MF / #XM: an unmasked x87 or SSE exception of the program's own
        // computation. It ends the program like any other fault (KolibriOS
        // exc_c in core/sys32.inc does the same when no handler is set);
        // the message names the exception from FSW/FCW or MXCSR.
        auto status = arch::fpu::read_exception_status();
        u8 bits = frame.vector == 16 ? lib::unmasked_x87_exceptions(status.fsw, status.fcw)
                                     : lib::unmasked_sse_exceptions(status.mxcsr);
        if (frame.vector == 16) {
            kernel::log_warning("process %u (%s) killed: %s (%s) at eip 0x%08x (fsw 0x%04x fcw 0x%04x)",
                process->pid(), process->name(), description, lib::fpu_exception_name(bits), frame.eip,
                status.fsw, status.fcw);
        } else {
            kernel::log_warning("process %u (%s) killed: %s (%s) at eip 0x%08x (mxcsr 0x%08x)", process->pid(),
                process->name(), description, lib::fpu_exception_name(bits), frame.eip, status.mxcsr);
        }
    } else {
        kernel::log_warning("process %u (%s) killed: %s at eip 0x%08x (error code 0x%x)", process->pid(),
            process->name(), description, frame.eip, frame.error_code);
    }
    bool arithmetic = frame.vector == 0 || frame.vector == 16 || frame.vector == 19;
    process->terminate(arithmetic ? native::STATUS_FPE : native::STATUS_SEGFAULT);
}

} // namespace

RetiredFaults retired_faults() { return s_retired; }

void attach_to_process(Process& process, Thread* thread)
{
    process.add_thread(thread);
}

void initialize_processes()
{
    arch::set_page_fault_hook(on_page_fault);
    arch::set_user_fault_hook(on_user_fault);
}

ErrorOr<Process*> Process::create(const char* name, Process* parent, Personality personality)
{
    auto process = new (lib::nothrow) Process;
    if (!process)
        return Error(ErrorCode::NoMemory, "process object");
    auto space = mm::create_user_address_space();
    if (space.is_error()) {
        delete process;
        return space.error();
    }
    process->m_address_space = space.value();
    process->set_name(name);
    process->m_parent = parent;
    process->m_personality = personality;
    process->m_start_tick = arch::pit::ticks();
    arch::InterruptDisabler disabler;
    process->m_pid = s_next_pid++;
    process->m_next = s_processes;
    s_processes = process;
    return process;
}

void Process::set_name(const char* name)
{
    size_t i = 0;
    for (; name && name[i] && i + 1 < sizeof(m_name); ++i)
        m_name[i] = name[i];
    m_name[i] = '\0';
    for (Thread* thread = m_threads; thread; thread = thread->process_next) {
        for (size_t j = 0; j < sizeof(m_name); ++j)
            thread->name[j] = m_name[j];
    }
}

OpenFile* Process::file(int fd) const
{
    if (fd < 0 || static_cast<size_t>(fd) >= max_open_files)
        return nullptr;
    return m_files[fd];
}

void Process::set_slot(int fd, OpenFile* file, bool close_on_exec)
{
    m_files[fd] = file;
    if (close_on_exec)
        m_close_on_exec |= 1u << fd;
    else
        m_close_on_exec &= ~(1u << fd);
}

ErrorOr<int> Process::install_file(OpenFile* file, int lowest, bool close_on_exec)
{
    arch::InterruptDisabler disabler;
    for (size_t fd = static_cast<size_t>(lowest < 0 ? 0 : lowest); fd < max_open_files; ++fd) {
        if (!m_files[fd]) {
            set_slot(static_cast<int>(fd), file, close_on_exec);
            return static_cast<int>(fd);
        }
    }
    return Error(ErrorCode::Busy, "too many open files");
}

ErrorOr<void> Process::install_file_at(int fd, OpenFile* file, bool close_on_exec)
{
    arch::InterruptDisabler disabler;
    if (fd < 0 || static_cast<size_t>(fd) >= max_open_files || m_files[fd])
        return Error(ErrorCode::InvalidArgument, "descriptor in use");
    set_slot(fd, file, close_on_exec);
    return {};
}

OpenFile* Process::replace_file(int fd, OpenFile* file)
{
    arch::InterruptDisabler disabler;
    OpenFile* old = m_files[fd];
    set_slot(fd, file, false);
    return old;
}

bool Process::close_on_exec(int fd) const
{
    return this->file(fd) && (m_close_on_exec & (1u << fd));
}

bool Process::set_close_on_exec(int fd, bool value)
{
    arch::InterruptDisabler disabler;
    if (!this->file(fd))
        return false;
    set_slot(fd, m_files[fd], value);
    return true;
}

void Process::close_files_on_exec()
{
    for (int fd = 0; fd < static_cast<int>(max_open_files); ++fd) {
        OpenFile* file;
        {
            arch::InterruptDisabler disabler;
            file = close_on_exec(fd) ? m_files[fd] : nullptr;
            if (file)
                set_slot(fd, nullptr, false);
        }
        if (file)
            release_open_file(file);
    }
}

void Process::close_file(int fd)
{
    OpenFile* file;
    {
        arch::InterruptDisabler disabler;
        file = this->file(fd);
        if (file)
            set_slot(fd, nullptr, false);
    }
    if (file)
        release_open_file(file);
}

bool Process::close_file_if(int fd, OpenFile* expected)
{
    {
        arch::InterruptDisabler disabler;
        if (!expected || this->file(fd) != expected)
            return false;
        set_slot(fd, nullptr, false);
    }
    release_open_file(expected);
    return true;
}

void Process::add_thread(Thread* thread)
{
    arch::InterruptDisabler disabler;
    thread->process_next = m_threads;
    m_threads = thread;
    ++m_thread_count;
    for (size_t j = 0; j < sizeof(m_name); ++j)
        thread->name[j] = m_name[j];
}

void Process::remove_thread(Thread* thread)
{
    arch::InterruptDisabler disabler;
    Thread** link = &m_threads;
    while (*link && *link != thread)
        link = &(*link)->process_next;
    if (*link) {
        *link = thread->process_next;
        --m_thread_count;
    }
    thread->process = nullptr;
}

void Process::release_resources()
{
    for (size_t fd = 0; fd < max_open_files; ++fd)
        close_file(static_cast<int>(fd));
    if (m_kolibri) {
        destroy_kolibri_state(m_kolibri);
        m_kolibri = nullptr;
    }
    if (arch::IoPermissionMap* ports = m_io_permissions) {
        {
            arch::InterruptDisabler disabler;
            m_io_permissions = nullptr;
            arch::forget_io_permissions(ports);
        }
        delete ports;
    }
    // Shared memory names it created go; the memory lives on in other
    // processes' mappings.
    ipc::process_exited(m_pid);
    // Its event queues and timers go; queues watching it hear HangUp.
    event::process_exited(m_pid);
    const auto& faults = m_address_space->statistics();
    s_retired.total += faults.total;
    s_retired.demand_zero += faults.demand_zero;
    s_retired.file += faults.file;
    s_retired.cow += faults.cow;
    s_retired.protection += faults.protection;
    // The address space's frames go back before the page tables do.
    m_address_space->clear();
    mm::deactivate(*m_address_space);
}

void Process::stop_other_threads()
{
    {
        arch::InterruptDisabler disabler;
        Thread* self = current_thread();
        for (Thread* thread = m_threads; thread;) {
            Thread* next = thread->process_next;
            if (thread != self) {
                kill_thread(thread);
                remove_thread(thread);
                // At once, not when the thread is reaped: the other side
                // of a pipe must see this end go with the process.
                release_held(thread);
            }
            thread = next;
        }
    }
    // Asynchronous I/O workers run in this address space too, but are asked
    // to stop rather than killed (they may hold the VFS lock); this waits.
    native::stop_async_io(*this);
}

void Process::terminate(int status)
{
    arch::InterruptDisabler disabler;
    Thread* self = current_thread();
    bool own_thread = self->process == this;
    if (m_state == ProcessState::Zombie) {
        if (own_thread)
            exit_current_thread(status);
        return;
    }
    m_exit_status = status;
    stop_other_threads();
    release_resources();
    m_state = ProcessState::Zombie;
    kernel::log_info("process %u (%s) exited with status %d", m_pid, m_name, status);

    // Orphans: children of a dying process have nobody to wait for them.
    for (Process* process = s_processes; process;) {
        Process* next = process->m_next;
        if (process->m_parent == this) {
            process->m_parent = nullptr;
            if (process->m_state == ProcessState::Zombie)
                destroy_process(process);
        }
        process = next;
    }
    if (own_thread)
        remove_thread(self);
    if (m_parent) {
        m_parent->m_child_exit.wake_all();
    } else {
        destroy_process(this);
    }
    if (own_thread)
        exit_current_thread(status);
}

ErrorOr<u32> Process::wait_for_child(int pid, int& status, bool no_hang)
{
    for (;;) {
        arch::InterruptDisabler disabler;
        bool has_child = false;
        for (Process* process = s_processes; process; process = process->m_next) {
            if (process->m_parent != this)
                continue;
            if (pid > 0 && process->m_pid != static_cast<u32>(pid))
                continue;
            has_child = true;
            if (process->m_state == ProcessState::Zombie) {
                status = process->m_exit_status;
                u32 child_pid = process->m_pid;
                destroy_process(process);
                return child_pid;
            }
        }
        if (!has_child)
            return Error(ErrorCode::NotFound, "no such child");
        if (no_hang)
            return 0u;
        m_child_exit.wait();
    }
}

void Process::unlink()
{
    Process** link = &s_processes;
    while (*link && *link != this)
        link = &(*link)->m_next;
    if (*link)
        *link = m_next;
}

void destroy_process(Process* process)
{
    arch::InterruptDisabler disabler;
    VERIFY(process->state() == ProcessState::Zombie);
    process->unlink();
    mm::destroy_user_address_space(process->m_address_space);
    delete process;
}

Process* Process::find(u32 pid)
{
    arch::InterruptDisabler disabler;
    for (Process* process = s_processes; process; process = process->m_next) {
        if (process->m_pid == pid)
            return process;
    }
    return nullptr;
}

Process* Process::first() { return s_processes; }

u32 Process::count()
{
    u32 count = 0;
    for (Process* process = s_processes; process; process = process->m_next)
        ++count;
    return count;
}

} // namespace task
