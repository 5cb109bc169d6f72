// The desktop panel: a bar along the bottom of the screen with a menu of
// the programs on the ramdisk, a button per program window (none for
// programs named '@...', as on KolibriOS's taskbar; click: bring
// it to the front, or minimize it when it already is; a minimized window
// comes back) and a clock. The bar and the open menu are kernel windows
// (WindowLayer::Top) of the window manager, so program windows never
// cover them and the usual clipping applies.
//
// Portable: the glue (KernelGui.cpp) gives it the program names, the time
// and the mouse events of its windows, and starts what it asks for.
#pragma once

#include "kernel/gui/WindowManager.h"
#include "lib/Vector.h"

namespace gui {

struct PanelProgram {
    char name[32];
};

class Panel {
public:
    explicit Panel(WindowManager&);

    // Creates the bar and makes the working area end above it.
    bool create();
    // The working area the panel leaves: the screen above its bar.
    Rect own_working_area() const;
    // Steps aside for a KolibriOS taskbar (a program that reserved screen
    // edges with function 48.6): the bar and the menu go away, the working
    // area is left as it is. show() brings the bar back and sets the
    // panel's working area again.
    void hide();
    bool show();
    bool hidden() const { return m_hidden; }
    Window* bar() const { return m_bar; }
    Window* menu() const { return m_menu; }
    bool owns(const Window& window) const { return &window == m_bar || &window == m_menu; }

    void add_program(const char* name);
    size_t program_count() const { return m_programs.size(); }
    const char* program_name(size_t index) const { return m_programs[index].name; }

    // The clock in the right corner (repainted when it changes).
    void set_clock(u8 hour, u8 minute);

    // Window manager callbacks for the panel's windows.
    void paint(Window&, const Rect& clip);
    // Returns the index of a program to start, or -1.
    i32 mouse(Window&, Point local, u32 buttons, u32 previous_buttons);
    void pointer_pressed(Point, Window* target);
    void windows_changed();

    // Geometry, for tests: the menu button and the task button of a window
    // (bar coordinates), the menu item of a program (menu coordinates).
    Rect menu_button_rect() const;
    Rect task_button_rect(const Window&) const;
    Rect menu_item_rect(size_t index) const;

    void open_menu();
    void close_menu();

private:
    static constexpr size_t max_tasks = 64;
    static constexpr i32 item_height = 22;
    static constexpr i32 item_width = 150;

    size_t collect_tasks(Window* tasks[max_tasks]) const;
    Rect tasks_area() const;
    Rect clock_rect() const;
    void paint_bar(const Rect& clip);
    void paint_menu(const Rect& clip);
    i32 menu_rows() const;
    i32 menu_item_at(Point local) const;
    void repaint_bar();
    void repaint_menu();

    WindowManager& m_wm;
    Window* m_bar { nullptr };
    Window* m_menu { nullptr };
    lib::Vector<PanelProgram> m_programs;
    u8 m_hour { 0xFF };
    u8 m_minute { 0xFF };
    i32 m_pressed_item { -1 };
    i32 m_hover_item { -1 };
    u32 m_pressed_task { 0 }; // window id
    bool m_menu_button_down { false };
    bool m_hidden { false };
};

} // namespace gui
