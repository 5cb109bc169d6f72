# The Colibri SDK inside a user's project: runs at the end of project() (the
# toolchain file colibri.cmake sets CMAKE_PROJECT_INCLUDE to this file).
#
# It compiles crt0 and the libc + C++ runtime from user/sdk into the user's
# build tree and gathers them in one interface target, colibri::sdk, that
# carries everything a program links with: crt0.o, libcolibri_c.a, link.ld
# and the link options. colibri_add_executable(NAME SOURCE...) makes a
# program that uses it.

if(COLIBRI_USER_PROJECT_INCLUDE)
    include("${COLIBRI_USER_PROJECT_INCLUDE}")
endif()

# Compiler checks run project() in a scratch project of their own, and a
# nested project() (add_subdirectory of another project) finds the SDK
# already there.
if(PROJECT_NAME STREQUAL "CMAKE_TRY_COMPILE" OR TARGET colibri::sdk)
    return()
endif()

# The SDK has C, C++ and assembly sources, whatever the project enabled.
enable_language(C)
enable_language(CXX)
enable_language(ASM)

find_program(COLIBRI_OBJCOPY NAMES llvm-objcopy objcopy REQUIRED)

# -DCMAKE_C_FLAGS=... replaces the toolchain's defaults instead of adding to
# them. Code built without these flags may use SSE or x87 registers, which the
# kernel does not preserve: refuse rather than corrupt programs at run time.
foreach(language C CXX)
    foreach(flag -ffreestanding -nostdlibinc -fno-pic -mno-sse -mno-sse2 -mno-mmx -mno-80387)
        if(NOT " ${CMAKE_${language}_FLAGS} " MATCHES " ${flag} ")
            message(FATAL_ERROR "CMAKE_${language}_FLAGS (\"${CMAKE_${language}_FLAGS}\") lacks ${flag}, "
                "which Colibri programs need. Add your flags with add_compile_options() or "
                "target_compile_options() instead of setting CMAKE_${language}_FLAGS.")
        endif()
    endforeach()
endforeach()

# Built only when a program needs them; warnings are shown but never fatal
# here (a newer compiler must not break a user's build in SDK code).
add_library(colibri_crt0 OBJECT EXCLUDE_FROM_ALL "${COLIBRI_SDK_DIR}/crt0.S")

file(GLOB COLIBRI_LIBC_SOURCES CONFIGURE_DEPENDS "${COLIBRI_SDK_DIR}/libc/*.c" "${COLIBRI_SDK_DIR}/libc/*.cpp")
add_library(colibri_c STATIC EXCLUDE_FROM_ALL ${COLIBRI_LIBC_SOURCES})
set_target_properties(colibri_c PROPERTIES
    C_STANDARD 11 C_EXTENSIONS ON
    CXX_STANDARD 20 CXX_EXTENSIONS ON)
target_compile_options(colibri_c PRIVATE -Os -g -Wall -Wextra)

add_library(colibri_sdk INTERFACE)
add_library(colibri::sdk ALIAS colibri_sdk)
# $<TARGET_OBJECTS> puts crt0.o on the link line of each program itself
# (an archive member would only be pulled in by a reference).
target_link_libraries(colibri_sdk INTERFACE $<TARGET_OBJECTS:colibri_crt0> colibri_c)
# cxx_main.ld maps a C++ main (mangled: freestanding C++ does not give main
# C linkage) to the symbol crt0 calls.
target_link_options(colibri_sdk INTERFACE
    -nostdlib -static "--script=${COLIBRI_SDK_DIR}/link.ld" "${COLIBRI_SDK_CMAKE_DIR}/cxx_main.ld"
    --gc-sections --build-id=none -zmax-page-size=4096 -znorelro)
set_property(TARGET colibri_sdk PROPERTY INTERFACE_LINK_DEPENDS
    "${COLIBRI_SDK_DIR}/link.ld" "${COLIBRI_SDK_CMAKE_DIR}/cxx_main.ld")

# colibri_add_executable(NAME SOURCE...)
#
# A native Colibri program: add_executable linked with colibri::sdk. The
# build directory gets NAME.elf (with symbols, for objdump and gdb) and NAME,
# a stripped copy for the ramdisk. The target is NAME, so target_* commands
# work on it as usual. On the ramdisk the program is found under its file
# name (case does not matter) and `ps` shows the first 31 characters.
function(colibri_add_executable name)
    add_executable(${name} ${ARGN})
    target_link_libraries(${name} PRIVATE colibri::sdk)
    set_target_properties(${name} PROPERTIES SUFFIX .elf)
    add_custom_command(TARGET ${name} POST_BUILD
        COMMAND "${COLIBRI_OBJCOPY}" --strip-all "$<TARGET_FILE:${name}>"
            "$<TARGET_FILE_DIR:${name}>/${name}"
        COMMENT "Stripping ${name}"
        VERBATIM)
endfunction()
