namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Which pod annotations jobs may set (<c>Studio:Jobs:PodAnnotations</c>). Reserved keys — Kubernetes' (<c>*.kubernetes.io</c>,
/// <c>*.k8s.io</c>, AppArmor among them), the schedulers' (<c>scheduling.*</c>, Volcano, Kueue) and Studio's own
/// (<c>studio.io</c>) — are refused whatever this says.
/// </summary>
public sealed class PodAnnotationOptions
{
    public const string SectionName = "Studio:Jobs:PodAnnotations";

    /// <summary>What jobs may set when <see cref="Allowed"/> is not configured: metrics scraping, the Istio sidecar switch and the sandbox's simulated workload settings.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["prometheus.io/*", "sidecar.istio.io/inject", "sandbox.studio/*"];

    /// <summary>
    /// Patterns of allowed keys: an exact key (<c>sidecar.istio.io/inject</c>), every key of a prefix
    /// (<c>prometheus.io/*</c>), or <c>*</c> for any key that is not reserved. Unset: <see cref="Defaults"/>.
    /// </summary>
    public List<string>? Allowed { get; set; }

    /// <summary>The patterns in force.</summary>
    public IReadOnlyList<string> Effective => Allowed is { Count: > 0 } allowed ? allowed : Defaults;
}
