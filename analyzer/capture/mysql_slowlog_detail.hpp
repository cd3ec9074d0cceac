#pragma once
// Internals of the MySQL slow log reader, declared for its tests: a record's attributes and the
// two ways a header line's "Key: value" pairs are read.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "analyzer/model/query.hpp"

namespace dbvet::capture::detail {

// The attributes of a record that dbvet reads, one slot each; a later value for a key replaces
// the earlier one, as building pt's hash from its property list does. The attributes pt-query-digest
// reports beyond those (Last_errno, then Tmp_tables, InnoDB_*, Full_scan...: model::ExtraAttributes)
// follow `timestamp`, in the order of model::ExtraNumber then model::ExtraFlag; others (Thread_id...) are
// not kept. Values are views into the record's text; own() copies them for a record that must
// outlive its text.
enum class Prop : uint8_t {
  arg,
  cmd,
  user,
  host,
  ts,
  db,
  schema,
  query_time,
  lock_time,
  rows_sent,
  rows_examined,
  rows_affected,
  bytes_sent,
  timestamp,
  last_errno,                                        // the first of the extra attributes
  first_number,                                      // model::ExtraNumber's, in its order
  first_flag = first_number + model::kExtraNumbers,  // model::ExtraFlag's, in its order
  count = first_flag + model::kExtraFlags,           // any other key
};

constexpr Prop number_prop(model::ExtraNumber n) {
  return static_cast<Prop>(static_cast<size_t>(Prop::first_number) + static_cast<size_t>(n));
}
constexpr Prop flag_prop(model::ExtraFlag f) {
  return static_cast<Prop>(static_cast<size_t>(Prop::first_flag) + static_cast<size_t>(f));
}

inline Prop prop_of(std::string_view key) {
  switch (key.size()) {
    case 2:
      if (key == "db") return Prop::db;
      if (key == "ts") return Prop::ts;
      break;
    case 3:
      if (key == "arg") return Prop::arg;
      if (key == "cmd") return Prop::cmd;
      break;
    case 4:
      if (key == "user") return Prop::user;
      if (key == "host") return Prop::host;
      break;
    case 6:
      if (key == "Schema") return Prop::schema;
      if (key == "QC_hit" || key == "QC_Hit") return flag_prop(model::ExtraFlag::qc_hit);  // MariaDB, Percona Server
      if (key == "Killed") return flag_prop(model::ExtraFlag::killed);
      break;
    case 8:
      if (key == "Filesort") return flag_prop(model::ExtraFlag::filesort);
      break;
    case 9:
      if (key == "Lock_time") return Prop::lock_time;
      if (key == "Rows_sent") return Prop::rows_sent;
      if (key == "timestamp") return Prop::timestamp;
      if (key == "Full_scan") return flag_prop(model::ExtraFlag::full_scan);
      if (key == "Full_join") return flag_prop(model::ExtraFlag::full_join);
      if (key == "Tmp_table") return flag_prop(model::ExtraFlag::tmp_table);
      if (key == "Rows_read") return number_prop(model::ExtraNumber::rows_read);
      break;
    case 10:
      if (key == "Query_time") return Prop::query_time;
      if (key == "Bytes_sent") return Prop::bytes_sent;
      if (key == "Tmp_tables") return number_prop(model::ExtraNumber::tmp_tables);
      if (key == "Last_errno") return Prop::last_errno;
      break;
    case 12:
      if (key == "Merge_passes") return number_prop(model::ExtraNumber::merge_passes);
      break;
    case 13:
      if (key == "Rows_examined") return Prop::rows_examined;
      if (key == "Rows_affected") return Prop::rows_affected;
      break;
    case 14:
      if (key == "Priority_queue") return flag_prop(model::ExtraFlag::priority_queue);
      break;
    case 15:
      if (key == "Tmp_disk_tables") return number_prop(model::ExtraNumber::tmp_disk_tables);
      if (key == "Tmp_table_sizes") return number_prop(model::ExtraNumber::tmp_table_sizes);
      if (key == "InnoDB_IO_r_ops") return number_prop(model::ExtraNumber::innodb_io_r_ops);
      break;
    case 16:
      if (key == "InnoDB_IO_r_wait") return number_prop(model::ExtraNumber::innodb_io_r_wait);
      if (key == "Filesort_on_disk") return flag_prop(model::ExtraFlag::filesort_on_disk);
      break;
    case 17:
      if (key == "InnoDB_IO_r_bytes") return number_prop(model::ExtraNumber::innodb_io_r_bytes);
      if (key == "InnoDB_queue_wait") return number_prop(model::ExtraNumber::innodb_queue_wait);
      if (key == "Tmp_table_on_disk") return flag_prop(model::ExtraFlag::tmp_table_on_disk);
      break;
    case 20:
      if (key == "InnoDB_rec_lock_wait") return number_prop(model::ExtraNumber::innodb_rec_lock_wait);
      break;
    case 21:
      if (key == "InnoDB_pages_distinct") return number_prop(model::ExtraNumber::innodb_pages_distinct);
      break;
    default:
      break;
  }
  return Prop::count;
}

class SlowLogProps {
 public:
  void set(Prop key, std::string_view value) {
    if (key == Prop::count) return;
    values_[static_cast<size_t>(key)] = value;
    present_ |= bit(key);
  }
  void set(std::string_view key, std::string_view value) { set(prop_of(key), value); }
  const std::string_view* get(Prop key) const {
    return (present_ & bit(key)) != 0 ? &values_[static_cast<size_t>(key)] : nullptr;
  }
  // Whether any of the keys from `first` on (the extra attributes) was set: one test for the
  // records of servers that log none.
  bool any_from(Prop first) const { return present_from(first) != 0; }
  // Bit i: the key `first` + i was set.
  uint64_t present_from(Prop first) const { return present_ >> static_cast<unsigned>(first); }
  // Text that views handed to set() may point into, kept as long as the attributes.
  std::string_view hold(std::string text) {
    owned_.push_back(std::move(text));
    return owned_.back();
  }
  void clear() {
    present_ = 0;
    if (!owned_.empty()) owned_.clear();  // (an empty deque's clear() still showed in profiles)
  }
  // New owned copies of the values: ready to keep after the text they point into is gone.
  void own() {
    std::deque<std::string> owned;
    for (size_t k = 0; k < kSlots; ++k) {
      if ((present_ & (uint64_t{1} << k)) == 0) continue;
      owned.emplace_back(values_[k]);
      values_[k] = owned.back();
    }
    owned_.swap(owned);
  }

 private:
  static constexpr size_t kSlots = static_cast<size_t>(Prop::count);
  static uint64_t bit(Prop key) { return uint64_t{1} << static_cast<unsigned>(key); }
  std::string_view values_[kSlots];
  uint64_t present_ = 0;
  std::deque<std::string> owned_;  // a deque: its strings never move
};

// A line parse_property_layout read with one of its layouts (the last of its length, see
// LayoutLineMemos), and where its values lay. Records repeat their attribute lines but for the
// values ("# Thread_id: 8  Schema: dbvet  QC_hit: No" in every record of a connection): a line as
// long as the one kept, with the same bytes outside its values and no byte in them that ends a
// value, has the same layout and its values in the same places, which a few compares of sixteen
// bytes tell (reading it afresh showed in profiles).
struct LayoutLineMemo {
  static constexpr size_t kMaxLine = 128;  // longer lines are read afresh each time
  size_t size = 0;                         // of the line; 0: none yet
  size_t layout = 0;                       // which of the layouts read it
  uint8_t value_at[4] = {}, value_size[4] = {};
  alignas(16) char text[kMaxLine] = {};
  alignas(16) unsigned char value_mask[kMaxLine] = {};  // 0xFF over the values' bytes
};
inline constexpr size_t kPropertyLayoutCount = 6;
// The last line read of each length modulo kLengths, whatever its layout: a server's few attribute
// lines have lengths of their own (Query_time lines two or three: rows of more digits), and
// looking the memo up by length alone leaves the layout's key to the compare.
struct LayoutLineMemos {
  static constexpr size_t kLengths = 16;
  LayoutLineMemo lines[kLengths];
  LayoutLineMemo& of(size_t line_size) { return lines[line_size % kLengths]; }
};

// ^# +[A-Z][A-Za-z_]+: \S+ : the header lines pt reads properties from.
bool is_property_line(std::string_view line);
// m/(\w+):\s+(\S+|\Z)/g over a header line, after dropping an empty "Schema:", as pt does.
void parse_properties(std::string_view line, SlowLogProps& props);
// The same for the lines servers usually write, read straight off; false (nothing set) for a line
// of another shape. A line it reads is also one pt reads properties from (^# +[A-Z][A-Za-z_]+: \S+).
bool parse_property_layout(std::string_view line, SlowLogProps& props);
// The same, a line like the last one its layout read taken by the memo's places: always the
// result of the call above.
bool parse_property_layout(std::string_view line, SlowLogProps& props, LayoutLineMemos& memos);

}  // namespace dbvet::capture::detail
