using Studio.Domain.Common;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// Server-side paging, filtering and sorting of a cluster's pods (the pods tab and the API stay fast at 150,000 pods:
/// one pass to filter, then only the page asked for is put in order).
/// </summary>
public sealed record PodQuery(string? Namespace = null, string? Phase = null, string? Node = null, string? Search = null, string? SortBy = null, bool Descending = false, int Skip = 0, int Take = 50)
{
    /// <summary>The most rows one page may have.</summary>
    public const int MaxTake = 500;

    /// <summary>The sort keys callers may name (anything else sorts by namespace and name).</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["name", "namespace", "phase", "node", "restarts", "age", "owner"];

    /// <summary>The phases a pod reports.</summary>
    public static readonly IReadOnlyList<string> Phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

    /// <summary>What is wrong with the query, by field (empty when it may run): paging bounds, known sort keys and phases, name lengths.</summary>
    public IReadOnlyList<Error> Validate()
    {
        var errors = new List<Error>();
        if (Skip < 0)
        {
            errors.Add(Error.Validation("skip", "skip must be 0 or more."));
        }

        if (Take is < 1 or > MaxTake)
        {
            errors.Add(Error.Validation("take", $"take must be between 1 and {MaxTake}."));
        }

        if (SortBy is not null && !SortKeys.Contains(SortBy.ToLowerInvariant()))
        {
            errors.Add(Error.Validation("sortBy", $"sortBy must be one of {string.Join(", ", SortKeys)}."));
        }

        if (Phase is not null && !Phases.Contains(Phase, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(Error.Validation("phase", $"phase must be one of {string.Join(", ", Phases)}."));
        }

        // Kubernetes names: a namespace is a DNS label (63), a node or pod a DNS subdomain (253).
        foreach (var (field, value, max) in new[] { ("namespace", Namespace, 63), ("node", Node, 253), ("search", Search, 253) })
        {
            if (value is { Length: var length } && length > max)
            {
                errors.Add(Error.Validation(field, $"{field} must be at most {max} characters."));
            }
        }

        return errors;
    }

    /// <summary>Namespaces whose pods are left out: other workspaces' (<c>ClusterVisibility.HiddenNamespacesAsync</c>).</summary>
    public IReadOnlySet<string>? HiddenNamespaces { get; init; }

    public PodPage Run(ClusterInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        IEnumerable<PodInfo> pods = inventory.Pods.Snapshot();
        if (HiddenNamespaces is { Count: > 0 } hidden)
        {
            pods = pods.Where(p => !hidden.Contains(p.Namespace));
        }

        if (!string.IsNullOrWhiteSpace(Namespace))
        {
            var ns = Namespace.Trim();
            pods = pods.Where(p => string.Equals(p.Namespace, ns, StringComparison.Ordinal));
        }

        if (!string.IsNullOrWhiteSpace(Phase))
        {
            var phase = Phase.Trim();
            pods = pods.Where(p => string.Equals(p.Phase, phase, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrWhiteSpace(Node))
        {
            var node = Node.Trim();
            pods = pods.Where(p => string.Equals(p.NodeName, node, StringComparison.Ordinal));
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            var term = Search.Trim();
            pods = pods.Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
        }

        var matching = pods.ToList();
        IOrderedEnumerable<PodInfo> ordered = SortBy?.ToLowerInvariant() switch
        {
            "namespace" => Order(matching, p => p.Namespace, StringComparer.Ordinal),
            "phase" => Order(matching, p => p.Phase, StringComparer.Ordinal),
            "node" => Order(matching, p => p.NodeName ?? string.Empty, StringComparer.Ordinal),
            "restarts" => Order(matching, p => p.Restarts, Comparer<int>.Default),
            "age" => Order(matching, p => p.CreatedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, invert: true),
            "owner" => Order(matching, p => p.OwnerName ?? string.Empty, StringComparer.Ordinal),
            "name" => Order(matching, p => p.Name, StringComparer.Ordinal),
            _ => Order(matching, p => p.Namespace, StringComparer.Ordinal),
        };

        // LINQ sorts only the slice that Skip/Take keep (a partial quicksort), not all 150,000 pods.
        var page = ordered.ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Skip(Math.Max(0, Skip)).Take(Math.Clamp(Take, 1, MaxTake)).ToList();
        return new PodPage(page, matching.Count);
    }

    // Age sorts youngest first when ascending, as the column reads ("2m" before "3d").
    private IOrderedEnumerable<PodInfo> Order<TKey>(List<PodInfo> pods, Func<PodInfo, TKey> key, IComparer<TKey> comparer, bool invert = false) =>
        Descending != invert ? pods.OrderByDescending(key, comparer) : pods.OrderBy(key, comparer);
}

/// <summary>One page of pods and how many matched in all.</summary>
public sealed record PodPage(IReadOnlyList<PodInfo> Items, int Total);
