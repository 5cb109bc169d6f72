#include "kernel/abi/kolibri/KolibriDrivers.h"

#include "kernel/abi/kolibri/KolibriSyscalls.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/fs/Vfs.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/Format.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;
// OS_BASE of KolibriOS (const.inc): the checks of f68 (core/memory.inc)
// and srv_handlerEx (core/dll.inc) compare pointers with it.
constexpr u32 kernel_base = 0x80000000;

// The head of the (empty) service list. KolibriOS links its SRV records
// into a ring whose head `srv` lives in kernel data; 68.31.1 hands out the
// head's address when the ring is empty, so a program that walks from it
// stops at once. Ours is a kernel address too.
struct ServiceListHead {
    u32 forward;
    u32 backward;
} s_service_list;

u32 service_list_address()
{
    return static_cast<u32>(reinterpret_cast<uintptr_t>(&s_service_list));
}

// At most this many "no such service" lines (a program that probes in a
// loop would fill the log otherwise).
constexpr u32 log_line_limit = 32;
u32 s_log_lines;

bool may_log()
{
    arch::InterruptDisabler disabler;
    if (s_log_lines >= log_line_limit)
        return false;
    ++s_log_lines;
    return true;
}

// 68.16: ECX = the service name. EAX = the service handle (a kernel
// address) or 0. f68.16 refuses ECX = 0 or a kernel address with 0;
// get_service compares the first 16 bytes with every registered service
// (none here) and then loads "/sys/drivers/" NAME ".sys" with
// load_pe_driver, which Colibri never does: 0 for every name. A name that
// cannot be read is 0 too (KolibriOS would fault in strncmp).
u32 get_service(u32 name_address)
{
    if (name_address == 0 || name_address >= kernel_base)
        return 0;
    // The file name is built from the whole string (get_service copies it
    // to the end); a longer one is no driver of any distribution.
    char name[64];
    if (task::copy_string_from_user(name, sizeof(name), name_address).is_error())
        return 0;
    if (!may_log())
        return 0;
    char path[96];
    lib::format_to(path, sizeof(path), "/sys/drivers/%s.sys", name);
    const char* program = task::current_process()->name();
    if (name[0] && !fs::stat(path).is_error())
        kernel::log_info("68.16 by %s: %s is a KolibriOS driver; Colibri does not load KolibriOS drivers (answer 0)",
            program, path);
    else
        kernel::log_info("68.16 by %s: no driver service '%s' (answer 0)", program, name);
    return 0;
}

// 68.17: ECX = an IOCTL block {handle, io_code, input, inp_size, output,
// out_size}. srv_handlerEx answers -1 when ECX is a kernel address, the
// handle is not above OS_BASE, or the handle is no SRV record (magic
// ' SRV' and size); otherwise what the driver's srv_proc answers. No
// handle is a service here, so every call is -1; a block that cannot be
// read is -1 too.
u32 call_service(u32 ioctl_address)
{
    if (ioctl_address >= kernel_base)
        return error_value;
    auto handle = task::read_user<u32>(ioctl_address);
    if (handle.is_error() || handle.value() <= kernel_base)
        return error_value;
    return error_value; // no service record has this address
}

// 68.21: ECX = a driver file, EDX = its command line. f68.21 answers 0
// for a kernel address in either; load_pe_driver answers the SRV handle
// or 0. Colibri does not load KolibriOS drivers: 0.
u32 load_driver(u32 path_address, u32 command_line)
{
    if (path_address >= kernel_base || command_line >= kernel_base)
        return 0;
    char path[128];
    if (!task::copy_string_from_user(path, sizeof(path), path_address).is_error() && may_log())
        kernel::log_info("68.21 by %s: Colibri does not load KolibriOS drivers ('%s', answer 0)",
            task::current_process()->name(), path);
    return 0;
}

// 68.31: ECX = 0 → EAX = 0; ECX = 1 → EBX = the first service, ECX = the
// last one, EAX = 0 (the list head's own address in both when the list is
// empty, as here); ECX = 2 → the 40-byte record of the service EDX at
// EDI, EAX = 0, or -1 when EDX is not above OS_BASE, EDI is not 40 bytes
// of user space or EDX is no SRV record (always, here); another ECX → 0.
// (f68.31 in core/memory.inc.)
void list_services(TrapFrame& frame)
{
    switch (frame.ecx) {
    case 1:
        frame.ebx = service_list_address();
        frame.ecx = service_list_address();
        frame.eax = 0;
        return;
    case 2:
        frame.eax = error_value;
        return;
    default:
        frame.eax = 0;
        return;
    }
}

} // namespace

void driver_function(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 16:
        frame.eax = get_service(frame.ecx);
        return;
    case 17:
        frame.eax = call_service(frame.ecx);
        return;
    case 21:
        frame.eax = load_driver(frame.ecx, frame.edx);
        return;
    case 30:
        // f68.30: -1 on every failure path (EDX a kernel address, ECX not
        // above OS_BASE, no SRV record there); no handle is a service.
        frame.eax = error_value;
        return;
    case 31:
        list_services(frame);
        return;
    default:
        log_unimplemented(frame);
        frame.eax = error_value;
        return;
    }
}

} // namespace kolibri
