// The slot table (KolibriSlots.h explains the mapping) and function 9.
#include "kernel/abi/kolibri/KolibriSlots.h"

#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriPaths.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/kolibri/KolibriSystem.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;

struct Slot {
    u32 thread_id { 0 }; // 0: free (no visible thread has identifier 0)
    // CPU use: the thread's cpu_ticks at sample_tick; cpu_per_second is
    // the rate over the last completed sample period of at least a second
    // (`rated`), before that the rate since the sample start.
    u64 sample_tick { 0 };
    u64 sample_cpu { 0 };
    u64 cpu_per_second { 0 };
    bool rated { false };
};

// Index = slot number; entry 0 is unused. Interrupts off.
Slot s_slots[max_slot + 1];

bool is_visible(const task::Thread& thread)
{
    if (thread.state == task::ThreadState::Dead || thread.id == 0)
        return false;
    return !thread.process || thread.process->state() == task::ProcessState::Alive;
}

bool is_in_table_locked(u32 thread_id)
{
    for (u32 slot = 1; slot <= max_slot; ++slot) {
        if (s_slots[slot].thread_id == thread_id)
            return true;
    }
    return false;
}

void assign_locked(u32 slot, const task::Thread& thread)
{
    Slot& entry = s_slots[slot];
    entry = {};
    entry.thread_id = thread.id;
    // The first sample runs from the start of the process (of the system,
    // for kernel threads): a rate is known at once.
    entry.sample_tick = thread.process ? thread.process->start_tick() : 0;
    entry.sample_cpu = 0;
}

void update_rate_locked(Slot& entry, const task::Thread& thread, u64 now)
{
    u64 elapsed = now - entry.sample_tick;
    if (elapsed < arch::pit::tick_hz)
        return;
    u64 used = thread.cpu_ticks >= entry.sample_cpu ? thread.cpu_ticks - entry.sample_cpu : 0;
    entry.cpu_per_second = used * arch::pit::tick_hz / elapsed;
    entry.sample_tick = now;
    entry.sample_cpu = thread.cpu_ticks;
    entry.rated = true;
}

// PIT ticks of CPU per second.
u64 cpu_rate_locked(const Slot& entry, const task::Thread& thread, u64 now)
{
    if (entry.rated)
        return entry.cpu_per_second;
    u64 elapsed = now - entry.sample_tick;
    if (elapsed == 0)
        return 0;
    u64 used = thread.cpu_ticks >= entry.sample_cpu ? thread.cpu_ticks - entry.sample_cpu : 0;
    return lib::min<u64>(used * arch::pit::tick_hz / elapsed, arch::pit::tick_hz);
}

// Ticks per second to KolibriOS's unit: CPU clock cycles per second.
u32 to_cycles(u64 ticks_per_second)
{
    u64 hz = arch::clock::tsc_hz();
    if (hz == 0)
        return u32(ticks_per_second);
    return u32(lib::min<u64>(ticks_per_second * (hz / arch::pit::tick_hz), 0xFFFFFFFFull));
}

// Brings the table up to date: drops ended threads, updates CPU samples,
// gives new threads the lowest free slots in order of their identifiers.
void sync_locked()
{
    u64 now = arch::pit::ticks();
    for (u32 slot = 1; slot <= max_slot; ++slot) {
        Slot& entry = s_slots[slot];
        if (entry.thread_id == 0)
            continue;
        task::Thread* thread = find_visible_thread_locked(entry.thread_id);
        if (!thread) {
            entry = {};
            continue;
        }
        update_rate_locked(entry, *thread, now);
    }
    task::Thread* idle = task::idle_thread();
    if (idle && s_slots[idle_slot].thread_id != idle->id) {
        // Slot 1 is the idle thread's, whoever had it before.
        for (u32 slot = 1; slot <= max_slot; ++slot) {
            if (s_slots[slot].thread_id == idle->id)
                s_slots[slot] = {};
        }
        assign_locked(idle_slot, *idle);
    }

    u32 pending[max_slot];
    u32 count = 0;
    task::for_each_thread([&](task::Thread& thread) {
        if (count < max_slot && is_visible(thread) && !is_in_table_locked(thread.id))
            pending[count++] = thread.id;
    });
    if (count == 0)
        return;
    // Insertion sort: a handful of new threads at a time.
    for (u32 i = 1; i < count; ++i) {
        u32 id = pending[i];
        u32 j = i;
        for (; j > 0 && pending[j - 1] > id; --j)
            pending[j] = pending[j - 1];
        pending[j] = id;
    }
    u32 next = 0;
    for (u32 slot = idle_slot + 1; slot <= max_slot && next < count; ++slot) {
        if (s_slots[slot].thread_id != 0)
            continue;
        if (task::Thread* thread = find_visible_thread_locked(pending[next++]))
            assign_locked(slot, *thread);
    }
}

u32 highest_slot_locked()
{
    for (u32 slot = max_slot; slot > 0; --slot) {
        if (s_slots[slot].thread_id != 0)
            return slot;
    }
    return 0;
}

u32 slot_of_locked(u32 thread_id)
{
    if (thread_id == 0)
        return 0;
    for (u32 slot = 1; slot <= max_slot; ++slot) {
        if (s_slots[slot].thread_id == thread_id)
            return slot;
    }
    return 0;
}

// What function 9 reports about a slot's thread, gathered with interrupts
// off (the window part is read afterwards under the GUI lock).
struct ThreadRecord {
    u32 id { 0 };
    u16 state { 0 };
    u32 cpu { 0 };
    char name[11] {};
    u32 memory_start { 0 };
    u32 memory_last { 0 };
    u32 event_mask { default_event_mask };
    u8 keyboard_mode { 0 };
    bool is_idle { false };
};

// The name at +10, as fs_execute (core/taskman.inc) stores APPDATA.app_name:
// the file name after the last '/', converted to cp866 character by
// character, up to the first '.' and at most 11 characters, NUL-padded;
// the case is the one the program was started with. Threads (51.1) get
// their process's name, as new_sys_threads copies it.
void set_name(ThreadRecord& record, const char* name)
{
    size_t start = 0;
    size_t length = 0;
    for (; name[length]; ++length) {
        if (name[length] == '/')
            start = length + 1;
    }
    size_t stem = 0;
    while (start + stem < length && name[start + stem] != '.')
        ++stem;
    u8 encoded[sizeof(record.name) + 1];
    size_t used = encode_text(name + start, stem, encoding_cp866, encoded, sizeof(encoded));
    for (size_t i = 0; i < sizeof(record.name); ++i)
        record.name[i] = i + 1 < used ? char(encoded[i]) : '\0';
}

u16 slot_state(const task::Thread& thread)
{
    // Function 9, +50: 0 running (or ready to run), 5 waiting (for an
    // event, a delay, a lock).
    return thread.state == task::ThreadState::Blocked ? 5 : 0;
}

bool record_locked(u32 slot, ThreadRecord& record)
{
    if (slot == 0 || slot > max_slot || s_slots[slot].thread_id == 0)
        return false;
    task::Thread* thread = find_visible_thread_locked(s_slots[slot].thread_id);
    if (!thread)
        return false;
    record.id = thread->id;
    record.state = slot_state(*thread);
    record.cpu = to_cycles(cpu_rate_locked(s_slots[slot], *thread, arch::pit::ticks()));
    task::Process* process = thread->process;
    if (!process) {
        // System threads: KolibriOS reports 16 MiB at address 0, and slot 1
        // as always running.
        // KolibriOS names slot 1 "IDLE" and its kernel thread "OS"
        // (kernel.asm, after setup_os_slot).
        record.is_idle = thread == task::idle_thread();
        set_name(record, record.is_idle ? "IDLE" : "OS");
        if (record.is_idle)
            record.state = 0;
        record.memory_last = 0xFFFFFF;
        return true;
    }
    set_name(record, process->name());
    if (task::KolibriState* state = process->kolibri()) {
        // PROC.mem_used - 1: the program's memory (rounded up to pages
        // once init_heap ran), plus its heap blocks and DLLs.
        u32 used = state->heap_ready ? lib::align_up<u32>(state->memory_size, 4096) : state->memory_size;
        used += state->heap_bytes;
        record.memory_last = used ? used - 1 : 0;
        for (GuiThread* gui = state->gui_threads; gui; gui = gui->next) {
            if (gui->thread_id == thread->id) {
                record.event_mask = gui->event_mask;
                record.keyboard_mode = gui->keyboard_mode;
            }
        }
    } else {
        size_t bytes = process->address_space().resident_pages() * 4096;
        record.memory_last = bytes ? u32(lib::min<size_t>(bytes, 0xC0000000u) - 1) : 0;
    }
    return true;
}

void put16(u8* at, u32 value)
{
    at[0] = u8(value);
    at[1] = u8(value >> 8);
}

void put32(u8* at, u32 value)
{
    for (int i = 0; i < 4; ++i)
        at[i] = u8(value >> (8 * i));
}

} // namespace

task::Thread* find_visible_thread_locked(u32 thread_id)
{
    if (thread_id == 0)
        return nullptr;
    task::Thread* found = nullptr;
    task::for_each_thread([&](task::Thread& thread) {
        if (thread.id == thread_id && is_visible(thread))
            found = &thread;
    });
    return found;
}

u32 slot_of_thread(u32 thread_id)
{
    arch::InterruptDisabler disabler;
    sync_locked();
    return slot_of_locked(thread_id);
}

u32 thread_in_slot(u32 slot)
{
    if (slot == 0 || slot > max_slot)
        return 0;
    arch::InterruptDisabler disabler;
    sync_locked();
    return s_slots[slot].thread_id;
}

u32 slot_of_window_owner(u32 owner_thread_id)
{
    return owner_thread_id == 0 ? idle_slot : slot_of_thread(owner_thread_id);
}

u32 idle_units_per_second()
{
    arch::InterruptDisabler disabler;
    sync_locked();
    task::Thread* idle = task::idle_thread();
    if (!idle || s_slots[idle_slot].thread_id != idle->id)
        return 0;
    return to_cycles(cpu_rate_locked(s_slots[idle_slot], *idle, arch::pit::ticks()));
}

// 9: EBX = buffer, ECX = slot (-1: the calling thread) → EAX = the highest
// slot in use, or -1 when the 76 bytes at EBX are not the program's
// memory. As sys_cpuusage (kernel.asm) does: for a free or impossible
// slot only the word at +50 is written (9) and the rest of the buffer is
// left as it was; for a live slot everything from +0 to +75 except the
// word at +8 and the byte at +21, with the state at +50 as a dword.
void sys_thread_info(TrapFrame& frame)
{
    constexpr u32 info_size = 76;
    u32 buffer = frame.ebx;
    if (buffer == 0 || !task::is_user_range(buffer, info_size)) {
        frame.eax = error_value;
        return;
    }
    u32 slot = frame.ecx;
    ThreadRecord record;
    bool used;
    u32 highest;
    {
        arch::InterruptDisabler disabler;
        sync_locked();
        if (slot == 0xFFFFFFFF)
            slot = slot_of_locked(task::current_thread()->id);
        used = record_locked(slot, record);
        highest = highest_slot_locked();
    }

    if (!used) {
        u8 state[2];
        put16(state, 9);
        frame.eax = copy_to_program(buffer + 50, state, sizeof(state)).is_error() ? error_value : highest;
        return;
    }

    u8 info[info_size] {};
    put32(info + 0, record.cpu);
    for (size_t i = 0; i < sizeof(record.name); ++i)
        info[10 + i] = u8(record.name[i]);
    put32(info + 22, record.memory_start);
    put32(info + 26, record.memory_last);
    put32(info + 30, record.id);
    put32(info + 50, record.state);
    put32(info + 71, record.event_mask);
    info[75] = record.keyboard_mode;
    if (record.is_idle) {
        // The desktop, at the bottom of the stack (function 9, remarks).
        put16(info + 4, 1);
        put16(info + 6, 1);
    } else {
        ThreadWindowInfo window;
        if (thread_window_info(record.id, window)) {
            put16(info + 4, window.stack_position);
            put32(info + 34, u32(window.x));
            put32(info + 38, u32(window.y));
            put32(info + 42, u32(window.x_size));
            put32(info + 46, u32(window.y_size));
            put32(info + 54, u32(window.client_x));
            put32(info + 58, u32(window.client_y));
            put32(info + 62, u32(window.client_width));
            put32(info + 66, u32(window.client_height));
            // fl_wstate: bit 7 (WSTATE_USED) once function 0 made a window.
            info[70] = u8(window.state | 0x80);
        }
        // +6: the slot whose window is at stack position ECX (WIN_POS).
        u32 owner = thread_at_stack_position(slot);
        put16(info + 6, owner ? slot_of_thread(owner) : 0);
    }

    bool written = !copy_to_program(buffer, info, 8).is_error()
        && !copy_to_program(buffer + 10, info + 10, 21 - 10).is_error()
        && !copy_to_program(buffer + 22, info + 22, info_size - 22).is_error();
    frame.eax = written ? highest : error_value;
}

} // namespace kolibri
