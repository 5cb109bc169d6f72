// SPDX-License-Identifier: BSD-2-Clause
// kpck_bench FILE...: unpacks each KPCK file (tools/kpack.py or kpack
// output) repeatedly with exec::kpck::unpack, optimized and without
// sanitizers, and prints "kpck_unpack_mb_s_host N" (unpacked megabytes,
// 10^6 bytes, per second over all files).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "kernel/exec/Kpck.h"

int main(int argc, char** argv)
{
    auto model = std::make_unique<exec::lzma::Model>();
    double seconds = 0, bytes = 0;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        std::vector<u8> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto size = exec::kpck::unpacked_size(file.data(), file.size());
        if (size.is_error()) {
            std::fprintf(stderr, "%s: %s\n", argv[i], size.error().context());
            return 1;
        }
        std::vector<u8> out(size.value());
        int rounds = 0;
        auto start = std::chrono::steady_clock::now();
        double elapsed = 0;
        do {
            auto result = exec::kpck::unpack(file.data(), file.size(), out.data(), out.size(), *model);
            if (result.is_error()) {
                std::fprintf(stderr, "%s: %s\n", argv[i], result.error().context());
                return 1;
            }
            ++rounds;
            elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        } while (elapsed < 0.5);
        std::fprintf(stderr, "%s: %u -> %u bytes, %.1f MB/s\n", argv[i], unsigned(file.size()),
            unsigned(out.size()), double(out.size()) * rounds / elapsed / 1e6);
        seconds += elapsed;
        bytes += double(out.size()) * rounds;
    }
    if (argc < 2) {
        std::fprintf(stderr, "usage: kpck_bench FILE...\n");
        return 2;
    }
    std::printf("kpck_unpack_mb_s_host %.1f\n", bytes / seconds / 1e6);
    return 0;
}
