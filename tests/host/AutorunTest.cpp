#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/boot/Autorun.h"

namespace {

std::vector<boot::AutorunLine> read_all(const std::string& text)
{
    // A copy of exactly the text's bytes, so ASan sees any read past it.
    std::vector<char> bytes(text.begin(), text.end());
    boot::AutorunReader reader(bytes.data(), bytes.size());
    std::vector<boot::AutorunLine> lines;
    boot::AutorunLine line;
    while (reader.next(line)) {
        lines.push_back(line);
        if (lines.size() > 10000)
            break; // a reader that never ends fails below
    }
    return lines;
}

bool is_entry(const boot::AutorunLine& line, const char* program, const char* parameters, int delay)
{
    return line.kind == boot::AutorunLine::Kind::Entry && std::string(line.entry.program) == program
        && std::string(line.entry.parameters) == parameters && line.entry.delay == delay;
}

} // namespace

TEST(Autorun, TheDistributionsSyntax)
{
    // The shape of data/common/settings/AUTORUN.DAT: CR LF, tabs, a
    // comment after the delay, commented-out lines.
    auto lines = read_all("# Syntaxis is: <Program_Name> <Parameter(s)> <Delay_Time>\r\n"
                          "#/SYS/CROPFLAT          \"XS800 YS480\"\t1\t# set limits\r\n"
                          "/SYS/SETUP              BOOT 0\t# Load device settings\r\n"
                          "/SYS/@TASKBAR           \"\"   0\t# Start taskbar\r\n"
                          "/SYS/TMPDISK            A0   25\r\n"
                          "### Hello, ASM World! ###\r\n");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_TRUE(is_entry(lines[0], "/SYS/SETUP", "BOOT", 0));
    EXPECT_EQ(lines[0].number, 3u);
    EXPECT_TRUE(is_entry(lines[1], "/SYS/@TASKBAR", "", 0));
    EXPECT_EQ(lines[1].number, 4u);
    EXPECT_TRUE(is_entry(lines[2], "/SYS/TMPDISK", "A0", 25));
    EXPECT_EQ(lines[2].number, 5u);
    EXPECT_FALSE(lines[2].entry.waits_for_exit());
}

TEST(Autorun, QuotesNegativeDelaysAndLineEnds)
{
    auto lines = read_all("\"/sys/my prog\" \"a b  c\" -1\n"
                          "/sys/x \"\" -250\r"
                          "\n\n   \t\n"
                          "/sys/y p\"q 7 trailing words ignored\n"
                          "/sys/note \"\" 5#comment\t-7\n"
                          "/sys/minus_then_text x -12abc\n"
                          "/sys/last \"\" 3");
    ASSERT_EQ(lines.size(), 6u);
    // The number ends at the first non-digit, as in get_number.
    EXPECT_TRUE(is_entry(lines[3], "/sys/note", "", 5));
    EXPECT_TRUE(is_entry(lines[4], "/sys/minus_then_text", "x", -12));
    lines.erase(lines.begin() + 3, lines.begin() + 5);
    EXPECT_TRUE(is_entry(lines[0], "/sys/my prog", "a b  c", -1));
    EXPECT_TRUE(lines[0].entry.waits_for_exit());
    EXPECT_TRUE(is_entry(lines[1], "/sys/x", "", -250));
    EXPECT_EQ(lines[1].number, 2u);
    // A quote inside a field is an ordinary byte, as in get_string.
    EXPECT_TRUE(is_entry(lines[2], "/sys/y", "p\"q", 7));
    EXPECT_EQ(lines[2].number, 5u);
    // The last line needs no line end.
    EXPECT_TRUE(is_entry(lines[3], "/sys/last", "", 3));
}

TEST(Autorun, BadLinesAreReportedAndSkipped)
{
    auto lines = read_all("/sys/only_a_path\n"
                          "/sys/no_delay \"\"\n"
                          "/sys/open \"never closed 5\n"
                          "/sys/word params ten\n"
                          "/sys/huge \"\" 12345678901\n"
                          "/sys/minus \"\" -\n"
                          "\"\" \"\" 0\n"
                          "/sys/good \"\" 1\n");
    ASSERT_EQ(lines.size(), 8u);
    for (size_t i = 0; i < 7; ++i) {
        EXPECT_EQ(lines[i].kind, boot::AutorunLine::Kind::Bad) << "line " << i + 1;
        EXPECT_EQ(lines[i].number, i + 1);
        EXPECT_GT(std::string(lines[i].problem).size(), 5u);
    }
    EXPECT_NE(std::string(lines[0].problem).find("no parameters"), std::string::npos);
    EXPECT_NE(std::string(lines[1].problem).find("no delay"), std::string::npos);
    EXPECT_NE(std::string(lines[2].problem).find("quote"), std::string::npos);
    EXPECT_NE(std::string(lines[3].problem).find("not a number"), std::string::npos);
    EXPECT_NE(std::string(lines[4].problem).find("too large"), std::string::npos);
    EXPECT_NE(std::string(lines[6].problem).find("empty"), std::string::npos);
    // The line after the bad ones is read as usual (the launcher would
    // have taken its words as the fields the bad lines lacked).
    EXPECT_TRUE(is_entry(lines[7], "/sys/good", "", 1));
}

TEST(Autorun, OverLongFields)
{
    std::string path(300, 'p');
    std::string long_line = "/sys/" + path + " \"\" 0\n";
    std::string long_parameters = "/sys/a \"" + std::string(256, 'x') + "\" 0\n";
    std::string just_fits = "/sys/b " + std::string(255, 'y') + " 0\n";
    std::string huge(100000, 'z');
    auto lines = read_all(long_line + long_parameters + just_fits + huge + "\n/sys/after \"\" 2\n");
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0].kind, boot::AutorunLine::Kind::Bad);
    EXPECT_NE(std::string(lines[0].problem).find("longer than 255"), std::string::npos);
    EXPECT_EQ(lines[1].kind, boot::AutorunLine::Kind::Bad);
    EXPECT_TRUE(is_entry(lines[2], "/sys/b", std::string(255, 'y').c_str(), 0));
    EXPECT_EQ(lines[3].kind, boot::AutorunLine::Kind::Bad); // 100000 bytes, one field
    EXPECT_EQ(lines[3].number, 4u);
    EXPECT_TRUE(is_entry(lines[4], "/sys/after", "", 2));
}

TEST(Autorun, EmptyAndGarbageInput)
{
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\n\r\n\r\r\t \n# only comments\n  # indented comment\n").empty());

    // NUL bytes are blanks, as every byte up to ' ' is for the launcher.
    std::string with_nul("/sys/n\0x\0" "5\n", 11);
    auto nul = read_all(with_nul);
    ASSERT_EQ(nul.size(), 1u);
    EXPECT_TRUE(is_entry(nul[0], "/sys/n", "x", 5));

    // Every byte value, in a pseudo-random order: no crash, no hang, no
    // read past the text (ASan), and every line is numbered in order.
    std::string garbage;
    unsigned state = 12345;
    for (int i = 0; i < 20000; ++i) {
        state = state * 1103515245u + 12345u;
        garbage.push_back(char(state >> 16));
    }
    auto lines = read_all(garbage);
    EXPECT_LT(lines.size(), 10000u);
    for (size_t i = 1; i < lines.size(); ++i)
        EXPECT_GT(lines[i].number, lines[i - 1].number);
    for (const auto& line : lines) {
        EXPECT_LE(std::string(line.entry.program).size(), boot::AutorunEntry::max_field);
        EXPECT_LE(std::string(line.entry.parameters).size(), boot::AutorunEntry::max_field);
    }
}
