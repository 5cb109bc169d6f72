#include "kernel/gui/WindowManager.h"

#include "kernel/gui/Decoration.h"
#include "kernel/gui/Skin.h"
#include "kernel/gui/SkinFile.h"

namespace gui {

bool decode_window_definition(u32 ebx, u32 ecx, u32 edx, u32 esi, u32 edi, WindowDefinition& out)
{
    u8 style = (edx >> 24) & 0xF;
    if (style > StyleSkinnedFixed)
        return false;
    // Sizes are "coordinates of the right lower corner": one less than
    // the size in pixels (function 0, remarks).
    // The position is a signed 16-bit value (window._.sys_set_window takes
    // it with sar), so 0xFFFF is -1, which the fit then makes 0.
    out.frame = { i32(i16(ebx >> 16)), i32(i16(ecx >> 16)), i32(ebx & 0xFFFF) + 1, i32(ecx & 0xFFFF) + 1 };
    out.style = style;
    out.has_caption = edx & (1u << 28);
    out.client_relative = edx & (1u << 29);
    out.no_fill = edx & (1u << 30);
    out.gradient_fill = edx & (1u << 31);
    out.work_color = edx & 0xFFFFFF;
    out.header_color = esi & 0xFFFFFF;
    out.header_register = esi;
    out.unmovable = ((esi >> 24) & 0xF) == 1;
    out.header_gradient = (esi >> 28) & 0xF;
    out.frame_color = edi & 0xFFFFFF;
    return true;
}

namespace {

Rect work_area_of(u8 style, i32 width, i32 height)
{
    // KolibriOS's window_topleft table: where the work area starts for
    // each style; it ends as far from the right and bottom edges as it
    // starts from the left (sysfuncs.txt, function 0).
    switch (style) {
    case StyleFixed:
        return { 1, 21, width - 2, height - 22 };
    case StyleSizable:
        return { 5, 20, width - 10, height - 25 };
    case StyleSkinned:
    case StyleSkinnedFixed:
        return { skin::border, skin_header_height(), width - 2 * skin::border,
            height - skin_header_height() - skin::border };
    default:
        return { 0, 0, width, height };
    }
}

} // namespace

Rect Window::client_rect() const
{
    return work_area_of(style(), m_frame.width, m_frame.height);
}

Point Window::origin() const
{
    Point origin { m_frame.x, m_frame.y };
    if (m_definition.client_relative) {
        Rect client = client_rect();
        origin.x += client.x;
        origin.y += client.y;
    }
    return origin;
}

i32 Window::header_height() const
{
    switch (style()) {
    case StyleFixed:
        return 21;
    case StyleSizable:
        return 20;
    case StyleSkinned:
    case StyleSkinnedFixed:
        return skin_header_height();
    default:
        return 0;
    }
}

bool Window::is_movable() const
{
    return m_layer == WindowLayer::Normal && header_height() > 0 && !m_definition.unmovable;
}

bool Window::is_resizable() const
{
    return m_layer == WindowLayer::Normal && (style() == StyleSizable || style() == StyleSkinned);
}

WindowManager::WindowManager(Surface& screen, WindowManagerListener& listener)
    : m_screen(screen)
    , m_listener(listener)
    , m_working_area(screen.bounds())
{
    m_desktop_visible = Region(screen_rect());
    m_pointer = { screen.width() / 2, screen.height() / 2 };
}

WindowManager::~WindowManager()
{
    for (Window* window : m_stack)
        delete window;
}

void WindowManager::set_working_area(const Rect& area)
{
    Rect clipped = area.intersected(screen_rect());
    if (!clipped.is_empty())
        m_working_area = clipped;
}

void WindowManager::keep_windows_on_screen()
{
    for (size_t i = 0; i < m_stack.size(); ++i) {
        Window& window = *m_stack[i];
        if (window.layer() != WindowLayer::Normal)
            continue;
        Rect fitted = fit_to_screen(window.frame());
        if (!(fitted == window.frame()))
            set_frame(window, fitted);
    }
}

Rect WindowManager::fit_to_screen(const Rect& requested) const
{
    // As window._.check_window_position (gui/window.inc) does, for
    // function 0 and 67, in its terms (box size = pixels - 1): a window
    // wider than the screen gets the screen's width; a negative position
    // becomes 0; a window running off the right (bottom) edge is moved
    // left (up) until its last column (row) is the screen's last one.
    // (sysfuncs.txt says the coordinate becomes 0; the code moves it.)
    Rect frame = requested;
    Rect screen = screen_rect();
    if (frame.width < 1)
        frame.width = 1;
    if (frame.height < 1)
        frame.height = 1;
    if (frame.width > screen.width)
        frame.width = screen.width;
    if (frame.x < 0)
        frame.x = 0;
    else if (frame.right() > screen.right())
        frame.x = screen.width - frame.width;
    if (frame.height > screen.height)
        frame.height = screen.height;
    if (frame.y < 0)
        frame.y = 0;
    else if (frame.bottom() > screen.bottom())
        frame.y = screen.height - frame.height;
    return frame;
}

i32 WindowManager::depth_of(const Window& window) const
{
    for (size_t i = 0; i < m_stack.size(); ++i) {
        if (m_stack[i] == &window)
            return static_cast<i32>(i);
    }
    return -1;
}

Window* WindowManager::find_window(u32 id) const
{
    for (Window* window : m_stack) {
        if (window->m_id == id)
            return window;
    }
    return nullptr;
}

Window* WindowManager::window_at(Point point) const
{
    for (size_t i = m_stack.size(); i-- > 0;) {
        Window* window = m_stack[i];
        if (window->m_visible.contains(point.x, point.y))
            return window;
    }
    return nullptr;
}

void WindowManager::remove_from_stack(Window* window)
{
    Atomic atomic(m_listener);
    i32 depth = depth_of(*window);
    if (depth >= 0)
        m_stack.remove(static_cast<size_t>(depth));
}

void WindowManager::insert_in_stack(Window* window)
{
    // On top of its layer: Normal windows go below the first Top one.
    size_t position = m_stack.size();
    if (window->m_layer == WindowLayer::Normal) {
        for (size_t i = 0; i < m_stack.size(); ++i) {
            if (m_stack[i]->m_layer == WindowLayer::Top) {
                position = i;
                break;
            }
        }
    }
    Window* entry = window;
    Atomic atomic(m_listener);
    (void)m_stack.try_insert(position, lib::move(entry));
}

void WindowManager::sink_below_newer_threads(Window* window)
{
    // KolibriOS gives each thread its place in the window stack when the
    // thread is made (set_window_defaults: WIN_STACK[slot] = slot, a new
    // slot on top), and function 0 does not raise the window. So a thread
    // that draws its first window late (after loading its DLLs, say) gets
    // it below the windows of threads started after it, and the window on
    // top, the active one, stays the newest thread's. Owners are thread
    // ids, given out in creation order.
    i32 depth = depth_of(*window);
    if (depth <= 0)
        return;
    size_t position = static_cast<size_t>(depth);
    while (position > 0 && m_stack[position - 1]->m_layer == WindowLayer::Normal
        && m_stack[position - 1]->m_owner > window->m_owner)
        --position;
    if (position == static_cast<size_t>(depth))
        return;
    Atomic atomic(m_listener);
    m_stack.remove(static_cast<size_t>(depth));
    Window* entry = window;
    (void)m_stack.try_insert(position, lib::move(entry));
}

void WindowManager::choose_active()
{
    m_active = nullptr;
    for (size_t i = m_stack.size(); i-- > 0;) {
        Window* window = m_stack[i];
        if (window->m_layer == WindowLayer::Normal && !window->m_minimized) {
            m_active = window;
            return;
        }
    }
}

Window* WindowManager::create_window(u32 owner, const WindowDefinition& definition, WindowLayer layer, const char* name)
{
    if (m_stack.try_reserve_additional(1).is_error())
        return nullptr;
    auto window = new (lib::nothrow) Window;
    if (!window)
        return nullptr;
    window->m_id = m_next_id++;
    window->m_owner = owner;
    window->m_layer = layer;
    window->m_definition = definition;
    window->m_frame = layer == WindowLayer::Normal ? fit_to_screen(definition.frame) : definition.frame;
    size_t i = 0;
    for (; name && name[i] && i + 1 < sizeof(window->m_name); ++i)
        window->m_name[i] = name[i];
    window->m_name[i] = '\0';
    insert_in_stack(window);
    if (layer == WindowLayer::Normal)
        sink_below_newer_threads(window);
    Window* previous = m_active;
    if (layer == WindowLayer::Normal)
        choose_active();
    restack(nullptr, 0, 0, window);
    if (previous && previous != m_active)
        paint_decoration(*previous, previous->m_visible, false);
    m_listener.windows_changed();
    return window;
}

void WindowManager::destroy_window(Window* window)
{
    if (!window)
        return;
    if (m_press.window == window)
        m_press = {};
    if (m_drag.window == window)
        m_drag = {};
    if (m_pointer_kernel_window == window)
        m_pointer_kernel_window = nullptr;
    if (m_hover_kernel_window == window)
        m_hover_kernel_window = nullptr;
    remove_from_stack(window);
    bool was_active = m_active == window;
    if (was_active)
        choose_active();
    // What it covered belongs to others now: the restack sees those
    // pixels as newly visible.
    restack();
    if (was_active && m_active)
        paint_decoration(*m_active, m_active->m_visible, false);
    delete window;
    m_listener.windows_changed();
}

void WindowManager::redefine(Window& window, const WindowDefinition& definition)
{
    Rect frame = window.m_frame;
    window.m_definition = definition;
    window.m_definition.frame = frame;
}

void WindowManager::paint_window(Window& window)
{
    m_listener.window_defining(window);
    if (window.is_skinned()) {
        // Function 0 defines the close and minimize buttons of skinned
        // windows (function 8, remarks), once: earlier ones are replaced.
        Atomic atomic(m_listener);
        for (size_t i = window.m_buttons.size(); i-- > 0;) {
            if (window.m_buttons[i].system)
                window.m_buttons.remove(i);
        }
        i32 width = window.m_frame.width;
        if (const SkinFile* skin = loaded_skin()) {
            // drawwindow_IV: the skin's buttons, a negative left counting
            // from box width + 1 (the window's width), not drawn (they
            // are in the skin's oper picture). A skin without one of
            // them gets none (KolibriOS would add a 0x0 button).
            auto add = [&](u32 id, const SkinButton& from) {
                if (!from.present || from.width <= 0 || from.height <= 0)
                    return;
                i32 left = from.left < 0 ? width + from.left : from.left;
                Button button { id, { left, from.top, from.width, from.height }, 0, false, true, true };
                (void)window.m_buttons.try_append(lib::move(button));
            };
            add(skin::minimize_button_id, skin->minimize);
            add(skin::close_button_id, skin->close);
        } else {
            i32 close_x = width - skin::close_button_right - skin::system_button_width;
            i32 minimize_x = close_x - skin::system_button_gap - skin::system_button_width;
            Button close { skin::close_button_id,
                { close_x, skin::system_button_top, skin::system_button_width, skin::system_button_height }, 0, true, true,
                true };
            Button minimize { skin::minimize_button_id,
                { minimize_x, skin::system_button_top, skin::system_button_width, skin::system_button_height }, 0, true,
                true, true };
            (void)window.m_buttons.try_append(lib::move(minimize));
            (void)window.m_buttons.try_append(lib::move(close));
        }
    }
    paint_decoration(window, window.m_visible, !window.m_definition.no_fill);
}

void WindowManager::set_caption(Window& window, const u8* text, size_t length, TextEncoding encoding)
{
    length = lib::min(length, max_caption_bytes);
    for (size_t i = 0; i < length; ++i)
        window.m_caption[i] = text[i];
    window.m_caption_length = length;
    window.m_caption_encoding = encoding;
    if (window.m_layer == WindowLayer::Normal)
        paint_decoration(window, window.m_visible, false);
    m_listener.windows_changed();
}

void WindowManager::activate(Window& window)
{
    bool changed = window.m_minimized;
    window.m_minimized = false;
    Window* previous = m_active;
    if (m_stack.is_empty() || m_stack[m_stack.size() - 1] != &window) {
        remove_from_stack(&window);
        insert_in_stack(&window);
        changed = true;
    }
    if (window.m_layer == WindowLayer::Normal)
        m_active = &window;
    if (changed)
        restack();
    if (previous != m_active) {
        if (previous)
            paint_decoration(*previous, previous->m_visible, false);
        if (m_active)
            paint_decoration(*m_active, m_active->m_visible, false);
    }
    if (changed || previous != m_active)
        m_listener.windows_changed();
}

void WindowManager::minimize(Window& window)
{
    if (window.m_minimized)
        return;
    window.m_minimized = true;
    if (m_drag.window == &window)
        m_drag = {};
    if (m_press.window == &window)
        m_press = {};
    Window* previous = m_active;
    if (m_active == &window)
        choose_active();
    restack();
    if (m_active && m_active != previous)
        paint_decoration(*m_active, m_active->m_visible, false);
    m_listener.windows_changed();
}

void WindowManager::set_frame(Window& window, const Rect& requested)
{
    Rect frame = requested;
    if (frame.width < 1)
        frame.width = 1;
    if (frame.height < 1)
        frame.height = 1;
    if (frame == window.m_frame)
        return;
    bool same_size = frame.width == window.m_frame.width && frame.height == window.m_frame.height;
    i32 dx = frame.x - window.m_frame.x;
    i32 dy = frame.y - window.m_frame.y;
    i32 growth = frame.width - window.m_frame.width;
    window.m_frame = frame;
    if (same_size) {
        restack(&window, dx, dy);
        return;
    }
    // A new size: the program draws it all again (nothing is carried
    // along); the system buttons follow the right edge.
    for (Button& button : window.m_buttons) {
        if (button.system)
            button.rect.x += growth;
    }
    restack(&window, 0, 0);
}

// --- Visible regions and exposure ------------------------------------------

void WindowManager::restack(Window* moved, i32 dx, i32 dy, Window* quiet)
{
    for (Window* window : m_stack)
        window->m_old_visible = lib::move(window->m_visible);
    Region old_desktop = lib::move(m_desktop_visible);

    Rect screen = screen_rect();
    Region covered;
    for (size_t i = m_stack.size(); i-- > 0;) {
        Window* window = m_stack[i];
        if (window->m_minimized)
            continue;
        Region on_screen = area_on_screen(*window, screen);
        Region visible = on_screen.clone();
        visible.subtract(covered);
        window->m_visible = lib::move(visible);
        covered.add(on_screen);
    }
    m_desktop_visible = Region(screen);
    m_desktop_visible.subtract(covered);

    // A moved window takes its pixels along where it can: the part that
    // was visible before and is visible after (one rectangle, so the copy
    // cannot overwrite its own source). Everything else of it is exposed.
    Region carried;
    if (moved && (dx || dy) && !moved->m_minimized) {
        Region candidate = moved->m_old_visible.clone();
        candidate.translate(dx, dy);
        candidate.intersect(moved->m_visible);
        if (candidate.count() == 1) {
            Rect target = candidate[0];
            m_screen.copy_from(m_screen, target.translated(-dx, -dy), target.x, target.y, target);
            damage(target);
            carried = lib::move(candidate);
        }
    }

    for (Window* window : m_stack) {
        Region gained = window->m_visible.clone();
        if (window == moved)
            gained.subtract(carried);
        else
            gained.subtract(window->m_old_visible);
        window->m_old_visible.clear();
        if (window == quiet || gained.is_empty())
            continue;
        expose(*window, gained);
    }
    Region desktop_gained = m_desktop_visible.clone();
    desktop_gained.subtract(old_desktop);
    for (const Rect& rect : desktop_gained)
        repaint_desktop(rect);
}

void WindowManager::expose(Window& window, const Region& region)
{
    if (window.m_layer == WindowLayer::Top) {
        for (const Rect& rect : region) {
            m_listener.paint_kernel_window(window, rect);
            damage(rect);
        }
        return;
    }
    paint_decoration(window, region, !window.m_definition.no_fill);
    m_listener.window_exposed(window);
}

void WindowManager::repaint_desktop(const Rect& rect)
{
    Region area = m_desktop_visible.clone();
    area.intersect(rect);
    for (const Rect& clip : area) {
        paint_desktop(m_screen, clip);
        damage(clip);
    }
}

void WindowManager::repaint_kernel_window(Window& window, const Rect* area)
{
    for (const Rect& rect : window.m_visible) {
        Rect clip = area ? rect.intersected(*area) : rect;
        if (clip.is_empty())
            continue;
        m_listener.paint_kernel_window(window, clip);
        damage(clip);
    }
}

void WindowManager::recover()
{
    m_press = {};
    m_drag = {};
    m_pointer_kernel_window = nullptr;
    m_hover_kernel_window = nullptr;
    if (m_active && (m_active->m_minimized || depth_of(*m_active) < 0))
        choose_active();
    for (Window* window : m_stack) {
        window->m_visible.clear();
        window->m_old_visible.clear();
    }
    m_desktop_visible.clear();
    // With every old region empty, the restack finds everything newly
    // visible: it repaints the desktop and all decorations and exposes
    // every window.
    restack();
}

void WindowManager::repaint_everything()
{
    repaint_desktop(screen_rect());
    for (Window* window : m_stack) {
        if (!window->m_visible.is_empty())
            expose(*window, window->m_visible);
    }
}

void WindowManager::damage(const Rect& rect)
{
    Rect clipped = rect.intersected(screen_rect());
    if (!clipped.is_empty())
        m_listener.screen_changed(clipped);
}

void WindowManager::damage(const Region& region)
{
    for (const Rect& rect : region)
        damage(rect);
}

// --- Buttons ---------------------------------------------------------------

bool WindowManager::add_button(Window& window, const Button& button)
{
    if (button.rect.is_empty() || window.m_buttons.size() >= max_buttons_per_window)
        return false;
    Button copy = button;
    {
        Atomic atomic(m_listener);
        if (window.m_buttons.try_append(lib::move(copy)).is_error())
            return false;
    }
    paint_button(window, button);
    return true;
}

void WindowManager::remove_buttons(Window& window, u32 id)
{
    Atomic atomic(m_listener);
    for (size_t i = window.m_buttons.size(); i-- > 0;) {
        if (window.m_buttons[i].id == id)
            window.m_buttons.remove(i);
    }
    ++window.m_button_generation;
}

void WindowManager::clear_buttons(Window& window)
{
    Atomic atomic(m_listener);
    window.m_buttons.clear();
    ++window.m_button_generation;
}

const Button* WindowManager::button_at(const Window& window, Point point) const
{
    for (size_t i = window.m_buttons.size(); i-- > 0;) {
        if (window.m_buttons[i].rect.contains(point.x, point.y))
            return &window.m_buttons[i];
    }
    return nullptr;
}

} // namespace gui
