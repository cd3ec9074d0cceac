#pragma once
// COPY's binary format, written from the text values a RowSource gives. The server then skips the
// text input functions of typed columns (integers, booleans, timestamptz, inet): a bulk load costs
// it less CPU per row. Pure functions, no server: unit-tested on their bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dbvet::engines::postgres {

// The column types sent in binary. Anything else (numeric, arrays, domains, enums, ...) is sent by
// a text COPY of the whole table.
enum class BinaryType { int2, int4, int8, boolean, text, timestamptz, timestamp, inet, jsonb };

// By pg_type.typname; text also covers varchar, bpchar and json (their binary form is the text).
std::optional<BinaryType> binary_type(std::string_view typname);

// "PGCOPY\n\377\r\n\0", no flags, no header extension.
void append_copy_binary_header(std::string& out);
void append_copy_binary_trailer(std::string& out);
void append_copy_binary_tuple_start(std::string& out, int16_t fields);
void append_copy_binary_null(std::string& out);

// Appends one field (its length, then its bytes) in the type's binary form. False, and `out`
// unchanged, when the text is not a value the type's binary form can carry as written:
//  - integers: an optional '-' or '+', decimal digits, within the type's range;
//  - booleans: t/f, true/false, 1/0, yes/no, on/off (any case);
//  - timestamps: "YYYY-MM-DD HH:MM:SS[.ffffff]"; timestamptz also needs an offset
//    ("+00", "-05:30", "Z"), since without one the server would read it in its own time zone;
//  - inet: an IPv4 address with an optional /bits.
bool append_copy_binary_field(std::string& out, BinaryType type, std::string_view text);

}  // namespace dbvet::engines::postgres
