// The kernel command line: space-separated words, either flags ("ktest")
// or key=value options ("loglevel=debug"). The last occurrence of a key wins.
#pragma once

#include "lib/String.h"

namespace boot {

class CommandLine {
public:
    explicit CommandLine(StringView text) : m_text(text) { }

    StringView text() const { return m_text; }
    // True when `name` appears as a bare word or with a value (name=...).
    bool has(StringView name) const;
    // The value of name=value, or an empty view when absent (check has()).
    StringView value(StringView name) const;

private:
    // Calls `visit(key, value, has_value)` for every word.
    template<typename Visitor>
    void for_each_word(Visitor visit) const;

    StringView m_text;
};

} // namespace boot
