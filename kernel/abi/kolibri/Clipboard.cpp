#include "lib/New.h"
#include "kernel/abi/kolibri/Clipboard.h"

namespace kolibri {

ClipData* ClipData::create(size_t size)
{
    auto* data = new (lib::nothrow) ClipData;
    if (!data)
        return nullptr;
    // A unique pointer for an empty block keeps bytes() non-null.
    data->m_bytes = new (lib::nothrow) u8[size ? size : 1];
    if (!data->m_bytes) {
        delete data;
        return nullptr;
    }
    data->m_size = size;
    return data;
}

ClipData::~ClipData()
{
    delete[] m_bytes;
}

void ClipData::release()
{
    if (--m_references == 0)
        delete this;
}

ErrorOr<void> Clipboard::can_append(size_t size) const
{
    if (m_count == max_slots)
        return Error(ErrorCode::Busy, "clipboard: every slot is in use");
    if (size > max_slot_bytes || size > max_total_bytes - m_total_bytes)
        return Error(ErrorCode::OutOfRange, "clipboard: too much data");
    return {};
}

ErrorOr<void> Clipboard::append(ClipData* data)
{
    if (!data)
        return Error(ErrorCode::InvalidArgument, "clipboard: no data");
    TRY(can_append(data->size()));
    m_slots[m_count++] = data;
    m_total_bytes += data->size();
    return {};
}

ClipData* Clipboard::acquire(size_t index) const
{
    if (index >= m_count)
        return nullptr;
    ClipData* data = m_slots[index];
    data->add_reference();
    return data;
}

bool Clipboard::remove_last()
{
    if (m_count == 0)
        return false;
    ClipData* data = m_slots[--m_count];
    m_slots[m_count] = nullptr;
    m_total_bytes -= data->size();
    data->release();
    return true;
}

void Clipboard::clear()
{
    while (remove_last()) { }
}

} // namespace kolibri
