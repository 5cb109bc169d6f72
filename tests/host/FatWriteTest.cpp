// FatVolume's write support over images made by mkfs.fat: after Colibri's
// writes the image must pass `fsck.fat -n`, and mtools must read back the
// same bytes and names.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "kernel/fs/FatVolume.h"

using fs::FatFile;
using fs::FatType;
using fs::FatVolume;

namespace {

bool have_tool(const char* name)
{
    std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

bool have_tools() { return have_tool("mkfs.fat") && have_tool("fsck.fat") && have_tool("mtype") && have_tool("mdir"); }

std::vector<u8> pattern(size_t size, u32 seed)
{
    std::vector<u8> bytes(size);
    std::mt19937 random(seed);
    for (auto& byte : bytes)
        byte = static_cast<u8>(random());
    return bytes;
}

std::vector<u8> bytes_of(const std::string& s) { return std::vector<u8>(s.begin(), s.end()); }

// Runs `command`, returning its exit status and (in `output`) its stdout+stderr.
int capture(const std::string& command, std::string& output)
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

// A temporary directory holding the image; removed by the destructor.
class Scratch {
public:
    Scratch()
    {
        char path[] = "/tmp/colibri-fatw-XXXXXX";
        if (char* made = mkdtemp(path))
            m_path = made;
    }
    ~Scratch()
    {
        if (!m_path.empty())
            std::system(("rm -rf '" + m_path + "'").c_str());
    }
    std::string image() const { return m_path + "/image.img"; }

private:
    std::string m_path;
};

struct Kind {
    const char* name;
    const char* mkfs_arguments;
    u32 kilobytes;
    FatType type;
};

const Kind kinds[] = {
    { "fat12", "-F 12", 1440, FatType::Fat12 },
    { "fat16", "-F 16", 32 * 1024, FatType::Fat16 },
    { "fat32", "-F 32 -s 1", 64 * 1024, FatType::Fat32 },
};

class FatWrite : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override
    {
        if (!have_tools())
            GTEST_SKIP() << "mtools/dosfstools not installed";
        const Kind& kind = kinds[GetParam()];
        std::string output;
        ASSERT_EQ(capture(std::string("mkfs.fat ") + kind.mkfs_arguments + " -C '" + m_scratch.image() + "' "
                      + std::to_string(kind.kilobytes),
                      output),
            0)
            << output;
        // One bulk read: an istreambuf_iterator copy of 64 MiB is slow under ASan.
        std::ifstream in(m_scratch.image(), std::ios::binary | std::ios::ate);
        m_image.resize(static_cast<size_t>(in.tellg()));
        in.seekg(0);
        in.read(reinterpret_cast<char*>(m_image.data()), static_cast<std::streamsize>(m_image.size()));
        auto mounted = FatVolume::mount_writable(m_image.data(), m_image.size());
        ASSERT_FALSE(mounted.is_error()) << mounted.error().context();
        m_volume = mounted.value();
        ASSERT_EQ(m_volume->type(), kind.type);
        m_volume->set_clock({ 2024, 5, 6, 7, 8, 10 });
    }
    void TearDown() override { delete m_volume; }

    // Writes the image back to its file for the Linux tools.
    void save()
    {
        std::ofstream out(m_scratch.image(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(m_image.data()), static_cast<std::streamsize>(m_image.size()));
    }

    void expect_fsck_clean()
    {
        save();
        std::string output;
        EXPECT_EQ(capture("fsck.fat -n '" + m_scratch.image() + "'", output), 0) << output;
    }

    std::string mtools(const std::string& tool, const std::string& path)
    {
        std::string output;
        int status = capture("MTOOLS_SKIP_CHECK=1 " + tool + " -i '" + m_scratch.image() + "' '::/" + path + "'",
            output);
        EXPECT_EQ(status, 0) << tool << " " << path << ": " << output;
        return output;
    }

    void expect_mtype(const std::string& path, const std::vector<u8>& bytes)
    {
        std::string output = mtools("mtype", path);
        EXPECT_TRUE(output == std::string(bytes.begin(), bytes.end())) << "mtype differs for " << path;
    }

    void write_file(const std::string& path, const std::vector<u8>& bytes, size_t chunk = 0)
    {
        auto created = m_volume->create_file(path.c_str());
        ASSERT_FALSE(created.is_error()) << path << ": " << created.error().context();
        if (chunk == 0)
            chunk = bytes.size() ? bytes.size() : 1;
        for (size_t done = 0; done < bytes.size(); done += chunk) {
            size_t length = std::min(chunk, bytes.size() - done);
            auto written = m_volume->write(path.c_str(), done, bytes.data() + done, length);
            ASSERT_FALSE(written.is_error()) << path << ": " << written.error().context();
        }
        m_model[path] = bytes;
    }

    std::vector<u8> read_back(const std::string& path)
    {
        auto file = m_volume->open(path.c_str());
        EXPECT_FALSE(file.is_error()) << path << ": " << (file.is_error() ? file.error().context() : "");
        if (file.is_error())
            return {};
        std::vector<u8> bytes(file.value().size());
        auto read = file.value().read(0, bytes.data(), bytes.size());
        EXPECT_FALSE(read.is_error());
        return bytes;
    }

    void expect_model()
    {
        for (const auto& [path, bytes] : m_model)
            EXPECT_TRUE(read_back(path) == bytes) << "FatVolume reads back different bytes for " << path;
    }

    Scratch m_scratch;
    std::vector<u8> m_image;
    FatVolume* m_volume { nullptr };
    std::map<std::string, std::vector<u8>> m_model;
};

TEST_P(FatWrite, FilesDirectoriesDeletesAndRenamesPassFsck)
{
    write_file("HELLO.TXT", bytes_of("Hello, Colibri!\n"));
    write_file("lower.txt", bytes_of("lower case 8.3\n"));
    write_file("A long file name with spaces.text", pattern(5000, 1), 777);
    ASSERT_FALSE(m_volume->create_directory("Sub Directory").is_error());
    ASSERT_FALSE(m_volume->create_directory("Sub Directory/nested").is_error());
    write_file("Sub Directory/nested/deep.bin", pattern(70000, 2), 4096);
    write_file("Sub Directory/empty.dat", {});

    // Overwrite in the middle, then append past the end with a gap.
    auto& deep = m_model["Sub Directory/nested/deep.bin"];
    std::vector<u8> middle = pattern(3000, 3);
    ASSERT_FALSE(m_volume->write("Sub Directory/nested/deep.bin", 1000, middle.data(), middle.size()).is_error());
    std::copy(middle.begin(), middle.end(), deep.begin() + 1000);
    std::vector<u8> tail = pattern(100, 4);
    ASSERT_FALSE(m_volume->write("Sub Directory/nested/deep.bin", 75000, tail.data(), tail.size()).is_error());
    deep.resize(75000, 0);
    deep.insert(deep.end(), tail.begin(), tail.end());

    // Many long names in one directory: the directory grows past a cluster
    // and the generated short names need numeric tails beyond ~9.
    ASSERT_FALSE(m_volume->create_directory("many").is_error());
    for (int i = 0; i < 60; ++i) {
        char name[64];
        std::snprintf(name, sizeof(name), "many/file number %02d.txt", i);
        write_file(name, bytes_of("contents of " + std::string(name)));
    }
    // Delete every third, rename some, truncate some.
    for (int i = 0; i < 60; i += 3) {
        char name[64];
        std::snprintf(name, sizeof(name), "many/file number %02d.txt", i);
        ASSERT_FALSE(m_volume->remove_file(name).is_error()) << name;
        m_model.erase(name);
    }
    ASSERT_FALSE(m_volume->rename("many/file number 01.txt", "renamed to a much longer name.txt").is_error());
    m_model["many/renamed to a much longer name.txt"] = m_model["many/file number 01.txt"];
    m_model.erase("many/file number 01.txt");
    ASSERT_FALSE(m_volume->rename("many/file number 02.txt", "SHORT.TXT").is_error());
    m_model["many/SHORT.TXT"] = m_model["many/file number 02.txt"];
    m_model.erase("many/file number 02.txt");
    ASSERT_FALSE(m_volume->rename("HELLO.TXT", "hello.txt").is_error()); // case only
    m_model["hello.txt"] = m_model["HELLO.TXT"];
    m_model.erase("HELLO.TXT");

    ASSERT_FALSE(m_volume->truncate("A long file name with spaces.text", 1234).is_error());
    m_model["A long file name with spaces.text"].resize(1234);
    ASSERT_FALSE(m_volume->truncate("many/file number 04.txt", 0).is_error());
    m_model["many/file number 04.txt"].clear();
    ASSERT_FALSE(m_volume->truncate("lower.txt", 9000).is_error());
    m_model["lower.txt"].resize(9000, 0);

    // A directory made, filled, emptied and removed.
    ASSERT_FALSE(m_volume->create_directory("Sub Directory/temporary dir").is_error());
    write_file("Sub Directory/temporary dir/x", bytes_of("x"));
    auto not_empty = m_volume->remove_directory("Sub Directory/temporary dir");
    ASSERT_TRUE(not_empty.is_error());
    EXPECT_EQ(not_empty.error().code(), fs::fat_not_empty);
    ASSERT_FALSE(m_volume->remove_file("Sub Directory/temporary dir/x").is_error());
    m_model.erase("Sub Directory/temporary dir/x");
    ASSERT_FALSE(m_volume->remove_directory("Sub Directory/temporary dir").is_error());
    EXPECT_EQ(m_volume->open("Sub Directory/temporary dir").error().code(), ErrorCode::NotFound);

    expect_model();
    expect_fsck_clean();
    expect_mtype("hello.txt", m_model["hello.txt"]);
    expect_mtype("lower.txt", m_model["lower.txt"]);
    expect_mtype("A long file name with spaces.text", m_model["A long file name with spaces.text"]);
    expect_mtype("Sub Directory/nested/deep.bin", m_model["Sub Directory/nested/deep.bin"]);
    expect_mtype("many/renamed to a much longer name.txt", m_model["many/renamed to a much longer name.txt"]);
    expect_mtype("many/file number 59.txt", m_model["many/file number 59.txt"]);

    std::string listing = mtools("mdir", "many");
    EXPECT_NE(listing.find("renamed to a much longer name.txt"), std::string::npos) << listing;
    EXPECT_NE(listing.find("file number 59.txt"), std::string::npos) << listing;
    EXPECT_EQ(listing.find("file number 03.txt"), std::string::npos) << listing;
    EXPECT_EQ(listing.find("file number 01.txt"), std::string::npos) << listing;
    EXPECT_NE(listing.find("2024-05-06"), std::string::npos) << listing; // the supplied clock
    std::string root = mtools("mdir", "");
    EXPECT_NE(root.find("Sub Directory"), std::string::npos) << root;
}

TEST_P(FatWrite, ErrorsLeaveTheVolumeUnchanged)
{
    write_file("exists.txt", bytes_of("here"));
    ASSERT_FALSE(m_volume->create_directory("dir").is_error());
    EXPECT_EQ(m_volume->create_file("EXISTS.TXT").error().code(), ErrorCode::AlreadyExists);
    EXPECT_EQ(m_volume->create_directory("Dir").error().code(), ErrorCode::AlreadyExists);
    EXPECT_EQ(m_volume->create_file("missing/file").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(m_volume->remove_file("nothing").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(m_volume->write("nothing", 0, "x", 1).error().code(), ErrorCode::NotFound);
    EXPECT_EQ(m_volume->remove_file("dir").error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(m_volume->remove_directory("exists.txt").error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(m_volume->remove_directory("").error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(m_volume->rename("exists.txt", "DIR").error().code(), ErrorCode::AlreadyExists);
    for (const char* bad : { "bad?name", "a*b", "quote\"", "colon:", "dot.", "space ", ".", "..", "tab\tname" })
        EXPECT_EQ(m_volume->create_file(bad).error().code(), ErrorCode::InvalidArgument) << bad;
    EXPECT_EQ(m_volume->create_file(std::string(256, 'n').c_str()).error().code(), ErrorCode::InvalidArgument);
    ASSERT_FALSE(m_volume->create_file(std::string(255, 'n').c_str()).is_error());
    m_model[std::string(255, 'n')] = {};

    // Read-only mounts refuse to write.
    auto read_only = FatVolume::mount(m_image.data(), m_image.size());
    ASSERT_FALSE(read_only.is_error());
    EXPECT_EQ(read_only.value()->create_file("new").error().code(), ErrorCode::ReadOnly);
    delete read_only.value();

    expect_model();
    expect_fsck_clean();
}

TEST_P(FatWrite, FullDiskFailsCleanly)
{
    u32 free_before = m_volume->free_cluster_count().value();
    u64 capacity = static_cast<u64>(free_before) * m_volume->bytes_per_cluster();
    // FAT16/32 images are large: fill most of them in one go, then probe.
    write_file("filler.bin", {});
    std::vector<u8> big(capacity > 2 * 65536 ? capacity - 2 * 65536 : 0, 0x5A);
    if (!big.empty())
        ASSERT_FALSE(m_volume->write("filler.bin", 0, big.data(), big.size()).is_error());
    m_model["filler.bin"] = big;

    // Larger than what is left: fails, changes nothing.
    std::vector<u8> too_big(3 * 65536, 0xA5);
    write_file("too big.bin", {});
    auto failed = m_volume->write("too big.bin", 0, too_big.data(), too_big.size());
    ASSERT_TRUE(failed.is_error());
    EXPECT_EQ(failed.error().code(), fs::fat_no_space);
    EXPECT_EQ(m_volume->open("too big.bin").value().size(), 0u);
    expect_fsck_clean();

    // Fill the rest in small steps until it runs out.
    std::vector<u8>& small = m_model["too big.bin"];
    std::vector<u8> chunk = pattern(4096, 9);
    for (;;) {
        auto written = m_volume->write("too big.bin", small.size(), chunk.data(), chunk.size());
        if (written.is_error()) {
            EXPECT_EQ(written.error().code(), fs::fat_no_space);
            break;
        }
        small.insert(small.end(), chunk.begin(), chunk.end());
        ASSERT_LT(small.size(), too_big.size()) << "never ran out of space";
    }
    EXPECT_LT(m_volume->free_cluster_count().value() * m_volume->bytes_per_cluster(), chunk.size());
    // A new directory needs a cluster too.
    if (m_volume->free_cluster_count().value() == 0)
        EXPECT_EQ(m_volume->create_directory("no room").error().code(), fs::fat_no_space);
    expect_model();
    expect_fsck_clean();
    expect_mtype("too big.bin", small);

    // Deleting gives every cluster back.
    ASSERT_FALSE(m_volume->remove_file("filler.bin").is_error());
    ASSERT_FALSE(m_volume->remove_file("too big.bin").is_error());
    m_model.clear();
    EXPECT_EQ(m_volume->free_cluster_count().value(), free_before);
    expect_fsck_clean();
}

TEST_P(FatWrite, FixedRootFillsUpWithNoSpace)
{
    if (m_volume->type() == FatType::Fat32)
        GTEST_SKIP() << "the FAT32 root grows like any directory";
    // mkfs.fat gives FAT12 floppies 224 root entries and FAT16 512.
    int made = 0;
    for (;; ++made) {
        char name[16];
        std::snprintf(name, sizeof(name), "F%d.TXT", made);
        auto created = m_volume->create_file(name);
        if (created.is_error()) {
            EXPECT_EQ(created.error().code(), fs::fat_no_space);
            break;
        }
        ASSERT_LT(made, 1000);
    }
    EXPECT_GT(made, 100);
    expect_fsck_clean();
}

INSTANTIATE_TEST_SUITE_P(Types, FatWrite, ::testing::Values(0, 1, 2), [](const auto& info) {
    return std::string(kinds[info.param].name);
});

} // namespace
