// Placeholder for the first link: an empty symbol table section.
.section .ksyms, "a"
