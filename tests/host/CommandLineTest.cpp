#include <gtest/gtest.h>

#include "kernel/boot/CommandLine.h"

TEST(CommandLine, FlagsAndValues)
{
    boot::CommandLine line("ktest  loglevel=debug\tcrashtest=pagefault panic=poweroff");
    EXPECT_TRUE(line.has("ktest"));
    EXPECT_TRUE(line.has("loglevel"));
    EXPECT_FALSE(line.has("kt"));
    EXPECT_FALSE(line.has("debug"));
    EXPECT_EQ(line.value("loglevel"), StringView("debug"));
    EXPECT_EQ(line.value("crashtest"), StringView("pagefault"));
    EXPECT_EQ(line.value("panic"), StringView("poweroff"));
    EXPECT_TRUE(line.value("ktest").is_empty());
    EXPECT_TRUE(line.value("missing").is_empty());
}

TEST(CommandLine, LastWinsAndOddInput)
{
    boot::CommandLine line("a=1 a=2 b= =x  ");
    EXPECT_EQ(line.value("a"), StringView("2"));
    EXPECT_TRUE(line.has("b"));
    EXPECT_TRUE(line.value("b").is_empty());
    EXPECT_TRUE(line.has(""));
    EXPECT_EQ(line.value(""), StringView("x"));

    boot::CommandLine empty("");
    EXPECT_FALSE(empty.has("ktest"));
    boot::CommandLine spaces("     ");
    EXPECT_FALSE(spaces.has(""));
}
