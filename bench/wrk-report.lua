-- wrk script for bench/load.sh and bench/faults.sh.
-- With WRK_PATHS set (space-separated paths), requests rotate through those paths;
-- otherwise wrk requests its URL. At the end it prints one JSON line with the totals.
local paths = {}
local i = 0

init = function(args)
  for p in string.gmatch(os.getenv("WRK_PATHS") or "", "%S+") do
    table.insert(paths, p)
  end
end

request = function()
  if #paths == 0 then
    return wrk.request()
  end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
