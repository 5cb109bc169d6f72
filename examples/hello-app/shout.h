// A C helper called from C++.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

// A copy of `text` in capitals, from malloc (the caller frees it), or NULL
// when memory runs out.
char* shout(const char* text);

#ifdef __cplusplus
}
#endif
