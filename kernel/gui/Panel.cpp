#include "kernel/gui/Panel.h"

#include "kernel/gui/Decoration.h"
#include "kernel/gui/Font.h"
#include "kernel/gui/Skin.h"

namespace gui {

namespace {

constexpr i32 menu_button_width = 104;
constexpr i32 clock_width = 64;
constexpr i32 task_button_max_width = 180;
constexpr i32 task_gap = 4;
constexpr i32 text_height = 16;
constexpr i32 char_width_8x16 = 8;
constexpr const char* menu_label = "Programs";
constexpr const char* menu_title = "Colibri";

size_t length_of(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

TextStyle panel_text(Color color)
{
    TextStyle style;
    style.font = FontId::System8x16;
    style.color = color;
    return style;
}

void text(Surface& surface, const Rect& clip, i32 x, i32 y, const char* string, Color color)
{
    gui::draw_text(surface, clip, x, y, reinterpret_cast<const u8*>(string), length_of(string), panel_text(color));
}

} // namespace

Panel::Panel(WindowManager& wm)
    : m_wm(wm)
{
}

bool Panel::create()
{
    Rect screen = m_wm.screen_rect();
    WindowDefinition definition;
    definition.style = StyleBare;
    definition.frame = { 0, screen.height - skin::panel_height, screen.width, skin::panel_height };
    m_bar = m_wm.create_window(0, definition, WindowLayer::Top, "panel");
    if (!m_bar)
        return false;
    m_wm.set_working_area(own_working_area());
    return true;
}

Rect Panel::own_working_area() const
{
    Rect screen = m_wm.screen_rect();
    return { 0, 0, screen.width, screen.height - skin::panel_height };
}

void Panel::hide()
{
    if (m_hidden)
        return;
    close_menu();
    m_hidden = true;
    m_pressed_task = 0;
    m_menu_button_down = false;
    if (m_bar) {
        Window* bar = m_bar;
        m_bar = nullptr;
        m_wm.destroy_window(bar);
    }
}

bool Panel::show()
{
    if (!m_hidden)
        return true;
    m_hidden = false;
    return create();
}

void Panel::add_program(const char* name)
{
    PanelProgram program {};
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof(program.name); ++i)
        program.name[i] = name[i];
    program.name[i] = '\0';
    // Keep the menu sorted by name.
    size_t position = 0;
    while (position < m_programs.size()) {
        const char* other = m_programs[position].name;
        size_t j = 0;
        while (other[j] && other[j] == program.name[j])
            ++j;
        if (u8(other[j]) > u8(program.name[j]))
            break;
        ++position;
    }
    (void)m_programs.try_insert(position, lib::move(program));
}

void Panel::set_clock(u8 hour, u8 minute)
{
    if (hour == m_hour && minute == m_minute)
        return;
    m_hour = hour;
    m_minute = minute;
    if (m_bar) {
        Rect clock = clock_rect().translated(m_bar->frame().x, m_bar->frame().y);
        m_wm.repaint_kernel_window(*m_bar, &clock);
    }
}

Rect Panel::menu_button_rect() const { return { 4, 3, menu_button_width, skin::panel_height - 6 }; }

Rect Panel::clock_rect() const
{
    i32 width = m_bar ? m_bar->frame().width : 0;
    return { width - clock_width, 0, clock_width, skin::panel_height };
}

Rect Panel::tasks_area() const
{
    i32 width = m_bar ? m_bar->frame().width : 0;
    i32 left = menu_button_width + 12;
    return Rect::from_edges(left, 3, width - clock_width - 4, skin::panel_height - 3);
}

size_t Panel::collect_tasks(Window* tasks[max_tasks]) const
{
    // Creation order (window ids grow), so buttons do not jump around
    // when the stacking changes. Programs whose name starts with '@' are
    // KolibriOS's background services (@MENU, @ICON, @DOCKY...): they get
    // no button, as KolibriOS's taskbar gives them none.
    size_t count = 0;
    for (size_t i = 0; i < m_wm.window_count() && count < max_tasks; ++i) {
        Window& window = m_wm.window_at_depth(i);
        if (window.layer() == WindowLayer::Normal && window.name()[0] != '@')
            tasks[count++] = &window;
    }
    for (size_t i = 1; i < count; ++i) {
        for (size_t j = i; j > 0 && tasks[j - 1]->id() > tasks[j]->id(); --j) {
            Window* swap = tasks[j - 1];
            tasks[j - 1] = tasks[j];
            tasks[j] = swap;
        }
    }
    return count;
}

Rect Panel::task_button_rect(const Window& target) const
{
    Window* tasks[max_tasks];
    size_t count = collect_tasks(tasks);
    Rect area = tasks_area();
    if (count == 0)
        return {};
    i32 width = lib::min<i32>(task_button_max_width, (area.width - task_gap * i32(count - 1)) / i32(count));
    for (size_t i = 0; i < count; ++i) {
        if (tasks[i] == &target)
            return { area.x + i32(i) * (width + task_gap), area.y, width, area.height };
    }
    return {};
}

void Panel::paint(Window& window, const Rect& clip)
{
    if (&window == m_bar)
        paint_bar(clip);
    else if (&window == m_menu)
        paint_menu(clip);
}

void Panel::paint_bar(const Rect& screen_clip)
{
    Surface& surface = m_wm.screen();
    Rect frame = m_bar->frame();
    Rect clip = screen_clip.intersected(frame);
    auto at = [&](const Rect& local) { return local.translated(frame.x, frame.y); };
    surface.fill_rect(frame, skin::panel_background, clip);
    surface.fill_rect({ frame.x, frame.y, frame.width, 1 }, skin::panel_top_line, clip);

    // The menu button.
    Rect menu = at(menu_button_rect());
    Color menu_color = m_menu ? mix(skin::panel_accent, 0xFFFFFF, 1, 5) : skin::panel_accent;
    fill_vertical_gradient(surface, menu, mix(menu_color, 0xFFFFFF, 1, 6), mix(menu_color, 0x000000, 1, 6), clip);
    // A small hummingbird-ish mark: three bars.
    for (i32 i = 0; i < 3; ++i)
        surface.fill_rect({ menu.x + 10, menu.y + 7 + i * 4, 12 - i * 3, 2 }, 0xFFFFFF, clip);
    text(surface, clip, menu.x + 30, menu.y + (menu.height - text_height) / 2, menu_label, 0xFFFFFF);

    // One button per program window.
    Window* tasks[max_tasks];
    size_t count = collect_tasks(tasks);
    for (size_t i = 0; i < count; ++i) {
        Window& task = *tasks[i];
        Rect button = at(task_button_rect(task));
        if (button.is_empty())
            continue;
        bool active = m_wm.active() == &task;
        Color face = active ? mix(skin::panel_accent, skin::panel_background, 1, 3) : skin::panel_button;
        surface.fill_rect(button, face, clip);
        if (active)
            surface.fill_rect({ button.x, i32(button.bottom() - 2), button.width, 2 }, skin::panel_accent, clip);
        Rect text_clip = Rect::from_edges(button.left() + 6, button.top(), button.right() - 6, button.bottom())
                             .intersected(clip);
        TextStyle style = panel_text(task.is_minimized() ? skin::panel_dim_text : skin::panel_text);
        i32 y = button.y + (button.height - text_height) / 2;
        if (task.caption_length()) {
            style.encoding = task.caption_encoding();
            gui::draw_text(surface, text_clip, button.x + 8, y, task.caption(), task.caption_length(), style);
        } else {
            gui::draw_text(surface, text_clip, button.x + 8, y, reinterpret_cast<const u8*>(task.name()),
                length_of(task.name()), style);
        }
    }

    // The clock.
    if (m_hour < 24 && m_minute < 60) {
        char clock[6] = { char('0' + m_hour / 10), char('0' + m_hour % 10), ':', char('0' + m_minute / 10),
            char('0' + m_minute % 10), 0 };
        Rect area = at(clock_rect());
        text(surface, clip, area.x + (area.width - 5 * char_width_8x16) / 2, area.y + (area.height - text_height) / 2,
            clock, skin::panel_text);
    }
}

i32 Panel::menu_rows() const
{
    i32 available = m_wm.working_area().height - 40;
    i32 rows = lib::max(1, available / item_height);
    return lib::min<i32>(rows, lib::max<i32>(1, i32(m_programs.size())));
}

Rect Panel::menu_item_rect(size_t index) const
{
    i32 rows = menu_rows();
    i32 column = i32(index) / rows;
    i32 row = i32(index) % rows;
    return { 4 + column * item_width, 30 + row * item_height, item_width, item_height };
}

i32 Panel::menu_item_at(Point local) const
{
    for (size_t i = 0; i < m_programs.size(); ++i) {
        if (menu_item_rect(i).contains(local.x, local.y))
            return i32(i);
    }
    return -1;
}

void Panel::paint_menu(const Rect& screen_clip)
{
    Surface& surface = m_wm.screen();
    Rect frame = m_menu->frame();
    Rect clip = screen_clip.intersected(frame);
    surface.fill_rect(frame, skin::menu_background, clip);
    fill_vertical_gradient(surface, { frame.x, frame.y, frame.width, 26 }, skin::active.top, skin::active.bottom, clip);
    text(surface, clip, frame.x + 10, frame.y + 5, menu_title, 0xFFFFFF);
    draw_outline(surface, frame, skin::menu_border, clip);
    if (m_programs.is_empty())
        text(surface, clip, frame.x + 10, frame.y + 34, "(no programs)", skin::panel_dim_text);
    for (size_t i = 0; i < m_programs.size(); ++i) {
        Rect item = menu_item_rect(i).translated(frame.x, frame.y);
        if (i32(i) == m_hover_item || i32(i) == m_pressed_item)
            surface.fill_rect(item, i32(i) == m_pressed_item ? skin::panel_accent : skin::panel_button_hover, clip);
        Rect text_clip = Rect::from_edges(item.left(), item.top(), item.right() - 4, item.bottom()).intersected(clip);
        text(surface, text_clip, item.x + 8, item.y + (item.height - text_height) / 2, m_programs[i].name,
            skin::panel_text);
    }
}

void Panel::open_menu()
{
    if (m_menu || !m_bar)
        return;
    i32 rows = menu_rows();
    i32 columns = m_programs.is_empty() ? 1 : (i32(m_programs.size()) + rows - 1) / rows;
    i32 width = lib::min(m_wm.screen_rect().width - 8, 8 + columns * item_width);
    i32 height = 30 + rows * item_height + 6;
    WindowDefinition definition;
    definition.style = StyleBare;
    definition.frame = { 4, m_bar->frame().y - height - 2, width, height };
    m_hover_item = -1;
    m_pressed_item = -1;
    m_menu = m_wm.create_window(0, definition, WindowLayer::Top, "menu");
    if (m_menu)
        m_wm.repaint_kernel_window(*m_menu);
    repaint_bar();
}

void Panel::close_menu()
{
    if (!m_menu)
        return;
    Window* menu = m_menu;
    m_menu = nullptr;
    m_wm.destroy_window(menu);
    repaint_bar();
}

void Panel::repaint_bar()
{
    if (m_bar)
        m_wm.repaint_kernel_window(*m_bar);
}

void Panel::repaint_menu()
{
    if (m_menu)
        m_wm.repaint_kernel_window(*m_menu);
}

void Panel::pointer_pressed(Point, Window* target)
{
    if (m_menu && target != m_menu && target != m_bar)
        close_menu();
}

void Panel::windows_changed() { repaint_bar(); }

i32 Panel::mouse(Window& window, Point local, u32 buttons, u32 previous)
{
    bool pressed = (buttons & 1) && !(previous & 1);
    bool released = !(buttons & 1) && (previous & 1);
    if (&window == m_menu) {
        i32 item = menu_item_at(local);
        if (pressed)
            m_pressed_item = item;
        if (item != m_hover_item || pressed) {
            m_hover_item = item;
            repaint_menu();
        }
        if (released) {
            i32 chosen = item == m_pressed_item ? item : -1;
            m_pressed_item = -1;
            if (chosen >= 0) {
                close_menu();
                return chosen;
            }
            repaint_menu();
        }
        return -1;
    }
    if (&window != m_bar)
        return -1;
    if (pressed) {
        m_menu_button_down = menu_button_rect().contains(local.x, local.y);
        m_pressed_task = 0;
        Window* tasks[max_tasks];
        size_t count = collect_tasks(tasks);
        for (size_t i = 0; i < count; ++i) {
            if (task_button_rect(*tasks[i]).contains(local.x, local.y))
                m_pressed_task = tasks[i]->id();
        }
        return -1;
    }
    if (!released)
        return -1;
    if (m_menu_button_down && menu_button_rect().contains(local.x, local.y)) {
        m_menu_button_down = false;
        if (m_menu)
            close_menu();
        else
            open_menu();
        return -1;
    }
    m_menu_button_down = false;
    if (m_pressed_task) {
        Window* task = m_wm.find_window(m_pressed_task);
        m_pressed_task = 0;
        if (task && task_button_rect(*task).contains(local.x, local.y)) {
            close_menu();
            if (m_wm.active() == task && !task->is_minimized())
                m_wm.minimize(*task);
            else
                m_wm.activate(*task);
        }
    }
    return -1;
}

} // namespace gui
