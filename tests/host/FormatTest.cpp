#include <gtest/gtest.h>

#include "lib/Format.h"
#include "lib/String.h"

namespace {

std::string fmt(const char* format, ...)
{
    char buffer[256];
    lib::BufferSink sink(buffer, sizeof(buffer));
    va_list args;
    va_start(args, format);
    lib::vformat(sink, format, args);
    va_end(args);
    return buffer;
}

} // namespace

TEST(Format, Integers)
{
    EXPECT_EQ(fmt("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
    EXPECT_EQ(fmt("%x %X %08x", 0xbeefu, 0xbeefu, 0x1234u), "beef BEEF 00001234");
    EXPECT_EQ(fmt("%llu %llx", 18446744073709551615ull, 0x123456789abull), "18446744073709551615 123456789ab");
    EXPECT_EQ(fmt("%d", -2147483647 - 1), "-2147483648");
    EXPECT_EQ(fmt("%lld", static_cast<long long>(-9223372036854775807ll - 1)), "-9223372036854775808");
}

TEST(Format, WidthAndAlignment)
{
    EXPECT_EQ(fmt("[%5d]", 42), "[   42]");
    EXPECT_EQ(fmt("[%-5d]", 42), "[42   ]");
    EXPECT_EQ(fmt("[%05d]", -42), "[-0042]");
    EXPECT_EQ(fmt("[%-6s]", "ab"), "[ab    ]");
    EXPECT_EQ(fmt("[%3s]", "abcdef"), "[abcdef]");
}

TEST(Format, StringsAndOddInput)
{
    EXPECT_EQ(fmt("%s", static_cast<const char*>(nullptr)), "(null)");
    EXPECT_EQ(fmt("100%%"), "100%");
    EXPECT_EQ(fmt("%c%c", 'o', 'k'), "ok");
    // Unknown conversions are printed, not interpreted.
    EXPECT_EQ(fmt("%q %d", 5), "%q 5");
    // A trailing lone percent sign does not read past the string.
    EXPECT_EQ(fmt("end%"), "end%");
}

TEST(Format, BufferSinkTruncatesAndCounts)
{
    char small[5];
    size_t length = lib::format_to(small, sizeof(small), "%s", "abcdefgh");
    EXPECT_EQ(length, 8u);
    EXPECT_STREQ(small, "abcd");
    EXPECT_EQ(lib::format_to(nullptr, 0, "%d", 12345), 5u);
}

TEST(StringView, Basics)
{
    StringView text("  hello world \r\n");
    EXPECT_EQ(text.trimmed(), StringView("hello world"));
    EXPECT_TRUE(StringView("hello").starts_with("he"));
    EXPECT_FALSE(StringView("he").starts_with("hello"));
    EXPECT_EQ(StringView("abc").substring(5), StringView(""));
    EXPECT_EQ(StringView("abc").find('c'), 2u);
    EXPECT_EQ(StringView("abc").find('z'), 3u);
}

TEST(StringView, ParseUnsigned)
{
    u64 value = 0;
    EXPECT_TRUE(lib::parse_unsigned("1234", value));
    EXPECT_EQ(value, 1234u);
    EXPECT_TRUE(lib::parse_unsigned("0xfF", value));
    EXPECT_EQ(value, 255u);
    EXPECT_TRUE(lib::parse_unsigned("18446744073709551615", value));
    EXPECT_EQ(value, ~0ull);
    EXPECT_FALSE(lib::parse_unsigned("18446744073709551616", value));
    EXPECT_FALSE(lib::parse_unsigned("", value));
    EXPECT_FALSE(lib::parse_unsigned("0x", value));
    EXPECT_FALSE(lib::parse_unsigned("12a", value));
}
