#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/LineEditor.h"

namespace {

struct Terminal {
    std::string echoed;
    std::vector<std::string> lines;
    lib::LineEditor editor { [](const char* text, size_t length, void* context) {
                                static_cast<Terminal*>(context)->echoed.append(text, length);
                            },
        this };

    void type(const std::string& input)
    {
        for (char c : input) {
            if (editor.feed(c) == lib::LineEditor::Result::LineReady)
                lines.emplace_back(editor.line(), editor.length());
        }
    }
};

} // namespace

TEST(LineEditor, LineEndings)
{
    Terminal t;
    t.type("mem\r");
    t.type("uptime\n");
    t.type("log\r\n");
    t.type("help\n\n");
    ASSERT_EQ(t.lines.size(), 5u);
    EXPECT_EQ(t.lines[0], "mem");
    EXPECT_EQ(t.lines[1], "uptime");
    EXPECT_EQ(t.lines[2], "log");
    EXPECT_EQ(t.lines[3], "help");
    EXPECT_EQ(t.lines[4], "");
}

TEST(LineEditor, CrCrIsTwoLines)
{
    Terminal t;
    t.type("a\r\rb\r");
    ASSERT_EQ(t.lines.size(), 3u);
    EXPECT_EQ(t.lines[1], "");
    EXPECT_EQ(t.lines[2], "b");
}

TEST(LineEditor, BackspaceAndDelete)
{
    Terminal t;
    t.type("mex\x7fm\r");
    t.type("\b\b\bab\bc\r");
    ASSERT_EQ(t.lines.size(), 2u);
    EXPECT_EQ(t.lines[0], "mem");
    EXPECT_EQ(t.lines[1], "ac");
    EXPECT_EQ(t.echoed, "mex\b \bm\nab\b \bc\n");
}

TEST(LineEditor, ControlKeysAndEscapes)
{
    Terminal t;
    t.type("garbage\x15ok\r");
    t.type("abc\x03");
    t.type("\x1b[A\x1b[1;5Cup\x1bxz\r");
    t.type("\x01\x80tab\tbed\r");
    ASSERT_EQ(t.lines.size(), 4u);
    EXPECT_EQ(t.lines[0], "ok");
    EXPECT_EQ(t.lines[1], "");
    EXPECT_EQ(t.lines[2], "upz");
    EXPECT_EQ(t.lines[3], "tabbed");
}

TEST(LineEditor, OverlongLineIsTruncatedNotOverflowed)
{
    Terminal t;
    t.type(std::string(1000, 'x') + "\r");
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].size(), lib::LineEditor::capacity);
}
