// FatVolume over hand-made hostile images, built byte by byte here (no
// mkfs.fat), so that every FAT type can be damaged precisely. Each case must
// end in an error (Corrupt, NotFound, ...) and never crash or hang.
// FatVolumeTest.cpp already covers, on a FAT12 mkfs.fat image: most bad BPB
// fields, a file chain looping back, a subdirectory's first cluster linking
// to itself, free/bad/out-of-range links, FAT12 entries pointing past the
// volume, a chain longer than its file, a half-size image and random damage.
// This file covers what is left: FAT16 and FAT32, FAT32-only boot fields,
// truncation at chosen points, loops reached through writes, deep and
// cyclic directory trees, and long-name entries that do not add up.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernel/fs/FatVolume.h"

using fs::FatFile;
using fs::FatType;
using fs::FatVolume;

namespace {

constexpr u32 sector_size = 512;
constexpr u8 attribute_directory = 0x10;
constexpr u8 attribute_archive = 0x20;

void put16(u8* at, u32 value)
{
    at[0] = static_cast<u8>(value);
    at[1] = static_cast<u8>(value >> 8);
}

void put32(u8* at, u32 value)
{
    put16(at, value);
    put16(at + 2, value >> 16);
}

// "NAME.EXT" (upper case, 8.3) → the 11-byte space-padded form; "." and
// ".." stay as they are.
void short_name(const char* name, u8* out)
{
    std::memset(out, ' ', 11);
    if (name[0] == '.') {
        std::memcpy(out, name, std::strlen(name));
        return;
    }
    size_t i = 0;
    size_t o = 0;
    for (; name[i] && name[i] != '.' && o < 8; ++i)
        out[o++] = static_cast<u8>(name[i]);
    if (name[i] == '.') {
        ++i;
        for (o = 8; name[i] && o < 11; ++i)
            out[o++] = static_cast<u8>(name[i]);
    }
}

// A freshly formatted volume of one FAT type, small but with a cluster
// count inside the type's range (FAT spec, "FAT Type Determination"):
// 1-sector clusters, two FATs, and directory entries added by hand.
class Image {
public:
    explicit Image(FatType type)
        : m_type(type)
    {
        u32 total = type == FatType::Fat12 ? 400 : type == FatType::Fat16 ? 4200 : 66600;
        m_reserved = type == FatType::Fat32 ? 32 : 1;
        u32 root_entries = type == FatType::Fat32 ? 0 : 64;
        m_root_sectors = root_entries * 32 / sector_size;
        // The FAT size depends on the cluster count and the other way round:
        // iterate until it settles.
        m_fat_sectors = 1;
        for (int round = 0; round < 8; ++round) {
            u32 clusters = total - m_reserved - 2 * m_fat_sectors - m_root_sectors;
            u32 entries = clusters + 2;
            u32 bytes = type == FatType::Fat12 ? (entries * 3 + 1) / 2 : type == FatType::Fat16 ? entries * 2 : entries * 4;
            m_fat_sectors = (bytes + sector_size - 1) / sector_size;
        }
        m_cluster_count = total - m_reserved - 2 * m_fat_sectors - m_root_sectors;
        bytes.assign(static_cast<size_t>(total) * sector_size, 0);

        u8* boot = bytes.data();
        boot[0] = 0xEB;
        boot[1] = 0x3C;
        boot[2] = 0x90;
        std::memcpy(boot + 3, "COLIBRI ", 8);
        put16(boot + 11, sector_size);
        boot[13] = 1;
        put16(boot + 14, m_reserved);
        boot[16] = 2;
        put16(boot + 17, root_entries);
        boot[21] = 0xF8;
        if (type == FatType::Fat32) {
            put32(boot + 32, total);
            put32(boot + 36, m_fat_sectors);
            put32(boot + 44, 2); // root directory cluster
            put16(boot + 48, 1); // FSInfo sector
            u8* fsinfo = boot + sector_size;
            put32(fsinfo, 0x41615252);
            put32(fsinfo + 484, 0x61417272);
            put32(fsinfo + 488, 0xFFFFFFFF); // free count unknown
            put32(fsinfo + 492, 0xFFFFFFFF);
            put16(fsinfo + 510, 0xAA55);
        } else {
            put16(boot + 19, total);
            put16(boot + 22, m_fat_sectors);
        }
        put16(boot + 510, 0xAA55);
        set_fat(0, 0xFFFFFF8);
        set_fat(1, end_of_chain());
        m_next_free = 2;
        if (type == FatType::Fat32)
            allocate(4); // the root directory: 64 entries, as the others have
    }

    u32 end_of_chain() const { return m_type == FatType::Fat12 ? 0xFFF : m_type == FatType::Fat16 ? 0xFFFF : 0x0FFFFFFF; }
    u32 cluster_count() const { return m_cluster_count; }
    u32 clusters_used() const { return m_next_free - 2; }
    size_t fat_offset() const { return static_cast<size_t>(m_reserved) * sector_size; }
    size_t data_offset() const { return fat_offset() + (2 * m_fat_sectors + m_root_sectors) * size_t(sector_size); }
    size_t cluster_offset(u32 cluster) const { return data_offset() + size_t(cluster - 2) * sector_size; }
    // The root directory's bytes: the fixed region or cluster 2.
    size_t root_offset() const { return m_type == FatType::Fat32 ? cluster_offset(2) : data_offset() - m_root_sectors * sector_size; }

    // Sets a FAT entry in both copies.
    void set_fat(u32 cluster, u32 value)
    {
        for (u32 copy = 0; copy < 2; ++copy) {
            u8* fat = bytes.data() + fat_offset() + size_t(copy) * m_fat_sectors * sector_size;
            if (m_type == FatType::Fat12) {
                u8* at = fat + cluster + cluster / 2;
                u32 pair = at[0] | at[1] << 8;
                pair = cluster & 1 ? (pair & 0x000F) | (value & 0xFFF) << 4 : (pair & 0xF000) | (value & 0xFFF);
                put16(at, pair);
            } else if (m_type == FatType::Fat16) {
                put16(fat + cluster * 2, value);
            } else {
                put32(fat + cluster * 4, value);
            }
        }
    }

    // A FAT entry as the first FAT holds it.
    u32 fat(u32 cluster) const
    {
        const u8* at = bytes.data() + fat_offset();
        if (m_type == FatType::Fat12) {
            u32 pair = at[cluster + cluster / 2] | at[cluster + cluster / 2 + 1] << 8;
            return cluster & 1 ? pair >> 4 : pair & 0xFFF;
        }
        if (m_type == FatType::Fat16)
            return at[cluster * 2] | at[cluster * 2 + 1] << 8;
        return (at[cluster * 4] | at[cluster * 4 + 1] << 8 | at[cluster * 4 + 2] << 16 | u32(at[cluster * 4 + 3]) << 24)
            & 0x0FFFFFFF;
    }

    // Takes `count` clusters in a row and chains them; returns the first.
    u32 allocate(u32 count)
    {
        u32 first = m_next_free;
        for (u32 i = 0; i < count; ++i)
            set_fat(first + i, i + 1 < count ? first + i + 1 : end_of_chain());
        m_next_free += count;
        return first;
    }

    // Writes an 8.3 entry into slot `slot` of the directory at `directory`
    // (an image offset: root_offset() or cluster_offset(c)).
    void entry(size_t directory, u32 slot, const char* name, u8 attributes, u32 cluster, u32 size)
    {
        u8* at = bytes.data() + directory + size_t(slot) * 32;
        short_name(name, at);
        at[11] = attributes;
        put16(at + 20, cluster >> 16);
        put16(at + 26, cluster & 0xFFFF);
        put32(at + 28, size);
    }

    // A file of `size` bytes in fresh clusters, its bytes a known pattern.
    u32 file(size_t directory, u32 slot, const char* name, u32 size)
    {
        u32 clusters = (size + sector_size - 1) / sector_size;
        u32 first = size ? allocate(clusters) : 0;
        for (u32 i = 0; i < size; ++i)
            bytes[cluster_offset(first) + i] = static_cast<u8>(i * 13 + 5);
        entry(directory, slot, name, attribute_archive, first, size);
        return first;
    }

    // A directory with "." and ".." in a fresh cluster; returns its cluster.
    u32 directory(size_t parent, u32 slot, const char* name, u32 parent_cluster)
    {
        u32 cluster = allocate(1);
        entry(parent, slot, name, attribute_directory, cluster, 0);
        entry(cluster_offset(cluster), 0, ".", attribute_directory, cluster, 0);
        entry(cluster_offset(cluster), 1, "..", attribute_directory, parent_cluster, 0);
        return cluster;
    }

    std::vector<u8> bytes;

private:
    FatType m_type;
    u32 m_reserved { 0 };
    u32 m_root_sectors { 0 };
    u32 m_fat_sectors { 0 };
    u32 m_cluster_count { 0 };
    u32 m_next_free { 2 };
};

struct VolumeDeleter {
    void operator()(FatVolume* volume) const { delete volume; }
};
using Volume = std::unique_ptr<FatVolume, VolumeDeleter>;

Volume mount(std::vector<u8>& bytes, size_t size)
{
    auto result = FatVolume::mount_writable(bytes.data(), size);
    EXPECT_FALSE(result.is_error()) << (result.is_error() ? result.error().context() : "");
    return Volume(result.is_error() ? nullptr : result.value());
}

Volume mount(Image& image) { return mount(image.bytes, image.bytes.size()); }

ErrorCode mount_error(std::vector<u8>& bytes, size_t size)
{
    auto result = FatVolume::mount(bytes.data(), size);
    if (!result.is_error()) {
        delete result.value();
        ADD_FAILURE() << "mounted";
        return ErrorCode::Busy; // a code the callers never expect
    }
    return result.error().code();
}

template<typename T>
ErrorCode code_of(const ErrorOr<T>& result)
{
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().code() : ErrorCode::Busy;
}

std::string path_of(const char* component, int depth)
{
    std::string path;
    for (int i = 0; i < depth; ++i)
        path += std::string(i ? "/" : "") + component;
    return path;
}

class FatHostile : public ::testing::TestWithParam<FatType> { };

const char* type_name(const ::testing::TestParamInfo<FatType>& info)
{
    return info.param == FatType::Fat12 ? "Fat12" : info.param == FatType::Fat16 ? "Fat16" : "Fat32";
}

} // namespace

TEST_P(FatHostile, TheHandMadeImageIsValid)
{
    // The baseline the other cases damage: it mounts with the intended type
    // and reads back.
    Image image(GetParam());
    image.file(image.root_offset(), 0, "A.TXT", 1300);
    u32 sub = image.directory(image.root_offset(), 1, "SUB", 0);
    image.file(image.cluster_offset(sub), 2, "B.BIN", 10);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    EXPECT_EQ(volume->type(), GetParam());
    EXPECT_EQ(volume->cluster_count(), image.cluster_count());
    auto file = volume->open("sub/b.bin");
    ASSERT_FALSE(file.is_error());
    u8 buffer[16];
    auto read = file.value().read(0, buffer, sizeof(buffer));
    ASSERT_FALSE(read.is_error());
    EXPECT_EQ(read.value(), 10u);
    EXPECT_EQ(buffer[9], static_cast<u8>(9 * 13 + 5));
    auto a = volume->open("A.TXT");
    ASSERT_FALSE(a.is_error());
    EXPECT_EQ(a.value().size(), 1300u);
}

TEST_P(FatHostile, TruncatedImagesAreRefused)
{
    Image image(GetParam());
    image.file(image.root_offset(), 0, "A.TXT", 3000);
    size_t fat_middle = image.fat_offset() + 100;
    size_t last_cluster_middle = image.bytes.size() - sector_size / 2;
    for (size_t size : { size_t(511), size_t(512), fat_middle, image.data_offset(), image.data_offset() + 1000,
             last_cluster_middle, image.bytes.size() - 1 }) {
        EXPECT_EQ(mount_error(image.bytes, size), ErrorCode::Corrupt) << size;
        auto writable = FatVolume::mount_writable(image.bytes.data(), size);
        ASSERT_TRUE(writable.is_error()) << size;
        EXPECT_EQ(writable.error().code(), ErrorCode::Corrupt) << size;
    }
    EXPECT_TRUE(mount(image)); // the whole image is fine
}

TEST_P(FatHostile, BytesPerSectorThatAreNoPowerOfTwoFrom512To4096)
{
    Image image(GetParam());
    for (u32 value : { 100u, 256u, 1000u, 4097u, 0xFFFFu }) {
        std::vector<u8> copy = image.bytes;
        put16(copy.data() + 11, value);
        EXPECT_EQ(mount_error(copy, copy.size()), ErrorCode::Corrupt) << value;
    }
}

TEST_P(FatHostile, FatTooSmallForTheClusterCount)
{
    Image image(GetParam());
    // One sector of FAT cannot describe hundreds of clusters; the data area
    // grows by the sectors taken away, so only the FAT check can catch it.
    if (GetParam() == FatType::Fat32)
        put32(image.bytes.data() + 36, 1);
    else
        put16(image.bytes.data() + 22, 1);
    EXPECT_EQ(mount_error(image.bytes, image.bytes.size()), ErrorCode::Corrupt);
}

TEST_P(FatHostile, FileChainLoops)
{
    Image image(GetParam());
    u32 first = image.file(image.root_offset(), 0, "LOOP.BIN", 3 * sector_size);
    u32 self = image.file(image.root_offset(), 1, "SELF.BIN", sector_size);
    image.set_fat(first + 2, first); // the third cluster links back to the first
    image.set_fat(self, self);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    for (const char* name : { "LOOP.BIN", "SELF.BIN" }) {
        EXPECT_EQ(code_of(volume->open(name)), ErrorCode::Corrupt) << name;
        // A write inside the file's size need not look at the whole chain
        // (it may succeed), but it returns.
        (void)volume->write(name, sector_size - 2, "data", 4);
        // Growing or shrinking checks the chain first, and removing it
        // stops where the freed loop begins.
        EXPECT_EQ(code_of(volume->write(name, 4 * sector_size, "data", 4)), ErrorCode::Corrupt) << name;
        EXPECT_EQ(code_of(volume->truncate(name, 1)), ErrorCode::Corrupt) << name;
        EXPECT_EQ(code_of(volume->truncate(name, 10 * sector_size)), ErrorCode::Corrupt) << name;
        EXPECT_EQ(code_of(volume->remove_file(name)), ErrorCode::Corrupt) << name;
    }
}

TEST_P(FatHostile, DirectoryChainLoops)
{
    // Each operation here walks the loop until it has seen as many clusters
    // as the volume has: 65525 on FAT32, which takes seconds under ASan;
    // RootDirectoryChainLoops covers FAT32 with fewer operations.
    if (GetParam() == FatType::Fat32)
        GTEST_SKIP() << "covered by FatHostileFat32.RootDirectoryChainLoops";
    Image image(GetParam());
    // A two-cluster directory whose second cluster links back to the first,
    // every slot in use, so no end-of-directory entry stops the scan.
    u32 first = image.directory(image.root_offset(), 0, "DIR", 0);
    u32 second = image.allocate(1);
    image.set_fat(first, second);
    image.set_fat(second, first);
    for (u32 slot = 2; slot < 32; ++slot) {
        std::string name = "F" + std::to_string(slot) + ".TXT";
        image.entry(image.cluster_offset(slot < 16 ? first : second), slot % 16, name.c_str(), attribute_archive, 0, 0);
    }
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    EXPECT_EQ(code_of(volume->open("DIR/MISSING")), ErrorCode::Corrupt);
    size_t listed = 0;
    EXPECT_EQ(code_of(volume->list("DIR", [&](StringView, u64, bool) { ++listed; })), ErrorCode::Corrupt);
    EXPECT_LE(listed, size_t(volume->cluster_count()) * 16);
    EXPECT_EQ(code_of(volume->create_file("DIR/NEW.TXT")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->create_file("DIR/A new long name.txt")), ErrorCode::Corrupt);
    // create_directory takes its cluster before it finds the loop and must
    // give it back.
    u32 free_before = volume->free_cluster_count().value();
    EXPECT_EQ(code_of(volume->create_directory("DIR/NEWDIR")), ErrorCode::Corrupt);
    EXPECT_EQ(volume->free_cluster_count().value(), free_before);
    EXPECT_EQ(code_of(volume->remove_directory("DIR")), ErrorCode::NotEmpty);
    EXPECT_EQ(code_of(volume->rename("DIR/MISSING", "OTHER")), ErrorCode::Corrupt);
    // The directory's own entries before the loop are still found.
    EXPECT_FALSE(volume->open("DIR/F2.TXT").is_error());
}

TEST_P(FatHostile, OutOfRangeClusterNumbersInEntries)
{
    Image image(GetParam());
    u32 beyond = image.cluster_count() + 2; // one past the last cluster
    image.entry(image.root_offset(), 0, "ONE.BIN", attribute_archive, 1, 10);
    image.entry(image.root_offset(), 1, "BEYOND.BIN", attribute_archive, beyond, 10);
    image.entry(image.root_offset(), 2, "ONEDIR", attribute_directory, 1, 0);
    image.entry(image.root_offset(), 3, "FARDIR", attribute_directory, beyond, 0);
    image.entry(image.root_offset(), 4, "EMPTY.BIN", attribute_archive, beyond, 0);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    for (const char* name : { "ONE.BIN", "BEYOND.BIN", "ONEDIR", "FARDIR", "EMPTY.BIN" })
        EXPECT_EQ(code_of(volume->open(name)), ErrorCode::Corrupt) << name;
    EXPECT_EQ(code_of(volume->list("FARDIR", [](StringView, u64, bool) { })), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->create_file("FARDIR/X")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->write("BEYOND.BIN", 0, "x", 1)), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->truncate("BEYOND.BIN", 0)), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->remove_file("BEYOND.BIN")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->remove_directory("FARDIR")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->remove_directory("ONEDIR")), ErrorCode::Corrupt);
    // Listing the root reports them without following them.
    size_t listed = 0;
    EXPECT_FALSE(volume->list("", [&](StringView, u64, bool) { ++listed; }).is_error());
    EXPECT_EQ(listed, 5u);
}

TEST(FatHostileFat32, HighClusterWordAndRootCluster)
{
    Image image(FatType::Fat32);
    u32 first = image.file(image.root_offset(), 0, "HIGH.BIN", 100);
    // The high word of the first cluster is only used on FAT32: 0x10000 + a
    // valid low word points past the volume.
    put16(image.bytes.data() + image.root_offset() + 20, 1);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    EXPECT_EQ(code_of(volume->open("HIGH.BIN")), ErrorCode::Corrupt);
    put16(image.bytes.data() + image.root_offset() + 20, 0);
    EXPECT_FALSE(volume->open("HIGH.BIN").is_error());
    // The reserved top four bits of a FAT32 entry are ignored: a link with
    // them set still ends the chain (here: an end-of-chain mark).
    image.set_fat(first, 0xFFFFFFFF);
    EXPECT_FALSE(volume->open("HIGH.BIN").is_error());
    volume.reset();

    for (u32 root : { 0u, 1u, image.cluster_count() + 2, 0x0FFFFFF7u }) {
        std::vector<u8> copy = image.bytes;
        put32(copy.data() + 44, root);
        EXPECT_EQ(mount_error(copy, copy.size()), ErrorCode::Corrupt) << root;
    }
    // A FAT32 cluster count needs the FAT32 layout: no fixed root entries.
    std::vector<u8> copy = image.bytes;
    put16(copy.data() + 17, 16);
    EXPECT_EQ(mount_error(copy, copy.size()), ErrorCode::Corrupt);
    // The 32-bit total sector count larger than the image.
    copy = image.bytes;
    put32(copy.data() + 32, 0xFFFFFFF0);
    EXPECT_EQ(mount_error(copy, copy.size()), ErrorCode::Corrupt);
    // A 32-bit FAT size so large the FATs swallow the volume.
    copy = image.bytes;
    put32(copy.data() + 36, 0x80000000);
    EXPECT_EQ(mount_error(copy, copy.size()), ErrorCode::Corrupt);
}

TEST_P(FatHostile, NewEntryInALoopingDirectoryWithoutAFreeRun)
{
    // FAT12 is enough: the search used to walk the chain from its start for
    // every slot, which on FAT16 and FAT32 turns the loop into a hang
    // (tests/fuzz/regressions/add-entry-directory-loop.img), and on FAT12
    // ended by linking a new cluster into the loop and reporting success.
    if (GetParam() != FatType::Fat12)
        GTEST_SKIP() << "shown on FAT12; the FAT16 case is a fuzz regression";
    Image image(GetParam());
    // The end marker stops every scan before the loop shows, and no run of
    // free slots long enough for a long name exists, so the free-slot
    // search goes round the loop.
    u32 cluster = image.directory(image.root_offset(), 0, "DIR", 0);
    image.set_fat(cluster, cluster);
    for (u32 slot = 3; slot < 16; ++slot) {
        std::string name = "X" + std::to_string(slot) + ".TXT";
        image.entry(image.cluster_offset(cluster), slot, name.c_str(), attribute_archive, 0, 0);
    }
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    u32 free_before = volume->free_cluster_count().value();
    EXPECT_EQ(code_of(volume->create_file("DIR/A name that needs long entries.txt")), ErrorCode::Corrupt);
    // Nothing was allocated or linked into the loop.
    EXPECT_EQ(volume->free_cluster_count().value(), free_before);
    EXPECT_EQ(image.fat(cluster), cluster);
}

TEST(FatHostileFat32, RootDirectoryChainLoops)
{
    Image image(FatType::Fat32);
    for (u32 slot = 0; slot < 16; ++slot) {
        std::string name = "R" + std::to_string(slot) + ".TXT";
        image.entry(image.root_offset(), slot, name.c_str(), attribute_archive, 0, 0);
    }
    image.set_fat(2, 2);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    EXPECT_FALSE(volume->open("R15.TXT").is_error());
    EXPECT_EQ(code_of(volume->open("MISSING")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->list("/", [](StringView, u64, bool) { })), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->create_directory("NEWDIR")), ErrorCode::Corrupt);
}

TEST_P(FatHostile, FileSizeLargerThanItsChain)
{
    Image image(GetParam());
    image.file(image.root_offset(), 0, "SHORT.BIN", 2 * sector_size);
    image.file(image.root_offset(), 1, "HUGE.BIN", sector_size);
    u8* short_entry = image.bytes.data() + image.root_offset();
    put32(short_entry + 28, 2 * sector_size + 1); // one byte into a third cluster
    put32(short_entry + 32 + 28, 0xFFFFFFFF);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    EXPECT_EQ(code_of(volume->open("SHORT.BIN")), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->open("HUGE.BIN")), ErrorCode::Corrupt);
    // The writer checks the chain before it changes anything.
    EXPECT_EQ(code_of(volume->truncate("SHORT.BIN", 1)), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->write("SHORT.BIN", 3 * sector_size, "x", 1)), ErrorCode::Corrupt);
    EXPECT_EQ(code_of(volume->write("HUGE.BIN", 0xFFFFFFFF, "x", 1)), ErrorCode::NoSpace);
    auto free_count = volume->free_cluster_count();
    ASSERT_FALSE(free_count.is_error());
    EXPECT_EQ(free_count.value(), image.cluster_count() - image.clusters_used());
}

TEST_P(FatHostile, DeeplyNestedAndCyclicDirectories)
{
    Image image(GetParam());
    // 150 levels of "D" directories, one cluster each.
    constexpr int depth = 150;
    u32 parent_cluster = 0;
    size_t parent = image.root_offset();
    u32 slot = 0;
    for (int level = 0; level < depth; ++level) {
        u32 cluster = image.directory(parent, slot, "D", parent_cluster);
        parent = image.cluster_offset(cluster);
        parent_cluster = cluster;
        slot = 2;
    }
    image.file(parent, 2, "LEAF.TXT", 5);
    // "SELF" is a directory whose entry points at its own cluster, so the
    // tree has a cycle: a path can go around it as often as it likes.
    u32 self = image.directory(image.root_offset(), 1, "SELF", 0);
    image.entry(image.cluster_offset(self), 2, "SELF", attribute_directory, self, 0);
    Volume volume = mount(image);
    ASSERT_TRUE(volume);

    auto leaf = volume->open((path_of("D", depth) + "/LEAF.TXT").c_str());
    ASSERT_FALSE(leaf.is_error());
    EXPECT_EQ(leaf.value().size(), 5u);
    EXPECT_EQ(code_of(volume->open(path_of("D", depth + 1).c_str())), ErrorCode::NotFound);
    // ".." entries with cluster 0 lead to the root.
    EXPECT_FALSE(volume->open("D/../D/D/../../SELF").is_error());
    EXPECT_FALSE(volume->create_file((path_of("D", depth) + "/NEW.TXT").c_str()).is_error());

    // Every step of a path reads one directory, so the path's length
    // bounds the work even around the cycle.
    std::string around = path_of("SELF", 3000);
    auto cyclic = volume->open(around.c_str());
    ASSERT_FALSE(cyclic.is_error());
    EXPECT_TRUE(cyclic.value().is_directory());
    EXPECT_EQ(code_of(volume->open((around + "/MISSING").c_str())), ErrorCode::NotFound);
}

TEST_P(FatHostile, LongNameEntriesThatDoNotAddUp)
{
    Image image(GetParam());
    size_t root = image.root_offset();
    auto long_entry = [&](u32 slot, u8 order, u8 checksum, u16 unit) {
        u8* at = image.bytes.data() + root + size_t(slot) * 32;
        std::memset(at, 0, 32);
        at[0] = order;
        at[11] = 0x0F;
        at[13] = checksum;
        for (u32 offset : { 1u, 3u, 5u, 7u, 9u, 14u, 16u, 18u, 20u, 22u, 24u, 28u, 30u })
            put16(at + offset, unit);
    };
    auto checksum_of = [&](u32 slot) {
        const u8* name = image.bytes.data() + root + size_t(slot) * 32;
        u8 sum = 0;
        for (int i = 0; i < 11; ++i)
            sum = static_cast<u8>(((sum & 1) << 7) + (sum >> 1) + name[i]);
        return sum;
    };
    // Sequence 21 (more than 20 entries): ignored.
    image.file(root, 1, "SEQ.TXT", 1);
    long_entry(0, 0x40 | 21, checksum_of(1), 'q');
    // A wrong checksum: ignored.
    image.file(root, 3, "SUM.TXT", 1);
    long_entry(2, 0x41, static_cast<u8>(checksum_of(3) + 1), 'q');
    // Twenty entries of three-byte UTF-8 characters: 780 bytes, more than
    // the 255-character name buffer holds, so the 8.3 name is used.
    image.file(root, 24, "WIDE.TXT", 1);
    for (u32 i = 0; i < 20; ++i)
        long_entry(4 + i, static_cast<u8>((20 - i) | (i == 0 ? 0x40 : 0)), checksum_of(24), 0x4E2D);
    // A sequence with a gap (2, then 0): ignored.
    image.file(root, 27, "GAP.TXT", 1);
    long_entry(25, 0x43, checksum_of(27), 'q');
    long_entry(26, 0x01, checksum_of(27), 'q');
    // Orphan long-name entries at the end of the directory.
    long_entry(28, 0x41, 0, 'q');
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    std::vector<std::string> names;
    ASSERT_FALSE(volume->list("", [&](StringView name, u64, bool) {
        names.emplace_back(name.characters(), name.length());
    }).is_error());
    EXPECT_EQ(names, (std::vector<std::string> { "SEQ.TXT", "SUM.TXT", "WIDE.TXT", "GAP.TXT" }));
    for (const auto& name : names)
        EXPECT_FALSE(volume->open(name.c_str()).is_error()) << name;
    // Renaming and removing an entry behind broken long names touches only
    // its own slot.
    EXPECT_FALSE(volume->rename("WIDE.TXT", "narrow.txt").is_error());
    EXPECT_FALSE(volume->remove_file("GAP.TXT").is_error());
    EXPECT_FALSE(volume->open("narrow.txt").is_error());
    EXPECT_FALSE(volume->open("SEQ.TXT").is_error());
}

TEST_P(FatHostile, LongNamedEntriesAlsoAnswerToTheirShortName)
{
    // FatVolume::open() promises matches against the long or the 8.3 name;
    // KolibriOS programs often know only the 8.3 one.
    Image image(GetParam());
    Volume volume = mount(image);
    ASSERT_TRUE(volume);
    ASSERT_FALSE(volume->create_directory("A long directory").is_error());
    ASSERT_FALSE(volume->create_file("A long directory/A long file.txt").is_error());
    EXPECT_FALSE(volume->open("ALONGD~1/ALONGF~1.TXT").is_error());
    EXPECT_FALSE(volume->open("alongd~1/alongf~1.txt").is_error());
    EXPECT_FALSE(volume->write("ALONGD~1/ALONGF~1.TXT", 0, "x", 1).is_error());
    EXPECT_EQ(code_of(volume->create_file("ALONGD~1")), ErrorCode::AlreadyExists);
}

INSTANTIATE_TEST_SUITE_P(Types, FatHostile, ::testing::Values(FatType::Fat12, FatType::Fat16, FatType::Fat32),
    type_name);
