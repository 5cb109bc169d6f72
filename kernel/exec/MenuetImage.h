// Validation and description of a KolibriOS flat executable ("MENUET0x"
// header), which is loaded at virtual address 0 as one block.
//
// Header layout (KolibriOS kernel/trunk/core/taskman.inc, structures
// APP_HEADER_00/APP_HEADER_01 and test_app_header; programs/ sources):
//
//   offset  MENUET01 / MENUET02          MENUET00 (oldest form)
//   +0      "MENUET0x" (8 bytes)         "MENUET00"
//   +8      header version (dword, 1)    required OS version
//   +12     entry point (eip)            entry point
//   +16     i_end: end of the image      i_end
//   +20     memory size (whole app)      memory size
//   +24     initial esp (stack top)      parameters buffer (or 0)
//   +28     parameters buffer (or 0)     -
//   +32     path buffer (or 0)           -
//   +36     MENUET02 only: TLS/extended-header dword in some toolchains;
//           KolibriOS reads the same fields as MENUET01 and only notes
//           that the program is a "02" program.
//
// For MENUET00 KolibriOS derives esp = memory_size / 2 - 16 and has no path
// buffer. The header version dword is not checked by KolibriOS, nor here.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace exec {

struct MenuetImage {
    // Memory sizes above this are refused: no real KolibriOS program asks
    // for more, and it bounds what a hostile header can make us reserve.
    static constexpr u32 max_memory_size = 256u * 1024 * 1024;
    static constexpr u32 header_size_v0 = 28;
    static constexpr u32 header_size_v1 = 36; // MENUET01 and MENUET02

    u8 format { 1 };            // the digit of the signature: 0, 1 or 2
    u32 version { 0 };          // the dword at +8
    u32 header_size { 0 };      // bytes of header that must not be overwritten
    u32 entry { 0 };
    u32 image_end { 0 };        // end of code and data (the loader copies the whole file)
    u32 memory_size { 0 };      // the whole application memory, from address 0
    u32 stack_top { 0 };        // initial esp
    u32 params_address { 0 };   // 0: none; else room for the command line (up to 256 bytes)
    u32 path_address { 0 };     // 0: none; else room for the program path

    // `file` holds the first `file_length` bytes of the program file (the
    // whole file when the caller has it).
    //
    // Refused (Corrupt unless noted): shorter than the header; not
    // "MENUET00/01/02" (a "KPCK" packed file is Unsupported: the loader
    // unpacks it first, exec/Kpck.h); memory_size < image_end (KolibriOS refuses this too);
    // memory_size > max_memory_size (Unsupported); entry outside
    // [header_size, image_end); image_end <= header_size; stack_top outside
    // (header_size, memory_size]; a params/path buffer that starts inside
    // the header or at/after memory_size.
    //
    // Tolerated, as on KolibriOS: image_end larger than the file (the loader
    // copies min(image_end, file length) bytes and the rest of memory is
    // zero, exactly what KolibriOS' zero-filled pages give), and a file
    // longer than image_end (the loader copies the whole file, up to
    // memory_size, as KolibriOS' map_process_image maps every file page:
    // programs keep data past image_end). The params and path buffers are only required to
    // start inside the memory: the loader clips what it writes to
    // memory_size.
    static ErrorOr<MenuetImage> parse(const u8* file, size_t file_length);
};

} // namespace exec
