#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriIpc.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"

#include "kernel/abi/kolibri/KolibriDll.h"
#include "kernel/abi/kolibri/KolibriFiles.h"
#include "kernel/abi/kolibri/KolibriDrivers.h"
#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriHardware.h"
#include "kernel/abi/kolibri/KolibriPosix.h"
#include "kernel/abi/kolibri/KolibriScreen.h"
#include "kernel/abi/kolibri/KolibriSettings.h"
#include "kernel/abi/kolibri/KolibriShm.h"
#include "kernel/abi/kolibri/KolibriSlots.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/kolibri/KolibriSystem.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Rtc.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace task {

KolibriState* create_kolibri_state() { return new (lib::nothrow) KolibriState; }

void destroy_kolibri_state(KolibriState* state)
{
    // Its function-77 handles (pipe ends) and its reserved I/O ports.
    kolibri::release_posix_handles(*state);
    kolibri::release_ports(*state);
    // Windows and event state of its threads (the GUI thread removes the
    // windows).
    kolibri::release_gui_state(*state);
    kolibri::close_shared_areas(*state);
    kolibri::release_dlls(*state);
    // The count that the log's limits kept from the console.
    const KolibriCallLog& log = state->call_log;
    if (log.unlogged)
        kernel::log_info("%s (process %u) made %u unimplemented calls, %u of them not logged", log.name, log.pid,
            log.calls, log.unlogged);
    // Debug-board text the program did not end with a newline.
    if (state->debug_length) {
        kernel::console_write(state->debug_line, state->debug_length);
        kernel::console_write("\n", 1);
    }
    // The blocks' memory goes with the address space; only the list is ours.
    while (KolibriHeapBlock* block = state->heap_blocks) {
        state->heap_blocks = block->next;
        delete block;
    }
    delete state;
}

} // namespace task

namespace kolibri {

namespace {

using arch::TrapFrame;
using task::KolibriHeapBlock;
using task::KolibriState;

constexpr u32 error_value = 0xFFFFFFFF;
// Heap blocks (function 68.12) are placed from here upwards, far above the
// application image.
constexpr u32 heap_hint = 0x20000000;
constexpr u8 prot_read_write = 1 | 2;
constexpr u8 prot_all = 1 | 2 | 4;

KolibriState& state()
{
    return *task::current_process()->kolibri();
}

mm::AddressSpace& address_space()
{
    return task::current_process()->address_space();
}

// Functions whose EBX selects a subfunction (for the unimplemented log).
constexpr u8 s_with_subfunctions[] = { 15, 18, 21, 25, 26, 37, 48, 49, 51, 54, 60, 61, 62, 63, 64, 66, 67, 68, 69, 71,
    72, 73, 74, 75, 76, 77 };

bool has_subfunctions(u32 function)
{
    for (u8 number : s_with_subfunctions) {
        if (number == function)
            return true;
    }
    return false;
}

void write_unimplemented_line(const task::KolibriCallLog& log, u32 function, u32 subfunction, bool with_sub)
{
    if (with_sub)
        kernel::log_warning("unimplemented function %u.%u by %s", function, subfunction, log.name);
    else
        kernel::log_warning("unimplemented function %u by %s", function, log.name);
}

// Decides whether this call gets a line (task::KolibriCallLog explains
// the limits) and writes it.
void note_call(task::KolibriCallLog& log, u32 function, u32 subfunction, bool with_sub)
{
    ++log.calls;
    u32 same_function = 0;
    for (u32 i = 0; i < log.logged_count; ++i) {
        if (log.logged[i].function != function)
            continue;
        if (log.logged[i].subfunction == subfunction) {
            ++log.unlogged; // reported already
            return;
        }
        ++same_function;
    }
    if (log.lines >= task::KolibriCallLog::lines_per_process) {
        ++log.unlogged;
        if (!log.process_capped) {
            log.process_capped = true;
            kernel::log_warning("further unimplemented calls by %s (process %u) are counted, not logged", log.name,
                log.pid);
        }
        return;
    }
    if (same_function >= task::KolibriCallLog::lines_per_function) {
        ++log.unlogged;
        for (u32 i = 0; i < log.capped_count; ++i) {
            if (log.capped[i] == function)
                return;
        }
        log.capped[log.capped_count++] = function;
        ++log.lines;
        kernel::log_warning("further unimplemented calls of function %u by %s are counted, not logged", function,
            log.name);
        return;
    }
    log.logged[log.logged_count++] = { function, with_sub ? subfunction : 0 };
    ++log.lines;
    write_unimplemented_line(log, function, subfunction, with_sub);
}

// Where the function has no implementation: EAX = -1, as undefined_syscall
// (kernel.asm) answers.
void unimplemented(TrapFrame& frame)
{
    log_unimplemented(frame);
    frame.eax = error_value;
}

// -1: terminate the calling thread (the process when it is the last one).
void sys_terminate(TrapFrame&)
{
    auto* process = task::current_process();
    if (process->thread_count() <= 1)
        process->terminate(0);
    kolibri::gui_thread_exiting();
    process->remove_thread(task::current_thread());
    task::exit_current_thread(0);
}

u8 to_bcd(u8 value) { return static_cast<u8>(((value / 10) << 4) | (value % 10)); }

// 3: system time as BCD 0x00SSMMHH.
void sys_time(TrapFrame& frame)
{
    auto now = drivers::rtc::read();
    frame.eax = u32(to_bcd(now.second)) << 16 | u32(to_bcd(now.minute)) << 8 | to_bcd(now.hour);
}

// 5: delay EBX hundredths of a second.
void sys_delay(TrapFrame& frame)
{
    u64 milliseconds = u64(frame.ebx) * 10;
    if (milliseconds)
        task::sleep_ms(milliseconds);
}

// The debug board: function 63.1 output, readable back with 63.2 and copied
// to the consoles line by line (COM1 in every run, as on KolibriOS). One
// board for all programs, first in first out, 64 KiB as msg_board_data
// (sys_msg_board, kernel.asm). When it is full KolibriOS's count wraps to
// 0 and everything unread is lost; here the oldest byte makes room.
constexpr size_t board_capacity = 65536;
char s_board[board_capacity];
size_t s_board_head;
size_t s_board_tail;

void flush_debug_line(KolibriState& s)
{
    if (s.debug_length == 0)
        return;
    kernel::console_write(s.debug_line, s.debug_length);
    s.debug_length = 0;
}

void sys_debug_board(TrapFrame& frame)
{
    if (frame.ebx == 1) {
        char c = static_cast<char>(frame.ecx & 0xFF);
        {
            arch::InterruptDisabler disabler;
            s_board[s_board_head] = c;
            s_board_head = (s_board_head + 1) % board_capacity;
            if (s_board_head == s_board_tail)
                s_board_tail = (s_board_tail + 1) % board_capacity;
        }
        auto& s = state();
        if (s.debug_length < sizeof(s.debug_line))
            s.debug_line[s.debug_length++] = c;
        if (c == '\n' || s.debug_length == sizeof(s.debug_line))
            flush_debug_line(s);
        return;
    }
    if (frame.ebx == 2) {
        arch::InterruptDisabler disabler;
        if (s_board_head == s_board_tail) {
            frame.eax = 0;
            frame.ebx = 0;
        } else {
            frame.eax = static_cast<u8>(s_board[s_board_tail]);
            s_board_tail = (s_board_tail + 1) % board_capacity;
            frame.ebx = 1;
        }
        return;
    }
    // sys_msg_board (kernel.asm): any other EBX returns with EAX as it was.
    log_unimplemented(frame);
}

// 64.1: resize the application memory (at address 0) to ECX bytes.
// EAX = 0 on success, 1 when there is not enough memory.
void sys_resize_memory(TrapFrame& frame)
{
    if (frame.ebx != 1) {
        // sys_resize_app_memory: its only subfunction; others leave EAX.
        log_unimplemented(frame);
        return;
    }
    auto& s = state();
    u32 old_size = lib::align_up<u32>(s.memory_size, 4096);
    u64 requested = lib::align_up<u64>(frame.ecx, 4096);
    if (requested == 0 || requested >= heap_hint) {
        frame.eax = 1;
        return;
    }
    u32 new_size = static_cast<u32>(requested);
    task::AddressSpaceGuard guard;
    if (new_size > old_size) {
        auto mapped = address_space().map_anonymous(old_size, new_size - old_size, prot_all, false, true);
        if (mapped.is_error()) {
            frame.eax = 1;
            return;
        }
    } else if (new_size < old_size) {
        (void)address_space().unmap(new_size, old_size - new_size);
    }
    s.memory_size = new_size;
    frame.eax = 0;
}

KolibriHeapBlock* find_block(KolibriState& s, u32 address, KolibriHeapBlock** previous_out)
{
    KolibriHeapBlock* previous = nullptr;
    for (KolibriHeapBlock* block = s.heap_blocks; block; previous = block, block = block->next) {
        if (block->address == address) {
            if (previous_out)
                *previous_out = previous;
            return block;
        }
    }
    return nullptr;
}

u32 heap_allocate(KolibriState& s, u32 size)
{
    if (size == 0 || size > 0x40000000)
        return 0;
    auto block = new (lib::nothrow) KolibriHeapBlock;
    if (!block)
        return 0;
    u32 length = lib::align_up<u32>(size, 4096);
    auto address = address_space().map_anonymous(heap_hint, length, prot_read_write, false, false);
    if (address.is_error()) {
        delete block;
        return 0;
    }
    *block = { static_cast<u32>(address.value()), length, s.heap_blocks };
    s.heap_blocks = block;
    s.heap_bytes += length;
    return block->address;
}

bool heap_free(KolibriState& s, u32 address)
{
    KolibriHeapBlock* previous = nullptr;
    KolibriHeapBlock* block = find_block(s, address, &previous);
    if (!block)
        return false;
    (void)address_space().unmap(block->address, block->size);
    s.heap_bytes -= block->size;
    if (previous)
        previous->next = block->next;
    else
        s.heap_blocks = block->next;
    delete block;
    return true;
}

// 68.11-68.20: the application heap (callers hold the address-space guard).
void heap_functions(KolibriState& s, TrapFrame& frame)
{
    switch (frame.ebx) {
    case 11: // initialise the heap: EAX = heap size (0 on failure)
        // init_heap (core/heap.inc) answers the room from the end of the
        // application memory (page-aligned) to 2 GiB, less one page; so do
        // we, though our blocks are placed from heap_hint upwards.
        s.heap_ready = true;
        frame.eax = 0x80000000u - lib::min<u32>(lib::align_up<u32>(s.memory_size, 4096), 0x7FFFF000u) - 4096;
        return;
    case 12: // allocate ECX bytes: EAX = address or 0
        frame.eax = s.heap_ready ? heap_allocate(s, frame.ecx) : 0;
        return;
    case 13: // free block at ECX: EAX = 0 for ECX = 0, else 1
        // user_free (core/heap.inc) answers 0 only for a null pointer; any
        // other user address answers 1, also when it is no used block (a
        // block freed twice, a pointer into the image: its .cantfree path).
        // A kernel address makes KolibriOS page-fault in user_free and kill
        // the process; we refuse it with 0 on purpose. So do we for the
        // first page, for which user_free reads the entry below page_tabs
        // (kernel memory, no block header).
        if (frame.ecx < 0x1000u || frame.ecx >= 0x80000000u) {
            frame.eax = 0;
            return;
        }
        if (s.heap_ready)
            (void)heap_free(s, frame.ecx);
        frame.eax = 1;
        return;
    case 20: { // reallocate: ECX = new size, EDX = block (0 = allocate) → EAX = block or 0
        if (!s.heap_ready) {
            frame.eax = 0;
            return;
        }
        if (frame.edx == 0) {
            frame.eax = heap_allocate(s, frame.ecx);
            return;
        }
        KolibriHeapBlock* old = find_block(s, frame.edx, nullptr);
        if (!old) {
            frame.eax = 0;
            return;
        }
        if (frame.ecx == 0) {
            // user_realloc (core/heap.inc) rounds the new size up to the
            // header page alone, releases every data page, marks the block
            // free ("all freed") and answers 0.
            heap_free(s, old->address);
            frame.eax = 0;
            return;
        }
        if (lib::align_up<u32>(frame.ecx, 4096) == old->size) {
            frame.eax = old->address;
            return;
        }
        // Copy page by page through a kernel buffer of this call's own (a
        // shared static one would be overwritten by a preempting caller).
        constexpr u32 chunk = 4096;
        task::CallBuffer buffer(chunk);
        u8* bounce = buffer.bytes();
        u32 fresh = bounce ? heap_allocate(s, frame.ecx) : 0;
        if (!fresh) {
            frame.eax = 0;
            return;
        }
        KolibriHeapBlock* fresh_block = find_block(s, fresh, nullptr);
        old = find_block(s, frame.edx, nullptr);
        u32 to_copy = lib::min(old->size, fresh_block->size);
        for (u32 offset = 0; offset < to_copy; offset += chunk) {
            if (task::copy_from_user(bounce, old->address + offset, chunk).is_error()
                || task::copy_to_user(fresh + offset, bounce, chunk).is_error())
                break;
        }
        heap_free(s, old->address);
        frame.eax = fresh;
        return;
    }
    case 15: // removed (moved to 68.24): f68.fail answers 0
        log_unimplemented(frame);
        frame.eax = 0;
        return;
    default:
        unimplemented(frame);
    }
}

// 68: memory and miscellaneous services.
void sys_68(TrapFrame& frame)
{
    if (frame.ebx == 16 || frame.ebx == 17) { // driver services (KolibriDrivers.cpp)
        kolibri::driver_function(frame);
        return;
    }
    auto& s = state();
    if (frame.ebx == 18 || frame.ebx == 19) { // load a DLL (KolibriDll.cpp)
        kolibri::dll_function(s, frame);
        return;
    }
    if (frame.ebx >= 11 && frame.ebx <= 20) {
        // The heap list and the regions behind it are shared by the
        // program's threads: change them atomically.
        task::AddressSpaceGuard guard;
        heap_functions(s, frame);
        return;
    }
    switch (frame.ebx) {
    case 1: // switch to the next thread
        task::yield();
        return;
    case 27: // load a file into the heap, unpacking KPCK (KolibriFiles.cpp)
    case 28: // the same with the path's encoding in EDX
        sys_load_file(frame, frame.ebx == 28);
        return;
    case 22: // open a named memory area (KolibriShm.cpp)
    case 23: // close one
        kolibri::shared_area_function(s, frame);
        return;
    case 21: // driver services (KolibriDrivers.cpp)
    case 30:
    case 31:
        kolibri::driver_function(frame);
        return;
    default:
        unimplemented(frame);
    }
}

// 51.1: create a thread. ECX = entry, EDX = stack top → EAX = thread id or -1.
void sys_thread(TrapFrame& frame)
{
    if (frame.ebx != 1) {
        unimplemented(frame);
        return;
    }
    if (!task::is_user_range(frame.ecx, 1) || frame.edx == 0 || !task::is_user_range(frame.edx - 4, 4)) {
        frame.eax = error_value;
        return;
    }
    arch::TrapFrame start {};
    start.eip = frame.ecx;
    start.user_esp = frame.edx;
    auto thread = task::create_user_thread(*task::current_process(), start, task::priority_normal);
    frame.eax = thread.is_error() ? error_value : thread.value()->id;
}

struct Function {
    u32 number;
    void (*handler)(TrapFrame&);
};

// Indexed by KolibriOS function number (sysfuncs.txt); anything not here is
// logged as unimplemented (log_unimplemented) and answered with -1, as
// undefined_syscall does.
constexpr Function s_functions[] = {
    { 0, sys_define_window },     // define and draw the window (KolibriGui.cpp)
    { 1, sys_put_pixel },         // put pixel in the window
    { 2, sys_get_key },           // get the code of the pressed key (KolibriEvents.cpp)
    { 3, sys_time },              // get system time
    { 4, sys_draw_text },         // draw text string in the window
    { 5, sys_delay },             // delay
    { 7, sys_draw_image },        // draw image in the window
    { 8, sys_button },            // define/delete the button
    { 9, sys_thread_info },       // information on a thread (KolibriSlots.cpp)
    { 10, sys_wait_event },       // wait for event
    { 11, sys_check_event },      // check for event, no wait
    { 12, sys_redraw },           // begin/end window redraw
    { 13, sys_draw_rect },        // draw a rectangle in the window
    { 14, sys_screen_size },      // get screen size
    { 15, sys_background },       // desktop background (KolibriScreen.cpp)
    { 17, sys_get_button },       // get the identifier of the pressed button
    { 18, sys_system },           // system: slots, windows of others, clocks, memory, shutdown (KolibriSystem.cpp)
    { 21, sys_setup },            // set system settings (KolibriSettings.cpp)
    { 23, sys_wait_event_timeout },// wait for event with timeout
    { 24, sys_cd_audio },         // CD tray (KolibriHardware.cpp)
    { 25, sys_background_layer }, // put an image on the background layer
    { 26, sys_system_get },       // get system settings (KolibriSettings.cpp)
    { 29, sys_date },             // get system date
    { 30, sys_current_folder },   // current folder (KolibriFiles.cpp)
    { 34, sys_pixel_owner },      // which slot owns a screen pixel
    { 35, sys_read_pixel },       // read a screen pixel
    { 36, sys_read_area },        // read a screen area
    { 37, sys_mouse },            // work with mouse
    { 38, sys_draw_line },        // draw line
    { 39, sys_background_get },   // get the background image
    { 40, sys_event_mask },       // set the mask for expected events
    { 46, sys_ports },            // reserve/free I/O ports (KolibriPorts.cpp)
    { 47, sys_draw_number },      // draw a number in the window
    { 48, sys_style },            // style of windows: colours, skin height, working area
    { 49, sys_apm },              // APM (KolibriHardware.cpp)
    { 50, sys_window_shape },     // set the window shape
    { 51, sys_thread },           // create thread
    { 54, sys_clipboard },        // clipboard
    { 57, sys_pci_bios },         // PCI BIOS (KolibriHardware.cpp)
    { 60, sys_ipc },              // IPC: receive buffer and messages (KolibriIpc.cpp)
    { 61, sys_screen_access },    // parameters of direct screen access
    { 62, sys_pci },              // PCI configuration space (KolibriHardware.cpp)
    { 63, sys_debug_board },      // debug board
    { 64, sys_resize_memory },    // resize application memory
    { 65, sys_draw_palette_image },// draw an image with a palette
    { 66, sys_keyboard },         // keyboard mode and control keys
    { 67, sys_change_window },    // change position/sizes of the window
    { 68, sys_68 },               // heap, yield and more
    { 70, sys_file },             // file system (KolibriFiles.cpp)
    { 71, sys_window_caption },   // window caption
    { 72, sys_send_message },     // send a message to the active window
    { 77, sys_posix },            // futexes and pipes (KolibriPosix.cpp)
    { 80, sys_file_encoded },     // file system with the path's encoding (KolibriFiles.cpp)
};

void dispatch(TrapFrame& frame)
{
    auto* process = task::current_process();
    if (!process || !process->kolibri()) {
        frame.eax = error_value;
        return;
    }
    // i40 (core/syscall.inc) takes the function number from AL alone
    // (movzx eax, byte [esp+28]): the upper bytes of EAX are ignored, and
    // AL = 255 is function -1, whatever the rest says.
    u32 number = frame.eax & 0xFF;
    if (number == 0xFF) {
        sys_terminate(frame);
        return;
    }
    for (const auto& function : s_functions) {
        if (function.number == number) {
            function.handler(frame);
            return;
        }
    }
    unimplemented(frame);
}

} // namespace

void log_unimplemented(const TrapFrame& frame)
{
    auto* process = task::current_process();
    if (!process || !process->kolibri())
        return;
    task::KolibriCallLog& log = process->kolibri()->call_log;
    if (log.calls == 0) {
        const char* name = process->name();
        size_t i = 0;
        for (; name[i] && i + 1 < sizeof(log.name); ++i)
            log.name[i] = name[i];
        log.name[i] = '\0';
        log.pid = process->pid();
    }
    u32 function = frame.eax & 0xFF; // as dispatch reads it
    bool with_sub = has_subfunctions(function);
    // Calls from the program's threads come one at a time per CPU.
    arch::InterruptDisabler disabler;
    note_call(log, function, with_sub ? frame.ebx : 0, with_sub);
}

u32 allocate_heap_block(u32 size)
{
    auto* process = task::current_process();
    if (!process || !process->kolibri())
        return 0;
    auto& s = *process->kolibri();
    task::AddressSpaceGuard guard;
    return s.heap_ready ? heap_allocate(s, size) : 0;
}

bool free_heap_block(u32 address)
{
    auto* process = task::current_process();
    if (!process || !process->kolibri())
        return false;
    auto& s = *process->kolibri();
    task::AddressSpaceGuard guard;
    return s.heap_ready && heap_free(s, address);
}

void initialize_kolibri_personality()
{
    arch::set_syscall_handler(arch::kolibri_syscall_vector, dispatch);
}

} // namespace kolibri
