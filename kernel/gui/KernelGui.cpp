#include "lib/New.h"
#include "kernel/gui/KernelGui.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Rtc.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/fs/Vfs.h"
#include "kernel/gui/DirectScreen.h"
#include "kernel/gui/Display.h"
#include "kernel/gui/KernelSkin.h"
#include "kernel/gui/Panel.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/Thread.h"
#include "kernel/task/WaitQueue.h"

namespace gui {

namespace {

// --- The lock ------------------------------------------------------------------

bool s_locked;
u32 s_lock_owner; // thread id
u32 s_lock_depth;
task::WaitQueue s_lock_waiters;

// --- State ---------------------------------------------------------------------

WindowManager* s_wm;
Panel* s_panel;
GuiClientHooks s_hooks;
void (*s_window_defining_hook)(Window&);
bool s_available;
bool s_flush_needed;
task::WaitQueue s_gui_wakeup;
bool s_kicked;
i32 s_pending_launch = -1;
bool s_recover; // the GUI lock was taken over from a dead thread
u64 s_hold_until_ms; // no flush before this (after an exposure)
// The programs that set a working area of their own with 48.6 while the
// panel is hidden (a taskbar, then a full-screen viewer that puts the
// taskbar's area back): the panel returns only when all have exited.
constexpr size_t max_area_owners = 8;
u32 s_area_owners[max_area_owners];

// --- Input from interrupt handlers ------------------------------------------------

struct InputRecord {
    bool is_key;
    KeyEvent key;
    MouseEvent mouse;
};
constexpr size_t input_capacity = 256;
InputRecord s_input[input_capacity];
size_t s_input_head;
size_t s_input_count;
u32 s_modifiers;
i32 s_scroll_vertical;
i32 s_scroll_horizontal;

void push_input(const InputRecord& record)
{
    arch::InterruptDisabler disabler;
    if (s_input_count == input_capacity)
        return; // the GUI thread is far behind: drop the newest
    s_input[(s_input_head + s_input_count) % input_capacity] = record;
    ++s_input_count;
    s_gui_wakeup.wake_one();
}

bool pop_input(InputRecord& record)
{
    arch::InterruptDisabler disabler;
    if (s_input_count == 0)
        return false;
    record = s_input[s_input_head];
    s_input_head = (s_input_head + 1) % input_capacity;
    --s_input_count;
    return true;
}

void on_key(const KeyEvent& event)
{
    InputRecord record {};
    record.is_key = true;
    record.key = event;
    push_input(record);
}

void on_mouse(const MouseEvent& event)
{
    InputRecord record {};
    record.mouse = event;
    push_input(record);
}

// --- The cursor ----------------------------------------------------------------------

// 'X' outline, '.' fill, ' ' transparent; the hot spot is the top-left.
constexpr i32 cursor_width = 12;
constexpr i32 cursor_height = 19;
constexpr const char* s_cursor_shape[cursor_height] = {
    "X           ",
    "XX          ",
    "X.X         ",
    "X..X        ",
    "X...X       ",
    "X....X      ",
    "X.....X     ",
    "X......X    ",
    "X.......X   ",
    "X........X  ",
    "X.........X ",
    "X......XXXXX",
    "X...X..X    ",
    "X..XX..X    ",
    "X.X  X..X   ",
    "XX   X..X   ",
    "X     X..X  ",
    "      X..X  ",
    "       XX   ",
};
u32 s_save_under[Cursor::size * Cursor::size]; // holds either shape
Rect s_cursor_shown; // where the screen shows the cursor
Cursor s_program_cursor; // the copy of the program's cursor being shown

u32 blend(u32 under, u32 argb)
{
    u32 alpha = argb >> 24;
    if (alpha == 0xFF)
        return argb & 0xFFFFFF;
    u32 result = 0;
    for (u32 shift = 0; shift < 24; shift += 8) {
        u32 top = (argb >> shift) & 0xFF;
        u32 bottom = (under >> shift) & 0xFF;
        result |= ((top * alpha + bottom * (255 - alpha)) / 255) << shift;
    }
    return result;
}

// The back buffer never holds the cursor: it is drawn in just for the copy
// to the framebuffer and taken out again, so programs and the window
// manager never see it or draw over a stale save-under. Over a window
// whose program set a cursor (function 37.5) that one replaces the arrow.
void flush_with_cursor()
{
    Surface& screen = back_buffer();
    Point pointer = s_wm->pointer();
    bool custom = false;
    if (s_hooks.window_cursor) {
        if (Window* window = s_wm->window_at(pointer))
            custom = s_hooks.window_cursor(*window, s_program_cursor);
    }
    Point origin = custom ? Point { pointer.x - s_program_cursor.hot_x, pointer.y - s_program_cursor.hot_y } : pointer;
    i32 width = custom ? Cursor::size : cursor_width;
    Rect shape { origin.x, origin.y, width, custom ? Cursor::size : cursor_height };
    Rect rect = shape.intersected(screen.bounds());
    if (!(rect == s_cursor_shown))
        mark_dirty(s_cursor_shown);
    for (i32 y = 0; y < rect.height; ++y) {
        for (i32 x = 0; x < rect.width; ++x) {
            u32 under = screen.pixel(rect.x + x, rect.y + y);
            s_save_under[y * Cursor::size + x] = under;
            i32 sx = rect.x + x - origin.x;
            i32 sy = rect.y + y - origin.y;
            if (custom) {
                u32 argb = s_program_cursor.pixels[sy * Cursor::size + sx];
                if (argb >> 24)
                    screen.set_pixel(rect.x + x, rect.y + y, blend(under, argb), rect);
                continue;
            }
            char c = s_cursor_shape[sy][sx];
            if (c == 'X')
                screen.set_pixel(rect.x + x, rect.y + y, 0x000000, rect);
            else if (c == '.')
                screen.set_pixel(rect.x + x, rect.y + y, 0xFFFFFF, rect);
        }
    }
    mark_dirty(rect);
    flush();
    s_hold_until_ms = 0;
    for (i32 y = 0; y < rect.height; ++y) {
        for (i32 x = 0; x < rect.width; ++x)
            screen.set_pixel(rect.x + x, rect.y + y, s_save_under[y * Cursor::size + x], rect);
    }
    s_cursor_shown = rect;
    s_flush_needed = false;
}

// --- The window manager's listener --------------------------------------------------

class KernelListener final : public WindowManagerListener {
public:
    void screen_changed(const Rect& rect) override
    {
        mark_dirty(rect);
        s_flush_needed = true;
    }
    void window_exposed(Window& window) override
    {
        if (s_hold_until_ms == 0)
            s_hold_until_ms = arch::pit::uptime_ms() + exposure_hold_ms;
        if (s_hooks.window_exposed)
            s_hooks.window_exposed(window);
    }
    void button_clicked(Window& window, u32 id, u32 mouse_buttons) override
    {
        if (s_hooks.button_clicked)
            s_hooks.button_clicked(window, id, mouse_buttons);
    }
    void paint_kernel_window(Window& window, const Rect& clip) override
    {
        if (s_panel)
            s_panel->paint(window, clip);
    }
    void kernel_window_mouse(Window& window, Point position, u32 buttons, u32 previous) override
    {
        if (!s_panel)
            return;
        i32 launch = s_panel->mouse(window, position, buttons, previous);
        if (launch >= 0)
            s_pending_launch = launch;
    }
    void pointer_pressed(Point position, Window* target) override
    {
        if (s_panel)
            s_panel->pointer_pressed(position, target);
    }
    void windows_changed() override
    {
        if (s_panel)
            s_panel->windows_changed();
    }
    void window_defining(Window& window) override
    {
        if (s_window_defining_hook)
            s_window_defining_hook(window);
    }
    void begin_atomic() override
    {
        if (m_depth++ == 0) {
            m_were_enabled = arch::interrupts_enabled();
            arch::disable_interrupts();
        }
    }
    void end_atomic() override
    {
        if (--m_depth == 0 && m_were_enabled)
            arch::enable_interrupts();
    }

private:
    u32 m_depth { 0 };
    bool m_were_enabled { false };
};

KernelListener s_listener;

// --- The panel's programs -------------------------------------------------------------

bool is_program(StringView name)
{
    char path[48] = "/sys/";
    for (size_t i = 0; i < name.length() && 5 + i + 1 < sizeof(path); ++i)
        path[5 + i] = name[i];
    u8 magic[8] {};
    auto read = fs::read(path, 0, magic, sizeof(magic));
    if (read.is_error() || read.value() < 4)
        return false;
    bool menuet = read.value() == 8 && magic[0] == 'M' && magic[1] == 'E' && magic[2] == 'N' && magic[3] == 'U'
        && magic[4] == 'E' && magic[5] == 'T' && magic[6] == '0';
    bool elf = magic[0] == 0x7F && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    // KolibriOS images pack most programs with KPCK; they are listed too
    // (the loader says so in the log when it cannot unpack one).
    bool packed = magic[0] == 'K' && magic[1] == 'P' && magic[2] == 'C' && magic[3] == 'K';
    return menuet || elf || packed;
}

void list_programs()
{
    if (!kernel::ramdisk_available())
        return;
    (void)fs::list("/sys", 0, [](void*, const fs::DirectoryEntryInfo& entry) {
        StringView name = entry.name;
        if (entry.info.is_directory() || name.length() == 0 || name.length() >= 32 || !is_program(name))
            return true;
        char display[32];
        bool all_upper = true;
        for (size_t i = 0; i < name.length(); ++i) {
            if (name[i] >= 'a' && name[i] <= 'z')
                all_upper = false;
        }
        for (size_t i = 0; i < name.length(); ++i) {
            char c = name[i];
            display[i] = all_upper && c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
        }
        display[name.length()] = '\0';
        s_panel->add_program(display);
        return true;
    }, nullptr);
}

void launch(i32 index)
{
    char path[48] = "/sys/";
    {
        GuiLock lock;
        if (index < 0 || size_t(index) >= s_panel->program_count())
            return;
        const char* name = s_panel->program_name(size_t(index));
        size_t length = 5;
        for (size_t i = 0; name[i] && length + 1 < sizeof(path); ++i)
            path[length++] = name[i];
        path[length] = '\0';
    }
    task::ProgramArguments arguments;
    arguments.argv[0] = path;
    arguments.argc = 1;
    auto pid = task::spawn_program(path, arguments, nullptr);
    if (pid.is_error())
        kernel::log_warning("panel: cannot start %s: %s", path, pid.error().name());
    else
        kernel::log_info("panel: started %s as process %u", path, pid.value());
}

// --- The GUI thread ---------------------------------------------------------------------

void process_input()
{
    InputRecord record;
    bool mouse_changed = false;
    i32 dx = 0, dy = 0;
    u32 buttons = s_wm->pointer_buttons();
    auto apply_motion = [&]() {
        if (dx || dy) {
            s_wm->pointer_moved(dx, dy, buttons);
            dx = dy = 0;
        }
    };
    while (pop_input(record)) {
        if (record.is_key) {
            apply_motion();
            s_modifiers = record.key.modifiers;
            if (s_hooks.key)
                s_hooks.key(record.key, s_wm->active());
            continue;
        }
        const MouseEvent& mouse = record.mouse;
        mouse_changed = true;
        s_scroll_vertical += mouse.wheel;
        s_scroll_horizontal += mouse.wheel_horizontal;
        if (mouse.absolute) {
            apply_motion();
            Rect screen = s_wm->screen_rect();
            Point target { i32(i64(mouse.x) * screen.width / 0x8000), i32(i64(mouse.y) * screen.height / 0x8000) };
            buttons = mouse.buttons;
            s_wm->pointer_set(target, buttons);
            continue;
        }
        if (mouse.buttons != buttons) {
            // Button changes happen where the pointer is at that moment.
            dx += mouse.dx;
            dy += mouse.dy;
            apply_motion();
            buttons = mouse.buttons;
            s_wm->pointer_moved(0, 0, buttons);
            continue;
        }
        // Motion is coalesced: one window move per batch while dragging.
        dx += mouse.dx;
        dy += mouse.dy;
    }
    apply_motion();
    if (mouse_changed) {
        s_flush_needed = true;
        if (s_hooks.mouse_changed)
            s_hooks.mouse_changed();
    }
}

bool process_alive(u32 pid)
{
    arch::InterruptDisabler disabler;
    task::Process* process = task::Process::find(pid);
    return process && process->state() == task::ProcessState::Alive;
}

void forget_area_owners()
{
    for (u32& owner : s_area_owners)
        owner = 0;
}

void remember_area_owner(u32 pid)
{
    u32* free_slot = nullptr;
    for (u32& owner : s_area_owners) {
        if (owner == pid)
            return;
        if (!owner || !process_alive(owner))
            free_slot = free_slot ? free_slot : &owner;
    }
    // With every slot taken by a live program the oldest is dropped: the
    // panel may then come back while one of them still runs.
    if (!free_slot) {
        for (size_t i = 0; i + 1 < max_area_owners; ++i)
            s_area_owners[i] = s_area_owners[i + 1];
        free_slot = &s_area_owners[max_area_owners - 1];
    }
    *free_slot = pid;
}

// Every program that set a working area of its own has exited (a taskbar
// that ended or was killed): the desktop gets its panel and working area
// back, as there would be no way left to start programs. KolibriOS keeps
// the last working area; it has no panel of its own to restore. Under
// GuiLock.
void bring_panel_back_when_owners_gone()
{
    if (!s_panel->hidden())
        return;
    u32 last = 0;
    for (u32& owner : s_area_owners) {
        if (owner && process_alive(owner))
            return;
        if (owner)
            last = owner;
        owner = 0;
    }
    kernel::log_info("panel: process %u, which set the working area, has exited: the panel is back", last);
    if (!s_panel->show())
        kernel::log_warning("gui: cannot create the panel");
    s_panel->windows_changed();
    s_wm->keep_windows_on_screen();
    request_flush();
}

int gui_thread(void*)
{
    u64 last_sweep = 0;
    u64 last_clock = 0;
    for (;;) {
        bool kicked;
        {
            arch::InterruptDisabler disabler;
            if (s_input_count == 0 && !s_kicked)
                s_gui_wakeup.wait_for(20);
            kicked = s_kicked;
            s_kicked = false;
        }
        i32 launch_index = -1;
        {
            GuiLock lock;
            if (s_recover) {
                // Whatever the dead thread was painting is repainted.
                s_recover = false;
                s_wm->recover();
            }
            process_input();
            u64 now = arch::pit::uptime_ms();
            if (now - last_sweep >= 200 || kicked) {
                last_sweep = now;
                if (s_hooks.sweep)
                    s_hooks.sweep();
                bring_panel_back_when_owners_gone();
            }
            if (now - last_clock >= 1000) {
                last_clock = now;
                auto time = drivers::rtc::read();
                s_panel->set_clock(time.hour, time.minute);
            }
            // Pixels KolibriOS programs wrote straight into the screen
            // (DirectScreen.h) go out with the next copy.
            if (take_direct_screen_writes())
                s_flush_needed = true;
            if (s_flush_needed && arch::pit::uptime_ms() >= s_hold_until_ms)
                flush_with_cursor();
            launch_index = s_pending_launch;
            s_pending_launch = -1;
        }
        if (launch_index >= 0)
            launch(launch_index);
    }
    return 0;
}

} // namespace

GuiLock::GuiLock()
{
    task::Thread* self = task::current_thread();
    u32 me = self ? self->id : 0;
    for (;;) {
        arch::InterruptDisabler disabler;
        if (!s_locked) {
            s_locked = true;
            s_lock_owner = me;
            s_lock_depth = 1;
            return;
        }
        if (s_lock_owner == me) {
            ++s_lock_depth;
            return;
        }
        if (!task::thread_alive(s_lock_owner)) {
            kernel::log_warning("gui: thread %u died holding the GUI lock; taking it over", s_lock_owner);
            s_lock_owner = me;
            s_lock_depth = 1;
            s_recover = true;
            return;
        }
        // Timed, so a holder that dies without waking us is noticed.
        s_lock_waiters.wait_for(20);
    }
}

GuiLock::~GuiLock()
{
    arch::InterruptDisabler disabler;
    if (--s_lock_depth == 0) {
        s_locked = false;
        s_lock_waiters.wake_one();
    }
}

WindowManager& window_manager() { return *s_wm; }

bool gui_available() { return s_available; }

void request_flush() { s_flush_needed = true; }

void flush_now(bool end_of_redraw)
{
    if (!s_available || !s_flush_needed)
        return;
    if (end_of_redraw || arch::pit::uptime_ms() >= s_hold_until_ms)
        flush_with_cursor();
}

void wake_gui_thread()
{
    arch::InterruptDisabler disabler;
    s_kicked = true;
    s_gui_wakeup.wake_one();
}

void set_client_hooks(const GuiClientHooks& hooks) { s_hooks = hooks; }

void set_window_defining_hook(void (*hook)(Window&)) { s_window_defining_hook = hook; }

u32 keyboard_modifiers() { return s_modifiers; }

void take_scroll(i32& vertical, i32& horizontal)
{
    vertical = s_scroll_vertical;
    horizontal = s_scroll_horizontal;
    s_scroll_vertical = 0;
    s_scroll_horizontal = 0;
}

void working_area_set_by_program(u32 pid)
{
    if (!s_panel)
        return;
    Rect area = s_wm->working_area();
    if (area == s_panel->own_working_area()) {
        forget_area_owners();
        if (s_panel->hidden()) {
            kernel::log_info("panel: process %u set the panel's working area again: the panel is back", pid);
            if (!s_panel->show())
                kernel::log_warning("gui: cannot create the panel");
            s_panel->windows_changed();
        }
        return;
    }
    remember_area_owner(pid);
    if (!s_panel->hidden()) {
        kernel::log_info("panel: hidden: process %u set the working area to %d,%d-%d,%d (function 48.6)", pid,
            static_cast<int>(area.x), static_cast<int>(area.y), static_cast<int>(area.right() - 1),
            static_cast<int>(area.bottom() - 1));
        s_panel->hide();
    }
    request_flush();
}

void initialize_gui()
{
    if (!display_available()) {
        kernel::log_info("gui: no display, the window system stays off");
        return;
    }
    // load_default_skin: before anything is painted.
    load_default_skin();
    s_wm = new (lib::nothrow) WindowManager(back_buffer(), s_listener);
    s_panel = s_wm ? new (lib::nothrow) Panel(*s_wm) : nullptr;
    if (!s_wm || !s_panel) {
        kernel::log_warning("gui: out of memory");
        return;
    }
    {
        GuiLock lock;
        s_wm->repaint_everything();
        if (!s_panel->create())
            kernel::log_warning("gui: cannot create the panel");
        list_programs();
        auto time = drivers::rtc::read();
        s_panel->set_clock(time.hour, time.minute);
        s_panel->windows_changed();
        flush_with_cursor();
    }
    s_available = true;
    set_key_handler(on_key);
    set_mouse_handler(on_mouse);
    auto thread = task::create_kernel_thread("gui", gui_thread, nullptr, task::priority_high);
    if (thread.is_error())
        kernel::log_warning("gui: cannot start the GUI thread");
    const DisplayInfo& info = display_info();
    kernel::log_info("gui: desktop %dx%d, %u programs on the panel", info.width, info.height,
        u32(s_panel->program_count()));
}

} // namespace gui
