using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>Routes every Kubernetes API request (discovery, OpenAPI, resources and subresources) and writes the answers.</summary>
internal sealed partial class ApiHandler
{
    private static readonly byte[] Comma = ","u8.ToArray();
    private readonly ObjectService _service;
    private readonly PodLogs _logs;
    private readonly FaultInjector _faults;
    private readonly TimeSpan _bookmarkInterval;
    private readonly CancellationToken _stopping;
    private readonly BearerTokens _tokens;

    public ApiHandler(ObjectService service, PodLogs logs, FaultInjector faults, BearerTokens tokens, TimeSpan bookmarkInterval, CancellationToken stopping)
    {
        _tokens = tokens;
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
        if (!ApiRequest.IsTrue(ctx.Request.Query["watch"]))
        {
            // Sockets schedule inline (see SandboxServer); move request work that can be CPU-heavy (lists, tables, writes)
            // to the thread pool so it never holds up the socket threads that stream watch events.
            await Task.Yield();
        }

        try
        {
            _tokens.Check(ctx.Request.Headers.Authorization);
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
            case "api" or "apis" when segs.Length == 1 && ApiRequest.WantsAggregatedDiscovery(ctx):
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
        var watch = ApiRequest.IsTrue(q["watch"]);
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

        if (sub is not null && !(sub == "status" && t.HasStatus) && !(sub == "scale" && t.HasScale) && !(sub is "log" or "eviction" && t.HasLog))
        {
            throw NotFoundPath(ctx.Request.Path);
        }

        if (_faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_faults.Latency, ctx.RequestAborted).ConfigureAwait(false);
        }

        _faults.Check(ctx.Request.Method, t);
        if (t.Group == MetricsApi.Group)
        {
            if (ctx.Request.Method != "GET" || watch || sub is not null)
            {
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            }

            await WriteJsonAsync(ctx, MetricsApi.Get(Store, plural, ns, name, LabelSelector.Parse(ctx.Request.Query["labelSelector"]))).ConfigureAwait(false);
            return;
        }

        if (t.Group is "authorization.k8s.io" or "authentication.k8s.io")
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
            case "POST" when sub == "eviction" && name is not null:
                await WriteJsonAsync(ctx, Eviction.Evict(_service, ns ?? "default", name, await ApiRequest.ReadBodyAsync(ctx).ConfigureAwait(false)), 201).ConfigureAwait(false);
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

                var created = _service.Create(t, ns, await ApiRequest.ReadBodyAsync(ctx).ConfigureAwait(false), ApiRequest.Options(ctx, null), warnings);
                AddWarnings(ctx, warnings);
                await WriteObjectAsync(ctx, t, created, 201).ConfigureAwait(false);
                return;
            }

            case "PUT" when name is not null && sub != "log":
            {
                var updated = _service.Update(t, ns, name, await ApiRequest.ReadBodyAsync(ctx).ConfigureAwait(false), ApiRequest.Options(ctx, sub), warnings);
                AddWarnings(ctx, warnings);
                await WriteResultAsync(ctx, t, updated, sub).ConfigureAwait(false);
                return;
            }

            case "PATCH" when name is not null && sub != "log":
            {
                var body = await ApiRequest.ReadTextAsync(ctx).ConfigureAwait(false);
                var patched = _service.Patch(t, ns, name, ctx.Request.ContentType ?? "application/merge-patch+json", body, ApiRequest.Options(ctx, sub), warnings);
                AddWarnings(ctx, warnings);
                await WriteResultAsync(ctx, t, patched, sub).ConfigureAwait(false);
                return;
            }

            case "DELETE" when name is null:
                await DeleteCollectionAsync(ctx, t, ns).ConfigureAwait(false);
                return;
            case "DELETE" when sub is null:
            {
                var deleted = _service.Delete(t, ns, name, await ApiRequest.DeleteOptionsAsync(ctx).ConfigureAwait(false));
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

    /// <summary>Who the kubeconfig's token is (<c>kubectl auth whoami</c>): the sandbox's one administrator.</summary>
    private static JsonObject SandboxUser() => new()
    {
        ["userInfo"] = new JsonObject
        {
            ["username"] = "sandbox-admin",
            ["uid"] = "sandbox-admin",
            ["groups"] = new JsonArray("system:masters", "system:authenticated"),
        },
    };

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
            : await ApiRequest.ReadBodyAsync(ctx).ConfigureAwait(false);
        review["apiVersion"] = t.ApiVersion;
        review["kind"] = t.Kind;
        review["metadata"] ??= new JsonObject();
        review["status"] = t.Kind == "SelfSubjectReview" ? SandboxUser()
            : t.Kind == "SelfSubjectRulesReview"
            ? new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") }),
                ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") }),
                ["incomplete"] = false,
            }
            : new JsonObject { ["allowed"] = true, ["reason"] = "the sandbox cluster does not enforce RBAC" };
        await WriteJsonAsync(ctx, review, 201).ConfigureAwait(false);
    }

    // ---------------- writing ----------------

    private static Task WriteObjectAsync(HttpContext ctx, ResourceType t, JsonObject obj, int code = 200)
    {
        if (ApiRequest.WantsTable(ctx) && obj["kind"]?.ToString() == t.Kind)
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
