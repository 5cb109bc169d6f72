// Errors are values. A fallible function returns ErrorOr<T> (or ErrorOr<void>)
// and callers propagate failures with TRY. Conversion to a KolibriOS status or
// a native errno happens only at the system-call boundary.
#pragma once

#include "lib/Types.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace lib {

enum class ErrorCode : u8 {
    NoMemory,        // out of frames or heap
    InvalidArgument, // caller passed a value outside the contract
    OutOfRange,      // an index, address or length outside its container
    NotFound,
    AlreadyExists,
    Corrupt,         // structured input (boot info, disk image) is malformed
    Unsupported,
    Busy,
    IoError,
    NoSpace,         // the disk (or another fixed-size store) is full
    NotEmpty,        // a directory still has entries
    ReadOnly,        // the object or the file system cannot be written
    NotADirectory,   // a path component or argument is not a directory
    IsADirectory,    // a file operation was asked of a directory
    Misaligned,      // a buffer, offset or length breaks an alignment rule
    TimedOut,
    Cancelled,
    BadDescriptor,   // a file descriptor or handle that is not open
    AccessDenied,    // the object exists but the caller may not use it so
    WouldBlock,      // a non-blocking call that would have had to wait
    BrokenPipe,      // writing to a pipe nobody can read any more
};

const char* error_code_name(ErrorCode code);

class Error {
public:
    constexpr Error(ErrorCode code, const char* context = nullptr)
        : m_code(code)
        , m_context(context)
    {
    }

    constexpr ErrorCode code() const { return m_code; }
    // A static string saying what failed; never owned, may be null.
    constexpr const char* context() const { return m_context; }
    const char* name() const { return error_code_name(m_code); }

private:
    ErrorCode m_code;
    const char* m_context;
};

template<typename T>
class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& value) : m_has_value(true) { new (&m_storage) T(value); }
    ErrorOr(T&& value) : m_has_value(true) { new (&m_storage) T(move(value)); }
    ErrorOr(Error error) : m_has_value(false), m_error(error) { }
    ErrorOr(ErrorCode code) : m_has_value(false), m_error(code) { }

    ErrorOr(ErrorOr&& other) : m_has_value(other.m_has_value), m_error(other.m_error)
    {
        if (m_has_value)
            new (&m_storage) T(move(other.value_ref()));
    }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr& operator=(ErrorOr&& other)
    {
        if (this != &other) {
            if (m_has_value)
                value_ref().~T();
            m_has_value = other.m_has_value;
            m_error = other.m_error;
            if (m_has_value)
                new (&m_storage) T(move(other.value_ref()));
        }
        return *this;
    }

    ~ErrorOr()
    {
        if (m_has_value)
            value_ref().~T();
    }

    bool is_error() const { return !m_has_value; }
    Error error() const { return m_error; }
    T& value() { return value_ref(); }
    const T& value() const { return const_cast<ErrorOr*>(this)->value_ref(); }
    T release_value() { return move(value_ref()); }

private:
    T& value_ref() { return *reinterpret_cast<T*>(&m_storage); }

    alignas(T) unsigned char m_storage[sizeof(T)];
    bool m_has_value;
    Error m_error { ErrorCode::InvalidArgument };
};

template<>
class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() = default;
    ErrorOr(Error error) : m_is_error(true), m_error(error) { }
    ErrorOr(ErrorCode code) : m_is_error(true), m_error(code) { }

    bool is_error() const { return m_is_error; }
    Error error() const { return m_error; }
    void release_value() { }

private:
    bool m_is_error { false };
    Error m_error { ErrorCode::InvalidArgument };
};

} // namespace lib

using lib::Error;
using lib::ErrorCode;
using lib::ErrorOr;

// Evaluates a fallible expression; on error returns the error from the
// enclosing function, otherwise yields the value. Uses a GNU statement
// expression, which both clang and gcc support.
#define TRY(expression)                                 \
    ({                                                  \
        auto _try_result = (expression);                \
        if (_try_result.is_error())                     \
            return _try_result.error();                 \
        _try_result.release_value();                    \
    })
