// The C++ runtime of the SDK: global constructors run before main, new and
// delete go through malloc, virtual calls and placement new work.
#include <new>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

namespace {

int s_constructed;

// The constructor calls into the kernel, so the compiler cannot fold it into
// constant data: it has to run from .init_array before main.
struct Global {
    int value;
    Global() : value(getpid() > 0 ? 1234 : -1) { ++s_constructed; }
};

Global s_global;

struct Shape {
    virtual ~Shape() = default;
    virtual int area() const = 0;
};

struct Square final : Shape {
    explicit Square(int side) : m_side(side) {}
    int area() const override { return m_side * m_side; }
    int m_side;
};

} // namespace

// Freestanding C++ does not treat main specially: give it C linkage so crt0
// finds it.
extern "C" int main();

int main()
{
    begin("cxx_runtime");
    check(s_constructed == 1 && s_global.value == 1234, "global_constructor", "constructed %d times, value %d",
        s_constructed, s_global.value);
    Shape* shape = new Square(7);
    check(shape->area() == 49, "virtual_call", "area %d, want 49", shape->area());
    delete shape;
    int* numbers = new int[1000];
    for (int i = 0; i < 1000; ++i)
        numbers[i] = i;
    check(numbers[999] == 999, "new_array", "numbers[999] = %d", numbers[999]);
    delete[] numbers;
    alignas(Square) unsigned char storage[sizeof(Square)];
    Square* placed = new (storage) Square(3);
    check(placed->area() == 9 && static_cast<void*>(placed) == storage, "placement_new", "area %d", placed->area());
    placed->~Square();
    return finish();
}
