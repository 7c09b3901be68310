using Studio.Domain.Clusters;

namespace Studio.Web.Model;

/// <summary>Requested and allocatable resources of a pool (or the whole cluster) at one instant.</summary>
public sealed record UtilisationPoint(DateTimeOffset At, ResourceAmounts Requested, ResourceAmounts Allocatable, int PodsPending, int PodsRunning, int PodsFailed, int Queued);
