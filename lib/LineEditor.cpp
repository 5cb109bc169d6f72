#include "lib/LineEditor.h"

namespace lib {

LineEditor::Result LineEditor::finish_line()
{
    m_line[m_length] = '\0';
    m_line_complete = true;
    echo("\n", 1);
    return Result::LineReady;
}

LineEditor::Result LineEditor::feed(char c)
{
    if (m_line_complete) {
        m_line_complete = false;
        m_length = 0;
        m_line[0] = '\0';
    }
    bool after_cr = m_last_was_cr;
    m_last_was_cr = false;

    auto byte = static_cast<u8>(c);
    switch (m_escape) {
    case EscapeState::Escape:
        // ESC [ starts a control sequence; ESC followed by anything else is
        // a two-byte sequence (e.g. Alt+key) and is dropped whole.
        m_escape = byte == '[' ? EscapeState::ControlSequence : EscapeState::None;
        return Result::Pending;
    case EscapeState::ControlSequence:
        // ECMA-48: parameter and intermediate bytes until a final byte 0x40-0x7E.
        if (byte >= 0x40 && byte <= 0x7E)
            m_escape = EscapeState::None;
        return Result::Pending;
    case EscapeState::None:
        break;
    }

    switch (byte) {
    case '\r':
        m_last_was_cr = true;
        return finish_line();
    case '\n':
        if (after_cr)
            return Result::Pending; // second half of CRLF
        return finish_line();
    case 0x08:
    case 0x7F:
        if (m_length > 0) {
            --m_length;
            echo("\b \b", 3);
        }
        return Result::Pending;
    case 0x15: // Ctrl-U
        while (m_length > 0) {
            --m_length;
            echo("\b \b", 3);
        }
        return Result::Pending;
    case 0x03: // Ctrl-C
        echo("^C", 2);
        m_length = 0;
        return finish_line();
    case 0x1B:
        m_escape = EscapeState::Escape;
        return Result::Pending;
    default:
        break;
    }
    if (byte < 0x20 || byte > 0x7E || m_length == capacity)
        return Result::Pending; // other control characters, 8-bit bytes, full line
    m_line[m_length++] = c;
    echo(&c, 1);
    return Result::Pending;
}

} // namespace lib
