#pragma once
// Client libraries opened with dlopen() on first use instead of by the dynamic loader at start-up.
// libpq, libmariadb and libcurl bring some 30 libraries with them (OpenSSL, Kerberos, LDAP, GnuTLS,
// ...): mapping and relocating those cost ~10 ms of every run, also of `dbvet --version` and of
// `dbvet digest`, which never talk to a server. Code keeps calling the libraries' functions by
// name: the *_forwarders.cpp files define each function dbvet (and the static libpqxx) uses as a
// forwarder to the real one, resolved on its first call.

#include <mutex>
#include <string>

#include "analyzer/core/expected.hpp"

namespace dbvet::client_libraries {

class LazyLibrary {
 public:
  // `soname` is what dlopen() opens (the SONAME the build linked against, so the same ABI);
  // `description` names the library in messages ("the PostgreSQL client library libpq").
  LazyLibrary(const char* soname, const char* description) : soname_(soname), description_(description) {}
  LazyLibrary(const LazyLibrary&) = delete;
  LazyLibrary& operator=(const LazyLibrary&) = delete;

  // Opens the library once (every later call returns the first answer). The error names the
  // library and dlerror()'s reason, for a command to report before it starts using the library.
  core::Status load();

  // The address of `symbol`, opening the library first. Forwarders cannot report an error through
  // the API they stand for, so a library or symbol that cannot be found ends the process with a
  // message; the commands call load() first and report it as an error instead.
  void* require(const char* symbol);

  // The address of `symbol`, or nullptr (the library not loadable or the symbol absent).
  void* find(const char* symbol);

 private:
  const char* soname_;
  const char* description_;
  std::once_flag opened_;
  void* handle_ = nullptr;
  std::string error_;
};

// The libraries dbvet opens lazily (the SONAMEs come from the build, see CMakeLists.txt).
LazyLibrary& libpq();
LazyLibrary& libmariadb();
LazyLibrary& libcurl();

}  // namespace dbvet::client_libraries

// Defines the C function `name` (declared by the library's header, which the compiler checks the
// signature against) as a call of the real function of `library`, looked up on the first call.
#define DBVET_LAZY_FORWARD(library, return_type, name, parameters, arguments)                                      \
  extern "C" return_type name parameters {                                                                         \
    static const auto real = reinterpret_cast<decltype(&name)>(dbvet::client_libraries::library().require(#name)); \
    return real arguments;                                                                                         \
  }
