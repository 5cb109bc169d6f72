// The few <utility>/<type_traits> pieces we need, written here because the
// kernel is freestanding and has no C++ standard library.
#pragma once

#include "lib/Types.h"

namespace lib {

template<typename T> struct RemoveReference { using Type = T; };
template<typename T> struct RemoveReference<T&> { using Type = T; };
template<typename T> struct RemoveReference<T&&> { using Type = T; };

template<typename T>
constexpr typename RemoveReference<T>::Type&& move(T&& value)
{
    return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template<typename T>
constexpr T&& forward(typename RemoveReference<T>::Type& value)
{
    return static_cast<T&&>(value);
}

template<typename T>
constexpr T min(T a, T b) { return a < b ? a : b; }

template<typename T>
constexpr T max(T a, T b) { return a < b ? b : a; }

template<typename T>
constexpr void swap(T& a, T& b)
{
    T tmp = move(a);
    a = move(b);
    b = move(tmp);
}

// Alignment helpers for power-of-two alignments. Callers guarantee that
// `alignment` is a power of two; align_up saturates instead of wrapping.
template<typename T>
constexpr T align_down(T value, T alignment) { return value & ~(alignment - 1); }

template<typename T>
constexpr T align_up(T value, T alignment)
{
    T rounded = (value + alignment - 1) & ~(alignment - 1);
    return rounded < value ? align_down(static_cast<T>(~T(0)), alignment) : rounded;
}

template<typename T>
constexpr bool is_power_of_two(T value) { return value != 0 && (value & (value - 1)) == 0; }

template<typename T, size_t N>
constexpr size_t array_size(T (&)[N]) { return N; }

} // namespace lib
