#include "lib/Error.h"

namespace lib {

const char* error_code_name(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NoMemory: return "out of memory";
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::OutOfRange: return "out of range";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::AlreadyExists: return "already exists";
    case ErrorCode::Corrupt: return "corrupt data";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::IoError: return "I/O error";
    case ErrorCode::NoSpace: return "no space left";
    case ErrorCode::NotEmpty: return "directory not empty";
    case ErrorCode::ReadOnly: return "read-only";
    case ErrorCode::NotADirectory: return "not a directory";
    case ErrorCode::IsADirectory: return "is a directory";
    case ErrorCode::Misaligned: return "misaligned";
    case ErrorCode::TimedOut: return "timed out";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::BadDescriptor: return "bad descriptor";
    case ErrorCode::AccessDenied: return "access denied";
    case ErrorCode::WouldBlock: return "would block";
    case ErrorCode::BrokenPipe: return "broken pipe";
    }
    return "unknown error";
}

} // namespace lib
