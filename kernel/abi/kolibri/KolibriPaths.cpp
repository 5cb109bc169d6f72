// Paths and text of the KolibriOS file functions (KolibriPaths.h).
#include "kernel/abi/kolibri/KolibriPaths.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/gui/FontData.h"
#include "kernel/task/UserMemory.h"
#include "lib/String.h"
#include "lib/Utility.h"

namespace kolibri {

namespace {

constexpr size_t page_size = 4096;

void put16(u8* at, u16 value)
{
    at[0] = u8(value);
    at[1] = u8(value >> 8);
}

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c; }

// ---- text ---------------------------------------------------------------------------

// A bounded UTF-8 string under construction; `overflow` once something did
// not fit (the text is then unusable).
struct TextBuilder {
    char* text;
    size_t capacity; // NUL included
    size_t length { 0 };
    bool overflow { false };

    void put(char c)
    {
        if (length + 1 >= capacity) {
            overflow = true;
            return;
        }
        text[length++] = c;
        text[length] = '\0';
    }
    void put(const char* characters, size_t count)
    {
        for (size_t i = 0; i < count; ++i)
            put(characters[i]);
    }
    void put_code_point(u32 code_point)
    {
        if (code_point < 0x80) {
            put(char(code_point));
        } else if (code_point < 0x800) {
            put(char(0xC0 | code_point >> 6));
            put(char(0x80 | (code_point & 0x3F)));
        } else if (code_point < 0x10000) {
            put(char(0xE0 | code_point >> 12));
            put(char(0x80 | (code_point >> 6 & 0x3F)));
            put(char(0x80 | (code_point & 0x3F)));
        } else {
            put(char(0xF0 | code_point >> 18));
            put(char(0x80 | (code_point >> 12 & 0x3F)));
            put(char(0x80 | (code_point >> 6 & 0x3F)));
            put(char(0x80 | (code_point & 0x3F)));
        }
    }
};

constexpr u32 replacement_character = 0xFFFD;

// Decodes one UTF-8 sequence at `text[index]` and advances `index`; a
// malformed byte decodes as U+FFFD on its own.
u32 next_code_point(const char* text, size_t length, size_t& index)
{
    u8 first = u8(text[index++]);
    if (first < 0x80)
        return first;
    size_t more = first >= 0xF0 && first < 0xF8 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : 0;
    if (more == 0 || first >= 0xF8)
        return replacement_character;
    u32 code_point = first & (0x3F >> more);
    for (size_t i = 0; i < more; ++i) {
        if (index >= length || (u8(text[index]) & 0xC0) != 0x80)
            return replacement_character;
        code_point = code_point << 6 | (u8(text[index++]) & 0x3F);
    }
    return code_point;
}

// cp866 bytes 0x80-0xFF are Cyrillic letters, box drawing and a few
// signs; the font tables already map every byte to its code point.
u32 cp866_to_code_point(u8 byte)
{
    return byte < 0x80 ? byte : gui::font_data::cp866_code_points[byte];
}

char code_point_to_cp866(u32 code_point)
{
    if (code_point < 0x80)
        return char(code_point);
    for (u32 byte = 0x80; byte < 0x100; ++byte) {
        if (gui::font_data::cp866_code_points[byte] == code_point)
            return char(byte);
    }
    return '?';
}

// Converts program text (without its terminator) to UTF-8.
void decode_text(const u8* raw, size_t length, u32 encoding, TextBuilder& out)
{
    if (encoding == encoding_utf8) {
        out.put(reinterpret_cast<const char*>(raw), length);
        return;
    }
    if (encoding == encoding_utf16) {
        for (size_t i = 0; i + 1 < length; i += 2) {
            u32 unit = u32(raw[i]) | u32(raw[i + 1]) << 8;
            if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < length) {
                u32 low = u32(raw[i + 2]) | u32(raw[i + 3]) << 8;
                if (low >= 0xDC00 && low < 0xE000) {
                    out.put_code_point(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                    i += 2;
                    continue;
                }
            }
            out.put_code_point(unit >= 0xD800 && unit < 0xE000 ? replacement_character : unit);
        }
        return;
    }
    for (size_t i = 0; i < length; ++i)
        out.put_code_point(cp866_to_code_point(raw[i]));
}

// ---- paths -----------------------------------------------------------------------------

// Folds "." and ".." and repeated slashes out of the absolute path in
// `input` (which starts with '/') and writes the result to `out`. ".." at
// the root stays at the root.
bool normalize(const char* input, size_t length, char* out, size_t capacity)
{
    TextBuilder builder { out, capacity };
    out[0] = '\0';
    size_t index = 0;
    while (index < length) {
        while (index < length && input[index] == '/')
            ++index;
        size_t start = index;
        while (index < length && input[index] != '/')
            ++index;
        size_t count = index - start;
        if (count == 0 || (count == 1 && input[start] == '.'))
            continue;
        if (count == 2 && input[start] == '.' && input[start + 1] == '.') {
            while (builder.length > 0 && out[builder.length - 1] != '/')
                --builder.length;
            if (builder.length > 0)
                --builder.length; // the slash before the dropped component
            out[builder.length] = '\0';
            continue;
        }
        builder.put('/');
        builder.put(input + start, count);
    }
    if (builder.length == 0)
        builder.put('/');
    return !builder.overflow;
}

// ---- the additional system folder (30.3) -------------------------------------------------

// sys_current_directory .mount_additional_directory (fs/fs_lfn.inc) fills
// the second entry of full_file_name_table once: a name (sysdir_name1)
// and the real path it stands for (sysdir_path1, UTF-8, without the
// leading slash). process_replace_file_name then swaps that name, as the
// first component of an absolute path, for the real path.
struct AdditionalFolder {
    bool sealed { false };   // addDirSeal: only the first 30.3 counts
    bool mounted { false };
    char name[64] {};        // as the program wrote it (cp866; matched as bytes)
    char target[path_capacity] {}; // "/" + the real path in UTF-8
};
AdditionalFolder s_additional;

// process_replace_file_name's comparison: each byte of the path equals
// the name's byte, or does after `or 0x20` (so a lower-case name matches
// any case, an upper-case letter in the name only itself), and the name
// ends where the component does. `component` is the path after its '/'.
bool matches_folder_name(const char* component, const char* name)
{
    size_t i = 0;
    for (; name[i]; ++i) {
        char c = component[i];
        if (c == '\0')
            return false;
        if (c != name[i] && char(c | 0x20) != name[i])
            return false;
    }
    return component[i] == '\0' || component[i] == '/';
}

// Whether 30.3 has filled s_additional. It is written once, under the
// seal, and never changes afterwards, so readers use it without a lock
// once they have seen `mounted`.
bool additional_folder_mounted()
{
    arch::InterruptDisabler disabler;
    return s_additional.mounted;
}

// The absolute, normalised `path` with the additional folder's name in
// front replaced by its real path (normalised again); `work` is scratch
// space. "sys", the first entry of the table, is looked at first and
// wins.
void replace_additional_folder(char* path, char* work, size_t work_capacity)
{
    if (!additional_folder_mounted())
        return;
    const char* component = path + 1;
    if (matches_folder_name(component, "sys") || !matches_folder_name(component, s_additional.name))
        return;
    const char* rest = component + lib::string_length(s_additional.name);
    size_t half = work_capacity / 2;
    TextBuilder joined { work, half };
    joined.put(s_additional.target, lib::string_length(s_additional.target));
    joined.put(rest, lib::string_length(rest));
    char* replaced = work + half;
    if (joined.overflow || !normalize(work, joined.length, replaced, lib::min(work_capacity - half, path_capacity)))
        return; // too long: the path stays as it was
    for (size_t i = 0; i <= lib::string_length(replaced); ++i)
        path[i] = replaced[i];
}

} // namespace

bool mount_additional_folder(const u8 (&block)[128], char* target_out, size_t target_capacity)
{
    size_t length = 0;
    while (length < 63 && block[64 + length])
        ++length;
    {
        arch::InterruptDisabler disabler;
        if (s_additional.sealed)
            return false;
        s_additional.sealed = true;
        for (size_t i = 0; i < 63; ++i)
            s_additional.name[i] = char(block[i]);
        s_additional.name[63] = '\0';
        TextBuilder target { s_additional.target, sizeof(s_additional.target) };
        target.put('/');
        decode_text(block + 64, length, encoding_cp866, target);
        s_additional.mounted = true;
    }
    TextBuilder out { target_out, target_capacity };
    out.put(s_additional.target, lib::string_length(s_additional.target));
    return true;
}

size_t encode_text(const char* text, size_t length, u32 encoding, u8* out, size_t capacity)
{
    size_t unit = encoding == encoding_utf16 ? 2 : 1;
    if (capacity < unit)
        return 0;
    size_t used = 0;
    size_t index = 0;
    while (index < length) {
        size_t start = index;
        u32 code_point = next_code_point(text, length, index);
        if (encoding == encoding_utf8) {
            size_t bytes = index - start;
            if (used + bytes + 1 > capacity)
                break;
            for (size_t i = 0; i < bytes; ++i)
                out[used++] = u8(text[start + i]);
        } else if (encoding == encoding_utf16) {
            bool pair = code_point >= 0x10000;
            if (used + (pair ? 4 : 2) + 2 > capacity)
                break;
            if (pair) {
                u32 value = code_point - 0x10000;
                put16(out + used, u16(0xD800 + (value >> 10)));
                put16(out + used + 2, u16(0xDC00 + (value & 0x3FF)));
                used += 4;
            } else {
                put16(out + used, u16(code_point));
                used += 2;
            }
        } else {
            if (used + 2 > capacity)
                break;
            out[used++] = u8(code_point_to_cp866(code_point));
        }
    }
    for (size_t i = 0; i < unit; ++i)
        out[used++] = 0;
    return used;
}

// ---- program strings ------------------------------------------------------------------

// A bad pointer is InvalidArgument, not copy_from_user's OutOfRange, which
// would read as "too long".
ErrorOr<size_t> read_program_string(u32 address, u8* out, size_t capacity, size_t unit, bool truncate)
{
    if (address == 0)
        return Error(ErrorCode::InvalidArgument, "null string");
    size_t done = 0;
    size_t scanned = 0;
    while (done < capacity) {
        u32 at = address + u32(done);
        if (at < address)
            return Error(ErrorCode::InvalidArgument, "string wraps around");
        size_t chunk = lib::min<size_t>(page_size - (at & (page_size - 1)), capacity - done);
        if (task::copy_from_user(out + done, at, chunk).is_error())
            return Error(ErrorCode::InvalidArgument, "string outside the program's memory");
        done += chunk;
        for (; scanned + unit <= done; scanned += unit) {
            bool zero = true;
            for (size_t i = 0; i < unit; ++i)
                zero = zero && out[scanned + i] == 0;
            if (zero)
                return scanned;
        }
    }
    if (truncate)
        return lib::align_down<size_t>(capacity, unit);
    return Error(ErrorCode::OutOfRange, "string too long");
}

ErrorOr<void> resolve_path(PathScratch& scratch, u32 address, u32 encoding, const char* relative_base,
    const char* absolute_base, char* out, u32& status)
{
    status = status_success;
    if (encoding > encoding_utf8) {
        status = status_unsupported;
        return Error(ErrorCode::Unsupported, "unknown encoding");
    }
    if (address == 0) {
        status = status_bad_pointer;
        return Error(ErrorCode::InvalidArgument, "null path");
    }
    // getFullPath (fs/fs_lfn.inc): without an encoding a first byte 1-3
    // selects one; and for any encoding but UTF-16, "/" followed by a byte
    // 1-3 does too (the "/<enc>/path" form programs find in their header
    // at +0x20).
    bool leading_slash = false;
    if (encoding != encoding_utf16) {
        u8 first[2] {};
        if (task::copy_from_user(first, address, 1).is_error()) {
            status = status_bad_pointer;
            return Error(ErrorCode::InvalidArgument, "bad path pointer");
        }
        if (encoding == encoding_default && first[0] >= encoding_cp866 && first[0] <= encoding_utf8) {
            encoding = first[0];
            address += 1;
        } else if (first[0] == '/') {
            if (task::copy_from_user(first + 1, address + 1, 1).is_error()) {
                status = status_bad_pointer;
                return Error(ErrorCode::InvalidArgument, "bad path pointer");
            }
            if (first[1] >= encoding_cp866 && first[1] <= encoding_utf8) {
                encoding = first[1];
                address += 2;
                leading_slash = true;
            }
        }
        if (encoding == encoding_default)
            encoding = encoding_cp866;
    }
    size_t unit = encoding == encoding_utf16 ? 2 : 1;
    auto length = read_program_string(address, scratch.raw, sizeof(scratch.raw), unit, false);
    if (length.is_error()) {
        status = length.error().code() == ErrorCode::OutOfRange ? status_not_found : status_bad_pointer;
        return length.error();
    }

    TextBuilder decoded { scratch.decoded, sizeof(scratch.decoded) };
    decoded.put('/');
    decode_text(scratch.raw, length.value(), encoding, decoded);
    // decoded.text now holds "/" + the program's text. Absolute when the
    // text itself starts with '/' (or the slash came before the encoding
    // byte); otherwise the base folder goes in front.
    bool absolute = leading_slash || (decoded.length > 1 && decoded.text[1] == '/');
    const char* base = absolute ? absolute_base : relative_base;
    size_t base_length = lib::string_length(base);
    if (decoded.overflow || base_length + decoded.length + 1 > sizeof(scratch.decoded)) {
        status = status_not_found;
        return Error(ErrorCode::OutOfRange, "path too long");
    }
    // Make room for the base in front of the text.
    for (size_t i = decoded.length + 1; i-- > 0;)
        scratch.decoded[i + base_length] = scratch.decoded[i];
    for (size_t i = 0; i < base_length; ++i)
        scratch.decoded[i] = base[i];
    if (base_length && base[0] != '/') {
        status = status_not_found;
        return Error(ErrorCode::InvalidArgument, "base folder is not absolute");
    }
    if (!normalize(scratch.decoded, base_length + decoded.length, out, path_capacity)) {
        status = status_not_found;
        return Error(ErrorCode::OutOfRange, "path too long");
    }
    // getFullPath replaces the folder name of 30.3 only in a path the
    // program gave as absolute (a relative one is joined to cur_dir,
    // which was replaced when it was set).
    if (absolute && base_length == 0)
        replace_additional_folder(out, scratch.decoded, sizeof(scratch.decoded));
    return {};
}

// sysfuncs.txt, 70: "/base/number/dir1/.../file"; /sys has no number.
size_t partition_components(const char* path)
{
    const char* first = path + 1;
    size_t length = 0;
    while (first[length] && first[length] != '/')
        ++length;
    const char* sys = "sys";
    bool is_sys = length == 3;
    for (size_t i = 0; is_sys && i < 3; ++i)
        is_sys = lower_ascii(first[i]) == sys[i];
    return is_sys ? 1 : 2;
}

void leading_components(const char* path, size_t components, char* out)
{
    size_t length = 0;
    size_t seen = 0;
    while (path[length]) {
        if (path[length] == '/' && length > 0 && ++seen == components)
            break;
        ++length;
    }
    for (size_t i = 0; i < length; ++i)
        out[i] = path[i];
    out[length] = '\0';
}

void parent_folder(const char* path, char* out)
{
    size_t length = lib::string_length(path);
    size_t slash = 0;
    for (size_t i = 0; i < length; ++i) {
        if (path[i] == '/')
            slash = i;
    }
    size_t keep = slash == 0 ? 1 : slash;
    for (size_t i = 0; i < keep; ++i)
        out[i] = path[i];
    out[keep] = '\0';
}

bool same_path_ignoring_case(const char* a, const char* b)
{
    for (; *a && *b; ++a, ++b) {
        if (lower_ascii(*a) != lower_ascii(*b))
            return false;
    }
    return *a == *b;
}

} // namespace kolibri
