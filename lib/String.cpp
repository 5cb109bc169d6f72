#include "lib/String.h"

namespace lib {

size_t string_length(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

int string_compare(const char* a, const char* b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

bool StringView::operator==(StringView other) const
{
    if (m_length != other.m_length)
        return false;
    for (size_t i = 0; i < m_length; ++i) {
        if (m_characters[i] != other.m_characters[i])
            return false;
    }
    return true;
}

bool StringView::starts_with(StringView prefix) const
{
    return prefix.m_length <= m_length && substring(0, prefix.m_length) == prefix;
}

StringView StringView::substring(size_t start, size_t length) const
{
    if (start > m_length)
        start = m_length;
    if (length > m_length - start)
        length = m_length - start;
    return { m_characters + start, length };
}

StringView StringView::substring(size_t start) const
{
    return substring(start, m_length);
}

StringView StringView::trimmed() const
{
    size_t start = 0;
    size_t end = m_length;
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (start < end && is_space(m_characters[start]))
        ++start;
    while (end > start && is_space(m_characters[end - 1]))
        --end;
    return { m_characters + start, end - start };
}

size_t StringView::find(char c) const
{
    for (size_t i = 0; i < m_length; ++i) {
        if (m_characters[i] == c)
            return i;
    }
    return m_length;
}

bool parse_unsigned(StringView text, u64& out)
{
    unsigned base = 10;
    if (text.length() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text = text.substring(2);
    }
    if (text.is_empty())
        return false;
    u64 value = 0;
    for (size_t i = 0; i < text.length(); ++i) {
        char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            return false;
        if (digit >= base)
            return false;
        if (value > (~u64(0) - digit) / base)
            return false;
        value = value * base + digit;
    }
    out = value;
    return true;
}

} // namespace lib
