// hello-app: the example of a program built with the Colibri SDK outside the
// Colibri tree. Greets, lists its arguments (each also in capitals, by a C
// function using malloc) and counts them with a small C++ class.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shout.h"

namespace {

// Counts the characters of the words it is shown; lives on the heap.
class Tally {
public:
    explicit Tally(const char* label) : m_label(label) {}

    void add(const char* word)
    {
        ++m_words;
        while (*word++)
            ++m_characters;
    }

    void print() const { printf("%s: %d words, %d characters\n", m_label, m_words, m_characters); }

private:
    const char* m_label;
    int m_words = 0;
    int m_characters = 0;
};

// A global whose constructor runs before main: crt0 calls it through
// .init_array (the call to getpid keeps the compiler from folding it into
// constant data).
int s_constructed;

struct Banner {
    const char* text;
    pid_t pid;
    Banner() : text("Hello from an SDK app!"), pid(getpid()) { ++s_constructed; }
};

Banner s_banner;

} // namespace

// No extern "C" needed: the SDK links a C++ main too (user/sdk/cmake/cxx_main.ld).
int main(int argc, char** argv)
{
    printf("%s (pid %d, global constructors run: %d)\n", s_banner.text, s_banner.pid, s_constructed);
    auto* tally = new Tally("hello-app");
    for (int i = 0; i < argc; ++i) {
        char* loud = shout(argv[i]);
        if (!loud) {
            fputs("hello-app: out of memory\n", stderr);
            return 1;
        }
        printf("argv[%d] = \"%s\" -> \"%s\"\n", i, argv[i], loud);
        tally->add(argv[i]);
        free(loud);
    }
    tally->print();
    delete tally;
    return 0;
}
