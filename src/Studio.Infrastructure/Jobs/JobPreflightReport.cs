using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// "Will this job run?" before submit: the verdict with its reason in plain words, the resolved instance type and
/// what each instance asks for, how every matching pool answers, the closest instance type that would fit when it can
/// never fit, suggestions (fewer instances, another instance type), namespace quota headroom and image sanity.
/// Validation errors of the spec are in <see cref="Errors"/> (path → message) rather than a failed result, so a form can show both.
/// </summary>
public sealed record JobPreflightReport(
    FitVerdict Verdict,
    string Summary,
    string InstanceType,
    ResourceAmounts RequestsPerInstance,
    ResourceAmounts LimitsPerInstance,
    int InstanceCount,
    IReadOnlyList<PoolFitResult> Pools,
    string? ClosestInstanceType,
    IReadOnlyList<string> Suggestions,
    QuotaHeadroom Quota,
    ImageCheck Image,
    IReadOnlyDictionary<string, string> Errors);
