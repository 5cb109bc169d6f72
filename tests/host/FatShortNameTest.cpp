// Generated 8.3 names of long names (FAT spec, "Numeric-Tail Generation"):
// many names with one basis get distinct "~N" tails, the smallest free one
// first, a freed tail is taken again, and the result passes `fsck.fat -n`.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "kernel/fs/FatVolume.h"

using fs::FatVolume;

namespace {

std::string short_name_of(FatVolume& volume, const std::string& path)
{
    u8 raw[32];
    auto found = volume.entry_bytes(path.c_str(), raw);
    EXPECT_FALSE(found.is_error()) << path;
    return std::string(reinterpret_cast<const char*>(raw), 11);
}

std::string name(int number)
{
    char text[32];
    std::snprintf(text, sizeof(text), "file %04d.txt", number);
    return text;
}

} // namespace

TEST(FatShortName, TailsAreDistinctSmallestFirstAndReused)
{
    if (std::system("command -v mkfs.fat >/dev/null 2>&1 && command -v fsck.fat >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "dosfstools not installed";
    char path[] = "/tmp/colibri-shortname-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    std::remove(path);
    ASSERT_EQ(std::system((std::string("mkfs.fat -F 16 -C ") + path + " 32768 >/dev/null").c_str()), 0);
    std::vector<u8> image;
    {
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        image.resize(static_cast<size_t>(in.tellg()));
        in.seekg(0);
        in.read(reinterpret_cast<char*>(image.data()), static_cast<std::streamsize>(image.size()));
    }
    auto mounted = FatVolume::mount_writable(image.data(), image.size());
    ASSERT_FALSE(mounted.is_error());
    FatVolume& volume = *mounted.value();
    ASSERT_FALSE(volume.create_directory("many").is_error());

    constexpr int count = 150;
    std::set<std::string> seen;
    for (int i = 1; i <= count; ++i) {
        ASSERT_FALSE(volume.create_file(("many/" + name(i)).c_str()).is_error()) << i;
        std::string short_name = short_name_of(volume, "many/" + name(i));
        EXPECT_TRUE(seen.insert(short_name).second) << "duplicate 8.3 name " << short_name;
    }
    // The basis is FILE00xx or FILE01xx; a tail of N digits keeps 7 - N
    // characters of it, so FILE00~1..~9 go to files 1-9, FILE0~10..~99 to
    // files 10-99; files 100-108 get FILE01~1..~9, and from file 109 on
    // every two-digit tail is taken: FILE~100, FILE~101, ...
    EXPECT_EQ(short_name_of(volume, "many/" + name(1)), "FILE00~1TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(9)), "FILE00~9TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(10)), "FILE0~10TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(99)), "FILE0~99TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(100)), "FILE01~1TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(109)), "FILE~100TXT");
    EXPECT_EQ(short_name_of(volume, "many/" + name(150)), "FILE~141TXT");

    // A freed tail is the smallest free one again.
    ASSERT_FALSE(volume.remove_file(("many/" + name(42)).c_str()).is_error());
    ASSERT_FALSE(volume.create_file("many/file again.txt").is_error());
    EXPECT_EQ(short_name_of(volume, "many/file again.txt"), "FILEAG~1TXT");
    ASSERT_FALSE(volume.create_file(("many/" + name(0)).c_str()).is_error());
    EXPECT_EQ(short_name_of(volume, "many/" + name(0)), "FILE0~42TXT");
    delete &volume;

    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
    }
    EXPECT_EQ(std::system((std::string("fsck.fat -n ") + path + " >/dev/null").c_str()), 0);
    std::remove(path);
}
