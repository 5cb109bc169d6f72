// Anonymous memory is demand-zero: 1 MiB reads as zero, and touching it
// takes at least one demand-zero fault per page.
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

enum { SIZE = 1024 * 1024, PAGE = 4096 };

int main(void)
{
    begin("demand_zero");
    struct VmStats before, after;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    check(vm_stats(0, &before) == 0, "vm_stats_before", "vm_stats failed: %s", strerror(errno));

    unsigned char* memory = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(memory != MAP_FAILED, "mmap", "mmap of 1 MiB failed: %s", strerror(errno)))
        return finish();
    check(((unsigned long)memory & (PAGE - 1)) == 0, "aligned", "mmap returned %p, not page aligned", memory);

    size_t nonzero = 0;
    for (size_t i = 0; i < SIZE; ++i)
        nonzero += memory[i] != 0;
    check(nonzero == 0, "reads_zero", "%u bytes were not zero", (unsigned)nonzero);

    for (size_t i = 0; i < SIZE; i += PAGE)
        memory[i] = (unsigned char)(i / PAGE + 1);
    size_t wrong = 0;
    for (size_t i = 0; i < SIZE; i += PAGE)
        wrong += memory[i] != (unsigned char)(i / PAGE + 1);
    check(wrong == 0, "writes_stick", "%u pages lost their value", (unsigned)wrong);

    check(vm_stats(0, &after) == 0, "vm_stats_after", "vm_stats failed: %s", strerror(errno));
    unsigned faults = after.demand_zero_faults - before.demand_zero_faults;
    check(faults >= SIZE / PAGE, "fault_count", "%u demand-zero faults, want >= %u", faults, SIZE / PAGE);
    check(after.resident_pages >= before.resident_pages + SIZE / PAGE, "resident",
        "resident pages %u -> %u, want +%u", before.resident_pages, after.resident_pages, SIZE / PAGE);

    check(munmap(memory, SIZE) == 0, "munmap", "munmap failed: %s", strerror(errno));
    return finish();
}
