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
    }
    return "unknown error";
}

} // namespace lib
