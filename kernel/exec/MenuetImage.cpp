#include "kernel/exec/MenuetImage.h"

namespace exec {

namespace {

u32 load32(const u8* bytes)
{
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 | static_cast<u32>(bytes[2]) << 16
        | static_cast<u32>(bytes[3]) << 24;
}

bool has_prefix(const u8* file, size_t length, const char* prefix)
{
    for (size_t i = 0; prefix[i]; ++i) {
        if (i >= length || file[i] != static_cast<u8>(prefix[i]))
            return false;
    }
    return true;
}

} // namespace

ErrorOr<MenuetImage> MenuetImage::parse(const u8* file, size_t file_length)
{
    if (!file)
        return Error(ErrorCode::InvalidArgument, "MENUET: no file");
    // KolibriOS' kernel unpacks "KPCK" files in load_file before looking
    // at the header; so does our loader (exec/Kpck.h). A file still packed
    // here was packed twice, which KolibriOS does not unpack either.
    if (has_prefix(file, file_length, "KPCK"))
        return Error(ErrorCode::Unsupported, "MENUET: still packed (KPCK) after unpacking");
    if (file_length < 8 || !has_prefix(file, file_length, "MENUET0") || file[7] < '0' || file[7] > '2')
        return Error(ErrorCode::Corrupt, "MENUET: no MENUET00/01/02 signature");

    MenuetImage image;
    image.format = static_cast<u8>(file[7] - '0');
    image.header_size = image.format == 0 ? header_size_v0 : header_size_v1;
    if (file_length < image.header_size)
        return Error(ErrorCode::Corrupt, "MENUET: file shorter than its header");

    image.version = load32(file + 8);
    image.entry = load32(file + 12);
    image.image_end = load32(file + 16);
    image.memory_size = load32(file + 20);
    if (image.format == 0) {
        image.params_address = load32(file + 24);
        image.path_address = 0;
    } else {
        image.stack_top = load32(file + 24);
        image.params_address = load32(file + 28);
        image.path_address = load32(file + 32);
    }

    if (image.memory_size > max_memory_size)
        return Error(ErrorCode::Unsupported, "MENUET: memory size above 256 MiB");
    if (image.memory_size < image.image_end)
        return Error(ErrorCode::Corrupt, "MENUET: memory size smaller than the image");
    if (image.image_end <= image.header_size)
        return Error(ErrorCode::Corrupt, "MENUET: image ends inside its header");
    if (image.entry < image.header_size || image.entry >= image.image_end)
        return Error(ErrorCode::Corrupt, "MENUET: entry point outside the image");
    if (image.format == 0)
        image.stack_top = image.memory_size / 2 - 16; // KolibriOS' rule; a wrap is caught below
    if (image.stack_top <= image.header_size || image.stack_top > image.memory_size)
        return Error(ErrorCode::Corrupt, "MENUET: initial stack outside the program's memory");
    if (image.params_address != 0
        && (image.params_address < image.header_size || image.params_address >= image.memory_size))
        return Error(ErrorCode::Corrupt, "MENUET: parameter buffer outside the program's memory");
    if (image.path_address != 0
        && (image.path_address < image.header_size || image.path_address >= image.memory_size))
        return Error(ErrorCode::Corrupt, "MENUET: path buffer outside the program's memory");
    return image;
}

} // namespace exec
