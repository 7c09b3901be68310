using Studio.Domain.Jobs;

namespace Studio.Web.Api;

/// <summary>Distribution in a JSON job: <c>type</c> none | pytorch | tensorflow | mpi, and its counts.</summary>
public sealed record JobDistributionBody(string? Type = null, int? ProcessCountPerInstance = null, int? WorkerCount = null, int? ParameterServerCount = null)
{
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
