#include "lib/New.h"
#include "kernel/task/OpenFile.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/fs/Vfs.h"
#include "kernel/ipc/KernelPipe.h"

namespace task {

OpenFile* create_open_file(fs::File* file)
{
    auto* open_file = new (lib::nothrow) OpenFile;
    if (open_file) {
        open_file->file = file;
        open_file->events.notify(event::Ready::Readable | event::Ready::Writable);
    }
    return open_file;
}

void retain_open_file(OpenFile* file)
{
    arch::InterruptDisabler disabler;
    ++file->references;
}

void release_open_file(OpenFile* file)
{
    bool last;
    {
        arch::InterruptDisabler disabler;
        last = --file->references == 0;
    }
    if (last) {
        // Only memory is freed here (no disk I/O), so this is safe during
        // process teardown with interrupts off. Deleting the open file
        // removes it from every event queue that watched it.
        if (file->pipe)
            ipc::pipe_end_released(*file);
        else
            fs::release(file->file);
        // ~EventSource edits event queues' lists: interrupts off, as they
        // require.
        arch::InterruptDisabler disabler;
        delete file;
    }
}

} // namespace task
