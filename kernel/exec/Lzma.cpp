#include "kernel/exec/Lzma.h"

namespace exec::lzma {

namespace {

constexpr u32 probability_bits = 11;
constexpr u16 probability_half = 1u << (probability_bits - 1);
constexpr u32 adapt_shift = 5;
constexpr u32 top = 1u << 24;
constexpr u32 end_marker = 0xFFFFFFFFu; // the distance that ends a stream early
constexpr u32 literal_states = 7;       // states below this follow a literal

class RangeDecoder {
public:
    RangeDecoder(const u8* stream, size_t length, u32 code)
        : m_stream(stream)
        , m_length(length)
        , m_code(code)
    {
    }

    // One bit with an adaptive probability. The range is renormalised after
    // the bit, not before the next one (as KolibriOS' unpacker.inc does), so
    // the bytes read are exactly the encoder's.
    u32 bit(u16& probability)
    {
        u32 bound = (m_range >> probability_bits) * probability;
        u32 result;
        if (m_code < bound) {
            m_range = bound;
            probability = u16(probability + (((1u << probability_bits) - probability) >> adapt_shift));
            result = 0;
        } else {
            m_range -= bound;
            m_code -= bound;
            probability = u16(probability - (probability >> adapt_shift));
            result = 1;
        }
        normalize();
        return result;
    }

    // `count` bits of probability one half, most significant first.
    u32 direct_bits(u32 count)
    {
        u32 result = 0;
        while (count--) {
            m_range >>= 1;
            u32 bit = m_code >= m_range ? 1 : 0;
            if (bit)
                m_code -= m_range;
            result = result << 1 | bit;
            normalize();
        }
        return result;
    }

    // A symbol of `bits` bits coded as a binary tree, high bit first.
    u32 tree(u16* probabilities, u32 bits)
    {
        u32 node = 1;
        for (u32 i = 0; i < bits; ++i)
            node = node << 1 | bit(probabilities[node]);
        return node - (1u << bits);
    }

    // The same with the low bit first (distances' low bits).
    u32 reverse_tree(u16* probabilities, u32 bits)
    {
        u32 node = 1, symbol = 0;
        for (u32 i = 0; i < bits; ++i) {
            u32 b = bit(probabilities[node]);
            node = node << 1 | b;
            symbol |= b << i;
        }
        return symbol;
    }

    bool overrun() const { return m_overrun; }
    size_t consumed() const { return m_position; }

private:
    void normalize()
    {
        if (m_range >= top)
            return;
        m_range <<= 8;
        u8 next = 0;
        if (m_position < m_length)
            next = m_stream[m_position++];
        else
            m_overrun = true; // noted; the main loop stops at the next symbol
        m_code = m_code << 8 | next;
    }

    const u8* m_stream;
    size_t m_length;
    size_t m_position { 0 };
    u32 m_range { 0xFFFFFFFFu };
    u32 m_code;
    bool m_overrun { false };
};

void reset(Model& model)
{
    // Model is nothing but u16 arrays: set them all to one half.
    auto* probability = reinterpret_cast<u16*>(&model);
    for (size_t i = 0; i < sizeof(Model) / sizeof(u16); ++i)
        probability[i] = probability_half;
}

// A match length minus 2: 0..271.
u32 decode_length(RangeDecoder& rc, Model::Length& length, u32 position_state)
{
    if (!rc.bit(length.choice))
        return rc.tree(length.low[position_state], 3);
    if (!rc.bit(length.choice2))
        return 8 + rc.tree(length.mid[position_state], 3);
    return 16 + rc.tree(length.high, 8);
}

// A match distance minus 1 (end_marker for the end of the stream).
u32 decode_distance(RangeDecoder& rc, Model& model, u32 length)
{
    u32 slot = rc.tree(model.slot[length < 3 ? length : 3], 6);
    if (slot < 4)
        return slot;
    u32 direct = (slot >> 1) - 1;
    u32 distance = (2 | (slot & 1)) << direct;
    if (slot < 14)
        return distance + rc.reverse_tree(model.special + distance - slot, direct);
    distance += rc.direct_bits(direct - 4) << 4;
    return distance + rc.reverse_tree(model.align, 4);
}

u8 decode_literal(RangeDecoder& rc, u16* tree, bool after_match, u8 match_byte)
{
    u32 symbol = 1;
    if (after_match) {
        // The byte at the last match distance predicts this one until the
        // first bit that differs.
        while (symbol < 0x100) {
            u32 match_bit = (match_byte >> 7) & 1;
            match_byte = u8(match_byte << 1);
            u32 b = rc.bit(tree[((1 + match_bit) << 8) + symbol]);
            symbol = symbol << 1 | b;
            if (b != match_bit)
                break;
        }
    }
    while (symbol < 0x100)
        symbol = symbol << 1 | rc.bit(tree[symbol]);
    return u8(symbol);
}

} // namespace

ErrorOr<Decoded> decode(const u8* stream, size_t stream_length, u32 initial_code, u8* output, size_t output_size,
    Model& model)
{
    if ((!stream && stream_length) || (!output && output_size))
        return Error(ErrorCode::InvalidArgument, "LZMA: no buffer");
    reset(model);
    RangeDecoder rc(stream, stream_length, initial_code);
    u32 state = 0;
    u32 rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0; // the last four distances, minus 1
    size_t position = 0;
    while (position < output_size) {
        if (rc.overrun())
            return Error(ErrorCode::Corrupt, "LZMA: stream truncated");
        u32 position_state = position & (Model::position_states - 1);
        if (!rc.bit(model.is_match[state][position_state])) {
            u8 previous = position ? output[position - 1] : 0;
            bool after_match = state >= literal_states;
            // After a match rep0 < position held when it was copied.
            u8 match_byte = after_match ? output[position - rep0 - 1] : 0;
            output[position++] = decode_literal(rc, model.literal[previous >> 5], after_match, match_byte);
            state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
            continue;
        }
        u32 length;
        if (rc.bit(model.is_rep[state])) {
            if (position == 0)
                return Error(ErrorCode::Corrupt, "LZMA: repeated match before any output");
            if (!rc.bit(model.is_rep_g0[state])) {
                if (!rc.bit(model.is_rep0_long[state][position_state])) {
                    // One byte from the last distance.
                    if (rep0 >= position)
                        return Error(ErrorCode::Corrupt, "LZMA: match distance before the output start");
                    state = state < literal_states ? 9 : 11;
                    output[position] = output[position - rep0 - 1];
                    ++position;
                    continue;
                }
            } else {
                u32 distance;
                if (!rc.bit(model.is_rep_g1[state])) {
                    distance = rep1;
                } else {
                    if (!rc.bit(model.is_rep_g2[state])) {
                        distance = rep2;
                    } else {
                        distance = rep3;
                        rep3 = rep2;
                    }
                    rep2 = rep1;
                }
                rep1 = rep0;
                rep0 = distance;
            }
            length = decode_length(rc, model.rep_length, position_state);
            state = state < literal_states ? 8 : 11;
        } else {
            rep3 = rep2;
            rep2 = rep1;
            rep1 = rep0;
            length = decode_length(rc, model.match_length, position_state);
            state = state < literal_states ? 7 : 10;
            rep0 = decode_distance(rc, model, length);
            if (rep0 == end_marker)
                return Error(ErrorCode::Corrupt, "LZMA: end marker before the unpacked size");
        }
        length += 2;
        if (rep0 >= position)
            return Error(ErrorCode::Corrupt, "LZMA: match distance before the output start");
        if (length > output_size - position)
            return Error(ErrorCode::Corrupt, "LZMA: match past the unpacked size");
        // Byte by byte: source and destination overlap when length > distance.
        const u8* from = output + position - rep0 - 1;
        for (u32 i = 0; i < length; ++i)
            output[position + i] = from[i];
        position += length;
    }
    if (rc.overrun())
        return Error(ErrorCode::Corrupt, "LZMA: stream truncated");
    return Decoded { rc.consumed() };
}

ErrorOr<Decoded> decode_raw(const u8* stream, size_t stream_length, u8* output, size_t output_size, Model& model)
{
    constexpr size_t header = 5;
    if (!stream || stream_length < header)
        return Error(ErrorCode::Corrupt, "LZMA: stream truncated");
    if (stream[0] != 0)
        return Error(ErrorCode::Corrupt, "LZMA: first byte is not 0");
    u32 code = u32(stream[1]) << 24 | u32(stream[2]) << 16 | u32(stream[3]) << 8 | u32(stream[4]);
    auto decoded = TRY(decode(stream + header, stream_length - header, code, output, output_size, model));
    return Decoded { decoded.consumed + header };
}

} // namespace exec::lzma
