#include "kernel/tests/KernelTests.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"
#include "kernel/debug/Symbols.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "lib/Format.h"
#include "lib/String.h"

namespace kernel {

namespace {

// A test case returns null on success or a static string naming what failed.
using TestResult = const char*;
#define EXPECT(condition)                         \
    do {                                          \
        if (!(condition))                         \
            return "expected " #condition;        \
    } while (0)

// Proves that .init_array ran before the tests.
struct ConstructorProbe {
    ConstructorProbe() { value = 0xC0115B1; }
    u32 value;
};
ConstructorProbe s_constructor_probe;

TestResult test_global_constructors()
{
    EXPECT(s_constructor_probe.value == 0xC0115B1);
    return nullptr;
}

TestResult test_frames_allocate_and_free()
{
    auto& frames = frame_allocator();
    size_t free_before = frames.free_frames();
    constexpr size_t count = 64;
    PhysicalAddress allocated[count];
    for (size_t i = 0; i < count; ++i) {
        auto frame = frames.allocate();
        EXPECT(!frame.is_error());
        allocated[i] = frame.value();
        EXPECT((allocated[i] & 0xFFF) == 0);
        EXPECT(allocated[i] >= 0x100000); // never the first MiB
        // Frames must be real, writable memory reachable via the direct map.
        auto words = arch::physical_to_virtual<volatile u32>(allocated[i]);
        words[0] = static_cast<u32>(i) ^ 0xA5A5A5A5;
        words[1023] = static_cast<u32>(i);
    }
    EXPECT(frames.free_frames() == free_before - count);
    for (size_t i = 0; i < count; ++i) {
        auto words = arch::physical_to_virtual<volatile u32>(allocated[i]);
        EXPECT(words[0] == (static_cast<u32>(i) ^ 0xA5A5A5A5));
        EXPECT(words[1023] == static_cast<u32>(i));
        for (size_t j = 0; j < i; ++j)
            EXPECT(allocated[i] != allocated[j]);
    }
    for (size_t i = 0; i < count; ++i)
        EXPECT(!frames.free(allocated[i]).is_error());
    EXPECT(frames.free_frames() == free_before);
    // A second free of the same frame is refused, not silently accepted.
    EXPECT(frames.free(allocated[0]).is_error());
    return nullptr;
}

TestResult test_kernel_image_not_free()
{
    auto& frames = frame_allocator();
    EXPECT(!frames.is_free(arch::virtual_to_physical(__text_start)));
    EXPECT(!frames.is_free(arch::virtual_to_physical(__kernel_end) - 4096));
    EXPECT(!frames.is_free(0));
    EXPECT(!frames.is_free(0xB8000));
    return nullptr;
}

TestResult test_heap_round_trip()
{
    auto before = memory_statistics();
    void* blocks[100];
    for (size_t i = 0; i < 100; ++i) {
        blocks[i] = kmalloc(16 + i * 37);
        EXPECT(blocks[i] != nullptr);
        EXPECT((reinterpret_cast<uintptr_t>(blocks[i]) & 15) == 0);
        auto bytes = static_cast<u8*>(blocks[i]);
        for (size_t j = 0; j < 16 + i * 37; ++j)
            bytes[j] = static_cast<u8>(i);
    }
    for (size_t i = 0; i < 100; ++i) {
        auto bytes = static_cast<u8*>(blocks[i]);
        EXPECT(bytes[0] == static_cast<u8>(i) && bytes[15 + i * 37] == static_cast<u8>(i));
    }
    for (size_t i = 0; i < 100; i += 2)
        kfree(blocks[i]);
    for (size_t i = 1; i < 100; i += 2)
        kfree(blocks[i]);
    validate_heap();
    auto after = memory_statistics();
    EXPECT(after.heap_bytes_in_use == before.heap_bytes_in_use);
    EXPECT(after.heap_live_allocations == before.heap_live_allocations);
    return nullptr;
}

TestResult test_heap_grows()
{
    auto before = memory_statistics();
    // Larger than the initial arena: the heap must take more frames.
    void* big = kmalloc(3 * 1024 * 1024);
    EXPECT(big != nullptr);
    static_cast<u8*>(big)[3 * 1024 * 1024 - 1] = 1;
    auto during = memory_statistics();
    EXPECT(during.heap_arena_bytes > before.heap_arena_bytes);
    kfree(big);
    return nullptr;
}

TestResult test_new_delete()
{
    struct Object {
        u32 a;
        u64 b;
    };
    auto before = memory_statistics();
    auto object = new Object { 1, 2 };
    EXPECT(object != nullptr && object->a == 1 && object->b == 2);
    auto array = new u32[1000];
    EXPECT(array != nullptr);
    delete object;
    delete[] array;
    EXPECT(memory_statistics().heap_live_allocations == before.heap_live_allocations);
    return nullptr;
}

TestResult test_identity_map_removed()
{
    EXPECT(!arch::paging::is_mapped(0));
    EXPECT(!arch::paging::is_mapped(0x100000));
    EXPECT(arch::paging::is_mapped(reinterpret_cast<uintptr_t>(__text_start)));
    return nullptr;
}

TestResult test_timer_ticks()
{
    EXPECT(arch::interrupts_enabled());
    u64 start = arch::pit::ticks();
    // Wait for 20 ticks (20 ms), bounded by the TSC-free spin count below so
    // a dead timer fails the test instead of hanging it.
    for (u32 spins = 0; spins < 50000 && arch::pit::ticks() < start + 20; ++spins)
        arch::halt();
    EXPECT(arch::pit::ticks() >= start + 20);
    return nullptr;
}

TestResult test_symbolizer()
{
    EXPECT(symbol_count() > 100);
    auto address = reinterpret_cast<u32>(&run_kernel_tests);
    auto symbol = symbolize(address + 1);
    EXPECT(symbol.name != nullptr);
    EXPECT(StringView(symbol.name).starts_with("kernel::run_kernel_tests"));
    EXPECT(symbol.offset == 1);
    EXPECT(symbolize(0x1000).name == nullptr);
    return nullptr;
}

TestResult test_format_in_kernel()
{
    char buffer[32];
    lib::format_to(buffer, sizeof(buffer), "%s-%05d-%x", "ok", 42, 0xbeefu);
    EXPECT(StringView(buffer) == "ok-00042-beef");
    return nullptr;
}

struct TestCase {
    const char* name;
    TestResult (*run)();
};

constexpr TestCase s_tests[] = {
    { "global_constructors", test_global_constructors },
    { "frames_allocate_and_free", test_frames_allocate_and_free },
    { "kernel_image_not_free", test_kernel_image_not_free },
    { "heap_round_trip", test_heap_round_trip },
    { "heap_grows", test_heap_grows },
    { "new_delete", test_new_delete },
    { "identity_map_removed", test_identity_map_removed },
    { "timer_ticks", test_timer_ticks },
    { "symbolizer", test_symbolizer },
    { "format_in_kernel", test_format_in_kernel },
};

} // namespace

unsigned run_kernel_tests()
{
    unsigned passed = 0;
    unsigned failed = 0;
    for (const auto& test : s_tests) {
        TestResult result = test.run();
        if (result) {
            console_print("ktest: FAIL %s: %s\n", test.name, result);
            ++failed;
        } else {
            console_print("ktest: PASS %s\n", test.name);
            ++passed;
        }
    }
    console_print("ktest: %u passed, %u failed\n", passed, failed);
    return failed;
}

[[gnu::noinline]] void trigger_deliberate_double_free()
{
    log_info("crashtest: freeing a heap block twice on purpose");
    void* block = kmalloc(64);
    kfree(block);
    kfree(block);
    panic("crashtest: the heap did not notice a double free");
}

[[gnu::noinline]] void trigger_deliberate_page_fault()
{
    log_info("crashtest: writing to an unmapped address on purpose");
    // User space is empty (the identity map is gone), so this address is
    // guaranteed to be unmapped.
    *reinterpret_cast<volatile u32*>(0x0BADC0DC) = 0xC0FFEE;
    __builtin_unreachable();
}

} // namespace kernel
