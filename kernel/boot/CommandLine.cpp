#include "kernel/boot/CommandLine.h"

namespace boot {

template<typename Visitor>
void CommandLine::for_each_word(Visitor visit) const
{
    size_t position = 0;
    while (position < m_text.length()) {
        while (position < m_text.length() && (m_text[position] == ' ' || m_text[position] == '\t'))
            ++position;
        size_t start = position;
        while (position < m_text.length() && m_text[position] != ' ' && m_text[position] != '\t')
            ++position;
        if (position == start)
            break;
        StringView word = m_text.substring(start, position - start);
        size_t equals = word.find('=');
        if (equals == word.length())
            visit(word, StringView(), false);
        else
            visit(word.substring(0, equals), word.substring(equals + 1), true);
    }
}

bool CommandLine::has(StringView name) const
{
    bool found = false;
    for_each_word([&](StringView key, StringView, bool) {
        if (key == name)
            found = true;
    });
    return found;
}

StringView CommandLine::value(StringView name) const
{
    StringView result;
    for_each_word([&](StringView key, StringView value, bool has_value) {
        if (key == name)
            result = has_value ? value : StringView();
    });
    return result;
}

} // namespace boot
