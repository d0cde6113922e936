#include "mlpipe/core/hangup.h"

#include <signal.h>

#include <atomic>
#include <csignal>

namespace mlpipe {

namespace {

// Lock-free, so that setting it is async-signal-safe.
std::atomic<bool> g_hangup{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_hangup(int) { g_hangup.store(true, std::memory_order_relaxed); }

}  // namespace

void catch_hangup() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = on_hangup;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(SIGHUP, &sa, nullptr) == 0;
  }();
  (void)installed;
}

bool take_hangup() { return g_hangup.exchange(false, std::memory_order_relaxed); }

}  // namespace mlpipe
