// KolibriOS events: the per-thread state (functions 10, 11, 23, 40), keys
// (2, 66), buttons (17), the mouse (37) and how the window system's hooks
// feed them. See KolibriGui.h and gui/KernelGui.h for the locking rules: a
// GuiThread's fields that others change (events, buffers) and a window's
// client pointer are touched with interrupts disabled only.
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriGui.h"

#include "kernel/abi/kolibri/KolibriFiles.h"
#include "kernel/abi/kolibri/KolibriSettings.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

struct LoadedCursor {
    u32 handle { 0 };
    gui::Cursor image;
    LoadedCursor* next { nullptr };
};

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;

task::KolibriState* current_state()
{
    task::Process* process = task::current_process();
    return process ? process->kolibri() : nullptr;
}

GuiThread* find_in(task::KolibriState& state, u32 thread_id)
{
    for (GuiThread* thread = state.gui_threads; thread; thread = thread->next) {
        if (thread->thread_id == thread_id)
            return thread;
    }
    return nullptr;
}

// Every GuiThread of every KolibriOS process (interrupts disabled).
template<typename Callback>
void for_each_gui_thread(Callback callback)
{
    for (task::Process* process = task::Process::first(); process; process = process->next_in_list()) {
        if (process->state() != task::ProcessState::Alive || !process->kolibri())
            continue;
        for (GuiThread* thread = process->kolibri()->gui_threads; thread; thread = thread->next)
            callback(*thread);
    }
}

GuiThread* find_gui_thread(u32 thread_id)
{
    GuiThread* found = nullptr;
    for_each_gui_thread([&](GuiThread& thread) {
        if (thread.thread_id == thread_id)
            found = &thread;
    });
    return found;
}

// The events a thread can have pending: 1-3 and 5-10. Event 4 is never
// produced, and get_event_for_app (gui/event.inc) ignores mask bits for
// events above 10 (bits 30 and 31 are filters, not events).
constexpr u32 event_bits = 0x3F7;

void wake_waiters(void* thread) { static_cast<GuiThread*>(thread)->waiters.wake_all(); }

// The highest-priority pending event the mask lets through, collected from
// the thread's queue. get_event_for_app (gui/event.inc) scans the mask
// from its highest bit down (bsr), so the highest event number wins:
// 10 > 9 > 8 > 7 > 6 > 5 > 3 > 2 > 1, and redraw comes last. Redraw, key
// and button stay pending until function 0 (12), 2 or 17 consume them;
// 5-10 are flags that reading resets (.FlagAutoReset there), so event 7
// is one flag however many messages came.
u32 take_event(GuiThread& thread)
{
    event::Event ready;
    auto collected = thread.queue.wait(&ready, 1, 0);
    if (collected.is_error() || collected.value() == 0)
        return 0;
    u32 bits = ready.ready & event_bits;
    if (bits == 0)
        return 0;
    u32 event = static_cast<u32>(31 - __builtin_clz(bits)) + 1;
    if (event != EventRedraw && event != EventKey && event != EventButton)
        thread.set_pending(event, false);
    return event;
}

// What the program drew becomes visible before it waits.
void flush_before_waiting()
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::flush_now();
}

// --- Hotkeys (function 66.4/66.5) ----------------------------------------------------

// Hotkeys of all threads together (at most GuiThread::hotkey_limit);
// changed with interrupts disabled.
u32 s_hotkey_count = 0;
u32 s_hotkey_order = 0;
// 66.6: the thread that blocked normal input (PID_lock_input; 0: none).
// While it is set, a key that is some thread's hotkey goes to that thread
// only.
u32 s_input_lock = 0;

// One 4-bit rule of 66.4's EDX for a pair of control keys: 0 neither held,
// 1 exactly one, 2 both, 3 the left one only, 4 the right one only.
bool key_pair_matches(u32 rule, bool left, bool right)
{
    switch (rule) {
    case 0: return !left && !right;
    case 1: return left != right;
    case 2: return left && right;
    case 3: return left && !right;
    case 4: return right && !left;
    default: return false;
    }
}

// EDX = 0xXYZ: Z for the Shifts, Y for the Ctrls, X for the Alts.
bool hotkey_modifiers_match(u32 rule, u32 modifiers)
{
    return key_pair_matches(rule & 0xF, modifiers & gui::ModLeftShift, modifiers & gui::ModRightShift)
        && key_pair_matches((rule >> 4) & 0xF, modifiers & gui::ModLeftCtrl, modifiers & gui::ModRightCtrl)
        && key_pair_matches((rule >> 8) & 0xF, modifiers & gui::ModLeftAlt, modifiers & gui::ModRightAlt);
}

bool is_control_key(u8 scancode)
{
    return scancode == 0x2A || scancode == 0x36 || scancode == 0x1D || scancode == 0x38;
}

// Sends a key to the thread of the matching hotkey (interrupts off): AL
// = 2, AH = the scancode (0 for a Shift, Ctrl or Alt pressed; a release
// has the high bit set), the high word the control keys' state (66.3).
// As the keyboard handler (hid/keyboard.inc .writekey) does it: the
// scancode's list holds the newest hotkey first and only the first match
// gets the key; the active window gets it too, unless normal input is
// blocked (66.6). True when the active window must not get it.
bool deliver_hotkey(const gui::KeyEvent& event)
{
    if (s_hotkey_count == 0)
        return false;
    u32 code;
    if (is_control_key(event.scancode)) {
        if (event.released)
            return false;
        code = 0;
    } else {
        code = u32(event.scancode) | (event.released ? 0x80u : 0);
    }
    u32 value = 2 | (code << 8) | ((event.modifiers & 0xFFFF) << 16);
    GuiThread* owner = nullptr;
    u32 newest = 0;
    for_each_gui_thread([&](GuiThread& thread) {
        for (GuiHotkey* hotkey = thread.hotkeys; hotkey; hotkey = hotkey->next) {
            if (hotkey->scancode == code && hotkey_modifiers_match(hotkey->modifiers, event.modifiers)
                && (!owner || hotkey->order > newest)) {
                owner = &thread;
                newest = hotkey->order;
            }
        }
    });
    if (!owner)
        return false;
    push_key(*owner, value);
    return s_input_lock != 0;
}

// --- Hooks from the window system (under the GUI lock) ----------------------------

void on_window_exposed(gui::Window& window)
{
    arch::InterruptDisabler disabler;
    if (auto* thread = static_cast<GuiThread*>(window.client()))
        thread->set_pending(EventRedraw, true);
}

void on_button_clicked(gui::Window& window, u32 id, u32 mouse_buttons)
{
    arch::InterruptDisabler disabler;
    auto* thread = static_cast<GuiThread*>(window.client());
    if (!thread)
        return;
    // Function 17: the id in the high 24 bits, AL = the mouse buttons held
    // at the press with bit 0 (left) cleared.
    u32 value = (id << 8) | (mouse_buttons & 0xFE);
    if (thread->button_count == GuiThread::button_capacity) {
        thread->button_head = (thread->button_head + 1) % GuiThread::button_capacity;
        --thread->button_count;
    }
    thread->buttons[(thread->button_head + thread->button_count) % GuiThread::button_capacity] = value;
    ++thread->button_count;
    thread->set_pending(EventButton, true);
}

void on_key(const gui::KeyEvent& event, gui::Window* active)
{
    arch::InterruptDisabler disabler;
    if (deliver_hotkey(event) || !active)
        return;
    auto* thread = static_cast<GuiThread*>(active->client());
    if (!thread)
        return;
    if (thread->scancodes) {
        // Scancode mode: the raw set-1 bytes, releases and prefixes too.
        if (event.extended)
            push_key(*thread, 0xE0u << 8);
        push_key(*thread, u32(event.scancode | (event.released ? 0x80 : 0)) << 8);
    } else {
        u8 character = layout_character(event); // the tables of 21.2 (KolibriSettings.h)
        if (event.released || character == 0)
            return;
        // Function 2 answers the key in AH and its scancode in bits
        // 16-23, which the keyboard handler stores beside the ASCII code
        // (hid/keyboard.inc .dowrite; sys_getkey).
        push_key(*thread, u32(character) << 8 | u32(event.scancode & 0x7F) << 16);
    }
}

void on_mouse_changed()
{
    gui::WindowManager& wm = gui::window_manager();
    gui::Point pointer = wm.pointer();
    gui::Window* active = wm.active();
    arch::InterruptDisabler disabler;
    for_each_gui_thread([&](GuiThread& thread) {
        // Function 40, bits 31 and 30: only when active / only when the
        // pointer is over the window.
        if ((thread.event_mask & (1u << 31)) && (!thread.window || thread.window != active))
            return;
        if ((thread.event_mask & (1u << 30))
            && (!thread.window || !thread.window->frame().contains(pointer.x, pointer.y)))
            return;
        thread.set_pending(EventMouse, true);
    });
}

// The cursor the window's thread set with function 37.5, copied with
// interrupts off so that teardown or 37.6 cannot free it in between.
bool window_cursor(gui::Window& window, gui::Cursor& cursor)
{
    arch::InterruptDisabler disabler;
    auto* thread = static_cast<GuiThread*>(window.client());
    if (!thread || !thread->cursor)
        return false;
    cursor = *thread->cursor;
    return true;
}

// Removes the windows whose thread is gone (teardown detached them, or
// the thread died some other way).
void sweep_windows()
{
    gui::WindowManager& wm = gui::window_manager();
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < wm.window_count(); ++i) {
            gui::Window& window = wm.window_at_depth(i);
            if (window.layer() != gui::WindowLayer::Normal || window.owner() == 0)
                continue;
            bool orphan;
            {
                arch::InterruptDisabler disabler;
                orphan = window.client() == nullptr;
                if (!orphan && !task::thread_alive(window.owner())) {
                    auto* thread = static_cast<GuiThread*>(window.client());
                    thread->window = nullptr;
                    window.set_client(nullptr);
                    orphan = true;
                }
            }
            if (orphan) {
                wm.destroy_window(&window);
                again = true;
                break;
            }
        }
    }
}

} // namespace

void unimplemented_gui(TrapFrame& frame)
{
    log_unimplemented(frame);
    frame.eax = error_value;
}

GuiThread* GuiThread::create(u32 thread_id, u32 process_id)
{
    auto* thread = new (lib::nothrow) GuiThread;
    if (!thread)
        return nullptr;
    thread->thread_id = thread_id;
    thread->process_id = process_id;
    thread->queue.set_wake_hook(wake_waiters, thread);
    thread->events.notify(event_bit(EventRedraw));
    if (thread->queue.add(thread->events, default_event_mask & event_bits, event::Mode::Level, 0).is_error()) {
        delete thread;
        return nullptr;
    }
    return thread;
}

void GuiThread::set_event_mask(u32 mask)
{
    event_mask = mask;
    // Never fails: the watch exists, and an empty interest only silences it.
    (void)queue.modify(events, mask & event_bits, event::Mode::Level, 0);
}

bool push_key(GuiThread& thread, u32 value)
{
    if (thread.key_count == GuiThread::key_capacity)
        return false; // KolibriOS drops keys when its buffer is full too
    thread.keys[(thread.key_head + thread.key_count) % GuiThread::key_capacity] = value;
    ++thread.key_count;
    thread.set_pending(EventKey, true);
    return true;
}

GuiThread::~GuiThread()
{
    // A thread that ends gives up the input lock (terminate, core/sys32.inc).
    if (s_input_lock == thread_id)
        s_input_lock = 0;
    while (GuiHotkey* hotkey = hotkeys) {
        hotkeys = hotkey->next;
        delete hotkey;
        --s_hotkey_count;
    }
}

GuiThread* current_gui_thread()
{
    task::KolibriState* state = current_state();
    task::Thread* self = task::current_thread();
    if (!state || !self)
        return nullptr;
    {
        arch::InterruptDisabler disabler;
        if (GuiThread* thread = find_in(*state, self->id))
            return thread;
    }
    auto* thread = GuiThread::create(self->id, task::current_process()->pid());
    if (!thread)
        return nullptr;
    arch::InterruptDisabler disabler;
    thread->next = state->gui_threads;
    state->gui_threads = thread;
    return thread;
}

bool raise_event(u32 thread_id, u32 event)
{
    if (event == 0 || event > 32)
        return false;
    arch::InterruptDisabler disabler;
    GuiThread* thread = find_gui_thread(thread_id);
    if (!thread) {
        // A KolibriOS thread that has not used events yet gets its state now.
        task::Process* owner = nullptr;
        task::for_each_thread([&](task::Thread& candidate) {
            if (candidate.id == thread_id && candidate.state != task::ThreadState::Dead)
                owner = candidate.process;
        });
        if (!owner || !owner->kolibri())
            return false;
        thread = GuiThread::create(thread_id, owner->pid());
        if (!thread)
            return false;
        thread->next = owner->kolibri()->gui_threads;
        owner->kolibri()->gui_threads = thread;
    }
    switch (event) {
    case EventRedraw:
    case EventBackground:
    case EventMouse:
    case EventIpc:
    case EventNetwork:
    case EventDebug:
    case EventNetwork2:
        thread->set_pending(event, true);
        return true;
    default:
        return false; // keys and buttons carry data: not through here
    }
}

void raise_background_event()
{
    arch::InterruptDisabler disabler;
    for_each_gui_thread([](GuiThread& thread) { thread.set_pending(EventBackground, true); });
}

void release_gui_state(task::KolibriState& state)
{
    arch::InterruptDisabler disabler;
    bool had_window = false;
    while (GuiThread* thread = state.gui_threads) {
        state.gui_threads = thread->next;
        if (thread->window) {
            thread->window->set_client(nullptr);
            had_window = true;
        }
        delete thread;
    }
    // No thread refers to the cursors any more.
    while (LoadedCursor* cursor = state.cursors) {
        state.cursors = cursor->next;
        delete cursor;
    }
    if (had_window)
        gui::wake_gui_thread();
}

void gui_thread_exiting()
{
    task::KolibriState* state = current_state();
    task::Thread* self = task::current_thread();
    if (!state || !self)
        return;
    arch::InterruptDisabler disabler;
    GuiThread** link = &state->gui_threads;
    while (*link && (*link)->thread_id != self->id)
        link = &(*link)->next;
    GuiThread* thread = *link;
    if (!thread)
        return;
    *link = thread->next;
    if (thread->window) {
        thread->window->set_client(nullptr);
        gui::wake_gui_thread();
    }
    delete thread;
}

bool thread_window_info(u32 thread_id, ThreadWindowInfo& info)
{
    info = {};
    if (!gui::gui_available())
        return false;
    gui::GuiLock lock;
    gui::Window* window = nullptr;
    {
        arch::InterruptDisabler disabler;
        if (GuiThread* thread = find_gui_thread(thread_id))
            window = thread->window;
    }
    if (!window)
        return false;
    gui::WindowManager& wm = gui::window_manager();
    gui::Rect frame = window->frame();
    gui::Rect client = window->client_rect();
    info.has_window = true;
    info.stack_position = u16(wm.depth_of(*window) + 1);
    info.x = frame.x;
    info.y = frame.y;
    info.x_size = frame.width - 1;
    info.y_size = frame.height - 1;
    // Function 9 copies WDATA.clientbox, which set_window_clientbox (gui/
    // window.inc) makes at every function 0: without the "relative
    // coordinates" style flag (EDX bit 29) it is the whole window, (0, 0)
    // and the sizes as given; with it, it starts at window_topleft and is
    // box.width - 2 * left + 1 wide, box.height - top - left + 1 high,
    // i.e. exactly the work area's pixel size.
    if (window->definition().client_relative) {
        info.client_x = client.x;
        info.client_y = client.y;
        info.client_width = client.width;
        info.client_height = client.height;
    } else {
        info.client_x = 0;
        info.client_y = 0;
        info.client_width = frame.width - 1;
        info.client_height = frame.height - 1;
    }
    info.state = window->is_minimized() ? 2 : 0;
    info.active = wm.active() == window;
    return true;
}

u32 thread_at_stack_position(u32 position)
{
    if (!gui::gui_available() || position == 0)
        return 0;
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    if (position > wm.window_count())
        return 0;
    return wm.window_at_depth(position - 1).owner();
}

void initialize_kolibri_gui()
{
    gui::GuiClientHooks hooks {};
    hooks.window_exposed = on_window_exposed;
    hooks.button_clicked = on_button_clicked;
    hooks.key = on_key;
    hooks.mouse_changed = on_mouse_changed;
    hooks.sweep = sweep_windows;
    hooks.window_cursor = window_cursor;
    gui::set_client_hooks(hooks);
}

// --- Functions -----------------------------------------------------------------------

// 2: the next key. EAX = 1 when there is none, else AL = 0 and AH = the
// code (ASCII or a scancode byte, function 66.1).
void sys_get_key(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    arch::InterruptDisabler disabler;
    if (!thread || thread->key_count == 0) {
        frame.eax = 1;
        return;
    }
    frame.eax = thread->keys[thread->key_head];
    thread->key_head = (thread->key_head + 1) % GuiThread::key_capacity;
    --thread->key_count;
    thread->set_pending(EventKey, thread->key_count > 0);
}

// 17: the next pressed button. EAX = 1 when there is none.
void sys_get_button(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    arch::InterruptDisabler disabler;
    if (!thread || thread->button_count == 0) {
        frame.eax = 1;
        return;
    }
    frame.eax = thread->buttons[thread->button_head];
    thread->button_head = (thread->button_head + 1) % GuiThread::button_capacity;
    --thread->button_count;
    thread->set_pending(EventButton, thread->button_count > 0);
}

// 10: wait for an event.
void sys_wait_event(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    if (!thread) {
        task::sleep_ms(10);
        frame.eax = 0;
        return;
    }
    flush_before_waiting();
    for (;;) {
        arch::InterruptDisabler disabler;
        if (u32 event = take_event(*thread)) {
            frame.eax = event;
            return;
        }
        thread->waiters.wait();
    }
}

// 11: the pending event or 0.
void sys_check_event(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    if (!thread) {
        frame.eax = 0;
        return;
    }
    flush_before_waiting();
    arch::InterruptDisabler disabler;
    frame.eax = take_event(*thread);
}

// 23: wait at most EBX hundredths of a second; EAX = 0 on timeout.
void sys_wait_event_timeout(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    if (!thread) {
        frame.eax = 0;
        return;
    }
    flush_before_waiting();
    // KolibriOS's scheduler (core/sched.inc) ends the wait when the ticks
    // since it began reach EBX (an unsigned compare of the difference), so
    // no timeout wraps: 0xFFFFFFFF waits as 10 does (sys_waitforevent is
    // this with EBX = -1). The deadline is 64-bit here.
    u64 deadline = arch::pit::uptime_ms() + u64(frame.ebx) * 10;
    for (;;) {
        arch::InterruptDisabler disabler;
        if (u32 event = take_event(*thread)) {
            frame.eax = event;
            return;
        }
        u64 now = arch::pit::uptime_ms();
        if (now >= deadline) {
            frame.eax = 0;
            return;
        }
        thread->waiters.wait_for(deadline - now);
    }
}

// 40: set the event mask; EAX = the previous one.
void sys_event_mask(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    if (!thread) {
        frame.eax = default_event_mask;
        return;
    }
    arch::InterruptDisabler disabler;
    frame.eax = thread->event_mask;
    thread->set_event_mask(frame.ebx);
}

// 66: keyboard mode (1 set, 2 get: 0 ASCII, 1 scancodes), the state of
// the control keys (3), system-wide hotkeys (4 set, 5 delete: EAX = 0,
// or 1 for too many / not found) and the input lock (6 block, 7 unblock).
void sys_keyboard(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    switch (frame.ebx) {
    case 1:
        // sys_process_def .1 (hid/keyboard.inc) keeps CL, whatever it is;
        // the keyboard handler gives scancodes for any mode but 0.
        if (thread) {
            thread->keyboard_mode = u8(frame.ecx);
            thread->scancodes = thread->keyboard_mode != 0;
        }
        return;
    case 2:
        frame.eax = thread ? thread->keyboard_mode : 0;
        return;
    case 3:
        frame.eax = gui::gui_available() ? gui::keyboard_modifiers() : 0;
        return;
    case 4: {
        // CL = the scancode, EDX = 0xXYZ (the control keys' rule).
        auto* hotkey = thread ? new (lib::nothrow) GuiHotkey : nullptr;
        arch::InterruptDisabler disabler;
        if (!hotkey || s_hotkey_count >= GuiThread::hotkey_limit) {
            delete hotkey;
            frame.eax = 1;
            return;
        }
        hotkey->scancode = u8(frame.ecx);
        hotkey->order = ++s_hotkey_order;
        hotkey->modifiers = frame.edx; // the whole EDX, as .4 stores it; the rule is its low 12 bits
        GuiHotkey** link = &thread->hotkeys;
        while (*link)
            link = &(*link)->next;
        *link = hotkey;
        ++s_hotkey_count;
        frame.eax = 0;
        return;
    }
    case 5: {
        // Deletes one of the caller's hotkeys with this CL and the same
        // whole EDX (.5 compares the dword).
        frame.eax = 1;
        if (!thread)
            return;
        GuiHotkey* found = nullptr;
        {
            arch::InterruptDisabler disabler;
            for (GuiHotkey** link = &thread->hotkeys; *link; link = &(*link)->next) {
                if ((*link)->scancode == u8(frame.ecx) && (*link)->modifiers == frame.edx) {
                    found = *link;
                    *link = found->next;
                    --s_hotkey_count;
                    break;
                }
            }
        }
        if (found) {
            delete found;
            frame.eax = 0;
        }
        return;
    }
    case 6: { // block normal input (hotkeys only), if nobody has; EAX is left
        arch::InterruptDisabler disabler;
        if (s_input_lock == 0)
            s_input_lock = task::current_thread()->id;
        return;
    }
    case 7: { // the blocking thread unblocks it; EAX is left
        arch::InterruptDisabler disabler;
        if (s_input_lock == task::current_thread()->id)
            s_input_lock = 0;
        return;
    }
    default:
        unimplemented_gui(frame);
    }
}

namespace {

// Where a .cur image is read from: program memory at `user`
// (LOAD_FROM_MEM) or the kernel's copy of a file (LOAD_FROM_FILE).
struct CurSource {
    u32 user { 0 };
    const u8* kernel { nullptr };
    size_t size { 0 };

    bool read(u32 offset, void* out, size_t length) const
    {
        if (kernel) {
            if (offset > size || length > size - offset)
                return false;
            auto* target = static_cast<u8*>(out);
            for (size_t i = 0; i < length; ++i)
                target[i] = kernel[offset + i];
            return true;
        }
        if (user == 0 || offset > 0xFFFFFFFFu - user)
            return false;
        return !task::copy_from_user(out, user + offset, length).is_error();
    }
};

template<typename T>
bool read_at(const CurSource& source, u32 offset, T& value)
{
    return source.read(offset, &value, sizeof(T));
}

u16 le16(const u8* p) { return u16(p[0] | (p[1] << 8)); }
u32 le32(const u8* p) { return u32(p[0]) | (u32(p[1]) << 8) | (u32(p[2]) << 16) | (u32(p[3]) << 24); }

// Function 37.4, LOAD_FROM_MEM: a .cur file (as MS Windows writes it) of
// 32 x 32 pixels in memory, its first image with 1, 4, 8, 24 or 32 bits a
// pixel; the AND mask makes the transparent pixels (32 bits: the alpha
// channel when it is used).
bool decode_cur(const CurSource& data, gui::Cursor& cursor)
{
    u8 head[6 + 16];
    if (!read_at(data, 0, head) || le16(head) != 0 || le16(head + 2) != 2 || le16(head + 4) == 0)
        return false;
    const u8* entry = head + 6;
    if (entry[0] != gui::Cursor::size || entry[1] != gui::Cursor::size)
        return false;
    cursor.hot_x = le16(entry + 4);
    cursor.hot_y = le16(entry + 6);
    u32 offset = le32(entry + 12);
    u8 info[40];
    if (cursor.hot_x >= gui::Cursor::size || cursor.hot_y >= gui::Cursor::size || offset > 0x1000000
        || !read_at(data, offset, info))
        return false;
    u32 header_size = le32(info);
    u16 bits = le16(info + 14);
    if (header_size < 40 || header_size > 0x1000 || le32(info + 4) != 32 || le32(info + 8) != 64 || le16(info + 12) != 1
        || le32(info + 16) != 0 || (bits != 1 && bits != 4 && bits != 8 && bits != 24 && bits != 32))
        return false;
    u32 colors = 0;
    u32 palette[256] {};
    if (bits <= 8) {
        colors = le32(info + 32) ? le32(info + 32) : 1u << bits;
        if (colors > (1u << bits))
            return false;
        for (u32 i = 0; i < colors; ++i) {
            if (!read_at(data, offset + header_size + i * 4, palette[i]))
                return false;
        }
    }
    u32 xor_at = offset + header_size + colors * 4;
    u32 stride = (32 * bits + 31) / 32 * 4;
    u32 and_at = xor_at + stride * 32;
    bool alpha_used = false;
    u32 masks[32]; // AND mask rows from the top; bit set: transparent
    for (u32 row = 0; row < 32; ++row) {
        u8 line[32 * 4];
        u32& mask = masks[31 - row];
        if (xor_at > 0xFFFFFFFFu - stride * 32 - 4 * 32
            || !data.read(xor_at + row * stride, line, stride)
            || !read_at(data, and_at + row * 4, mask))
            return false;
        u32* out = cursor.pixels + (31 - row) * gui::Cursor::size; // bottom-up
        for (u32 x = 0; x < 32; ++x) {
            u32 color;
            switch (bits) {
            case 1: color = palette[(line[x / 8] >> (7 - x % 8)) & 1]; break;
            case 4: color = palette[(line[x / 2] >> (x % 2 ? 0 : 4)) & 0xF]; break;
            case 8: color = palette[line[x]]; break;
            case 24: color = u32(line[x * 3]) | (u32(line[x * 3 + 1]) << 8) | (u32(line[x * 3 + 2]) << 16); break;
            default: color = le32(line + x * 4); break;
            }
            if (bits == 32 && (color >> 24))
                alpha_used = true;
            out[x] = bits == 32 ? color : color & 0xFFFFFF;
        }
    }
    // The 32-bit image's own alpha when it has any, else the AND mask
    // (pixel x is bit 7 - x % 8 of byte x / 8).
    if (!alpha_used) {
        for (u32 y = 0; y < 32; ++y) {
            for (u32 x = 0; x < 32; ++x) {
                bool transparent = (masks[y] >> ((x / 8) * 8 + 7 - x % 8)) & 1;
                u32& pixel = cursor.pixels[y * gui::Cursor::size + x];
                pixel = (pixel & 0xFFFFFF) | (transparent ? 0 : 0xFF000000u);
            }
        }
    }
    return true;
}

LoadedCursor* find_cursor(task::KolibriState& state, u32 handle)
{
    for (LoadedCursor* cursor = state.cursors; cursor; cursor = cursor->next) {
        if (handle && cursor->handle == handle)
            return cursor;
    }
    return nullptr;
}

// 37.4: EDX's low word the source (0 a .cur file at the path ECX, 1 a
// .cur in memory, 2 ARGB image with the hot spot in EDX's high bytes);
// the handle or 0. (load_file would also unpack a KPCK file; not here.)
// `path_encoding` is the file path's (37.8's EDX; 0 for 37.4: cp866 or
// an encoding byte). A null
// address is no failure: the program's memory starts there, and
// load_cursor (video/cursors.inc) reads it like any other.
u32 load_cursor(u32 data, u32 flags, u32 path_encoding)
{
    task::KolibriState* state = current_state();
    if (!state)
        return 0;
    auto* cursor = new (lib::nothrow) LoadedCursor;
    if (!cursor)
        return 0;
    bool loaded = false;
    switch (flags & 0xFFFF) {
    case 0: { // LOAD_FROM_FILE: load_file, then the same decoding
        constexpr size_t largest_cur = 64 * 1024;
        task::CallBuffer file(largest_cur);
        if (!file.bytes())
            break;
        auto size = read_program_file(data, path_encoding, file.bytes(), largest_cur);
        if (size.is_error())
            break;
        CurSource source;
        source.kernel = file.bytes();
        source.size = size.value();
        loaded = decode_cur(source, cursor->image);
        break;
    }
    case 1: {
        CurSource source;
        source.user = data;
        loaded = decode_cur(source, cursor->image);
        break;
    }
    case 2:
        cursor->image.hot_x = i32((flags >> 24) & 0xFF);
        cursor->image.hot_y = i32((flags >> 16) & 0xFF);
        loaded = cursor->image.hot_x < gui::Cursor::size && cursor->image.hot_y < gui::Cursor::size
            && !task::copy_from_user(cursor->image.pixels, data, sizeof(cursor->image.pixels)).is_error();
        break;
    default: // unknown sources
        break;
    }
    if (!loaded) {
        delete cursor;
        return 0;
    }
    static u32 s_next_handle = 1;
    arch::InterruptDisabler disabler;
    cursor->handle = s_next_handle++;
    if (s_next_handle == 0)
        s_next_handle = 1;
    cursor->next = state->cursors;
    state->cursors = cursor;
    return cursor->handle;
}

// 37.5: the thread's cursor (a handle not loaded by this process: the
// arrow); answers the previous handle.
u32 set_cursor(GuiThread* thread, u32 handle)
{
    task::KolibriState* state = current_state();
    if (!thread || !state)
        return 0;
    u32 previous;
    {
        arch::InterruptDisabler disabler;
        LoadedCursor* cursor = find_cursor(*state, handle);
        previous = thread->cursor_handle;
        thread->cursor_handle = cursor ? cursor->handle : 0;
        thread->cursor = cursor ? &cursor->image : nullptr;
    }
    gui::GuiLock lock;
    gui::request_flush();
    return previous;
}

// 37.6: frees a cursor of this process; threads showing it get the arrow.
void delete_cursor(u32 handle)
{
    task::KolibriState* state = current_state();
    if (!state || handle == 0)
        return;
    LoadedCursor* found = nullptr;
    {
        arch::InterruptDisabler disabler;
        for (LoadedCursor** link = &state->cursors; *link; link = &(*link)->next) {
            if ((*link)->handle == handle) {
                found = *link;
                *link = found->next;
                break;
            }
        }
        if (!found)
            return;
        for (GuiThread* thread = state->gui_threads; thread; thread = thread->next) {
            if (thread->cursor == &found->image) {
                thread->cursor = nullptr;
                thread->cursor_handle = 0;
            }
        }
    }
    delete found;
    gui::GuiLock lock;
    gui::request_flush();
}

} // namespace

// 37: the mouse. 0 screen position, 1 position relative to the window,
// 2 buttons held, 3 buttons held (events not tracked), 4-6 cursors
// (load, set for the thread's window, delete; KernelGui draws them),
// 7 wheel movement since the last call (the active window only).
void sys_mouse(TrapFrame& frame)
{
    if (!gui::gui_available()) {
        frame.eax = frame.ebx <= 4 || frame.ebx == 7 ? 0 : error_value;
        return;
    }
    switch (frame.ebx) {
    case 4:
        // .app_load_cursor (gui/mouse.inc): a kernel address returns with
        // EAX as it was (37).
        if (frame.ecx >= 0x80000000u)
            return;
        frame.eax = load_cursor(frame.ecx, frame.edx, 0);
        return;
    case 5:
        frame.eax = set_cursor(current_gui_thread(), frame.ecx);
        return;
    case 6:
        delete_cursor(frame.ecx);
        return;
    case 8:
        // .loadCursorUni: ECX = a path in the encoding EDX (getFullPath),
        // then load_cursor from the file; a kernel address leaves EAX.
        if (frame.ecx >= 0x80000000u)
            return;
        frame.eax = load_cursor(frame.ecx, 0, frame.edx);
        return;
    default:
        break;
    }
    GuiThread* thread = current_gui_thread();
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    gui::Point pointer = wm.pointer();
    switch (frame.ebx) {
    case 0:
        frame.eax = (u32(pointer.x) << 16) | u32(pointer.y & 0xFFFF);
        return;
    case 1: {
        // Relative to the working area, computed as readmousepos .mswin
        // (gui/mouse.inc) does: (x << 16 | y) - (left << 16 | top) as one
        // dword, then the client box's top off the low word and its left
        // off the high word, each on its own 16 bits. The client box is
        // (0, 0) unless the window has EDX bit 29 (set_window_clientbox,
        // as function 9 shows it).
        u32 box = 0;
        u16 client_left = 0, client_top = 0;
        if (thread && thread->window) {
            gui::Rect outer = thread->window->frame();
            box = (u32(u16(outer.x)) << 16) | u16(outer.y);
            if (thread->window->definition().client_relative) {
                gui::Rect client = thread->window->client_rect();
                client_left = u16(client.x);
                client_top = u16(client.y);
            }
        }
        u32 value = ((u32(u16(pointer.x)) << 16) | u16(pointer.y)) - box;
        u16 low = u16(u16(value) - client_top);
        u16 high = u16(u16(value >> 16) - client_left);
        frame.eax = (u32(high) << 16) | low;
        return;
    }
    case 2: // the byte of held buttons
    case 3: // the dword; the press/release bits above bit 7 are not tracked
        frame.eax = wm.pointer_buttons() & 0x1F;
        return;
    case 7: {
        i32 vertical = 0, horizontal = 0;
        if (thread && thread->window && thread->window == wm.active())
            gui::take_scroll(vertical, horizontal);
        frame.eax = (u32(horizontal) << 16) | (u32(vertical) & 0xFFFF);
        return;
    }
    default:
        // readmousepos: EBX above 8 returns with EAX unchanged.
        log_unimplemented(frame);
    }
}

} // namespace kolibri
