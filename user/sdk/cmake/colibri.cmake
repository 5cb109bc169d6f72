# CMake toolchain file for native Colibri programs: static ELF32 executables
# for i686, compiled by the host's clang and linked by ld.lld against the SDK
# in user/sdk (crt0, the small libc, the C++ runtime, link.ld).
#
#     cmake -S myapp -B build-myapp \
#         -DCMAKE_TOOLCHAIN_FILE=<colibri>/user/sdk/cmake/colibri.cmake
#     cmake --build build-myapp
#
# with, in myapp/CMakeLists.txt:
#
#     cmake_minimum_required(VERSION 3.21)
#     project(myapp C)              # or CXX, or both
#     colibri_add_executable(myapp main.c)
#
# No prebuilt SDK is needed: after project(), colibri_sdk.cmake (hooked in
# through CMAKE_PROJECT_INCLUDE) compiles crt0 and the libc from the SDK
# sources inside the user's build tree. docs/sdk.md is the user's guide.
#
# The flags follow user/CMakeLists.txt (the in-tree build of the same SDK):
# freestanding, no PIC, and no SSE/MMX/x87 code, because the kernel does not
# save that register state across task switches.

if(CMAKE_VERSION VERSION_LESS 3.21)
    message(FATAL_ERROR "The Colibri SDK needs CMake 3.21 or newer (this is ${CMAKE_VERSION})")
endif()

get_filename_component(COLIBRI_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(COLIBRI_ROOT "${COLIBRI_SDK_DIR}/../.." ABSOLUTE)
set(COLIBRI_SDK_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)

# clang is a cross compiler for every target it knows: no separate toolchain.
# -DCMAKE_C_COMPILER=clang-15 (and friends) on the command line still wins.
set(COLIBRI_TARGET_TRIPLE i686-unknown-none-elf)
foreach(language C CXX ASM)
    set(CMAKE_${language}_COMPILER_TARGET ${COLIBRI_TARGET_TRIPLE})
endforeach()
if(NOT DEFINED CMAKE_C_COMPILER)
    set(CMAKE_C_COMPILER clang)
endif()
if(NOT DEFINED CMAKE_CXX_COMPILER)
    set(CMAKE_CXX_COMPILER clang++)
endif()
if(NOT DEFINED CMAKE_ASM_COMPILER)
    set(CMAKE_ASM_COMPILER "${CMAKE_C_COMPILER}")
endif()
# Compiler checks compile only: nothing links before the SDK is built.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Code generation. -ffunction-sections/-fdata-sections let --gc-sections drop
# what a program does not use; -nostdlibinc keeps the host's headers out
# (the compiler's own stddef.h, stdint.h, stdarg.h ... stay available).
set(COLIBRI_COMMON_FLAGS "-ffreestanding -nostdlibinc -fno-pic -fno-pie -fno-stack-protector \
-mno-sse -mno-sse2 -mno-mmx -mno-80387 -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${COLIBRI_COMMON_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${COLIBRI_COMMON_FLAGS} -nostdinc++ -fno-exceptions -fno-rtti -fno-threadsafe-statics")
set(CMAKE_ASM_FLAGS_INIT "${COLIBRI_COMMON_FLAGS}")

# The SDK headers for every target, after the project's own directories.
# <colibri/syscall.h> includes "kernel/abi/native/Syscalls.h", the system-call
# contract shared with the kernel, hence the source root.
foreach(language C CXX ASM)
    set(CMAKE_${language}_STANDARD_INCLUDE_DIRECTORIES "${COLIBRI_SDK_DIR}/include" "${COLIBRI_ROOT}")
endforeach()

# clang's driver hands bare-metal links to gcc: call lld directly. The SDK's
# link options (link.ld, --gc-sections, ...) come with the colibri::sdk
# target that colibri_add_executable links.
find_program(COLIBRI_LLD NAMES ld.lld REQUIRED)
foreach(language C CXX ASM)
    set(CMAKE_${language}_LINK_EXECUTABLE
        "\"${COLIBRI_LLD}\" <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
endforeach()

# find_package/find_library must not find the host's libraries.
set(CMAKE_FIND_ROOT_PATH "${COLIBRI_SDK_DIR}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# After the project's project() call: build the SDK and define
# colibri_add_executable. A project include set on the command line still
# runs (colibri_sdk.cmake includes it).
if(DEFINED CMAKE_PROJECT_INCLUDE AND NOT CMAKE_PROJECT_INCLUDE STREQUAL "${CMAKE_CURRENT_LIST_DIR}/colibri_sdk.cmake")
    set(COLIBRI_USER_PROJECT_INCLUDE "${CMAKE_PROJECT_INCLUDE}")
endif()
set(CMAKE_PROJECT_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/colibri_sdk.cmake")
