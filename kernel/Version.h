#pragma once

// Set by the build from the CMake project version.
#ifndef COLIBRI_VERSION_STRING
#    define COLIBRI_VERSION_STRING "0.0.0"
#endif

namespace kernel {
inline constexpr const char* colibri_version = COLIBRI_VERSION_STRING;
}
