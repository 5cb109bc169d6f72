// KolibriOS events: the per-thread state (functions 10, 11, 23, 40), keys
// (2, 66), buttons (17), the mouse (37) and how the window system's hooks
// feed them. See KolibriGui.h and gui/KernelGui.h for the locking rules: a
// GuiThread's fields that others change (events, buffers) and a window's
// client pointer are touched with interrupts disabled only.
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriGui.h"

#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"

namespace kolibri {

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

bool thread_alive(u32 id)
{
    bool alive = false;
    task::for_each_thread([&](task::Thread& thread) {
        if (thread.id == id && thread.state != task::ThreadState::Dead)
            alive = true;
    });
    return alive;
}

void push_key(GuiThread& thread, u32 value)
{
    if (thread.key_count == GuiThread::key_capacity)
        return; // KolibriOS drops keys when its buffer is full too
    thread.keys[(thread.key_head + thread.key_count) % GuiThread::key_capacity] = value;
    ++thread.key_count;
}

// The highest-priority pending event the mask lets through, in the order
// of the reference's list; redraw, key and button stay pending until
// function 0, 2 or 17 consume them, the others go when reported.
u32 take_event(GuiThread& thread)
{
    u32 mask = thread.event_mask;
    auto wanted = [&](u32 event) { return mask & (1u << (event - 1)); };
    if (wanted(EventRedraw) && thread.redraw)
        return EventRedraw;
    if (wanted(EventKey) && thread.key_count)
        return EventKey;
    if (wanted(EventButton) && thread.button_count)
        return EventButton;
    auto once = [&](bool& flag, u32 event) {
        if (wanted(event) && flag) {
            flag = false;
            return true;
        }
        return false;
    };
    if (once(thread.background, EventBackground))
        return EventBackground;
    if (once(thread.mouse, EventMouse))
        return EventMouse;
    if (once(thread.ipc, EventIpc))
        return EventIpc;
    if (once(thread.network, EventNetwork))
        return EventNetwork;
    if (once(thread.debug, EventDebug))
        return EventDebug;
    return 0;
}

// What the program drew becomes visible before it waits.
void flush_before_waiting()
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    gui::flush_now();
}

// --- Hooks from the window system (under the GUI lock) ----------------------------

void on_window_exposed(gui::Window& window)
{
    arch::InterruptDisabler disabler;
    if (auto* thread = static_cast<GuiThread*>(window.client())) {
        thread->redraw = true;
        thread->waiters.wake_all();
    }
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
    thread->waiters.wake_all();
}

void on_key(const gui::KeyEvent& event, gui::Window* active)
{
    if (!active)
        return;
    arch::InterruptDisabler disabler;
    auto* thread = static_cast<GuiThread*>(active->client());
    if (!thread)
        return;
    if (thread->scancodes) {
        // Scancode mode: the raw set-1 bytes, releases and prefixes too.
        if (event.extended)
            push_key(*thread, 0xE0u << 8);
        push_key(*thread, u32(event.scancode | (event.released ? 0x80 : 0)) << 8);
    } else {
        if (event.released || event.ascii == 0)
            return;
        push_key(*thread, u32(event.ascii) << 8);
    }
    thread->waiters.wake_all();
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
        thread.mouse = true;
        thread.waiters.wake_all();
    });
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
                if (!orphan && !thread_alive(window.owner())) {
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
    u32 function = frame.eax;
    u32 subfunction = frame.ebx;
    if (auto* state = current_state()) {
        for (u32 i = 0; i < state->logged_count; ++i) {
            if (state->logged[i].function == function && state->logged[i].subfunction == subfunction) {
                frame.eax = error_value;
                return;
            }
        }
        if (state->logged_count < sizeof(state->logged) / sizeof(state->logged[0]))
            state->logged[state->logged_count++] = { function, subfunction };
        kernel::log_warning("unimplemented function %u.%u by %s", function, subfunction,
            task::current_process()->name());
    }
    frame.eax = error_value;
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
    auto* thread = new (lib::nothrow) GuiThread;
    if (!thread)
        return nullptr;
    thread->thread_id = self->id;
    thread->process_id = task::current_process()->pid();
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
        thread = new (lib::nothrow) GuiThread;
        if (!thread)
            return false;
        thread->thread_id = thread_id;
        thread->process_id = owner->pid();
        thread->next = owner->kolibri()->gui_threads;
        owner->kolibri()->gui_threads = thread;
    }
    switch (event) {
    case EventRedraw: thread->redraw = true; break;
    case EventBackground: thread->background = true; break;
    case EventMouse: thread->mouse = true; break;
    case EventIpc: thread->ipc = true; break;
    case EventNetwork: thread->network = true; break;
    case EventDebug: thread->debug = true; break;
    default: return false; // keys and buttons carry data: not through here
    }
    thread->waiters.wake_all();
    return true;
}

void raise_background_event()
{
    arch::InterruptDisabler disabler;
    for_each_gui_thread([](GuiThread& thread) {
        thread.background = true;
        thread.waiters.wake_all();
    });
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
    info.client_x = client.x;
    info.client_y = client.y;
    info.client_width = client.width - 1;
    info.client_height = client.height - 1;
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
    // KolibriOS counts in a 32-bit hundredths-of-a-second counter: a timeout
    // that would make it wrap around returns at once (as there).
    u32 now_hundredths = static_cast<u32>(arch::pit::uptime_ms() / 10);
    if (now_hundredths + frame.ebx < now_hundredths) {
        arch::InterruptDisabler disabler;
        frame.eax = take_event(*thread);
        return;
    }
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
    thread->event_mask = frame.ebx;
}

// 66: keyboard mode (1 set, 2 get: 0 ASCII, 1 scancodes) and the state of
// the control keys (3).
void sys_keyboard(TrapFrame& frame)
{
    GuiThread* thread = current_gui_thread();
    switch (frame.ebx) {
    case 1:
        if (thread && frame.ecx <= 1)
            thread->scancodes = frame.ecx == 1;
        return;
    case 2:
        frame.eax = thread && thread->scancodes ? 1 : 0;
        return;
    case 3:
        frame.eax = gui::gui_available() ? gui::keyboard_modifiers() : 0;
        return;
    default:
        unimplemented_gui(frame);
    }
}

// 37: the mouse. 0 screen position, 1 position relative to the window,
// 2 buttons held, 3 buttons held (events not tracked), 7 wheel movement
// since the last call (the active window only); 4-6 (cursors): the
// standard arrow stays.
void sys_mouse(TrapFrame& frame)
{
    if (!gui::gui_available()) {
        frame.eax = frame.ebx <= 3 || frame.ebx == 7 ? 0 : error_value;
        return;
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
        gui::Point origin {};
        if (thread && thread->window)
            origin = { thread->window->frame().x, thread->window->frame().y };
        // (x - xwnd) * 65536 + (y - ywnd), as the reference computes it.
        frame.eax = u32(i32(pointer.x - origin.x) * 65536 + i32(pointer.y - origin.y));
        return;
    }
    case 2:
    case 3:
        frame.eax = wm.pointer_buttons() & 0x1F;
        return;
    case 4: // load cursor: "failed"
        frame.eax = 0;
        return;
    case 5: // set cursor: the previous one was the default
        frame.eax = 0;
        return;
    case 6: // delete cursor
        return;
    case 7: {
        i32 vertical = 0, horizontal = 0;
        if (thread && thread->window && thread->window == wm.active())
            gui::take_scroll(vertical, horizontal);
        frame.eax = (u32(horizontal) << 16) | (u32(vertical) & 0xFFFF);
        return;
    }
    default:
        unimplemented_gui(frame);
    }
}

} // namespace kolibri
