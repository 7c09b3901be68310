using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Resources;

/// <summary>Thread-safe registry of served resources: the built-ins plus every established CRD version.</summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private Snapshot _snapshot;

    public ResourceRegistry()
    {
        _snapshot = new Snapshot(BuiltInResources.All);
    }

    public IReadOnlyList<ResourceType> All => _snapshot.Types;

    public ResourceType? Find(string group, string version, string plural) =>
        _snapshot.ByPath.GetValueOrDefault(group + "/" + version + "/" + plural);

    public IReadOnlyList<ResourceType> ForStorage(string storageKey) =>
        _snapshot.ByStorage.TryGetValue(storageKey, out var list) ? list : [];

    /// <summary>Group → ordered versions (preferred first).</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups => _snapshot.Groups;

    /// <summary>Replaces the served versions of a CRD (null = remove).</summary>
    public void SetCustomResource(string crdName, JsonObject? crd)
    {
        lock (_gate)
        {
            var types = _snapshot.Types.Where(t => t.CrdName != crdName).ToList();
            if (crd is not null)
            {
                types.AddRange(FromCrd(crdName, crd));
            }

            _snapshot = new Snapshot(types);
        }
    }

    private static IEnumerable<ResourceType> FromCrd(string crdName, JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        if (spec is null || names is null)
        {
            yield break;
        }

        var group = (string?)spec["group"] ?? "";
        var plural = (string?)names["plural"] ?? "";
        var kind = (string?)names["kind"] ?? "";
        var singular = (string?)names["singular"] ?? kind.ToLowerInvariant();
        var shortNames = (names["shortNames"] as JsonArray)?.Select(n => (string?)n ?? "").Where(n => n.Length > 0).ToArray() ?? [];
        var categories = (names["categories"] as JsonArray)?.Select(n => (string?)n ?? "").Where(n => n.Length > 0).ToArray() ?? [];
        var namespaced = !string.Equals((string?)spec["scope"], "Cluster", StringComparison.Ordinal);
        if (spec["versions"] is not JsonArray versions)
        {
            yield break;
        }

        // Storage version first so that it becomes the preferred version, then the others in order.
        foreach (var v in versions.OfType<JsonObject>().OrderByDescending(v => (bool?)v["storage"] == true))
        {
            if ((bool?)v["served"] == false)
            {
                continue;
            }

            var sub = v["subresources"] as JsonObject;
            var scale = sub?["scale"] as JsonObject;
            yield return new ResourceType
            {
                Group = group,
                Version = (string?)v["name"] ?? "v1",
                Plural = plural,
                Singular = singular,
                Kind = kind,
                Namespaced = namespaced,
                ShortNames = shortNames,
                Categories = categories,
                HasStatus = sub?["status"] is not null,
                HasScale = scale is not null,
                SpecReplicasPath = (string?)scale?["specReplicasPath"],
                StatusReplicasPath = (string?)scale?["statusReplicasPath"],
                LabelSelectorPath = (string?)scale?["labelSelectorPath"],
                HasGeneration = true,
                Schema = (v["schema"] as JsonObject)?["openAPIV3Schema"]?.DeepClone() as JsonObject,
                PrinterColumns = v["additionalPrinterColumns"]?.DeepClone() as JsonArray,
                CrdName = crdName,
            };
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<ResourceType> types)
        {
            Types = types;
            ByPath = types.ToFrozenDictionary(t => t.Group + "/" + t.Version + "/" + t.Plural, StringComparer.Ordinal);
            ByStorage = types.GroupBy(t => t.StorageKey, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<ResourceType>)[.. g], StringComparer.Ordinal);
            Groups = [.. types.GroupBy(t => t.Group, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(t => t.Version).Distinct(StringComparer.Ordinal)]))];
        }

        public IReadOnlyList<ResourceType> Types { get; }
        public FrozenDictionary<string, ResourceType> ByPath { get; }
        public FrozenDictionary<string, IReadOnlyList<ResourceType>> ByStorage { get; }
        public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups { get; }
    }
}
