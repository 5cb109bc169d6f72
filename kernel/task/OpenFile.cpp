#include "lib/New.h"
#include "kernel/task/OpenFile.h"

#include "kernel/arch/i386/Cpu.h"

namespace task {

OpenFile* create_open_file(const fs::FatFile& file)
{
    auto open_file = new (lib::nothrow) OpenFile { file, 0, 1 };
    return open_file;
}

void retain_open_file(OpenFile* file)
{
    arch::InterruptDisabler disabler;
    ++file->references;
}

void release_open_file(OpenFile* file)
{
    arch::InterruptDisabler disabler;
    if (--file->references == 0)
        delete file;
}

} // namespace task
