// FatVolume and FatFileSource over real images made by mkfs.fat/mformat and
// filled by mcopy/mmd, then over deliberately broken copies of them.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "kernel/fs/FatFileSource.h"
#include "kernel/fs/FatVolume.h"

using fs::FatFile;
using fs::FatFileSource;
using fs::FatType;
using fs::FatVolume;

namespace {

bool have_tool(const char* name)
{
    std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

bool have_tools()
{
    return have_tool("mkfs.fat") && have_tool("mformat") && have_tool("mcopy") && have_tool("mmd");
}

std::vector<u8> pattern(size_t size, u32 seed)
{
    std::vector<u8> bytes(size);
    std::mt19937 random(seed);
    for (auto& byte : bytes)
        byte = static_cast<u8>(random());
    return bytes;
}

struct Content {
    std::string path; // inside the image, '/'-separated, no leading slash
    std::vector<u8> bytes;
};

// A temporary directory with the source files; removed at exit.
class Workspace {
public:
    Workspace()
    {
        char pattern_path[] = "/tmp/colibri-fat-XXXXXX";
        char* made = mkdtemp(pattern_path);
        if (made)
            m_path = made;
    }
    ~Workspace()
    {
        if (!m_path.empty())
            std::system(("rm -rf '" + m_path + "'").c_str());
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

std::vector<u8> bytes_of(const std::string& s) { return std::vector<u8>(s.begin(), s.end()); }

// The files every image gets.
std::vector<Content> standard_contents()
{
    std::vector<Content> contents;
    contents.push_back({ "HELLO.TXT", bytes_of("Hello, Colibri!\n") });
    contents.push_back({ "A long file name.text", bytes_of("long names work\n") });
    contents.push_back({ "empty.dat", {} });
    contents.push_back({ "Sub Directory/nested/deep.bin", pattern(100 * 1024 + 123, 1) });
    contents.push_back({ "Sub Directory/small.txt", bytes_of("in a subdirectory\n") });
    contents.push_back({ "BIG.BIN", pattern(300 * 1024 + 7, 2) });
    for (int i = 0; i < 40; ++i) {
        char name[32];
        std::snprintf(name, sizeof(name), "many/file%02d.txt", i);
        contents.push_back({ name, bytes_of(std::string("file number ") + std::to_string(i)) });
    }
    return contents;
}

bool run(const std::string& command)
{
    std::string full = "MTOOLS_SKIP_CHECK=1 " + command + " >/dev/null 2>&1";
    return std::system(full.c_str()) == 0;
}

// Builds an image with `format_command` (which creates `image`), then copies
// the contents in. Returns the image bytes, empty on failure.
std::vector<u8> build_image(const Workspace& workspace, const std::string& format_command,
    const std::vector<Content>& contents)
{
    std::string image = workspace.path() + "/image.img";
    std::remove(image.c_str());
    if (!run(format_command))
        return {};
    std::map<std::string, bool> made;
    int counter = 0;
    for (const auto& content : contents) {
        // Create each parent directory once.
        size_t slash = 0;
        while ((slash = content.path.find('/', slash)) != std::string::npos) {
            std::string directory = content.path.substr(0, slash);
            if (!made[directory]) {
                if (!run("mmd -i '" + image + "' '::/" + directory + "'"))
                    return {};
                made[directory] = true;
            }
            ++slash;
        }
        std::string source = workspace.path() + "/source" + std::to_string(counter++);
        std::ofstream(source, std::ios::binary).write(reinterpret_cast<const char*>(content.bytes.data()),
            static_cast<std::streamsize>(content.bytes.size()));
        if (!run("mcopy -i '" + image + "' '" + source + "' '::/" + content.path + "'"))
            return {};
    }
    std::ifstream in(image, std::ios::binary);
    return std::vector<u8>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string make_command(const std::string& image, const char* kind)
{
    std::string k = kind;
    if (k == "fat12")
        return "mkfs.fat -F 12 -C '" + image + "' 1440";
    if (k == "floppy")
        return "mformat -C -f 1440 -i '" + image + "' ::";
    if (k == "fat16")
        return "mkfs.fat -F 16 -C '" + image + "' 16384";
    // FAT32 needs at least 65525 clusters: 34 MiB of 512-byte clusters.
    return "mkfs.fat -F 32 -s 1 -C '" + image + "' 34816";
}

struct Mounted {
    std::vector<u8> image;
    FatVolume* volume { nullptr };
    ~Mounted() { delete volume; }
};

std::vector<u8> read_all(const FatFile& file)
{
    std::vector<u8> bytes(file.size());
    auto result = file.read(0, bytes.data(), bytes.size());
    if (result.is_error() || result.value() != bytes.size())
        return {};
    return bytes;
}

// A hand-parsed view of the boot sector, independent of FatVolume, for patching.
struct Geometry {
    u32 bytes_per_sector, sectors_per_cluster, reserved, fat_count, root_entries, fat_sectors;
    size_t fat_offset() const { return size_t(reserved) * bytes_per_sector; }
    size_t root_offset() const { return fat_offset() + size_t(fat_count) * fat_sectors * bytes_per_sector; }
};

Geometry geometry_of(const std::vector<u8>& image)
{
    auto u16_at = [&](size_t o) { return u32(image[o] | image[o + 1] << 8); };
    Geometry g {};
    g.bytes_per_sector = u16_at(11);
    g.sectors_per_cluster = image[13];
    g.reserved = u16_at(14);
    g.fat_count = image[16];
    g.root_entries = u16_at(17);
    g.fat_sectors = u16_at(22);
    return g;
}

void set_fat12_entry(std::vector<u8>& image, const Geometry& g, u32 cluster, u32 value)
{
    size_t offset = g.fat_offset() + cluster + cluster / 2;
    u16 pair = u16(image[offset] | image[offset + 1] << 8);
    if (cluster & 1)
        pair = u16((pair & 0x000F) | (value << 4));
    else
        pair = u16((pair & 0xF000) | (value & 0x0FFF));
    image[offset] = u8(pair);
    image[offset + 1] = u8(pair >> 8);
}

// The offset of the 8.3 root-directory entry called `short_name` (11 chars).
size_t root_entry_offset(const std::vector<u8>& image, const char* short_name)
{
    Geometry g = geometry_of(image);
    for (u32 i = 0; i < g.root_entries; ++i) {
        size_t offset = g.root_offset() + i * 32;
        if (std::memcmp(&image[offset], short_name, 11) == 0)
            return offset;
    }
    return 0;
}

// Walks everything reachable (bounded depth) and reads every file; used to
// show that a damaged image only produces errors.
void walk(const FatVolume& volume, const std::string& path, int depth, size_t& visited)
{
    if (depth > 6 || visited > 5000)
        return;
    std::vector<std::pair<std::string, bool>> entries;
    auto listed = volume.list(path.c_str(), [&](StringView name, u64, bool is_directory) {
        entries.push_back({ std::string(name.characters(), name.length()), is_directory });
    });
    if (listed.is_error())
        return;
    for (auto& [name, is_directory] : entries) {
        ++visited;
        std::string child = path + "/" + name;
        if (is_directory) {
            walk(volume, child, depth + 1, visited);
            continue;
        }
        auto file = volume.open(child.c_str());
        if (file.is_error())
            continue;
        std::vector<u8> buffer(4096);
        for (u64 offset = 0; offset < file.value().size() && offset < 1024 * 1024; offset += buffer.size()) {
            if (file.value().read(offset, buffer.data(), buffer.size()).is_error())
                break;
        }
    }
}

class FatVolumeTypes : public ::testing::TestWithParam<const char*> { };

} // namespace

TEST_P(FatVolumeTypes, ReadsBackEveryFileByteForByte)
{
    if (!have_tools())
        GTEST_SKIP() << "mtools/dosfstools not installed";
    Workspace workspace;
    ASSERT_FALSE(workspace.path().empty());
    auto contents = standard_contents();
    Mounted mounted;
    mounted.image = build_image(workspace, make_command(workspace.path() + "/image.img", GetParam()), contents);
    ASSERT_FALSE(mounted.image.empty());

    auto volume = FatVolume::mount(mounted.image.data(), mounted.image.size());
    ASSERT_FALSE(volume.is_error()) << volume.error().context();
    mounted.volume = volume.release_value();
    std::string kind = GetParam();
    FatType expected = kind == "fat16" ? FatType::Fat16 : kind == "fat32" ? FatType::Fat32 : FatType::Fat12;
    EXPECT_EQ(mounted.volume->type(), expected);

    for (const auto& content : contents) {
        auto file = mounted.volume->open(content.path.c_str());
        ASSERT_FALSE(file.is_error()) << content.path << ": " << file.error().context();
        EXPECT_FALSE(file.value().is_directory());
        ASSERT_EQ(file.value().size(), content.bytes.size()) << content.path;
        EXPECT_EQ(read_all(file.value()), content.bytes) << content.path;
    }

    // Reads at odd offsets and lengths that cross cluster boundaries.
    auto big = mounted.volume->open("/big.bin");
    ASSERT_FALSE(big.is_error());
    const auto& expected_big = contents[5].bytes;
    std::vector<u8> piece(5000);
    for (u64 offset : { 0ull, 511ull, 4095ull, 65537ull, 300ull * 1024 }) {
        auto read = big.value().read(offset, piece.data(), piece.size());
        ASSERT_FALSE(read.is_error());
        size_t expected_length = std::min<size_t>(piece.size(), expected_big.size() - offset);
        ASSERT_EQ(read.value(), expected_length);
        EXPECT_EQ(0, std::memcmp(piece.data(), expected_big.data() + offset, expected_length)) << offset;
    }
    // Backwards after forwards (the chain cache must not go stale).
    auto again = big.value().read(100, piece.data(), 10);
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(0, std::memcmp(piece.data(), expected_big.data() + 100, 10));
    auto past_end = big.value().read(expected_big.size(), piece.data(), piece.size());
    ASSERT_FALSE(past_end.is_error());
    EXPECT_EQ(past_end.value(), 0u);
}

TEST_P(FatVolumeTypes, ListsDirectoriesAndMatchesNamesCaseInsensitively)
{
    if (!have_tools())
        GTEST_SKIP() << "mtools/dosfstools not installed";
    Workspace workspace;
    auto contents = standard_contents();
    Mounted mounted;
    mounted.image = build_image(workspace, make_command(workspace.path() + "/image.img", GetParam()), contents);
    ASSERT_FALSE(mounted.image.empty());
    mounted.volume = FatVolume::mount(mounted.image.data(), mounted.image.size()).release_value();

    std::map<std::string, std::pair<u64, bool>> root;
    ASSERT_FALSE(mounted.volume->list("/", [&](StringView name, u64 size, bool is_directory) {
        root[std::string(name.characters(), name.length())] = { size, is_directory };
    }).is_error());
    EXPECT_EQ(root.size(), 6u);
    EXPECT_EQ(root["A long file name.text"], std::make_pair(u64(16), false));
    EXPECT_EQ(root["HELLO.TXT"], std::make_pair(u64(16), false));
    EXPECT_TRUE(root["Sub Directory"].second);
    EXPECT_TRUE(root["many"].second);
    EXPECT_EQ(root.count("empty.dat"), 1u);

    std::vector<std::string> many;
    ASSERT_FALSE(mounted.volume->list("many", [&](StringView name, u64, bool) {
        many.emplace_back(name.characters(), name.length());
    }).is_error());
    EXPECT_EQ(many.size(), 40u);

    std::vector<std::string> nested;
    ASSERT_FALSE(mounted.volume->list("/sub directory/NESTED/", [&](StringView name, u64, bool) {
        nested.emplace_back(name.characters(), name.length());
    }).is_error());
    EXPECT_EQ(nested, std::vector<std::string>({ "deep.bin" }));

    EXPECT_FALSE(mounted.volume->open("a LONG file NAME.TEXT").is_error());
    EXPECT_FALSE(mounted.volume->open("hello.txt").is_error());
    EXPECT_FALSE(mounted.volume->open("//Sub Directory/./small.txt").is_error());
    auto up = mounted.volume->open("Sub Directory/nested/../small.txt");
    ASSERT_FALSE(up.is_error());
    EXPECT_EQ(up.value().size(), 18u);
    auto directory = mounted.volume->open("Sub Directory");
    ASSERT_FALSE(directory.is_error());
    EXPECT_TRUE(directory.value().is_directory());
    u8 byte;
    EXPECT_EQ(directory.value().read(0, &byte, 1).error().code(), ErrorCode::InvalidArgument);

    EXPECT_EQ(mounted.volume->open("missing.txt").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(mounted.volume->open("HELLO.TXT/x").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(mounted.volume->open("HELLO.TX").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(mounted.volume->list("HELLO.TXT", [](StringView, u64, bool) { }).error().code(),
        ErrorCode::InvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Types, FatVolumeTypes, ::testing::Values("fat12", "floppy", "fat16", "fat32"));

TEST(FatFileSource, ReadsThroughTheFileAndCountsReferences)
{
    if (!have_tools())
        GTEST_SKIP() << "mtools/dosfstools not installed";
    Workspace workspace;
    auto contents = standard_contents();
    Mounted mounted;
    mounted.image = build_image(workspace, make_command(workspace.path() + "/image.img", "fat12"), contents);
    ASSERT_FALSE(mounted.image.empty());
    mounted.volume = FatVolume::mount(mounted.image.data(), mounted.image.size()).release_value();
    auto file = mounted.volume->open("Sub Directory/nested/deep.bin");
    ASSERT_FALSE(file.is_error());

    FatFileSource* source = FatFileSource::create(file.value());
    ASSERT_NE(source, nullptr);
    mm::FileSource& as_interface = *source;
    EXPECT_EQ(as_interface.size(), contents[3].bytes.size());
    std::vector<u8> page(4096);
    auto read = as_interface.read(4096 * 3, page.data(), page.size());
    ASSERT_FALSE(read.is_error());
    ASSERT_EQ(read.value(), 4096u);
    EXPECT_EQ(0, std::memcmp(page.data(), contents[3].bytes.data() + 4096 * 3, 4096));
    // The last page is short.
    u64 last = (contents[3].bytes.size() / 4096) * 4096;
    auto tail = as_interface.read(last, page.data(), page.size());
    ASSERT_FALSE(tail.is_error());
    EXPECT_EQ(tail.value(), contents[3].bytes.size() - last);

    EXPECT_EQ(source->ref_count(), 1u);
    as_interface.ref();
    EXPECT_EQ(source->ref_count(), 2u);
    as_interface.unref();
    EXPECT_EQ(source->ref_count(), 1u);
    as_interface.unref(); // deleted here; ASan reports a leak or a double free otherwise
}

// ---- hostile images --------------------------------------------------------

class FatVolumeCorrupt : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!have_tools())
            GTEST_SKIP() << "mtools/dosfstools not installed";
        contents = standard_contents();
        image = build_image(workspace, make_command(workspace.path() + "/image.img", "fat12"), contents);
        ASSERT_FALSE(image.empty());
        geometry = geometry_of(image);
    }

    ErrorOr<FatVolume*> mount() { return FatVolume::mount(image.data(), image.size()); }

    Workspace workspace;
    std::vector<Content> contents;
    std::vector<u8> image;
    Geometry geometry {};
};

TEST_F(FatVolumeCorrupt, RefusesBadBootSectors)
{
    auto original = image;
    auto expect_corrupt = [&](const char* what) {
        auto result = mount();
        ASSERT_TRUE(result.is_error()) << what;
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt) << what;
        image = original;
    };
    image[11] = image[12] = 0; // bytes per sector 0
    expect_corrupt("bytes per sector 0");
    image[11] = 0x00; image[12] = 0x03; // 768
    expect_corrupt("bytes per sector 768");
    image[11] = 0x00; image[12] = 0x20; // 8192
    expect_corrupt("bytes per sector 8192");
    image[13] = 3;
    expect_corrupt("sectors per cluster 3");
    image[13] = 0;
    expect_corrupt("sectors per cluster 0");
    image[14] = image[15] = 0;
    expect_corrupt("no reserved sectors");
    image[16] = 0;
    expect_corrupt("no FATs");
    image[22] = image[23] = 0; // FAT size 0 on a FAT12 layout: FAT32 path, FATSz32 garbage/0
    expect_corrupt("FAT size 0");
    image[17] = image[18] = 0;
    expect_corrupt("no root entries on FAT12");
    image[19] = 0xFF; image[20] = 0xFF; // 65535 sectors: volume larger than the image
    expect_corrupt("volume larger than the image");
    image[14] = 0xFF; image[15] = 0x0F; // reserved area covering everything
    expect_corrupt("no data area");

    auto tiny = FatVolume::mount(image.data(), 100);
    ASSERT_TRUE(tiny.is_error());
    EXPECT_EQ(tiny.error().code(), ErrorCode::Corrupt);
    auto truncated = FatVolume::mount(image.data(), image.size() / 2);
    ASSERT_TRUE(truncated.is_error());
    EXPECT_EQ(truncated.error().code(), ErrorCode::Corrupt);
    auto fine = mount(); // the original is fine
    ASSERT_FALSE(fine.is_error());
    delete fine.value();
}

TEST_F(FatVolumeCorrupt, ClusterLoopIsAnErrorNotAHang)
{
    Mounted mounted;
    mounted.volume = mount().release_value();
    auto file = mounted.volume->open("BIG.BIN");
    ASSERT_FALSE(file.is_error());
    u32 first = file.value().first_cluster();
    set_fat12_entry(image, geometry, first + 1, first); // second cluster links back to the first
    auto reopened = mounted.volume->open("BIG.BIN");
    ASSERT_TRUE(reopened.is_error());
    EXPECT_EQ(reopened.error().code(), ErrorCode::Corrupt);
    // A handle opened before the damage still terminates (the file size
    // bounds the walk); what it reads is garbage, but it returns.
    std::vector<u8> buffer(file.value().size());
    (void)file.value().read(0, buffer.data(), buffer.size());

    // A directory whose first cluster links to itself: scanning for a name
    // that is not there must stop with Corrupt.
    auto many = mounted.volume->open("many");
    ASSERT_FALSE(many.is_error());
    set_fat12_entry(image, geometry, many.value().first_cluster(), many.value().first_cluster());
    auto missing = mounted.volume->open("many/nothing-here");
    ASSERT_TRUE(missing.is_error());
    EXPECT_EQ(missing.error().code(), ErrorCode::Corrupt);
    size_t count = 0;
    auto listed = mounted.volume->list("many", [&](StringView, u64, bool) { ++count; });
    ASSERT_TRUE(listed.is_error());
    EXPECT_EQ(listed.error().code(), ErrorCode::Corrupt);
}

TEST_F(FatVolumeCorrupt, OutOfRangeAndFreeLinksAreErrors)
{
    Mounted mounted;
    mounted.volume = mount().release_value();
    auto file = mounted.volume->open("BIG.BIN");
    ASSERT_FALSE(file.is_error());
    u32 first = file.value().first_cluster();
    std::vector<u8> buffer(file.value().size());
    for (u32 link : { 0xFF0u, 0u, 1u, 0xFF7u, mounted.volume->cluster_count() + 2, 0xFFFu }) {
        auto saved = image;
        set_fat12_entry(image, geometry, first + 2, link);
        // open() checks the chain against the size...
        auto reopened = mounted.volume->open("BIG.BIN");
        ASSERT_TRUE(reopened.is_error()) << link;
        EXPECT_EQ(reopened.error().code(), ErrorCode::Corrupt) << link;
        // ...and a handle from before the damage fails when it reads.
        FatFile stale = file.value();
        auto result = stale.read(0, buffer.data(), buffer.size());
        ASSERT_TRUE(result.is_error()) << link;
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt) << link;
        image = saved;
    }
    // A chain longer than the file.
    u32 last = first + static_cast<u32>((file.value().size() + 511) / 512) - 1;
    set_fat12_entry(image, geometry, last, last + 1);
    auto longer = mounted.volume->open("BIG.BIN");
    ASSERT_TRUE(longer.is_error());
    EXPECT_EQ(longer.error().code(), ErrorCode::Corrupt);
}

TEST_F(FatVolumeCorrupt, DirectoryEntriesPointingOutsideTheVolume)
{
    size_t hello = root_entry_offset(image, "HELLO   TXT");
    ASSERT_NE(hello, 0u);
    Mounted mounted;
    mounted.volume = mount().release_value();

    image[hello + 26] = 0xF0; // start cluster 0xFF0, past the last cluster
    image[hello + 27] = 0x0F;
    auto opened = mounted.volume->open("HELLO.TXT");
    ASSERT_TRUE(opened.is_error());
    EXPECT_EQ(opened.error().code(), ErrorCode::Corrupt);

    image[hello + 26] = image[hello + 27] = 0; // no cluster but a size
    auto without_cluster = mounted.volume->open("HELLO.TXT");
    ASSERT_TRUE(without_cluster.is_error());
    EXPECT_EQ(without_cluster.error().code(), ErrorCode::Corrupt);

    image[hello + 26] = 2;                       // a valid cluster, absurd size
    image[hello + 28] = image[hello + 29] = image[hello + 30] = image[hello + 31] = 0xFF;
    auto absurd_size = mounted.volume->open("HELLO.TXT");
    ASSERT_TRUE(absurd_size.is_error());
    EXPECT_EQ(absurd_size.error().code(), ErrorCode::Corrupt);

    size_t subdirectory = root_entry_offset(image, "MANY       ");
    ASSERT_NE(subdirectory, 0u);
    image[subdirectory + 26] = 0xFF;
    image[subdirectory + 27] = 0x0F;
    auto listed = mounted.volume->list("many", [](StringView, u64, bool) { });
    ASSERT_TRUE(listed.is_error());
    EXPECT_EQ(listed.error().code(), ErrorCode::Corrupt);
}

TEST_F(FatVolumeCorrupt, RandomDamageNeverCrashes)
{
    // Flip random bytes in the metadata (boot sector, FATs, root directory,
    // first data clusters holding subdirectories) and walk everything.
    std::mt19937 random(12345);
    size_t metadata_end = geometry.root_offset() + 64 * 1024;
    auto original = image;
    for (int round = 0; round < 300; ++round) {
        image = original;
        int flips = 1 + static_cast<int>(random() % 16);
        for (int i = 0; i < flips; ++i)
            image[random() % metadata_end] = static_cast<u8>(random());
        auto volume = mount();
        if (volume.is_error())
            continue;
        Mounted mounted;
        mounted.volume = volume.release_value();
        size_t visited = 0;
        walk(*mounted.volume, "", 0, visited);
    }
    SUCCEED();
}
