// The VFS over RAM disks and a disk image made by mkfs.fat: KolibriOS path
// resolution, every path and open-file operation, partial writes on a full
// disk, and a final fsck.fat/mtools check of what went through the cache.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "kernel/fs/BlockDevice.h"
#include "kernel/fs/FatFormat.h"
#include "kernel/fs/Vfs.h"

namespace {

bool have_tool(const char* name)
{
    std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

int run(const std::string& command, std::string& output)
{
    output.clear();
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return -1;
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
        output.append(buffer, got);
    int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string temp_path(const char* name)
{
    return std::string("/tmp/colibri-vfs-") + std::to_string(getpid()) + "-" + name;
}

void save(const std::string& path, const std::vector<u8>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<u8> load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<u8>(std::istreambuf_iterator<char>(in), {});
}

struct Collected {
    std::vector<std::string> names;
    std::vector<fs::FileInfo> infos;
};

bool collect(void* context, const fs::DirectoryEntryInfo& entry)
{
    auto& out = *static_cast<Collected*>(context);
    out.names.push_back(entry.name);
    out.infos.push_back(entry.info);
    return true;
}

std::vector<std::string> names_in(const char* path)
{
    Collected collected;
    auto listed = fs::list(path, 0, collect, &collected);
    EXPECT_FALSE(listed.is_error()) << path;
    return collected.names;
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    for (auto& n : names) {
        if (n == name)
            return true;
    }
    return false;
}

fs::FatTimestamp fixed_clock() { return { 2026, 11, 24, 13, 45, 30 }; }

class VfsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        fs::reset_for_tests();
        fs::set_clock_source(fixed_clock);
        ASSERT_FALSE(fs::create_tmp_disk(2 * 1024 * 1024).is_error());
    }
    void TearDown() override { fs::reset_for_tests(); }
};

} // namespace

TEST(FatFormatTest, FormattedVolumesPassFsck)
{
    if (!have_tool("fsck.fat"))
        GTEST_SKIP() << "fsck.fat (dosfstools) is not installed";
    for (size_t size : { 64u * 1024, 1440u * 1024, 4u * 1024 * 1024, 20u * 1024 * 1024, 64u * 1024 * 1024 }) {
        std::vector<u8> image(size, 0xE5);
        fs::MemoryByteStore store(image.data(), image.size());
        ASSERT_FALSE(fs::format_fat(store, "TEST").is_error()) << size;
        auto mounted = fs::FatVolume::mount_writable(image.data(), image.size());
        ASSERT_FALSE(mounted.is_error()) << size;
        ASSERT_FALSE(mounted.value()->create_file("hello.txt").is_error());
        ASSERT_FALSE(mounted.value()->write("hello.txt", 0, "hi", 2).is_error());
        delete mounted.value();
        std::string path = temp_path("format.img");
        save(path, image);
        std::string output;
        EXPECT_EQ(run("fsck.fat -n " + path, output), 0) << size << ": " << output;
        unlink(path.c_str());
    }
    std::vector<u8> tiny(32 * 1024);
    fs::MemoryByteStore tiny_store(tiny.data(), tiny.size());
    EXPECT_EQ(fs::format_fat(tiny_store, "").error().code(), ErrorCode::InvalidArgument);
}

TEST_F(VfsTest, NamespaceRootsAndResolution)
{
    auto root = names_in("/");
    EXPECT_TRUE(contains(root, "tmp0"));
    EXPECT_EQ(names_in("/tmp0"), std::vector<std::string> { "1" });
    EXPECT_TRUE(fs::stat("/").value().is_directory());
    EXPECT_TRUE(fs::stat("/TMP0/1").value().is_directory());
    EXPECT_EQ(fs::stat("relative/path").error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(fs::stat("/nosuch/1/x").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(fs::stat("/tmp0/7/x").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(fs::stat("/sys/x").error().code(), ErrorCode::NotFound); // no ramdisk mounted
    EXPECT_EQ(fs::make_directory("/tmp0").error().code(), ErrorCode::ReadOnly);
}

TEST_F(VfsTest, PathOperations)
{
    ASSERT_FALSE(fs::create("/tmp0/1/a.txt", false).is_error());
    EXPECT_EQ(fs::write("/tmp0/1/a.txt", 0, "hello world", 11).value(), 11u);
    EXPECT_EQ(fs::write("/tmp0/1/a.txt", 20, "!", 1).value(), 1u); // a gap of zeros
    char buffer[32] = {};
    EXPECT_EQ(fs::read("/tmp0/1/A.TXT", 0, buffer, sizeof(buffer)).value(), 21u);
    EXPECT_EQ(std::string(buffer, 11), "hello world");
    EXPECT_EQ(buffer[15], 0);
    EXPECT_EQ(buffer[20], '!');
    auto info = fs::stat("/tmp0/1/a.txt").value();
    EXPECT_EQ(info.size, 21u);
    EXPECT_EQ(info.modified.year, 2026);
    EXPECT_EQ(info.modified.hour, 13);
    EXPECT_EQ(info.modified.second, 30);

    ASSERT_FALSE(fs::make_directory("/tmp0/1/dir").is_error());
    EXPECT_EQ(fs::make_directory("/tmp0/1/dir").error().code(), ErrorCode::AlreadyExists);
    EXPECT_EQ(fs::write("/tmp0/1/dir", 0, "x", 1).error().code(), ErrorCode::IsADirectory);
    EXPECT_EQ(fs::read("/tmp0/1/dir", 0, buffer, 1).error().code(), ErrorCode::IsADirectory);
    ASSERT_FALSE(fs::rename("/tmp0/1/a.txt", "/tmp0/1/dir/A long name.txt").is_error());
    EXPECT_EQ(fs::stat("/tmp0/1/a.txt").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(fs::read("/tmp0/1/dir/a long NAME.txt", 0, buffer, 5).value(), 5u);
    auto listing = names_in("/tmp0/1/dir");
    EXPECT_TRUE(contains(listing, ".") && contains(listing, "..") && contains(listing, "A long name.txt"));

    // Directories move with their ".." entry; not into themselves.
    ASSERT_FALSE(fs::make_directory("/tmp0/1/other").is_error());
    ASSERT_FALSE(fs::rename("/tmp0/1/dir", "/tmp0/1/other/dir").is_error());
    EXPECT_EQ(fs::rename("/tmp0/1/other", "/tmp0/1/other/dir/inside").error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(fs::stat("/tmp0/1/other/dir/../dir/A long name.txt").value().size, 21u);
    EXPECT_EQ(fs::stat("/tmp0/1/other/dir/../../other").value().is_directory(), true);

    EXPECT_EQ(fs::remove("/tmp0/1/other").error().code(), ErrorCode::NotEmpty);
    EXPECT_EQ(fs::remove_directory("/tmp0/1/other/dir/A long name.txt").error().code(), ErrorCode::NotADirectory);
    EXPECT_EQ(fs::remove_file("/tmp0/1/other/dir").error().code(), ErrorCode::IsADirectory);
    ASSERT_FALSE(fs::remove("/tmp0/1/other/dir/A long name.txt").is_error());
    ASSERT_FALSE(fs::remove("/tmp0/1/other/dir").is_error());
    ASSERT_FALSE(fs::remove_directory("/tmp0/1/other").is_error());
    EXPECT_EQ(fs::remove("/tmp0/1").error().code(), ErrorCode::Busy);

    // Attributes and times round-trip (FAT keeps seconds in 2 s steps).
    ASSERT_FALSE(fs::create("/tmp0/1/b", false).is_error());
    fs::FileInfo wanted;
    wanted.attributes = fs::attribute_read_only_bit | fs::attribute_hidden_bit | fs::attribute_directory_bit;
    wanted.created = { 2001, 2, 3, 4, 5, 6 };
    wanted.accessed = { 2002, 3, 4, 0, 0, 0 };
    wanted.modified = { 2003, 4, 5, 6, 7, 8 };
    ASSERT_FALSE(fs::set_info("/tmp0/1/b", wanted).is_error());
    auto got = fs::stat("/tmp0/1/b").value();
    EXPECT_EQ(got.attributes, fs::attribute_read_only_bit | fs::attribute_hidden_bit); // not a directory
    EXPECT_EQ(got.created.year, 2001);
    EXPECT_EQ(got.created.second, 6);
    EXPECT_EQ(got.accessed.month, 3);
    EXPECT_EQ(got.modified.minute, 7);
    EXPECT_EQ(got.modified.second, 8);

    ASSERT_FALSE(fs::create("/tmp0/1/b", true).is_error());
    EXPECT_EQ(fs::create("/tmp0/1/nodir/b", false).error().code(), ErrorCode::NotFound);
    EXPECT_FALSE(fs::sync().is_error());
}

TEST_F(VfsTest, OpenFilesSeeWritesAndHonourFlags)
{
    EXPECT_EQ(fs::open("/tmp0/1/f", fs::open_read).error().code(), ErrorCode::NotFound);
    auto* writer = fs::open("/tmp0/1/f", fs::open_read | fs::open_write | fs::open_create).value();
    EXPECT_EQ(fs::open("/tmp0/1/f", fs::open_write | fs::open_create | fs::open_exclusive).error().code(),
        ErrorCode::AlreadyExists);
    auto* reader = fs::open("/tmp0/1/F", fs::open_read).value();
    std::vector<u8> data(100000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<u8>(i * 7 + i / 251);
    // Written in uneven pieces; the reader sees every one.
    size_t done = 0;
    while (done < data.size()) {
        size_t piece = std::min<size_t>(data.size() - done, 777 + done % 3000);
        ASSERT_EQ(fs::write(writer, done, data.data() + done, piece).value(), piece);
        done += piece;
        u8 check[777];
        ASSERT_EQ(fs::read(reader, done - 777, check, 777).value(), 777u);
        ASSERT_EQ(memcmp(check, data.data() + done - 777, 777), 0);
    }
    EXPECT_EQ(fs::stat(reader).value().size, data.size());
    EXPECT_EQ(fs::write(reader, 0, "x", 1).error().code(), ErrorCode::BadDescriptor);
    ASSERT_FALSE(fs::truncate(writer, 10).is_error());
    u8 rest[20];
    EXPECT_EQ(fs::read(reader, 0, rest, sizeof(rest)).value(), 10u);
    alignas(4096) static u8 aligned[8192];
    EXPECT_EQ(fs::read_direct(reader, 1, aligned, 512).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(fs::read_direct(reader, 0, aligned + 1, 512).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(fs::read_direct(reader, 0, aligned, 100).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(fs::direct_alignment(reader), 512u);
    auto direct = fs::read_direct(reader, 0, aligned, 512);
    ASSERT_FALSE(direct.is_error()) << direct.error().name();
    EXPECT_EQ(direct.value(), 10u);
    EXPECT_EQ(memcmp(aligned, data.data(), 10), 0);
    fs::retain(reader);
    fs::release(reader);
    EXPECT_EQ(fs::read(reader, 0, rest, 1).value(), 1u);
    fs::release(reader);
    fs::release(writer);

    auto* directory = fs::open("/tmp0/1", fs::open_read | fs::open_directory).value();
    Collected collected;
    EXPECT_EQ(fs::list(directory, 0, collect, &collected).value(), 1u);
    EXPECT_EQ(collected.names.at(0), "f");
    EXPECT_EQ(fs::open("/tmp0/1", fs::open_write).error().code(), ErrorCode::IsADirectory);
    EXPECT_EQ(fs::open("/tmp0/1/f", fs::open_read | fs::open_directory).error().code(), ErrorCode::NotADirectory);
    fs::release(directory);
}

TEST_F(VfsTest, FullDiskWritesWhatFits)
{
    ASSERT_FALSE(fs::create("/tmp0/1/big", false).is_error());
    std::vector<u8> chunk(256 * 1024, 0x5A);
    u64 offset = 0;
    for (;;) {
        auto written = fs::write("/tmp0/1/big", offset, chunk.data(), chunk.size());
        if (written.is_error()) {
            EXPECT_EQ(written.error().code(), ErrorCode::NoSpace);
            break;
        }
        offset += written.value();
        if (written.value() < chunk.size())
            break; // the partial last write
        ASSERT_LT(offset, 4u * 1024 * 1024);
    }
    EXPECT_GT(offset, 1800u * 1024);
    EXPECT_EQ(fs::stat("/tmp0/1/big").value().size, offset);
    EXPECT_EQ(fs::write("/tmp0/1/big", offset, chunk.data(), 4096).error().code(), ErrorCode::NoSpace);
    fs::VolumeInfo infos[4];
    u32 count = fs::volumes(infos, 4);
    ASSERT_EQ(count, 1u);
    EXPECT_EQ(infos[0].free_bytes, 0u);
    EXPECT_STREQ(infos[0].mount_point, "/tmp0/1");
    ASSERT_FALSE(fs::remove("/tmp0/1/big").is_error());
    EXPECT_EQ(fs::volumes(infos, 4), 1u);
    EXPECT_EQ(infos[0].free_bytes, infos[0].total_bytes);
}

TEST_F(VfsTest, DiskImageFromMkfsThroughTheCache)
{
    if (!have_tool("mkfs.fat") || !have_tool("fsck.fat") || !have_tool("mcopy"))
        GTEST_SKIP() << "dosfstools or mtools is not installed";
    std::string path = temp_path("disk.img");
    std::string output;
    ASSERT_EQ(run("rm -f " + path + " && mkfs.fat -C -F 32 " + path + " 40000", output), 0) << output;
    std::string text = temp_path("host.txt");
    save(text, std::vector<u8>(5000, 'h'));
    ASSERT_EQ(run("mmd -i " + path + " ::/FROMHOST && mcopy -i " + path + " " + text + " ::/FROMHOST/host.txt", output), 0)
        << output;
    std::vector<u8> image = load(path);
    fs::MemoryBlockDevice device("test0", image.data(), image.size());
    ASSERT_FALSE(fs::attach_disk(0, device).is_error());
    EXPECT_EQ(names_in("/hd0"), std::vector<std::string> { "1" });
    EXPECT_EQ(fs::stat("/hd0/1/fromhost/HOST.TXT").value().size, 5000u);

    std::vector<u8> big(3 * 1024 * 1024 + 123);
    for (size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<u8>(i ^ (i >> 9));
    auto* file = fs::open("/hd0/1/written by colibri.bin", fs::open_write | fs::open_create).value();
    for (size_t done = 0; done < big.size(); done += 65536) {
        size_t piece = std::min<size_t>(65536, big.size() - done);
        ASSERT_EQ(fs::write(file, done, big.data() + done, piece).value(), piece);
    }
    fs::release(file);
    ASSERT_FALSE(fs::make_directory("/hd0/1/new dir").is_error());
    // Names beyond ASCII are stored as UTF-16 long names.
    ASSERT_FALSE(fs::create("/hd0/1/new dir/Привет мир.txt", false).is_error());
    ASSERT_FALSE(fs::create("/hd0/1/new dir/日本語 😀.txt", false).is_error());
    EXPECT_EQ(fs::write("/hd0/1/new dir/Привет мир.txt", 0, "privet", 6).value(), 6u);
    auto names = names_in("/hd0/1/new dir");
    EXPECT_TRUE(contains(names, "Привет мир.txt"));
    EXPECT_TRUE(contains(names, "日本語 😀.txt"));
    EXPECT_EQ(fs::create("/hd0/1/bad\xC3.txt", false).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(fs::create("/hd0/1/bad\xED\xA0\x80.txt", false).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(fs::create("/hd0/1/bad\xC0\xAF.txt", false).error().code(), ErrorCode::InvalidArgument);
    ASSERT_FALSE(fs::sync().is_error());
    fs::reset_for_tests();

    save(path, image);
    EXPECT_EQ(run("fsck.fat -n " + path, output), 0) << output;
    std::string back = temp_path("back.bin");
    ASSERT_EQ(run("mcopy -o -i " + path + " '::/written by colibri.bin' " + back, output), 0) << output;
    EXPECT_TRUE(load(back) == big);
    EXPECT_EQ(run("mdir -i " + path + " '::/new dir'", output), 0) << output;
    unlink(path.c_str());
    unlink(text.c_str());
    unlink(back.c_str());
}
