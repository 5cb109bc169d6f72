#include "kernel/abi/kolibri/KolibriShm.h"

#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/ipc/KernelIpc.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

// sysfuncs.txt, function 68.22.
constexpr u32 shm_open = 0x00;
constexpr u32 shm_create = 0x08;
constexpr u32 shm_write = 0x01;
constexpr u32 shm_open_mask = 0x0C;
constexpr u32 error_not_found = 5;
constexpr u32 error_access = 10;
constexpr u32 error_no_memory = 30;
constexpr u32 error_parameter = 33;

u32 error_number(const Error& error)
{
    switch (error.code()) {
    case ErrorCode::NotFound: return error_not_found;
    case ErrorCode::AlreadyExists:
    case ErrorCode::AccessDenied: return error_access;
    case ErrorCode::NoMemory:
    case ErrorCode::NoSpace: return error_no_memory;
    default: return error_parameter;
    }
}

task::KolibriSharedArea* find_area(task::KolibriState& s, const char* name)
{
    for (u32 i = 0; i < s.shared_area_count; ++i) {
        if (StringView(s.shared_areas[i].name) == StringView(name))
            return &s.shared_areas[i];
    }
    return nullptr;
}

void open_area(task::KolibriState& s, arch::TrapFrame& frame)
{
    char name[ipc::max_name_length + 1];
    auto copied = task::copy_string_from_user(name, sizeof(name), frame.ecx);
    // shmem_open (KolibriOS core/heap.inc) takes the action from bits 2-3
    // and the access from bits 0-1; other bits are ignored, action 3 is a
    // parameter error.
    u32 mode = frame.esi & shm_open_mask;
    if (copied.is_error() || copied.value() == 0 || mode == shm_open_mask) {
        frame.eax = 0;
        frame.edx = error_parameter;
        return;
    }
    bool writable = frame.esi & shm_write;
    if (task::KolibriSharedArea* area = find_area(s, name)) {
        if (mode == shm_create) {
            // shmem_open's SHM_CREATE of a found name sets E_ACCESS but
            // leaves through .exit, which overwrites EDX with the size
            // argument: EAX = 0, EDX = the size asked for.
            frame.eax = 0;
            return;
        }
        if (writable && area->write_refused) {
            // create_map compares the access asked for with the one the
            // area was created with, for its creator too (who got write
            // access only at the creation).
            frame.eax = 0;
            frame.edx = error_access;
            return;
        }
        // Already open in this program: the same mapping again (KolibriOS
        // maps the pages once more at another address).
        frame.eax = area->address;
        frame.edx = area->size;
        return;
    }
    if (s.shared_area_count == task::max_kolibri_shared_areas
        || ((mode != shm_open) && frame.edx == 0)) {
        frame.eax = 0;
        frame.edx = s.shared_area_count == task::max_kolibri_shared_areas ? error_no_memory : error_parameter;
        return;
    }
    ipc::NameOptions options;
    options.lifetime = ipc::NameLifetime::Counted;
    options.others_may_write = writable; // a creator's flags: what others may do
    ipc::OpenMode open_mode = mode == shm_open ? ipc::OpenMode::Open
        : mode == shm_create                   ? ipc::OpenMode::Create
                                               : ipc::OpenMode::OpenAlways;
    auto mapped = ipc::open_and_map(name, frame.edx, open_mode, options, writable);
    if (mapped.is_error()) {
        frame.eax = 0;
        // SHM_CREATE of a name another program made: EDX = the size asked
        // for, as above.
        if (!(mode == shm_create && mapped.error().code() == ErrorCode::AlreadyExists))
            frame.edx = error_number(mapped.error());
        return;
    }
    task::KolibriSharedArea& area = s.shared_areas[s.shared_area_count++];
    __builtin_memcpy(area.name, name, sizeof(area.name));
    area.address = static_cast<u32>(mapped.value().address);
    area.size = static_cast<u32>(mapped.value().size);
    area.write_refused = mapped.value().created && !writable;
    frame.eax = area.address;
    frame.edx = mapped.value().created ? 0 : area.size;
}

void close_area(task::KolibriState& s, task::KolibriSharedArea& area, bool unmap)
{
    if (unmap) {
        task::AddressSpaceGuard guard;
        (void)task::current_process()->address_space().unmap(area.address, area.size);
    }
    (void)ipc::remove_name(area.name);
    area = s.shared_areas[--s.shared_area_count];
}

} // namespace

void shared_area_function(task::KolibriState& s, arch::TrapFrame& frame)
{
    if (frame.ebx == 22) {
        open_area(s, frame);
        return;
    }
    // 68.23: close; an unknown name is ignored (EAX is documented as destroyed).
    char name[ipc::max_name_length + 1];
    if (task::copy_string_from_user(name, sizeof(name), frame.ecx).is_error())
        return;
    if (task::KolibriSharedArea* area = find_area(s, name))
        close_area(s, *area, true);
}

void close_shared_areas(task::KolibriState& s)
{
    // The address space is about to go as a whole: no unmapping here.
    while (s.shared_area_count)
        close_area(s, s.shared_areas[0], false);
}

} // namespace kolibri
