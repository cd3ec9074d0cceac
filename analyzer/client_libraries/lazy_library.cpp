#include "analyzer/client_libraries/lazy_library.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace dbvet::client_libraries {

core::Status LazyLibrary::load() {
  std::call_once(opened_, [this] {
    // RTLD_LOCAL: the library's symbols stay out of the global scope, so they never compete with
    // the forwarders of the same names.
    handle_ = dlopen(soname_, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* reason = dlerror();
      error_ =
          std::string("cannot load ") + description_ + " (" + soname_ + "): " + (reason ? reason : "unknown reason");
    }
  });
  if (handle_ == nullptr) return core::make_error(core::ErrorKind::unsupported, error_);
  return core::ok();
}

void* LazyLibrary::find(const char* symbol) {
  if (!load()) return nullptr;
  return dlsym(handle_, symbol);
}

void* LazyLibrary::require(const char* symbol) {
  auto loaded = load();
  if (!loaded) {
    std::fprintf(stderr, "dbvet: %s\n", loaded.error().message.c_str());
    std::abort();
  }
  void* address = dlsym(handle_, symbol);
  if (address == nullptr) {
    std::fprintf(stderr, "dbvet: %s (%s) has no function %s\n", description_, soname_, symbol);
    std::abort();
  }
  return address;
}

// An engine left out of the build has no SONAME, and nothing calls its accessor.
#ifdef DBVET_LIBPQ_SONAME
LazyLibrary& libpq() {
  static LazyLibrary library(DBVET_LIBPQ_SONAME, "the PostgreSQL client library libpq");
  return library;
}
#endif

#ifdef DBVET_LIBMARIADB_SONAME
LazyLibrary& libmariadb() {
  static LazyLibrary library(DBVET_LIBMARIADB_SONAME, "the MariaDB client library libmariadb");
  return library;
}
#endif

LazyLibrary& libcurl() {
  static LazyLibrary library(DBVET_LIBCURL_SONAME, "libcurl");
  return library;
}

}  // namespace dbvet::client_libraries
