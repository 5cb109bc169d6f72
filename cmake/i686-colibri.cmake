# Cross configuration for the Colibri kernel and user programs: freestanding
# 32-bit x86 ELF, built by the host's clang/lld (no separate cross toolchain
# is needed: clang is a cross compiler for every target it knows).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET i686-unknown-none-elf)
set(CMAKE_CXX_COMPILER_TARGET i686-unknown-none-elf)
set(CMAKE_ASM_COMPILER_TARGET i686-unknown-none-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
