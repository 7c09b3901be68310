using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// HTTP the simulation adds in front of the API handler: the <c>/sandbox</c> admin endpoints (faults, node readiness, status),
/// fault injection on API requests and watches, the service proxy to simulated model servers, and the pod log options
/// (timestamps, sinceSeconds, previous) the plain log store cannot answer.
/// </summary>
internal sealed class SimulationHttp
{
    private static readonly JsonSerializerOptions FaultJson = new(JsonSerializerDefaults.Web);
    private readonly Simulator _sim;
    private int _roundRobin;

    public SimulationHttp(Simulator sim) => _sim = sim;

    /// <summary>True when the request was answered here; false to let the API handler answer it.</summary>
    public async Task<bool> TryHandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (path == "/sandbox" || path.StartsWith("/sandbox/", StringComparison.Ordinal))
        {
            await AdminAsync(ctx, path).ConfigureAwait(false);
            return true;
        }

        if (!path.StartsWith("/api", StringComparison.Ordinal))
        {
            return false;
        }

        var faults = _sim.Faults;
        if (faults.LatencyMs > 0)
        {
            // Timers may fire a little early; the injected latency is a guaranteed minimum.
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (started.ElapsedMilliseconds < faults.LatencyMs)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, faults.LatencyMs - started.ElapsedMilliseconds)), ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        if (faults.ErrorRate > 0 && Random.Shared.NextDouble() < faults.ErrorRate)
        {
            var error = faults.ErrorCode == 429
                ? ApiException.TooManyRequests("the server has received too many requests and has asked us to try again later")
                : new ApiException(500, "InternalError", "Internal error occurred: injected fault (sandbox)");
            if (faults.ErrorCode == 429)
            {
                ctx.Response.Headers.RetryAfter = "1";
            }

            await ApiHandler.WriteJsonAsync(ctx, error.ToStatus(), error.Code).ConfigureAwait(false);
            return true;
        }

        var isWatch = ctx.Request.Method == "GET" && (ctx.Request.Query["watch"] is { Count: > 0 } w && w[0] is "true" or "1" || path.Contains("/watch/", StringComparison.Ordinal));
        if (isWatch && faults.WatchGone)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            var status = new ApiException(410, "Expired", "too old resource version: 1 (injected fault)").ToStatus();
            var line = new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString() + "\n";
            await ctx.Response.WriteAsync(line, ctx.RequestAborted).ConfigureAwait(false);
            return true;
        }

        if (isWatch && faults.WatchCloseSeconds is { } close and > 0)
        {
            var timer = new Timer(_ => ctx.Abort(), null, TimeSpan.FromSeconds(close), Timeout.InfiniteTimeSpan);
            ctx.Response.RegisterForDispose(timer);
        }

        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segs.Length >= 7 && segs[0] == "api" && segs[1] == "v1" && segs[2] == "namespaces" && segs[4] == "services" && segs[6] == "proxy")
        {
            await ServiceProxyAsync(ctx, segs[3], segs[5], "/" + string.Join('/', segs[7..])).ConfigureAwait(false);
            return true;
        }

        if (segs.Length == 7 && segs[0] == "api" && segs[2] == "namespaces" && segs[4] == "pods" && segs[6] == "log" && ctx.Request.Method == "GET"
            && (ctx.Request.Query.ContainsKey("timestamps") || ctx.Request.Query.ContainsKey("sinceSeconds") || ctx.Request.Query.ContainsKey("previous") || ctx.Request.Query.ContainsKey("sinceTime")))
        {
            return await LogAsync(ctx, segs[3], segs[5]).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> LogAsync(HttpContext ctx, string ns, string name)
    {
        var pod = _sim.Store.Get("pods", ns, name)?.ToJsonObject();
        if (pod is null)
        {
            return false;
        }

        var containers = ((pod["spec"]?["containers"] as JsonArray) ?? []).Select(c => (string?)c?["name"] ?? "").ToList();
        string? container = ctx.Request.Query["container"];
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
            {
                return false;
            }

            container = containers[0];
        }

        var previous = ctx.Request.Query["previous"] is { Count: > 0 } p && p[0] is "true" or "1";
        var timestamps = ctx.Request.Query["timestamps"] is { Count: > 0 } t && t[0] is "true" or "1";
        DateTime? since = null;
        if (long.TryParse(ctx.Request.Query["sinceSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sinceSeconds))
        {
            since = DateTime.UtcNow.AddSeconds(-sinceSeconds);
        }
        else if (DateTime.TryParse(ctx.Request.Query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var sinceTime))
        {
            since = sinceTime;
        }

        var lines = _sim.Logs.Lines(ns, name, container, previous);
        if (previous && lines is null)
        {
            var e = ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
            await ApiHandler.WriteJsonAsync(ctx, e.ToStatus(), e.Code).ConfigureAwait(false);
            return true;
        }

        IEnumerable<(DateTime At, string Text)> selected = lines ?? [];
        if (since is { } s)
        {
            selected = selected.Where(l => l.At >= s);
        }

        if (int.TryParse(ctx.Request.Query["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tail) && tail >= 0)
        {
            var list = selected.ToList();
            selected = list.Skip(Math.Max(0, list.Count - tail));
        }

        var sb = new StringBuilder();
        foreach (var (at, text) in selected)
        {
            if (timestamps)
            {
                sb.Append(at.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture)).Append("00Z ");
            }

            sb.Append(text).Append('\n');
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(sb.ToString(), ctx.RequestAborted).ConfigureAwait(false);
        return true;
    }

    private async Task ServiceProxyAsync(HttpContext ctx, string ns, string nameAndPort, string rest)
    {
        var parts = nameAndPort.Split(':');
        var name = parts.Length == 3 ? parts[1] : parts[0];
        var svc = _sim.Store.Get("services", ns, name);
        if (svc is null)
        {
            var e = ApiException.NotFound("services", "", name);
            await ApiHandler.WriteJsonAsync(ctx, e.ToStatus(), e.Code).ConfigureAwait(false);
            return;
        }

        var ep = _sim.Store.Get("endpoints", ns, name)?.ToJsonObject();
        var addresses = (ep?["subsets"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(s => (s["addresses"] as JsonArray ?? []).OfType<JsonObject>()).ToList();
        if (addresses.Count == 0)
        {
            var e = new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{name}\"");
            await ApiHandler.WriteJsonAsync(ctx, e.ToStatus(), e.Code).ConfigureAwait(false);
            return;
        }

        var target = addresses[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)addresses.Count)];
        var podName = (string?)target["targetRef"]?["name"] ?? "";
        var pod = _sim.Store.Get("pods", ns, podName)?.ToJsonObject();
        var container = (pod?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var isServer = pod is not null && container is not null && WorkloadRules.Resolve(pod, container).Kind == WorkloadKind.ModelServer;
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        var latency = 20 + (int)(Names.Unit(podName + body) * 40);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, latency / _sim.Speed)), ctx.RequestAborted).ConfigureAwait(false);
        if (!isServer)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync($"sandbox pod {podName} answered {ctx.Request.Method} {rest}\n", ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        JsonObject answer;
        if (ctx.Request.Method is "GET" or "HEAD")
        {
            answer = new JsonObject { ["status"] = "ok", ["model"] = name, ["ready"] = true, ["pod"] = podName };
        }
        else
        {
            JsonNode? input = null;
            try
            {
                input = body.Length > 0 ? JsonNode.Parse(body) : null;
            }
            catch (JsonException)
            {
            }

            var instances = input?["instances"] as JsonArray ?? input?["inputs"] as JsonArray;
            var count = Math.Max(1, instances?.Count ?? 1);
            var predictions = new JsonArray();
            for (var i = 0; i < count; i++)
            {
                var seed = (instances?[i]?.ToJsonString() ?? body) + "#" + i.ToString(CultureInfo.InvariantCulture);
                var score = Math.Round(0.5 + (Names.Unit(seed) / 2), 4);
                predictions.Add(new JsonObject { ["label"] = Names.Unit(seed + "label") < 0.5 ? "positive" : "negative", ["score"] = score });
            }

            answer = new JsonObject
            {
                ["model"] = name,
                ["predictions"] = predictions,
                ["latency_ms"] = latency,
                ["pod"] = podName,
            };
        }

        LogGenerator.Request(_sim, ns, podName, (string?)container!["name"] ?? "", rest, latency);
        await ApiHandler.WriteJsonAsync(ctx, answer).ConfigureAwait(false);
    }

    private async Task AdminAsync(HttpContext ctx, string path)
    {
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        try
        {
            switch (segs.Length)
            {
                case 1 or 2 when method == "GET" && (segs.Length == 1 || segs[1] == "status"):
                    await ApiHandler.WriteJsonAsync(ctx, _sim.Status()).ConfigureAwait(false);
                    return;
                case 2 when segs[1] == "faults" && method == "GET":
                    await ApiHandler.WriteJsonAsync(ctx, JsonSerializer.SerializeToNode(_sim.Faults, FaultJson)!).ConfigureAwait(false);
                    return;
                case 2 when segs[1] == "faults" && method is "PUT" or "POST" or "PATCH":
                    {
                        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                        var text = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
                        var current = JsonSerializer.SerializeToNode(method == "PUT" ? new SandboxFaults() : _sim.Faults, FaultJson)!.AsObject();
                        foreach (var (k, v) in JsonNode.Parse(text)?.AsObject() ?? [])
                        {
                            current[k] = v?.DeepClone();
                        }

                        var updated = current.Deserialize<SandboxFaults>(FaultJson) ?? new SandboxFaults();
                        _sim.SetFaults(updated);
                        await ApiHandler.WriteJsonAsync(ctx, JsonSerializer.SerializeToNode(_sim.Faults, FaultJson)!).ConfigureAwait(false);
                        return;
                    }

                case 2 when segs[1] == "faults" && method == "DELETE":
                    _sim.SetFaults(new SandboxFaults());
                    await ApiHandler.WriteJsonAsync(ctx, JsonSerializer.SerializeToNode(_sim.Faults, FaultJson)!).ConfigureAwait(false);
                    return;
                case 4 when segs[1] == "nodes" && segs[3] is "notready" or "ready" && method == "POST":
                    {
                        var faults = _sim.Faults.Clone();
                        faults.NotReadyNodes.Remove(segs[2]);
                        if (segs[3] == "notready")
                        {
                            faults.NotReadyNodes.Add(segs[2]);
                        }

                        if (_sim.Store.Get("nodes", null, segs[2]) is null)
                        {
                            throw ApiException.NotFound("nodes", "", segs[2]);
                        }

                        _sim.SetFaults(faults);
                        await ApiHandler.WriteJsonAsync(ctx, JsonSerializer.SerializeToNode(_sim.Faults, FaultJson)!).ConfigureAwait(false);
                        return;
                    }
            }

            throw new ApiException(404, "NotFound", "unknown sandbox admin endpoint " + method + " " + path + " (see README: GET /sandbox/status, GET|PUT|PATCH|DELETE /sandbox/faults, POST /sandbox/nodes/NAME/notready|ready)");
        }
        catch (ApiException e)
        {
            await ApiHandler.WriteJsonAsync(ctx, e.ToStatus(), e.Code).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            var bad = ApiException.BadRequest("invalid faults JSON: " + e.Message);
            await ApiHandler.WriteJsonAsync(ctx, bad.ToStatus(), bad.Code).ConfigureAwait(false);
        }
    }
}
