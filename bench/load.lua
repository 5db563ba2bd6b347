-- load.lua - wrk script: paces each connection so the whole run offers RATE requests/s
-- (Debian's wrk has no fixed-rate mode), sends the session cookie, and prints p50/p99/p99.9 and
-- the error count in a form bench/load reads.
local rate = tonumber(os.getenv("RATE") or "1000")
local conns = tonumber(os.getenv("CONNS") or "1000")
local cookie = os.getenv("COOKIE")

function init(args)
  if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
end

function delay()
  -- each connection waits its share; jitter spreads them out
  local per_conn_ms = conns * 1000 / rate
  return math.random(math.floor(per_conn_ms * 0.5), math.floor(per_conn_ms * 1.5))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.1f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
