// SPDX-License-Identifier: BSD-2-Clause
// exec::lzma: streams from liblzma (Python's lzma module, made at build
// time) decode to their data; every truncation, a larger output size and
// flipped bytes are refused or stay inside the buffers (ASan watches the
// exact-size heap copies); hand-made streams from a small range encoder
// below reach the cases liblzma never writes (a match before the start,
// past the end, an early end marker).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "KpckVectors.h"
#include "kernel/exec/Lzma.h"

using exec::lzma::Model;
using namespace kpck_test;

namespace {

// Exact-size heap copies, so that any access past the end is an ASan error.
std::unique_ptr<u8[]> copy_of(const u8* data, size_t length)
{
    auto copy = std::make_unique<u8[]>(length ? length : 1);
    if (length)
        std::memcpy(copy.get(), data, length);
    return copy;
}

ErrorOr<exec::lzma::Decoded> decode(const u8* stream, size_t length, size_t size, std::vector<u8>* out = nullptr)
{
    auto input = copy_of(stream, length);
    auto output = std::make_unique<u8[]>(size ? size : 1);
    auto model = std::make_unique<Model>();
    auto result = exec::lzma::decode_raw(input.get(), length, size ? output.get() : nullptr, size, *model);
    if (out && !result.is_error())
        out->assign(output.get(), output.get() + size);
    return result;
}

TEST(Lzma, DecodesLiblzmaStreams)
{
    for (const auto& vector : raw_vectors) {
        SCOPED_TRACE(vector.name);
        std::vector<u8> out;
        auto result = decode(vector.stream, vector.stream_length, vector.plain_length, &out);
        ASSERT_FALSE(result.is_error()) << result.error().context();
        EXPECT_EQ(out, plain_of(vector));
        // liblzma ends raw LZMA1 with an end marker, which is not read.
        EXPECT_LT(result.value().consumed, vector.stream_length);
        EXPECT_GE(result.value().consumed, 5u);
        // The stream cut right there still decodes: that is what kpack.py keeps.
        std::vector<u8> again;
        ASSERT_FALSE(decode(vector.stream, result.value().consumed, vector.plain_length, &again).is_error());
        EXPECT_EQ(again, out);
    }
}

TEST(Lzma, EveryTruncationIsRefused)
{
    for (const auto& vector : raw_vectors) {
        SCOPED_TRACE(vector.name);
        size_t consumed = decode(vector.stream, vector.stream_length, vector.plain_length).value().consumed;
        // Every cut for small streams; else 40 spread out and the last 16.
        size_t step = consumed > 80 ? consumed / 40 : 1;
        for (size_t cut = 0; cut < consumed; cut += cut + 16 >= consumed ? 1 : step) {
            auto result = decode(vector.stream, cut, vector.plain_length);
            ASSERT_TRUE(result.is_error()) << "cut at " << cut;
            EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
        }
    }
}

TEST(Lzma, ALargerSizeMeetsTheEndMarker)
{
    for (const auto& vector : raw_vectors) {
        SCOPED_TRACE(vector.name);
        for (size_t extra : { 1, 1000 }) {
            auto result = decode(vector.stream, vector.stream_length, vector.plain_length + extra);
            ASSERT_TRUE(result.is_error());
            EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
        }
    }
}

TEST(Lzma, FlippedBytesAreRefusedOrStayInBounds)
{
    size_t refused = 0, tried = 0;
    for (const auto& vector : raw_vectors) {
        SCOPED_TRACE(vector.name);
        std::vector<u8> stream(vector.stream, vector.stream + vector.stream_length);
        size_t step = stream.size() > 80 ? stream.size() / 50 : 1;
        for (size_t at = 0; at < stream.size(); at += step) {
            for (u8 mask : { 0x01, 0xFF }) {
                stream[at] ^= mask;
                std::vector<u8> out;
                auto result = decode(stream.data(), stream.size(), vector.plain_length, &out);
                ++tried;
                if (result.is_error()) {
                    ++refused;
                    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
                }
                stream[at] ^= mask;
            }
        }
    }
    // Most damage shows (a match before the start, the end marker early,
    // the stream running out); a flip in the last bytes may not.
    EXPECT_GT(refused, tried / 2);
}

TEST(Lzma, FirstByteMustBeZero)
{
    const auto& vector = raw_vectors[0];
    std::vector<u8> stream(vector.stream, vector.stream + vector.stream_length);
    stream[0] = 1;
    EXPECT_TRUE(decode(stream.data(), stream.size(), vector.plain_length).is_error());
    EXPECT_TRUE(decode(stream.data(), 4, 0).is_error());
}

// A range encoder with the decoder's model, for streams liblzma would
// never write. It keeps the decoder's state machine and the data written
// so far (for literals after a match); a match it cannot copy (the
// invalid ones under test) only moves the position.
class StreamWriter {
public:
    StreamWriter()
    {
        auto* p = reinterpret_cast<u16*>(m_model.get());
        for (size_t i = 0; i < sizeof(Model) / 2; ++i)
            p[i] = 1024;
    }

    void literal(u8 byte)
    {
        bit(m_model->is_match[m_state][m_position & 3], 0);
        u16* tree = m_model->literal[m_previous >> 5];
        u32 node = 1;
        int i = 7;
        if (m_state >= 7) {
            // After a match the byte at the last distance is the context
            // until the first bit that differs from it.
            u8 match_byte = m_data[m_position - m_rep0 - 1];
            for (; i >= 0; --i) {
                u32 match_bit = (match_byte >> i) & 1;
                u32 b = (byte >> i) & 1;
                bit(tree[((1 + match_bit) << 8) + node], b);
                node = node << 1 | b;
                if (b != match_bit) {
                    --i;
                    break;
                }
            }
        }
        for (; i >= 0; --i) {
            u32 b = (byte >> i) & 1;
            bit(tree[node], b);
            node = node << 1 | b;
        }
        m_previous = byte;
        m_data.push_back(byte);
        ++m_position;
        m_state = m_state < 4 ? 0 : m_state < 10 ? m_state - 3 : m_state - 6;
    }

    // A new match: `length` 2..9 bytes from `distance` + 1 back.
    void match(u32 length, u32 distance)
    {
        bit(m_model->is_match[m_state][m_position & 3], 1);
        bit(m_model->is_rep[m_state], 0);
        u32 l = length - 2;
        bit(m_model->match_length.choice, 0);
        tree(m_model->match_length.low[m_position & 3], 3, l);
        m_state = m_state < 7 ? 7 : 10;
        u32 slot = slot_of(distance);
        tree(m_model->slot[l < 3 ? l : 3], 6, slot);
        if (slot >= 4) {
            u32 direct = (slot >> 1) - 1;
            u32 base = (2 | (slot & 1)) << direct;
            u32 rest = distance - base;
            if (slot < 14) {
                reverse_tree(m_model->special + base - slot, direct, rest);
            } else {
                direct_bits(rest >> 4, direct - 4);
                reverse_tree(m_model->align, 4, rest & 15);
            }
        }
        m_rep0 = distance;
        if (distance < m_position) {
            for (u32 i = 0; i < length; ++i)
                m_data.push_back(m_data[m_data.size() - distance - 1]);
        }
        m_position += length;
        m_previous = m_data.empty() ? 0 : m_data.back();
    }

    void end_marker() { match(2, 0xFFFFFFFFu); }

    // One byte from the last distance (a "short rep").
    void short_rep()
    {
        bit(m_model->is_match[m_state][m_position & 3], 1);
        bit(m_model->is_rep[m_state], 1);
        bit(m_model->is_rep_g0[m_state], 0);
        bit(m_model->is_rep0_long[m_state][m_position & 3], 0);
        m_state = m_state < 7 ? 9 : 11;
        m_data.push_back(m_position > m_rep0 ? m_data[m_position - m_rep0 - 1] : 0);
        m_previous = m_data.back();
        ++m_position;
    }

    std::vector<u8> finish()
    {
        for (int i = 0; i < 5; ++i)
            shift_low();
        return m_out;
    }

private:
    static u32 slot_of(u32 distance)
    {
        if (distance < 4)
            return distance;
        u32 top = 31;
        while (!(distance >> top))
            --top;
        return top * 2 + ((distance >> (top - 1)) & 1);
    }

    void bit(u16& probability, u32 b)
    {
        u32 bound = (m_range >> 11) * probability;
        if (!b) {
            m_range = bound;
            probability = u16(probability + ((2048 - probability) >> 5));
        } else {
            m_low += bound;
            m_range -= bound;
            probability = u16(probability - (probability >> 5));
        }
        normalize();
    }

    void direct_bits(u32 value, u32 count)
    {
        while (count--) {
            m_range >>= 1;
            if ((value >> count) & 1)
                m_low += m_range;
            normalize();
        }
    }

    void tree(u16* probabilities, u32 bits, u32 value)
    {
        u32 node = 1;
        for (u32 i = bits; i-- > 0;) {
            u32 b = (value >> i) & 1;
            bit(probabilities[node], b);
            node = node << 1 | b;
        }
    }

    void reverse_tree(u16* probabilities, u32 bits, u32 value)
    {
        u32 node = 1;
        for (u32 i = 0; i < bits; ++i) {
            u32 b = (value >> i) & 1;
            bit(probabilities[node], b);
            node = node << 1 | b;
        }
    }

    void normalize()
    {
        while (m_range < (1u << 24)) {
            m_range <<= 8;
            shift_low();
        }
    }

    void shift_low()
    {
        if (u32(m_low) < 0xFF000000u || (m_low >> 32) != 0) {
            u8 carry = u8(m_low >> 32);
            u8 pending = m_cache;
            do {
                m_out.push_back(u8(pending + carry));
                pending = 0xFF;
            } while (--m_cache_size != 0);
            m_cache = u8(u32(m_low) >> 24);
        }
        ++m_cache_size;
        m_low = u64(u32(m_low) << 8);
    }

    std::unique_ptr<Model> m_model { std::make_unique<Model>() };
    u32 m_state { 0 };
    u32 m_position { 0 };
    u32 m_rep0 { 0 };
    u8 m_previous { 0 };
    std::vector<u8> m_data;
    u64 m_low { 0 };
    u32 m_range { 0xFFFFFFFFu };
    u8 m_cache { 0 };
    u64 m_cache_size { 1 };
    std::vector<u8> m_out;
};

std::vector<u8> literals(StreamWriter& writer, const char* text)
{
    std::vector<u8> bytes;
    for (const char* c = text; *c; ++c) {
        writer.literal(u8(*c));
        bytes.push_back(u8(*c));
    }
    return bytes;
}

TEST(Lzma, HandMadeMatchesDecode)
{
    // The positive control for the refusals below: the writer's streams
    // decode, with short and long (align-coded) distances, and the match
    // overlapping its own output.
    StreamWriter writer;
    std::vector<u8> expected = literals(writer, "abc");
    writer.match(3, 2); // "abc" again
    writer.match(7, 0); // "ccccccc": distance 1, overlapping
    for (int i = 0; i < 300; ++i)
        writer.literal(u8(i * 7));
    writer.match(5, 200);
    expected.insert(expected.end(), { 'a', 'b', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c' });
    for (int i = 0; i < 300; ++i)
        expected.push_back(u8(i * 7));
    for (int i = 0; i < 5; ++i)
        expected.push_back(expected[expected.size() - 201]);
    auto stream = writer.finish();
    std::vector<u8> out;
    auto result = decode(stream.data(), stream.size(), expected.size(), &out);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(out, expected);
    EXPECT_EQ(result.value().consumed, stream.size());
}

TEST(Lzma, MatchBeforeTheStartIsRefused)
{
    StreamWriter writer;
    literals(writer, "ab");
    writer.match(2, 2); // 3 back from position 2
    auto stream = writer.finish();
    auto result = decode(stream.data(), stream.size(), 4);
    ASSERT_TRUE(result.is_error());
    EXPECT_STREQ(result.error().context(), "LZMA: match distance before the output start");

    StreamWriter first;
    first.match(2, 0); // a match as the very first symbol
    stream = first.finish();
    EXPECT_TRUE(decode(stream.data(), stream.size(), 2).is_error());

    StreamWriter rep;
    rep.short_rep();
    stream = rep.finish();
    EXPECT_TRUE(decode(stream.data(), stream.size(), 1).is_error());

    // A distance far beyond 4 GiB's worth of slots: the largest one.
    StreamWriter far;
    literals(far, "xy");
    far.match(2, 0xFFFFFFF0u);
    stream = far.finish();
    EXPECT_TRUE(decode(stream.data(), stream.size(), 4).is_error());
}

TEST(Lzma, MatchPastTheSizeIsRefused)
{
    StreamWriter writer;
    literals(writer, "ab");
    writer.match(9, 1);
    auto stream = writer.finish();
    EXPECT_FALSE(decode(stream.data(), stream.size(), 11).is_error());
    auto result = decode(stream.data(), stream.size(), 10);
    ASSERT_TRUE(result.is_error());
    EXPECT_STREQ(result.error().context(), "LZMA: match past the unpacked size");
}

TEST(Lzma, EarlyEndMarkerIsRefused)
{
    StreamWriter writer;
    literals(writer, "abc");
    writer.end_marker();
    auto stream = writer.finish();
    EXPECT_FALSE(decode(stream.data(), stream.size(), 3).is_error());
    auto result = decode(stream.data(), stream.size(), 4);
    ASSERT_TRUE(result.is_error());
    EXPECT_STREQ(result.error().context(), "LZMA: end marker before the unpacked size");
}

} // namespace
