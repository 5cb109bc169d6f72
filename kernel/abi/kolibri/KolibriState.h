// Per-process state of the KolibriOS personality.
#pragma once

#include "lib/Types.h"

namespace kolibri {
struct PosixHandles;
struct GuiThread;
struct LoadedCursor;
struct LoadedDll;
}

namespace task {

struct KolibriHeapBlock {
    u32 address;
    u32 size; // bytes reserved (whole pages)
    KolibriHeapBlock* next;
};

// A named memory area this program opened (function 68.22).
struct KolibriSharedArea {
    char name[32];
    u32 address;
    u32 size;
    bool write_refused; // we created it read-only for others (SMEM.access 0)
};
constexpr u32 max_kolibri_shared_areas = 32;

// What the personality has said about the program's calls of functions it
// does not implement (KolibriSyscalls.cpp, note_unimplemented). A program
// that loops over unknown calls must not flood the serial console: each
// function/subfunction pair is logged once, at most
// lines_per_function pairs of one function and lines_per_process lines
// in all; then one line says the rest is only counted, and the count is
// logged when the program ends.
struct KolibriCallLog {
    static constexpr u32 lines_per_function = 4;
    static constexpr u32 lines_per_process = 16;
    struct Pair {
        u32 function;
        u32 subfunction;
    };
    Pair logged[lines_per_process] {};   // pairs reported so far
    u32 logged_count { 0 };
    u32 capped[lines_per_process] {};    // functions whose "counted" line was written
    u32 capped_count { 0 };
    u32 lines { 0 };                     // lines written for this process
    bool process_capped { false };       // the process-wide "counted" line was written
    u32 calls { 0 };                     // unimplemented calls in all
    u32 unlogged { 0 };                  // of them not logged
    char name[32] {};                    // the program, for the line at its end
    u32 pid { 0 };
};

struct KolibriState {
    u32 memory_size { 0 };              // application memory at address 0 (header field, function 64)
    bool heap_ready { false };          // function 68.11 was called
    KolibriHeapBlock* heap_blocks { nullptr };
    // What heap blocks and DLLs take (whole pages): user_alloc and
    // user_alloc_at add it to PROC.mem_used (core/heap.inc), which
    // function 9 reports.
    u32 heap_bytes { 0 };
    kolibri::PosixHandles* posix_handles { nullptr }; // function 77 (KolibriPosix.cpp)
    KolibriCallLog call_log;            // unimplemented calls (KolibriSyscalls.cpp)
    char debug_line[256] {};            // function 63.1 output not yet terminated by a newline
    u32 debug_length { 0 };
    kolibri::GuiThread* gui_threads { nullptr }; // event state and window of each thread (KolibriGui.h)
    kolibri::LoadedCursor* cursors { nullptr };  // function 37.4 (KolibriEvents.cpp)
    char current_folder[1024] {};       // function 30, absolute UTF-8; empty = "/sys" (KolibriFiles.cpp)
    KolibriSharedArea shared_areas[max_kolibri_shared_areas] {}; // function 68.22 (KolibriShm.cpp)
    u32 shared_area_count { 0 };
    kolibri::LoadedDll* dlls { nullptr }; // functions 68.18/68.19 (KolibriDll.cpp)
};

KolibriState* create_kolibri_state();
void destroy_kolibri_state(KolibriState*);

} // namespace task
