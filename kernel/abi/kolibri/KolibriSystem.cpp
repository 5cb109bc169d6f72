// KolibriOS functions 18, 29, 34, 54 and 72 (sysfuncs.txt). Threads
// are named by slot or identifier as KolibriSlots.h describes. Functions
// that touch windows take the GUI lock first and disable interrupts only
// inside it (gui/KernelGui.h); every user pointer goes through
// copy_to_program/copy_from_program (copy_to_user/copy_from_user that also
// refuse null, KolibriSystem.h).
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriSystem.h"

#include "kernel/abi/kolibri/Clipboard.h"
#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriSlots.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/arch/i386/Power.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Rtc.h"
#include "kernel/fs/Vfs.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;
// Exit status of a thread or process ended by 18.2/18.18 (as the shell's
// kill: 128 + SIGKILL).
constexpr int killed_status = 128 + 9;

u8 to_bcd(u32 value) { return u8(((value / 10 % 10) << 4) | (value % 10)); }

// --- Threads and their windows ------------------------------------------------------

// The window of a thread (null: none). Under the GUI lock; the window
// stays valid while it is held (only the GUI thread destroys windows, and
// only under the lock).
gui::Window* window_of_thread_locked(u32 thread_id)
{
    arch::InterruptDisabler disabler;
    task::Thread* thread = find_visible_thread_locked(thread_id);
    if (!thread || !thread->process || !thread->process->kolibri())
        return nullptr;
    for (GuiThread* gui = thread->process->kolibri()->gui_threads; gui; gui = gui->next) {
        if (gui->thread_id == thread_id)
            return gui->window;
    }
    return nullptr;
}

// A thread ended from outside while its process goes on: its event state
// goes and its window is handed to the GUI thread for removal, as
// gui_thread_exiting does for a thread that ends itself. Interrupts off;
// true when a window was detached.
bool forget_gui_thread_locked(task::KolibriState& state, u32 thread_id)
{
    GuiThread** link = &state.gui_threads;
    while (*link && (*link)->thread_id != thread_id)
        link = &(*link)->next;
    GuiThread* thread = *link;
    if (!thread)
        return false;
    *link = thread->next;
    bool had_window = thread->window != nullptr;
    if (had_window)
        thread->window->set_client(nullptr);
    delete thread;
    return had_window;
}

// The calling thread ends (18.2/18.18 naming itself), like function -1.
[[noreturn]] void terminate_self()
{
    task::Process* process = task::current_process();
    if (process->thread_count() <= 1)
        process->terminate(killed_status);
    gui_thread_exiting();
    process->remove_thread(task::current_thread());
    task::exit_current_thread(killed_status);
}

enum class Termination : u8 { Done, NotFound, Refused };

// Ends the thread with this identifier; the whole process when it is its
// last thread. System threads (slot 1, kernel threads) are refused.
Termination terminate_thread(u32 thread_id)
{
    task::Thread* self = task::current_thread();
    bool detached_window = false;
    {
        arch::InterruptDisabler disabler;
        task::Thread* target = find_visible_thread_locked(thread_id);
        if (!target)
            return Termination::NotFound;
        task::Process* process = target->process;
        if (!process)
            return Termination::Refused;
        if (target != self) {
            kernel::log_info("thread %u of process %u (%s) terminated by %s", target->id, process->pid(),
                process->name(), task::current_process()->name());
            if (process->thread_count() <= 1) {
                process->terminate(killed_status);
                return Termination::Done;
            }
            if (process->kolibri())
                detached_window = forget_gui_thread_locked(*process->kolibri(), target->id);
            task::kill_thread(target);
            process->remove_thread(target);
        }
    }
    if (thread_id == self->id)
        terminate_self();
    if (detached_window)
        gui::wake_gui_thread();
    return Termination::Done;
}

bool is_special_program(u32 thread_id)
{
    // 18.23 leaves the windows of programs whose name starts with '@'.
    arch::InterruptDisabler disabler;
    task::Thread* thread = find_visible_thread_locked(thread_id);
    return thread && thread->process && thread->process->name()[0] == '@';
}

// 18.3: the window of the thread in `slot` becomes active (and is restored
// when minimized).
void activate_slot(u32 slot)
{
    u32 thread_id = thread_in_slot(slot);
    if (!thread_id || !gui::gui_available())
        return;
    gui::GuiLock lock;
    if (gui::Window* window = window_of_thread_locked(thread_id))
        gui::window_manager().activate(*window);
}

// 18.1: the window of the thread in `slot` stops being active: the
// topmost other window that is not minimized is activated (the window
// manager has no "send to the bottom"; KolibriOS would move it there).
void deactivate_slot(u32 slot)
{
    u32 thread_id = thread_in_slot(slot);
    if (!thread_id || !gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    gui::Window* window = window_of_thread_locked(thread_id);
    if (!window || wm.active() != window)
        return;
    for (size_t i = wm.window_count(); i-- > 0;) {
        gui::Window& other = wm.window_at_depth(i);
        if (&other != window && other.layer() == gui::WindowLayer::Normal && !other.is_minimized()) {
            wm.activate(other);
            return;
        }
    }
}

// 18.7: the slot of the active window's thread (1 when no program window
// is active: the desktop).
u32 active_slot()
{
    u32 owner = 0;
    if (gui::gui_available()) {
        gui::GuiLock lock;
        if (gui::Window* active = gui::window_manager().active())
            owner = active->owner();
    }
    u32 slot = slot_of_window_owner(owner);
    return slot ? slot : idle_slot;
}

// 18.10: the topmost window is minimized, whoever calls: sysfn_minimize
// sets window_minimize and window_check_events (gui/window.inc) then
// minimizes WIN_POS[thread_count]. Here the topmost program window is
// the active one.
void minimize_top_window()
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    if (gui::Window* active = wm.active())
        wm.minimize(*active);
}

// 18.25 (sysfn_zmodif): ECX = 1 get, 2 set the window's z-order level
// (ESI's low byte, signed: -2 desktop, -1 always below, 0 normal, 1
// always on top), EDX = a slot, or -1 for the caller. EAX = 0 for a slot
// above the table, slot 1, a slot without a window (WSTATE_USED clear),
// another ECX or a level above 1; else get answers the level (as a
// zero-extended byte) and set answers 1. Colibri's window manager has no
// levels for program windows: every one is normal, so get answers 0, set
// to normal answers 1, and set to another level is refused with
// sysfn_zmodif's failure value 0.
void window_z_order(TrapFrame& frame)
{
    u32 slot = frame.edx == error_value ? slot_of_thread(task::current_thread()->id) : frame.edx;
    u32 thread_id = slot > max_slot || slot == idle_slot ? 0 : thread_in_slot(slot);
    bool has_window = false;
    if (thread_id && gui::gui_available()) {
        gui::GuiLock lock;
        has_window = window_of_thread_locked(thread_id) != nullptr;
    }
    frame.eax = 0;
    if (!has_window || frame.ecx != 2)
        return;
    i8 level = i8(frame.esi & 0xFF);
    if (level == 0)
        frame.eax = 1; // normal: what the window is already
    else if (level < 0 || level == 1)
        log_unimplemented(frame); // another level: not supported yet
}

// 18.22: ECX bit 0: EDX is an identifier (else a slot), bit 1: restore
// (else minimize); the other bits are not looked at. EAX = -1 for slot 0,
// a slot above 255 or an unknown identifier, else 0, also for a free slot
// or a thread without a window (sysfn_min_rest_window). Restoring also
// activates the window (the window manager restores only that way).
void foreign_window(TrapFrame& frame)
{
    u32 operation = frame.ecx & 3;
    u32 thread_id = 0;
    if (operation == 0 || operation == 2) {
        if (frame.edx == 0 || frame.edx > max_slot) {
            frame.eax = error_value;
            return;
        }
        thread_id = thread_in_slot(frame.edx);
    } else {
        thread_id = slot_of_thread(frame.edx) ? frame.edx : 0;
        if (!thread_id) {
            frame.eax = error_value;
            return;
        }
    }
    frame.eax = 0;
    if (!thread_id)
        return;
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::Window* window = window_of_thread_locked(thread_id);
    if (!window)
        return;
    if (operation <= 1)
        gui::window_manager().minimize(*window);
    else if (window->is_minimized())
        gui::window_manager().activate(*window);
}

// 18.23: minimizes every program window; EAX = how many were not
// minimized yet.
u32 minimize_all()
{
    if (!gui::gui_available())
        return 0;
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    u32 count = 0;
    for (size_t i = 0; i < wm.window_count(); ++i) {
        gui::Window& window = wm.window_at_depth(i);
        if (window.layer() != gui::WindowLayer::Normal || window.is_minimized() || is_special_program(window.owner()))
            continue;
        wm.minimize(window);
        ++count;
    }
    return count;
}

// --- Machine information --------------------------------------------------------------

// 18.9: ECX = 2 power off, 3 reboot, 4 restart the kernel (a reboot here).
// Any other value changes nothing, not even EAX.
void shutdown(TrapFrame& frame)
{
    if (frame.ecx < 2 || frame.ecx > 4)
        return;
    const char* name = task::current_process()->name();
    // The disk caches go back to the disks first, as on any shutdown.
    auto synced = fs::sync();
    if (synced.is_error())
        kernel::log_warning("shutdown: writing the disk caches back failed: %s", synced.error().name());
    if (frame.ecx == 2) {
        kernel::log_info("%s turns the computer off (function 18.9)", name);
        arch::power_off(0);
    }
    kernel::log_info("%s restarts the computer (function 18.9.%u)", name, frame.ecx);
    arch::reboot();
}

// 18.8: ECX = 1 get (0 sound on, 1 off), 2 toggle. There is no speaker
// driver; the setting is kept for programs that show it. Any other ECX
// changes nothing, not even EAX (sysfn_sound_flag in kernel.asm).
void speaker(TrapFrame& frame)
{
    static bool s_disabled = false;
    if (frame.ecx == 1)
        frame.eax = s_disabled ? 1 : 0;
    else if (frame.ecx == 2)
        s_disabled = !s_disabled;
}

// 18.11: ECX = 1, the short disk table (16 bytes) at EDX. No floppy or IDE
// drivers yet: every entry says "no device". Another ECX does nothing and
// leaves EAX (sysfn_getdiskinfo).
void disk_info(TrapFrame& frame)
{
    if (frame.ecx != 1)
        return;
    u8 table[16] {};
    (void)copy_to_program(frame.edx, table, sizeof(table));
}

// 18.13: the 16-byte kernel_version structure (const.inc) at ECX, as
// sysfn_getversion copies version_inf: the release bytes 0, 7, 7, 0 (the
// KolibriOS release whose ABI this personality follows), a debug tag byte
// (0), ABI minor byte 0 and ABI major word 0x28 (programs check these),
// a commit id dword, a reserved word and a commit offset word (all 0).
// EAX = -1 when the buffer is not the program's; else EAX is left.
void kernel_version(TrapFrame& frame)
{
    u8 version[16] {};
    version[1] = 7;
    version[2] = 7;
    version[6] = 0x28; // abimaj, low byte (API-NOTES §7.2)
    if (copy_to_program(frame.ecx, version, sizeof(version)).is_error())
        frame.eax = error_value;
}

// 18.20: memory information (36 bytes at ECX); EAX = all RAM in pages or
// -1. The kernel heap's free-block counts are not tracked: 0.
void ram_info(TrapFrame& frame)
{
    kernel::MemoryStatistics memory = kernel::memory_statistics();
    u32 faults = task::retired_faults().total;
    {
        arch::InterruptDisabler disabler;
        for (task::Process* process = task::Process::first(); process; process = process->next_in_list()) {
            if (process->state() == task::ProcessState::Alive)
                faults += process->address_space().statistics().total;
        }
    }
    // sysfn_meminfo (KolibriOS core/memory.inc) stores seven dwords (+0 to
    // +24) and answers the total in bytes: the page count shifted by 12.
    u32 info[7] = {
        u32(memory.total_frames),
        u32(memory.free_frames),
        faults,
        u32(memory.heap_arena_bytes),
        u32(memory.heap_arena_bytes - memory.heap_bytes_in_use),
        u32(memory.heap_live_allocations),
        0,
    };
    frame.eax = copy_to_program(frame.ecx, info, sizeof(info)).is_error() ? error_value : info[0] << 12;
}

// --- The mouse (18.15, 18.19) ------------------------------------------------------------

struct MouseSettings {
    u32 speed { 4 };          // the reference's recommended divider
    u32 sensitivity { 3 };    // its recommended acceleration
    u32 double_click { 64 };  // hundredths of a second (mousedrv.inc)
};
MouseSettings s_mouse;

void set_pointer(gui::Point position, bool keep_buttons, u32 buttons)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    wm.pointer_set(position, keep_buttons ? wm.pointer_buttons() : buttons);
    gui::request_flush();
}

// 18.15: the pointer to the middle of the screen.
void center_pointer()
{
    if (!gui::gui_available())
        return;
    gui::Rect screen;
    {
        gui::GuiLock lock;
        screen = gui::window_manager().screen_rect();
    }
    set_pointer({ screen.width / 2, screen.height / 2 }, true, 0);
}

// 18.19: ECX = 0/1 get/set speed (EDX), 2/3 get/set sensitivity, 4 put
// the pointer at EDX = x << 16 | y, 5 set the buttons held (EDX, as 37.2),
// 6/7 get/set the double-click delay (DL). Speed and sensitivity are kept
// but do not change how the PS/2 mouse moves the pointer.
void mouse_settings(TrapFrame& frame)
{
    switch (frame.ecx) {
    case 0:
        frame.eax = s_mouse.speed;
        return;
    case 1: // a word (mouse_speed_factor)
        s_mouse.speed = frame.edx & 0xFFFF;
        return;
    case 2:
        frame.eax = s_mouse.sensitivity;
        return;
    case 3: // a byte (mouse_delay)
        s_mouse.sensitivity = frame.edx & 0xFF;
        return;
    case 4: {
        // A position off the screen is ignored (.set_pointer_position).
        gui::Point at { i32(frame.edx >> 16), i32(frame.edx & 0xFFFF) };
        if (gui::gui_available()) {
            gui::Rect screen;
            {
                gui::GuiLock lock;
                screen = gui::window_manager().screen_rect();
            }
            if (at.x < screen.width && at.y < screen.height)
                set_pointer(at, true, 0);
        }
        return;
    }
    case 5:
        if (gui::gui_available()) {
            gui::Point at;
            {
                gui::GuiLock lock;
                at = gui::window_manager().pointer();
            }
            set_pointer(at, false, frame.edx & 0x1F);
        }
        return;
    case 6:
        frame.eax = s_mouse.double_click;
        return;
    case 7:
        s_mouse.double_click = frame.edx & 0xFF;
        return;
    default:
        return; // ECX >= 8: nothing, EAX left (sysfn_mouse_acceleration)
    }
}

// --- The clipboard (54) ------------------------------------------------------------------

// Created on first use (a static object with a destructor would need
// atexit); every use with interrupts disabled, user copies outside.
Clipboard* s_clipboard;

Clipboard* clipboard_locked()
{
    if (!s_clipboard)
        s_clipboard = new (lib::nothrow) Clipboard;
    return s_clipboard;
}

void release_locked(ClipData* data)
{
    arch::InterruptDisabler disabler;
    data->release();
}

// 54.1: slot ECX into a new block of the program's heap (68.11 first):
// EAX = its address, 1 for no such slot, 0 when no block could be had.
// sys_clipboard (core/clipboard.inc) answers user_alloc's 0 there, after
// copying the slot to address 0 over the program's own image; Colibri
// copies nothing, on purpose.
u32 read_clip(u32 index)
{
    constexpr u32 failure = 1;
    ClipData* data;
    {
        arch::InterruptDisabler disabler;
        Clipboard* clipboard = clipboard_locked();
        data = clipboard ? clipboard->acquire(index) : nullptr;
    }
    if (!data)
        return failure;
    u32 size = u32(data->size());
    u32 block = allocate_heap_block(size ? size : 1);
    if (block && task::copy_to_user(block, data->bytes(), size).is_error()) {
        (void)free_heap_block(block);
        block = 0;
    }
    release_locked(data);
    return block;
}

// 54.2: ECX bytes at EDX become a new last slot: EAX = 0, 1 on failure,
// -1 when the bytes are not the program's (is_region_userspace in
// sys_clipboard, core/clipboard.inc).
u32 write_clip(u32 size, u32 address)
{
    constexpr u32 failure = 1;
    if (size != 0 && !task::is_user_range(address, size))
        return error_value;
    if (size == 0 || address == 0)
        return failure;
    {
        arch::InterruptDisabler disabler;
        Clipboard* clipboard = clipboard_locked();
        if (!clipboard || clipboard->can_append(size).is_error())
            return failure;
    }
    ClipData* data = ClipData::create(size);
    if (!data)
        return failure;
    if (copy_from_program(data->bytes(), address, size).is_error()) {
        release_locked(data);
        return failure;
    }
    arch::InterruptDisabler disabler;
    if (clipboard_locked()->append(data).is_error()) {
        data->release();
        return failure;
    }
    return 0;
}

} // namespace

ErrorOr<void> copy_to_program(u32 address, const void* source, size_t length)
{
    if (address == 0)
        return Error(ErrorCode::InvalidArgument, "null buffer");
    return task::copy_to_user(address, source, length);
}

ErrorOr<void> copy_from_program(void* destination, u32 address, size_t length)
{
    if (address == 0)
        return Error(ErrorCode::InvalidArgument, "null buffer");
    return task::copy_from_user(destination, address, length);
}

// 18: system functions.
void sys_system(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 1: // deactivate the window of a slot
        deactivate_slot(frame.ecx);
        return;
    case 2: // terminate the thread of a slot
        (void)terminate_thread(thread_in_slot(frame.ecx));
        return;
    case 3: // activate the window of a slot
        activate_slot(frame.ecx);
        return;
    case 4: // idle time units per second
        frame.eax = idle_units_per_second();
        return;
    case 5: // CPU clock in Hz (modulo 2^32)
        frame.eax = u32(arch::clock::tsc_hz());
        return;
    case 7: // slot of the active window
        frame.eax = active_slot();
        return;
    case 8:
        speaker(frame);
        return;
    case 9:
        shutdown(frame);
        return;
    case 10: // minimize the topmost window
        minimize_top_window();
        return;
    case 11:
        disk_info(frame);
        return;
    case 13:
        kernel_version(frame);
        return;
    case 14: // wait for the vertical retrace: nothing to wait for
        frame.eax = 0;
        return;
    case 15:
        center_pointer();
        frame.eax = 0;
        return;
    case 16: // free RAM in KiB
        frame.eax = u32(kernel::frame_allocator().free_frames() * (mm::page_size / 1024));
        return;
    case 17: // all RAM in KiB
        frame.eax = u32(kernel::frame_allocator().total_frames() * (mm::page_size / 1024));
        return;
    case 18: // terminate by identifier: 0 when the identifier exists (even
        // for a system thread, which stays), -1 when not (sysfn_terminate2)
        frame.eax = terminate_thread(frame.ecx) == Termination::NotFound ? error_value : 0;
        return;
    case 19:
        mouse_settings(frame);
        return;
    case 20:
        ram_info(frame);
        return;
    case 21: // slot of an identifier (0: none)
        frame.eax = slot_of_thread(frame.ecx);
        return;
    case 22:
        foreign_window(frame);
        return;
    case 23:
        frame.eax = minimize_all();
        return;
    case 12: // removed in KolibriOS: undefined_syscall
        frame.eax = error_value;
        return;
    case 25:
        window_z_order(frame);
        return;
    case 6:  // save the ramdisk image
    case 24: // set the screen size
        log_unimplemented(frame);
        return;
    default:
        // sys_system: an unknown subfunction returns with EAX unchanged.
        return;
    }
}

// 29: the date as BCD 0x00DDMMYY.
void sys_date(TrapFrame& frame)
{
    auto now = drivers::rtc::read();
    frame.eax = u32(to_bcd(now.day)) << 16 | u32(to_bcd(now.month)) << 8 | to_bcd(now.year % 100);
}

// 34: EAX = the slot of the window that owns screen pixel (EBX, ECX); 1
// for the desktop and the kernel's windows; 0 off the screen.
void sys_pixel_owner(TrapFrame& frame)
{
    if (!gui::gui_available()) {
        frame.eax = 0;
        return;
    }
    i32 x = i32(frame.ebx), y = i32(frame.ecx);
    u32 owner = 0;
    {
        gui::GuiLock lock;
        gui::WindowManager& wm = gui::window_manager();
        if (!wm.screen_rect().contains(x, y)) {
            frame.eax = 0;
            return;
        }
        if (gui::Window* window = wm.window_at({ x, y }))
            owner = window->owner();
    }
    frame.eax = slot_of_window_owner(owner);
}

// 54: the clipboard. 0 slot count, 1 read, 2 write, 3 delete the last
// slot, 4 reset the write lock: sys_clipboard answers 1 when it was not
// locked, which ours never is (writes take it only inside the call).
// Other subfunctions return with EAX unchanged.
void sys_clipboard(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 0: {
        arch::InterruptDisabler disabler;
        Clipboard* clipboard = clipboard_locked();
        frame.eax = clipboard ? u32(clipboard->slot_count()) : error_value;
        return;
    }
    case 1:
        frame.eax = read_clip(frame.ecx);
        return;
    case 2:
        frame.eax = write_clip(frame.ecx, frame.edx);
        return;
    case 3: {
        arch::InterruptDisabler disabler;
        Clipboard* clipboard = clipboard_locked();
        frame.eax = clipboard && clipboard->remove_last() ? 0 : 1;
        return;
    }
    case 4:
        frame.eax = 1;
        return;
    default:
        log_unimplemented(frame);
    }
}

// 72.1: ECX = 2 a key (EDX = its code) or 3 a button (EDX = its id) for
// the active window's thread. Another EBX or ECX returns with EAX
// unchanged. The answer is what sys_sendwindowmsg (gui/event.inc)
// computes, not what sysfuncs.txt documents (0 sent, 1 full): it sets AL
// with `setae` from the carry flag its last arithmetic left, which is
// clear on every path but one, so a key always answers AL = 1, and a
// button answers 1 except when it was taken and bit 24 of EDX (the bit
// `shl edx, 8` shifts out last) is set, then 0. The upper bytes of EAX
// stay. The key buffer holds 120 keys and the button buffer one button,
// as there; a message that finds no active window or a full buffer is
// dropped. (KolibriOS has one global buffer that the active window reads;
// ours are per thread.)
void sys_send_message(TrapFrame& frame)
{
    if (frame.ebx != 1 || (frame.ecx != EventKey && frame.ecx != EventButton)) {
        log_unimplemented(frame);
        return;
    }
    bool button_full = false;
    if (gui::gui_available()) {
        gui::GuiLock lock;
        gui::Window* active = gui::window_manager().active();
        arch::InterruptDisabler disabler;
        auto* thread = active ? static_cast<GuiThread*>(active->client()) : nullptr;
        if (thread && frame.ecx == EventKey) {
            (void)push_key(*thread, (frame.edx & 0xFF) << 8); // dropped when full, as there
        } else if (thread) {
            button_full = thread->button_count >= GuiThread::button_capacity;
            if (!button_full) {
                thread->buttons[0] = (frame.edx & 0xFFFFFF) << 8;
                thread->button_head = 0;
                thread->button_count = 1;
                thread->set_pending(EventButton, true);
            }
        }
    }
    u32 al = 1;
    if (frame.ecx == EventButton && !button_full && (frame.edx & (1u << 24)))
        al = 0;
    frame.eax = (frame.eax & ~0xFFu) | al;
}

} // namespace kolibri
