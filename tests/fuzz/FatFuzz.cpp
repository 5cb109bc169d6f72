// libFuzzer target for the FAT code (kernel/fs/FatVolume*.cpp): the input is
// a volume image. It is mounted read-only as it is (so truncated images are
// exercised), every reachable directory is listed and every file read to the
// end; then a writable copy is mounted, changed by a fixed series of writes
// (create, write, truncate, rename, move, remove, mkdir, rmdir), and walked
// again.
//
// Only the public FatVolume/FatFile interface is used. A crash, a sanitizer
// report or a hang (libFuzzer's -timeout) is a bug in the FAT code; so is a
// broken contract that holds on any image, checked by require(): a read that
// returns more (or, without an error, fewer) bytes than it should, chunked
// and direct reads of an unchanged image that disagree, list() and
// list_entries() that disagree, a write to a read-only volume that does not
// fail, an error code that no FAT operation documents.
//
// An input shorter than the volume its boot sector describes (up to
// max_padded_size) is also mounted padded with zeros to that size: the seed
// images (make_corpus.sh) have their trailing zeros cut off, which is what
// makes a 33 MB FAT32 volume a 300 KB input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "kernel/fs/FatVolume.h"
#include "lib/Utility.h"

using fs::FatFile;
using fs::FatVolume;

namespace {

constexpr size_t max_padded_size = 40 * 1024 * 1024;
constexpr int max_depth = 8;
constexpr size_t max_visits = 400; // listed entries followed per walk
constexpr u64 max_read_per_file = 256 * 1024;
constexpr size_t read_chunk = 3000; // not a sector multiple on purpose

void require(bool condition, const char* what)
{
    if (condition)
        return;
    std::fprintf(stderr, "fat_fuzz: contract broken: %s\n", what);
    std::abort();
}

StringView view(const std::string& s) { return { s.data(), s.size() }; }

// The codes a FAT operation may fail with on a hostile image. Anything else
// (OutOfRange, Busy, NoMemory after mount, ...) means a check went wrong.
bool is_fat_error(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Corrupt:
    case ErrorCode::NotFound:
    case ErrorCode::InvalidArgument:
    case ErrorCode::AlreadyExists:
    case ErrorCode::NoSpace:
    case ErrorCode::NotEmpty:
    case ErrorCode::NotADirectory:
    case ErrorCode::IsADirectory:
        return true;
    default:
        return false;
    }
}

// FAT_FUZZ_TRACE=1 in the environment prints every error, to see which
// operations an input reaches.
bool tracing()
{
    static bool enabled = std::getenv("FAT_FUZZ_TRACE") != nullptr;
    return enabled;
}

template<typename T>
bool ok(const ErrorOr<T>& result)
{
    if (!result.is_error())
        return true;
    if (tracing())
        std::fprintf(stderr, "fat_fuzz: %s (%s)\n", result.error().name(),
            result.error().context() ? result.error().context() : "");
    if (!is_fat_error(result.error().code())) {
        std::fprintf(stderr, "fat_fuzz: unexpected error %s (%s)\n", result.error().name(),
            result.error().context() ? result.error().context() : "");
        std::abort();
    }
    return false;
}

// Reads `file` to its end (up to max_read_per_file) in odd-sized chunks,
// then all of it in one direct read, then one byte from the middle (going
// backwards past the chain caches) and once past the end. The image does
// not change meanwhile, so whatever succeeds must agree byte for byte.
void read_fully(const FatFile& file)
{
    require(!file.is_directory(), "read_fully on a directory");
    u64 size = file.size();
    size_t limit = static_cast<size_t>(size < max_read_per_file ? size : max_read_per_file);
    std::vector<u8> chunked(limit);
    for (size_t offset = 0; offset < limit; offset += read_chunk) {
        auto result = file.read(offset, chunked.data() + offset, lib::min(read_chunk, limit - offset));
        if (!ok(result))
            return;
        require(result.value() == lib::min(read_chunk, limit - offset), "a read returned the wrong number of bytes");
    }
    std::vector<u8> whole(limit);
    auto direct = file.read(0, whole.data(), limit, true);
    if (ok(direct)) {
        require(direct.value() == limit, "a direct read returned the wrong number of bytes");
        require(whole == chunked, "a direct read and chunked reads disagree");
    }
    if (size > 1) {
        u8 byte = 0;
        auto middle = file.read(size / 2, &byte, 1);
        if (ok(middle)) {
            require(middle.value() == 1, "a one-byte read inside the file returned nothing");
            require(size / 2 >= limit || byte == chunked[size / 2], "a backward read disagrees");
        }
    }
    u8 byte = 0;
    auto past = file.read(size, &byte, 1);
    if (ok(past))
        require(past.value() == 0, "a read at the end of the file returned bytes");
}

// Paths the write phase reuses ("" when there is none).
struct Found {
    std::string first_file;
    std::string first_directory;
};

struct Walk {
    const FatVolume& volume;
    size_t visits;
    Found found;
};

void walk(Walk& state, const std::string& path, int depth)
{
    if (depth > max_depth || state.visits >= max_visits)
        return;
    struct Entry {
        std::string name;
        u64 size;
        bool is_directory;
    };
    std::vector<Entry> entries;
    size_t listed_count = 0;
    auto listed = state.volume.list(view(path), [&](StringView name, u64 size, bool is_directory) {
        if (++listed_count <= max_visits)
            entries.push_back({ std::string(name.characters(), name.length()), size, is_directory });
    });
    if (!ok(listed))
        return;
    // list_entries() scans the same entries, plus "." and "..".
    struct Count {
        size_t live;
        size_t dots;
    } count { 0, 0 };
    auto raw_listed = state.volume.list_entries(view(path), [](void* context, StringView, const u8* raw) {
        auto& count = *static_cast<Count*>(context);
        bool dot = raw[0] == '.' && (raw[1] == ' ' || (raw[1] == '.' && raw[2] == ' '));
        ++(dot ? count.dots : count.live);
        return true;
    }, &count);
    if (ok(raw_listed))
        require(count.live == listed_count, "list() and list_entries() disagree");
    size_t index = 0;
    for (const auto& entry : entries) {
        if (++state.visits > max_visits)
            return;
        require(!entry.is_directory || entry.size == 0, "list() gave a directory a size");
        std::string child = path.empty() ? entry.name : path + "/" + entry.name;
        // entry_bytes() scans the parent like open(): a few per directory
        // keep the walk from being quadratic twice over.
        u8 raw[32];
        if (index++ < 8)
            (void)ok(state.volume.entry_bytes(view(child), raw));
        auto opened = state.volume.open(view(child));
        // Names with '/' or case-insensitive duplicates can open another
        // entry than the one listed; only the outcome's sanity is checked.
        if (!ok(opened))
            continue;
        const FatFile& file = opened.value();
        require(file.is_valid(), "open() succeeded with an empty handle");
        if (file.is_directory()) {
            auto read = file.read(0, nullptr, 0);
            require(read.is_error(), "a directory read as a file");
            if (state.found.first_directory.empty() && entry.is_directory)
                state.found.first_directory = child;
            walk(state, child, depth + 1);
        } else {
            if (state.found.first_file.empty() && !entry.is_directory)
                state.found.first_file = child;
            read_fully(file);
        }
    }
}

Found walk_volume(const FatVolume& volume)
{
    Walk state { volume, 0, {} };
    FatFile root = volume.root();
    require(root.is_valid() && root.is_directory(), "root() is not a directory");
    auto opened_root = volume.open("/");
    if (ok(opened_root))
        require(opened_root.value().is_directory(), "\"/\" is not a directory");
    u8 raw[32];
    if (ok(volume.entry_bytes("/", raw)))
        require(raw[11] & 0x10, "the root's entry is not a directory");
    walk(state, "", 0);
    return state.found;
}

void check_read_only(FatVolume& volume)
{
    require(!volume.is_writable(), "a read-only mount is writable");
    auto unsupported = [](const ErrorOr<void>& result) {
        return result.is_error()
            && (result.error().code() == ErrorCode::Unsupported || result.error().code() == ErrorCode::ReadOnly);
    };
    require(unsupported(volume.create_file("NEW.TXT")), "create_file on a read-only volume");
    require(unsupported(volume.create_directory("NEWDIR")), "create_directory on a read-only volume");
    require(unsupported(volume.write("HELLO.TXT", 0, "x", 1)), "write on a read-only volume");
    require(unsupported(volume.truncate("HELLO.TXT", 0)), "truncate on a read-only volume");
    require(unsupported(volume.remove_file("HELLO.TXT")), "remove_file on a read-only volume");
    require(unsupported(volume.remove_directory("many")), "remove_directory on a read-only volume");
    require(unsupported(volume.rename("HELLO.TXT", "B.TXT")), "rename on a read-only volume");
    require(unsupported(volume.move("HELLO.TXT", "many/B.TXT")), "move on a read-only volume");
    require(unsupported(volume.set_entry_info("HELLO.TXT", 0, {}, {}, {})), "set_entry_info on a read-only volume");
}

// A fixed series of changes; each may fail on a hostile image, but only
// with an error. Directories come from the walk, so the writes also reach
// cluster-chained directories.
void exercise_writes(FatVolume& volume, const Found& found)
{
    static std::vector<u8> data(5000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<u8>(i * 7 + 1);
    volume.set_clock({ 2024, 2, 29, 23, 59, 58 });

    std::string base = found.first_directory.empty() ? std::string() : found.first_directory + "/";
    std::string file = base + "Fuzzed file with a long name.txt";
    (void)ok(volume.create_file(view(file)));
    (void)ok(volume.write(view(file), 0, data.data(), data.size()));
    (void)ok(volume.write(view(file), 10000, data.data(), 100)); // leaves a gap
    (void)ok(volume.truncate(view(file), 700));
    (void)ok(volume.truncate(view(file), 3 * 4096 + 5));
    auto opened = volume.open(view(file));
    if (ok(opened) && !opened.value().is_directory())
        read_fully(opened.value());

    std::string directory = base + "NEWDIR";
    std::string inner = directory + "/inner.bin";
    (void)ok(volume.create_directory(view(directory)));
    (void)ok(volume.create_file(view(inner)));
    (void)ok(volume.write(view(inner), 0, data.data(), 600));
    (void)ok(volume.remove_directory(view(directory))); // not empty
    (void)ok(volume.rename(view(inner), "Inner renamed.bin"));
    (void)ok(volume.remove_file(view(directory + "/Inner renamed.bin")));
    (void)ok(volume.remove_directory(view(directory)));
    (void)ok(volume.rename(view(file), "SHORT.TXT"));
    (void)ok(volume.rename(view(base + "SHORT.TXT"), "short.txt")); // case only

    // Long names with the same 8.3 basis (numbered ~1, ~2), one in UTF-8,
    // one not valid UTF-8, and a clock outside FAT's ranges.
    volume.set_clock({ 1970, 13, 0, 25, 61, 61 });
    (void)ok(volume.create_file(view(base + "Fuzzed file one.txt")));
    (void)ok(volume.create_file(view(base + "Fuzzed file two.txt")));
    (void)ok(volume.create_file(view(base + "Fuzzed \xC3\xBC" "ber \xE6\x96\x87.txt")));
    (void)ok(volume.create_file(view(base + "Fuzzed \xC3(.txt")));
    (void)ok(volume.remove_file(view(base + "Fuzzed file one.txt")));
    (void)ok(volume.write(view(base + "Fuzzed file two.txt"), 100, data.data(), 2000, true)); // direct
    (void)ok(volume.set_entry_info(view(base + "Fuzzed file two.txt"), 0xFF, { 2000, 1, 1, 0, 0, 0 },
        { 2107, 12, 31, 23, 59, 59 }, { 1979, 0, 0, 0, 0, 0 }));

    // Moves between directories; a directory into its own subdirectory
    // must fail (with InvalidArgument on a sound image).
    (void)ok(volume.create_directory(view(directory)));
    (void)ok(volume.create_directory(view(directory + "/SUB")));
    (void)ok(volume.move(view(directory), view(directory + "/SUB/INSIDE")));
    (void)ok(volume.move(view(base + "Fuzzed file two.txt"), view(directory + "/SUB/moved.txt")));
    (void)ok(volume.move(view(directory + "/SUB"), "Moved to the root"));
    (void)ok(volume.move("Moved to the root/moved.txt", view(base + "back.txt")));

    // Files that were on the image: grow, shrink, rename, delete.
    if (!found.first_file.empty()) {
        StringView existing = view(found.first_file);
        size_t slash = found.first_file.rfind('/');
        std::string renamed = (slash == std::string::npos ? std::string() : found.first_file.substr(0, slash + 1))
            + "renamed.existing";
        (void)ok(volume.write(existing, 1, data.data(), 1500));
        (void)ok(volume.truncate(existing, 1));
        (void)ok(volume.rename(existing, "renamed.existing"));
        (void)ok(volume.remove_file(view(renamed)));
        (void)ok(volume.remove_file(existing)); // NotFound after the rename
    }
    if (!found.first_directory.empty())
        (void)ok(volume.remove_directory(view(found.first_directory)));

    // A scan of the whole FAT: skipped on big volumes, where it would take
    // most of the time of an input.
    if (volume.cluster_count() <= 16384) {
        auto free = volume.free_cluster_count();
        if (ok(free))
            require(free.value() <= volume.cluster_count(), "more free clusters than clusters");
    }
}

// A zero-filled writable image that ends right before an inaccessible page,
// so an access past its end faults at once. Mapped afresh for each input:
// the kernel hands out zero pages lazily, so a 33 MB FAT32 volume costs only
// the pages the FAT code touches (a heap buffer would be cleared in full).
class GuardedImage {
public:
    explicit GuardedImage(size_t size)
        : m_size(size)
    {
        size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        size_t rounded = (size + page - 1) / page * page;
        m_mapped = rounded + page;
        void* base = mmap(nullptr, m_mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        require(base != MAP_FAILED, "cannot map the image");
        m_base = static_cast<u8*>(base);
        require(mprotect(m_base + rounded, page, PROT_NONE) == 0, "cannot protect the guard page");
        m_data = m_base + rounded - size;
    }
    ~GuardedImage() { munmap(m_base, m_mapped); }
    GuardedImage(const GuardedImage&) = delete;
    GuardedImage& operator=(const GuardedImage&) = delete;

    u8* data() { return m_data; }
    size_t size() const { return m_size; }

private:
    u8* m_base { nullptr };
    u8* m_data { nullptr };
    size_t m_size { 0 };
    size_t m_mapped { 0 };
};

// The byte size the boot sector claims, without any validation (the mount
// does that): bytes per sector times total sectors.
size_t claimed_size(const u8* data, size_t size)
{
    if (size < 36)
        return 0;
    u64 bytes_per_sector = data[11] | data[12] << 8;
    u64 sectors = data[19] | data[20] << 8;
    if (sectors == 0)
        sectors = static_cast<u64>(data[32]) | data[33] << 8 | data[34] << 16 | static_cast<u64>(data[35]) << 24;
    return static_cast<size_t>(bytes_per_sector * sectors);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // 1. The input as it is, read-only. A null image is refused.
    require(FatVolume::mount(nullptr, size).is_error(), "mount(nullptr) succeeded");
    Found found;
    bool walked = false;
    auto read_only = FatVolume::mount(data, size);
    if (!read_only.is_error()) {
        FatVolume* volume = read_only.value();
        check_read_only(*volume);
        found = walk_volume(*volume);
        walked = true;
        delete volume;
    } else {
        // Corrupt for any image; a zero-length input may arrive as a null
        // pointer, which is an InvalidArgument.
        require(read_only.error().code() == ErrorCode::Corrupt || size == 0,
            "mount failed with a code other than Corrupt");
    }

    // 2. A writable copy, zero-padded to the claimed size when the input is
    // shorter. When it is not, it holds the bytes just walked, so the walk
    // before the writes is not repeated.
    size_t claimed = claimed_size(data, size);
    GuardedImage image(claimed > size && claimed <= max_padded_size ? claimed : size);
    if (size)
        std::memcpy(image.data(), data, size);
    auto writable = FatVolume::mount_writable(image.data(), image.size());
    if (writable.is_error()) {
        require(writable.error().code() == ErrorCode::Corrupt || size == 0,
            "mount_writable failed with a code other than Corrupt");
        return 0;
    }
    FatVolume* volume = writable.value();
    require(volume->is_writable(), "mount_writable gave a read-only volume");
    if (!walked || image.size() != size)
        found = walk_volume(*volume);
    exercise_writes(*volume, found);
    (void)walk_volume(*volume);
    delete volume;

    // The changed image mounts again (or is refused) without crashing.
    auto again = FatVolume::mount(image.data(), image.size());
    if (!again.is_error())
        delete again.value();
    return 0;
}
