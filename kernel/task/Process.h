// Processes: an address space, threads, open files, a parent and an exit
// status. Both personalities (KolibriOS and native) use this one class.
#pragma once

#include "kernel/task/Thread.h"
#include "kernel/task/WaitQueue.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace mm {
class AddressSpace;
}
namespace arch {
struct IoPermissionMap;
}

namespace task {

enum class Personality : u8 { Native, Kolibri };
enum class ProcessState : u8 { Alive, Zombie };

struct OpenFile;
struct KolibriState;

constexpr size_t max_open_files = 16;

class Process {
public:
    // A process with an empty address space and no threads.
    static ErrorOr<Process*> create(const char* name, Process* parent, Personality);

    u32 pid() const { return m_pid; }
    const char* name() const { return m_name; }
    void set_name(const char* name);
    Process* parent() const { return m_parent; }
    Personality personality() const { return m_personality; }
    void set_personality(Personality personality) { m_personality = personality; }
    ProcessState state() const { return m_state; }
    int exit_status() const { return m_exit_status; }
    mm::AddressSpace& address_space() const { return *m_address_space; }
    u32 thread_count() const { return m_thread_count; }
    Thread* threads() const { return m_threads; }

    // The descriptor table changes with interrupts off, so threads of one
    // process that open, close and dup2 at once see it whole.
    OpenFile* file(int fd) const;
    // Puts `file` at the lowest free descriptor >= `lowest` (0-2 are the
    // console's while empty, hence 3); Busy when the table is full.
    ErrorOr<int> install_file(OpenFile*, int lowest = 3, bool close_on_exec = false);
    void close_file(int fd);
    // Closes `fd` only while it still holds `file`; false otherwise.
    bool close_file_if(int fd, OpenFile* file);
    // Puts `file` at descriptor `fd` (fork copies the table this way).
    ErrorOr<void> install_file_at(int fd, OpenFile*, bool close_on_exec = false);
    // FD_CLOEXEC, a flag of the descriptor (not of the open file): every
    // change of a slot clears it unless the change says otherwise.
    bool close_on_exec(int fd) const;
    bool set_close_on_exec(int fd, bool); // false when `fd` is not open
    // After a successful exec: closes the descriptors marked close-on-exec.
    void close_files_on_exec();
    // Puts `file` at `fd` (0 <= fd < max_open_files) in one step and
    // returns what was there (the caller releases it), as dup2 needs.
    OpenFile* replace_file(int fd, OpenFile* file);

    // The ports its threads may use (null: none); the process owns the
    // map and frees it when it ends (KolibriOS function 46 makes one).
    arch::IoPermissionMap* io_permissions() const { return m_io_permissions; }
    void set_io_permissions(arch::IoPermissionMap* map) { m_io_permissions = map; }

    KolibriState* kolibri() const { return m_kolibri; }
    void set_kolibri(KolibriState* state) { m_kolibri = state; }

    // Ends the process with `status`: kills its other threads, releases its
    // memory and files, becomes a zombie for its parent's waitpid (or is
    // freed at once without a parent). When called by one of its own threads
    // that thread ends too and the call does not return.
    void terminate(int status);

    // Children: waitpid support. Returns the reaped child's pid and status,
    // NotFound when there is no matching child.
    ErrorOr<u32> wait_for_child(int pid, int& status, bool no_hang);
    WaitQueue& child_exit_queue() { return m_child_exit; }

    // Thread bookkeeping (Thread.cpp / Scheduler.cpp).
    void add_thread(Thread*);
    void remove_thread(Thread*);
    // Every thread but the calling one stops for good (exec, terminate).
    void stop_other_threads();

    u64 start_tick() const { return m_start_tick; }

    static Process* find(u32 pid);
    static Process* first();
    Process* next_in_list() const { return m_next; }
    static u32 count();

private:
    void set_slot(int fd, OpenFile*, bool close_on_exec); // interrupts off
    friend void destroy_process(Process*);
    Process() = default;
    void release_resources();
    void unlink();

    u32 m_pid { 0 };
    char m_name[32] {};
    Process* m_parent { nullptr };
    Personality m_personality { Personality::Native };
    ProcessState m_state { ProcessState::Alive };
    int m_exit_status { 0 };
    mm::AddressSpace* m_address_space { nullptr };
    Thread* m_threads { nullptr };
    u32 m_thread_count { 0 };
    OpenFile* m_files[max_open_files] {};
    u32 m_close_on_exec { 0 }; // bit fd: FD_CLOEXEC
    static_assert(max_open_files <= 32, "m_close_on_exec has a bit per descriptor");
    KolibriState* m_kolibri { nullptr };
    arch::IoPermissionMap* m_io_permissions { nullptr };
    WaitQueue m_child_exit;
    u64 m_start_tick { 0 };
    Process* m_next { nullptr };
};

// Fault counters of processes that have ended (the shell's `vm` adds the
// live ones for the global total).
struct RetiredFaults {
    u32 total, demand_zero, file, cow, protection;
};
RetiredFaults retired_faults();

// Installs the page-fault and user-fault hooks that connect the CPU's
// exceptions with address spaces and process termination.
void initialize_processes();

// Frees a reaped zombie (called by waitpid after reading the status).
void destroy_process(Process*);

} // namespace task
