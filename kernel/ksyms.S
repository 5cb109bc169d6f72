// The symbol table produced from the first link (see kernel/CMakeLists.txt).
.section .ksyms, "a"
.incbin KSYMS_FILE
