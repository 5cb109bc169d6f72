#include "kernel/exec/KernelKpck.h"

#include "kernel/exec/Kpck.h"
#include "kernel/mm/KernelMemory.h"

namespace exec {

ErrorOr<UnpackedFile> unpack_to_kernel_heap(const u8* file, size_t length, u32 limit)
{
    u32 size = TRY(kpck::unpacked_size(file, length));
    if (size > limit)
        return Error(ErrorCode::Unsupported, "KPCK: unpacked size above what this loader takes");
    auto* model = static_cast<lzma::Model*>(kernel::kmalloc(sizeof(lzma::Model)));
    auto* output = static_cast<u8*>(kernel::kmalloc(size));
    if (!model || !output) {
        kernel::kfree(model);
        kernel::kfree(output);
        return Error(ErrorCode::NoMemory, "KPCK: no kernel memory for the unpacked file");
    }
    auto result = kpck::unpack(file, length, output, size, *model);
    kernel::kfree(model);
    if (result.is_error()) {
        kernel::kfree(output);
        return result.error();
    }
    return UnpackedFile { output, size };
}

} // namespace exec
