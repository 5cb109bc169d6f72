#include "kernel/exec/Kpck.h"

namespace exec::kpck {

namespace {

u32 load32(const u8* bytes)
{
    return u32(bytes[0]) | u32(bytes[1]) << 8 | u32(bytes[2]) << 16 | u32(bytes[3]) << 24;
}

} // namespace

bool is_packed(const u8* file, size_t length)
{
    return file && length >= 4 && file[0] == 'K' && file[1] == 'P' && file[2] == 'C' && file[3] == 'K';
}

ErrorOr<u32> unpacked_size(const u8* file, size_t length)
{
    if (!is_packed(file, length))
        return Error(ErrorCode::Corrupt, "KPCK: no KPCK signature");
    if (length < header_size)
        return Error(ErrorCode::Corrupt, "KPCK: file shorter than its header");
    u32 flags = load32(file + 8);
    if ((flags & method_mask) != method_lzma)
        return Error(ErrorCode::Corrupt, "KPCK: unknown packing method (only 1, LZMA, exists)");
    if ((flags & flag_call_trick1) && (flags & flag_call_trick2))
        return Error(ErrorCode::Corrupt, "KPCK: both call tricks set");
    u32 size = load32(file + 4);
    if (size == 0)
        return Error(ErrorCode::Corrupt, "KPCK: unpacked size 0");
    if (size > max_unpacked_size)
        return Error(ErrorCode::Unsupported, "KPCK: unpacked size above 64 MiB");
    return size;
}

ErrorOr<void> undo_call_trick(u8* data, size_t length, bool with_jcc, u32 count, u8 marker)
{
    // unpacker.inc .c1/.c2: find an opcode (E8 call, E9 jmp; with the
    // second trick also 0F 80..8F, the Jcc rel32 forms), and if the next
    // byte is the marker the four bytes marker,b1,b2,b3 hold the target
    // b1b2b3 (big-endian, from the data's start): store it back as rel32.
    // Without the marker the walk goes on at the byte after the opcode.
    size_t at = 0;
    while (count) {
        if (at >= length)
            return Error(ErrorCode::Corrupt, "KPCK: fewer calls than the call-trick count");
        u8 opcode = data[at++];
        bool jcc = false;
        if (with_jcc) {
            // 0F: look at the next byte; another 0F is looked at again,
            // 80..8F is a Jcc, anything else gets the E8/E9 test.
            while (opcode == 0x0F) {
                if (at >= length)
                    return Error(ErrorCode::Corrupt, "KPCK: fewer calls than the call-trick count");
                opcode = data[at++];
                if (opcode >= 0x80 && opcode < 0x90) {
                    jcc = true;
                    break;
                }
            }
        }
        if (!jcc && opcode != 0xE8 && opcode != 0xE9)
            continue;
        if (at >= length)
            return Error(ErrorCode::Corrupt, "KPCK: fewer calls than the call-trick count");
        if (data[at] != marker)
            continue;
        if (length - at < 4)
            return Error(ErrorCode::Corrupt, "KPCK: call-trick operand past the end");
        u32 target = u32(data[at + 1]) << 16 | u32(data[at + 2]) << 8 | u32(data[at + 3]);
        at += 4;
        u32 relative = target - u32(at); // wraps as the CPU's rel32 does
        data[at - 4] = u8(relative);
        data[at - 3] = u8(relative >> 8);
        data[at - 2] = u8(relative >> 16);
        data[at - 1] = u8(relative >> 24);
        --count;
    }
    return {};
}

ErrorOr<void> unpack(const u8* file, size_t length, u8* output, size_t output_capacity, lzma::Model& model)
{
    u32 size = TRY(unpacked_size(file, length));
    if (!output || output_capacity < size)
        return Error(ErrorCode::InvalidArgument, "KPCK: output buffer smaller than the unpacked size");
    u32 flags = load32(file + 8);
    auto decoded = TRY(lzma::decode(file + header_size, length - header_size, load32(file + 12), output, size, model));
    // kpack's stream ends exactly at the end of the file (or of the file
    // less the call-trick trailer): its encoder writes no end marker and
    // kpack keeps nothing after it. Bytes left over mean the header's size
    // is wrong (unpack reads on regardless; we refuse).
    size_t end = header_size + decoded.consumed;
    bool call_trick = (flags & (flag_call_trick1 | flag_call_trick2)) != 0;
    size_t trailer_size = call_trick ? 5 : 0;
    if (length - end < trailer_size)
        return Error(ErrorCode::Corrupt, "KPCK: call-trick trailer missing");
    if (length - end > trailer_size)
        return Error(ErrorCode::Corrupt, "KPCK: data after the stream (wrong unpacked size?)");
    if (!call_trick)
        return {};
    // unpack reads the trailer right where the decoder stopped.
    size_t trailer = end;
    u32 count = load32(file + trailer);
    u8 marker = file[trailer + 4];
    return undo_call_trick(output, size, (flags & flag_call_trick2) != 0, count, marker);
}

} // namespace exec::kpck
