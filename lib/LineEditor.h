// Terminal line editing for the serial shell (and later user-space shells):
// feeds characters one at a time, echoes what a terminal expects, and says
// when a line is complete.
//
// Enter may arrive as CR (what terminals send), LF, or CRLF; CRLF counts as
// one line end. Backspace (0x08) and DEL (0x7F) erase the last character,
// Ctrl-U erases the line, Ctrl-C abandons it. ANSI escape sequences (arrow
// keys and the like) are swallowed so they never end up in a command.
#pragma once

#include "lib/Types.h"

namespace lib {

class LineEditor {
public:
    static constexpr size_t capacity = 256;

    using Echo = void (*)(const char* text, size_t length, void* context);
    LineEditor(Echo echo, void* context) : m_echo(echo), m_context(context) { }

    enum class Result { Pending, LineReady };
    // Processes one input character. After LineReady, line() holds the
    // completed line until the next call to feed().
    Result feed(char c);

    const char* line() const { return m_line; }
    size_t length() const { return m_length; }

private:
    void echo(const char* text, size_t length) { m_echo(text, length, m_context); }
    Result finish_line();

    Echo m_echo;
    void* m_context;
    char m_line[capacity + 1] {};
    size_t m_length { 0 };
    bool m_line_complete { false };
    bool m_last_was_cr { false };
    enum class EscapeState : u8 { None, Escape, ControlSequence } m_escape { EscapeState::None };
};

} // namespace lib
