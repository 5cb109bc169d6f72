// AUTORUN.DAT, the list of programs KolibriOS starts after boot: what its
// LAUNCHER (programs/system/launcher/launcher.asm) reads from
// /sys/settings/AUTORUN.DAT. One program a line:
//
//     <path> <parameters> <delay>      # e.g.  /SYS/@TASKBAR "" 0
//
// Fields are separated by spaces, tabs or any other byte up to ' ' (the
// launcher's skip_spaces). A field that starts with '"' runs to the next
// '"' and may hold spaces; `""` is the empty parameter string. The delay
// is in hundredths of a second (function 5): the launcher starts the
// program and then waits that long; a negative delay means "wait until
// that program has exited" (run_program / must_wait_for_termination).
// A line whose first non-blank byte is '#' is a comment; blank lines
// are skipped; whatever follows the delay's digits is ignored. Lines end
// at CR or LF.
//
// Where this reader differs from the launcher, on purpose: the launcher
// reads a stream of fields, so a line with a field missing takes the next
// line's first word as that field (and then skips a line); an unclosed
// quote runs on into later lines; a path over 60 bytes overruns its
// buffer. Here every line stands alone: a line with a field missing, an
// unclosed quote, a delay without digits or a field too long is
// reported as bad (with its number and why) and skipped, and the lines
// after it are read as usual.
//
// Portable (host-tested): no I/O, no allocation; the text is not changed.
#pragma once

#include "lib/Types.h"

namespace boot {

struct AutorunEntry {
    static constexpr size_t max_field = 255;
    char program[max_field + 1];
    char parameters[max_field + 1];
    // Hundredths of a second to wait after starting it; negative: wait
    // for the program to exit.
    i32 delay;
    bool waits_for_exit() const { return delay < 0; }
};

struct AutorunLine {
    enum class Kind : u8 { Entry, Bad };
    Kind kind { Kind::Bad };
    u32 number { 0 };           // 1-based line number in the file
    const char* problem { "" }; // for Kind::Bad: why, in a few words
    AutorunEntry entry {};
};

class AutorunReader {
public:
    AutorunReader(const char* text, size_t length)
        : m_text(text)
        , m_length(length)
    {
    }

    // The next program line or bad line (comments and blank lines are
    // passed over); false at the end of the text.
    bool next(AutorunLine& out);

private:
    const char* m_text;
    size_t m_length;
    size_t m_position { 0 };
    u32 m_line_number { 0 };
};

} // namespace boot
