#include "benchmarks/bench_config.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/target_url.hpp"
#include "fmt/format.h"

namespace dbvet::bench {
namespace {

core::Error usage(std::string message) { return core::make_error(core::ErrorKind::usage, std::move(message)); }

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

core::Expected<Variant> parse_variant(const std::string& text) {
  Variant variant;
  std::string spec = text;
  auto eq = text.find('=');
  auto colon = text.find(':');
  if (eq != std::string::npos && (colon == std::string::npos || eq < colon)) {
    variant.name = text.substr(0, eq);
    spec = text.substr(eq + 1);
  }
  if (spec == "baseline") {
    variant.kind = Variant::Kind::baseline;
  } else if (starts_with(spec, "index:")) {
    variant.kind = Variant::Kind::index;
    variant.spec = spec.substr(6);
  } else if (starts_with(spec, "rewrite:")) {
    variant.kind = Variant::Kind::rewrite;
    variant.spec = spec.substr(8);
    auto script = workload::load_script(variant.spec);
    if (!script) return script.error();
    variant.scripts.push_back(std::move(*script));
  } else if (starts_with(spec, "cache:")) {
    variant.kind = Variant::Kind::cache;
    variant.spec = spec.substr(6);
    auto url = core::parse_target_url(variant.spec);
    if (!url) return url.error();
    if (url->engine != core::Engine::redis) {
      return usage(fmt::format("--variant {}: a cache variant needs a redis:// URL", core::redact_url(text)));
    }
    if (auto ttl = url->params.find("ttl"); ttl != url->params.end()) {
      try {
        variant.cache_ttl_s = std::stoi(ttl->second);
      } catch (const std::exception&) {
        return usage(fmt::format("--variant {}: ttl must be a number of seconds", core::redact_url(text)));
      }
    }
  } else {
    return usage(
        fmt::format("--variant {}: expected NAME=baseline, NAME=index:DDL, NAME=rewrite:FILE or "
                    "NAME=cache:redis://HOST:PORT[?ttl=S]",
                    core::redact_url(text)));
  }
  if (variant.name.empty()) {
    static const char* names[] = {"baseline", "index", "rewrite", "cache"};
    variant.name = names[static_cast<int>(variant.kind)];
  }
  if (variant.name.find('/') != std::string::npos) {
    return usage(fmt::format("--variant {}: a variant name cannot contain '/'", core::redact_url(text)));
  }
  return variant;
}

core::Expected<Sla> parse_sla(const std::string& text) {
  Sla sla;
  sla.text = text;
  std::string body = text;
  auto op = body.find_first_of("<>");
  if (op == std::string::npos) {
    return usage(
        fmt::format("--sla '{}': expected [query:]metric<value, e.g. p95<20ms, errors<0.1%, throughput>500/s", text));
  }
  std::string left = body.substr(0, op);
  std::string right = body.substr(op + 1);
  sla.less = body[op] == '<';
  if (auto colon = left.rfind(':'); colon != std::string::npos) {
    sla.query = left.substr(0, colon);
    left = left.substr(colon + 1);
  }
  sla.metric = left;
  static const char* latency_metrics[] = {"p50", "p90", "p95", "p99", "p99.9", "max", "mean"};
  bool latency = false;
  for (const char* m : latency_metrics) latency = latency || sla.metric == m;
  size_t used = 0;
  double number = 0;
  try {
    number = std::stod(right, &used);
  } catch (const std::exception&) {
    return usage(fmt::format("--sla '{}': '{}' is not a number with a unit", text, right));
  }
  std::string unit = right.substr(used);
  if (latency) {
    if (unit == "ms" || unit.empty()) {
      sla.value = number;
    } else if (unit == "s") {
      sla.value = number * 1000;
    } else if (unit == "us") {
      sla.value = number / 1000;
    } else {
      return usage(fmt::format("--sla '{}': latency unit must be us, ms or s", text));
    }
  } else if (sla.metric == "errors") {
    sla.value = unit == "%" ? number / 100 : number;
  } else if (sla.metric == "throughput") {
    if (!unit.empty() && unit != "/s") return usage(fmt::format("--sla '{}': throughput is per second (/s)", text));
    sla.value = number;
  } else {
    return usage(
        fmt::format("--sla '{}': unknown metric '{}' (p50, p90, p95, p99, p99.9, max, mean, errors, throughput)", text,
                    sla.metric));
  }
  return sla;
}

std::vector<double> Ramp::rates() const {
  std::vector<double> out;
  for (int i = 0;; ++i) {
    double rate = from + step * i;
    if (rate > to * (1 + 1e-9)) break;
    out.push_back(rate);
  }
  return out;
}

core::Expected<Ramp> parse_ramp(const std::string& text) {
  Ramp ramp;
  auto bad = [&](const std::string& why) {
    return usage(fmt::format("--ramp '{}': {} (expected FROM:TO:STEP in transactions per second, e.g. 100:1000:100)",
                             text, why));
  };
  std::vector<double> parts;
  size_t begin = 0;
  for (;;) {
    auto colon = text.find(':', begin);
    std::string part = text.substr(begin, colon == std::string::npos ? std::string::npos : colon - begin);
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size() || !std::isfinite(value)) return bad("'" + part + "' is not a number");
    parts.push_back(value);
    if (colon == std::string::npos) break;
    begin = colon + 1;
  }
  if (parts.size() != 3) return bad("three numbers are needed");
  ramp.from = parts[0];
  ramp.to = parts[1];
  ramp.step = parts[2];
  if (ramp.from <= 0 || ramp.step <= 0) return bad("FROM and STEP must be above 0");
  if (ramp.to < ramp.from) return bad("TO must not be below FROM");
  if (ramp.rates().size() > 1000) return bad("more than 1000 steps");
  return ramp;
}

}  // namespace dbvet::bench
