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
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/WaitQueue.h"
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

volatile u32 s_counters[2];
volatile bool s_stop_spinning;

int counting_thread(void* argument)
{
    auto index = reinterpret_cast<uintptr_t>(argument);
    for (u32 i = 0; i < 50; ++i) {
        s_counters[index] = s_counters[index] + 1;
        task::yield();
    }
    return 0;
}

int spinning_thread(void*)
{
    // Never yields: only preemption lets anybody else run.
    while (!s_stop_spinning)
        s_counters[0] = s_counters[0] + 1;
    return 0;
}

u32 thread_count()
{
    return task::scheduler_statistics().threads;
}

TestResult test_kernel_threads_run_and_are_reaped()
{
    u32 before = thread_count();
    s_counters[0] = 0;
    s_counters[1] = 0;
    auto a = task::create_kernel_thread("count-a", counting_thread, reinterpret_cast<void*>(0), task::priority_normal);
    auto b = task::create_kernel_thread("count-b", counting_thread, reinterpret_cast<void*>(1), task::priority_normal);
    EXPECT(!a.is_error() && !b.is_error());
    for (u32 i = 0; i < 200 && (s_counters[0] < 50 || s_counters[1] < 50); ++i)
        task::sleep_ms(5);
    EXPECT(s_counters[0] == 50 && s_counters[1] == 50);
    task::sleep_ms(5); // let the reaper free the dead threads
    task::yield();
    EXPECT(thread_count() == before);
    return nullptr;
}

TestResult test_preemption()
{
    s_counters[0] = 0;
    s_stop_spinning = false;
    auto spinner = task::create_kernel_thread("spinner", spinning_thread, nullptr, task::priority_normal);
    EXPECT(!spinner.is_error());
    // We sleep; the spinner hogs the CPU; the timer must still wake us.
    task::sleep_ms(30);
    u32 progress = s_counters[0];
    s_stop_spinning = true;
    task::sleep_ms(5);
    EXPECT(progress > 0);
    return nullptr;
}

TestResult test_wait_queue_timeout()
{
    task::WaitQueue queue;
    u64 start = arch::pit::ticks();
    bool woken = queue.wait_for(20);
    EXPECT(!woken);
    EXPECT(arch::pit::ticks() >= start + 20);
    return nullptr;
}

// A tiny user program: `mov ebx, 42; mov eax, SYS_EXIT; int 0x80`.
constexpr u8 s_exit_program[] = { 0xBB, 42, 0, 0, 0, 0xB8, 0, 0, 0, 0, 0xCD, 0x80 };

ErrorOr<u32> start_exit_program()
{
    auto* process = TRY(task::Process::create("ktest-user", nullptr, task::Personality::Native));
    auto mapped = process->address_space().map_anonymous(0x1000, 0x2000, 1 | 2 | 4, false, true);
    if (!mapped.is_error())
        mapped = process->address_space().copy_in(0x1000, s_exit_program, sizeof(s_exit_program)).is_error()
            ? ErrorOr<uintptr_t>(Error(ErrorCode::NoMemory))
            : ErrorOr<uintptr_t>(0x1000u);
    ErrorOr<task::Thread*> thread = Error(ErrorCode::NoMemory);
    if (!mapped.is_error()) {
        arch::TrapFrame start {};
        start.eip = 0x1000;
        start.user_esp = 0x3000;
        thread = task::create_user_thread(*process, start, task::priority_normal);
    }
    if (thread.is_error()) {
        process->terminate(-1);
        return thread.error();
    }
    return process->pid();
}

bool wait_until_gone(u32 pid)
{
    for (u32 i = 0; i < 2000; ++i) {
        if (!task::Process::find(pid))
            return true;
        task::sleep_ms(1);
    }
    return false;
}

TestResult test_user_mode_exit()
{
    auto pid = start_exit_program();
    EXPECT(!pid.is_error());
    EXPECT(wait_until_gone(pid.value()));
    return nullptr;
}

TestResult test_spawn_exit_leaks_nothing()
{
    // Warm up once so lazily created kernel structures are not counted.
    auto warm = start_exit_program();
    EXPECT(!warm.is_error() && wait_until_gone(warm.value()));
    task::sleep_ms(2);
    auto before = memory_statistics();
    for (u32 i = 0; i < 1000; ++i) {
        auto pid = start_exit_program();
        EXPECT(!pid.is_error());
        EXPECT(wait_until_gone(pid.value()));
    }
    task::sleep_ms(2); // the reaper frees the last kernel stack
    task::yield();
    auto after = memory_statistics();
    if (after.free_frames != before.free_frames || after.heap_bytes_in_use != before.heap_bytes_in_use) {
        static char message[160];
        lib::format_to(message, sizeof(message), "leak after 1000 cycles: free frames %u -> %u, heap %u -> %u bytes",
            static_cast<unsigned>(before.free_frames), static_cast<unsigned>(after.free_frames),
            static_cast<unsigned>(before.heap_bytes_in_use), static_cast<unsigned>(after.heap_bytes_in_use));
        return message;
    }
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
    { "kernel_threads_run_and_are_reaped", test_kernel_threads_run_and_are_reaped },
    { "preemption", test_preemption },
    { "wait_queue_timeout", test_wait_queue_timeout },
    { "user_mode_exit", test_user_mode_exit },
    { "spawn_exit_1000_leaks_nothing", test_spawn_exit_leaks_nothing },
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
