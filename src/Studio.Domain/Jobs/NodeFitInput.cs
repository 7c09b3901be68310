using Studio.Domain.Clusters;

namespace Studio.Domain.Jobs;

/// <summary>A node as the fit calculation sees it: pool, labels, taints (<c>key=value:Effect</c>), whether it takes pods, allocatable and free resources.</summary>
public sealed record NodeFitInput(string Name, string Pool, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Taints, bool Schedulable, ResourceAmounts Allocatable, ResourceAmounts Free);
