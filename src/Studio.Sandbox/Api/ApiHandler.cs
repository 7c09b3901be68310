using System.Buffers;
using System.IO.Pipelines;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>Routes every Kubernetes API request (discovery, OpenAPI, resources and subresources) and writes the answers.</summary>
internal sealed class ApiHandler
{
    private static readonly byte[] Comma = ","u8.ToArray();
    private readonly ObjectService _service;
    private readonly PodLogs _logs;
    private readonly FaultInjector _faults;
    private readonly TimeSpan _bookmarkInterval;
    private readonly CancellationToken _stopping;

    public ApiHandler(ObjectService service, PodLogs logs, FaultInjector faults, TimeSpan bookmarkInterval, CancellationToken stopping)
    {
        _service = service;
        _logs = logs;
        _faults = faults;
        _bookmarkInterval = bookmarkInterval;
        _stopping = stopping;
    }

    private ObjectStore Store => _service.Store;
    private ResourceRegistry Registry => _service.Registry;

    public async Task HandleAsync(HttpContext ctx)
    {
        if (!IsTrue(ctx.Request.Query["watch"]))
        {
            // Sockets schedule inline (see SandboxServer); move request work that can be CPU-heavy (lists, tables, writes)
            // to the thread pool so it never holds up the socket threads that stream watch events.
            await Task.Yield();
        }

        try
        {
            await RouteAsync(ctx).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(ctx, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // Client went away or the server is stopping.
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or InvalidCastException or ArgumentException)
        {
            await WriteErrorAsync(ctx, ApiException.BadRequest(e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else is a sandbox bug: answer like the real server does, with an InternalError status.
            await WriteErrorAsync(ctx, new ApiException(500, "InternalError", "Internal error occurred: " + e.Message)).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext ctx, ApiException e)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }

        await WriteJsonAsync(ctx, e.ToStatus(), e.Code).ConfigureAwait(false);
    }

    private async Task RouteAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segs.Length == 0)
        {
            await WriteJsonAsync(ctx, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/openapi/v3", "/version", "/healthz") }).ConfigureAwait(false);
            return;
        }

        switch (segs[0])
        {
            case "version":
                await WriteJsonAsync(ctx, Discovery.Version()).ConfigureAwait(false);
                return;
            case "healthz" or "livez" or "readyz":
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("ok", ctx.RequestAborted).ConfigureAwait(false);
                return;
            case "openapi":
                await OpenApiAsync(ctx, segs).ConfigureAwait(false);
                return;
            case "api" or "apis" when segs.Length == 1 && WantsAggregatedDiscovery(ctx):
                await WriteJsonAsync(ctx, Discovery.Aggregated(Registry, core: segs[0] == "api"), contentType: Discovery.AggregatedContentType).ConfigureAwait(false);
                return;
            case "api" when segs.Length == 1:
                await WriteJsonAsync(ctx, Discovery.ApiVersions(ctx.Request.Host.Value ?? "127.0.0.1")).ConfigureAwait(false);
                return;
            case "apis" when segs.Length == 1:
                await WriteJsonAsync(ctx, Discovery.ApiGroupList(Registry)).ConfigureAwait(false);
                return;
            case "apis" when segs.Length == 2:
                await WriteJsonAsync(ctx, Discovery.ApiGroup(Registry, segs[1]) ?? throw NotFoundPath(path)).ConfigureAwait(false);
                return;
            case "api" when segs.Length == 2:
                await WriteJsonAsync(ctx, Discovery.ResourceList(Registry, "", segs[1]) ?? throw NotFoundPath(path)).ConfigureAwait(false);
                return;
            case "apis" when segs.Length == 3:
                await WriteJsonAsync(ctx, Discovery.ResourceList(Registry, segs[1], segs[2]) ?? throw NotFoundPath(path)).ConfigureAwait(false);
                return;
            case "api":
                await ResourceAsync(ctx, "", segs[1], segs[2..]).ConfigureAwait(false);
                return;
            case "apis":
                await ResourceAsync(ctx, segs[1], segs[2], segs[3..]).ConfigureAwait(false);
                return;
            default:
                throw NotFoundPath(path);
        }
    }

    private static ApiException NotFoundPath(string path) =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = "404 page not found: " + path }) });

    private async Task OpenApiAsync(HttpContext ctx, string[] segs)
    {
        if (segs.Length >= 2 && segs[1] == "v3")
        {
            if (segs.Length == 2)
            {
                await WriteJsonAsync(ctx, Discovery.OpenApiIndex(Registry)).ConfigureAwait(false);
                return;
            }

            var (group, version) = Discovery.Split(string.Join('/', segs[2..]));
            await WriteJsonAsync(ctx, Discovery.OpenApiDocument(Registry, group, version) ?? throw NotFoundPath(ctx.Request.Path)).ConfigureAwait(false);
            return;
        }

        throw NotFoundPath(ctx.Request.Path);
    }

    private async Task ResourceAsync(HttpContext ctx, string group, string version, string[] rest)
    {
        var q = ctx.Request.Query;
        var watch = IsTrue(q["watch"]);
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }

        if (rest.Length == 0)
        {
            throw NotFoundPath(ctx.Request.Path);
        }

        string? ns = null;
        string plural;
        string? name = null, sub = null;
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.Length > 3 ? rest[3] : null;
            sub = rest.Length > 4 ? rest[4] : null;
            if (rest.Length > 5)
            {
                throw NotFoundPath(ctx.Request.Path);
            }
        }
        else
        {
            plural = rest[0];
            name = rest.Length > 1 ? rest[1] : null;
            sub = rest.Length > 2 ? rest[2] : null;
            if (rest.Length > 3)
            {
                throw NotFoundPath(ctx.Request.Path);
            }
        }

        var t = Registry.Find(group, version, plural) ?? throw NotFoundPath(ctx.Request.Path);
        if (!t.Namespaced && ns is not null)
        {
            throw NotFoundPath(ctx.Request.Path);
        }

        if (sub == "finalize" && t.StorageKey == "namespaces")
        {
            sub = "status";
        }

        if (sub is not null && !(sub == "status" && t.HasStatus) && !(sub == "scale" && t.HasScale) && !(sub == "log" && t.HasLog))
        {
            throw NotFoundPath(ctx.Request.Path);
        }

        if (_faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_faults.Latency, ctx.RequestAborted).ConfigureAwait(false);
        }

        _faults.Check(ctx.Request.Method, t);
        if (t.Group == "authorization.k8s.io")
        {
            await ReviewAsync(ctx, t, name).ConfigureAwait(false);
            return;
        }

        var method = ctx.Request.Method;
        var warnings = new List<string>();
        switch (method)
        {
            case "GET" when name is null && watch:
                await WatchAsync(ctx, t, ns).ConfigureAwait(false);
                return;
            case "GET" when name is null:
                await ListAsync(ctx, t, ns).ConfigureAwait(false);
                return;
            case "GET" when sub == "log":
                await LogAsync(ctx, t, ns ?? "default", name).ConfigureAwait(false);
                return;
            case "GET" when sub == "scale":
                await WriteJsonAsync(ctx, _service.GetScale(t, ns, name)).ConfigureAwait(false);
                return;
            case "GET":
                await WriteObjectAsync(ctx, t, _service.Get(t, ns, name)).ConfigureAwait(false);
                return;
            case "POST" when name is null:
            {
                if (ns is null && t.Namespaced)
                {
                    throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
                }

                var created = _service.Create(t, ns, await ReadBodyAsync(ctx).ConfigureAwait(false), Options(ctx, null), warnings);
                AddWarnings(ctx, warnings);
                await WriteObjectAsync(ctx, t, created, 201).ConfigureAwait(false);
                return;
            }

            case "PUT" when name is not null && sub != "log":
            {
                var updated = _service.Update(t, ns, name, await ReadBodyAsync(ctx).ConfigureAwait(false), Options(ctx, sub), warnings);
                AddWarnings(ctx, warnings);
                await WriteResultAsync(ctx, t, updated, sub).ConfigureAwait(false);
                return;
            }

            case "PATCH" when name is not null && sub != "log":
            {
                var body = await ReadTextAsync(ctx).ConfigureAwait(false);
                var patched = _service.Patch(t, ns, name, ctx.Request.ContentType ?? "application/merge-patch+json", body, Options(ctx, sub), warnings);
                AddWarnings(ctx, warnings);
                await WriteResultAsync(ctx, t, patched, sub).ConfigureAwait(false);
                return;
            }

            case "DELETE" when name is null:
                await DeleteCollectionAsync(ctx, t, ns).ConfigureAwait(false);
                return;
            case "DELETE" when sub is null:
            {
                var deleted = _service.Delete(t, ns, name, await DeleteOptionsAsync(ctx).ConfigureAwait(false));
                await WriteObjectAsync(ctx, t, deleted).ConfigureAwait(false);
                return;
            }

            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static Task WriteResultAsync(HttpContext ctx, ResourceType t, JsonObject result, string? sub) =>
        sub == "scale" ? WriteJsonAsync(ctx, result) : WriteObjectAsync(ctx, t, result);

    private static void AddWarnings(HttpContext ctx, List<string> warnings)
    {
        foreach (var w in warnings)
        {
            ctx.Response.Headers.Append("Warning", "299 - \"" + w.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }
    }

    private static bool IsTrue(string? v) => v is "true" or "1" or "True";

    private static RequestOptions Options(HttpContext ctx, string? sub)
    {
        var q = ctx.Request.Query;
        var validation = (string?)q["fieldValidation"];
        return new RequestOptions
        {
            DryRun = q["dryRun"] == "All",
            FieldManager = string.IsNullOrEmpty(q["fieldManager"]) ? null : (string?)q["fieldManager"],
            Force = IsTrue(q["force"]),
            FieldValidation = validation is "Strict" or "Ignore" or "Warn" ? validation : "Warn",
            Subresource = sub,
        };
    }

    private async Task<RequestOptions> DeleteOptionsAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        string? policy = q["propagationPolicy"];
        long? grace = long.TryParse(q["gracePeriodSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : null;
        var dryRun = q["dryRun"] == "All";
        string? uid = null, rv = null;
        if (IsTrue(q["orphanDependents"]))
        {
            policy ??= "Orphan";
        }

        var text = await ReadTextAsync(ctx).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var body = ParseBody(ctx, text);
            policy = (string?)body["propagationPolicy"] ?? policy;
            if ((bool?)body["orphanDependents"] == true)
            {
                policy ??= "Orphan";
            }

            grace = (long?)body["gracePeriodSeconds"] ?? grace;
            uid = (string?)body["preconditions"]?["uid"];
            rv = (string?)body["preconditions"]?["resourceVersion"];
            dryRun |= (body["dryRun"] as JsonArray)?.Any(d => (string?)d == "All") == true;
        }

        if (policy is not null and not ("Foreground" or "Background" or "Orphan"))
        {
            throw ApiException.Invalid("DeleteOptions", "meta.k8s.io", "", [FieldError.NotSupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan"])]);
        }

        return new RequestOptions { PropagationPolicy = policy, GracePeriodSeconds = grace, DryRun = dryRun, PreconditionUid = uid, PreconditionResourceVersion = rv };
    }

    private static async Task<string> ReadTextAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true)
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            return ProtobufDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        return ParseBody(ctx, await ReadTextAsync(ctx).ConfigureAwait(false));
    }

    private static JsonObject ParseBody(HttpContext ctx, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest("the request body is empty");
        }

        if (ctx.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true)
        {
            throw new ApiException(415, "UnsupportedMediaType",
                "the sandbox accepts application/json and application/yaml request bodies, not protobuf (kubectl 'create <generator>' commands send protobuf; use kubectl apply)");
        }

        var yaml = ctx.Request.ContentType?.Contains("yaml", StringComparison.Ordinal) == true;
        try
        {
            var node = yaml ? YamlToJson.Parse(text) : JsonNode.Parse(text);
            return node as JsonObject ?? throw ApiException.BadRequest("the request body must be an object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("couldn't get version/kind; json parse error: " + e.Message);
        }
    }

    private static bool WantsAggregatedDiscovery(HttpContext ctx)
    {
        var accept = ctx.Request.Headers.Accept.ToString();
        return accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2;", StringComparison.Ordinal);
    }

    private static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    // ---------------- list ----------------

    private sealed record Filters(LabelSelector Labels, FieldSelector Fields)
    {
        public bool IsEmpty => Labels.IsEmpty && Fields.IsEmpty;

        public bool Matches(StoredObject o) => Labels.Matches(o) && Fields.Matches(o);
    }

    private static Filters ParseFilters(HttpContext ctx, ResourceType t) =>
        new(LabelSelector.Parse(ctx.Request.Query["labelSelector"]), FieldSelector.Parse(ctx.Request.Query["fieldSelector"], t));

    private async Task ListAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var q = ctx.Request.Query;
        var filters = ParseFilters(ctx, t);
        var limit = int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : 0;
        string? after = null;
        long? pinnedRv = null;
        if (!string.IsNullOrEmpty(q["continue"]))
        {
            (var rv, after) = ContinueToken.Decode(q["continue"]!);
            if (rv < Store.OldestListableResourceVersion)
            {
                throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            pinnedRv = rv;
        }

        var (items, storeRv, lastKey, more) = Store.List(t.StorageKey, ns, after, limit, filters.IsEmpty ? null : filters.Matches);
        var listRv = (pinnedRv ?? storeRv).ToString(CultureInfo.InvariantCulture);
        var token = more && lastKey is not null ? ContinueToken.Encode(pinnedRv ?? storeRv, lastKey) : null;
        if (WantsTable(ctx))
        {
            var table = TableConverter.Table(t, items.Select(i => ObjectService.AsVersion(t, i.ToJsonObject())), true, listRv, token);
            await WriteJsonAsync(ctx, table).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var writer = ctx.Response.BodyWriter;
        var meta = new JsonObject { ["resourceVersion"] = listRv };
        if (token is not null)
        {
            meta["continue"] = token;
        }

        writer.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{t.ListKind}\",\"apiVersion\":\"{t.ApiVersion}\",\"metadata\":{meta.ToJsonString()},\"items\":["));
        var pending = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(Comma);
            }

            var json = t.IsCustom ? JsonSerializer.SerializeToUtf8Bytes(ObjectService.AsVersion(t, items[i].ToJsonObject()), SandboxJson.Options) : items[i].Json;
            writer.Write(json);
            pending += json.Length;
            if (pending > 256 * 1024)
            {
                pending = 0;
                await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.Write("]}"u8);
        await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var filters = ParseFilters(ctx, t);
        var opt = await DeleteOptionsAsync(ctx).ConfigureAwait(false);
        var (items, _, _, _) = Store.List(t.StorageKey, ns, null, 0, filters.IsEmpty ? null : filters.Matches);
        foreach (var o in items)
        {
            try
            {
                _service.Delete(t, o.Namespace.Length == 0 ? null : o.Namespace, o.Name, opt);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Removed meanwhile.
            }
        }

        await WriteJsonAsync(ctx, ApiException.StatusObject("Success", "", null, 200)).ConfigureAwait(false);
    }

    // ---------------- watch ----------------

    private async Task WatchAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var q = ctx.Request.Query;
        var filters = ParseFilters(ctx, t);
        var bookmarks = IsTrue(q["allowWatchBookmarks"]);
        var sendInitial = IsTrue(q["sendInitialEvents"]);
        var asTable = WantsTable(ctx);
        string? rvText = q["resourceVersion"];
        long? from = null;
        if (!string.IsNullOrEmpty(rvText))
        {
            if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw ApiException.BadRequest($"invalid resource version \"{rvText}\"");
            }

            from = rv;
        }

        if (sendInitial)
        {
            from = null;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        if (int.TryParse(q["timeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        else
        {
            // Like kube-apiserver: a watch without timeoutSeconds ends after a random 30-60 minutes.
            cts.CancelAfter(TimeSpan.FromMinutes(30 + (Random.Shared.NextDouble() * 30)));
        }

        var ct = cts.Token;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var writer = ctx.Response.BodyWriter;
        StoreSubscription sub;
        try
        {
            sub = Store.Subscribe(t.StorageKey, ns, from, initial: true);
        }
        catch (ApiException e) when (e.Code is 410 or 504)
        {
            writer.Write(StoreEvent.BuildLine("ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus(), SandboxJson.Options)));
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        using (sub)
        {
            var headers = true;
            long lastRv = sub.StartResourceVersion;
            await ctx.Response.StartAsync(ct).ConfigureAwait(false);
            if (sub.Initial.Count > 0)
            {
                await Task.Yield(); // a large initial list is CPU work: keep it off the socket threads
            }

            var pending = 0;
            foreach (var o in sub.Initial)
            {
                if (filters.Matches(o))
                {
                    pending += WriteEvent(writer, t, "ADDED", o, asTable, ref headers);
                    if (pending > 256 * 1024)
                    {
                        pending = 0;
                        await writer.FlushAsync(ct).ConfigureAwait(false);
                    }
                }
            }

            if (sendInitial && bookmarks)
            {
                writer.Write(BookmarkLine(t, lastRv, initialEnd: true));
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            var reader = sub.Events;
            while (!ct.IsCancellationRequested)
            {
                bool has;
                try
                {
                    if (bookmarks)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        wait.CancelAfter(_bookmarkInterval);
                        has = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        has = await reader.WaitToReadAsync(ct).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    writer.Write(BookmarkLine(t, lastRv, initialEnd: false));
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SubscriberTooSlowException)
                {
                    break;
                }

                if (!has)
                {
                    break;
                }

                while (reader.TryRead(out var e))
                {
                    lastRv = e.ResourceVersion;
                    WriteChange(writer, t, e, filters, asTable, ref headers);
                }

                await writer.FlushAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static void WriteChange(PipeWriter writer, ResourceType t, StoreEvent e, Filters filters, bool asTable, ref bool headers)
    {
        if (filters.IsEmpty && !asTable && !t.IsCustom)
        {
            writer.Write(e.Line);
            return;
        }

        var nowMatch = filters.Matches(e.Object);
        var wasMatch = e.Previous is not null && filters.Matches(e.Previous);
        var type = e.Type switch
        {
            "ADDED" => nowMatch ? "ADDED" : null,
            "MODIFIED" when nowMatch => wasMatch ? "MODIFIED" : "ADDED",
            "MODIFIED" => wasMatch ? "DELETED" : null,
            _ => nowMatch || wasMatch ? "DELETED" : null,
        };
        if (type is not null)
        {
            WriteEvent(writer, t, type, e.Object, asTable, ref headers);
        }
    }

    private static int WriteEvent(PipeWriter writer, ResourceType t, string type, StoredObject o, bool asTable, ref bool headers)
    {
        if (asTable)
        {
            var table = TableConverter.Table(t, [ObjectService.AsVersion(t, o.ToJsonObject())], headers, null, null);
            headers = false;
            var tableLine = StoreEvent.BuildLine(type, JsonSerializer.SerializeToUtf8Bytes(table, SandboxJson.Options));
            writer.Write(tableLine);
            return tableLine.Length;
        }

        var json = t.IsCustom ? JsonSerializer.SerializeToUtf8Bytes(ObjectService.AsVersion(t, o.ToJsonObject()), SandboxJson.Options) : o.Json;
        var line = StoreEvent.BuildLine(type, json);
        writer.Write(line);
        return line.Length;
    }

    private static byte[] BookmarkLine(ResourceType t, long rv, bool initialEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (initialEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var obj = new JsonObject { ["kind"] = t.Kind, ["apiVersion"] = t.ApiVersion, ["metadata"] = meta };
        return StoreEvent.BuildLine("BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(obj, SandboxJson.Options));
    }

    /// <summary>Access reviews: the sandbox does not enforce RBAC, so everything is allowed (and said so).</summary>
    private static async Task ReviewAsync(HttpContext ctx, ResourceType t, string? name)
    {
        if (ctx.Request.Method != "POST" || name is not null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        // kubectl auth can-i sends protobuf; the answer does not depend on the question, so such a body is not decoded.
        var review = ctx.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true
            ? new JsonObject { ["spec"] = new JsonObject() }
            : await ReadBodyAsync(ctx).ConfigureAwait(false);
        review["apiVersion"] = t.ApiVersion;
        review["kind"] = t.Kind;
        review["metadata"] ??= new JsonObject();
        review["status"] = t.Kind == "SelfSubjectRulesReview"
            ? new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") }),
                ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") }),
                ["incomplete"] = false,
            }
            : new JsonObject { ["allowed"] = true, ["reason"] = "the sandbox cluster does not enforce RBAC" };
        await WriteJsonAsync(ctx, review, 201).ConfigureAwait(false);
    }

    // ---------------- logs ----------------

    private async Task LogAsync(HttpContext ctx, ResourceType t, string ns, string name)
    {
        var pod = _service.Get(t, ns, name);
        var containers = ((pod["spec"]?["containers"] as JsonArray) ?? []).Select(c => (string?)c?["name"] ?? "").ToList();
        string? container = ctx.Request.Query["container"];
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
            {
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }

        var text = _logs.Read(ns, name, container);
        var sent = text.Length;
        if (int.TryParse(ctx.Request.Query["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tail) && tail >= 0)
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            text = string.Concat(lines.Skip(Math.Max(0, lines.Length - tail)).Select(l => l + "\n"));
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted).ConfigureAwait(false);
        if (!IsTrue(ctx.Request.Query["follow"]))
        {
            return;
        }

        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        try
        {
            while (!cts.IsCancellationRequested && Store.Get("pods", ns, name) is not null)
            {
                await Task.Delay(200, cts.Token).ConfigureAwait(false);
                var now = _logs.Read(ns, name, container);
                if (now.Length > sent)
                {
                    await ctx.Response.WriteAsync(now[sent..], cts.Token).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
                    sent = now.Length;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Client or server stopped following.
        }
    }

    // ---------------- writing ----------------

    private static Task WriteObjectAsync(HttpContext ctx, ResourceType t, JsonObject obj, int code = 200)
    {
        if (WantsTable(ctx) && obj["kind"]?.ToString() == t.Kind)
        {
            return WriteJsonAsync(ctx, TableConverter.Table(t, [obj], true, null, null), code);
        }

        return WriteJsonAsync(ctx, obj, code);
    }

    public static async Task WriteJsonAsync(HttpContext ctx, JsonNode node, int code = 200, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(node, SandboxJson.Options);
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
    }
}
