// Per-process state of the KolibriOS personality.
#pragma once

#include "lib/Types.h"

namespace kolibri {
struct GuiThread;
struct LoadedCursor;
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
};
constexpr u32 max_kolibri_shared_areas = 32;

struct KolibriState {
    u32 memory_size { 0 };              // application memory at address 0 (header field, function 64)
    bool heap_ready { false };          // function 68.11 was called
    KolibriHeapBlock* heap_blocks { nullptr };
    struct Logged {
        u32 function;
        u32 subfunction;
    } logged[64] {};                    // unimplemented functions already reported
    u32 logged_count { 0 };
    char debug_line[256] {};            // function 63.1 output not yet terminated by a newline
    u32 debug_length { 0 };
    kolibri::GuiThread* gui_threads { nullptr }; // event state and window of each thread (KolibriGui.h)
    kolibri::LoadedCursor* cursors { nullptr };  // function 37.4 (KolibriEvents.cpp)
    char current_folder[1024] {};       // function 30, absolute UTF-8; empty = "/sys" (KolibriFiles.cpp)
    KolibriSharedArea shared_areas[max_kolibri_shared_areas] {}; // function 68.22 (KolibriShm.cpp)
    u32 shared_area_count { 0 };
};

KolibriState* create_kolibri_state();
void destroy_kolibri_state(KolibriState*);

} // namespace task
