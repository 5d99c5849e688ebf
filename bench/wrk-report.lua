-- Adds one request header from the environment and prints wrk's summary as one JSON line (latencies in µs).
local name = os.getenv("BENCH_HEADER_NAME")
if name ~= nil and name ~= "" then
  wrk.headers[name] = os.getenv("BENCH_HEADER_VALUE")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
