#include "kernel/mm/KernelAddressSpace.h"

#include "kernel/arch/i386/PageDirectory.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "lib/New.h"

namespace mm {

namespace {

// Every address space made by create_user_address_space() sits on an
// arch::PageDirectory, so this cast is the one place that knows it.
arch::PageDirectory& directory_of(const AddressSpace& space)
{
    return static_cast<arch::PageDirectory&>(space.mmu());
}

} // namespace

ErrorOr<AddressSpace*> create_user_address_space()
{
    arch::PageDirectory* directory = TRY(arch::PageDirectory::create());
    auto* space = new (lib::nothrow) AddressSpace(*directory, kernel::frame_provider());
    if (!space) {
        delete directory;
        return Error(ErrorCode::NoMemory, "address space object");
    }
    return space;
}

void destroy_user_address_space(AddressSpace* space)
{
    if (!space)
        return;
    arch::PageDirectory* directory = &directory_of(*space);
    // The frames go back (AddressSpace's destructor clears it) before the
    // page tables that map them.
    delete space;
    delete directory;
}

void activate(const AddressSpace& space) { directory_of(space).activate(); }

void deactivate(const AddressSpace& space)
{
    if (arch::PageDirectory::active() == &directory_of(space))
        arch::PageDirectory::activate_kernel();
}

void set_screen_access(AddressSpace& space, bool allowed) { directory_of(space).set_screen_access(allowed); }

} // namespace mm
