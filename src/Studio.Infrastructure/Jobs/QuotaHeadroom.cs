using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The compute target's namespace quota against what the job asks for: the limit (null when none), what is used, what is
/// left, and whether the job's total requests fit in it.
/// </summary>
public sealed record QuotaHeadroom(ResourceAmounts? Limit, ResourceAmounts Used, ResourceAmounts? Free, ResourceAmounts JobRequests, bool Fits, string Explanation);
