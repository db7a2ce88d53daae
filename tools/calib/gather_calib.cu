// Irregular access on a GPU: random 4-byte gathers and atomic adds, from the GPU's framebuffer
// and from zero-copy (mapped pinned host) memory, against streaming reads of the same memory.
// This is what the simulator's streaming-only affinities leave out: a kernel that gathers
// through pointers (circuit's ghost node voltages) or reduces with atomics (distribute_charge)
// over PCIe. Prints one JSON line per measurement. Build: nvcc -O3 -o gather_calib gather_calib.cu
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CHECK(x)                                                              \
  do {                                                                        \
    cudaError_t e = (x);                                                      \
    if (e != cudaSuccess) {                                                   \
      std::fprintf(stderr, "%s: %s\n", #x, cudaGetErrorString(e));            \
      std::exit(1);                                                           \
    }                                                                         \
  } while (0)

__global__ void stream_read(const float* __restrict__ data, size_t n, float* out) {
  float sum = 0;
  for (size_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) sum += data[i];
  if (sum == -1.0f) *out = sum;
}

__global__ void gather_read(const float* __restrict__ data, const unsigned* __restrict__ index, size_t n,
                            float* out) {
  float sum = 0;
  for (size_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) sum += data[index[i]];
  if (sum == -1.0f) *out = sum;
}

__global__ void atomic_scatter(float* data, const unsigned* __restrict__ index, size_t n) {
  for (size_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&data[index[i]], 1.0f);
}

template <class Launch>
double time_ms(Launch launch, int repeats) {
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  launch();  // warm up
  CHECK(cudaDeviceSynchronize());
  std::vector<float> times;
  for (int r = 0; r < repeats; ++r) {
    CHECK(cudaEventRecord(start));
    launch();
    CHECK(cudaEventRecord(stop));
    CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int main() {
  const size_t elements = size_t{1} << 26;  // 256 MiB of floats
  const size_t accesses = size_t{1} << 24;  // 16M random accesses
  const int blocks = 132 * 8, threads = 256;
  float* fb = nullptr;
  float* host = nullptr;
  float* zc = nullptr;
  unsigned* index = nullptr;
  float* out = nullptr;
  CHECK(cudaMalloc(&fb, elements * sizeof(float)));
  CHECK(cudaHostAlloc(&host, elements * sizeof(float), cudaHostAllocMapped));
  CHECK(cudaHostGetDevicePointer(&zc, host, 0));
  CHECK(cudaMalloc(&index, accesses * sizeof(unsigned)));
  CHECK(cudaMalloc(&out, sizeof(float)));
  CHECK(cudaMemset(fb, 0, elements * sizeof(float)));
  std::fill(host, host + elements, 0.0f);
  std::vector<unsigned> random_index(accesses);
  unsigned state = 12345;
  for (auto& i : random_index) {
    state = state * 1664525u + 1013904223u;
    i = state % static_cast<unsigned>(elements);
  }
  CHECK(cudaMemcpy(index, random_index.data(), accesses * sizeof(unsigned), cudaMemcpyHostToDevice));
  struct Memory {
    const char* name;
    float* ptr;
  } memories[] = {{"FBMEM", fb}, {"ZCMEM", zc}};
  for (const auto& m : memories) {
    const size_t stream_n = m.ptr == fb ? elements : elements / 4;
    double ms = time_ms([&] { stream_read<<<blocks, threads>>>(m.ptr, stream_n, out); }, 5);
    std::printf("{\"what\":\"stream_read\",\"memory\":\"%s\",\"bytes\":%zu,\"seconds\":%.6g,\"GBps\":%.4g}\n", m.name,
                stream_n * sizeof(float), ms / 1e3, stream_n * sizeof(float) / (ms / 1e3) / 1e9);
    ms = time_ms([&] { gather_read<<<blocks, threads>>>(m.ptr, index, accesses, out); }, 5);
    std::printf("{\"what\":\"gather_read\",\"memory\":\"%s\",\"accesses\":%zu,\"element_bytes\":4,\"seconds\":%.6g,"
                "\"useful_GBps\":%.4g,\"Gaccesses_per_s\":%.4g}\n",
                m.name, accesses, ms / 1e3, accesses * 4.0 / (ms / 1e3) / 1e9, accesses / (ms / 1e3) / 1e9);
    ms = time_ms([&] { atomic_scatter<<<blocks, threads>>>(m.ptr, index, accesses); }, 5);
    std::printf("{\"what\":\"atomic_add\",\"memory\":\"%s\",\"accesses\":%zu,\"element_bytes\":4,\"seconds\":%.6g,"
                "\"useful_GBps\":%.4g,\"Gaccesses_per_s\":%.4g}\n",
                m.name, accesses, ms / 1e3, accesses * 4.0 / (ms / 1e3) / 1e9, accesses / (ms / 1e3) / 1e9);
  }
  return 0;
}
