using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Compute;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Reads the cluster's InstanceType resources directly — used only when no <see cref="InstanceTypes.IInstanceTypeCatalog"/>
/// is registered. Adds the implicit <c>defaultinstancetype</c> unless a resource overrides it.
/// </summary>
internal static class InstanceTypeReader
{
    public static async Task<IReadOnlyList<InstanceType>> ListAsync(IKubernetes client, CancellationToken ct)
    {
        var result = new List<InstanceType>();
        try
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync(ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, cancellationToken: ct).ConfigureAwait(false);
            var json = list is JsonElement element ? element : JsonSerializer.SerializeToElement(list);
            if (json.TryGetProperty("items", out var items))
            {
                foreach (var item in items.EnumerateArray())
                {
                    result.Add(Parse(item));
                }
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        if (result.All(t => t.Name != InstanceType.DefaultName))
        {
            result.Add(InstanceType.Default);
        }

        return [.. result.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private static InstanceType Parse(JsonElement item)
    {
        var name = item.GetProperty("metadata").GetProperty("name").GetString() ?? string.Empty;
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = ResourceAmounts.Zero;
        var limits = ResourceAmounts.Zero;
        if (item.TryGetProperty("spec", out var spec))
        {
            if (spec.TryGetProperty("nodeSelector", out var ns) && ns.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in ns.EnumerateObject())
                {
                    selector[p.Name] = p.Value.ToString();
                }
            }

            if (spec.TryGetProperty("resources", out var resources))
            {
                requests = Amounts(resources, "requests");
                limits = Amounts(resources, "limits");
            }
        }

        return new InstanceType(name, selector, requests with { Gpus = Math.Max(requests.Gpus, limits.Gpus) }, limits);
    }

    private static ResourceAmounts Amounts(JsonElement resources, string key)
    {
        if (!resources.TryGetProperty(key, out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return ResourceAmounts.Zero;
        }

        decimal Q(string name) => values.TryGetProperty(name, out var v) ? new ResourceQuantity(v.ToString()).ToDecimal() : 0m;
        return new ResourceAmounts((long)Math.Ceiling(Q("cpu") * 1000m), (long)Q("memory"), (long)Q("nvidia.com/gpu"));
    }
}
