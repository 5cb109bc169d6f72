#include "shout.h"

#include <stdlib.h>
#include <string.h>

char* shout(const char* text)
{
    size_t length = strlen(text);
    char* loud = malloc(length + 1);
    if (!loud)
        return NULL;
    for (size_t i = 0; i <= length; ++i)
        loud[i] = (text[i] >= 'a' && text[i] <= 'z') ? (char)(text[i] - 'a' + 'A') : text[i];
    return loud;
}
