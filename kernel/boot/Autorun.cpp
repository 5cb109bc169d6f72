#include "kernel/boot/Autorun.h"

namespace boot {

namespace {

// The launcher's skip_spaces: every byte up to ' ' separates fields
// (tabs, NUL and other control bytes too).
bool is_blank(char c) { return u8(c) <= u8(' '); }

struct Cursor {
    const char* text;
    size_t position;
    size_t end;

    void skip_blanks()
    {
        while (position < end && is_blank(text[position]))
            ++position;
    }
    bool at_end() const { return position >= end; }
};

enum class FieldResult { Ok, Missing, Unclosed, TooLong };

// One field into `out` (NUL-terminated), as get_string reads it: a
// leading '"' quotes up to the next '"'; otherwise up to the next blank.
FieldResult read_field(Cursor& cursor, char (&out)[AutorunEntry::max_field + 1])
{
    cursor.skip_blanks();
    if (cursor.at_end())
        return FieldResult::Missing;
    size_t length = 0;
    bool too_long = false;
    auto append = [&](char c) {
        if (length < AutorunEntry::max_field)
            out[length++] = c;
        else
            too_long = true;
    };
    if (cursor.text[cursor.position] == '"') {
        ++cursor.position;
        for (;;) {
            if (cursor.at_end())
                return FieldResult::Unclosed;
            char c = cursor.text[cursor.position++];
            if (c == '"')
                break;
            append(c);
        }
    } else {
        while (!cursor.at_end() && !is_blank(cursor.text[cursor.position]))
            append(cursor.text[cursor.position++]);
    }
    out[length] = '\0';
    return too_long ? FieldResult::TooLong : FieldResult::Ok;
}

// The delay: an optional '-' and decimal digits. As the launcher's
// get_number, the number ends at the first byte that is not a digit and
// the rest of the line is ignored ("0#comment" is 0). Unlike it, a field
// without any digit (which it reads as 0) is a bad line, and so is a
// delay of more than nine digits (over a week; it would wrap at 32 bits).
const char* read_delay(Cursor& cursor, i32& delay)
{
    cursor.skip_blanks();
    if (cursor.at_end())
        return "no delay (a line is <path> <parameters|\"\"> <delay>)";
    bool negative = cursor.text[cursor.position] == '-';
    if (negative)
        ++cursor.position;
    i64 value = 0;
    size_t digits = 0;
    while (!cursor.at_end() && cursor.text[cursor.position] >= '0' && cursor.text[cursor.position] <= '9') {
        if (++digits > 9)
            return "the delay is too large";
        value = value * 10 + (cursor.text[cursor.position++] - '0');
    }
    if (digits == 0)
        return "the delay is not a number";
    delay = i32(negative ? -value : value);
    return nullptr;
}

const char* describe(FieldResult result, bool program)
{
    switch (result) {
    case FieldResult::Missing:
        return program ? "no program" : "no parameters and no delay (use \"\" for no parameters)";
    case FieldResult::Unclosed:
        return "a quote is not closed on its line";
    case FieldResult::TooLong:
        return program ? "the program path is longer than 255 bytes" : "the parameters are longer than 255 bytes";
    case FieldResult::Ok:
        break;
    }
    return "";
}

} // namespace

bool AutorunReader::next(AutorunLine& out)
{
    while (m_position < m_length) {
        // One line: up to CR or LF; CR LF counts as one line end.
        size_t start = m_position;
        size_t end = start;
        while (end < m_length && m_text[end] != '\n' && m_text[end] != '\r')
            ++end;
        m_position = end;
        if (m_position < m_length && m_text[m_position] == '\r')
            ++m_position;
        if (m_position < m_length && m_text[m_position] == '\n')
            ++m_position;
        ++m_line_number;

        Cursor cursor { m_text, start, end };
        cursor.skip_blanks();
        if (cursor.at_end() || m_text[cursor.position] == '#')
            continue;

        out = AutorunLine {};
        out.number = m_line_number;
        out.kind = AutorunLine::Kind::Bad;
        FieldResult program = read_field(cursor, out.entry.program);
        if (program != FieldResult::Ok) {
            out.problem = describe(program, true);
            return true;
        }
        if (out.entry.program[0] == '\0') {
            out.problem = "the program path is empty";
            return true;
        }
        FieldResult parameters = read_field(cursor, out.entry.parameters);
        if (parameters != FieldResult::Ok) {
            out.problem = describe(parameters, false);
            return true;
        }
        if (const char* problem = read_delay(cursor, out.entry.delay)) {
            out.problem = problem;
            return true;
        }
        out.kind = AutorunLine::Kind::Entry;
        return true;
    }
    return false;
}

} // namespace boot
