using System.Diagnostics.Metrics;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Counts the studio's Kubernetes API requests per cluster, resource and verb (<c>watch</c> for <c>watch=true</c>) as the
/// <see cref="System.Diagnostics.Metrics"/> counter <c>studio.kubernetes.requests</c> of meter <c>Studio.Kubernetes</c>:
/// what OpenTelemetry exports, and how a test sees that a cluster has one pod watch however many pages are open.
/// </summary>
public sealed class RequestMetricsHandler(string cluster) : DelegatingHandler
{
    public const string MeterName = "Studio.Kubernetes";
    public const string RequestsName = "studio.kubernetes.requests";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsName, "{request}", "Kubernetes API requests sent, by cluster, resource and verb");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            var (resource, verb) = Describe(request.Method, uri);
            Requests.Add(1, new KeyValuePair<string, object?>("cluster", cluster), new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("verb", verb));
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The resource (<c>pods</c>, <c>jobs.batch</c>, <c>instancetypes.amlarc.azureml.com</c>) and verb (<c>list</c>,
    /// <c>watch</c>, <c>get</c>, <c>create</c>, <c>patch</c>, ...) of an API request; <c>discovery</c> for the rest.
    /// </summary>
    public static (string Resource, string Verb) Describe(HttpMethod method, Uri uri)
    {
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var (group, rest) = segments switch
        {
            ["api", _, .. var r] => (string.Empty, r),
            ["apis", var g, _, .. var r] => (g, r),
            _ => (string.Empty, Array.Empty<string>()),
        };
        if (rest is ["namespaces", _, _, ..])
        {
            rest = rest[2..];
        }

        if (rest.Length == 0)
        {
            return ("discovery", "get");
        }

        var resource = group.Length == 0 ? rest[0] : $"{rest[0]}.{group}";
        var named = rest.Length > 1;
        var watch = uri.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) || uri.Query.Contains("watch=1", StringComparison.Ordinal);
        var verb = method.Method switch
        {
            "GET" when watch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.Method.ToLowerInvariant(),
        };
        return (resource, verb);
    }
}
