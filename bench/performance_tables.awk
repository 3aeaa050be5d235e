# Turns the results file of bench/run_all.sh into the Markdown tables of docs/performance.md.
#
# Input: one line per measurement, as space-separated key=value fields; "kind" says which part
# of run_all.sh wrote it. ENVIRON["LOAD_ROWS"] lists the load rows in table order, one
# "id|title|scenario|channels|in_flight" per line. Written for POSIX awk (Debian's mawk): no
# asort, so medians sort with an insertion sort.

function field(name,    i, pair) {
  for (i = 1; i <= NF; i++) {
    split($i, pair, "=")
    if (pair[1] == name) return substr($i, length(name) + 2)
  }
  return ""
}

# Appends value to the list stored under key in the global arrays values and counts.
function add(key, value) {
  values[key, ++counts[key]] = value + 0
}

# Sorts the list under key into the global array sorted[1..n] and returns n.
function sort_list(key,    n, i, j, v) {
  n = counts[key] + 0
  for (i = 1; i <= n; i++) sorted[i] = values[key, i]
  for (i = 2; i <= n; i++) {
    v = sorted[i]
    for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]
    sorted[j + 1] = v
  }
  return n
}

function median(key,    n) {
  n = sort_list(key)
  if (n == 0) return ""
  if (n % 2 == 1) return sorted[(n + 1) / 2]
  return (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}

function minimum(key) { return sort_list(key) ? sorted[1] : "" }

function maximum(key,    n) {
  n = sort_list(key)
  return n ? sorted[n] : ""
}

# "median (min–max)" of the list under key, with the given printf format per number.
function spread(key, format,    n) {
  n = counts[key] + 0
  if (n == 0) return "n/a"
  if (n == 1) return sprintf(format, median(key))
  return sprintf(format " (" format "–" format ")", median(key), minimum(key), maximum(key))
}

# A number with thousands separators, rounded to an integer.
function grouped(x,    s, out) {
  s = sprintf("%.0f", x)
  out = ""
  while (length(s) > 3) {
    out = "," substr(s, length(s) - 2) out
    s = substr(s, 1, length(s) - 3)
  }
  return s out
}

function grouped_spread(key,    n) {
  n = counts[key] + 0
  if (n == 0) return "n/a"
  if (n == 1) return grouped(median(key))
  return grouped(median(key)) " (" grouped(minimum(key)) "–" grouped(maximum(key)) ")"
}

function ratio(numerator, denominator) {
  if (numerator == "" || denominator == "" || denominator + 0 == 0) return ""
  return numerator / denominator
}

function show_ratio(r) { return r == "" ? "n/a" : sprintf("%.2f", r) }

function verdict(met) { return met ? "met" : "**not met**" }

{
  kind = field("kind")
  if (kind == "load") {
    key = field("row") SUBSEP field("server")
    add(key SUBSEP "rate", field("calls_per_second"))
    add(key SUBSEP "p50", field("p50_us"))
    add(key SUBSEP "p90", field("p90_us"))
    add(key SUBSEP "p99", field("p99_us"))
    add(key SUBSEP "p999", field("p999_us"))
  } else if (kind == "create") {
    # One line per server and run count; calls is the number of runs created.
    if (field("server") == "lrsched") create_sizes[++create_count] = field("calls")
    create_rate[field("server"), field("calls")] = field("calls_per_second")
  } else if (kind == "memory") {
    memory_lines[++memory_count] = $0
  } else if (kind == "restart") {
    add("restart" SUBSEP field("server"), field("seconds_to_serving"))
  } else if (kind == "restart_memory") {
    add("restart_kib", field("kib"))
  } else if (kind == "state_file") {
    state_runs = field("runs")
    state_reports = field("reports")
    state_rate = field("reports_per_second")
    state_rows = field("rows_per_transaction")
    state_seconds = field("report_seconds")
  } else if (kind == "state_size") {
    state_kib = field("kib")
  }
}

function latency_cell(key) {
  if (counts[key SUBSEP "p50"] + 0 == 0) return "n/a"
  return sprintf("%.0f · %.0f · %.0f · %.0f", median(key SUBSEP "p50"), median(key SUBSEP "p90"),
                 median(key SUBSEP "p99"), median(key SUBSEP "p999"))
}

function print_load_tables(    i, parts, id, l, b, r) {
  print "### Calls per second"
  print ""
  print "Median of the runs, with the lowest and highest in brackets. For StreamMetrics a call"
  print "is one report written to a stream."
  print ""
  print "| Load | lrsched | baseline | lrsched / baseline |"
  print "| --- | ---: | ---: | ---: |"
  for (i = 1; i <= row_count; i++) {
    split(rows[i], parts, "|")
    id = parts[1]
    l = id SUBSEP "lrsched" SUBSEP "rate"
    b = id SUBSEP "baseline" SUBSEP "rate"
    r = ratio(median(l), median(b))
    printf "| %s | %s | %s | %s |\n", parts[2], grouped_spread(l), grouped_spread(b), show_ratio(r)
  }
  for (i = 1; i <= create_count; i++) {
    l = create_rate["lrsched", create_sizes[i]]
    b = create_rate["baseline", create_sizes[i]]
    printf "| CreateRun, 4 in flight, %s runs (one run each) | %s | %s | %s |\n",
           grouped(create_sizes[i]), grouped(l), b == "" ? "n/a" : grouped(b),
           show_ratio(ratio(l, b))
  }
  print ""
  print "### Latency in µs"
  print ""
  print "p50 · p90 · p99 · p99.9, each the median over the runs. A streamed report's latency is"
  print "the time until gRPC has taken the write, not until the server has stored it."
  print ""
  print "| Load | lrsched | baseline | p50 ratio | p99 ratio |"
  print "| --- | ---: | ---: | ---: | ---: |"
  for (i = 1; i <= row_count; i++) {
    split(rows[i], parts, "|")
    id = parts[1]
    l = id SUBSEP "lrsched"
    b = id SUBSEP "baseline"
    printf "| %s | %s | %s | %s | %s |\n", parts[2], latency_cell(l), latency_cell(b),
           show_ratio(ratio(median(l SUBSEP "p50"), median(b SUBSEP "p50"))),
           show_ratio(ratio(median(l SUBSEP "p99"), median(b SUBSEP "p99")))
  }
  print ""
}

function print_memory_table(    i, line, n, before, after, per_run) {
  print "### Memory per idle run"
  print ""
  print "VmRSS of the lrsched-server process (/proc/PID/status). \"API\": before and after"
  print "CreateRun of the runs on one server. \"State file\": a server restored from a state file"
  print "with the runs, against one restored from a state file with a single run; both served"
  print "1 s of GetLearningRate before the reading."
  print ""
  print "| Runs | Registered by | VmRSS before (MiB) | VmRSS after (MiB) | Bytes per run |"
  print "| ---: | --- | ---: | ---: | ---: |"
  for (i = 1; i <= memory_count; i++) {
    $0 = memory_lines[i]
    n = field("runs")
    before = field("before_kib")
    after = field("after_kib")
    per_run = (after - before) * 1024 / n
    printf "| %s | %s | %.1f | %.1f | %s |\n", grouped(n),
           field("source") == "api" ? "API" : "state file", before / 1024, after / 1024,
           grouped(per_run)
    if (field("source") == "state_file" && n + 0 >= largest_runs) {
      largest_runs = n + 0
      largest_per_run = per_run
    }
  }
  print ""
}

function print_restart_table() {
  print "### Restart"
  print ""
  printf "State file: %s runs and %s reports with 4 metrics each, %.0f MiB, written by\n",
         grouped(state_runs), grouped(state_reports), state_kib / 1024
  printf "bench/make_state_file through the server's StateStore at %s reports/s (%s per\n",
         grouped(state_rate), grouped(state_rows)
  print "transaction). Seconds from starting the process to the first successful"
  print "GetLearningRate of a stored run, polled every 5 ms on fresh connections; the file is in"
  print "the page cache (it was just written), so a cold start from disk is slower."
  print ""
  print "| | lrsched | baseline |"
  print "| --- | ---: | ---: |"
  printf "| Seconds to serving | %s | %s |\n", spread("restart" SUBSEP "lrsched", "%.2f"),
         spread("restart" SUBSEP "baseline", "%.2f")
  printf "| VmRSS after the restart (MiB) | %.0f | n/a |\n", median("restart_kib") / 1024
  print ""
}

function print_targets(    i, parts, id, l, b, r, all_rate, all_p99, lines_rate, lines_p99,
                           stream, restart_max) {
  print "### Targets"
  print ""
  print "| Target | Measured | |"
  print "| --- | --- | --- |"
  all_rate = 1
  all_p99 = 1
  for (i = 1; i <= row_count; i++) {
    split(rows[i], parts, "|")
    id = parts[1]
    # The targets are set for the plain loads, not for those with many runs registered.
    if (parts[3] != "get_rate" || parts[5] + 0 < 16 || index(id, "_runs") > 0) continue
    l = id SUBSEP "lrsched"
    b = id SUBSEP "baseline"
    r = ratio(median(l SUBSEP "rate"), median(b SUBSEP "rate"))
    if (r == "" || r < 0.9) all_rate = 0
    lines_rate = lines_rate sprintf("%s%s in flight × %s channel(s): %.2f",
                                    lines_rate == "" ? "" : "; ", parts[5], parts[4], r)
    r = ratio(median(l SUBSEP "p99"), median(b SUBSEP "p99"))
    if (r == "" || r > 1.5) all_p99 = 0
    lines_p99 = lines_p99 sprintf("%s%s × %s: %.2f", lines_p99 == "" ? "" : "; ", parts[5],
                                  parts[4], r)
  }
  printf "| GetLearningRate calls/s ≥ 0.9 × baseline at 16 and 64 in flight | %s | %s |\n",
         lines_rate, verdict(all_rate)
  printf "| GetLearningRate p99 ≤ 1.5 × baseline at 16 and 64 in flight | %s | %s |\n",
         lines_p99, verdict(all_p99)
  r = ratio(median("rate_1" SUBSEP "lrsched" SUBSEP "p50"),
            median("rate_1" SUBSEP "baseline" SUBSEP "p50"))
  printf "| GetLearningRate ping-pong p50 within 10 %% of baseline | %s | %s |\n",
         "ratio " show_ratio(r), verdict(r != "" && r <= 1.10 && r >= 0.90)

  for (i = 1; i <= row_count; i++) {
    split(rows[i], parts, "|")
    if (parts[3] != "stream_report") continue
    l = median(parts[1] SUBSEP "lrsched" SUBSEP "rate")
    stream = median(parts[1] SUBSEP "baseline" SUBSEP "rate")
    r = ratio(l, stream)
    printf "| Durable streamed reports ≥ 0.5 × baseline's, %s | %s/s against %s/s: %s | %s |\n",
           parts[5] " stream(s) × " parts[4] " channel(s)", grouped(l), grouped(stream),
           show_ratio(r), verdict(r != "" && r >= 0.5)
  }

  printf "| ≤ 2 KiB (2,048 B) per idle run at %s runs | %s B per run | %s |\n",
         grouped(largest_runs), grouped(largest_per_run),
         verdict(largest_runs > 0 && largest_per_run <= 2048)
  restart_max = maximum("restart" SUBSEP "lrsched")
  printf "| Restart with %s runs and %s reports serving in < 3 s | %s s, slowest %s s | %s |\n",
         grouped(state_runs), grouped(state_reports), sprintf("%.2f", median("restart" SUBSEP "lrsched")),
         sprintf("%.2f", restart_max), verdict(restart_max != "" && restart_max < 3)
  print ""
}

END {
  row_count = split(ENVIRON["LOAD_ROWS"], rows, "\n")
  print_load_tables()
  print_memory_table()
  print_restart_table()
  print_targets()
}
