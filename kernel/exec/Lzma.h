// A small LZMA decoder for the one variant KolibriOS uses: literal context
// bits lc=3, literal position bits lp=0, position bits pb=2, a raw stream
// (no properties header, no dictionary size) and an output size known in
// advance. The "dictionary" is the output buffer itself, so it decodes in
// one call into memory the caller owns and allocates nothing.
//
// KolibriOS' own decoder is kernel/trunk/unpacker.inc (`unpack`, its
// `.lzma_unpack` part); the format is the LZMA SDK's. Unlike KolibriOS this
// one checks everything a corrupt stream can get wrong: it never reads past
// the input, never writes past `output_size`, refuses a match reaching
// before the start of the output or past its end, and always ends (every
// symbol produces at least one byte).
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace exec::lzma {

// The adaptive bit probabilities (11-bit fixed point), ~14 KiB: too big for
// a kernel stack, so the caller provides them. Their values on entry do not
// matter; decode() initialises them.
struct Model {
    static constexpr size_t states = 12;
    static constexpr size_t position_states = 4; // 1 << pb
    struct Length {
        u16 choice;
        u16 choice2;
        u16 low[position_states][8];
        u16 mid[position_states][8];
        u16 high[256];
    };
    u16 is_match[states][position_states];
    u16 is_rep[states];
    u16 is_rep_g0[states];
    u16 is_rep_g1[states];
    u16 is_rep_g2[states];
    u16 is_rep0_long[states][position_states];
    u16 slot[4][64];        // distance slot, by length (2, 3, 4, 5+)
    u16 special[115];       // reverse bit trees of the distance slots 4..13 (entry 0 unused)
    u16 align[16];          // the low 4 bits of large distances
    Length match_length;
    Length rep_length;
    u16 literal[8][0x300];  // 1 << lc contexts of three 256-entry trees
};

struct Decoded {
    size_t consumed; // stream bytes read (exactly those the encoder wrote before any end marker)
};

// Decodes exactly `output_size` bytes. `stream` is the range coder's byte
// stream after its first five bytes, `initial_code` the value of those
// (the first byte is always 0 and carries nothing; the next four are the
// code, big-endian). The range coder takes a new byte right after the bit
// that needs it, as KolibriOS' decoder does, so `consumed` is exact and a
// trailer behind the stream (KPCK's call-trick data) starts there.
//
// Errors (all Corrupt): the stream ends before the output is complete
// ("truncated"), a match reaches before the output's start or past
// `output_size`, an end marker comes before `output_size` bytes.
ErrorOr<Decoded> decode(const u8* stream, size_t stream_length, u32 initial_code, u8* output, size_t output_size,
    Model& model);

// The same for a whole raw stream as LZMA encoders write it (liblzma's
// FORMAT_RAW with FILTER_LZMA1, lc=3 lp=0 pb=2): the five leading bytes are
// read here; `consumed` counts them. A first byte other than 0 is Corrupt.
ErrorOr<Decoded> decode_raw(const u8* stream, size_t stream_length, u8* output, size_t output_size, Model& model);

} // namespace exec::lzma
