#include "kernel/drivers/VgaText.h"

#include "kernel/arch/i386/Layout.h"

namespace drivers::vga_text {

namespace {

constexpr size_t columns = 80;
constexpr size_t rows = 25;
constexpr PhysicalAddress text_buffer = 0xB8000;

volatile u16* s_buffer;
size_t s_column;
size_t s_row;
u8 s_attribute = 0x07;
bool s_enabled;

u16 cell(char c) { return static_cast<u16>(static_cast<u8>(c) | (u16(s_attribute) << 8)); }

void scroll()
{
    for (size_t i = 0; i < columns * (rows - 1); ++i)
        s_buffer[i] = s_buffer[i + columns];
    for (size_t i = columns * (rows - 1); i < columns * rows; ++i)
        s_buffer[i] = cell(' ');
    s_row = rows - 1;
}

void put(char c)
{
    if (c == '\n') {
        s_column = 0;
        ++s_row;
    } else if (c == '\r') {
        s_column = 0;
    } else if (c == '\b') {
        if (s_column > 0)
            --s_column;
    } else {
        s_buffer[s_row * columns + s_column] = cell(c);
        if (++s_column == columns) {
            s_column = 0;
            ++s_row;
        }
    }
    if (s_row == rows)
        scroll();
}

} // namespace

void initialize()
{
    s_buffer = arch::physical_to_virtual<volatile u16>(text_buffer);
    s_enabled = true;
    for (size_t i = 0; i < columns * rows; ++i)
        s_buffer[i] = cell(' ');
    s_row = 0;
    s_column = 0;
}

void disable() { s_enabled = false; }
bool is_enabled() { return s_enabled; }
void set_attribute(u8 attribute) { s_attribute = attribute; }

void write(const char* text, size_t length)
{
    if (!s_enabled)
        return;
    for (size_t i = 0; i < length; ++i)
        put(text[i]);
}

} // namespace drivers::vga_text
