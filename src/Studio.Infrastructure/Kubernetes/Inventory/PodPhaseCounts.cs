namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>Pods by phase (anything not Running, Succeeded or Failed counts as Pending).</summary>
public readonly record struct PodPhaseCounts(int Pending, int Running, int Succeeded, int Failed)
{
    public int Total => Pending + Running + Succeeded + Failed;

    /// <summary>These counts with one pod of <paramref name="phase"/> added (<paramref name="sign"/> 1) or removed (-1).</summary>
    public PodPhaseCounts With(string phase, int sign) => phase switch
    {
        "Running" => this with { Running = Running + sign },
        "Succeeded" => this with { Succeeded = Succeeded + sign },
        "Failed" => this with { Failed = Failed + sign },
        _ => this with { Pending = Pending + sign },
    };
}
