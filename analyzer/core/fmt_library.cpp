// fmt's compiled part, built here from the installed headers instead of linked as libfmt.so: dbvet
// then needs no shared C++ library but libstdc++, which the executable links statically (see
// CMakeLists.txt: as a shared library, libstdc++'s symbol lookups in itself were more than half of
// the instructions `dbvet --version` ran once the client libraries were opened lazily).
// format-inl.h holds the definitions; the explicit instantiations are the templates the headers
// declare and libfmt.so exports (the fmt/os.h file classes are left out: dbvet does not use them).
// A newer fmt that declares more of them shows up as an undefined reference at link time.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
