using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// Everything the catalog page, the board and the picker show for one cluster, from one moment of the live inventory:
/// whether the extension (CRD) is installed, the entries (valid or not, the implicit default included), availability of
/// the valid ones, the labels nodes carry (nodeSelector suggestions) and the extension-wide nodeSelector.
/// </summary>
public sealed record InstanceTypeCatalogView(
    Guid ClusterId,
    string ClusterName,
    bool ExtensionInstalled,
    IReadOnlyList<InstanceTypeEntry> Entries,
    IReadOnlyList<InstanceTypeAvailability> Availability,
    IReadOnlyDictionary<string, IReadOnlyList<string>> NodeLabels,
    IReadOnlyDictionary<string, string> ExtensionNodeSelector,
    IReadOnlyList<FitNode> FitNodes,
    bool Stale)
{
    /// <summary>The availability of one instance type, or null when it is not (validly) in the catalog.</summary>
    public InstanceTypeAvailability? AvailabilityOf(string name) => Availability.FirstOrDefault(a => a.InstanceType.Name == name);

    /// <summary>The valid instance types.</summary>
    public IReadOnlyList<InstanceType> InstanceTypes => [.. Entries.Where(e => e.InstanceType is not null).Select(e => e.InstanceType!)];
}
