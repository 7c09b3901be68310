using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>Reading a request: query options (dry run, field manager, validation), delete options, JSON/YAML/protobuf bodies, what the client accepts.</summary>
internal static class ApiRequest
{
    public static bool IsTrue(string? v) => v is "true" or "1" or "True";

    public static RequestOptions Options(HttpContext ctx, string? sub)
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

    public static async Task<RequestOptions> DeleteOptionsAsync(HttpContext ctx)
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

    public static async Task<string> ReadTextAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<JsonObject> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true)
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            return ProtobufDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        return ParseBody(ctx, await ReadTextAsync(ctx).ConfigureAwait(false));
    }

    public static JsonObject ParseBody(HttpContext ctx, string text)
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

    public static bool WantsAggregatedDiscovery(HttpContext ctx)
    {
        var accept = ctx.Request.Headers.Accept.ToString();
        return accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2;", StringComparison.Ordinal);
    }

    public static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
}
