// What the mouse does to windows: pressing buttons (reported on a release
// over them), activating windows, dragging captions and resizing frames,
// and the kernel windows' own mouse handling (WindowManager.h).
#include "kernel/gui/Skin.h"
#include "kernel/gui/WindowManager.h"

namespace gui {

void WindowManager::pointer_moved(i32 dx, i32 dy, u32 buttons)
{
    pointer_set({ i32(lib::max<i64>(-0x10000, lib::min<i64>(0x10000, i64(m_pointer.x) + dx))),
                    i32(lib::max<i64>(-0x10000, lib::min<i64>(0x10000, i64(m_pointer.y) + dy))) },
        buttons);
}

void WindowManager::pointer_set(Point position, u32 buttons)
{
    Rect screen = screen_rect();
    position.x = lib::max(0, lib::min(position.x, screen.width - 1));
    position.y = lib::max(0, lib::min(position.y, screen.height - 1));
    u32 previous = m_pointer_buttons;
    m_pointer = position;
    m_pointer_buttons = buttons;
    if (m_drag.window) {
        drag_to(position);
        if (!(buttons & 1))
            m_drag = {};
    }
    if (m_pointer_kernel_window) {
        Window* window = m_pointer_kernel_window;
        if (buttons == 0)
            m_pointer_kernel_window = nullptr;
        m_listener.kernel_window_mouse(*window, { position.x - window->m_frame.x, position.y - window->m_frame.y },
            buttons, previous);
        return;
    }
    if (buttons != previous) {
        handle_buttons(previous);
        return;
    }
    // A plain move: hover feedback for kernel windows.
    Window* under = window_at(position);
    Window* hover = under && under->m_layer == WindowLayer::Top ? under : nullptr;
    if (m_hover_kernel_window && m_hover_kernel_window != hover)
        m_listener.kernel_window_mouse(*m_hover_kernel_window, { -1, -1 }, buttons, previous);
    m_hover_kernel_window = hover;
    if (hover && !m_drag.window)
        m_listener.kernel_window_mouse(*hover, { position.x - hover->m_frame.x, position.y - hover->m_frame.y },
            buttons, previous);
}

void WindowManager::handle_buttons(u32 previous)
{
    Point position = m_pointer;
    u32 buttons = m_pointer_buttons;
    if (previous == 0 && buttons != 0) {
        // A press: the listener may close menus (windows) first.
        m_listener.pointer_pressed(position, window_at(position));
        Window* target = window_at(position);
        if (!target)
            return;
        Point local { position.x - target->m_frame.x, position.y - target->m_frame.y };
        if (target->m_layer == WindowLayer::Top) {
            m_pointer_kernel_window = target;
            m_listener.kernel_window_mouse(*target, local, buttons, previous);
            return;
        }
        if (m_active != target || target->m_minimized)
            activate(*target);
        if (const Button* button = button_at(*target, local)) {
            m_press = { target, *button, target->m_button_generation, buttons };
            if (button->press_frame && (button->drawn || button->system))
                invert_button_frame(*target, *button);
            return;
        }
        if (!(buttons & 1))
            return;
        Rect frame = target->m_frame;
        bool near_left = local.x < resize_border;
        bool near_right = local.x >= frame.width - resize_border;
        bool near_bottom = local.y >= frame.height - resize_border;
        if (target->is_resizable() && local.y >= target->header_height() && (near_left || near_right || near_bottom)) {
            m_drag = { target, local, near_left, near_right, near_bottom, frame, position };
            return;
        }
        if (target->is_movable() && local.y < target->header_height()) {
            m_drag = {};
            m_drag.window = target;
            m_drag.grab = local;
        }
        return;
    }
    if (buttons == 0 && m_press.window) {
        Press press = m_press;
        m_press = {};
        Window& window = *press.window;
        if (press.generation == window.m_button_generation && press.button.press_frame
            && (press.button.drawn || press.button.system))
            invert_button_frame(window, press.button);
        Rect on_screen = press.button.rect.translated(window.m_frame.x, window.m_frame.y);
        if (!on_screen.contains(position.x, position.y) || window_at(position) != &window)
            return;
        if (press.button.id == skin::minimize_button_id) {
            // Handled by the system, never reported (function 8, remarks).
            minimize(window);
            return;
        }
        m_listener.button_clicked(window, press.button.id, press.mouse_buttons);
    }
}

void WindowManager::resize_to(Point position)
{
    Window& window = *m_drag.window;
    Rect start = m_drag.start;
    i64 dx = i64(position.x) - m_drag.start_pointer.x;
    i64 dy = i64(position.y) - m_drag.start_pointer.y;
    i64 left = start.left(), right = start.right(), bottom = start.bottom();
    if (m_drag.left)
        left = lib::min<i64>(left + dx, right - min_resized_width);
    if (m_drag.right)
        right = lib::max<i64>(right + dx, left + min_resized_width);
    if (m_drag.bottom)
        bottom = lib::max<i64>(bottom + dy, i64(start.y) + min_resized_height);
    Rect frame = Rect::from_edges(left, start.y, right, bottom);
    if (frame == window.m_frame)
        return;
    set_frame(window, frame);
}

void WindowManager::drag_to(Point position)
{
    Window& window = *m_drag.window;
    if (m_drag.left || m_drag.right || m_drag.bottom) {
        resize_to(position);
        return;
    }
    Rect frame = window.m_frame;
    i64 x = i64(position.x) - m_drag.grab.x;
    i64 y = i64(position.y) - m_drag.grab.y;
    // Keep a grip on the header: at least 40 pixels of it on screen and
    // its top inside the working area.
    Rect area = m_working_area;
    x = lib::max<i64>(x, 40 - i64(frame.width));
    x = lib::min<i64>(x, area.right() - 40);
    y = lib::max<i64>(y, area.top());
    y = lib::min<i64>(y, area.bottom() - lib::min<i64>(window.header_height(), 8));
    if (x == frame.x && y == frame.y)
        return;
    set_frame(window, { i32(x), i32(y), frame.width, frame.height });
}

} // namespace gui
