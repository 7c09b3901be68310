using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Web.Api;

/// <summary>Distribution in a JSON job: <c>type</c> none | pytorch | tensorflow | mpi, and its counts.</summary>
public sealed record JobDistributionBody(string? Type = null, int? ProcessCountPerInstance = null, int? WorkerCount = null, int? ParameterServerCount = null)
{
    private static readonly string[] Known = ["none", "pytorch", "tensorflow", "mpi"];

    /// <summary>An error naming <c>distribution.type</c> when it is not one Studio knows (never silently read as none).</summary>
    public Error? TypeError() =>
        string.IsNullOrWhiteSpace(Type) || Known.Contains(Type.Trim().ToLowerInvariant())
            ? null
            : Error.Validation("distribution.type", $"Unknown distribution type '{Type}'; use one of {string.Join(", ", Known)}.");

    public Distribution ToDistribution() => new(
        Type?.Trim().ToLowerInvariant() switch
        {
            "pytorch" => DistributionKind.PyTorch,
            "tensorflow" => DistributionKind.TensorFlow,
            "mpi" => DistributionKind.Mpi,
            _ => DistributionKind.None,
        },
        ProcessCountPerInstance,
        WorkerCount,
        ParameterServerCount);
}
