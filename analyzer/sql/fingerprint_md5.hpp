#pragma once
// MD5 (RFC 1321), only to reproduce pt-query-digest's query checksums; never for security.
// A hundred lines here rather than linking OpenSSL into every binary for one digest.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dbvet::sql {

std::array<uint8_t, 16> md5(std::string_view data);
// Upper-case hex of the MD5, as pt-query-digest prints its checksums.
std::string md5_hex_upper(std::string_view data);

}  // namespace dbvet::sql
