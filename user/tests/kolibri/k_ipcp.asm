; k_ipcp: function 60 between two processes. The parent starts this
; program again (70.7, parameter "child") and sends to the PID 70.7 gave
; it: first a 5000-byte message whose end lands on a page of the child's
; area the child never touched (the kernel must make it present in another
; process's memory), then a short one appended after it. The child waits
; for event 7, walks its area from +8 to [buf+4] (initialised the
; KolibriOS way, [0]=0, [4]=8), checks both records and answers the sender
; (the id in the first record) with one dword of result bits, which the
; parent checks in its own area.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
test_name db 'k_ipcp', 0

BIG = 5000

start:
    mov eax, 40                 ; IPC events only (no window: no redraws)
    mov ebx, 0x40
    int 0x40
    cmp byte [params], 'c'
    je child

    ; Our own area for the answer, then the child.
    mov dword [reply_area], 0
    mov dword [reply_area + 4], 8
    mov eax, 60
    mov ebx, 1
    mov ecx, reply_area
    mov edx, 32
    int 0x40
    mov ecx, 0
.fill:
    mov eax, ecx
    imul eax, 7
    add al, cl
    mov [big_message + ecx], al
    inc ecx
    cmp ecx, BIG
    jb .fill

    mov eax, 70
    mov ebx, start_child
    int 0x40
    mov [child_pid], eax
    mov [start_ebx], ebx
    cmp eax, 0
    check g, 'k_ipcp/start_child', '70.7 did not start the child'
    ; file_system_lfn (KolibriOS fs/fs_lfn.inc) sets only EAX for 70.7.
    mov eax, [start_ebx]
    cmp eax, start_child
    check e, 'k_ipcp/start_keeps_ebx', '70.7 changed EBX (eax = EBX after the call)'
    ; The number 70.7 answers is the child's main thread id (fs_execute
    ; answers the new slot's TASKDATA.pid): 18.21 finds its slot and
    ; function 9 of that slot shows the same id at +30. The child is still
    ; alive here: it waits for our messages.
    mov eax, 18
    mov ebx, 21
    mov ecx, [child_pid]
    int 0x40
    mov [child_slot], eax
    test eax, eax
    check nz, 'k_ipcp/start_id_has_slot', '18.21 found no slot for the id 70.7 answered'
    mov eax, 9
    mov ebx, proc_info
    mov ecx, [child_slot]
    int 0x40
    mov eax, dword [proc_info + 30]
    cmp eax, [child_pid]
    check e, 'k_ipcp/start_id_is_thread_id', 'function 9 of the child slot shows another id than 70.7 answered (eax = its id)'

    ; 1 until the child has registered its area.
    mov edi, 500
.send_big:
    mov eax, 60
    mov ebx, 2
    mov ecx, [child_pid]
    mov edx, big_message
    mov esi, BIG
    int 0x40
    cmp eax, 1
    jne .sent_big
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec edi
    jnz .send_big
.sent_big:
    test eax, eax
    check z, 'k_ipcp/send_big', '60.2 of 5000 bytes to the child did not return 0'
    mov eax, 60
    mov ebx, 2
    mov ecx, [child_pid]
    mov edx, small_message
    mov esi, 6
    int 0x40
    test eax, eax
    check z, 'k_ipcp/send_small', 'the second 60.2 to the child did not return 0'

    ; The answer: one record in our area.
    mov edi, 10
.wait_reply:
    mov eax, 23
    mov ebx, 100
    int 0x40
    cmp eax, 7
    je .replied
    dec edi
    jnz .wait_reply
.replied:
    cmp eax, 7
    check e, 'k_ipcp/reply_event', 'no event 7 from the child'
    mov eax, [reply_area + 4]
    cmp eax, 8 + 8 + 4
    check e, 'k_ipcp/reply_offset', 'our [buf+4] is not 20 after the answer'
    mov eax, [reply_area + 12]
    cmp eax, 4
    check e, 'k_ipcp/reply_length', 'the answer is not 4 bytes'
    mov eax, [reply_area + 16]
    test eax, 0x80000000
    check nz, 'k_ipcp/child_ran', 'the child did not answer'
    test eax, 1
    check nz, 'k_ipcp/child_walk', 'the child did not find two records between +8 and [buf+4]'
    test eax, 2
    check nz, 'k_ipcp/child_big', 'the child did not get the 5000 bytes intact'
    test eax, 4
    check nz, 'k_ipcp/child_small', 'the child did not get the second message after the first'
    test eax, 8
    check nz, 'k_ipcp/child_sender', 'both records do not name the same sender'
    call finish

; The child: bit 0x80000000 ran, 1 two records end at [buf+4], 2 the big
; one intact, 4 the small one intact, 8 one sender for both.
child:
    mov dword [area], 0
    mov dword [area + 4], 8
    mov eax, 60
    mov ebx, 1
    mov ecx, area
    mov edx, 8 + 8 + BIG + 8 + 6
    int 0x40
    ; Both messages may come with one event 7: wait until both are there.
    mov edi, 50
.wait:
    mov eax, 23
    mov ebx, 10
    int 0x40
    cmp dword [area + 4], 8 + 8 + BIG + 8 + 6
    je .arrived
    dec edi
    jnz .wait
.arrived:
    mov ebx, 0x80000000
    ; The walk.
    mov esi, 8
    xor edi, edi
.walk:
    cmp esi, [area + 4]
    jae .walked
    mov ecx, [area + esi + 4]
    lea esi, [esi + 8 + ecx]
    inc edi
    cmp edi, 3
    jb .walk
.walked:
    cmp edi, 2
    jne .big
    cmp esi, [area + 4]
    jne .big
    or ebx, 1
.big:
    cmp dword [area + 12], BIG
    jne .small
    xor ecx, ecx
.compare:
    mov eax, ecx
    imul eax, 7
    add al, cl
    cmp [area + 16 + ecx], al
    jne .small
    inc ecx
    cmp ecx, BIG
    jb .compare
    or ebx, 2
.small:
    cmp dword [area + 16 + BIG + 4], 6
    jne .sender
    mov eax, dword [area + 16 + BIG + 8]
    cmp eax, dword [small_message]
    jne .sender
    mov ax, word [area + 16 + BIG + 12]
    cmp ax, word [small_message + 4]
    jne .sender
    or ebx, 4
.sender:
    mov eax, [area + 8]
    test eax, eax
    jz .answer
    cmp eax, [area + 16 + BIG]
    jne .answer
    or ebx, 8
.answer:
    mov [answer], ebx
    mov eax, 60
    mov ebx, 2
    mov ecx, [area + 8]         ; the sender of the first record
    mov edx, answer
    mov esi, 4
    int 0x40
    mov eax, -1
    int 0x40

align 4
start_child:
    dd 7, 0, child_param, 0, 0
    db '/sys/k_ipcp', 0
child_param db 'child', 0
small_message db 'second'

image_end:
align 4
child_pid dd ?
start_ebx dd ?
child_slot dd ?
proc_info: rb 1024
answer dd ?
reply_area: rb 32
params rb 256
big_message: rb BIG
; The child's area: a page of its own after the header page, so that the
; end of the big message lands on a page the child never touched.
align 4096
area: rb 8 + 8 + BIG + 8 + 6
align 4096
    rb 4096
stack_top:
memory_end:
