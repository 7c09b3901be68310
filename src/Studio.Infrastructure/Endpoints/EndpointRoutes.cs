using System.Text.Json.Nodes;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Endpoints;

/// <summary>
/// The endpoint's <c>gateway.networking.k8s.io/v1</c> <c>HTTPRoute</c>, for clusters that serve the Gateway API: the
/// scoring path <c>/api/v1/endpoint/ENDPOINT/</c> (Azure ML's URI shape, §2.4) goes to the deployments' Services by
/// their traffic weights, with a <c>RequestMirror</c> filter copying the mirrored share to one deployment; a request
/// with the <c>azureml-model-deployment</c> header goes to that deployment alone (as Azure ML's router does). Exposed by
/// the administrator's Gateway (<see cref="GatewayReference"/>).
/// </summary>
public static class EndpointRoutes
{
    public const string ApiVersion = "gateway.networking.k8s.io/v1";
    public const string DeploymentHeader = "azureml-model-deployment";

    /// <summary>The path every request to the endpoint starts with.</summary>
    public static string ScoringPath(string endpoint) => $"/api/v1/endpoint/{endpoint}/";

    /// <summary>
    /// The route of <paramref name="endpoint"/> over its deployments (name → Kubernetes Service name). Deployments
    /// without live traffic are reachable by header only; with traffic 0 in all, the path rule has no backends (the
    /// gateway answers 500, as Azure ML does for an endpoint without traffic).
    /// </summary>
    public static ManifestObject Build(OnlineEndpoint endpoint, IReadOnlyDictionary<string, string> services, GatewayReference gateway, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(gateway);
        var prefix = ScoringPath(endpoint.Name);
        var split = new JsonObject
        {
            ["matches"] = new JsonArray(PathMatch(prefix)),
            ["backendRefs"] = new JsonArray([.. endpoint.Traffic
                .Where(t => t.Value > 0 && services.ContainsKey(t.Key))
                .OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (JsonNode)Backend(services[t.Key], t.Value))]),
        };
        var mirror = endpoint.MirrorTraffic.FirstOrDefault(m => m.Value > 0 && services.ContainsKey(m.Key));
        if (mirror.Key is not null)
        {
            split["filters"] = new JsonArray(new JsonObject
            {
                ["type"] = "RequestMirror",
                ["requestMirror"] = new JsonObject { ["backendRef"] = Backend(services[mirror.Key], null), ["percent"] = mirror.Value },
            });
        }

        var rules = new JsonArray(split);
        foreach (var (deployment, service) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var match = PathMatch(prefix);
            match["headers"] = new JsonArray(new JsonObject { ["type"] = "Exact", ["name"] = DeploymentHeader, ["value"] = deployment });
            rules.Add(new JsonObject { ["matches"] = new JsonArray(match), ["backendRefs"] = new JsonArray(Backend(service, null)) });
        }

        var parent = new JsonObject { ["name"] = gateway.Name };
        if (gateway.Namespace is not null)
        {
            parent["namespace"] = gateway.Namespace;
        }

        var metadataLabels = new JsonObject();
        foreach (var (k, v) in labels)
        {
            metadataLabels[k] = v;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "HTTPRoute",
            ["metadata"] = new JsonObject { ["name"] = endpoint.Name, ["namespace"] = endpoint.Namespace, ["labels"] = metadataLabels },
            ["spec"] = new JsonObject { ["parentRefs"] = new JsonArray(parent), ["rules"] = rules },
        };
        return new ManifestObject(ApiVersion, "HTTPRoute", endpoint.Namespace, endpoint.Name, body) { Plural = "httproutes" };
    }

    private static JsonObject PathMatch(string prefix) => new() { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = prefix } };

    private static JsonObject Backend(string service, int? weight)
    {
        var backend = new JsonObject { ["name"] = service, ["port"] = 80 };
        if (weight is { } w)
        {
            backend["weight"] = w;
        }

        return backend;
    }
}

/// <summary>The administrator's Gateway that exposes endpoints' routes (<c>parentRefs</c>); its namespace null means the route's own.</summary>
public sealed record GatewayReference(string Name, string? Namespace = null);
