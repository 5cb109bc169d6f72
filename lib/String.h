// Freestanding memory and string primitives plus a non-owning StringView.
#pragma once

#include "lib/Types.h"

namespace lib {

size_t string_length(const char* text);
int string_compare(const char* a, const char* b);

class StringView {
public:
    constexpr StringView() = default;
    constexpr StringView(const char* characters, size_t length)
        : m_characters(characters)
        , m_length(length)
    {
    }
    StringView(const char* text)
        : m_characters(text)
        , m_length(text ? string_length(text) : 0)
    {
    }

    constexpr const char* characters() const { return m_characters; }
    constexpr size_t length() const { return m_length; }
    constexpr bool is_empty() const { return m_length == 0; }
    constexpr char operator[](size_t index) const { return m_characters[index]; }

    bool operator==(StringView other) const;
    bool starts_with(StringView prefix) const;
    StringView substring(size_t start, size_t length) const;
    StringView substring(size_t start) const;
    StringView trimmed() const;
    // Returns the index of the first `c` or `length()` if there is none.
    size_t find(char c) const;

private:
    const char* m_characters { nullptr };
    size_t m_length { 0 };
};

// Parses a decimal (or 0x-prefixed hexadecimal) unsigned number; false when
// `text` is empty, has other characters, or overflows 64 bits.
bool parse_unsigned(StringView text, u64& out);

} // namespace lib

using lib::StringView;
