-- public_login.lua - wrk script for bench/public: citizen log-ins, each with another of the
-- COUNT registered phones (13000000000 + i), all with the bench's password.
local count = tonumber(os.getenv("COUNT") or "1000")
local n = 0
request = function()
  n = n + 1
  local i = (n * 7919) % count
  local body = string.format('{"phone":"13%09d","password":"Ecoact-Demo-2025"}', i)
  return wrk.format("POST", "/api/v1/citizen/session", { ["Content-Type"] = "application/json" }, body)
end
