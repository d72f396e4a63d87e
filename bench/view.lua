-- POST /api/articles/<id>/view, counting the 2xx answers across all threads. Shortly before the
-- end, requests switch to an id that does not exist, so that requests still in flight when wrk
-- stops cannot raise the count unseen.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
  path = args[1]
  tail_path = args[2]
  stop_at = os.time() + tonumber(args[3])
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"
end

function request()
  if os.time() < stop_at then
    return wrk.format("POST", path, nil, "{}")
  end
  return wrk.format("POST", tail_path, nil, "{}")
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("BENCH_VIEWS ok=%d other=%d\n", total_ok, total_other))
end
