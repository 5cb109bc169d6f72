#include "kernel/drivers/BochsDisplay.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/drivers/Pci.h"

namespace drivers::bochs_display {

namespace {

// Ports and registers of the dispi interface (Bochs' vga.h and QEMU's
// docs: "Bochs VBE extensions").
constexpr u16 index_port = 0x1CE;
constexpr u16 data_port = 0x1CF;

enum Register : u16 {
    Id = 0,
    XResolution = 1,
    YResolution = 2,
    BitsPerPixel = 3,
    Enable = 4,
    Bank = 5,
    VirtualWidth = 6,
    VirtualHeight = 7,
    XOffset = 8,
    YOffset = 9,
    VideoMemory64K = 10, // video memory size in 64 KiB units (QEMU; newer Bochs)
};

constexpr u16 id_oldest = 0xB0C0;
constexpr u16 id_newest = 0xB0C5;
constexpr u16 enable_display = 0x01;
constexpr u16 enable_get_capabilities = 0x02;
constexpr u16 enable_linear_framebuffer = 0x40;

constexpr u16 pci_vendor = 0x1234;
constexpr u16 pci_device = 0x1111;

struct State {
    bool detected;
    PhysicalAddress framebuffer_address;
    u64 memory_size;
    Mode capabilities;
};
State s_state;

u16 read_register(Register index)
{
    arch::InterruptDisabler disabler;
    arch::out16(index_port, index);
    return arch::in16(data_port);
}

void write_register(Register index, u16 value)
{
    arch::InterruptDisabler disabler;
    arch::out16(index_port, index);
    arch::out16(data_port, value);
}

u32 bytes_per_pixel(u32 bits_per_pixel) { return (bits_per_pixel + 7) / 8; }

} // namespace

ErrorOr<void> detect()
{
    if (s_state.detected)
        return {};
    auto device = pci::find_device(pci_vendor, pci_device);
    if (device.is_error())
        return Error(ErrorCode::NotFound, "no PCI display 1234:1111");
    // The dispi registers answer with their version in the id register.
    u16 const id = read_register(Id);
    if (id < id_oldest || id > id_newest)
        return Error(ErrorCode::NotFound, "no Bochs dispi registers");
    auto bar = pci::read_bar(device.value(), 0);
    if (bar.is_error() || bar.value().is_io || bar.value().address == 0 || bar.value().size == 0)
        return Error(ErrorCode::NotFound, "Bochs display without a framebuffer BAR");

    // With GETCAPS set, the resolution and depth registers read as maxima.
    u16 const enable = read_register(Enable);
    write_register(Enable, static_cast<u16>(enable | enable_get_capabilities));
    Mode capabilities { read_register(XResolution), read_register(YResolution), read_register(BitsPerPixel) };
    write_register(Enable, enable);

    u64 memory = u64(read_register(VideoMemory64K)) * 64 * 1024;
    if (memory == 0 || memory > bar.value().size)
        memory = bar.value().size;

    s_state = { true, bar.value().address, memory, capabilities };
    return {};
}

Mode capabilities() { return s_state.capabilities; }

ErrorOr<Framebuffer> set_mode(const Mode& mode)
{
    if (!s_state.detected)
        return Error(ErrorCode::NotFound, "Bochs display not detected");
    u32 const bpp = mode.bits_per_pixel;
    if (bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        return Error(ErrorCode::Unsupported, "Bochs display: depth must be 15, 16, 24 or 32");
    Mode const& limit = s_state.capabilities;
    if (mode.width == 0 || mode.height == 0 || mode.width > limit.width || mode.height > limit.height
        || bpp > limit.bits_per_pixel)
        return Error(ErrorCode::Unsupported, "Bochs display: mode larger than the adapter offers");
    if (u64(mode.width) * mode.height * bytes_per_pixel(bpp) > s_state.memory_size)
        return Error(ErrorCode::Unsupported, "Bochs display: mode needs more video memory than there is");

    // The mode registers may only change while the display is disabled.
    write_register(Enable, 0);
    write_register(XResolution, static_cast<u16>(mode.width));
    write_register(YResolution, static_cast<u16>(mode.height));
    write_register(BitsPerPixel, static_cast<u16>(bpp));
    write_register(Bank, 0);
    write_register(XOffset, 0);
    write_register(YOffset, 0);
    write_register(Enable, enable_display | enable_linear_framebuffer);

    // The adapter may round what it was given (QEMU keeps widths a multiple
    // of 8); describe what it actually shows. The virtual width is the
    // line length in pixels, the same as the width unless panning is used.
    Framebuffer framebuffer {};
    framebuffer.address = s_state.framebuffer_address;
    framebuffer.memory_size = s_state.memory_size;
    framebuffer.width = read_register(XResolution);
    framebuffer.height = read_register(YResolution);
    framebuffer.bits_per_pixel = read_register(BitsPerPixel);
    u32 const line_pixels = lib::max<u32>(read_register(VirtualWidth), framebuffer.width);
    framebuffer.pitch = line_pixels * bytes_per_pixel(framebuffer.bits_per_pixel);
    if (!(read_register(Enable) & enable_display) || framebuffer.bits_per_pixel != bpp || framebuffer.width == 0
        || framebuffer.height == 0 || u64(framebuffer.pitch) * framebuffer.height > s_state.memory_size)
        return Error(ErrorCode::IoError, "Bochs display did not take the mode");
    return framebuffer;
}

} // namespace drivers::bochs_display
