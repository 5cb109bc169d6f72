#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void* memcpy(void* __restrict destination, const void* __restrict source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int value, size_t count);
int memcmp(const void* a, const void* b, size_t count);
void* memchr(const void* memory, int value, size_t count);
size_t strlen(const char* text);
size_t strnlen(const char* text, size_t limit);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t count);
char* strcpy(char* __restrict destination, const char* __restrict source);
char* strncpy(char* __restrict destination, const char* __restrict source, size_t count);
char* strcat(char* __restrict destination, const char* __restrict source);
char* strchr(const char* text, int c);
char* strrchr(const char* text, int c);
char* strstr(const char* haystack, const char* needle);
char* strdup(const char* text);
const char* strerror(int error);

#ifdef __cplusplus
}
#endif
