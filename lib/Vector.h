// A growable array whose growth can fail. Every operation that may need
// memory returns ErrorOr and leaves the vector unchanged on failure, so a
// caller can reserve capacity first and then make changes that cannot fail
// half-way (RegionTree relies on this for atomic split/insert sequences).
//
// Elements are moved, never copied, when the storage grows; T needs a move
// constructor. Not thread-safe.
#pragma once

#include "lib/Error.h"
#include "lib/New.h"
#include "lib/Types.h"
#include "lib/Utility.h"

namespace lib {

template<typename T>
class Vector {
public:
    Vector() = default;
    ~Vector() { clear(); }

    Vector(const Vector&) = delete;
    Vector& operator=(const Vector&) = delete;

    Vector(Vector&& other)
        : m_data(other.m_data)
        , m_size(other.m_size)
        , m_capacity(other.m_capacity)
    {
        other.m_data = nullptr;
        other.m_size = 0;
        other.m_capacity = 0;
    }

    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    bool is_empty() const { return m_size == 0; }

    // Element access; `index` < size() is the caller's responsibility.
    T& operator[](size_t index) { return m_data[index]; }
    const T& operator[](size_t index) const { return m_data[index]; }

    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }

    // Makes room for at least `capacity` elements. NoMemory (vector
    // unchanged) when the storage cannot be allocated or the size overflows.
    ErrorOr<void> try_reserve(size_t capacity)
    {
        if (capacity <= m_capacity)
            return {};
        if (capacity > static_cast<size_t>(-1) / sizeof(T))
            return Error(ErrorCode::NoMemory, "vector size overflow");
        T* storage = allocate_storage(capacity);
        if (!storage)
            return Error(ErrorCode::NoMemory, "vector storage");
        for (size_t i = 0; i < m_size; ++i) {
            new (&storage[i]) T(move(m_data[i]));
            m_data[i].~T();
        }
        ::operator delete(static_cast<void*>(m_data));
        m_data = storage;
        m_capacity = capacity;
        return {};
    }

    // Reserves room for `count` more elements than size(), growing
    // geometrically so a run of appends stays amortised O(1).
    ErrorOr<void> try_reserve_additional(size_t count)
    {
        if (count > static_cast<size_t>(-1) - m_size)
            return Error(ErrorCode::NoMemory, "vector size overflow");
        size_t needed = m_size + count;
        if (needed <= m_capacity)
            return {};
        size_t grown = m_capacity < 4 ? 4 : m_capacity + m_capacity / 2;
        return try_reserve(max(needed, grown));
    }

    // Appends `value`; NoMemory leaves the vector (and `value`) unchanged.
    ErrorOr<void> try_append(T&& value)
    {
        TRY(try_reserve_additional(1));
        new (&m_data[m_size]) T(move(value));
        ++m_size;
        return {};
    }

    // Inserts `value` before position `index` (<= size()); NoMemory leaves
    // the vector and `value` unchanged.
    ErrorOr<void> try_insert(size_t index, T&& value)
    {
        if (index > m_size)
            return Error(ErrorCode::OutOfRange, "vector insert position");
        TRY(try_reserve_additional(1));
        if (index == m_size) {
            new (&m_data[m_size]) T(move(value));
        } else {
            // Shift the tail up by one: the last element moves into raw
            // storage, the rest are move-assigned over live elements.
            new (&m_data[m_size]) T(move(m_data[m_size - 1]));
            for (size_t i = m_size - 1; i > index; --i)
                m_data[i] = move(m_data[i - 1]);
            m_data[index] = move(value);
        }
        ++m_size;
        return {};
    }

    // Removes `count` elements starting at `first` (the range must lie
    // within the vector). Never allocates, never fails.
    void remove_range(size_t first, size_t count)
    {
        if (count == 0)
            return;
        for (size_t i = first; i + count < m_size; ++i)
            m_data[i] = move(m_data[i + count]);
        for (size_t i = m_size - count; i < m_size; ++i)
            m_data[i].~T();
        m_size -= count;
    }

    void remove(size_t index) { remove_range(index, 1); }

    // Destroys every element and releases the storage.
    void clear()
    {
        for (size_t i = 0; i < m_size; ++i)
            m_data[i].~T();
        ::operator delete(static_cast<void*>(m_data));
        m_data = nullptr;
        m_size = 0;
        m_capacity = 0;
    }

private:
    // The one place this class allocates: through the noexcept
    // lib::nothrow entry point, so the caller's null check is kept (see
    // lib/New.h). Null on overflow or when memory is exhausted.
    static T* allocate_storage(size_t capacity)
    {
        if (capacity > static_cast<size_t>(-1) / sizeof(T))
            return nullptr;
        return static_cast<T*>(::operator new(capacity * sizeof(T), lib::nothrow));
    }

    T* m_data { nullptr };
    size_t m_size { 0 };
    size_t m_capacity { 0 };
};

} // namespace lib
