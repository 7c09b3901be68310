namespace Studio.Domain.InstanceTypes;

/// <summary>
/// One node's answer for one instance type: does its labels match the selector, which taint (if any) keeps the pod off,
/// how many replicas fit in its free capacity now, and how many would fit if it were empty.
/// </summary>
public sealed record NodeFit(FitNode Node, bool MatchesSelector, NodeTaint? BlockingTaint, int ReplicasFitNow, int ReplicasFitEmpty)
{
    /// <summary>The pod may be placed here (selector matches, every blocking taint tolerated).</summary>
    public bool Eligible => MatchesSelector && BlockingTaint is null;

    /// <summary>GPUs free on the node now.</summary>
    public long FreeGpus => Node.Free.Gpus;
}
