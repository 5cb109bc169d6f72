; k_drv: the driver-service functions 68.16, 68.17, 68.21, 68.30 and 68.31
; (f68 in KolibriOS core/memory.inc, get_service and srv_handlerEx in
; core/dll.inc). Colibri loads no KolibriOS driver, so the service list is
; empty: every name gets handle 0, every IOCTL -1, and wild pointers get
; the same answers instead of a fault.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_drv', 0

unmapped = 0x7FFF0000           ; user space nobody mapped
kernel_address = 0x80000000     ; KolibriOS's OS_BASE

; f68 ebx, ecx, edx, edi: function 68 with those registers (EAX = answer).
macro f68 sub, c, d, di
{
    mov eax, 68
    mov ebx, sub
    mov ecx, c
    mov edx, d
    mov edi, di
    int 0x40
}

; answer name, value: EAX = value, else FAIL.
macro answer name, value
{
    cmp eax, value
    check e, name, 'wrong answer (eax)'
}

start:
    ; 68.16: get a service by name.
    f68 16, 0, 0, 0
    answer 'k_drv/service_null', 0
    f68 16, kernel_address, 0, 0
    answer 'k_drv/service_kernel_name', 0
    f68 16, unmapped, 0, 0
    answer 'k_drv/service_unmapped_name', 0
    f68 16, name_sound, 0, 0
    answer 'k_drv/service_sound', 0
    f68 16, name_missing, 0, 0
    answer 'k_drv/service_missing', 0
    f68 16, name_long, 0, 0
    answer 'k_drv/service_long_name', 0
    f68 16, name_empty, 0, 0
    answer 'k_drv/service_empty_name', 0

    ; 68.17: IOCTL; -1 for anything that is no service handle.
    mov [ioctl.handle], 0
    f68 17, ioctl, 0, 0
    answer 'k_drv/ioctl_handle_0', -1
    mov [ioctl.handle], kernel_address
    f68 17, ioctl, 0, 0
    answer 'k_drv/ioctl_handle_os_base', -1
    mov [ioctl.handle], 0xC0100000
    f68 17, ioctl, 0, 0
    answer 'k_drv/ioctl_handle_kernel', -1
    mov [ioctl.handle], 0xFFFFFFFC
    f68 17, ioctl, 0, 0
    answer 'k_drv/ioctl_handle_top', -1
    f68 17, kernel_address, 0, 0
    answer 'k_drv/ioctl_kernel_block', -1
    f68 17, unmapped, 0, 0
    answer 'k_drv/ioctl_unmapped_block', -1
    f68 17, 0, 0, 0
    answer 'k_drv/ioctl_null_block', -1

    ; 68.21: load a driver file: 0 (none is loaded, pointers or not).
    f68 21, driver_path, 0, 0
    answer 'k_drv/load_driver', 0
    f68 21, kernel_address, 0, 0
    answer 'k_drv/load_driver_kernel_path', 0
    f68 21, driver_path, kernel_address, 0
    answer 'k_drv/load_driver_kernel_cmdline', 0
    f68 21, unmapped, 0, 0
    answer 'k_drv/load_driver_unmapped', 0

    ; 68.30: unload a driver: -1 for every handle.
    f68 30, 0, 0, 0
    answer 'k_drv/unload_0', -1
    f68 30, 0xC0100000, 0, 0
    answer 'k_drv/unload_kernel_handle', -1
    f68 30, 0xC0100000, kernel_address, 0
    answer 'k_drv/unload_kernel_cmdline', -1

    ; 68.31: the service list.
    f68 31, 0, 0, 0
    answer 'k_drv/list_0', 0
    mov ebx, 0x11111111
    f68 31, 1, 0, 0
    mov [first], ebx
    mov [last], ecx
    answer 'k_drv/list_1_answer', 0
    mov eax, [first]
    cmp eax, [last]
    check e, 'k_drv/list_empty', 'first and last service differ in an empty list (eax = first)'
    cmp eax, kernel_address
    check a, 'k_drv/list_head_kernel', 'the list head is no kernel address (eax)'
    f68 31, 2, [first], record
    answer 'k_drv/list_info_head', -1
    f68 31, 2, 0x1000, record
    answer 'k_drv/list_info_user_pointer', -1
    f68 31, 2, 0xC0100000, kernel_address
    answer 'k_drv/list_info_kernel_buffer', -1
    f68 31, 3, 0, 0
    answer 'k_drv/list_3', 0

    call finish

name_sound db 'SOUND', 0
name_missing db 'NOSUCHDRV', 0
name_long db 'A_NAME_FAR_LONGER_THAN_SIXTEEN_CHARACTERS_AND_ANY_PATH_BUFFER_KOLIBRIOS_HAS', 0
name_empty db 0
driver_path db '/sys/drivers/nosuch.sys', 0
align 4
ioctl:
.handle dd 0
.code dd 0
.input dd 0
.input_size dd 0
.output dd 0
.output_size dd 0
first dd 0
last dd 0
record rb 40

image_end:
align 16
    rb 4096
stack_top:
memory_end:
