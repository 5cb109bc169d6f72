// _start: the entry point of every native program.
//
// The kernel starts a program with ESP pointing at
//     argc, argv[0] .. argv[argc-1], NULL, envp[0] .. NULL
// (the SysV i386 layout) and every other register 0. We run the global
// constructors (.init_array), call main(argc, argv, envp), and pass its
// result to exit(), which runs atexit handlers and flushes stdout.

    .section .text._start, "ax"
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp                 // the outermost frame, for backtraces
    movl (%esp), %esi               // esi = argc
    leal 4(%esp), %edi              // edi = argv
    leal 4(%edi,%esi,4), %ebx       // ebx = envp (past argv's NULL)
    movl %ebx, environ
    andl $-16, %esp                 // the SysV ABI wants 16-byte alignment at calls

    // Constructors; esi, edi and ebx survive the calls (callee-saved).
    pushl $__init_array_start
1:  movl (%esp), %eax
    cmpl $__init_array_end, %eax
    jae 2f
    addl $4, (%esp)
    call *(%eax)
    jmp 1b
2:  addl $4, %esp

    subl $4, %esp                   // 3 arguments + 4 = 16 bytes
    pushl %ebx
    pushl %edi
    pushl %esi
    call main
    subl $12, %esp                  // keep the call to exit aligned too
    pushl %eax
    call exit
    hlt                             // exit does not return
    .size _start, . - _start

    .data
    .globl environ
    .balign 4
environ:
    .long 0
