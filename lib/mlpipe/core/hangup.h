// SIGHUP as a request, not an ending: programs whose stage holds models (mlclassify,
// mllink) read them again at the next batch boundary instead of dying (the default action
// would end a long-running stream, exit status 129, losing what it holds).
//
// A signal handler can only reach the program through a process-wide variable: this file
// holds the one flag, and nothing else in mlpipe keeps such state.
#pragma once

namespace mlpipe {

// Installs the SIGHUP handler (once per process; later calls do nothing). SA_RESTART:
// a read blocked on an idle stream goes on waiting, so the request is served when the
// next batch arrives.
void catch_hangup();

// True when SIGHUP arrived since the last call (several signals count as one request).
bool take_hangup();

}  // namespace mlpipe
