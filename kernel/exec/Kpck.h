// KPCK: files packed by KolibriOS' kpack (programs/other/kpack). The
// KolibriOS kernel unpacks them wherever it loads a whole file for its own
// use: executables (70.7), DLLs (68.19), drivers, skins (48.8) and 68.27/28
// (core/dll.inc load_file and load_file_umode, unpacker.inc unpack). A plain
// 70.0 read returns the packed bytes. docs/kpck.md describes the format.
//
//   +0   "KPCK"
//   +4   unpacked size (dword)
//   +8   flags: bits 0-5 the method (only 1 = LZMA), 0x40 call-trick 1,
//        0x80 call-trick 2 (both set: refused, as unpack does)
//   +12  the range coder's initial code (dword, little-endian)
//   +16  the LZMA stream (lzma.h: lc=3 lp=0 pb=2, no header)
//   then, for the call tricks only, right where the stream ends: the
//   number of converted calls (dword) and the marker byte.
//
// Any loader of whole files calls it the same way (the COFF DLL loader of
// 68.19 too):
//
//   if (exec::kpck::is_packed(bytes, length)) {
//       u32 size = TRY(exec::kpck::unpacked_size(bytes, length));
//       ... allocate `size` bytes and an exec::lzma::Model ...
//       TRY(exec::kpck::unpack(bytes, length, out, size, model));
//   }
//
// Nothing here allocates or does I/O.
#pragma once

#include "kernel/exec/Lzma.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace exec::kpck {

// KolibriOS allocates whatever unpacked size the header claims (load_file
// checks only the packed size, against 16 MiB). We refuse more than 64 MiB:
// no KolibriOS file comes near it (the largest programs unpack to a few
// MiB), and it keeps a forged header from making the kernel reserve
// gigabytes. Callers may impose a lower limit of their own.
constexpr u32 max_unpacked_size = 64u * 1024 * 1024;

constexpr u32 header_size = 16;
constexpr u32 method_mask = 0x3F;
constexpr u32 method_lzma = 1;
constexpr u32 flag_call_trick1 = 0x40; // E8/E9 rel32 operands made absolute
constexpr u32 flag_call_trick2 = 0x80; // the same, and 0F 80..8F (Jcc rel32)

// Whether the file starts with "KPCK" (then it must be unpacked, or
// refused: it is never anything else).
bool is_packed(const u8* file, size_t length);

// The unpacked size of a KPCK file, after checking what the header alone
// can tell. Corrupt: shorter than the header, not "KPCK", a method other
// than LZMA, both call tricks, a size of 0 (kpack never writes one).
// Unsupported: a size above max_unpacked_size.
ErrorOr<u32> unpacked_size(const u8* file, size_t length);

// Unpacks the whole `file` into `output` (at least unpacked_size() bytes;
// only that many are written). `model` is the decoder's scratch memory.
// Every error is Corrupt (or what unpacked_size() answers): a truncated or
// damaged stream, a call-trick trailer missing behind the stream, or a
// call count larger than the calls in the data. On an error `output`
// holds garbage and must not be used.
ErrorOr<void> unpack(const u8* file, size_t length, u8* output, size_t output_capacity, lzma::Model& model);

// The call-trick undo on its own (unpack() calls it; exposed for tests):
// walks `data` from the start as unpacker.inc does and turns `count`
// marked operands back into rel32. Corrupt if fewer are found.
ErrorOr<void> undo_call_trick(u8* data, size_t length, bool with_jcc, u32 count, u8 marker);

} // namespace exec::kpck
