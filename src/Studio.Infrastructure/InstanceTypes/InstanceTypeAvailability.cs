using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// "Can I run this?" for one instance type, right now: how many nodes match, how many replicas fit in free capacity,
/// how many would fit on an empty cluster, and a one-line reason when it is not available.
/// </summary>
public sealed record InstanceTypeAvailability(
    InstanceType InstanceType,
    int MatchingNodes,
    int ReplicasFitNow,
    int ReplicasFitEmpty,
    AvailabilityBadge Badge,
    string? Reason)
{
    /// <summary>The calculator's full answer: per node (GPUs free, replicas now/empty) and per pool, errors and warnings.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>GPUs free now on matching nodes.</summary>
    public long FreeGpus => Fit?.FreeGpus ?? 0;

    /// <summary>The badge for <paramref name="replicas"/> pods (the job form asks for several).</summary>
    public AvailabilityBadge BadgeFor(int replicas) => Fit is null ? Badge : InstanceTypeAvailabilities.Badge(Fit.VerdictFor(replicas));

    /// <summary>Builds the availability of <paramref name="report"/>'s instance type, with the reason people read.</summary>
    public static InstanceTypeAvailability From(FitReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.VerdictFor(1);
        var reason = verdict switch
        {
            FitVerdict.FitsNow => null,
            FitVerdict.WillQueue => report.InstanceType.Limits.Gpus > 0 && report.FreeGpus < report.InstanceType.Limits.Gpus
                ? $"All GPUs of the {InstanceTypeManifest.Count(report.MatchingNodes, "matching node")} are in use; {InstanceTypeManifest.Count(report.ReplicasFitEmpty, "replica")} would fit on an empty cluster."
                : $"No matching node has room now; {InstanceTypeManifest.Count(report.ReplicasFitEmpty, "replica")} would fit on an empty cluster.",
            _ => report.Errors.Concat(report.Warnings).Select(e => e.Message).FirstOrDefault() ?? "No matching node can hold it.",
        };
        return new InstanceTypeAvailability(report.InstanceType, report.MatchingNodes, report.ReplicasFitNow, report.ReplicasFitEmpty, InstanceTypeAvailabilities.Badge(verdict), reason) { Fit = report };
    }
}
