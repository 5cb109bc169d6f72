# The system fonts' bitmaps (kernel/gui/FontData.cpp includes them): written
# into the build tree by tools/mkfont.py when the build is configured, from
# font files of Debian packages (./colibri installs both):
#   xfonts-base          6x9   Misc-Fixed 6x9, public domain
#   console-setup-linux  8x16  the VGA console font (u_vga16), MIT-style
# Generated at configure time so that every directory's targets (the kernel
# and the host tests glob kernel/gui/*.cpp themselves) find the file.

set(COLIBRI_FONT_6X9 /usr/share/fonts/X11/misc/6x9.pcf.gz)
set(COLIBRI_FONTS_8X16
    /usr/share/consolefonts/FullCyrSlav-VGA16.psf.gz  # all of cp866, real double box lines
    /usr/share/consolefonts/Uni2-VGA16.psf.gz         # then Latin, Greek, symbols
    /usr/share/consolefonts/Uni1-VGA16.psf.gz)        # then Hebrew, Arabic
set(COLIBRI_FONT_SCRIPT ${CMAKE_SOURCE_DIR}/tools/mkfont.py)
set(COLIBRI_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${COLIBRI_FONT_SCRIPT} ${COLIBRI_FONT_6X9} ${COLIBRI_FONTS_8X16})
file(MAKE_DIRECTORY ${COLIBRI_GENERATED_DIR})
execute_process(
    COMMAND python3 ${COLIBRI_FONT_SCRIPT}
        --pcf6x9 ${COLIBRI_FONT_6X9}
        --psf8x16 ${COLIBRI_FONTS_8X16}
        --output ${COLIBRI_GENERATED_DIR}/FontGlyphs.inc
    COMMAND_ERROR_IS_FATAL ANY)
include_directories(${COLIBRI_GENERATED_DIR})
