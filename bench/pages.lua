-- wrk script: GET one path, each request with the next user's Cookie header (one per line in
-- a file), counting 200 answers apart from everything else (a 302 to the sign-in page is a
-- failure here, which wrk's own summary would count as a success).
-- Usage: wrk -s bench/pages.lua URL -- PATH [COOKIE_FILE]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  path = args[1] or "/"
  cookies = {}
  if args[2] and args[2] ~= "" then
    for line in io.lines(args[2]) do
      if #line > 0 then table.insert(cookies, line) end
    end
  end
  index = math.random(0, math.max(#cookies - 1, 0))
  ok = 0
  not_ok = 0
end

function request()
  if #cookies == 0 then
    return wrk.format("GET", path)
  end
  index = index % #cookies + 1
  return wrk.format("GET", path, { ["Cookie"] = cookies[index] })
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "ok": %d, "not_ok": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, good, bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
