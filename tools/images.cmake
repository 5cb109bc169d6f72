# Boot artefacts built next to the kernel (cross configuration only):
#   ramdisk.img   FAT12 1.44 MB image of ramdisk/ (becomes /sys = /rd/1)
#   colibri.img   the same image made bootable with Colibri's own loader
#   colibri.iso   GRUB rescue ISO booting the kernel through Multiboot
# Outputs go to COLIBRI_ARTIFACT_DIR (the colibri script sets build/).

set(COLIBRI_ARTIFACT_DIR ${CMAKE_BINARY_DIR} CACHE PATH "Where kernel.elf and the images are written")
set(ART ${COLIBRI_ARTIFACT_DIR})
set_target_properties(kernel.elf PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${ART})

find_program(NASM nasm REQUIRED)
find_program(MFORMAT mformat REQUIRED)
find_program(MCOPY mcopy REQUIRED)
find_program(GRUB_MKRESCUE grub-mkrescue REQUIRED)
find_program(LLVM_OBJCOPY llvm-objcopy REQUIRED)

file(GLOB RAMDISK_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/ramdisk/*)
# The user programs (user/CMakeLists.txt) go into the root next to them,
# under their lowercase 8.3 names: /sys/hello, /sys/k_heap, ...
get_property(USER_PROGRAMS GLOBAL PROPERTY COLIBRI_USER_PROGRAMS)

# Malformed executables for the loader's VM test (tests/vm/test_loader.py):
# broken copies of hello and small bad MENUET01 images, a few KB in all.
# Their names come from the script, which is re-read when it changes.
set(BAD_PROGRAM_DIR ${CMAKE_BINARY_DIR}/user/bad)
set(BAD_PROGRAM_SCRIPT ${CMAKE_SOURCE_DIR}/tools/mkbadexe.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BAD_PROGRAM_SCRIPT})
execute_process(COMMAND python3 ${BAD_PROGRAM_SCRIPT} --list
    OUTPUT_VARIABLE BAD_PROGRAM_NAMES COMMAND_ERROR_IS_FATAL ANY)
list(TRANSFORM BAD_PROGRAM_NAMES PREPEND ${BAD_PROGRAM_DIR}/ OUTPUT_VARIABLE BAD_PROGRAMS)
set(BAD_PROGRAM_SOURCE ${CMAKE_BINARY_DIR}/user/bin/hello)
add_custom_command(OUTPUT ${BAD_PROGRAMS}
    COMMAND python3 ${BAD_PROGRAM_SCRIPT} ${BAD_PROGRAM_SOURCE} ${BAD_PROGRAM_DIR}
    DEPENDS ${BAD_PROGRAM_SCRIPT} ${CMAKE_SOURCE_DIR}/tools/kpack.py ${BAD_PROGRAM_SOURCE} hello_stripped
    COMMENT "Writing malformed test executables")

# The test DLLs (user/CMakeLists.txt) and malformed copies of t_math.obj
# (tools/mkbaddll.py) go to /sys/lib.
get_property(USER_DLLS GLOBAL PROPERTY COLIBRI_USER_DLLS)
set(BAD_DLL_DIR ${CMAKE_BINARY_DIR}/user/baddll)
set(BAD_DLL_SCRIPT ${CMAKE_SOURCE_DIR}/tools/mkbaddll.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BAD_DLL_SCRIPT})
execute_process(COMMAND python3 ${BAD_DLL_SCRIPT} --list
    OUTPUT_VARIABLE BAD_DLL_NAMES COMMAND_ERROR_IS_FATAL ANY)
list(TRANSFORM BAD_DLL_NAMES PREPEND ${BAD_DLL_DIR}/ OUTPUT_VARIABLE BAD_DLLS)
set(BAD_DLL_SOURCE ${CMAKE_BINARY_DIR}/user/lib/t_math.obj)
add_custom_command(OUTPUT ${BAD_DLLS}
    COMMAND python3 ${BAD_DLL_SCRIPT} ${BAD_DLL_SOURCE} ${BAD_DLL_DIR}
    DEPENDS ${BAD_DLL_SCRIPT} ${BAD_DLL_SOURCE} t_math_dll
    COMMENT "Writing malformed test DLLs")
find_program(MMD mmd REQUIRED)

add_custom_command(OUTPUT ${ART}/ramdisk.img
    COMMAND ${CMAKE_COMMAND} -E rm -f ${ART}/ramdisk.img
    COMMAND ${MFORMAT} -C -i ${ART}/ramdisk.img -f 1440 -v COLIBRI ::
    COMMAND ${MCOPY} -i ${ART}/ramdisk.img -s ${RAMDISK_FILES} ::
    COMMAND ${MCOPY} -i ${ART}/ramdisk.img ${USER_PROGRAMS} ::
    COMMAND ${MCOPY} -i ${ART}/ramdisk.img ${BAD_PROGRAMS} ::
    COMMAND ${MMD} -i ${ART}/ramdisk.img ::lib
    COMMAND ${MCOPY} -i ${ART}/ramdisk.img ${USER_DLLS} ${BAD_DLLS} ::lib/
    DEPENDS ${RAMDISK_FILES} ${USER_PROGRAMS} user_programs ${BAD_PROGRAMS} ${USER_DLLS} ${BAD_DLLS}
    COMMENT "Building the FAT12 ramdisk")

# The loaders get the kernel without DWARF: the symbol table for backtraces
# is an allocated section and survives stripping.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/kernel.stripped.elf
    COMMAND ${LLVM_OBJCOPY} --strip-debug $<TARGET_FILE:kernel.elf> ${CMAKE_BINARY_DIR}/kernel.stripped.elf
    DEPENDS kernel.elf)

file(GLOB BOOT_INCLUDES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/boot/*.inc)
foreach(stage bootsector stage2)
    add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/${stage}.bin
        COMMAND ${NASM} -f bin -I ${CMAKE_SOURCE_DIR}/boot/ ${CMAKE_SOURCE_DIR}/boot/${stage}.asm
            -o ${CMAKE_BINARY_DIR}/${stage}.bin
        DEPENDS ${CMAKE_SOURCE_DIR}/boot/${stage}.asm ${BOOT_INCLUDES}
        COMMENT "Assembling ${stage}")
endforeach()

add_custom_command(OUTPUT ${ART}/colibri.img
    COMMAND python3 ${CMAKE_SOURCE_DIR}/tools/mkfloppy.py --base ${ART}/ramdisk.img
        --bootsector ${CMAKE_BINARY_DIR}/bootsector.bin --stage2 ${CMAKE_BINARY_DIR}/stage2.bin
        --kernel ${CMAKE_BINARY_DIR}/kernel.stripped.elf --output ${ART}/colibri.img
    DEPENDS ${ART}/ramdisk.img ${CMAKE_BINARY_DIR}/bootsector.bin ${CMAKE_BINARY_DIR}/stage2.bin
        ${CMAKE_BINARY_DIR}/kernel.stripped.elf ${CMAKE_SOURCE_DIR}/tools/mkfloppy.py
    COMMENT "Building the bootable floppy")

set(ISO_ROOT ${CMAKE_BINARY_DIR}/isoroot)
add_custom_command(OUTPUT ${ART}/colibri.iso
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ISO_ROOT}/boot/grub
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/tools/grub.cfg ${ISO_ROOT}/boot/grub/grub.cfg
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/kernel.stripped.elf ${ISO_ROOT}/boot/kernel.elf
    COMMAND ${CMAKE_COMMAND} -E copy ${ART}/ramdisk.img ${ISO_ROOT}/boot/ramdisk.img
    COMMAND ${GRUB_MKRESCUE} -o ${ART}/colibri.iso ${ISO_ROOT} 2> ${CMAKE_BINARY_DIR}/grub-mkrescue.log
    DEPENDS ${CMAKE_BINARY_DIR}/kernel.stripped.elf ${ART}/ramdisk.img ${CMAKE_SOURCE_DIR}/tools/grub.cfg
    COMMENT "Building the GRUB ISO")

add_custom_target(images ALL DEPENDS ${ART}/ramdisk.img ${ART}/colibri.img ${ART}/colibri.iso)
